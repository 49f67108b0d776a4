"""Promotions in a browser: the manager creates a campaign with a code and a budget, invites
the shops and an ambassador; a merchant opts in; a shopper follows the ambassador's link, sees
the discount of each shop in the basket and orders; the manager's campaign page shows the spend."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.demo.payments import shop_accounts_local_onboard
from marketplace.order.models import Order
from marketplace.promotions.models import CampaignBudget
from tests.e2e.conftest import screenshot_path
from tests.factories import UserFactory
from tests.factories.backoffice import PASSWORD
from tests.factories.town import town_built

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FORMAT = "%Y-%m-%dT%H:%M"


def login(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login-username]", email)
    page.fill("input[name=login-password]", PASSWORD)
    page.click("button[name=login_submit]")
    page.wait_for_load_state("load")


def new_page(browser, live_server, *, phone: bool = False):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris",
                                  viewport={"width": 390, "height": 844} if phone else {"width": 1280, "height": 900},
                                  is_mobile=phone)
    context.set_default_timeout(15_000)
    return context, context.new_page()


@pytest.fixture
def town(stripe_local):
    town = town_built(shops=2, stock=10, price=Decimal("20.00"))
    shop_accounts_local_onboard(shops=town.shops)
    for shop, title in zip(town.shops, ["Tarte aux mirabelles", "Savon au lait d'ânesse"], strict=True):
        offer = shop.partner.stockrecords.get()
        offer.product.title = title
        offer.product.save()
    merchant = UserFactory(username="bruno", email="bruno@commerce.test")
    merchant.set_password(PASSWORD)
    merchant.save()
    town.shops[0].partner.users.add(merchant)
    manager = UserFactory(username="manon", email="manager@halle.test", is_staff=True)
    manager.set_password(PASSWORD)
    manager.save()
    town.merchant = merchant
    return town


def test_campaign_created_shops_invited_merchant_opts_in_shopper_uses_an_ambassador_code(browser, live_server, town):
    shop_a, shop_b = town.shops
    context, page = new_page(browser, live_server)
    login(page, "manager@halle.test")
    page.goto("/gestion/promotions/")
    page.get_by_role("link", name="Nouvelle campagne").click()
    now = timezone.localtime()
    page.locator("#id_name").fill("Les amis du centre")
    page.locator("#id_starts_at").fill((now - dt.timedelta(hours=1)).strftime(FORMAT))
    page.locator("#id_ends_at").fill((now + dt.timedelta(days=7)).strftime(FORMAT))
    page.locator("#id_benefit").select_option("amount")
    page.locator("#id_value").fill("5")
    page.locator("#id_budget_euros").fill("100")
    page.locator("#id_code").fill("AMIS")
    page.get_by_role("button", name="Créer la campagne").click()
    page.wait_for_url(re.compile(r"/gestion/promotions/\d+/$"))
    page.get_by_label(shop_a.name, exact=True).check()
    page.get_by_label(shop_b.name, exact=True).check()
    page.get_by_role("button", name="Inviter", exact=True).click()
    page.wait_for_load_state("load")
    assert "2 commerces invités." in page.locator("main, #content_inner").first.inner_text()
    page.locator("#id_amb-display_name").fill("Club de foot")
    page.locator("#id_amb-email").fill("club@example.test")
    page.locator("#id_amb-reward_euros").fill("2")
    page.locator("#id_amb-code").fill("CLUBFOOT")
    page.get_by_role("button", name="Inviter l'ambassadeur").click()
    page.wait_for_load_state("load")
    assert "CLUBFOOT" in page.locator("#campaign-ambassadors").inner_text()
    campaign_url = page.url
    page.screenshot(path=str(screenshot_path("promotions-manager-campaign")), full_page=True)
    context.close()

    context, bo = new_page(browser, live_server, phone=True)
    login(bo, "bruno@commerce.test")
    bo.goto("/espace-commercant/promotions/")
    assert "Financée entièrement par la ville" in bo.locator("main, #content_inner").first.inner_text()
    bo.get_by_role("button", name="Participer", exact=True).click()
    bo.wait_for_load_state("load")
    assert "Vous participez à « Les amis du centre »." in bo.content()
    bo.screenshot(path=str(screenshot_path("promotions-merchant-opted-in")), full_page=True)
    context.close()

    context, shopper = new_page(browser, live_server, phone=True)
    for offer in town.offers:
        shopper.goto(offer.product.get_absolute_url())
        shopper.locator("#add_to_basket_form button[type=submit]").click()
        shopper.wait_for_load_state("load")
    shopper.goto("/parrainage/CLUBFOOT/")
    with shopper.expect_navigation():  # Oscar's voucher view goes back to the page it came from
        shopper.get_by_role("button", name="Utiliser le code CLUBFOOT dans mon panier").click()
    shopper.get_by_role("link", name="Voir mon panier").click()
    shopper.wait_for_url("**/basket/")
    discount = shopper.locator(f'.shop-discount[data-shop-name="{shop_a.name}"]')
    assert discount.inner_text() == "dont 5,00\xa0€ de remise"
    assert shopper.locator(f'.shop-discount[data-shop-name="{shop_b.name}"]').count() == 0  # did not opt in
    shopper.screenshot(path=str(screenshot_path("promotions-basket-per-shop")), full_page=True)
    shopper.locator("a[href='/checkout/']").last.click()
    shopper.wait_for_url("**/checkout/")
    shopper.get_by_label("Adresse e-mail").fill("lea@example.test")
    shopper.get_by_label(re.compile("Tout retirer en une fois")).check()
    with shopper.expect_navigation():
        shopper.get_by_label(re.compile("Consignes du Beffroi")).check()  # as the checkout journey: another point…
    with shopper.expect_navigation():
        shopper.get_by_label(re.compile("Point retrait de la Halle")).check()  # …then the town point's slots
    shopper.locator(f"label[for='slot-all-{town.slot(town.point, 1).pk}']").click()
    shopper.get_by_role("button", name="Réserver ce créneau").click()
    shopper.wait_for_url("**/checkout/recapitulatif/")
    shopper.get_by_role("button", name="Commander").click()
    shopper.wait_for_url("**/checkout/merci/")
    order = Order.objects.get()
    assert order.total_incl_tax == Decimal("35.00")
    context.close()

    context, page = new_page(browser, live_server)
    login(page, "manager@halle.test")
    page.goto(campaign_url)
    assert page.locator("#budget-spent").inner_text() == "5,00 €"
    assert page.locator("#budget-left").inner_text() == "95,00 €"
    assert CampaignBudget.objects.get().spent_cents == 500
    page.screenshot(path=str(screenshot_path("promotions-manager-spend")), full_page=True)
    context.close()
