"""Holding a slot while the shopper pays; releasing, converting and expiring holds."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from logistics import locks
from logistics.exceptions import (
    CompartmentUnavailable,
    HoldExpired,
    HoldInvalid,
    SlotError,
    SlotFull,
    SlotUnavailable,
)
from logistics.models import (
    SIZE_ORDER,
    CollectionPoint,
    CompartmentSize,
    HoldStatus,
    LockerCompartment,
    PointKind,
    Slot,
    SlotHold,
    Temperature,
)


def _hold_minutes() -> int:
    return int(getattr(settings, "HALLE_SLOT_HOLD_MINUTES", 15))


def sizes_fitting(size: str | None) -> list[str]:
    """Compartment sizes a parcel of ``size`` fits in, smallest first (all sizes for ``None``)."""
    if size is None:
        return list(SIZE_ORDER)
    return list(SIZE_ORDER[SIZE_ORDER.index(size):])


def _check_locker_request(compartment_size: str | None, temperature: str | None) -> str:
    if compartment_size is not None and compartment_size not in CompartmentSize.values:
        raise SlotUnavailable("Taille de casier inconnue : choisissez petit (S), moyen (M) ou grand (L).")
    if temperature is not None and temperature not in Temperature.values:
        raise SlotUnavailable("Température de casier inconnue : choisissez ambiant ou réfrigéré.")
    return temperature or Temperature.AMBIENT


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


def _compartment_free(*, slot: Slot, sizes: list[str], temperature: str, now: dt.datetime) -> LockerCompartment:
    """A compartment of the slot's locker bank free for the whole slot; the smallest that fits."""
    candidates = locks.compartments_lock(point_id=slot.point_id, sizes=sizes, temperature=temperature)
    busy = set(
        SlotHold.objects.filter(
            compartment__in=candidates,
            slot__starts_at__lt=slot.ends_at,
            slot__ends_at__gt=slot.starts_at,
        )
        .filter(Q(status=HoldStatus.CONVERTED) | Q(status=HoldStatus.HELD, expires_at__gt=now))
        .values_list("compartment_id", flat=True)
    )
    free = [c for c in candidates if c.pk not in busy]
    if not free:
        raise CompartmentUnavailable()
    return min(free, key=lambda c: (SIZE_ORDER.index(c.size), c.code, c.pk))


def slot_hold(
    *,
    slot: Slot | int,
    basket_id: str | int,
    compartment_size: str | None = None,
    temperature: str | None = None,
    point: CollectionPoint | None = None,
    now: dt.datetime | None = None,
) -> SlotHold:
    """Hold ``slot`` for the basket for ``HALLE_SLOT_HOLD_MINUTES``; at a locker bank, with a compartment.

    ``slot`` may be a slot or its id (from a form); with ``point``, a slot of another
    point is refused. The basket's previous held slot, if any, is released in the
    same transaction (a basket holds one slot). At a locker bank the hold takes the
    smallest free compartment of ``compartment_size`` or larger (any size when
    ``None``) at ``temperature`` (ambient when ``None``), free for the whole slot.

    Raises ``SlotFull`` ("Ce créneau est complet.") or ``CompartmentUnavailable``
    when no capacity remains, ``SlotUnavailable`` for an unknown, past, withdrawn or
    other point's slot or an inactive point; then nothing is changed.
    """
    now = now or timezone.now()
    basket_id = str(basket_id).strip()
    if not basket_id or len(basket_id) > 64:
        raise HoldInvalid("Panier inconnu : rechargez la page et réessayez.")
    slot_id = slot.pk if isinstance(slot, Slot) else slot
    try:
        slot_id = int(slot_id)
    except (TypeError, ValueError):
        raise SlotUnavailable("Ce créneau n'existe pas.") from None
    temperature = _check_locker_request(compartment_size, temperature)

    with transaction.atomic():
        previous = locks.holds_of_basket_lock(basket_id=basket_id)
        slots = locks.slots_lock(slot_ids=[slot_id, *(hold.slot_id for hold in previous)])
        locked = slots.get(slot_id)
        if locked is None:
            raise SlotUnavailable("Ce créneau n'existe pas.")
        if point is not None and locked.point_id != point.pk:
            raise SlotUnavailable("Ce créneau n'appartient pas à ce point de retrait.")
        slot_point = CollectionPoint.objects.get(pk=locked.point_id)
        _check_bookable(slot=locked, point=slot_point, now=now)
        for hold in previous:
            _release(hold, slots[hold.slot_id])
        for hold in locks.holds_expired_of_slot_lock(slot_id=slot_id, now=now):
            _release(hold, locked)
        if locked.remaining <= 0:
            raise SlotFull()
        compartment = None
        if slot_point.kind == PointKind.LOCKER_BANK:
            compartment = _compartment_free(
                slot=locked, sizes=sizes_fitting(compartment_size), temperature=temperature, now=now
            )
        locked.held += 1
        locked.save(update_fields=["held"])
        return SlotHold.objects.create(
            slot=locked,
            basket_id=basket_id,
            compartment=compartment,
            expires_at=now + dt.timedelta(minutes=_hold_minutes()),
            status=HoldStatus.HELD,
        )


