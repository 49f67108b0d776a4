"""The product page: every selling shop's offer with its hours, VAT detail, a fixed number
of SQL queries whatever the number of offers and pictures, and no 500 on odd URLs."""
from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shops.models import ShopStatus
from tests.factories import CategoryFactory, OpeningPeriodFactory, ProductFactory, ShopFactory, StockRecordFactory
from tests.factories.shop_pages import ProductImageFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _product_with(offers: int, images: int):
    product = ProductFactory(title="Comté 18 mois", categories=[CategoryFactory()])
    for n in range(offers):
        shop = ShopFactory(name=f"Fromagerie {n} du {product.pk}")
        OpeningPeriodFactory(shop=shop, weekday=1, opens=dt.time(9), closes=dt.time(12))
        OpeningPeriodFactory(shop=shop, weekday=1, opens=dt.time(14), closes=dt.time(19))
        StockRecordFactory(product=product, shop=shop, price=Decimal("6.90") + n)
    StockRecordFactory(product=product, shop=ShopFactory(status=ShopStatus.SUSPENDED), price=Decimal("1.00"))
    for n in range(images):
        ProductImageFactory(product=product, display_order=n, caption=f"Vue {n}")
    return product


def _queries(client, product) -> int:
    # A visitor with a session: the page is rendered (not served whole from the page cache).
    client.cookies["sessionid"] = "visitor-with-a-session"
    client.get(product.get_absolute_url())  # first view: thumbnails made, menu and trail cached
    with CaptureQueriesContext(connection) as queries:
        response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


def test_product_page_query_count_does_not_grow_with_offers_or_pictures(client):
    few = _queries(client, _product_with(offers=1, images=1))
    many = _queries(client, _product_with(offers=6, images=5))

    print(f"\nproduct page SQL queries: 1 offer 1 picture {few}, 6 offers 5 pictures {many}")
    assert few == many
    assert many <= 8


def test_product_page_lists_every_selling_offer_cheapest_first_with_hours(client):
    product = _product_with(offers=3, images=0)

    page = text(client.get(product.get_absolute_url()))

    positions = [page.index(f"Fromagerie {n} du {product.pk}") for n in range(3)]
    assert positions == sorted(positions)
    assert page.count('name="stockrecord"') == 3  # the suspended shop's cheaper offer is not there
    assert "1,00" not in page
    assert "Vendu par 3 commerces" in page
    assert "aujourd’hui :" in page


def test_product_page_shows_prices_with_and_without_vat_in_french(client):
    product = ProductFactory(title="Miel de tilleul")
    StockRecordFactory(product=product, price=Decimal("12.00"))

    page = text(client.get(product.get_absolute_url()))

    assert "Prix HT" in page and "10,00\xa0€" in page
    assert "TVA (20 %)" in page and "2,00\xa0€" in page
    assert "Prix TTC" in page and "12,00\xa0€" in page


def test_a_product_without_picture_shows_the_french_placeholder(client):
    product = ProductFactory(title="Savon au lait d'ânesse")
    StockRecordFactory(product=product)

    response = client.get(product.get_absolute_url())

    assert response.context["product"].primary_image()["original"] == "image_non_disponible.png"
    assert 'alt="Pas encore de photo pour ce produit"' in text(response)


def test_pictures_have_their_caption_or_the_title_as_alternative(client):
    product = _product_with(offers=1, images=2)

    page = text(client.get(product.get_absolute_url()))

    assert 'alt="Vue 0"' in page and 'alt="Vue 1"' in page


def test_merchant_html_in_a_description_is_sanitised(client):
    product = ProductFactory(description='<p>Bon <strong>pain</strong></p><script>alert(1)</script><img src=x onerror="alert(2)">')
    StockRecordFactory(product=product)

    page = client.get(product.get_absolute_url()).content.decode()

    assert "<strong>pain</strong>" in page
    assert "<script>alert(1)" not in page and "onerror" not in page


def test_a_product_only_sold_by_a_suspended_shop_cannot_be_bought(client):
    product = ProductFactory(title="Tomme de brebis")
    StockRecordFactory(product=product, shop=ShopFactory(status=ShopStatus.SUSPENDED))

    page = text(client.get(product.get_absolute_url()))

    assert "Ce produit n'est proposé par aucun commerce en ce moment." in page
    assert "Ajouter au panier" not in page


@pytest.mark.parametrize(
    "path",
    [
        "/catalogue/nimporte-quoi_99999999999999999999/",
        "/catalogue/nimporte-quoi_0/",
        "/catalogue/nimporte-quoi_2147483648/",
    ],
)
def test_unknown_or_absurd_product_ids_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_a_wrong_slug_redirects_to_the_product(client):
    product = ProductFactory(title="Confiture de fraises")
    StockRecordFactory(product=product)

    response = client.get(f"/catalogue/mauvais_{product.pk}/")

    assert response.status_code == 301
    assert response["Location"] == product.get_absolute_url()
