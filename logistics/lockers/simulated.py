"""A locker bank without hardware (demo, tests): doors live in the Django cache.

Opening a door records it; the door "closes" by itself after ``SIMULATED_CLOSE_SECONDS``
(someone shut it). ``door_events`` lists what was opened, for tests and the demo.
A compartment code listed in the cache key ``FAULTY_KEY`` refuses to open, to
exercise the error path.
"""
from __future__ import annotations

import time

from django.core.cache import cache

from logistics.lockers.base import DoorEvent, LockerBank, LockerError

SIMULATED_CLOSE_SECONDS = 5
EVENTS_KEY = "lockers:simulated:events"
FAULTY_KEY = "lockers:simulated:faulty"
_EVENTS_KEPT = 200


def _door_key(point_id: int, code: str) -> str:
    return f"lockers:simulated:door:{point_id}:{code}"


class SimulatedLockerBank(LockerBank):
    def door_open(self, *, point_id: int, compartment_code: str, reason: str) -> DoorEvent:
        if compartment_code in (cache.get(FAULTY_KEY) or ()):
            raise LockerError(f"Le casier {compartment_code} ne s'ouvre pas : appelez le point retrait.")
        event = DoorEvent(point_id=point_id, compartment_code=compartment_code, action="open", reason=reason)
        cache.set(_door_key(point_id, compartment_code), time.time(), timeout=SIMULATED_CLOSE_SECONDS)
        events = cache.get(EVENTS_KEY) or []
        cache.set(EVENTS_KEY, (events + [event])[-_EVENTS_KEPT:], timeout=None)
        return event

    def door_is_closed(self, *, point_id: int, compartment_code: str) -> bool:
        return cache.get(_door_key(point_id, compartment_code)) is None


def door_events() -> list[DoorEvent]:
    return list(cache.get(EVENTS_KEY) or [])


def faulty_set(codes: list[str]) -> None:
    cache.set(FAULTY_KEY, list(codes), timeout=None)
