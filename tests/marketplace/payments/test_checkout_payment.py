"""The card payment inside the checkout, end to end through the pages, against the local Stripe server."""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.http.response import HttpResponseBase
from django.test import Client, override_settings
from django.utils import timezone

from marketplace.checkout.exceptions import CheckoutError
from logistics.selectors import basket_holds_valid
from marketplace.order.models import Order
from marketplace.payments import stripe_api
from marketplace.payments.models import Payment, PaymentStatus, ShopPaymentAccount, StripeCall
from tests.concurrency.threads import run_together, unexpected
from tests.factories.town import town_built
from tests.marketplace.checkout.conftest import fill_basket, hold
from tests.marketplace.payments.test_authorise import intents_on_server
from tests.marketplace.payments.test_stripe_api import socket_closed_port
from tests.support.stripe_server import stripe_faults

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_local")]
SUMMARY = "/checkout/recapitulatif/"


@pytest.fixture
def town():
    return town_built(shops=2)


@pytest.fixture
def at_summary(client, town):
    """A shopper with a two-shop basket, the town point's slot held, on the summary page."""
    basket = fill_basket(client, [(town.offers[0], 2), (town.offers[1], 1)])  # 3 × 5,00 €
    assert hold(client, point=town.point, slots={"slot": town.slot(town.point).pk}).status_code == 302
    client.basket = basket
    return client


def pay(client, card="pm_card_visa", **kwargs):
    return client.post(SUMMARY, {"payment_method": card}, **kwargs)


def test_offline_the_summary_offers_test_cards_and_loads_no_script_from_the_internet(at_summary):
    page = at_summary.get(SUMMARY).content.decode()
    assert 'value="pm_card_visa"' in page and "Carte de test refusée" in page and "3-D Secure" in page
    assert "js.stripe.com" not in page and '<script src="http' not in page


@override_settings(STRIPE_API_BASE="", STRIPE_PUBLISHABLE_KEY="pk_test_51RealKeyOfTheTown")
def test_with_real_keys_the_summary_takes_the_card_with_stripe_elements(at_summary):
    page = at_summary.get(SUMMARY).content.decode()
    assert '<script src="https://js.stripe.com/v3/"></script>' in page
    assert 'data-key="pk_test_51RealKeyOfTheTown"' in page and "pm_card_visa" not in page


def test_paying_places_the_order_with_the_total_authorised_and_recorded(at_summary, town):
    response = pay(at_summary)

    assert response.status_code == 302 and response["Location"].endswith("/checkout/merci/")
    order = Order.objects.get()
    payment = Payment.objects.get()
    assert payment.order == order and payment.status == PaymentStatus.AUTHORISED
    assert payment.amount_authorised_cents == 1500 and order.status == "Carte autorisée"
    assert {p.shop_id: p.paid_cents for p in payment.parts.all()} == {town.shops[0].pk: 1000, town.shops[1].pk: 500}
    [source] = order.sources.all()
    assert (source.reference, source.amount_allocated, source.source_type.name) == (
        payment.intent_id, 15, "Carte bancaire (Stripe)"
    )
    assert stripe_api.payment_intent_retrieve(intent_id=payment.intent_id).transfer_group == order.number
    assert "Commande confirmée." in at_summary.get("/checkout/merci/").content.decode()


def test_a_declined_card_keeps_the_shopper_on_the_summary_with_the_holds_then_another_card_pays(at_summary):
    response = pay(at_summary, card="pm_card_chargeCustomerFail", follow=True)

    assert response.redirect_chain[-1][0] == SUMMARY
    assert "Votre carte a été refusée. Essayez une autre carte ou contactez votre banque." in response.content.decode()
    assert not Order.objects.exists() and basket_holds_valid(basket_id=at_summary.basket.pk, now=timezone.now())

    assert pay(at_summary)["Location"].endswith("/checkout/merci/")
    assert Payment.objects.get().attempt == 2 and Order.objects.count() == 1


def test_no_card_chosen_is_a_french_message(at_summary):
    response = at_summary.post(SUMMARY, {}, follow=True)
    assert "Choisissez la carte avec laquelle payer." in response.content.decode()
    response = at_summary.post(SUMMARY, {"payment_method": "pm_card_inventee"}, follow=True)
    assert "Cette carte de test n’existe pas" in response.content.decode()
    assert not Order.objects.exists() and intents_on_server() == 0


@pytest.mark.local_stripe
def test_stripe_unreachable_says_retry_loses_nothing_and_the_retry_pays_with_the_same_key(at_summary):
    with socket_closed_port() as port, override_settings(STRIPE_API_BASE=f"http://127.0.0.1:{port}"):
        response = pay(at_summary, follow=True)
    assert "Paiement indisponible, réessayez dans un instant." in response.content.decode()
    assert not Order.objects.exists() and basket_holds_valid(basket_id=at_summary.basket.pk, now=timezone.now())
    first_key = StripeCall.objects.get(payment__isnull=False).idempotency_key

    assert pay(at_summary)["Location"].endswith("/checkout/merci/")

    assert StripeCall.objects.get(payment__isnull=False).idempotency_key == first_key
    assert Order.objects.count() == 1 and intents_on_server() == 1


