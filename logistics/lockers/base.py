"""The interface every locker-bank driver implements, and how the configured one is chosen.

A driver speaks to one vendor's controller (network API, serial bus…). Halle only
ever asks it to open a compartment door and to say whether a door is closed; which
order sits in which compartment is Halle's business (``pickup.ParcelPlacement``),
never the driver's. ``HALLE_LOCKER_DRIVER`` names the driver class (dotted path).
"""
from __future__ import annotations

import abc
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string


class LockerError(Exception):
    """The bank did not do what was asked; ``str(error)`` is a French sentence for staff."""

    default_message = "La consigne ne répond pas : réessayez ou appelez le point retrait."

    def __init__(self, message: str | None = None):
        self.message = message or self.default_message
        super().__init__(self.message)


@dataclass(frozen=True)
class DoorEvent:
    point_id: int
    compartment_code: str
    action: str  # "open"
    reason: str  # "drop_off", "collection", "return"


class LockerBank(abc.ABC):
    """One locker-bank controller."""

    @abc.abstractmethod
    def door_open(self, *, point_id: int, compartment_code: str, reason: str) -> DoorEvent:
        """Unlatch the door of a compartment; raises ``LockerError`` if the bank refuses or is unreachable."""

    @abc.abstractmethod
    def door_is_closed(self, *, point_id: int, compartment_code: str) -> bool:
        """Whether the door is shut (a compartment is not reused while its door stands open)."""


@lru_cache(maxsize=8)
def _driver_class(path: str) -> type[LockerBank]:
    cls = import_string(path)
    if not (isinstance(cls, type) and issubclass(cls, LockerBank)):
        raise TypeError(f"HALLE_LOCKER_DRIVER={path!r} is not a LockerBank")
    return cls


def locker_bank() -> LockerBank:
    """The driver named by ``HALLE_LOCKER_DRIVER``."""
    return _driver_class(settings.HALLE_LOCKER_DRIVER)()
