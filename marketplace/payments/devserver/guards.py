"""Patches to localstripe's resources where it is laxer than Stripe in ways our code relies on.

* Refunds: Stripe refuses to refund more than the captured amount minus earlier
  refunds (localstripe refunded 99,999 on a 2,500 charge), refuses refunds of an
  uncaptured payment, and a refund without ``amount`` refunds what is left
  (localstripe refunded the whole authorised amount even after a partial capture).
* Captures: only a PaymentIntent in ``requires_capture`` can be captured
  (localstripe captured a canceled one).
* Charges: ``amount_captured`` as Stripe reports it (0 until captured).
* PaymentIntents: ``transfer_group``, ``description``, ``statement_descriptor``
  and ``receipt_email`` are accepted and echoed back (localstripe answers 400
  "Unexpected …"); they have no other effect here.
* Test payment methods: Stripe's ready-made 3-D Secure ones
  (``pm_card_authenticationRequired``, ``pm_card_threeDSecure2Required``) exist
  here too, beside localstripe's ``pm_card_visa`` and ``pm_card_chargeCustomerFail``.
"""
from __future__ import annotations

from localstripe.errors import UserError
from localstripe.resources import Charge, PaymentIntent, Refund, try_convert_to_int

ECHOED_INTENT_PARAMS = ("transfer_group", "description", "statement_descriptor", "receipt_email")


def stripe_error(status: int, message: str, *, code: str, param: str | None = None) -> UserError:
    """An error shaped like Stripe's: {"error": {"type", "code", "message", "param"}}."""
    contents = {"code": code}
    if param:
        contents["param"] = param
    return UserError(status, message, contents)


def captured_amount(charge: Charge) -> int:
    """What the charge really took from the card (Stripe's ``amount_captured``)."""
    if not charge.captured or charge.status != "succeeded":
        return 0
    return getattr(charge, "_halle_amount_captured", charge.amount)


def refundable_amount(charge: Charge) -> int:
    # A partial capture is recorded by localstripe as a refund of the released
    # rest, so "amount - all refunds" is "captured - refunds made afterwards".
    return captured_amount(charge) and charge.amount - charge.amount_refunded


# Stripe's test PaymentMethod ids → their card numbers (docs.stripe.com/testing).
EXTRA_TEST_METHODS = {
    "pm_card_authenticationRequired": "4000002500003155",
    "pm_card_threeDSecure2Required": "4000000000003220",
}


def install() -> None:
    _install_amount_captured()
    _install_intent_params()
    _install_refund_guard()
    _install_test_methods()


def _install_test_methods() -> None:
    from localstripe.resources import PaymentMethod

    original = PaymentMethod._try_get_canonical_test_article.__func__

    def _try_get_canonical_test_article(cls, id):
        number = EXTRA_TEST_METHODS.get(id)
        if number is not None:
            return PaymentMethod(type="card", card={"number": number, "exp_month": "12", "exp_year": "2034",
                                                    "cvc": "123"})
        return original(cls, id)

    PaymentMethod._try_get_canonical_test_article = classmethod(_try_get_canonical_test_article)


def _install_amount_captured() -> None:
    original_capture = Charge._capture

    def _capture(self, amount, on_success=None):
        # localstripe's capture route is bound at import time, so the PaymentIntent
        # state is checked here, on the charge it captures.
        intent = self.payment_intent and PaymentIntent._api_retrieve(self.payment_intent)
        if intent and intent.status != "requires_capture":
            raise stripe_error(
                400,
                f"This PaymentIntent could not be captured because it has a status of {intent.status}. "
                "Only a PaymentIntent with one of the following statuses may be captured: requires_capture.",
                code="payment_intent_unexpected_state",
            )
        captured = self.amount if amount is None else try_convert_to_int(amount)

        def done():
            self._halle_amount_captured = captured
            if on_success:
                on_success()

        return original_capture(self, amount, on_success=done)

    Charge._capture = _capture
    Charge.amount_captured = property(captured_amount)


def _install_intent_params() -> None:
    original_init = PaymentIntent.__init__

    def __init__(self, *args, **kwargs):
        echoed = {name: kwargs.pop(name, None) for name in ECHOED_INTENT_PARAMS}
        original_init(self, *args, **kwargs)
        for name, value in echoed.items():
            setattr(self, name, value)

    PaymentIntent.__init__ = __init__


def _install_refund_guard() -> None:
    original_create = Refund._api_create  # bound to Refund

    def _api_create(cls, **data):
        charge = _charge_to_refund(data)
        remaining = refundable_amount(charge)
        if not captured_amount(charge):
            raise stripe_error(
                400,
                f"This PaymentIntent does not have a successful charge to refund ({charge.id} is not captured).",
                code="charge_not_captured",
            )
        if remaining <= 0:
            raise stripe_error(400, f"Charge {charge.id} has already been refunded.", code="charge_already_refunded")
        amount = try_convert_to_int(data.get("amount"))
        if amount is None:
            data["amount"] = remaining
        elif isinstance(amount, int) and amount > remaining:
            raise stripe_error(
                400,
                f"Refund amount ({amount}) is greater than unrefunded amount on charge ({remaining}).",
                code="amount_too_large",
                param="amount",
            )
        return original_create(**data)

    Refund._api_create = classmethod(_api_create)


def _charge_to_refund(data: dict) -> Charge:
    if data.get("charge"):
        return Charge._api_retrieve(data["charge"])
    if data.get("payment_intent"):
        intent = PaymentIntent._api_retrieve(data["payment_intent"])
        if intent.latest_charge is None:
            raise stripe_error(
                400,
                f"This PaymentIntent ({intent.id}) does not have a successful charge to refund.",
                code="charge_not_captured",
            )
        return intent.latest_charge
    raise stripe_error(400, "One of charge or payment_intent is required.", code="parameter_missing")