@pytest.mark.local_stripe
def test_stripe_answering_500_says_retry_and_the_retry_pays(at_summary, stripe_local):
    stripe_faults(stripe_local, path="/v1/payment_intents", count=1, status=500)
    response = pay(at_summary, follow=True)
    assert "Paiement indisponible, réessayez dans un instant." in response.content.decode()
    assert not Order.objects.exists()
    assert pay(at_summary)["Location"].endswith("/checkout/merci/")
    assert intents_on_server() == 1


@pytest.mark.local_stripe
def test_3d_secure_goes_to_the_bank_and_back_then_one_click_places_the_order(at_summary, stripe_local):
    response = pay(at_summary, card="pm_card_authenticationRequired")
    payment = Payment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/paiement/{payment.order_number}/confirmation/"
    page = at_summary.get(response["Location"]).content.decode()
    assert "Votre banque demande une confirmation" in page and f"{stripe_local}/_config/3ds/{payment.intent_id}?" in page

    back = bank_answers(page, success=True)
    done = at_summary.get(back).content.decode()
    assert "Votre banque a confirmé le paiement" in done and not Order.objects.exists()

    response = at_summary.post(SUMMARY, {"payment_method": "pm_card_authenticationRequired"})

    assert response["Location"].endswith("/checkout/merci/")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.AUTHORISED and payment.order == Order.objects.get()
    assert intents_on_server() == 1


@pytest.mark.local_stripe
def test_3d_secure_refused_by_the_bank_sends_the_shopper_back_to_the_summary(at_summary):
    page = at_summary.get(pay(at_summary, card="pm_card_authenticationRequired")["Location"]).content.decode()
    response = at_summary.get(bank_answers(page, success=False), follow=True)
    assert response.redirect_chain[-1][0] == SUMMARY
    assert "La confirmation bancaire a échoué" in response.content.decode()
    assert not Order.objects.exists()


def test_another_browser_cannot_open_a_shoppers_3d_secure_step(at_summary):
    location = pay(at_summary, card="pm_card_authenticationRequired")["Location"]
    assert Client().get(location).status_code == 404
    assert Client().get(location.replace("confirmation", "retour")).status_code == 404


def bank_answers(page: str, *, success: bool) -> str:
    """Submit the (local) bank's form linked from ``page``; returns our return URL, as a path."""
    import html
    import re

    bank_url = html.unescape(re.search(r'href="(http[^"]+/_config/3ds/[^"]+)"', page).group(1))
    query = urllib.parse.parse_qs(urllib.parse.urlparse(bank_url).query)
    body = urllib.parse.urlencode({"client_secret": query["client_secret"][0], "return_url": query["return_url"][0],
                                   "success": "true" if success else "false"}).encode()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        urllib.request.build_opener(NoRedirect).open(urllib.request.Request(bank_url.split("?")[0], data=body), timeout=5)
    except urllib.error.HTTPError as answer:
        assert answer.code == 302
        return urllib.parse.urlparse(answer.headers["Location"]).path
    raise AssertionError("the bank page should send the shopper back")


def test_a_shop_that_cannot_be_paid_is_refused_at_the_first_step_by_name(client, town):
    ShopPaymentAccount.objects.filter(shop=town.shops[1]).update(transfers_active=False)
    fill_basket(client, [(town.offers[0], 1), (town.offers[1], 1)])
    response = hold(client, point=town.point, slots={"slot": town.slot(town.point).pk})
    page = client.get(response["Location"]).content.decode() if response.status_code == 302 else response.content.decode()
    assert f"« {town.shops[1].name} » ne peut pas encore recevoir de paiements en ligne" in page
    assert not Payment.objects.exists()


def test_if_the_order_cannot_be_placed_after_the_card_was_authorised_the_hold_is_released(at_summary, monkeypatch):
    from marketplace.checkout.services import complete

    def expired(**kwargs):
        raise CheckoutError("Le créneau retenu a expiré : choisissez-en un autre.")

    monkeypatch.setattr(complete, "order_place", expired)
    response = pay(at_summary, follow=True)

    assert "Le créneau retenu a expiré" in response.content.decode()
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.RELEASED
    assert stripe_api.payment_intent_retrieve(intent_id=payment.intent_id).status == "canceled"


@pytest.mark.local_stripe
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_clicks_on_pay_make_one_payment_intent_and_one_order(town):
    shopper = Client()
    fill_basket(shopper, [(town.offers[0], 1), (town.offers[1], 1)])
    assert hold(shopper, point=town.point, slots={"slot": town.slot(town.point).pk}).status_code == 302

    def click(_i):
        browser_tab = Client()
        browser_tab.cookies = shopper.cookies  # the same session and basket
        return pay(browser_tab)

    answers = run_together(2, click, timeout=60)

    assert unexpected(answers, HttpResponseBase) == ""
    assert [a.status_code for a in answers] == [302, 302]
    # The second click lands on the confirmation too (or, if it came after the first had
    # emptied the basket, on the basket page): never an error, never a second order.
    assert any(a["Location"].endswith("/checkout/merci/") for a in answers)
    assert all(a["Location"].endswith(("/checkout/merci/", "/basket/")) for a in answers)
    assert Order.objects.count() == 1 and Payment.objects.count() == 1
    assert Payment.objects.get().order == Order.objects.get()
    assert intents_on_server() == 1
    assert StripeCall.objects.filter(payment__isnull=False).count() == 1
