"""Payment errors the rest of Halle handles; no Stripe type leaks past ``stripe_api``.

``str(error)`` is always a French sentence that can be shown to a shopper or a
merchant; ``code`` and ``detail`` keep Stripe's code and English message for logs.
"""
from __future__ import annotations


class PaymentError(Exception):
    """Stripe refused the request (bad parameters, amount too large, unknown id…)."""

    default_message = "Le paiement n’a pas pu être traité."

    def __init__(self, message: str | None = None, *, code: str | None = None, detail: str = ""):
        super().__init__(message or self.default_message)
        self.message = message or self.default_message
        self.code = code
        self.detail = detail


class PaymentDeclined(PaymentError):
    """The card was declined; the shopper should try another card."""

    default_message = "Votre carte a été refusée. Essayez une autre carte ou contactez votre banque."


class PaymentActionRequired(PaymentError):
    """The bank asks for authentication (3-D Secure): finish it with Stripe.js."""

    default_message = "Votre banque demande une confirmation du paiement."

    def __init__(self, message: str | None = None, *, intent_id: str = "", client_secret: str = "", **kwargs):
        super().__init__(message, **kwargs)
        self.intent_id = intent_id
        self.client_secret = client_secret


class PaymentUnavailable(PaymentError):
    """Stripe could not be reached or failed (network, 5xx, rate limit): retry later."""

    default_message = "Paiement indisponible, réessayez dans un instant."


class IdempotencyConflict(PaymentError):
    """An idempotency key was reused with different parameters (a bug on our side)."""

    default_message = "Cette opération de paiement a déjà été demandée avec d’autres montants."


class WebhookSignatureInvalid(PaymentError):
    """A webhook whose signature, timestamp or body does not verify."""

    default_message = "Signature du webhook Stripe invalide."


class ShopsCannotReceivePayments(PaymentError):
    """Some shops of the basket have no usable Stripe account: their items cannot be paid for."""

    def __init__(self, shop_names: list[str]):
        names = ", ".join(f"« {name} »" for name in shop_names)
        several = len(shop_names) > 1
        super().__init__(
            f"{names} {'ne peuvent' if several else 'ne peut'} pas encore recevoir de paiements en ligne : "
            f"retirez {'leurs' if several else 'ses'} articles de votre panier pour commander le reste.",
            code="shop_cannot_receive_payments",
        )
        self.shop_names = shop_names
