"""Shopper-facing pages: they answer in French, survive odd input, and cost a fixed
number of SQL queries whatever the number of products listed."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from marketplace.catalogue.models import Category, Product, ProductImage
from marketplace.demo.images import placeholder_image
from marketplace.demo.town import town_seed
from shops.models import Shop
from tests.factories import CategoryFactory, ProductFactory, ShopFactory, StockRecordFactory

pytestmark = pytest.mark.django_db

LISTING_SIZES = (5, 20)


@pytest.fixture
def town():
    """A small realistic town: 5 shops, 60 products (seed 1, no pictures)."""
    town_seed(shops=5, products=60, seed=1, images=False, today=dt.date(2026, 3, 2))


def _html_lang(response) -> str:
    match = re.search(r"<html[^>]*\blang=\"([^\"]+)\"", response.content.decode())
    assert match, "no lang attribute on <html>"
    return match.group(1)


def _listed_products(response) -> int:
    return response.content.decode().count('class="product_pod"')


# --- The pages answer, in French ------------------------------------------------------


def test_home_page_lists_the_shops_in_french(client, town):
    response = client.get("/")

    assert response.status_code == 200
    assert _html_lang(response) == "fr"
    html = response.content.decode()
    assert "Nos commerces" in html
    assert "Les commerces de" in html
    assert "À la une et nouveautés" in html
    assert "Promotions en cours" in html
    assert "Agenda du centre-ville" in html
    assert "Voir tous les produits" in html
    for shop in Shop.objects.all():
        assert escape(shop.name) in html
    assert html.count("Ouvert maintenant") + html.count("Fermé") >= 5  # a badge per shop
    assert _listed_products(response) == 8


def test_catalogue_page_lists_products_in_french(client, town):
    response = client.get("/catalogue/")

    assert response.status_code == 200
    assert _html_lang(response) == "fr"
    assert "Tous les produits" in response.content.decode()
    assert _listed_products(response) == 24  # one full page
    assert response.context["paginator"].count == 60


def test_category_page_lists_the_products_of_the_category_and_its_children(client, town):
    bread = Category.objects.get(slug="pains-viennoiseries")
    food = Category.objects.get(slug="alimentation")

    response = client.get(bread.get_absolute_url())
    parent_response = client.get(food.get_absolute_url())

    assert response.status_code == 200
    assert _html_lang(response) == "fr"
    assert "Pains et viennoiseries" in response.content.decode()
    in_bread = Product.objects.filter(categories=bread).count()
    assert in_bread > 0
    assert response.context["paginator"].count == in_bread
    assert parent_response.status_code == 200
    assert parent_response.context["paginator"].count > in_bread


def test_category_page_at_a_wrong_slug_redirects_permanently_to_the_right_one(client, town):
    bread = Category.objects.get(slug="pains-viennoiseries")

    response = client.get(f"/catalogue/category/mauvais-nom_{bread.pk}/")

    assert response.status_code == 301
    assert response["Location"] == bread.get_absolute_url()


def test_product_page_shows_the_price_with_vat_in_euros(client, town):
    product = Product.objects.filter(title__startswith="Baguette tradition").first()
    assert product is not None

    response = client.get(product.get_absolute_url())

    assert response.status_code == 200
    assert _html_lang(response) == "fr"
    html = response.content.decode()
    assert product.title in html
    assert "€" in html


def test_search_page_finds_bread_in_french(client, town):
    response = client.get("/search/", {"q": "pain"})

    assert response.status_code == 200
    assert _html_lang(response) == "fr"
    html = response.content.decode()
    found = response.context["paginator"].count
    assert found > 0
    assert _listed_products(response) == min(found, 24)
    breads = set(Product.objects.filter(title__istartswith="pain "))
    assert breads, "the seeded town has no « Pain … » product"
    assert breads <= set(response.context["paginator"].object_list)
    for product in response.context["products"]:  # « pain » in its text or its category's name
        categories = " ".join(c.name for c in product.categories.all())
        assert "pain" in f"{product.title} {product.description} {categories}".lower()
    assert "Résultats pour « pain »" in html
    assert "produits trouvés" in html or "produit trouvé" in html


def test_search_page_without_a_query_invites_to_type_a_word(client, town):
    response = client.get("/search/")

    assert response.status_code == 200
    assert "Saisissez un mot pour chercher" in response.content.decode()
    assert _listed_products(response) == 0


def test_basket_page_answers_in_french(client, town):
    response = client.get("/basket/")

    assert response.status_code == 200
    assert _html_lang(response) == "fr"
    assert "panier" in response.content.decode().lower()


def test_products_of_a_shop_on_holiday_are_not_listed(client):
    shop = ShopFactory(vacation_mode=True)
    hidden = StockRecordFactory(shop=shop, product=ProductFactory(title="Pain caché")).product
    shown = StockRecordFactory(product=ProductFactory(title="Pain visible")).product

    response = client.get("/search/", {"q": "pain"})

    assert list(response.context["products"]) == [shown]
    assert hidden.title not in response.content.decode()


# --- Odd input never breaks a page -----------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"q": "p" * 500},
        {"q": "🥖 ' OR 1=1 --"},
        {"q": "pain\x00"},
        {"q": "\x00"},
        {"q": "%' ; DROP TABLE catalogue_product; --"},
        {"q": "pain", "page": "abc"},
        {"q": "pain", "page": "999"},
        {"q": "pain", "page": "-1"},
        {"q": "   "},
    ],
    ids=["500-chars", "emoji-sql", "nul-suffix", "nul-only", "drop-table", "page-abc", "page-999", "page-neg", "blank"],
)
def test_search_page_answers_200_to_odd_input(client, town, params):
    response = client.get("/search/", params)

    assert response.status_code == 200
    assert _html_lang(response) == "fr"
    assert Product.objects.count() == 60


def test_too_long_search_is_refused_with_a_french_message(client, town):
    response = client.get("/search/", {"q": "p" * 500})

    assert response.status_code == 200
    assert "La recherche est limitée à 200 caractères." in response.content.decode()
    assert _listed_products(response) == 0


def test_out_of_range_page_shows_the_first_page(client, town):
    first = client.get("/catalogue/")
    far = client.get("/catalogue/", {"page": "999"})
    junk = client.get("/catalogue/", {"page": "abc"})

    assert far.status_code == junk.status_code == 200
    first_ids = [p.pk for p in first.context["products"]]
    assert [p.pk for p in far.context["products"]] == first_ids
    assert [p.pk for p in junk.context["products"]] == first_ids


@pytest.mark.parametrize("page", ["abc", "999", "0", "1e3"])
def test_category_page_answers_200_to_a_bad_page_number(client, town, page):
    bread = Category.objects.get(slug="pains-viennoiseries")

    response = client.get(bread.get_absolute_url(), {"page": page})

    assert response.status_code == 200


# --- A fixed number of queries per listing page ---------------------------------------


def _listing(size: int, word: str) -> Category:
    """``size`` products titled with ``word``, each with a picture and offered by two
    shops (one of them on holiday), in one category."""
    category = CategoryFactory()
    selling, on_holiday = ShopFactory(), ShopFactory(vacation_mode=True)
    for n in range(size):
        product = ProductFactory(title=f"{word} numéro {n}", categories=[category])
        StockRecordFactory(product=product, shop=selling, price=Decimal("3.00") + n)
        StockRecordFactory(product=product, shop=on_holiday, price=Decimal("2.00") + n)
        ProductImage.objects.create(
            product=product, original=placeholder_image(slug=f"{word}-{n}", label=word, size=64), display_order=0
        )
    return category


def _count_queries(client, url: str, params: dict, expected_products: int) -> int:
    warm = client.get(url, params)  # first hit may fill caches (thumbnails, category tree)
    assert warm.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    assert _listed_products(response) == expected_products
    assert response.content.decode().count('src="/media/cache/') == expected_products  # thumbnails
    return len(queries)


def test_category_page_query_count_does_not_grow_with_the_number_of_products(client):
    counts = {}
    for size in LISTING_SIZES:
        category = _listing(size, f"Brioche{size}")
        counts[size] = _count_queries(client, category.get_absolute_url(), {}, size)
    print(f"\ncategory page SQL queries: {counts}")

    assert counts[5] == counts[20]


def test_search_page_query_count_does_not_grow_with_the_number_of_products(client):
    counts = {}
    for size in LISTING_SIZES:
        _listing(size, f"Fougasse{size}x")
        counts[size] = _count_queries(client, "/search/", {"q": f"fougasse{size}x"}, size)
    print(f"\nsearch page SQL queries: {counts}")

    assert counts[5] == counts[20]


def test_catalogue_page_query_count_does_not_grow_with_the_number_of_products(client):
    counts = {}
    for size in LISTING_SIZES:
        Product.objects.all().delete()
        _listing(size, "Tarte")
        counts[size] = _count_queries(client, "/catalogue/", {}, size)
    print(f"\ncatalogue page SQL queries: {counts}")

    assert counts[5] == counts[20]


def test_product_card_shows_the_price_of_the_selling_shop_in_french_format(client):
    product = ProductFactory(title="Fougasse aux olives")
    StockRecordFactory(product=product, shop=ShopFactory(vacation_mode=True), price=Decimal("2.10"))
    StockRecordFactory(product=product, price=Decimal("3.40"))

    response = client.get("/search/", {"q": "fougasse"})

    html = response.content.decode()
    assert _listed_products(response) == 1
    assert re.search(r"3,40\s*€", html)
    assert "2,10" not in html
