"""Choosing a locker compartment: the one allocator, for a checkout's slot hold and a parcel's drop.

Both ask the same question — which compartment of this locker bank, for a parcel of
this size at this temperature, given the ones already taken — and get the same
answer: the one the caller prefers if it is free, else the smallest free one that
fits (then by code). What "taken" means is the caller's: a hold needs a compartment
free for its whole slot (``logistics.services.holds``), a drop one that holds no
parcel now (``logistics.pickup.services.placements``).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from logistics import locks
from logistics.models import SIZE_ORDER, LockerCompartment, sizes_fitting


def _smallest_first(compartment: LockerCompartment) -> tuple:
    return SIZE_ORDER.index(compartment.size), compartment.code, compartment.pk


def compartment_allocate(
    *,
    point_id: int,
    size: str | None,
    temperature: str,
    taken: Callable[[list[int]], Iterable[int]],
    preferred: LockerCompartment | None = None,
) -> LockerCompartment | None:
    """The compartment of locker bank ``point_id`` for a parcel of ``size`` (any size when
    ``None``) at ``temperature``: ``preferred`` when it fits and is not taken, else the
    smallest free one that fits. ``None`` when every fitting compartment is taken.

    ``taken(ids)`` says which of the candidate compartments' ids are in use. The
    candidates are row-locked (``logistics.locks``), so two callers never choose the
    same compartment.
    """
    candidates = locks.compartments_lock(point_id=point_id, sizes=sizes_fitting(size), temperature=temperature)
    if not candidates:
        return None
    busy = set(taken([c.pk for c in candidates]))
    free = [c for c in candidates if c.pk not in busy]
    if preferred is not None:
        kept = next((c for c in free if c.pk == preferred.pk), None)
        if kept is not None:
            return kept
    return min(free, key=_smallest_first, default=None)
