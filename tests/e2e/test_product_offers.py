"""A product sold by two shops, in the browser: picking the second offer moves the headline,
the address and the basket line to that shop."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tests.factories import ProductFactory, ShopFactory, StockRecordFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_the_second_offer_moves_the_headline_and_the_basket_line_to_that_shop(page, live_server):
    product = ProductFactory(title="Baguette tradition")
    StockRecordFactory(product=product, shop=ShopFactory(name="Maison Muller", slug="maison-muller"),
                       price=Decimal("1.20"), num_in_stock=5)
    StockRecordFactory(product=product, shop=ShopFactory(name="La Mie Gourmet", slug="la-mie-gourmet"),
                       price=Decimal("1.45"), num_in_stock=2)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(product.get_absolute_url())
    headline = page.locator(".halle-offer-headline")
    assert "1,20\xa0€" in headline.inner_text() and "Maison Muller" in headline.inner_text()

    page.get_by_label(re.compile("La Mie Gourmet")).check()

    assert "1,45\xa0€" in headline.inner_text()
    assert "La Mie Gourmet" in headline.inner_text() and "Maison Muller" not in headline.inner_text()
    assert "En stock (2 disponibles)" in headline.inner_text()
    assert page.url.endswith("?commerce=la-mie-gourmet")
    page.reload()  # the address alone gives the same page (a shared link)
    assert "La Mie Gourmet" in page.locator(".halle-offer-headline").inner_text()

    page.locator("#add_to_basket_form button[type=submit]").click()
    page.wait_for_load_state("load")
    page.goto("/basket/")
    basket = page.locator("#content_inner").inner_text()
    assert "La Mie Gourmet" in basket and "Maison Muller" not in basket
    assert "1,45\xa0€" in basket
    assert page.js_errors == []
