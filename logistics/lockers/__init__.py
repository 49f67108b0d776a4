"""Locker banks behind one adapter: ``locker_bank()`` returns the driver ``HALLE_LOCKER_DRIVER``
names; its ``door_open(point_id=…, compartment_code=…, reason=…)`` and ``door_is_closed(…)``
take the bank and the compartment on every call."""
from logistics.lockers.base import LockerBank, LockerError, locker_bank

__all__ = ["LockerBank", "LockerError", "locker_bank"]
