"""Reads of the pickup side: what an order page, an e-mail or a handover page shows."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, Q, QuerySet

from logistics.models import PointKind
from logistics.pickup.models import ParcelPlacement, PickupCode, PointStaff
from logistics.pickup.tokens import order_status_url
from marketplace.order.amounts import Amounts, ShopAmounts, order_amounts_get
from marketplace.order.models import FulfilmentMode, Order, ShopOrder, ShopOrderStatus
from marketplace.order.selectors import order_parts_prefetch

S = ShopOrderStatus

#: Not yet waiting for the shopper: not dropped at the point (collection in one place)…
NOT_DROPPED = (S.NEW, S.ACCEPTED, S.PREPARING, S.READY)
#: … not ready at the shop's counter (collection at each shop).
NOT_READY = (S.NEW, S.ACCEPTED, S.PREPARING)
_NOT_WAITING = Q(order__fulfilment_mode=FulfilmentMode.AT_POINT, status__in=NOT_DROPPED) | Q(
    order__fulfilment_mode=FulfilmentMode.AT_SHOPS, status__in=NOT_READY
)


@dataclass
class PartLine:
    title: str
    quantity: int
    unavailable: int = 0
    unit_price: Decimal | None = None  # incl. VAT, before discounts
    price: Decimal | None = None  # paid for the units supplied, after discounts


@dataclass
class PartSummary:
    """One shop's part of an order."""

    shop_name: str
    status: str = ""
    status_label: str = ""
    lines: list[PartLine] = field(default_factory=list)
    shop_order_id: int | None = None
    slot_starts_at: dt.datetime | None = None
    slot_ends_at: dt.datetime | None = None
    point_name: str = ""
    point_address: str = ""
    #: What this part costs now (after discounts and unavailable items; 0 once cancelled).
    subtotal: Decimal | None = None
    discount: Decimal | None = None


@dataclass
class PickupSummary:
    """Everything a shopper needs to collect an order."""

    number: str
    parts: list[PartSummary]
    at_point: bool = False
    slot_starts_at: dt.datetime | None = None
    slot_ends_at: dt.datetime | None = None
    point_name: str = ""
    point_address: str = ""
    code: str = ""
    code_display: str = ""
    code_open: bool = False
    location: str = ""
    status_url: str = ""
    can_cancel: bool = False
    #: The order as placed, and what it costs now (parts not cancelled, after unavailable items):
    #: the difference is not charged, or refunded.
    total: Decimal | None = None
    amount_due: Decimal | None = None
    currency: str = "EUR"
    #: Per shop, the discounts by name and the total, as every page and e-mail shows them.
    amounts: Amounts | None = None
    #: A delivered order: its booking (address, fee) and its window's label, « jeudi 14h00–16h00 ».
    delivery: object | None = None
    delivery_window: str = ""


def point_address_of(point, shop=None) -> str:
    """Where a collection point is: a shop's counter is at the shop's own address (its point
    row keeps no address of its own, or a copy from when it was made)."""
    if point.kind == PointKind.SHOP_COUNTER and shop is not None:
        return shop.address
    return point.address


def _part(shop_order: ShopOrder, amounts: ShopAmounts, delivery=None) -> PartSummary:
    when = shop_order.slot if shop_order.slot_id else getattr(delivery, "window", None)
    return PartSummary(
        shop_name=shop_order.shop.name,
        status=shop_order.status,
        status_label=str(S(shop_order.status).label),
        lines=[
            PartLine(title=line.title, quantity=line.quantity, unavailable=line.quantity_unavailable,
                     unit_price=money.unit_price, price=money.price)
            for line, money in zip(shop_order.lines.all(), amounts.lines)
        ],
        shop_order_id=shop_order.pk,
        slot_starts_at=when.starts_at if when else None,
        slot_ends_at=when.ends_at if when else None,
        point_name=shop_order.collection_point.name,
        point_address=point_address_of(shop_order.collection_point, shop_order.shop),
        subtotal=amounts.subtotal,
        discount=amounts.discount,
    )


def _delivery_of(order: Order):
    """The order's delivery booking (read with the order by ``order_for_pickup_get``), if delivered."""
    if order.fulfilment_mode != FulfilmentMode.DELIVERY:
        return None
    try:
        return order.delivery
    except ObjectDoesNotExist:
        return None


def order_for_pickup_get(**lookup) -> Order:
    """The order with its parts, their shop, slot, point and lines, its code and places (fixed query count)."""
    return (
        Order.objects.select_related("collection_point", "pickup_code", "delivery__window")
        .prefetch_related(
            order_parts_prefetch(),
            Prefetch(
                "placements",
                queryset=ParcelPlacement.objects.filter(ended_at__isnull=True).select_related("compartment"),
                to_attr="active_placements",
            ),
        )
        .get(**lookup)
    )


def pickup_code_of_order(*, order) -> PickupCode | None:
    try:
        return order.pickup_code
    except PickupCode.DoesNotExist:
        return None


