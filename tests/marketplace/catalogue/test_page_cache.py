"""Product pages served whole from the cache to visitors without cookies: one query, each
visitor's own CSRF token, never stale (hours, closures, pictures, withdrawal, the clock),
and never served to a visitor whose header shows a basket or an account."""
from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.core import page_cache
from marketplace.catalogue.models import Product
from shops.models import OpeningPeriod, Shop
from shops.templatetags.shop_tags import hours_today
from tests.factories import ClosureFactory, OpeningPeriodFactory, ProductFactory, ShopFactory, StockRecordFactory
from tests.factories.shop_pages import ProductImageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def honey():
    """A product sold by a shop open all day, every day (whatever the day the test runs)."""
    shop = ShopFactory(name="Rucher des Remparts")
    for weekday in range(7):
        OpeningPeriodFactory(shop=shop, weekday=weekday, opens=dt.time(0, 0), closes=dt.time(23, 59))
    product = ProductFactory(title="Miel de tilleul")
    offer = StockRecordFactory(product=product, shop=shop, price=Decimal("12.00"), num_in_stock=7)
    return product, offer, shop


def visit(product, **client_kwargs) -> tuple[str, int, Client]:
    """One visit by a new visitor, with no cookie: the page and the queries it cost."""
    visitor = Client(**client_kwargs)
    with CaptureQueriesContext(connection) as queries:
        response = visitor.get(product.get_absolute_url())
    assert response.status_code == 200
    return html.unescape(response.content.decode()), len(queries), visitor


def test_a_visitor_without_cookies_gets_a_cached_page_for_one_query(honey):
    product, _, _ = honey
    first, first_queries, _ = visit(product)
    second, second_queries, _ = visit(product)

    assert first_queries > 1
    assert second_queries == 1  # the signature; the page comes from the cache
    assert "Miel de tilleul" in second and "Rucher des Remparts" in second


def test_each_visitor_of_a_cached_page_gets_a_token_that_passes_the_csrf_check(honey):
    product, _, _ = honey
    visit(product)  # fills the cache
    tokens = []
    for _ in range(2):
        page, _, visitor = visit(product, enforce_csrf_checks=True)
        assert page_cache.CSRF_MARKER not in page
        form = page.split('id="add_to_basket_form"')[1]
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
        tokens.append(fields["csrfmiddlewaretoken"])

        response = visitor.post(f"/basket/add/{product.pk}/", {**fields, "quantity": "1"})

        assert response.status_code == 302
        assert visitor.cookies.get("oscar_open_basket")
    assert tokens[0] != tokens[1]


def test_new_opening_hours_show_at_once(honey):
    product, _, shop = honey
    before = hours_today(Shop.objects.get(pk=shop.pk))
    assert f"aujourd’hui : {before}" in visit(product)[0]

    OpeningPeriod.objects.filter(shop=shop).update(opens=dt.time(7, 15))  # no signal

    after = hours_today(Shop.objects.get(pk=shop.pk))
    assert after != before
    page = visit(product)[0]
    assert f"aujourd’hui : {after}" in page and f"aujourd’hui : {before}" not in page


def test_a_closure_starting_now_shows_the_shop_closed_at_once(honey):
    product, _, shop = honey
    assert "Ouvert maintenant" in visit(product)[0]

    now = timezone.now()
    ClosureFactory(shop=shop, starts_at=now - dt.timedelta(minutes=5), ends_at=now + dt.timedelta(hours=2))

    page = visit(product)[0]
    assert "Fermé en ce moment" in page and "Ouvert maintenant" not in page


def test_a_new_picture_shows_at_once(honey):
    product, _, _ = honey
    assert "Vue du pot" not in visit(product)[0]

    ProductImageFactory(product=product, display_order=0, caption="Vue du pot")

    assert "Vue du pot" in visit(product)[0]


def test_a_product_withdrawn_from_sale_is_not_served_from_the_cache(honey):
    product, _, _ = honey
    visit(product)
    visit(product)

    Product.objects.filter(pk=product.pk).update(is_public=False)

    assert Client().get(product.get_absolute_url()).status_code == 404


def test_a_new_minute_gives_a_new_key_because_open_now_follows_the_clock(honey, rf, monkeypatch):
    product, _, _ = honey
    request = rf.get(product.get_absolute_url())
    monkeypatch.setattr(page_cache.time, "time", lambda: 1_800_000_000.0)
    at_first = page_cache.page_cache_key(request=request, signature="s")
    monkeypatch.setattr(page_cache.time, "time", lambda: 1_800_000_030.0)
    same_minute = page_cache.page_cache_key(request=request, signature="s")
    monkeypatch.setattr(page_cache.time, "time", lambda: 1_800_000_060.0)
    next_minute = page_cache.page_cache_key(request=request, signature="s")

    assert at_first == same_minute != next_minute


def test_a_visitor_with_a_basket_gets_the_page_with_their_basket(honey):
    product, offer, _ = honey
    visit(product)
    visit(product)  # cached for visitors without cookies
    shopper = Client()
    shopper.post(f"/basket/add/{product.pk}/", {"quantity": "2", "stockrecord": offer.pk})

    with CaptureQueriesContext(connection) as queries:
        page = html.unescape(shopper.get(product.get_absolute_url()).content.decode())

    assert "Panier : 2 articles" in page
    assert len(queries) > 1


def test_a_query_string_or_a_wrong_slug_is_never_answered_from_the_cache(honey):
    product, _, _ = honey
    visit(product)
    visit(product)

    wrong_slug = Client().get(f"/catalogue/autre-chose_{product.pk}/")
    assert wrong_slug.status_code == 301 and wrong_slug["Location"] == product.get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(product.get_absolute_url() + "?utm_source=lettre").status_code == 200
    assert len(queries) > 1


def test_a_product_id_beyond_the_database_range_has_no_signature():
    from marketplace.catalogue.selectors import product_page_signature

    assert product_page_signature(pk=2**31) is None
    assert product_page_signature(pk=0) is None
