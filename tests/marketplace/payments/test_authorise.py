"""Authorising the card at checkout: declines, 3-D Secure, outages, double clicks."""
from __future__ import annotations

import urllib.parse
import urllib.request
from decimal import Decimal

import pytest
from django.test import override_settings

from marketplace.payments import services, stripe_api
from marketplace.payments.errors import (
    PaymentActionRequired,
    PaymentDeclined,
    PaymentUnavailable,
    ShopsCannotReceivePayments,
)
from marketplace.payments.models import Payment, PaymentStatus, StripeCall
from tests.concurrency.threads import run_together, unexpected
from tests.factories.payments import ShopPaymentAccountFactory
from tests.factories.shops import ShopFactory
from tests.marketplace.payments.conftest import stripe_faults
from tests.marketplace.payments.helpers import connected_shop
from tests.marketplace.payments.test_stripe_api import socket_closed_port, stripe_api_test_card_3ds

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_local")]


@pytest.fixture
def shop():
    return connected_shop(name="Librairie du Beffroi")


def authorise(shop, number="700001", amount="40.00", card="pm_card_visa"):
    return services.payment_authorise(
        order_number=number, amount=Decimal(amount), shop_ids=[shop.pk], payment_method=card
    )


def intents_on_server() -> int:
    from django.conf import settings

    request = urllib.request.Request(settings.STRIPE_API_BASE + "/v1/payment_intents?limit=100",
                                     headers={"Authorization": "Bearer " + settings.STRIPE_SECRET_KEY})
    import json

    with urllib.request.urlopen(request, timeout=5) as response:
        return len(json.load(response)["data"])


def test_the_card_is_authorised_for_the_order_total_with_the_order_number_as_transfer_group(shop):
    payment = authorise(shop)
    assert payment.status == PaymentStatus.AUTHORISED and payment.amount_authorised_cents == 4000
    intent = stripe_api.payment_intent_retrieve(intent_id=payment.intent_id)
    assert (intent.status, intent.transfer_group, intent.metadata) == (
        "requires_capture", "700001", {"order_number": "700001"}
    )


def test_declined_card_says_so_in_french_and_another_card_then_succeeds(shop):
    with pytest.raises(PaymentDeclined) as declined:
        authorise(shop, card="pm_card_chargeCustomerFail")
    assert "refusée" in str(declined.value)
    payment = Payment.objects.get(order_number="700001")
    assert payment.status == PaymentStatus.FAILED and payment.attempt == 1

    payment = authorise(shop, card="pm_card_visa")

    assert payment.status == PaymentStatus.AUTHORISED and payment.attempt == 2
    keys = list(StripeCall.objects.filter(payment=payment).values_list("idempotency_key", flat=True))
    assert len(set(keys)) == 2 and keys[0].endswith("-a1") and keys[1].endswith("-a2")


@pytest.mark.local_stripe
def test_3d_secure_asks_for_the_next_step_then_completes_on_the_banks_page(shop, stripe_local):
    card = stripe_api_test_card_3ds()
    with pytest.raises(PaymentActionRequired) as action:
        authorise(shop, card=card)
    payment = Payment.objects.get(order_number="700001")
    assert payment.status == PaymentStatus.REQUIRES_ACTION and payment.client_secret == action.value.client_secret
    assert str(action.value) == "Votre banque demande une confirmation du paiement."

    with pytest.raises(PaymentActionRequired):  # clicking "Payer" again shows the same step
        authorise(shop, card=card)
    assert intents_on_server() == 1

    bank_confirms(stripe_local, payment, success=True)
    payment = services.payment_action_complete(order_number="700001")

    assert payment.status == PaymentStatus.AUTHORISED and payment.amount_authorised_cents == 4000


@pytest.mark.local_stripe
def test_3d_secure_refused_by_the_bank_is_a_decline_and_a_new_attempt_is_possible(shop, stripe_local):
    card = stripe_api_test_card_3ds()
    with pytest.raises(PaymentActionRequired):
        authorise(shop, card=card)
    bank_confirms(stripe_local, Payment.objects.get(order_number="700001"), success=False)

    with pytest.raises(PaymentDeclined):
        services.payment_action_complete(order_number="700001")

    assert authorise(shop, card="pm_card_visa").status == PaymentStatus.AUTHORISED


