"""Orders nobody collects: a reminder the day after the slot, expiry after ``HALLE_NO_SHOW_DAYS``;
and the reminder a few hours before the slot. All run from Celery beat, and are safe
when two runs overlap: orders are claimed with SKIP LOCKED and re-read under their lock,
and the outbox records each (order, event) once.
"""
from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q, Subquery
from django.utils import formats, timezone

from marketplace.notifications.models import NotificationEvent, OrderNotification
from marketplace.notifications.services import notification_enqueue
from marketplace.order.models import OPEN_STATUSES, CancelReason, FulfilmentMode, Order, ShopOrder, ShopOrderStatus
from marketplace.order.services import shop_order_cancel
from logistics.pickup.models import ParcelPlacement, PickupCode, ReturnTask

logger = logging.getLogger(__name__)
S = ShopOrderStatus
#: A part waits for the shopper: ready at its shop, or dropped at the point.
_WAITING = Q(status=S.READY, order__fulfilment_mode=FulfilmentMode.AT_SHOPS) | Q(
    status=S.DROPPED, order__fulfilment_mode=FulfilmentMode.AT_POINT
)

_WAITING_ON_ORDER = Q(shop_orders__status=S.READY, fulfilment_mode=FulfilmentMode.AT_SHOPS) | Q(
    shop_orders__status=S.DROPPED, fulfilment_mode=FulfilmentMode.AT_POINT
)


def _no_show_days() -> int:
    return int(settings.HALLE_NO_SHOW_DAYS)


#: A delivery that failed: the part waits at the town point from the time it was brought back.
_FAILED_DELIVERY = Q(status=S.DROPPED, order__fulfilment_mode=FulfilmentMode.DELIVERY)


def _waiting_parts(*, cutoff: dt.datetime):
    """Parts waiting for the shopper whose slot ended (or, after a failed delivery, that were
    brought back to the point) before ``cutoff``, on orders that have their code."""
    return ShopOrder.objects.filter(
        (_WAITING & Q(slot__ends_at__lte=cutoff)) | (_FAILED_DELIVERY & Q(dropped_at__lte=cutoff))
    ).filter(
        Exists(PickupCode.objects.filter(order=OuterRef("order"), is_open=True))
    )


def _orders_claim(*, cutoff: dt.datetime, limit: int) -> list[Order]:
    """Lock up to ``limit`` orders with expired parts, skipping those another run holds."""
    return list(
        Order.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__in=Subquery(_waiting_parts(cutoff=cutoff).values("order_id")))
        .order_by("pk")[:limit]
    )


def _order_expire(order: Order, *, cutoff: dt.datetime, now: dt.datetime) -> int:
    """Under the order's lock: cancel its parts still waiting past the cutoff (re-read: another
    run may have just done it), leave the merchants a "take the goods back" task."""
    parts = list(_waiting_parts(cutoff=cutoff).filter(order=order).select_related("shop", "collection_point"))
    placement = ParcelPlacement.objects.filter(order=order, ended_at__isnull=True).select_related("compartment").first()
    for part in parts:
        at_point = order.fulfilment_mode in (FulfilmentMode.AT_POINT, FulfilmentMode.DELIVERY)
        ReturnTask.objects.get_or_create(
            order=order,
            shop=part.shop,
            defaults={
                "point": part.collection_point if at_point else None,
                "location": placement.location if (at_point and placement) else "",
            },
        )
        # Stock back to the shop's free stock, slot booking released, order_cancelled
        # ("no_show") after commit for the refund; the outbox row, the code and the place
        # follow in this transaction (pickup.services.workflow).
        shop_order_cancel(shop_order=part, user=None, reason=CancelReason.NO_SHOW, now=now,
                          note="Non retirée dans le délai")
    return len(parts)


def no_shows_expire(*, now: dt.datetime | None = None, batch_size: int = 50) -> int:
    """Expire every order part not collected ``HALLE_NO_SHOW_DAYS`` days after its slot; returns
    how many parts this call expired."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=_no_show_days())
    expired = 0
    while True:
        with transaction.atomic():
            orders = _orders_claim(cutoff=cutoff, limit=batch_size)
            for order in orders:
                expired += _order_expire(order, cutoff=cutoff, now=now)
        if len(orders) < batch_size:
            return expired


def _local_midnight(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _not_yet(event: str):
    return ~Exists(OrderNotification.objects.filter(order=OuterRef("pk"), event=event))


def reminders_send(*, now: dt.datetime | None = None, limit: int = 500) -> dict:
    """Owe the "slot soon" and "you missed your slot" reminders that are due (each once per order)."""
    now = now or timezone.now()
    soon = now + dt.timedelta(hours=int(settings.HALLE_SLOT_REMINDER_HOURS))
    before = (
        Order.objects.annotate(
            first_slot=Min("shop_orders__slot__starts_at", filter=Q(shop_orders__status__in=OPEN_STATUSES))
        )
        .filter(first_slot__gt=now, first_slot__lte=soon)
        .filter(_not_yet(NotificationEvent.SLOT_REMINDER))
        .order_by("first_slot")[:limit]
    )
    sent_before = 0
    for order in before:
        with transaction.atomic():
            sent_before += notification_enqueue(order=order, event=NotificationEvent.SLOT_REMINDER) is not None

    # The day after the slot: parts still waiting whose slot ended before today (town time),
    # not yet expired.
    today = _local_midnight(now)
    missed = (
        Order.objects.filter(pk__in=Subquery(_waiting_parts(cutoff=today).values("order_id")))
        .filter(_not_yet(NotificationEvent.MISSED_SLOT_REMINDER))
        .annotate(first_waiting_end=Min("shop_orders__slot__ends_at", filter=_WAITING_ON_ORDER))
        .order_by("pk")[:limit]
    )
    sent_missed = 0
    for order in missed:
        if order.first_waiting_end is None:
            continue  # a failed delivery (no slot): its e-mail already gave the deadline
        expires_at = order.first_waiting_end + dt.timedelta(days=_no_show_days())
        if expires_at <= now:
            continue  # the expiry job takes it from here
        label = formats.date_format(timezone.localtime(expires_at), "l j F à H\\hi")
        with transaction.atomic():
            sent_missed += notification_enqueue(
                order=order,
                event=NotificationEvent.MISSED_SLOT_REMINDER,
                payload={"expires_on_label": label, "expires_at": expires_at.isoformat()},
            ) is not None
    return {"slot_reminders": sent_before, "missed_slot_reminders": sent_missed}
