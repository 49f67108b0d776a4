"""Holding a basket's slot(s) while the shopper pays; converting, releasing and expiring holds.

A basket collected in one place holds one slot (``shop`` ``None``); a basket
collected at each shop's counter holds one slot per shop (keyed by the shop's id).
The checkout (``marketplace.checkout.services``) decides when holds expire.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from logistics import locks
from logistics.exceptions import CompartmentUnavailable, HoldExpired, HoldInvalid, SlotError, SlotFull, SlotUnavailable
from logistics.models import CollectionPoint, HoldStatus, LockerCompartment, PointKind, Slot, SlotHold, Temperature
from logistics.selectors import compartment_holds_overlapping
from logistics.services.compartments import compartment_allocate

#: A basket's part: the id of the shop whose counter it is collected at, ``None`` for the whole basket.
Part = int | None


def _check_bookable(*, slot: Slot, point: CollectionPoint, now: dt.datetime) -> None:
    if not point.is_active:
        raise SlotUnavailable("Ce point de retrait n'est plus en service.")
    if slot.starts_at <= now:
        raise SlotUnavailable("Ce créneau est déjà passé : choisissez-en un autre.")
    if slot.needs_attention:
        raise SlotUnavailable("Ce créneau n'est plus proposé : choisissez-en un autre.")


def _release(hold: SlotHold, slot: Slot) -> None:
    """Release a locked ``held`` hold of the locked ``slot``."""
    hold.status = HoldStatus.RELEASED
    hold.save(update_fields=["status", "updated_at"])
    slot.held -= 1
    slot.save(update_fields=["held"])


def compartment_for_slot(
    *, slot: Slot, size: str | None = None, temperature: str = Temperature.AMBIENT, now: dt.datetime
) -> LockerCompartment:
    """A compartment of the slot's locker bank free for the whole slot (``compartment_allocate``):
    the smallest of ``size`` or larger at ``temperature``. Raises ``CompartmentUnavailable``."""

    def taken(ids: list[int]):
        holds = compartment_holds_overlapping(compartment_ids=ids, starts_at=slot.starts_at, ends_at=slot.ends_at, now=now)
        return holds.values_list("compartment_id", flat=True)

    compartment = compartment_allocate(point_id=slot.point_id, size=size, temperature=temperature, taken=taken)
    if compartment is None:
        raise CompartmentUnavailable()
    return compartment


def _basket_id_checked(basket_id) -> int:
    if isinstance(basket_id, bool) or not isinstance(basket_id, int) or basket_id <= 0:
        raise HoldInvalid("Panier inconnu : rechargez la page et réessayez.")
    return basket_id


def basket_slots_hold(
    *,
    basket_id: int,
    wanted: Mapping[Part, tuple[int, int]],
    now: dt.datetime,
    expires_at: dt.datetime,
    points: Mapping[int, CollectionPoint] | None = None,
) -> dict[Part, SlotHold]:
    """Hold one slot per part of a basket until ``expires_at``, replacing every slot the basket
    held; all or nothing.

    ``wanted`` maps a part (``None`` for the whole basket, else a shop id) to ``(slot id,
    point id)``: a slot of another point is refused. Slots are locked together in id
    order, so baskets holding several slots never deadlock. At a locker bank each hold
    takes a free compartment (``compartment_for_slot``: any size, ambient). ``points``:
    the wanted points as the caller already read them (read here otherwise).

    Raises ``SlotFull``/``CompartmentUnavailable`` or ``SlotUnavailable`` (with the
    part in ``error.part``); call it inside the caller's transaction, which then rolls back.
    """
    basket_id = _basket_id_checked(basket_id)
    # No savepoint: a refusal raises, and the caller's whole transaction rolls back.
    with transaction.atomic(savepoint=False):
        previous = locks.holds_of_basket_lock(basket_id=basket_id)
        slots = locks.slots_lock(slot_ids=[slot_id for slot_id, _ in wanted.values()] + [h.slot_id for h in previous])
        for hold in previous:
            _release(hold, slots[hold.slot_id])
        point_ids = {point_id for _, point_id in wanted.values()}
        if points is None or not point_ids <= set(points):
            points = CollectionPoint.objects.in_bulk(list(point_ids))
        held: dict[Part, SlotHold] = {}
        for part in sorted(wanted, key=lambda p: -1 if p is None else p):
            slot_id, point_id = wanted[part]
            try:
                held[part] = _hold_locked(slots.get(slot_id), point=points.get(point_id), basket_id=basket_id,
                                          shop_id=part, now=now, expires_at=expires_at)
            except SlotError as error:
                error.part = part
                raise
    return held


def _hold_locked(
    slot: Slot | None, *, point: CollectionPoint | None, basket_id: int, shop_id: Part, now: dt.datetime,
    expires_at: dt.datetime,
) -> SlotHold:
    if slot is None or point is None:
        raise SlotUnavailable("Ce créneau n'existe pas.")
    if slot.point_id != point.pk:
        raise SlotUnavailable("Ce créneau n'appartient pas à ce point de retrait.")
    _check_bookable(slot=slot, point=point, now=now)
    if slot.held > 0:  # under the slot's lock ``held`` counts its held holds: none, none expired
        for hold in locks.holds_expired_of_slot_lock(slot_id=slot.pk, now=now):
            _release(hold, slot)
    if slot.remaining <= 0:
        raise SlotFull()
    compartment = compartment_for_slot(slot=slot, now=now) if point.kind == PointKind.LOCKER_BANK else None
    slot.held += 1
    slot.save(update_fields=["held"])
    try:  # no savepoint: on a refusal the caller's transaction rolls back whole
        return SlotHold.objects.create(slot=slot, basket_id=basket_id, shop_id=shop_id, compartment=compartment,
                                       expires_at=expires_at, status=HoldStatus.HELD)
    except IntegrityError:  # the same basket, in another request, held this part meanwhile
        raise HoldInvalid("Ce panier vient de retenir un créneau dans une autre fenêtre : rechargez la page.") from None


def basket_slots_convert(*, basket_id: int, parts: list[Part], now: dt.datetime | None = None) -> dict[Part, SlotHold]:
    """Turn the basket's holds for ``parts`` into bookings (the order is placed); all or nothing.

    Raises ``HoldExpired`` when a hold is missing, released or expired (the
    shopper must choose again); nothing is changed then.
    """
    now = now or timezone.now()
    # No savepoint: a refusal raises, and the caller's whole transaction rolls back.
    with transaction.atomic(savepoint=False):
        holds = {h.shop_id: h for h in locks.holds_of_basket_lock(basket_id=basket_id)}
        if set(holds) != set(parts) or any(h.expires_at <= now for h in holds.values()):
            raise HoldExpired()
        slots = locks.slots_lock(slot_ids=[h.slot_id for h in holds.values()])
        for hold in holds.values():
            hold.slot = slots[hold.slot_id]
            hold.status = HoldStatus.CONVERTED
            hold.save(update_fields=["status", "updated_at"])
            slot = slots[hold.slot_id]
            slot.held -= 1
            slot.booked += 1
            slot.save(update_fields=["held", "booked"])
    return holds


def holds_expire(*, now: dt.datetime | None = None, batch_size: int = 500) -> int:
    """Release every ``held`` hold expired at ``now``; returns how many this call released.

    Idempotent, and safe when run concurrently: each batch locks its holds with
    SKIP LOCKED, so two runs never release the same hold.
    """
    now = now or timezone.now()
    released = 0
    while True:
        with transaction.atomic():
            holds = locks.holds_expired_lock(now=now, limit=batch_size)
            if not holds:
                return released
            slots = locks.slots_lock(slot_ids=[hold.slot_id for hold in holds])
            for hold in holds:
                _release(hold, slots[hold.slot_id])
            released += len(holds)
        if len(holds) < batch_size:
            return released


def slot_booking_release(*, hold: SlotHold) -> SlotHold:
    """Give a booked slot back (its order was cancelled or not collected): ``booked`` − 1.

    At a locker bank the compartment is free again. Releasing twice, or a hold
    that was never converted, changes nothing.
    """
    with transaction.atomic():
        locked = locks.hold_lock(hold_id=hold.pk)
        if locked.status != HoldStatus.CONVERTED:
            return locked
        slot = locks.slots_lock(slot_ids=[locked.slot_id])[locked.slot_id]
        locked.status = HoldStatus.RELEASED
        locked.save(update_fields=["status", "updated_at"])
        slot.booked -= 1
        slot.save(update_fields=["booked"])
    return locked
