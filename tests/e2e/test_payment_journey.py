"""Basket → summary → card with 3-D Secure → the (local) bank → "Commande confirmée", in Chromium.

Everything is served by the test server and the local Stripe server: the page must not
ask anything of the internet (no script from js.stripe.com without real keys).
"""
from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urlparse

import pytest

from marketplace.demo.payments import shop_accounts_local_onboard
from marketplace.order.models import Order
from marketplace.payments.models import Payment, PaymentStatus
from tests.e2e.conftest import basket_filled_then_checkout_opened, screenshot_path
from tests.factories.town import town_built

pytestmark = [pytest.mark.browser, pytest.mark.local_stripe, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town(stripe_local):
    town = town_built(shops=2, stock=10, price=Decimal("6.40"))
    for offer, title in zip(town.offers, ("Miel de tilleul", "Savon au lait d’ânesse")):
        offer.product.title = title
        offer.product.save()
    shop_accounts_local_onboard(shops=town.shops)
    return town


def test_a_two_shop_basket_paid_with_3d_secure_ends_on_commande_confirmee(page, live_server, stripe_local, town):
    allowed = {urlparse(live_server.url).netloc, urlparse(stripe_local).netloc}
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url)
            if urlparse(request.url).netloc not in allowed and not request.url.startswith("data:") else None)

    basket_filled_then_checkout_opened(page, town.offers, email="louise@example.test")
    page.get_by_label(re.compile("Tout retirer en une fois")).check()
    page.get_by_label(re.compile("Point retrait de la Halle")).check()  # preselected: shows its slots
    page.locator(f"label[for='slot-all-{town.slot(town.point).pk}']").click()
    page.get_by_role("button", name="Réserver ce créneau").click()

    page.wait_for_url("**/checkout/recapitulatif/")
    assert page.get_by_label(re.compile("Carte de test acceptée")).is_checked()
    page.get_by_label(re.compile("Carte de test avec 3-D Secure")).check()
    page.screenshot(path=str(screenshot_path("payment-summary-cards")), full_page=True)
    page.get_by_role("button", name="Commander et payer").click()

    page.wait_for_url("**/paiement/*/confirmation/")
    assert "Votre banque demande une confirmation" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Continuer vers ma banque").click()
    page.wait_for_url(f"{stripe_local}/_config/3ds/**")
    assert "12,80 €" in page.locator("body").inner_text()
    page.screenshot(path=str(screenshot_path("payment-bank-3ds")), full_page=True)
    page.get_by_role("button", name="Confirmer").click()

    page.wait_for_url("**/paiement/*/retour/**")
    assert "Votre banque a confirmé le paiement" in page.locator("h1").inner_text()
    page.get_by_role("button", name="Valider ma commande").click()

    page.wait_for_url("**/checkout/merci/")
    assert "Commande confirmée." in page.locator("main").inner_text()
    page.screenshot(path=str(screenshot_path("payment-commande-confirmee")), full_page=True)
    order = Order.objects.get()
    payment = Payment.objects.get(order=order)
    assert payment.status == PaymentStatus.AUTHORISED and payment.amount_authorised_cents == 1280
    assert outside == [] and page.js_errors == []