def slot_hold_release(*, hold: SlotHold, basket_id: str | int | None = None) -> SlotHold:
    """Give the held slot back (the shopper changed their mind). Releasing twice is harmless.

    Raises ``HoldInvalid`` for another basket's hold or a hold already converted
    into a booking; nothing is changed then.
    """
    with transaction.atomic():
        locked = locks.hold_lock(hold_id=hold.pk)
        if basket_id is not None and locked.basket_id != str(basket_id).strip():
            raise HoldInvalid("Ce créneau n'est pas retenu pour ce panier.")
        if locked.status == HoldStatus.CONVERTED:
            raise HoldInvalid("Ce créneau est déjà réservé pour une commande : il ne peut plus être libéré ici.")
        if locked.status == HoldStatus.HELD:
            slot = locks.slots_lock(slot_ids=[locked.slot_id])[locked.slot_id]
            _release(locked, slot)
    return locked


def slot_hold_convert(*, hold: SlotHold, now: dt.datetime | None = None) -> SlotHold:
    """Turn a valid hold into a booking (the order is placed): ``held`` − 1, ``booked`` + 1.

    Raises ``HoldExpired`` for an expired hold and ``HoldInvalid`` for a released or
    already converted one; nothing is changed then.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = locks.hold_lock(hold_id=hold.pk)
        if locked.status == HoldStatus.CONVERTED:
            raise HoldInvalid("Ce créneau est déjà réservé pour cette commande.")
        if locked.status == HoldStatus.RELEASED or locked.expires_at <= now:
            raise HoldExpired()
        slot = locks.slots_lock(slot_ids=[locked.slot_id])[locked.slot_id]
        locked.status = HoldStatus.CONVERTED
        locked.save(update_fields=["status", "updated_at"])
        slot.held -= 1
        slot.booked += 1
        slot.save(update_fields=["held", "booked"])
    return locked


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


# --- one basket, several parts ----------------------------------------------------------
# A basket collected in one place holds one slot (key ``<basket>``); a basket collected
# at each shop holds one slot per shop (keys ``<basket>:<shop id>``).


def basket_part_key(*, basket_id: str | int, part: str | int | None) -> str:
    return str(basket_id) if part is None else f"{basket_id}:{part}"


def basket_part_of(hold: SlotHold) -> str | None:
    """The part a hold was taken for (``None``: the whole basket)."""
    _basket, sep, part = hold.basket_id.partition(":")
    return part if sep else None


def basket_slots_hold(
    *,
    basket_id: str | int,
    wanted: dict[str | None, tuple[int, int]],
    now: dt.datetime | None = None,
    expires_at: dt.datetime | None = None,
    points: Mapping[int, CollectionPoint] | None = None,
) -> dict[str | None, SlotHold]:
    """Hold one slot per part of a basket, replacing every slot the basket held; all or nothing.

    ``wanted`` maps a part (``None`` for the whole basket, else a shop id as text)
    to ``(slot id, point id)``: a slot of another point is refused. Slots are
    locked together in id order, so baskets holding several slots never deadlock.
    At a locker bank each hold takes a free compartment (any size, ambient).
    Holds expire at ``expires_at`` (default: ``HALLE_SLOT_HOLD_MINUTES`` from now).
    ``points``: the wanted points as the caller already read them (points are not
    locked: read here otherwise, with the same freshness).

    Raises ``SlotFull``/``CompartmentUnavailable`` or ``SlotUnavailable`` (with the
    part in ``error.part``); nothing is changed then.
    """
    now = now or timezone.now()
    expires_at = expires_at or now + dt.timedelta(minutes=_hold_minutes())
    basket_id = str(basket_id).strip()
    if not basket_id or len(basket_id) > 40:
        raise HoldInvalid("Panier inconnu : rechargez la page et réessayez.")
    # No savepoint: a refusal raises, and the caller's whole transaction rolls back.
    with transaction.atomic(savepoint=False):
        previous = locks.holds_of_basket_parts_lock(basket_id=basket_id)
        slots = locks.slots_lock(slot_ids=[slot_id for slot_id, _ in wanted.values()] + [h.slot_id for h in previous])
        for hold in previous:
            _release(hold, slots[hold.slot_id])
        point_ids = {point_id for _, point_id in wanted.values()}
        if points is None or not point_ids <= set(points):
            points = CollectionPoint.objects.in_bulk(list(point_ids))
        held: dict[str | None, SlotHold] = {}
        for part in sorted(wanted, key=lambda p: "" if p is None else str(p)):
            slot_id, point_id = wanted[part]
            try:
                held[part] = _hold_locked(
                    slots.get(slot_id), point=points.get(point_id), key=basket_part_key(basket_id=basket_id, part=part),
                    now=now, expires_at=expires_at,
                )
            except SlotError as error:
                error.part = part
                raise
    return held


def _hold_locked(
    slot: Slot | None, *, point: CollectionPoint | None, key: str, now: dt.datetime, expires_at: dt.datetime
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
    compartment = None
    if point.kind == PointKind.LOCKER_BANK:
        compartment = _compartment_free(slot=slot, sizes=sizes_fitting(None), temperature=Temperature.AMBIENT, now=now)
    slot.held += 1
    slot.save(update_fields=["held"])
    return SlotHold.objects.create(
        slot=slot, basket_id=key, compartment=compartment, expires_at=expires_at, status=HoldStatus.HELD,
    )


def basket_slots_convert(
    *, basket_id: str | int, parts: list[str | None], now: dt.datetime | None = None
) -> dict[str | None, SlotHold]:
    """Turn the basket's holds for ``parts`` into bookings (the order is placed); all or nothing.

    Raises ``HoldExpired`` when a hold is missing, released or expired (the
    shopper must choose again); nothing is changed then.
    """
    now = now or timezone.now()
    # No savepoint: a refusal raises, and the caller's whole transaction rolls back.
    with transaction.atomic(savepoint=False):
        holds = {basket_part_of(h): h for h in locks.holds_of_basket_parts_lock(basket_id=str(basket_id))}
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
