"""The home page: the town's shops with open-now badges, promotions, events, featured
products and a search box, in French, for a fixed number of queries."""
from __future__ import annotations

import datetime as dt
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.town.models import TownEvent
from tests.factories import OpeningPeriodFactory, ProductFactory, ShopFactory, StockRecordFactory
from tests.factories.offer import ConditionalOfferFactory, RangeFactory
from tests.factories.shop_pages import ProductImageFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _event(title, starts_in: dt.timedelta, hours=3, **fields):
    start = timezone.now() + starts_in
    return TownEvent.objects.create(title=title, starts_at=start, ends_at=start + dt.timedelta(hours=hours), **fields)


def _town(shops: int, products: int, events: int, promotions: int, name: str):
    for n in range(shops):
        shop = ShopFactory()
        OpeningPeriodFactory(shop=shop, weekday=n % 7)
        for _ in range(products // shops):
            ProductImageFactory(product=StockRecordFactory(shop=shop).product)
    for n in range(events):
        _event(f"Marché nocturne {name} {n}", dt.timedelta(days=n + 1))
    for n in range(promotions):
        ConditionalOfferFactory(name=f"Promotion {name} {n}")


def _queries(client) -> int:
    client.get("/")  # fills the caches: menu, cards, thumbnails
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_home_page_query_count_does_not_grow_with_shops_products_events_or_promotions(client):
    _town(shops=2, products=2, events=1, promotions=1, name="petite")
    few = _queries(client)
    _town(shops=10, products=20, events=5, promotions=5, name="grande")
    many = _queries(client)

    print(f"\nhome page SQL queries: small town {few}, bigger town {many}")
    assert few == many
    assert many <= 10


def test_home_page_shows_the_shops_with_an_open_now_badge(client):
    open_shop = ShopFactory(name="Boulangerie Martin")
    for weekday in range(7):
        OpeningPeriodFactory(shop=open_shop, weekday=weekday, opens=dt.time(0, 0), closes=dt.time(23, 59))
    ShopFactory(name="Librairie Fermée")

    page = text(client.get("/"))

    assert "Boulangerie Martin" in page and "Librairie Fermée" in page
    assert page.count("Ouvert maintenant") >= 1 and "Fermé" in page


def test_home_page_shows_upcoming_published_events_soonest_first(client):
    _event("Marché de Noël", dt.timedelta(days=10), place="Place de la Halle", summary="Chalets et vin chaud")
    _event("Nocturne des commerçants", dt.timedelta(days=2))
    _event("Braderie passée", -dt.timedelta(days=5))
    _event("Brouillon", dt.timedelta(days=1), is_published=False)

    page = text(client.get("/"))

    assert page.index("Nocturne des commerçants") < page.index("Marché de Noël")
    assert "Place de la Halle" in page and "Chalets et vin chaud" in page
    assert "Braderie passée" not in page and "Brouillon" not in page


def test_home_page_says_so_when_there_is_no_event_or_promotion(client):
    page = text(client.get("/"))

    assert "Aucun événement annoncé pour le moment." in page
    assert "Pas de promotion en cours pour le moment." in page


def test_home_page_shows_the_current_town_promotions(client):
    ConditionalOfferFactory(name="5 € offerts dès 30 € dans deux commerces", description="Offert par la ville.")
    ConditionalOfferFactory(name="Promotion finie", end_datetime=timezone.now() - dt.timedelta(days=1))

    page = text(client.get("/"))

    assert "5 € offerts dès 30 € dans deux commerces" in page and "Offert par la ville." in page
    assert "Promotion finie" not in page


def test_featured_products_come_first_then_the_newest(client):
    featured = ProductFactory(title="Coffret du terroir")
    StockRecordFactory(product=featured)
    for n in range(9):
        StockRecordFactory(product=ProductFactory(title=f"Nouveauté {n}"))
    RangeFactory(name="À la une", slug="a-la-une", products=[featured])

    response = client.get("/")

    titles = [product.title for product in response.context["products"]]
    assert titles[0] == "Coffret du terroir"
    assert titles[1:] == [f"Nouveauté {n}" for n in range(8, 1, -1)]


def test_home_page_has_a_labelled_search_box(client):
    page = text(client.get("/"))

    assert '<label for="id_q_home"' in page
    assert 'role="search"' in page and 'action="/search/"' in page


def test_the_home_page_features_only_products_a_shopper_can_buy_now(client):
    buyable = ProductFactory(title="Coffret du terroir")
    StockRecordFactory(product=buyable, num_in_stock=2)
    sold_out = ProductFactory(title="Galette épuisée")
    StockRecordFactory(product=sold_out, num_in_stock=3, num_allocated=3)
    elsewhere_only = ProductFactory(title="Miel en vacances")
    StockRecordFactory(product=elsewhere_only, num_in_stock=0)
    StockRecordFactory(product=elsewhere_only, num_in_stock=5, shop=ShopFactory(vacation_mode=True))
    RangeFactory(name="À la une", slug="a-la-une", products=[sold_out, elsewhere_only, buyable])

    page = text(client.get("/"))

    assert [product.title for product in client.get("/").context["products"]] == ["Coffret du terroir"]
    assert "Indisponible" not in page