def order_pickup_summary(*, order: Order) -> PickupSummary:
    """Build from an order loaded by ``order_for_pickup_get`` (or any order, with more queries)."""
    code = pickup_code_of_order(order=order)
    parts = list(order.shop_orders.all())
    amounts = order_amounts_get(order=order)
    placements = getattr(order, "active_placements", None)
    if placements is None:
        placements = list(ParcelPlacement.objects.filter(order=order, ended_at__isnull=True).select_related("compartment"))
    at_point = order.fulfilment_mode == FulfilmentMode.AT_POINT
    delivery = _delivery_of(order)
    open_parts = [p for p in parts if p.status != S.CANCELLED] or parts
    first = None
    if open_parts and delivery is None:
        first = min(open_parts, key=lambda p: p.slot.starts_at)
    summary = PickupSummary(
        number=str(order.number),
        parts=[_part(p, amounts.of_shop(p.shop_id), delivery) for p in parts],
        at_point=at_point,
        code=code.code if code else "",
        code_display=code.display if code else "",
        code_open=bool(code and code.is_open),
        location=placements[0].location if placements else "",
        status_url=order_status_url(order_number=order.number),
        can_cancel=bool(open_parts)
        and all(p.status in (S.NEW, S.ACCEPTED) for p in parts if p.status != S.CANCELLED)
        and any(p.status != S.CANCELLED for p in parts),
        total=order.total_incl_tax,
        amount_due=amounts.total,
        currency=order.currency,
        amounts=amounts,
    )
    if delivery is not None:
        from logistics.delivery.selectors import delivery_fee_due, window_label

        summary.delivery, summary.delivery_window = delivery, window_label(delivery.window)
        summary.slot_starts_at, summary.slot_ends_at = delivery.window.starts_at, delivery.window.ends_at
        summary.amount_due = (summary.amount_due or 0) + delivery_fee_due(booking=delivery, amounts=amounts)
    if first is not None:
        summary.slot_starts_at, summary.slot_ends_at = first.slot.starts_at, first.slot.ends_at
        if at_point:
            point = order.collection_point
            summary.point_name, summary.point_address = point.name, point.address
    return summary


def points_of_staff(*, user) -> list:
    """The collection points where ``user`` hands over orders."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [link.point for link in PointStaff.objects.filter(user=user, point__is_active=True).select_related("point")]


def shop_orders_late(*, now: dt.datetime) -> QuerySet[ShopOrder]:
    """Parts whose slot has started while they are not yet waiting for the shopper (not dropped
    at the point, or not ready at the shop), with their order, shop, slot and point; the
    longest late first. One query, whatever the number of parts."""
    return (
        ShopOrder.objects.filter(_NOT_WAITING, slot__starts_at__lte=now)
        .select_related("order", "shop", "slot", "collection_point")
        .order_by("slot__starts_at", "order__number", "shop__name", "pk")
    )


def shop_orders_to_drop_soon(*, now: dt.datetime, lead: dt.timedelta) -> QuerySet[ShopOrder]:
    """Parts of orders collected at a point, not dropped yet, whose slot starts within ``lead``
    (or has started) and has not ended."""
    return ShopOrder.objects.filter(
        order__fulfilment_mode=FulfilmentMode.AT_POINT,
        status__in=NOT_DROPPED,
        slot__starts_at__lte=now + lead,
        slot__ends_at__gt=now,
    )


# --- the collection point's day (its staff's page) ------------------------------------


@dataclass
class ExpectedOrder:
    order: Order
    parts: list[ShopOrder]

    @property
    def dropped(self) -> int:
        return sum(part.status in (S.DROPPED, S.COLLECTED) for part in self.parts)

    @property
    def all_here(self) -> bool:
        return all(part.status in (S.DROPPED, S.COLLECTED, S.CANCELLED) for part in self.parts)


@dataclass
class ExpectedSlot:
    starts_at: dt.datetime
    ends_at: dt.datetime
    orders: list[ExpectedOrder]


def point_expected_today(*, point, now: dt.datetime) -> list[ExpectedSlot]:
    """Orders to collect at ``point`` in today's slots (town day), by slot, with each shop's
    part and whether it is here yet; two queries whatever the number of orders."""
    from django.utils import timezone

    from logistics.timeutils import town_tz

    day = timezone.localtime(now, town_tz()).date()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=town_tz())
    parts = (
        ShopOrder.objects.filter(collection_point=point, order__fulfilment_mode=FulfilmentMode.AT_POINT,
                                 slot__starts_at__gte=start, slot__starts_at__lt=start + dt.timedelta(days=1))
        .exclude(status=S.CANCELLED)
        .select_related("order", "shop", "slot")
        .order_by("slot__starts_at", "order__number", "shop__name", "pk")
    )
    slots: dict[int, ExpectedSlot] = {}
    orders: dict[int, ExpectedOrder] = {}
    for part in parts:
        slot = slots.setdefault(part.slot_id, ExpectedSlot(part.slot.starts_at, part.slot.ends_at, []))
        if part.order_id not in orders:
            orders[part.order_id] = ExpectedOrder(order=part.order, parts=[])
            slot.orders.append(orders[part.order_id])
        orders[part.order_id].parts.append(part)
    return list(slots.values())


@dataclass
class WaitingParcel:
    placement: ParcelPlacement
    age: dt.timedelta
    slot_ends_at: dt.datetime | None
    slot_over: bool


def point_parcels_waiting(*, point, now: dt.datetime) -> list[WaitingParcel]:
    """Parcels on ``point``'s shelves or in its compartments now, the longest waiting first,
    with how long they have waited and whether their slot is over; two queries."""
    placements = (
        ParcelPlacement.objects.filter(point=point, ended_at__isnull=True)
        .select_related("order", "compartment")
        .prefetch_related(Prefetch("order__shop_orders", queryset=ShopOrder.objects.select_related("slot").order_by("pk")))
        .order_by("placed_at", "pk")
    )
    waiting = []
    for placement in placements:
        ends = [part.slot.ends_at for part in placement.order.shop_orders.all()]
        slot_end = max(ends) if ends else None
        waiting.append(WaitingParcel(placement=placement, age=now - placement.placed_at, slot_ends_at=slot_end,
                                     slot_over=slot_end is not None and slot_end <= now))
    return waiting
