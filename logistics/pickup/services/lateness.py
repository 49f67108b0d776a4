"""Parts that are not where the shopper will look for them in time.

* ``HALLE_DROP_REMINDER_MINUTES`` before the slot, the merchant of each part of an order
  collected at a point that is not dropped yet gets one reminder (outbox scope
  ``shop_order:<id>``): the shopper's code waits for the last drop.
* Once the slot has started, an order with a part still not dropped at the point (or not
  ready at the shop's counter, for collection at each shop) is late: its shopper gets one
  "votre commande a du retard" e-mail, and the manager sees the part on ``/gestion/retards/``.

Run from Celery beat and safe when two runs overlap, like ``no_shows``: each order is
claimed with SKIP LOCKED and its parts re-read under that lock (the workflow changes a
part under the same lock, so a drop and a reminder never cross), and the outbox's unique
(order, event, scope) keeps every e-mail to one.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from marketplace.notifications.models import NotificationEvent, OrderNotification
from marketplace.notifications.services import notification_enqueue, shop_orders_notify
from marketplace.order.models import FulfilmentMode, Order
from logistics.pickup.selectors import shop_orders_late, shop_orders_to_drop_soon

E = NotificationEvent

#: The shopper's delay e-mail is only for slots that started this recently: a first run
#: (or beat back after an outage) does not write about orders long gone.
LATE_NOTICE_WINDOW = dt.timedelta(hours=24)


def _lead() -> dt.timedelta:
    return dt.timedelta(minutes=int(settings.HALLE_DROP_REMINDER_MINUTES))


def _not_reminded():
    # the scope of ``shop_orders_notify``, built in SQL
    scope = Concat(Value("shop_order:"), Cast(OuterRef("pk"), output_field=CharField()))
    return ~Exists(
        OrderNotification.objects.filter(order=OuterRef("order_id"), event=E.DROP_REMINDER, scope=scope)
    )


def _not_told_late():
    return ~Exists(OrderNotification.objects.filter(order=OuterRef("order_id"), event=E.ORDER_LATE))


def _order_ids(parts, *, limit: int) -> list[int]:
    """The orders of ``parts``, soonest slot first, each once."""
    ids = parts.order_by("slot__starts_at", "order_id").values_list("order_id", flat=True)[:limit]
    return list(dict.fromkeys(ids))


def _order_claim(order_id: int) -> Order | None:
    """The order, locked; ``None`` while another run or a merchant's change holds it (the next run retries)."""
    return Order.objects.select_for_update(skip_locked=True, of=("self",)).filter(pk=order_id).first()


def drop_reminders_send(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Owe each merchant whose part must be dropped soon its reminder (once per part); returns
    how many this call owed."""
    now = now or timezone.now()
    due = shop_orders_to_drop_soon(now=now, lead=_lead()).filter(_not_reminded())
    owed = 0
    for order_id in _order_ids(due, limit=limit):
        with transaction.atomic():
            order = _order_claim(order_id)
            if order is None:
                continue
            parts = due.filter(order=order).select_related("shop").order_by("pk")
            owed += shop_orders_notify(order=order, shop_orders=parts, event=E.DROP_REMINDER)
    return owed


def late_orders_notify(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Owe the shopper of each order that became late the delay e-mail (once per order);
    returns how many this call owed."""
    now = now or timezone.now()
    late = shop_orders_late(now=now).filter(slot__starts_at__gt=now - LATE_NOTICE_WINDOW)
    owed = 0
    for order_id in _order_ids(late.filter(_not_told_late()), limit=limit):
        with transaction.atomic():
            order = _order_claim(order_id)
            if order is None:
                continue
            parts = list(late.filter(order=order))
            if not parts:
                continue  # dropped or cancelled meanwhile
            owed += notification_enqueue(
                order=order,
                event=E.ORDER_LATE,
                payload={
                    "shops": sorted({part.shop.name for part in parts}),
                    "at_point": order.fulfilment_mode == FulfilmentMode.AT_POINT,
                },
            ) is not None
    return owed


def drops_watch(*, now: dt.datetime | None = None) -> dict:
    """The beat job: merchants' drop reminders, then the shoppers' delay e-mails."""
    now = now or timezone.now()
    return {"drop_reminders": drop_reminders_send(now=now), "late_orders": late_orders_notify(now=now)}
