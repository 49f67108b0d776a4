"""Where an order waits at a collection point: a shelf at the town point, a compartment at a
locker bank. Assigned when the first shop part is dropped, freed when nothing is left."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from logistics import locks as logistics_locks
from logistics.models import LockerCompartment, PointKind, Temperature
from logistics.services.compartments import compartment_allocate
from marketplace.order.models import CancelReason, ShopOrder, ShopOrderStatus
from logistics.pickup.exceptions import NoCompartmentFree
from logistics.pickup.models import ParcelPlacement, PlacementEnd


def _compartment_free(*, point_id: int, wanted: LockerCompartment | None) -> LockerCompartment:
    """The compartment booked at checkout if it holds no parcel, else the smallest empty one at
    least as large and at the same temperature (``compartment_allocate``, logistics' one allocator)."""

    def occupied(ids: list[int]):
        return ParcelPlacement.objects.filter(compartment_id__in=ids, ended_at__isnull=True).values_list(
            "compartment_id", flat=True
        )

    compartment = compartment_allocate(
        point_id=point_id,
        size=wanted.size if wanted is not None else None,
        temperature=wanted.temperature if wanted is not None else Temperature.AMBIENT,
        taken=occupied,
        preferred=wanted,
    )
    if compartment is None:
        raise NoCompartmentFree()
    return compartment


def _shelf_free(*, point) -> int | None:
    """The lowest shelf place free at the point; ``None`` when it has no numbered shelves or all are taken
    (the parcel is then kept at the counter rather than refused)."""
    taken = set(
        ParcelPlacement.objects.filter(point=point, ended_at__isnull=True, shelf__isnull=False).values_list(
            "shelf", flat=True
        )
    )
    return next((n for n in range(1, point.shelf_capacity + 1) if n not in taken), None)


def placement_ensure(*, shop_order: ShopOrder) -> ParcelPlacement:
    """The order's place at the part's collection point, assigned on the first drop.

    Runs inside the drop's transaction, under the order's lock; the point's row lock
    serialises the assignment between orders, the partial unique indexes back it.
    Raises ``NoCompartmentFree`` (the drop is then refused, nothing changes).
    """
    point = logistics_locks.point_lock(point_id=shop_order.collection_point_id)
    current = ParcelPlacement.objects.filter(order_id=shop_order.order_id, point=point, ended_at__isnull=True).first()
    if current is not None:
        return current
    placement = ParcelPlacement(order_id=shop_order.order_id, point=point)
    if point.kind == PointKind.LOCKER_BANK:
        wanted = shop_order.slot_hold.compartment if shop_order.slot_hold_id else None
        placement.compartment = _compartment_free(point_id=point.pk, wanted=wanted)
    elif point.kind == PointKind.TOWN_POINT:
        placement.shelf = _shelf_free(point=point)
    placement.save()
    return placement


def _end_reason(order_id: int) -> str:
    """Collected if any part was, else expired if any part was not collected in time, else cancelled."""
    parts = list(ShopOrder.objects.filter(order_id=order_id).values_list("status", "cancel_reason"))
    if any(status == ShopOrderStatus.COLLECTED for status, _ in parts):
        return PlacementEnd.COLLECTED
    if any(reason == CancelReason.NO_SHOW for _, reason in parts):
        return PlacementEnd.EXPIRED
    return PlacementEnd.CANCELLED


def placements_end(*, order, now: dt.datetime | None = None) -> int:
    """Free the order's shelf places and compartments (collected, expired or cancelled)."""
    now = now or timezone.now()
    active = ParcelPlacement.objects.filter(order=order, ended_at__isnull=True)
    if not active.exists():
        return 0
    return active.update(ended_at=now, end_reason=_end_reason(order.pk))
