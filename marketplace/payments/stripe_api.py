"""The one adapter between Halle and Stripe: the only module that imports ``stripe``.

Every function takes keyword-only arguments and amounts in cents, sends the
idempotency key the caller stored (so a Celery retry repeats the same request),
returns a small frozen dataclass of plain values, and turns every SDK error
into one of ``marketplace.payments.errors``.

Settings: ``STRIPE_SECRET_KEY``; ``STRIPE_API_BASE`` (empty: Stripe's own API;
development and tests point it at the local server of
``marketplace.payments.devserver``); ``STRIPE_WEBHOOK_SECRET``;
``STRIPE_MAX_NETWORK_RETRIES``.
"""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from typing import Any

import stripe
from django.conf import settings

from .errors import (
    IdempotencyConflict,
    PaymentActionRequired,
    PaymentDeclined,
    PaymentError,
    PaymentUnavailable,
    WebhookSignatureInvalid,
)

logger = logging.getLogger(__name__)

# Shopper-facing sentences for Stripe's decline codes; anything else is "refusée".
DECLINE_MESSAGES = {
    "insufficient_funds": "Fonds insuffisants sur cette carte. Essayez une autre carte.",
    "expired_card": "Cette carte a expiré. Essayez une autre carte.",
    "incorrect_cvc": "Le cryptogramme (CVC) de la carte est incorrect.",
    "incorrect_number": "Le numéro de carte est incorrect.",
    "processing_error": "Une erreur est survenue pendant le traitement de la carte. Réessayez.",
    "lost_card": PaymentDeclined.default_message,
    "stolen_card": PaymentDeclined.default_message,
}


# --- results: plain values, no SDK objects --------------------------------------------


@dataclass(frozen=True)
class PaymentIntent:
    id: str
    status: str  # requires_capture, succeeded, canceled, requires_action, ...
    amount_cents: int
    currency: str
    latest_charge_id: str | None
    transfer_group: str | None
    client_secret: str | None
    metadata: dict = field(default_factory=dict)
    amount_capturable_cents: int = 0
    amount_received_cents: int = 0
    last_error_code: str | None = None


@dataclass(frozen=True)
class Charge:
    id: str
    amount_cents: int
    amount_captured_cents: int
    amount_refunded_cents: int  # Stripe counts a partial capture's released rest as refunded
    payment_intent_id: str | None


@dataclass(frozen=True)
class Refund:
    id: str
    amount_cents: int
    status: str
    payment_intent_id: str | None
    charge_id: str | None


@dataclass(frozen=True)
class Account:
    id: str
    email: str | None
    charges_enabled: bool
    payouts_enabled: bool
    details_submitted: bool
    transfers_active: bool = False


@dataclass(frozen=True)
class AccountLink:
    url: str
    expires_at: int


@dataclass(frozen=True)
class Transfer:
    id: str
    amount_cents: int
    amount_reversed_cents: int
    destination: str
    transfer_group: str | None
    source_transaction: str | None


@dataclass(frozen=True)
class TransferReversal:
    id: str
    amount_cents: int
    transfer_id: str


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    object: dict  # event.data.object as plain JSON values
    created: int


# --- the client ------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _client_for(api_key: str, api_base: str, max_network_retries: int) -> stripe.StripeClient:
    kwargs: dict[str, Any] = {"max_network_retries": max_network_retries}
    if api_base:
        kwargs["base_addresses"] = {"api": api_base, "connect": api_base}
    return stripe.StripeClient(api_key, **kwargs)


def _client() -> stripe.StripeClient:
    # Looked up on every call so that override_settings (tests) takes effect.
    return _client_for(
        settings.STRIPE_SECRET_KEY,
        settings.STRIPE_API_BASE or "",
        int(settings.STRIPE_MAX_NETWORK_RETRIES),
    )


def _options(idempotency_key: str) -> dict:
    if not idempotency_key:
        raise ValueError("Every Stripe write needs a stored idempotency key.")
    return {"idempotency_key": idempotency_key}


def _call(operation: str, function, *args, **kwargs):
    """Run one SDK call and return its result as plain JSON values (dicts, lists);
    map its errors to ours (logged with Stripe's details)."""
    try:
        return function(*args, **kwargs).to_dict()
    except stripe.CardError as error:
        code = getattr(error, "code", None)
        decline_code = (getattr(error, "error", None) and error.error.decline_code) or code
        logger.info("Stripe %s: card declined (%s): %s", operation, decline_code, error.user_message)
        raise PaymentDeclined(
            DECLINE_MESSAGES.get(decline_code or ""), code=decline_code, detail=str(error.user_message or "")
        ) from error
    except stripe.IdempotencyError as error:
        logger.error("Stripe %s: idempotency key reused with other parameters: %s", operation, error)
        raise IdempotencyConflict(code="idempotency_error", detail=str(error.user_message or "")) from error
    except (stripe.APIConnectionError, stripe.RateLimitError) as error:
        logger.warning("Stripe %s: unavailable: %s", operation, error)
        raise PaymentUnavailable(code="unavailable", detail=str(error)) from error
    except stripe.StripeError as error:
        status = error.http_status or 0
        if status >= 500 or status == 409:
            logger.warning("Stripe %s: HTTP %s: %s", operation, status, error)
            raise PaymentUnavailable(code=error.code or "api_error", detail=str(error)) from error
        logger.error("Stripe %s refused (HTTP %s, %s): %s", operation, status, error.code, error.user_message)
        raise PaymentError(code=error.code, detail=str(error.user_message or error)) from error


