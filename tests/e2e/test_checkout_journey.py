"""A basket from three shops collected at the town point: checkout, each merchant prepares its part
and drops it at the point, the shopper receives one code by e-mail, the point's staff types it in
and hands the order over."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail

from logistics.pickup.models import Handover
from logistics.pickup.services.staff import point_staff_add
from marketplace.demo.payments import shop_accounts_local_onboard
from marketplace.order.models import Order, ShopOrderStatus
from tests.e2e.conftest import basket_filled_then_checkout_opened, screenshot_path
from tests.factories import UserFactory
from tests.factories.backoffice import PASSWORD
from tests.factories.town import town_built

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def town(stripe_local):
    town = town_built(shops=3, stock=10, price=Decimal("4.50"))
    shop_accounts_local_onboard(shops=town.shops)  # real (local) Stripe accounts: the capture pays them
    titles = ["Pain de campagne", "Comté 18 mois", "Confiture de mirabelles"]
    merchants = []
    for shop, offer, title in zip(town.shops, town.offers, titles):
        offer.product.title = title
        offer.product.save()
        user = UserFactory(username=f"staff-{shop.slug}", email=f"{shop.slug}@commerce.test")
        user.set_password(PASSWORD)
        user.save()
        shop.partner.users.add(user)
        merchants.append(user)
    town.merchants = merchants
    town.titles = titles
    return town


def _login(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login-username]", email)
    page.fill("input[name=login-password]", PASSWORD)
    page.click("button[name=login_submit]")
    page.wait_for_load_state("load")


def test_three_shops_collected_at_the_town_point_then_each_merchant_marks_ready(browser, live_server, town):
    shopper = browser.new_context(base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris",
                                  viewport=PHONE, is_mobile=True)
    shopper.set_default_timeout(15_000)
    page = shopper.new_page()
    basket_filled_then_checkout_opened(page, town.offers, email="camille@example.test")
    page.get_by_label("Téléphone (facultatif)").fill("06 12 34 56 78")
    page.get_by_label(re.compile("Tout retirer en une fois")).check()
    with page.expect_navigation():
        page.get_by_label(re.compile("Consignes du Beffroi")).check()  # the page shows the lockers' slots…
    assert page.locator(f"label[for='slot-all-{town.slot(town.lockers).pk}']").count() == 1
    assert page.get_by_label("Adresse e-mail").input_value() == "camille@example.test"  # kept
    with page.expect_navigation():
        page.get_by_label(re.compile("Point retrait de la Halle")).check()  # …then the town point's
    slot = town.slot(town.point, 1)
    page.locator(f"label[for='slot-all-{slot.pk}']").click()
    page.screenshot(path=str(screenshot_path("checkout-collect-phone")), full_page=True)
    page.get_by_role("button", name="Réserver ce créneau").click()

    page.wait_for_url("**/checkout/recapitulatif/")
    summary = page.locator("main").inner_text()
    assert all(shop.name in summary for shop in town.shops)
    assert "Tout votre panier au point retrait de la Halle" in summary and "13,50" in summary
    page.screenshot(path=str(screenshot_path("checkout-summary-phone")), full_page=True)
    page.get_by_role("button", name="Commander").click()

    page.wait_for_url("**/checkout/merci/")
    order = Order.objects.get()
    assert f"Commande n° {order.number}" in page.locator("h1").inner_text()
    page.screenshot(path=str(screenshot_path("checkout-thank-you-phone")), full_page=True)
    page.get_by_role("link", name="Suivre ma commande").click()  # the order's status page, before any code
    assert "vous sera envoyé par e-mail" in page.locator(".pickup-code-pending").inner_text()
    assert page.locator(".pickup-part-status").all_inner_texts() == ["Nouvelle"] * 3
    shopper.close()

    for shop, merchant, title in zip(town.shops, town.merchants, town.titles):
        context = browser.new_context(base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris")
        context.set_default_timeout(15_000)
        bo = context.new_page()
        _login(bo, merchant.email)
        bo.goto("/espace-commercant/commandes/")
        queue = bo.locator("main, #content_inner").first.inner_text()
        assert f"Commande {order.number}" in queue
        bo.get_by_role("link", name=f"Commande {order.number}").click()
        detail = bo.locator("table").inner_text()
        assert title in detail
        assert all(other not in detail for other in town.titles if other != title)
        for button in ("Accepter la commande", "Commencer la préparation", "Marquer prête"):
            bo.get_by_role("button", name=button).click()
            bo.wait_for_load_state("load")
        assert bo.locator("#status").inner_text() == "Prête"
        if shop == town.shops[0]:
            bo.screenshot(path=str(screenshot_path("backoffice-part-ready")), full_page=True)
        # The merchant brings the parcel to the town point.
        bo.get_by_role("button", name="Déposée au point de retrait").click()
        bo.wait_for_load_state("load")
        assert "déposée au point de retrait : étagère 1" in bo.locator(".alert-success").inner_text()
        if shop == town.shops[0]:
            bo.screenshot(path=str(screenshot_path("backoffice-part-dropped")), full_page=True)
        context.close()

    assert set(order.shop_orders.values_list("status", flat=True)) == {ShopOrderStatus.DROPPED}
    order.payment.refresh_from_db()  # every part accepted: the card was charged, each shop paid
    assert order.payment.status == "captured" and order.payment.amount_captured_cents == 1350

    # The shopper was told once that the order is placed, and once that it is ready, with one code.
    assert [m.subject for m in mail.outbox if "confirmée" in m.subject] == [f"Commande n° {order.number} confirmée"]
    ready = [m for m in mail.outbox if "prête" in m.subject]
    assert len(ready) == 1 and ready[0].to == ["camille@example.test"]
    code = re.search(r"Votre code de retrait : (\S{3}-\S{3})", ready[0].body).group(1)
    qr = ready[0].attachments[0]
    shopper = browser.new_context(base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris",
                                  viewport=PHONE, is_mobile=True)
    page = shopper.new_page()
    page.set_content(ready[0].alternatives[0][0].replace(
        "cid:qr-code-retrait", "data:image/png;base64," + qr.get_payload().replace("\n", "")))
    page.screenshot(path=str(screenshot_path("email-order-ready-phone")), full_page=True)
    link = "/retrait/" + re.search(r"/retrait/(suivi/\S+/)", ready[0].body).group(1)
    page.goto(link)
    assert code in page.locator(".pickup-code-value").inner_text()
    assert page.locator(".pickup-code svg").count() == 1
    page.screenshot(path=str(screenshot_path("order-status-ready-phone")), full_page=True)

    # The point's staff types the code (a scanner types it the same way) and hands everything over.
    agent = UserFactory(username="agent-point", email="agent@halle.test")
    agent.set_password(PASSWORD)
    agent.save()
    point_staff_add(point=town.point, user=agent)
    staff = browser.new_context(base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris")
    desk = staff.new_page()
    _login(desk, agent.email)
    desk.goto("/retrait/point/")
    desk.get_by_label("Code de retrait").fill(code.replace("-", ""))
    desk.get_by_role("button", name="Rechercher la commande").click()
    found = desk.locator(".handover-candidate").inner_text()
    assert f"Commande n° {order.number}" in found and all(title in found for title in town.titles)
    desk.get_by_role("button", name="Remis au client").click()
    desk.wait_for_load_state("load")
    assert f"Commande n° {order.number} remise" in desk.locator(".alert-success").inner_text()
    desk.screenshot(path=str(screenshot_path("handover-collected")), full_page=True)
    staff.close()

    assert set(order.shop_orders.values_list("status", flat=True)) == {ShopOrderStatus.COLLECTED}
    assert Handover.objects.get(order=order).by_user == agent
    page.goto(link)
    assert page.locator(".pickup-part-status").all_inner_texts() == ["Retirée"] * 3
    shopper.close()
