"""Issuing the pickup code when the order is ready, closing it when nothing is left to collect."""
from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.notifications.models import NotificationEvent
from marketplace.notifications.services import notification_enqueue
from marketplace.order.models import OPEN_STATUSES, Order, ShopOrder
from marketplace.order.selectors import order_all_parts_ready
from logistics.pickup.codes import code_generate
from logistics.pickup.models import PickupCode

logger = logging.getLogger(__name__)
DRAWS = 12


def _draw(order: Order) -> PickupCode:
    """A code no open order has: the partial unique index decides; a collision draws again."""
    for _ in range(DRAWS):
        try:
            with transaction.atomic():
                return PickupCode.objects.create(order=order, code=code_generate())
        except IntegrityError:
            if PickupCode.objects.filter(order=order).exists():
                raise
            logger.info("pickup code collision for order %s, drawing again", order.pk)
    raise RuntimeError("no free pickup code after %d draws" % DRAWS)


def pickup_code_issue_if_ready(*, order: Order, notify: bool = True) -> PickupCode | None:
    """Give the order its code and owe the shopper the "ready" e-mail, once every part due
    waits for them (ready at its shop, or dropped at the collection point).

    Call under the order's row lock (the workflow holds it): the last part is then
    decided once. Returns the code (new or existing), or ``None`` while not ready.
    """
    existing = PickupCode.objects.filter(order=order).first()
    if existing is not None:
        return existing
    if not order_all_parts_ready(order=order):
        return None
    code = _draw(order)
    if notify:  # a failed delivery sends its own e-mail with the code (``logistics.delivery``)
        notification_enqueue(order=order, event=NotificationEvent.ORDER_READY)
    return code


def pickup_close_if_done(*, order: Order, now: dt.datetime | None = None) -> bool:
    """Once no part is open (all collected or cancelled), close the code and free the places."""
    from logistics.pickup.services.placements import placements_end

    if ShopOrder.objects.filter(order=order, status__in=OPEN_STATUSES).exists():
        return False
    now = now or timezone.now()
    PickupCode.objects.filter(order=order, is_open=True).update(is_open=False, closed_at=now)
    placements_end(order=order, now=now)
    return True
