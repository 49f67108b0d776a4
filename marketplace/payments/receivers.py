"""The order workflow's signals → payment tasks, after commit. Idempotent: they record a
fact that is the same the second time (ready, cancelled) and ask for a settlement,
which reads the order's current state."""
from __future__ import annotations

from django.dispatch import receiver
from marketplace.core.signals import order_cancelled, order_ready_to_capture, shop_order_reduced

from . import services
from .tasks import payment_settle_task


@receiver(order_ready_to_capture, dispatch_uid="payments.order_ready_to_capture")
def _order_ready_to_capture(sender, order, **kwargs):
    payment = services.payment_ready_mark(order=order)
    if payment is not None:
        payment_settle_task.delay_on_commit(payment.pk)


@receiver(shop_order_reduced, dispatch_uid="payments.shop_order_reduced")
def _shop_order_reduced(sender, shop_order, lines=(), amount=None, **kwargs):
    order = shop_order.order
    payment = getattr(order, "payment", None) if order is not None else None
    if payment is not None:
        payment_settle_task.delay_on_commit(payment.pk)


@receiver(order_cancelled, dispatch_uid="payments.order_cancelled")
def _order_cancelled(sender, order, shop_order=None, reason="shopper", **kwargs):
    shop_id = shop_order.shop_id if shop_order is not None else None
    payment = services.payment_part_cancel(order=order, shop_id=shop_id, reason=reason)
    if payment is not None:
        payment_settle_task.delay_on_commit(payment.pk)
