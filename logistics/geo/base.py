"""What every geocoder returns, and the French reasons an address is refused."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


class AddressProblem(Exception):
    """An address that cannot be placed: ``message`` is the French sentence for the shopper,
    ``code`` one of ``unknown_postcode``, ``postcode_mismatch``, ``unknown_street``, ``incomplete``."""

    def __init__(self, code: str, message: str):
        self.code, self.message = code, message
        super().__init__(message)


@dataclass(frozen=True)
class GeocodedAddress:
    street: str  # « 12 bis rue de la Halle »
    postcode: str
    town: str
    latitude: Decimal
    longitude: Decimal
    ban_id: str = ""

    @property
    def label(self) -> str:
        return f"{self.street}, {self.postcode} {self.town}"


class Geocoder(Protocol):
    def suggest(self, *, query: str, limit: int = 8) -> list[GeocodedAddress]:
        """Addresses matching what the shopper has typed so far (autocomplete)."""

    def locate(self, *, street: str, postcode: str, town: str) -> GeocodedAddress:
        """The address, placed; raises ``AddressProblem``."""


_SPACES = re.compile(r"[^a-z0-9]+")


def text_normalised(value: str) -> str:
    """Lower case, no accents, words separated by one space (« Rue de l'Église » → « rue de l eglise »)."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return _SPACES.sub(" ", plain).strip()


_NUMBER = re.compile(r"^\s*(\d{1,5})\s*(bis|ter|quater|quinquies|[a-z])?\b[\s,]*(.*)$", re.IGNORECASE)


def street_split(street: str) -> tuple[str, str, str]:
    """(numero, rep, street name) of « 12 bis, rue de la Halle »; numero '' when none is given."""
    match = _NUMBER.match(street or "")
    if not match:
        return "", "", (street or "").strip()
    return match.group(1), (match.group(2) or "").lower(), match.group(3).strip()