def bank_confirms(base: str, payment: Payment, *, success: bool) -> None:
    """What the shopper does on the (local) bank page: POST the form, follow nothing."""
    body = urllib.parse.urlencode({"client_secret": payment.client_secret, "return_url": "http://halle.test/retour",
                                   "success": "true" if success else "false"}).encode()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        urllib.request.build_opener(NoRedirect).open(
            urllib.request.Request(f"{base}/_config/3ds/{payment.intent_id}", data=body), timeout=5
        )
    except urllib.error.HTTPError as answer:
        assert answer.code == 302
        assert answer.headers["Location"] == f"http://halle.test/retour?payment_intent={payment.intent_id}"
    else:
        raise AssertionError("the bank page should redirect back")


@pytest.mark.local_stripe
def test_stripe_unreachable_says_retry_keeps_the_key_and_the_retry_succeeds(shop, stripe_local):
    with socket_closed_port() as port, override_settings(
        STRIPE_API_BASE=f"http://127.0.0.1:{port}", STRIPE_MAX_NETWORK_RETRIES=0
    ):
        with pytest.raises(PaymentUnavailable) as unavailable:
            authorise(shop)
    assert str(unavailable.value) == "Paiement indisponible, réessayez dans un instant."
    payment = Payment.objects.get(order_number="700001")
    assert payment.status == PaymentStatus.PENDING
    [first_call] = StripeCall.objects.filter(payment=payment)

    payment = authorise(shop)

    assert payment.status == PaymentStatus.AUTHORISED
    [call] = StripeCall.objects.filter(payment=payment)
    assert call.idempotency_key == first_call.idempotency_key
    assert intents_on_server() == 1


@pytest.mark.local_stripe
def test_stripe_answering_500_says_retry_and_the_retry_with_the_same_key_succeeds(shop, stripe_local):
    stripe_faults(stripe_local, path="/v1/payment_intents", count=1, status=500)
    with override_settings(STRIPE_MAX_NETWORK_RETRIES=0), pytest.raises(PaymentUnavailable):
        authorise(shop)
    assert intents_on_server() == 0

    payment = authorise(shop)

    assert payment.status == PaymentStatus.AUTHORISED
    assert StripeCall.objects.filter(payment=payment).count() == 1
    assert intents_on_server() == 1


@pytest.mark.local_stripe
def test_stripe_python_retries_a_503_by_itself_with_the_same_key(shop, stripe_local):
    stripe_faults(stripe_local, path="/v1/payment_intents", count=1, status=503)
    with override_settings(STRIPE_MAX_NETWORK_RETRIES=1):
        payment = authorise(shop)
    assert payment.status == PaymentStatus.AUTHORISED and intents_on_server() == 1


@pytest.mark.local_stripe
def test_a_shop_without_a_usable_account_cannot_be_paid_and_stripe_is_not_called(shop):
    unready = ShopFactory(name="Fleurs de Lys")
    ShopPaymentAccountFactory(shop=unready, transfers_active=False)
    with pytest.raises(ShopsCannotReceivePayments) as refused:
        services.payment_authorise(order_number="700002", amount=Decimal("10"), shop_ids=[shop.pk, unready.pk],
                                   payment_method="pm_card_visa")
    assert str(refused.value) == (
        "« Fleurs de Lys » ne peut pas encore recevoir de paiements en ligne : "
        "retirez ses articles de votre panier pour commander le reste."
    )
    assert not Payment.objects.exists() and intents_on_server() == 0


@pytest.mark.parametrize("amount, card", [("0", "pm_card_visa"), ("-1", "pm_card_visa"), ("10", "")])
@pytest.mark.local_stripe
def test_bad_amount_or_missing_card_is_refused_before_stripe(shop, amount, card):
    with pytest.raises(stripe_api.PaymentError):
        authorise(shop, amount=amount, card=card)
    assert intents_on_server() == 0


def test_another_amount_for_the_same_order_releases_the_first_hold(shop):
    first = authorise(shop, amount="40.00")
    second = authorise(shop, amount="35.00")
    assert second.attempt == 2 and second.amount_authorised_cents == 3500
    assert stripe_api.payment_intent_retrieve(intent_id=first.intent_id).status == "canceled"


@pytest.mark.django_db(transaction=True)
@pytest.mark.local_stripe
def test_two_concurrent_clicks_on_pay_make_one_payment_intent(shop):
    results = run_together(2, lambda _i: authorise(shop).intent_id, timeout=30)

    assert unexpected(results, str) == ""
    assert len(results) == 2 and results[0] == results[1]
    assert intents_on_server() == 1
    assert Payment.objects.count() == 1 and StripeCall.objects.filter(payment__isnull=False).count() == 1