def _id_of(value) -> str | None:
    """An expandable field: Stripe sends an id, the local server the whole object."""
    if value is None or isinstance(value, str):
        return value
    return value["id"]


def _intent(obj) -> PaymentIntent:
    return PaymentIntent(
        id=obj["id"],
        status=obj["status"],
        amount_cents=int(obj["amount"]),
        currency=obj["currency"],
        latest_charge_id=_id_of(obj.get("latest_charge")),
        transfer_group=obj.get("transfer_group"),
        client_secret=obj.get("client_secret"),
        metadata=dict(obj.get("metadata") or {}),
        amount_capturable_cents=int(obj.get("amount_capturable") or 0),
        amount_received_cents=int(obj.get("amount_received") or 0),
        last_error_code=(obj.get("last_payment_error") or {}).get("code"),
    )


def _transfer(obj) -> Transfer:
    return Transfer(
        id=obj["id"],
        amount_cents=int(obj["amount"]),
        amount_reversed_cents=int(obj.get("amount_reversed") or 0),
        destination=_id_of(obj["destination"]),
        transfer_group=obj.get("transfer_group"),
        source_transaction=_id_of(obj.get("source_transaction")),
    )


# --- PaymentIntents ----------------------------------------------------------------------


def payment_intent_create(
    *,
    amount_cents: int,
    currency: str,
    transfer_group: str,
    idempotency_key: str,
    payment_method: str | None = None,
    metadata: dict[str, str] | None = None,
) -> PaymentIntent:
    """Authorise (hold) ``amount_cents`` on a card; captured later, when shops confirm.

    With ``payment_method`` the intent is confirmed at once: a decline raises
    ``PaymentDeclined``, a card that needs 3-D Secure ``PaymentActionRequired``
    (carrying the intent's id and client secret for Stripe.js).
    """
    params: dict[str, Any] = {
        "amount": amount_cents,
        "currency": currency,
        "capture_method": "manual",
        "transfer_group": transfer_group,
        "metadata": metadata or {},
    }
    if payment_method:
        params["payment_method"] = payment_method
        params["confirm"] = True
    obj = _call(
        "payment_intent_create", _client().v1.payment_intents.create, params, _options(idempotency_key)
    )
    intent = _intent(obj)
    if intent.status == "requires_action":
        raise PaymentActionRequired(intent_id=intent.id, client_secret=intent.client_secret or "")
    return intent


def payment_intent_retrieve(*, intent_id: str) -> PaymentIntent:
    return _intent(_call("payment_intent_retrieve", _client().v1.payment_intents.retrieve, intent_id))


def payment_intent_capture(*, intent_id: str, amount_cents: int, idempotency_key: str) -> PaymentIntent:
    """Capture ``amount_cents`` of the hold (less than authorised: the rest is released)."""
    obj = _call(
        "payment_intent_capture",
        _client().v1.payment_intents.capture,
        intent_id,
        {"amount_to_capture": amount_cents},
        _options(idempotency_key),
    )
    return _intent(obj)


def payment_intent_cancel(*, intent_id: str, idempotency_key: str) -> PaymentIntent:
    """Release the whole hold (order cancelled or never collected)."""
    obj = _call(
        "payment_intent_cancel", _client().v1.payment_intents.cancel, intent_id, {}, _options(idempotency_key)
    )
    return _intent(obj)


def charge_retrieve(*, charge_id: str) -> Charge:
    obj = _call("charge_retrieve", _client().v1.charges.retrieve, charge_id)
    amount = int(obj["amount"])
    captured = obj.get("amount_captured")
    return Charge(
        id=obj["id"],
        amount_cents=amount,
        amount_captured_cents=int(captured if captured is not None else (amount if obj.get("captured") else 0)),
        amount_refunded_cents=int(obj.get("amount_refunded") or 0),
        payment_intent_id=_id_of(obj.get("payment_intent")),
    )


# --- Refunds ------------------------------------------------------------------------------


