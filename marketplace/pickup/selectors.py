"""Reads of the pickup side: what an order page, an e-mail or a handover page shows."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from marketplace.pickup.models import ParcelPlacement, PickupCode
from marketplace.pickup.tokens import order_status_url


@dataclass
class PartLine:
    title: str
    quantity: int


@dataclass
class PartSummary:
    """One shop's part of an order."""

    shop_name: str
    status: str = ""
    status_label: str = ""
    lines: list[PartLine] = field(default_factory=list)
    shop_order_id: int | None = None


@dataclass
class PickupSummary:
    """Everything a shopper needs to collect an order."""

    number: str
    parts: list[PartSummary]
    slot_starts_at: dt.datetime | None = None
    slot_ends_at: dt.datetime | None = None
    point_name: str = ""
    point_address: str = ""
    code: str = ""
    code_display: str = ""
    code_open: bool = False
    location: str = ""
    status_url: str = ""


def pickup_code_of_order(*, order) -> PickupCode | None:
    try:
        return order.pickup_code
    except PickupCode.DoesNotExist:
        return None


def _parts_from_lines(order) -> list[PartSummary]:
    parts: dict[str, PartSummary] = {}
    for line in order.lines.all().order_by("pk"):
        name = line.partner_name or "Commerce"
        parts.setdefault(name, PartSummary(shop_name=name)).lines.append(
            PartLine(title=line.title, quantity=line.quantity)
        )
    return list(parts.values())


def order_pickup_summary(*, order) -> PickupSummary:
    code = pickup_code_of_order(order=order)
    placement = (
        ParcelPlacement.objects.filter(order=order, ended_at__isnull=True).select_related("compartment").first()
    )
    return PickupSummary(
        number=order.number,
        parts=_parts_from_lines(order),
        code=code.code if code else "",
        code_display=code.display if code else "",
        code_open=bool(code and code.is_open),
        location=placement.location if placement else "",
        status_url=order_status_url(order_number=order.number),
    )
