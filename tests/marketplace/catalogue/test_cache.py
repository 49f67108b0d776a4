"""What the storefront caches is never served stale: a new price, stock level, shop status,
title or category shows at once; cached cards carry each visitor's own CSRF token."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from marketplace.catalogue.models import Category
from marketplace.core import page_cache
from marketplace.partner.models import StockRecord
from shops.models import ShopStatus
from tests.factories import CategoryFactory, ProductFactory, ShopFactory, StockRecordFactory

pytestmark = pytest.mark.django_db

PAGES = ["/", "/catalogue/", "/search/?q=comte"]


@pytest.fixture
def comte():
    category = CategoryFactory(name="Fromages", slug="fromages")
    product = ProductFactory(title="Comté fruité", categories=[category])
    offer = StockRecordFactory(product=product, shop=ShopFactory(name="Fromagerie Dubois"), price=Decimal("6.90"), num_in_stock=4)
    return product, offer, category


def _pages(client, product) -> dict[str, str]:
    urls = [*PAGES, product.get_absolute_url(), product.get_categories().first().get_absolute_url()]
    return {url: client.get(url).content.decode() for url in urls}


def test_a_new_price_shows_at_once_on_every_page(client, comte):
    product, offer, _ = comte
    before = _pages(client, product)
    assert all("6,90\xa0€" in page for page in before.values())

    offer.price = Decimal("7.40")
    offer.save()

    after = _pages(client, product)
    for url, page in after.items():
        assert "7,40\xa0€" in page, url
        assert "6,90\xa0€" not in page, url


def test_a_price_changed_by_a_bulk_update_shows_at_once(client, comte):
    # No signal is sent here (like the CSV import or stock allocation): the cache must not care.
    product, offer, _ = comte
    _pages(client, product)

    StockRecord.objects.filter(pk=offer.pk).update(price=Decimal("5.10"))

    for url, page in _pages(client, product).items():
        assert "5,10\xa0€" in page and "6,90\xa0€" not in page, url


def test_running_out_of_stock_shows_at_once(client, comte):
    product, offer, _ = comte
    assert all("Indisponible" not in page for page in _pages(client, product).values())

    StockRecord.objects.filter(pk=offer.pk).update(num_allocated=4)

    pages = _pages(client, product)
    for url in PAGES[1:]:
        assert "Indisponible" in pages[url], url
    assert "Comté fruité" not in pages["/"]  # the home page features only what can be bought
    assert "Ajouter au panier" not in pages[product.get_absolute_url()].split('id="content_inner"')[1]


def test_a_suspended_shop_disappears_at_once(client, comte):
    product, offer, _ = comte
    _pages(client, product)

    offer.partner.shop.status = ShopStatus.SUSPENDED
    offer.partner.shop.save()

    pages = _pages(client, product)
    for url in PAGES:
        assert "Comté fruité" not in pages[url], url
    assert "Ce produit n'est proposé par aucun commerce en ce moment." in pages[product.get_absolute_url()].replace("&#x27;", "'")


def test_a_new_title_shows_at_once(client, comte):
    product, _, _ = comte
    _pages(client, product)

    product.title = "Comté affiné 24 mois"
    product.save()

    for url in ["/", "/catalogue/"]:
        assert "Comté affiné 24 mois" in client.get(url).content.decode(), url


def test_the_category_menu_follows_a_renamed_category(client, comte, django_capture_on_commit_callbacks):
    _, _, category = comte
    root = Category.objects.get(pk=category.pk)
    assert "Fromages" in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        root.name = "Crèmerie"
        root.save()

    menu = re.findall(r'class="dropdown-item" href="[^"]*">([^<]+)</a>', client.get("/").content.decode())
    assert "Crèmerie" in menu and "Fromages" not in menu


def test_the_category_menu_is_read_from_the_cache(client, comte):
    client.get("/catalogue/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/catalogue/")
    assert not [q for q in queries.captured_queries if "catalogue_category" in q["sql"] and "depth" in q["sql"]]


def test_cached_cards_carry_the_csrf_token_of_each_visitor(comte):
    first, second = Client(), Client()
    tokens = []
    for visitor in (first, second):
        page = visitor.get("/catalogue/").content.decode()
        card = page.split('class="product_pod"')[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', card).group(1)
        tokens.append(token)
        assert page_cache.CSRF_MARKER not in page
    assert tokens[0] != tokens[1]


def test_adding_from_a_cached_card_passes_the_csrf_check(comte):
    product, offer, _ = comte
    visitor = Client(enforce_csrf_checks=True)
    visitor.get("/catalogue/")  # fills the card cache
    page = visitor.get("/catalogue/").content.decode()  # served from it
    card = page.split('class="product_pod"')[1]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', card))

    response = visitor.post(f"/basket/add/{product.pk}/", fields)

    assert response.status_code == 302
    assert visitor.cookies.get("oscar_open_basket")
