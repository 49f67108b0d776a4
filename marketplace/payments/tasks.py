"""Celery tasks: thin wrappers over the services (idempotent, safe to run twice)."""
from __future__ import annotations

import logging

from celery import shared_task

from .errors import PaymentError, PaymentUnavailable

logger = logging.getLogger(__name__)


@shared_task(name="payments.settle", bind=True, max_retries=12)
def payment_settle_task(self, payment_id: int) -> str:
    """Capture, refund, reverse or transfer what the order needs now."""
    from .services import payment_settle

    try:
        payment = payment_settle(payment_id=payment_id)
    except PaymentUnavailable as error:
        if self.request.is_eager:  # in-process (demo): the beat sweep retries later
            logger.warning("Payment %s: Stripe unavailable, left for the next sweep", payment_id)
            return "unavailable"
        raise self.retry(exc=error, countdown=min(30 * 2**self.request.retries, 3600)) from error
    except PaymentError as error:  # refused by Stripe: recorded on the payment; the reconciliation flags it
        logger.error("Payment %s not settled: %s (%s)", payment_id, error.detail or error, error.code)
        return "error"
    return payment.status


@shared_task(name="payments.settle_for_shop")
def payments_settle_for_shop_task(shop_id: int) -> int:
    """A shop can now be paid: transfer what its captured orders owe it."""
    from .services import payments_owing, settle_quietly

    ids = payments_owing(shop_id=shop_id)
    for payment_id in ids:
        settle_quietly(payment_id=payment_id)
    return len(ids)


@shared_task(name="payments.holds_settle")
def payments_holds_settle_task() -> dict:
    """Capture (or release) holds before the bank's window ends; release orphan holds."""
    from .services import payments_holds_due, payments_orphans_release, settle_quietly

    due = payments_holds_due()
    for payment_id in due:
        settle_quietly(payment_id=payment_id)
    return {"due": len(due), "orphans_released": payments_orphans_release()}


@shared_task(name="payments.reconcile")
def payments_reconcile_task() -> dict:
    from .services import payments_reconcile

    report = payments_reconcile()
    return {"checked": report.checked, "opened": report.opened, "resolved": report.resolved}


@shared_task(name="payments.plan_changes_apply")
def plan_changes_apply_task() -> int:
    """Write the commission plan changes that are due onto the shops' accounts (beat; idempotent)."""
    from .services.plans import plan_changes_apply

    return plan_changes_apply()
