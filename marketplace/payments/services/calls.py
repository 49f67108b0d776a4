"""Stripe writes with a stored, deterministic idempotency key.

``call_prepare`` stores the key before the request; ``call_run`` sends it and records
the outcome. The key names the payment (or account), the operation and the state the
operation starts from, so a retry (Celery, a second click, a crash between Stripe's
answer and our commit) sends the same key and Stripe replays its first answer.
"""
from __future__ import annotations

import logging

from marketplace.core.db import row_insert_unless_exists

from ..errors import PaymentActionRequired, PaymentError
from ..models import Payment, ShopPaymentAccount, StripeCall

logger = logging.getLogger(__name__)


def _key(*, payment: Payment | None, account: ShopPaymentAccount | None, operation: str, attempt: int) -> str:
    if payment is not None:
        scope = f"order-{payment.order_number}-{payment.uid.hex[:12]}"
    else:
        scope = f"shop-{account.shop_id}-{account.uid.hex[:12]}"
    return f"halle-{scope}-{operation}-a{attempt}"[:255]


def call_prepare(
    *, operation: str, payment: Payment | None = None, account: ShopPaymentAccount | None = None, attempt: int = 1
) -> StripeCall:
    """The stored call for this operation (created on first use, the same one on every retry)."""
    if (payment is None) == (account is None):
        raise ValueError("A Stripe call belongs to a payment or to a shop's account.")
    key = _key(payment=payment, account=account, operation=operation, attempt=attempt)
    call = StripeCall(payment=payment, account=account, operation=operation[:160], attempt=attempt,
                      idempotency_key=key)
    if row_insert_unless_exists(call):  # one statement, no savepoint: the usual first call
        return call
    return StripeCall.objects.get(idempotency_key=key)


def call_run(call: StripeCall, function, **kwargs):
    """Send ``function(idempotency_key=call's key, **kwargs)`` and record how it went.

    The caller runs this inside its transaction and must commit even when it raises,
    so that the failure (and the key) are kept: see ``settlement._step``.
    """
    try:
        result = function(idempotency_key=call.idempotency_key, **kwargs)
    except PaymentActionRequired as pending:
        call.status, call.stripe_id, call.error_code = StripeCall.Status.SUCCEEDED, pending.intent_id, "requires_action"
        call.save(update_fields=["status", "stripe_id", "error_code", "updated_at"])
        raise
    except PaymentError as error:
        call.status, call.error_code = StripeCall.Status.FAILED, (error.code or "error")[:64]
        call.save(update_fields=["status", "error_code", "updated_at"])
        raise
    call.status, call.stripe_id, call.error_code = StripeCall.Status.SUCCEEDED, getattr(result, "id", "")[:64], ""
    call.save(update_fields=["status", "stripe_id", "error_code", "updated_at"])
    return result
