"""Delivery models, by concern: ``zones`` (where the town delivers, for how much),
``addresses`` (the local copy of the national address base), ``fleet`` (couriers,
vehicles), ``windows`` (templates, windows, shifts, bookings)."""
from .addresses import Address
from .fleet import Courier, SpeedProfile, Vehicle
from .windows import DeliveryBooking, DeliveryWindow, DeliveryWindowTemplate, Shift
from .zones import DeliveryZone, ZoneKind

__all__ = [
    "Address",
    "Courier",
    "DeliveryBooking",
    "DeliveryWindow",
    "DeliveryWindowTemplate",
    "DeliveryZone",
    "Shift",
    "SpeedProfile",
    "Vehicle",
    "ZoneKind",
]
