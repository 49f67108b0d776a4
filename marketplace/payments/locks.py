"""The only module that takes row locks on payment rows.

Call inside ``transaction.atomic()``. Payment rows come last in the project's one
lock order (``marketplace.order.locks``); among them, a shop's ``ShopPaymentAccount``
first, then ``Payment`` rows in primary-key order. A payment's
lock is held across the one Stripe call of a step, so two workers (or two clicks on
"Payer") never both act on the same payment: the second waits and then finds the step done.
"""
from __future__ import annotations

from django.db.models import Exists, OuterRef

from .models import Payment, ShopPaymentAccount, StripeCall, WebhookEvent


def payment_lock(*, payment_id: int) -> Payment:
    return Payment.objects.select_for_update(of=("self",)).get(pk=payment_id)


def payment_of_order_lock(*, order_number: str) -> Payment | None:
    """The order's payment, locked, with ``authorise_sent``: whether its current attempt's
    authorisation call is stored (read in the same statement as the lock)."""
    sent = StripeCall.objects.filter(payment=OuterRef("pk"), operation="authorise", attempt=OuterRef("attempt"))
    return (
        Payment.objects.select_for_update(of=("self",))
        .annotate(authorise_sent=Exists(sent))
        .filter(order_number=order_number)
        .first()
    )


def account_lock(*, account_id: int) -> ShopPaymentAccount:
    return ShopPaymentAccount.objects.select_for_update(of=("self",)).get(pk=account_id)


def webhook_event_lock(*, event_id: str) -> WebhookEvent:
    return WebhookEvent.objects.select_for_update().get(event_id=event_id)
