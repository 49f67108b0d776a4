"""Taking the payment at checkout: authorise (hold) the order total on the shopper's card.

Oscar takes the payment before it creates the order, under the order number it has
already chosen (one per basket), so the payment is keyed by that number: two clicks
on "Payer" lock the same row, the second waits for the first and finds the card
already authorised. The idempotency key is (order, attempt): an outage keeps the
attempt, so the retry sends the same key; a declined card or another card starts a
new attempt (Stripe would replay the decline otherwise).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from marketplace.core.db import row_insert_unless_exists

from .. import locks, selectors, stripe_api
from ..errors import (
    PaymentActionRequired,
    PaymentDeclined,
    PaymentError,
    PaymentUnavailable,
    ShopsCannotReceivePayments,
)
from ..models import EntryKind, LedgerEntry, Payment, PaymentPart, PaymentStatus, StripeCall
from ..orders import shop_amounts
from ..split import to_cents
from .calls import call_prepare, call_run

logger = logging.getLogger(__name__)

DONE = (PaymentStatus.AUTHORISED, PaymentStatus.CAPTURED)


def payment_authorise(
    *,
    order_number: str,
    amount: Decimal,
    shop_ids: Iterable[int],
    payment_method: str,
    currency: str = "eur",
    email: str = "",
) -> Payment:
    """Hold ``amount`` (incl. VAT) on the card for order ``order_number``.

    Raises ``ShopsCannotReceivePayments`` (nothing is asked of Stripe), ``PaymentDeclined``,
    ``PaymentActionRequired`` (3-D Secure: the intent and its client secret),
    ``PaymentUnavailable`` (retry: the same key will be sent) or ``PaymentError``.
    """
    unable = selectors.shops_unable_to_receive_payments(shop_ids=shop_ids)
    if unable:
        raise ShopsCannotReceivePayments([shop.name for shop in unable])
    amount_cents = to_cents(amount)
    if amount_cents <= 0:
        raise PaymentError("Le montant à payer doit être positif.", code="amount_invalid")
    if not payment_method or len(payment_method) > 64:
        raise PaymentError("Choisissez un moyen de paiement.", code="payment_method_missing")
    # Committed on its own before any call to Stripe (one statement; a second click finds it).
    row_insert_unless_exists(Payment(order_number=order_number, amount_cents=amount_cents, currency=currency,
                                     payment_method=payment_method))
    outcome: PaymentError | None = None
    with transaction.atomic():
        payment = locks.payment_of_order_lock(order_number=order_number)
        same = payment.amount_cents == amount_cents and payment.payment_method == payment_method
        if payment.status in DONE and payment.amount_cents == amount_cents:
            return payment  # a second click, or the retry of a request whose answer was lost
        if payment.status == PaymentStatus.REQUIRES_ACTION and same:
            outcome = _action_check(payment)
            if outcome is None:
                return payment
        elif payment.status == PaymentStatus.CAPTURED:
            raise PaymentError("Cette commande est déjà payée.", code="already_captured")
        else:
            if payment.status in (PaymentStatus.AUTHORISED, PaymentStatus.REQUIRES_ACTION):
                _intent_abandon(payment)  # another amount or card: release the old hold first
            if _new_attempt_needed(payment, same=same):
                payment.attempt += 1
            payment.amount_cents, payment.currency, payment.payment_method = amount_cents, currency, payment_method
            payment.status = PaymentStatus.PENDING
            outcome = _intent_create(payment, email=email)
        payment.save()
    if outcome is not None:
        raise outcome
    return payment


def _new_attempt_needed(payment: Payment, *, same: bool) -> bool:
    """A pending attempt whose request may not have reached Stripe is retried with its
    key; anything else (a decline, another card or amount, a released hold) is new.
    ``payment`` comes from ``locks.payment_of_order_lock``, which read ``authorise_sent``."""
    if payment.status != PaymentStatus.PENDING:
        return True
    return payment.authorise_sent and not same


def _intent_create(payment: Payment, *, email: str) -> PaymentError | None:
    call = call_prepare(payment=payment, operation="authorise", attempt=payment.attempt)
    try:
        intent = call_run(
            call,
            stripe_api.payment_intent_create,
            amount_cents=payment.amount_cents,
            currency=payment.currency,
            transfer_group=payment.transfer_group,
            payment_method=payment.payment_method,
            metadata={"order_number": payment.order_number, **({"email": email} if email else {})},
        )
    except PaymentActionRequired as pending:
        payment.status, payment.intent_id, payment.client_secret = (
            PaymentStatus.REQUIRES_ACTION, pending.intent_id, pending.client_secret,
        )
        payment.last_error = ""
        return pending
    except PaymentUnavailable as error:
        payment.last_error = str(error)  # still pending: the retry sends the same key
        return error
    except PaymentDeclined as error:
        payment.status, payment.last_error = PaymentStatus.FAILED, str(error)
        return error
    except PaymentError as error:
        payment.status, payment.last_error = PaymentStatus.FAILED, str(error)
        return error
    _authorised(payment, intent_id=intent.id, amount_cents=intent.amount_cents,
                charge_id=intent.latest_charge_id or "", call=call)
    return None


def _authorised(payment: Payment, *, intent_id: str, amount_cents: int, charge_id: str, call: StripeCall) -> None:
    payment.status, payment.intent_id, payment.charge_id = PaymentStatus.AUTHORISED, intent_id, charge_id
    payment.amount_authorised_cents, payment.authorised_at = amount_cents, timezone.now()
    payment.client_secret, payment.last_error = "", ""
    # Once per call (the unique index): a replayed authorisation does not record it twice.
    row_insert_unless_exists(LedgerEntry(
        call=call, shop=None, kind=EntryKind.AUTHORISATION, payment=payment, order_number=payment.order_number,
        amount_cents=amount_cents, stripe_id=intent_id,
    ))


def _action_check(payment: Payment) -> PaymentError | None:
    """The shopper is back from 3-D Secure (or clicked again): where is the intent now?"""
    try:
        intent = stripe_api.payment_intent_retrieve(intent_id=payment.intent_id)
    except PaymentError as error:
        return error
    if intent.status == "requires_capture":
        call = StripeCall.objects.filter(payment=payment, stripe_id=intent.id).order_by("-pk").first()
        _authorised(payment, intent_id=intent.id, amount_cents=intent.amount_capturable_cents or intent.amount_cents,
                    charge_id=intent.latest_charge_id or "", call=call)
        payment.save()
        return None
    if intent.status == "requires_action":
        return PaymentActionRequired(intent_id=intent.id, client_secret=payment.client_secret)
    payment.status = PaymentStatus.FAILED
    payment.last_error = "La confirmation bancaire a échoué. Essayez à nouveau ou avec une autre carte."
    payment.save()
    return PaymentDeclined(payment.last_error, code=intent.last_error_code or "authentication_failed")


def payment_action_complete(*, order_number: str) -> Payment:
    """After 3-D Secure: the payment, authorised if the bank confirmed (else raises)."""
    with transaction.atomic():
        payment = locks.payment_lock(payment_id=Payment.objects.get(order_number=order_number).pk)
        if payment.status in DONE:
            return payment
        if payment.status != PaymentStatus.REQUIRES_ACTION:
            outcome = PaymentError("Aucun paiement n’attend de confirmation pour cette commande.", code="no_action")
        else:
            outcome = _action_check(payment)
    if outcome is not None:
        raise outcome
    return payment


def _intent_abandon(payment: Payment) -> None:
    """Cancel the intent of an earlier attempt (its hold, if any, is released)."""
    call = call_prepare(payment=payment, operation=f"abandon-{payment.intent_id}")
    try:
        call_run(call, stripe_api.payment_intent_cancel, intent_id=payment.intent_id)
    except PaymentUnavailable:
        raise
    except PaymentError as error:  # already canceled or failed: nothing is held
        logger.info("Order %s: earlier intent %s not cancelled (%s)", payment.order_number, payment.intent_id, error.code)
    else:
        if payment.status == PaymentStatus.AUTHORISED:
            LedgerEntry.objects.get_or_create(
                call=call, shop=None, kind=EntryKind.RELEASE,
                defaults={"payment": payment, "order_number": payment.order_number,
                          "amount_cents": payment.amount_authorised_cents, "stripe_id": payment.intent_id},
            )
    payment.amount_authorised_cents, payment.intent_id, payment.charge_id, payment.client_secret = 0, "", "", ""


def payment_attach_order(*, order) -> Payment | None:
    """Link the payment taken under ``order.number`` to the placed order and record each
    shop's part with the commission rate of its plan today (idempotent)."""
    # No savepoint: called inside the order's transaction, any error here aborts the order.
    with transaction.atomic(savepoint=False):
        payment = locks.payment_of_order_lock(order_number=order.number)
        if payment is None:
            return None
        existing: set[int] = set()
        if payment.order_id is None:  # first link: parts are written with it, so there are none yet
            payment.order = order
            payment.save(update_fields=["order", "updated_at"])
        else:
            existing = set(payment.parts.values_list("shop_id", flat=True))
        amounts = shop_amounts(order, current=False)
        plans = selectors.commission_plans_for(shop_ids=amounts)
        PaymentPart.objects.bulk_create([
            PaymentPart(payment=payment, shop_id=shop_id, commission_rate=plans[shop_id].rate,
                        gross_cents=amount.gross_cents, paid_cents=amount.paid_cents)
            for shop_id, amount in sorted(amounts.items()) if shop_id not in existing
        ])
    return payment
