"""Everything a change of a shop order causes, called by the change itself, inside its transaction.

The order workflow (``marketplace.order.services``) calls these explicitly, so that a reader
following a transition sees all it does (no signal receivers):

* ``shop_order_changed`` — pickup (``logistics.pickup.services.workflow``): the pickup code
  and the "ready" e-mail, the parcel's shelf or compartment when it is dropped, the e-mails
  of a cancelled part or missing items, the code closed and the receipt owed once nothing
  is left to collect;
* ``shop_order_changed`` — home delivery (``logistics.delivery.services.notices``): the
  « en route », « livrée » and « livraison impossible » e-mails, once per order;
* ``order_ready_to_capture`` — no part waits for its merchant: the payment is marked ready;
* ``shop_order_reduced`` — items removed from a part: what is not sold is to be refunded;
* ``order_cancelled`` — a part (or the whole order) will not be collected: what it paid is
  to be refunded or released.

Rows are written in the change's transaction (the outbox, the payment's marks); the
settlement, which talks to Stripe, runs after commit (``payment_settle_task``).
"""
from __future__ import annotations

from logistics.delivery.services.notices import delivery_after_shop_order_event
from logistics.pickup.services.workflow import pickup_after_shop_order_event
from marketplace.payments import services as payments
from marketplace.payments.models import Payment
from marketplace.payments.tasks import payment_settle_task
from marketplace.promotions.services.ambassadors import referral_order_changed
from marketplace.promotions.services.budget import order_budget_update


def shop_order_changed(*, event) -> None:
    """``event`` (the audit row of the change, just written) for pickup, then for home delivery
    (its e-mails read the pickup code a failed delivery has just been given); an ambassador's
    reward is earned once the order is collected or delivered (``marketplace.promotions``)."""
    pickup_after_shop_order_event(event=event)
    delivery_after_shop_order_event(event=event)
    referral_order_changed(order=event.shop_order.order)


def _settle_after_commit(payment: Payment | None) -> None:
    if payment is not None:
        payment_settle_task.delay_on_commit(payment.pk)


def order_ready_to_capture(*, order) -> None:
    _settle_after_commit(payments.payment_ready_mark(order=order))


def shop_order_reduced(*, shop_order) -> None:
    order_budget_update(order=shop_order.order)  # the campaigns get back what is no longer sold
    _settle_after_commit(Payment.objects.filter(order_id=shop_order.order_id).first())


def order_cancelled(*, order, shop_order=None, reason: str) -> None:
    shop_id = shop_order.shop_id if shop_order is not None else None
    order_budget_update(order=order)  # before the payment's lock (lock order: promotions, then payments)
    _settle_after_commit(payments.payment_part_cancel(order=order, shop_id=shop_id, reason=reason))
