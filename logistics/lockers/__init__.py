"""Locker banks behind one adapter: ``locker_bank(point)`` returns the configured driver."""
from logistics.lockers.base import LockerBank, LockerError, locker_bank

__all__ = ["LockerBank", "LockerError", "locker_bank"]
