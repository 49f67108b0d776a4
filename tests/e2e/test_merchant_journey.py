"""A merchant signs in, changes a stock level, imports a CSV with a bad row (refused, nothing applied),
fixes it, imports it, and sees the new stock on the storefront; on a desktop and on a phone."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from marketplace.partner.models import StockRecord
from tests.e2e.conftest import screenshot_path
from tests.factories import ProductFactory, StockRecordFactory
from tests.factories.backoffice import PASSWORD, merchant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"ordinateur": {"width": 1280, "height": 900}, "telephone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(VIEWPORTS))
def device_page(request, browser, live_server):
    """A French browser page of the given size (a phone is touch-enabled)."""
    name = request.param
    phone = name == "telephone"
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris", viewport=VIEWPORTS[name],
        is_mobile=phone, has_touch=phone, device_scale_factor=2 if phone else 1,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    page.device = name
    try:
        yield page
    finally:
        if getattr(request.node, "rep_call", None) and request.node.rep_call.failed:
            page.screenshot(path=str(screenshot_path(f"merchant-{name}-failure")), full_page=True)
        context.close()


@pytest.fixture
def bakery():
    user, shop = merchant(username="muller", email="muller@halle.test", role="owner")
    shop.name = "Boulangerie Muller"
    shop.save()
    StockRecordFactory(shop=shop, product=ProductFactory(title="Baguette tradition"), partner_sku="BAG",
                       price=Decimal("1.20"), num_in_stock=10)
    StockRecordFactory(shop=shop, product=ProductFactory(title="Croissant au beurre"), partner_sku="CRO",
                       price=Decimal("1.10"), num_in_stock=5)
    return user, shop


def shot(page, step: str) -> None:
    page.screenshot(path=str(screenshot_path(f"merchant-{page.device}-{step}")), full_page=True)


def upload(page, name: str, text: str) -> None:
    page.goto("/espace-commercant/imports/")
    page.get_by_label(re.compile("Fichier CSV")).set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}
    )
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.wait_for_load_state("load")


def stock(sku: str) -> tuple[Decimal, int]:
    offer = StockRecord.objects.get(partner_sku=sku)
    return offer.price, offer.num_in_stock


def test_merchant_changes_stock_imports_a_csv_and_sees_it_in_the_shop(device_page, bakery):
    page = device_page
    page.goto("/espace-commercant/")
    assert "/accounts/login/" in page.url  # the back-office wants a signed-in merchant
    page.locator("#id_login-username").fill("muller@halle.test")
    page.locator("#id_login-password").fill(PASSWORD)
    page.locator("button[name=login_submit]").click()
    page.wait_for_url(re.compile("/espace-commercant/$"))
    shot(page, "1-accueil")

    # A stock level changed by hand on the product's page.
    page.get_by_role("link", name="Catalogue", exact=True).first.click()
    page.get_by_role("link", name="Baguette tradition").click()
    page.get_by_label("Stock", exact=True).fill("25")
    shot(page, "2-fiche-produit")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state("load")
    assert "« Baguette tradition » enregistré." in page.content()
    assert stock("BAG") == (Decimal("1.20"), 25)

    # A file with one bad row: refused with the line and the reason, nothing applied.
    upload(page, "stock-lundi.csv", "sku;prix;stock\nBAG;1,30;40\nCRO;1,2O;12\n")
    assert page.locator("[data-status]").inner_text() == "refusé"
    error_row = page.locator("tbody tr").filter(has_text="Format de prix invalide")
    assert error_row.locator("td").nth(0).inner_text() == "3" and error_row.locator("td").nth(1).inner_text() == "prix"
    assert "rien n'a été modifié" in page.content()
    assert page.get_by_role("button", name=re.compile("Appliquer")).count() == 0
    shot(page, "3-import-refuse")
    assert stock("BAG") == (Decimal("1.20"), 25) and stock("CRO") == (Decimal("1.10"), 5)

    # The fixed file: previewed, then applied as a whole.
    upload(page, "stock-lundi-corrige.csv", "sku;prix;stock\nBAG;1,30;40\nCRO;1,20;12\n")
    assert page.locator("[data-status]").inner_text() == "prêt à appliquer"
    shot(page, "4-import-apercu")
    page.get_by_role("button", name="Appliquer les 2 lignes").click()
    page.wait_for_load_state("load")
    assert page.locator("[data-status]").inner_text() == "appliqué"
    assert "Import appliqué : 2 lignes." in page.content()
    shot(page, "5-import-applique")
    assert stock("BAG") == (Decimal("1.30"), 40) and stock("CRO") == (Decimal("1.20"), 12)

    # The storefront shows the new price and stock.
    page.goto("/search/?q=croissant")
    page.get_by_role("link", name=re.compile("Croissant au beurre")).first.click()
    page.wait_for_selector("#add_to_basket_form")
    body = page.locator("main, #default, body").first.inner_text()
    assert "1,20" in body
    assert re.search(r"12\s+disponible", body), body[:2000]
    shot(page, "6-boutique")
    assert page.js_errors == []


def test_owner_creates_a_till_token_and_invites_staff(device_page, bakery, client):
    page = device_page
    page.goto("/accounts/login/")
    page.locator("#id_login-username").fill("muller@halle.test")
    page.locator("#id_login-password").fill(PASSWORD)
    page.locator("button[name=login_submit]").click()
    page.wait_for_load_state("load")

    page.goto("/espace-commercant/caisse-api/")
    page.get_by_label("Nom du jeton").fill("Caisse du comptoir")
    page.get_by_role("button", name="Créer un jeton").click()
    page.wait_for_load_state("load")
    secret = page.locator("#new-token").input_value()
    assert secret.startswith("halle_")
    shot(page, "7-jeton-cree")
    response = client.get("/api/v1/offers/BAG/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200 and response.json()["stock"] == 10

    page.goto("/espace-commercant/equipe/")
    page.get_by_label("E-mail de la personne à inviter").fill("apprenti@halle.test")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.wait_for_load_state("load")
    assert "Invitation envoyée à apprenti@halle.test." in page.content()
    shot(page, "8-equipe")
    assert page.js_errors == []
