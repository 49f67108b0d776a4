"""A shopper fills one basket from three shops, picking the second shop's offer of a shared product."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tests.e2e.conftest import screenshot_path
from tests.factories import ProductFactory, ShopFactory, StockRecordFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town():
    muller = ShopFactory(name="Maison Muller", slug="maison-muller")
    gourmet = ShopFactory(name="La Mie Gourmet", slug="la-mie-gourmet")
    fromagerie = ShopFactory(name="Fromagerie Dubois", slug="fromagerie-dubois", trade="fromagerie")
    baguette = ProductFactory(title="Baguette tradition bio")
    StockRecordFactory(product=baguette, shop=muller, price=Decimal("1.20"), num_in_stock=30)
    StockRecordFactory(product=baguette, shop=gourmet, price=Decimal("1.40"), num_in_stock=30)
    croissants = ProductFactory(title="Croissants au beurre")
    StockRecordFactory(product=croissants, shop=muller, price=Decimal("1.10"), num_in_stock=30)
    comte = ProductFactory(title="Comté 18 mois")
    StockRecordFactory(product=comte, shop=fromagerie, price=Decimal("6.90"), num_in_stock=10)
    return {"baguette": baguette, "croissants": croissants, "comte": comte}


def _add_from_product_page(page, title: str, quantity: int, shop: str | None = None) -> None:
    page.goto("/search/?q=" + title.split()[0].lower())
    page.get_by_role("link", name=re.compile(re.escape(title))).first.click()
    page.wait_for_selector("#add_to_basket_form")
    if shop:
        page.get_by_label(re.compile(re.escape(shop))).check()
    page.locator("#add_to_basket_form input[name=quantity]").fill(str(quantity))
    page.locator("#add_to_basket_form button[type=submit]").click()
    page.wait_for_load_state("load")


def test_basket_from_three_shops_with_the_second_offer_picked(page, town):
    page.goto("/")
    page.locator("input[name=q]").first.fill("baguette")
    page.locator("input[name=q]").first.press("Enter")
    page.get_by_role("link", name=re.compile("Baguette tradition bio")).first.click()

    # The product page lists both shops' offers; the cheapest is preselected.
    offers = page.locator("fieldset.offers .offer")
    assert offers.count() == 2
    assert page.get_by_label(re.compile("Maison Muller")).is_checked()
    page.screenshot(path=str(screenshot_path("product-two-offers")), full_page=True)

    page.get_by_label(re.compile("La Mie Gourmet")).check()
    page.locator("#add_to_basket_form input[name=quantity]").fill("2")
    page.locator("#add_to_basket_form button[type=submit]").click()
    page.wait_for_load_state("load")

    _add_from_product_page(page, "Croissants au beurre", 3)
    _add_from_product_page(page, "Comté 18 mois", 1)

    page.goto("/basket/")
    groups = page.locator(".basket-shop-group")
    assert groups.count() == 3
    subtotals = {
        groups.nth(i).locator("h2").inner_text(): groups.nth(i).locator(".shop-subtotal").inner_text()
        for i in range(3)
    }
    assert subtotals == {
        "Fromagerie Dubois": "6,90\xa0€",
        "La Mie Gourmet": "2,80\xa0€",  # the second shop's offer, 2 × 1,40
        "Maison Muller": "3,30\xa0€",
    }
    page.screenshot(path=str(screenshot_path("basket-three-shops")), full_page=True)
    assert page.js_errors == []