def refund_create(*, intent_id: str, amount_cents: int, idempotency_key: str) -> Refund:
    """Refund part or all of a captured PaymentIntent."""
    obj = _call(
        "refund_create",
        _client().v1.refunds.create,
        {"payment_intent": intent_id, "amount": amount_cents},
        _options(idempotency_key),
    )
    return Refund(
        id=obj["id"],
        amount_cents=int(obj["amount"]),
        status=obj["status"],
        payment_intent_id=_id_of(obj.get("payment_intent")),
        charge_id=_id_of(obj.get("charge")),
    )


# --- Connect: shops' accounts, transfers, reversals ------------------------------------


def account_create(*, email: str, idempotency_key: str, country: str = "FR") -> Account:
    """An Express connected account for a shop (onboarded through an account link)."""
    obj = _call(
        "account_create",
        _client().v1.accounts.create,
        {
            "type": "express",
            "country": country,
            "email": email,
            "capabilities": {"transfers": {"requested": True}},
        },
        _options(idempotency_key),
    )
    return _account(obj)


def account_retrieve(*, account_id: str) -> Account:
    return _account(_call("account_retrieve", _client().v1.accounts.retrieve, account_id))


def _account(obj) -> Account:
    return account_from_object(obj)


def account_from_object(obj: dict) -> Account:
    """An account from its JSON (an API answer or an ``account.updated`` event)."""
    return Account(
        id=obj["id"],
        email=obj.get("email"),
        charges_enabled=bool(obj.get("charges_enabled")),
        payouts_enabled=bool(obj.get("payouts_enabled")),
        details_submitted=bool(obj.get("details_submitted")),
        transfers_active=(obj.get("capabilities") or {}).get("transfers") == "active",
    )


def account_link_create(*, account_id: str, refresh_url: str, return_url: str) -> AccountLink:
    """A one-time onboarding URL for the shop (not idempotent on Stripe's side either)."""
    obj = _call(
        "account_link_create",
        _client().v1.account_links.create,
        {
            "account": account_id,
            "refresh_url": refresh_url,
            "return_url": return_url,
            "type": "account_onboarding",
        },
    )
    return AccountLink(url=obj["url"], expires_at=int(obj["expires_at"]))


def transfer_create(
    *,
    amount_cents: int,
    destination: str,
    transfer_group: str,
    source_transaction: str | None,
    idempotency_key: str,
    currency: str = "eur",
) -> Transfer:
    """Pay a shop its share of an order (separate charges and transfers).

    ``source_transaction`` is the captured charge's id: the transfer is tied to
    it, so it cannot exceed what that charge left after earlier transfers.
    """
    params: dict[str, Any] = {
        "amount": amount_cents,
        "currency": currency,
        "destination": destination,
        "transfer_group": transfer_group,
    }
    if source_transaction:
        params["source_transaction"] = source_transaction
    obj = _call("transfer_create", _client().v1.transfers.create, params, _options(idempotency_key))
    return _transfer(obj)


def transfer_list(*, transfer_group: str) -> list[Transfer]:
    page = _call(
        "transfer_list", _client().v1.transfers.list, {"transfer_group": transfer_group, "limit": 100}
    )
    return [_transfer(obj) for obj in page["data"]]


def transfer_reversal_create(*, transfer_id: str, amount_cents: int, idempotency_key: str) -> TransferReversal:
    """Take back part of a shop's transfer (after a refund)."""
    obj = _call(
        "transfer_reversal_create",
        _client().v1.transfers.reversals.create,
        transfer_id,
        {"amount": amount_cents},
        _options(idempotency_key),
    )
    return TransferReversal(id=obj["id"], amount_cents=int(obj["amount"]), transfer_id=_id_of(obj["transfer"]))


# --- Webhooks -----------------------------------------------------------------------------


def webhook_event_construct(*, payload: bytes, signature: str) -> WebhookEvent:
    """Verify a webhook (the raw request body, as received) and return its event.

    The signature's timestamp may be at most ``STRIPE_WEBHOOK_TOLERANCE`` seconds old.
    """
    try:
        event = stripe.Webhook.construct_event(
            payload, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=int(settings.STRIPE_WEBHOOK_TOLERANCE)
        )
    except stripe.SignatureVerificationError as error:
        raise WebhookSignatureInvalid(code="signature", detail=str(error)) from error
    except (ValueError, AttributeError, TypeError, KeyError) as error:  # signed, but not a JSON object
        raise WebhookSignatureInvalid(code="payload", detail=repr(error)) from error
    data = event.to_dict()  # plain JSON values, like every result here
    try:
        return WebhookEvent(
            id=str(data["id"]), type=str(data["type"]), object=dict(data["data"]["object"]),
            created=int(data["created"]),
        )
    except (KeyError, TypeError, ValueError) as error:  # signed, but not an event
        raise WebhookSignatureInvalid(code="payload", detail=f"not an event: {error!r}") from error
