"""On a phone (390 px): a basket from three shops delivered at home — « Livraison à domicile »,
the address typed with the autocomplete, the fee and the window chosen, paid on the local
Stripe server, the order page showing the delivery; an address outside the zone refused with
the served postcodes."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from logistics.delivery.models import DeliveryBooking
from marketplace.demo.payments import shop_accounts_local_onboard
from marketplace.order.models import FulfilmentMode, Order
from tests.e2e.conftest import CHROMIUM_ARGS, basket_filled_then_checkout_opened, screenshot_path  # noqa: F401
from tests.factories.delivery import delivery_ready, streets_loaded
from tests.factories.town import town_built

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def town(stripe_local):
    town = town_built(shops=3, stock=10, price=Decimal("8.00"))
    shop_accounts_local_onboard(shops=town.shops)
    town.zone, town.window = delivery_ready(town, parcels=10)
    streets_loaded(street="Grande Rue", postcode="77140", town="Nemours", lat=Decimal("48.27"),
                   lon=Decimal("2.69"), numbers=5)
    return town


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris",
                                  viewport=PHONE, is_mobile=True)
    context.set_default_timeout(15_000)
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " console.error('Content Security Policy violation: ' + e.violatedDirective); });")
    page = context.new_page()
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert refused == []


def delivery_opened(page, town):
    basket_filled_then_checkout_opened(page, town.offers, email="camille@example.test")
    with page.expect_navigation(url="**/checkout/livraison/"):
        page.get_by_label(re.compile("Livraison à domicile")).click()  # the page moves to the delivery step
    page.get_by_label("Adresse e-mail").fill("camille@example.test")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")


def test_a_three_shop_basket_delivered_at_home_on_a_phone(phone, town):
    page = phone
    delivery_opened(page, town)
    page.get_by_label("Numéro et rue").press_sequentially("12 rue de la hal", delay=30)
    option = page.get_by_role("option", name="12 Rue de la Halle, 45210 Beaumont-sur-Loing")
    with page.expect_navigation():
        option.click()  # fills postcode and town, and checks the address at once
    assert page.get_by_label("Code postal").input_value() == "45210"
    quote = page.locator("#delivery-quote").inner_text()
    assert "Votre adresse est livrée" in quote and "4,90" in quote and "Plus que 36,00" in quote
    page.get_by_label("Bâtiment, étage, digicode (facultatif)").fill("Bât. B, code 1234A")
    page.locator(f"label[for='window-{town.window.pk}']").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_path("delivery-address-phone")), full_page=True)
    page.get_by_role("button", name="Réserver cette livraison").click()

    page.wait_for_url("**/checkout/recapitulatif/")
    summary = page.locator("main").inner_text()
    assert "12 Rue de la Halle" in summary and "28,90" in summary
    page.get_by_role("button", name="Commander").click()
    page.wait_for_url("**/checkout/merci/")
    order = Order.objects.get()
    assert order.fulfilment_mode == FulfilmentMode.DELIVERY and order.payment.amount_authorised_cents == 2890
    page.get_by_role("link", name="Suivre ma commande").click()
    delivery = page.locator(".delivery-summary").inner_text()
    assert "12 Rue de la Halle" in delivery and "Bât. B, code 1234A" in delivery and "4,90" in delivery
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshot_path("delivery-order-page-phone")), full_page=True)
    assert DeliveryBooking.objects.get(order=order).window == town.window


def test_an_address_outside_the_zone_is_refused_with_the_served_postcodes(phone, town):
    page = phone
    delivery_opened(page, town)
    page.get_by_label("Numéro et rue").fill("3 Grande Rue")
    page.get_by_label("Code postal").fill("77140")
    page.get_by_label("Commune").fill("Nemours")
    page.get_by_role("button", name="Vérifier l'adresse").click()
    page.wait_for_load_state("load")
    error = page.locator("#delivery-error").inner_text()
    assert "hors de nos zones de livraison" in error and "45210" in error
    assert page.locator("#delivery-windows").count() == 0
    page.screenshot(path=str(screenshot_path("delivery-outside-phone")), full_page=True)
