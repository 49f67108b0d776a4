"""A product sold by two shops: the page shows the offer the shopper chose (``?commerce=<shop>``)
in its headline, stock, « proposé par », add-to-basket form and schema.org data, one cached
page per chosen shop; an unknown shop gives the default offer and is never cached."""
from __future__ import annotations

import html
import json
import re
from decimal import Decimal

import extruct
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from marketplace.basket.models import Line
from tests.factories import ProductFactory, ShopFactory, StockRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def baguette():
    product = ProductFactory(title="Baguette tradition", description="<p>Une baguette au levain.</p>")
    cheap = StockRecordFactory(product=product, shop=ShopFactory(name="Maison Muller", slug="maison-muller"),
                               price=Decimal("1.20"), num_in_stock=3)
    dear = StockRecordFactory(product=product, shop=ShopFactory(name="La Mie Gourmet", slug="la-mie-gourmet"),
                              price=Decimal("1.45"), num_in_stock=0)
    return product, cheap, dear


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _headline(page: str) -> str:
    return re.search(r'<div class="halle-offer-headline".*?</div>', page, re.DOTALL).group(0)


def _checked_offer(page: str) -> str | None:
    match = re.search(r'<input[^>]*name="stockrecord"[^>]*value="(\d+)"[^>]*\bchecked\b', page, re.DOTALL)
    return match and match.group(1)


def _schema_offer(page: str, url: str) -> dict:
    data = extruct.extract(page, base_url="http://testserver" + url, syntaxes=["json-ld"])["json-ld"]
    (product,) = [item for item in data if item.get("@type") == "Product"]
    return product["offers"][0]  # the chosen offer comes first


def test_without_a_choice_the_page_shows_the_cheapest_offer_in_stock(client, baguette):
    product, cheap, _ = baguette

    page = _page(client, product.get_absolute_url())

    headline = _headline(page)
    assert "1,20\xa0€" in headline and "Maison Muller" in headline and "Proposé par" in headline
    assert _checked_offer(page) == str(cheap.pk)


def test_choosing_the_second_shop_shows_its_price_stock_and_seller_everywhere(client, baguette):
    product, _, _ = baguette
    url = f"{product.get_absolute_url()}?commerce=la-mie-gourmet"

    page = _page(client, url)

    headline = _headline(page)
    assert "1,45\xa0€" in headline and "1,20" not in headline
    assert "Non disponible" in headline and "En stock" not in headline  # that shop has none left
    assert "La Mie Gourmet" in headline and "Maison Muller" not in headline
    assert "Proposé par" in headline
    offer = _schema_offer(page, url)
    assert offer["price"] == "1.45" and offer["priceCurrency"] == "EUR"
    assert offer["availability"] == "https://schema.org/OutOfStock"
    assert offer["seller"]["name"] == "La Mie Gourmet"
    assert offer["url"] == "http://testserver" + url


def test_the_chosen_offer_is_the_one_checked_and_added_to_the_basket(client, baguette):
    product, _, dear = baguette
    dear.num_in_stock = 5
    dear.save()

    page = _page(client, f"{product.get_absolute_url()}?commerce=la-mie-gourmet")
    assert _checked_offer(page) == str(dear.pk)
    assert "Ajouter au panier" in page

    response = client.post(f"/basket/add/{product.pk}/", {"quantity": "1", "stockrecord": _checked_offer(page)})
    assert response.status_code == 302
    assert list(Line.objects.values_list("stockrecord_id", flat=True)) == [dear.pk]


def test_each_offer_links_to_the_page_that_keeps_its_shop(client, baguette):
    product, _, _ = baguette

    page = _page(client, product.get_absolute_url())

    for slug in ("maison-muller", "la-mie-gourmet"):
        assert f'href="{product.get_absolute_url()}?commerce={slug}"' in page
        assert f'data-offer-url="{product.get_absolute_url()}?commerce={slug}"' in page


def test_an_unknown_shop_shows_the_default_offer_without_error(client, baguette):
    product, cheap, _ = baguette

    for value in ("inconnu", "", "%3Cscript%3Ealert(1)", "x" * 500):
        response = client.get(f"{product.get_absolute_url()}?commerce={value}")
        page = _page(client, f"{product.get_absolute_url()}?commerce={value}")
        assert "Maison Muller" in _headline(page) and _checked_offer(page) == str(cheap.pk)
        assert "<script>alert(1)" not in response.content.decode()


def test_the_schema_data_cannot_break_out_of_its_script_element(client):
    product = ProductFactory(title="Pain </script><script>alert(1)</script>")
    StockRecordFactory(product=product, price=Decimal("2.00"))

    raw = client.get(product.get_absolute_url()).content.decode()

    block = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', raw, re.DOTALL).group(1)
    assert "<" not in block
    assert json.loads(block)["name"] == "Pain </script><script>alert(1)</script>"


def test_the_page_cache_keeps_one_page_per_chosen_shop(baguette):
    product, _, _ = baguette
    urls = [product.get_absolute_url(), f"{product.get_absolute_url()}?commerce=la-mie-gourmet"]
    first = {url: _page(Client(), url) for url in urls}

    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            again = _page(Client(), url)
        assert len(queries) == 1, url  # served from the cache: the signature only
        assert _headline(again) == _headline(first[url])
    assert "La Mie Gourmet" in _headline(first[urls[1]]) and "Maison Muller" in _headline(first[urls[0]])


def test_an_unknown_shop_is_never_stored_in_the_page_cache(baguette):
    product, _, _ = baguette
    url = f"{product.get_absolute_url()}?commerce=nulle-part"
    _page(Client(), url)

    with CaptureQueriesContext(connection) as queries:
        _page(Client(), url)

    assert len(queries) > 1  # rendered again: made-up values do not fill the cache


def test_other_query_parameters_are_not_cached(baguette):
    product, _, _ = baguette
    url = f"{product.get_absolute_url()}?commerce=la-mie-gourmet&utm_source=lettre"
    _page(Client(), url)

    with CaptureQueriesContext(connection) as queries:
        page = _page(Client(), url)

    assert len(queries) > 1
    assert "La Mie Gourmet" in _headline(page)
