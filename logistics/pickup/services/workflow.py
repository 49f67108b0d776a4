"""What pickup does when a shop part changes state, inside the same transaction.

Called by every transition of ``marketplace.order.services`` (through
``marketplace.order.consequences``) with the change's audit row (``ShopOrderEvent``),
written under the order's lock, so that the pickup code, the parcel's place and the
shopper's e-mail are recorded atomically with the change that causes them, whoever
causes it (merchant, shopper, point staff, beat job).
"""
from __future__ import annotations

import hashlib

from marketplace.notifications.models import NotificationEvent
from marketplace.notifications.services import notification_enqueue
from marketplace.order.models import CancelReason, ShopOrder, ShopOrderEvent, ShopOrderStatus
from logistics.pickup.services.codes import pickup_close_if_done, pickup_code_issue_if_ready
from logistics.pickup.services.placements import placement_ensure

S = ShopOrderStatus


def _lines_payload(lines) -> list[dict]:
    return [{"title": line.title, "quantity": int(quantity)} for line, quantity in lines]


def _euros(amount) -> str:
    return f"{amount:.2f}".replace(".", ",")


def _amount(lines) -> str:
    """What ``(line, quantity)`` pairs cost the shopper, in euros: what is not charged (or refunded)."""
    return _euros(
        sum((line.line_price_incl_tax * quantity / line.quantity for line, quantity in lines if line.quantity), start=0)
    )


def _part_unavailable(shop_order: ShopOrder) -> None:
    """Every unit this part will not supply so far; a later, different reduction is a new e-mail."""
    lines = [line for line in shop_order.lines.all().order_by("pk") if line.quantity_unavailable]
    state = repr([(line.pk, line.quantity_unavailable) for line in lines])
    notification_enqueue(
        order=shop_order.order,
        event=NotificationEvent.PART_UNAVAILABLE,
        scope=f"shop_order:{shop_order.pk}:{hashlib.sha256(state.encode()).hexdigest()[:16]}",
        payload={
            "shop": shop_order.shop.name,
            "lines": _lines_payload((line, line.quantity_unavailable) for line in lines),
            "amount": _amount((line, line.quantity_unavailable) for line in lines),
        },
    )


def _cancelled(shop_order: ShopOrder) -> None:
    order = shop_order.order
    reason = shop_order.cancel_reason
    if reason == CancelReason.NO_SHOW:
        notification_enqueue(order=order, event=NotificationEvent.ORDER_EXPIRED, payload={"reason": reason})
    elif reason == CancelReason.SHOPPER or not ShopOrder.objects.filter(order=order).exclude(status=S.CANCELLED).exists():
        notification_enqueue(
            order=order,
            event=NotificationEvent.ORDER_CANCELLED,
            payload={"reason": reason, "shop": shop_order.shop.name if reason == CancelReason.MERCHANT else ""},
        )
    else:
        lines = [(line, line.quantity_remaining or line.quantity) for line in shop_order.lines.all().order_by("pk")]
        notification_enqueue(
            order=order,
            event=NotificationEvent.PART_UNAVAILABLE,
            scope=f"shop_order:{shop_order.pk}:cancelled",
            # The shopper is told what this part no longer costs, as for a partial reduction.
            payload={"shop": shop_order.shop.name, "lines": _lines_payload(lines), "amount": _amount(lines)},
        )
        pickup_code_issue_if_ready(order=order)  # the others may all be waiting already
    if pickup_close_if_done(order=order):
        _receipt_if_collected(order)


def _receipt_if_collected(order) -> None:
    """The order is closed: if the shopper took anything, they are owed one receipt."""
    if ShopOrder.objects.filter(order=order, status=S.COLLECTED).exists():
        notification_enqueue(order=order, event=NotificationEvent.ORDER_COLLECTED)


def pickup_after_shop_order_event(*, event: ShopOrderEvent) -> None:
    shop_order = event.shop_order
    to = event.to_status
    if event.from_status == to and to != S.CANCELLED:
        _part_unavailable(shop_order)
    elif to == S.DROPPED:
        placement_ensure(shop_order=shop_order)
        pickup_code_issue_if_ready(order=shop_order.order, notify=event.from_status != S.OUT_FOR_DELIVERY)
    elif to == S.READY:
        pickup_code_issue_if_ready(order=shop_order.order)
    elif to == S.CANCELLED:
        _cancelled(shop_order)
    elif to == S.COLLECTED and pickup_close_if_done(order=shop_order.order):
        _receipt_if_collected(shop_order.order)
