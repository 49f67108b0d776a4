"""Writing a new order's shop orders (called by the checkout's placement, inside its transaction)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from logistics.models import CollectionPoint, Slot, SlotHold
from marketplace.order.models import Line, Order, ShopOrder, ShopOrderEvent, ShopOrderStatus
from shops.models import Shop


@dataclass
class ShopOrderPart:
    """What the checkout knows about one shop's part before the order exists."""

    shop: Shop
    collection_point: CollectionPoint
    slot: Slot | None  # None when delivered: the order's delivery booking says when
    slot_hold: SlotHold | None
    lines: list[Line] = field(default_factory=list)


def shop_orders_create(*, order: Order, parts: Sequence[ShopOrderPart]) -> list[ShopOrder]:
    """One ``ShopOrder`` per part (status new), its lines attached, totals from them."""
    created = []
    for part in parts:
        created.append(
            ShopOrder(
                order=order,
                shop=part.shop,
                collection_point=part.collection_point,
                slot=part.slot,
                slot_hold=part.slot_hold,
                total_incl_tax=sum((line.line_price_incl_tax for line in part.lines), Decimal("0.00")),
                total_excl_tax=sum((line.line_price_excl_tax for line in part.lines), Decimal("0.00")),
            )
        )
    ShopOrder.objects.bulk_create(created)
    for shop_order, part in zip(created, parts):
        for line in part.lines:
            line.shop_order = shop_order
    Line.objects.bulk_update([line for part in parts for line in part.lines], ["shop_order"])
    ShopOrderEvent.objects.bulk_create(
        [ShopOrderEvent(shop_order=so, from_status="", to_status=ShopOrderStatus.NEW) for so in created]
    )
    return created
