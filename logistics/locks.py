"""The only module that takes row locks (``select_for_update``) on logistics rows.

Call these inside ``transaction.atomic()``. Logistics rows come fifth in the
project's one lock order (``marketplace.order.locks``: after the order, its parts
and the stock; before capped shops and payments); among them, this order, each
kind of row in primary-key order, so two transactions never wait in a cycle:

    1. ``CollectionPoint`` (slot generation only)
    2. ``SlotHold``        (a basket's own holds, or expired holds with SKIP LOCKED)
    3. ``Slot``
    4. ``LockerCompartment``
    5. ``DeliveryBooking`` (a basket's own booking, an order's, or expired ones with SKIP LOCKED)
    6. ``DeliveryWindow`` (by id; shift changes lock the window alone, then write its shifts)

A delivery basket holds its window exactly as a pickup basket holds its slot: inside the
checkout's transaction, after its stock (``shops.stock``), booking before window. A basket
switching between pickup and delivery releases its slot holds (2–3) before taking its
window (5–6), never the other way round.

The one exception, ``holds_expired_of_slot_lock``, is taken after a slot lock
but with SKIP LOCKED, so it never waits.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from logistics.delivery.models import DeliveryBooking, DeliveryWindow
from logistics.models import CollectionPoint, HoldStatus, LockerCompartment, Slot, SlotHold


def point_lock(*, point_id: int) -> CollectionPoint:
    """Lock a collection point (serialises slot generation for that point)."""
    return CollectionPoint.objects.select_for_update().get(pk=point_id)


def holds_of_basket_lock(*, basket_id: int) -> list[SlotHold]:
    """Lock the basket's holds still in ``held`` status (the whole basket's and its shops' parts)."""
    return list(
        SlotHold.objects.select_for_update(of=("self",))
        .filter(basket_id=basket_id, status=HoldStatus.HELD)
        .order_by("pk")
    )


def hold_lock(*, hold_id: int) -> SlotHold:
    """Lock one hold."""
    return SlotHold.objects.select_for_update(of=("self",)).get(pk=hold_id)


def holds_expired_lock(*, now: dt.datetime, limit: int) -> list[SlotHold]:
    """Lock up to ``limit`` expired ``held`` holds, skipping those another transaction has locked.

    Two expiry jobs running at once therefore share the work instead of both
    releasing the same hold.
    """
    return list(
        SlotHold.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status=HoldStatus.HELD, expires_at__lte=now)
        .order_by("pk")[:limit]
    )


def slots_lock(*, slot_ids: Iterable[int]) -> dict[int, Slot]:
    """Lock slots in primary-key order; returns them by id."""
    ids = sorted(set(slot_ids))
    return {slot.pk: slot for slot in Slot.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")}


def holds_expired_of_slot_lock(*, slot_id: int, now: dt.datetime) -> list[SlotHold]:
    """Lock the expired ``held`` holds of one slot that nobody else is locking (never waits)."""
    return list(
        SlotHold.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(slot_id=slot_id, status=HoldStatus.HELD, expires_at__lte=now)
        .order_by("pk")
    )


def compartments_lock(*, point_id: int, sizes: Iterable[str], temperature: str) -> list[LockerCompartment]:
    """Lock the active compartments of a locker bank that fit ``sizes`` and ``temperature``."""
    return list(
        LockerCompartment.objects.select_for_update()
        .filter(point_id=point_id, size__in=list(sizes), temperature=temperature, is_active=True)
        .order_by("pk")
    )


def delivery_bookings_of_basket_lock(*, basket_id: int):
    """Lock the basket's delivery booking still ``held`` (at most one)."""
    return list(DeliveryBooking.objects.select_for_update(of=("self",))
                .filter(basket_id=basket_id, status=HoldStatus.HELD).order_by("pk"))


def delivery_booking_lock(*, booking_id: int):
    return DeliveryBooking.objects.select_for_update(of=("self",)).get(pk=booking_id)


def delivery_bookings_expired_lock(*, now: dt.datetime, limit: int):
    """Up to ``limit`` expired held delivery bookings nobody else is locking (never waits)."""
    return list(DeliveryBooking.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=HoldStatus.HELD, expires_at__lte=now).order_by("pk")[:limit])


def delivery_bookings_expired_of_window_lock(*, window_id: int, now: dt.datetime):
    """The expired held bookings of one window nobody else is locking (after the window's lock; never waits)."""
    return list(DeliveryBooking.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(window_id=window_id, status=HoldStatus.HELD, expires_at__lte=now).order_by("pk"))


def delivery_windows_lock(*, window_ids: Iterable[int]):
    """Lock delivery windows in primary-key order; returns them by id."""
    ids = sorted(set(window_ids))
    return {w.pk: w for w in DeliveryWindow.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")}
