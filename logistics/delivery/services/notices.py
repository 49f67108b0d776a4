"""What home delivery owes the shopper when a delivered part changes state (in its transaction).

Called by ``marketplace.order.consequences.shop_order_changed`` after pickup's consequences,
so that a failed delivery's e-mail can show the pickup code pickup has just issued. Each
e-mail is an outbox row, once per order (the notification's unique constraint): a round
start, a retried tap or a second part changing state owes nothing more.
"""
from __future__ import annotations

from django.utils import timezone

from marketplace.notifications.models import NotificationEvent
from marketplace.notifications.services import notification_enqueue
from marketplace.order.models import FulfilmentMode, ShopOrder, ShopOrderStatus

S = ShopOrderStatus


def _eta(order) -> str:
    from logistics.delivery.models import RoundStop, StopKind

    stop = (RoundStop.objects.filter(booking__order_id=order.pk, kind=StopKind.DELIVERY)
            .order_by("-round_id", "position").first())
    return timezone.localtime(stop.arrives_at).strftime("%H:%M") if stop else ""


def delivery_after_shop_order_event(*, event) -> None:
    shop_order = event.shop_order
    order = shop_order.order
    if order.fulfilment_mode != FulfilmentMode.DELIVERY or event.from_status == event.to_status:
        return
    booking = getattr(order, "delivery", None)
    if event.to_status == S.OUT_FOR_DELIVERY:
        window = ""
        if booking is not None:
            start, end = timezone.localtime(booking.window.starts_at), timezone.localtime(booking.window.ends_at)
            window = f"{start:%H:%M}–{end:%H:%M}"
        notification_enqueue(order=order, event=NotificationEvent.OUT_FOR_DELIVERY, payload={
            "eta": _eta(order), "window": window,
            "address": ", ".join(booking.address_lines) if booking is not None else "",
        })
    elif event.from_status == S.OUT_FOR_DELIVERY and event.to_status == S.COLLECTED:
        if not ShopOrder.objects.filter(order=order, status=S.OUT_FOR_DELIVERY).exists():
            notification_enqueue(order=order, event=NotificationEvent.ORDER_DELIVERED,
                                 payload={"received_by": event.note})
    elif event.from_status == S.OUT_FOR_DELIVERY and event.to_status == S.DROPPED:
        point = shop_order.collection_point
        notification_enqueue(order=order, event=NotificationEvent.DELIVERY_FAILED, payload={
            "reason": event.note, "point": point.name, "point_address": point.address,
        })
