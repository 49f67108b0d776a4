"""Stripe webhooks: verified, stored once by event id, applied once, in any order.

Concurrent deliveries of one event meet on the unique ``event_id``: the second insert
waits for the first transaction and then finds the event processed. Handlers never
move money from an event's contents (our own calls did that, synchronously): they
advance a status only forward, record a hold Stripe released by itself, update a
shop's account unless a newer state was applied, and ask the settlement or the
manager to look when Stripe and the ledger differ. Unknown events are acknowledged.
"""
from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import locks, stripe_api
from ..models import EntryKind, LedgerEntry, Payment, PaymentStatus, ReconciliationIssue, WebhookEvent
from .accounts import shop_account_apply_event

logger = logging.getLogger(__name__)

# Forward only: an event never moves a payment back to an earlier status.
RANK = {
    PaymentStatus.PENDING: 0,
    PaymentStatus.FAILED: 1,
    PaymentStatus.REQUIRES_ACTION: 1,
    PaymentStatus.AUTHORISED: 2,
    PaymentStatus.CAPTURED: 3,
    PaymentStatus.RELEASED: 3,
}


def webhook_receive(*, payload: bytes, signature: str) -> str:
    """Verify, store and apply one delivery; returns what was done (for the log).

    Raises ``WebhookSignatureInvalid`` (bad signature, old timestamp, not JSON): the
    caller answers 400 and nothing was written.
    """
    event = stripe_api.webhook_event_construct(payload=payload, signature=signature)
    created = dt.datetime.fromtimestamp(event.created, tz=dt.UTC)
    with transaction.atomic():
        try:
            with transaction.atomic():
                WebhookEvent.objects.create(
                    event_id=event.id, type=event.type[:100], created=created,
                    payload={"type": event.type, "object": event.object},
                )
        except IntegrityError:
            pass  # delivered before (or right now, by another worker: we waited for it)
        stored = locks.webhook_event_lock(event_id=event.id)
        if stored.processed_at is not None:
            return f"déjà traité : {stored.outcome}"
        outcome = _apply(stored, event, created)
        stored.processed_at, stored.outcome = timezone.now(), outcome[:255]
        stored.save(update_fields=["processed_at", "outcome"])
    logger.info("Stripe event %s (%s): %s", event.id, event.type, outcome)
    return outcome


def _apply(stored: WebhookEvent, event: stripe_api.WebhookEvent, created: dt.datetime) -> str:
    handler = HANDLERS.get(event.type)
    if handler is None:
        return "ignoré"
    return handler(stored, event.object, created)


def _payment_of_intent(intent_id: str | None) -> Payment | None:
    if not intent_id:
        return None
    payment = Payment.objects.filter(intent_id=intent_id).first()
    return locks.payment_lock(payment_id=payment.pk) if payment else None


def _advance(payment: Payment, status: str) -> bool:
    if RANK[status] <= RANK[PaymentStatus(payment.status)]:
        return False
    payment.status = status
    return True


def _intent_authorised(stored, obj, created) -> str:
    """3-D Secure finished in the shopper's browser: the hold is in place."""
    payment = _payment_of_intent(obj.get("id"))
    if payment is None:
        return "paiement inconnu"
    if obj.get("status") != "requires_capture" or not _advance(payment, PaymentStatus.AUTHORISED):
        return "rien à changer"
    amount = int(obj.get("amount_capturable") or obj.get("amount") or 0)
    payment.amount_authorised_cents, payment.authorised_at = amount, created
    payment.client_secret, payment.last_error = "", ""
    payment.save()
    LedgerEntry.objects.get_or_create(
        event=stored, shop=None, kind=EntryKind.AUTHORISATION,
        defaults={"payment": payment, "order_number": payment.order_number, "amount_cents": amount,
                  "stripe_id": payment.intent_id},
    )
    return "paiement autorisé"


def _intent_failed(stored, obj, created) -> str:
    payment = _payment_of_intent(obj.get("id"))
    if payment is None:
        return "paiement inconnu"
    if payment.status not in (PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION):
        return "rien à changer"
    payment.status = PaymentStatus.FAILED
    payment.last_error = "Le paiement a échoué chez la banque. Essayez à nouveau ou avec une autre carte."
    payment.save(update_fields=["status", "last_error", "updated_at"])
    return "paiement refusé"


def _intent_canceled(stored, obj, created) -> str:
    """Stripe released the hold (expired, or cancelled elsewhere)."""
    payment = _payment_of_intent(obj.get("id"))
    if payment is None:
        return "paiement inconnu"
    was_authorised = payment.status == PaymentStatus.AUTHORISED
    if not _advance(payment, PaymentStatus.RELEASED):
        return "rien à changer"
    payment.released_at = created
    payment.save(update_fields=["status", "released_at", "updated_at"])
    if was_authorised:
        LedgerEntry.objects.get_or_create(
            event=stored, shop=None, kind=EntryKind.RELEASE,
            defaults={"payment": payment, "order_number": payment.order_number,
                      "amount_cents": payment.amount_authorised_cents, "stripe_id": payment.intent_id},
        )
        if payment.order_id:
            _flag(payment, "hold_released_by_stripe",
                  "Stripe a libéré l’autorisation avant l’encaissement : la commande n’est pas payée.")
    return "autorisation libérée"


def _intent_succeeded(stored, obj, created) -> str:
    payment = _payment_of_intent(obj.get("id"))
    if payment is None:
        return "paiement inconnu"
    if payment.status == PaymentStatus.CAPTURED:
        if int(obj.get("amount_received") or 0) not in (0, payment.amount_captured_cents):
            _flag(payment, "capture_amount", "Le montant encaissé chez Stripe diffère du grand livre.")
            return "montant différent signalé"
        return "déjà encaissé"
    if payment.status == PaymentStatus.AUTHORISED:
        _flag(payment, "captured_elsewhere", "Stripe indique un encaissement que Halle n’a pas fait.")
        return "encaissement inattendu signalé"
    return "rien à changer"


def _charge_refunded(stored, obj, created) -> str:
    payment = _payment_of_intent(obj.get("payment_intent"))
    if payment is None:
        return "paiement inconnu"
    amount, captured = int(obj.get("amount") or 0), int(obj.get("amount_captured") or 0)
    refunded = int(obj.get("amount_refunded") or 0) - (amount - captured if captured else 0)
    if refunded > payment.amount_refunded_cents:
        _flag(payment, "refund_elsewhere",
              f"Stripe indique {refunded} centimes remboursés, le grand livre {payment.amount_refunded_cents}.")
        return "remboursement inattendu signalé"
    return "déjà enregistré"


def _account_updated(stored, obj, created) -> str:
    account = shop_account_apply_event(remote=stripe_api.account_from_object(obj), created=created)
    if account is None:
        return "compte inconnu"
    return "compte utilisable" if account.is_usable else "compte incomplet"


def _flag(payment: Payment, code: str, message: str) -> None:
    ReconciliationIssue.objects.get_or_create(
        payment=payment, code=code, resolved_at=None, defaults={"message": message}
    )


HANDLERS = {
    "payment_intent.amount_capturable_updated": _intent_authorised,
    "payment_intent.payment_failed": _intent_failed,
    "payment_intent.canceled": _intent_canceled,
    "payment_intent.succeeded": _intent_succeeded,
    "charge.refunded": _charge_refunded,
    "account.updated": _account_updated,
}
