"""A shop's page at /commerces/<slug>/: who, where, when, photos, map and products."""
from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from shops.models import ShopStatus, Trade
from tests.factories import (
    ClosureFactory,
    OpeningPeriodFactory,
    ProductFactory,
    ShopFactory,
    StockRecordFactory,
)
from tests.factories.shop_pages import ProductImageFactory, ShopPhotoFactory

PARIS = ZoneInfo("Europe/Paris")
TUESDAY_10AM = dt.datetime(2026, 3, 10, 10, 0, tzinfo=PARIS)  # a Tuesday
TILES = "https://tuiles.example/{z}/{x}/{y}.png"

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen_now():
    with mock.patch("django.utils.timezone.now", return_value=TUESDAY_10AM):
        yield TUESDAY_10AM


@pytest.fixture
def bakery():
    shop = ShopFactory(
        name="Au Bon Pain",
        trade=Trade.BOULANGERIE,
        line1="3 rue Grande",
        phone="02 38 12 34 56",
        latitude="47.997500",
        longitude="2.733000",
    )
    t = dt.time
    for weekday in range(1, 6):  # Tuesday to Saturday
        OpeningPeriodFactory(shop=shop, weekday=weekday, opens=t(15, 30), closes=t(19, 30))
        OpeningPeriodFactory(shop=shop, weekday=weekday, opens=t(7, 0), closes=t(13, 0))
    OpeningPeriodFactory(shop=shop, weekday=6, opens=t(7, 30), closes=t(12, 30))
    return shop


def page(client, shop, **params):
    return client.get(f"/commerces/{shop.slug}/", params)


def text(response) -> str:
    """The page's text with tags removed and entities decoded, for readable assertions."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html_lib.unescape(body))


def product_titles(response) -> list[str]:
    return [p.title for p in response.context["products"]]


def test_the_page_shows_name_trade_address_and_contact(client, frozen_now, bakery):
    response = page(client, bakery)

    assert response.status_code == 200
    body = text(response)
    assert "<h1>Au Bon Pain</h1>" in response.content.decode()
    assert "Boulangerie-pâtisserie" in body
    assert "3 rue Grande 45210 Beaumont-sur-Loing" in body
    assert 'href="tel:0238123456"' in response.content.decode()
    assert "<title>Au Bon Pain — Boulangerie-pâtisserie" in response.content.decode()


def test_unknown_slug_is_a_404(client):
    assert client.get("/commerces/nexiste-pas/").status_code == 404


def test_a_suspended_shop_is_a_404_for_shoppers(client):
    shop = ShopFactory(status=ShopStatus.SUSPENDED)
    assert page(client, shop).status_code == 404


def test_a_shop_on_holiday_is_shown_with_a_notice(client, frozen_now):
    shop = ShopFactory(vacation_mode=True)
    StockRecordFactory(shop=shop)

    response = page(client, shop)

    assert response.status_code == 200
    assert "Ce commerce est en congés" in text(response)
    assert "Aucun produit en vente pour le moment." in text(response)


def test_weekly_hours_grouped_by_day_in_french(client, frozen_now, bakery):
    body = text(page(client, bakery))

    assert "lundi : fermé" in body
    assert "mardi : 7:00–13:00, 15:30–19:30" in body
    assert "samedi : 7:00–13:00, 15:30–19:30" in body
    assert "dimanche : 7:30–12:30" in body
    days = re.findall(r"(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) :", body)
    assert days == ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def test_today_is_marked_in_the_hours(client, frozen_now, bakery):
    html = page(client, bakery).content.decode()
    assert '<li class="font-weight-bold" aria-current="date">mardi : 7:00–13:00, 15:30–19:30</li>' in html


def test_open_badge_at_the_frozen_time(client, bakery):
    with mock.patch("django.utils.timezone.now", return_value=TUESDAY_10AM):
        assert "Ouvert maintenant" in text(page(client, bakery))
    with mock.patch("django.utils.timezone.now", return_value=TUESDAY_10AM.replace(hour=14)):
        body = text(page(client, bakery))
        assert "Fermé" in body and "Ouvert maintenant" not in body


def test_upcoming_closures_are_listed_in_french_and_past_ones_are_not(client, frozen_now, bakery):
    ClosureFactory(
        shop=bakery,
        starts_at=dt.datetime(2026, 3, 1, tzinfo=PARIS),
        ends_at=dt.datetime(2026, 3, 5, tzinfo=PARIS),
        reason="Congés d'hiver",
    )
    ClosureFactory(
        shop=bakery,
        starts_at=dt.datetime(2026, 8, 3, tzinfo=PARIS),
        ends_at=dt.datetime(2026, 8, 17, tzinfo=PARIS),
        reason="Congés annuels",
    )
    ClosureFactory(
        shop=bakery,
        starts_at=dt.datetime(2026, 3, 12, 14, 0, tzinfo=PARIS),
        ends_at=dt.datetime(2026, 3, 12, 19, 0, tzinfo=PARIS),
        reason="Inventaire",
    )
    ClosureFactory(
        shop=bakery,
        starts_at=dt.datetime(2026, 4, 6, tzinfo=PARIS),
        ends_at=dt.datetime(2026, 4, 7, tzinfo=PARIS),
        reason="",
    )
    ClosureFactory(
        shop=bakery,
        starts_at=dt.datetime(2026, 5, 1, 12, 0, tzinfo=PARIS),
        ends_at=dt.datetime(2026, 5, 2, 10, 0, tzinfo=PARIS),
        reason="Travaux",
    )

    body = text(page(client, bakery))

    assert "Fermetures exceptionnelles" in body
    assert "Congés d'hiver" not in body
    assert "Inventaire : le jeudi 12 mars 2026 de 14:00 à 19:00" in body
    assert "le lundi 6 avril 2026" in body
    assert "Travaux : du vendredi 1 mai 2026 à 12:00 au samedi 2 mai 2026 à 10:00" in body
    assert "Congés annuels : du lundi 3 août 2026 au dimanche 16 août 2026" in body
    assert body.index("Inventaire") < body.index("6 avril") < body.index("Travaux") < body.index("Congés annuels")


def test_a_closure_in_progress_is_listed_and_closes_the_shop(client, frozen_now, bakery):
    ClosureFactory(
        shop=bakery,
        starts_at=TUESDAY_10AM - dt.timedelta(hours=2),
        ends_at=TUESDAY_10AM + dt.timedelta(hours=4),
        reason="Panne du four",
    )

    body = text(page(client, bakery))

    assert "Panne du four : le mardi 10 mars 2026 de 8:00 à 14:00" in body
    assert "Ouvert maintenant" not in body


def test_no_closure_section_without_upcoming_closures(client, frozen_now, bakery):
    assert "Fermetures exceptionnelles" not in text(page(client, bakery))


def test_the_description_is_sanitised(client, frozen_now):
    shop = ShopFactory(
        description=(
            '<p>Le <strong>meilleur</strong> pain de la ville.</p>'
            '<script>alert("xss")</script><img src=x onerror="alert(1)">'
            '<a href="javascript:alert(1)">clic</a><p onclick="alert(2)">Depuis 1920.</p>'
        )
    )

    html = page(client, shop).content.decode()
    section = re.search(r'<section aria-labelledby="about-heading".*?</section>', html, flags=re.S).group(0)

    assert "<p>Le <strong>meilleur</strong> pain de la ville.</p>" in section
    assert "<p>Depuis 1920.</p>" in section
    assert '<a rel="nofollow noopener noreferrer ugc">clic</a>' in section
    assert "alert" not in html
    assert "<img src=x" not in html
    assert "onerror" not in section and "onclick" not in section and "<script" not in section


def test_a_plain_text_description_keeps_its_paragraphs(client, frozen_now):
    shop = ShopFactory(description="Pains & brioches.\n\nOuvert le dimanche.")
    html = page(client, shop).content.decode()
    assert "<p>Pains &amp; brioches.</p>" in html
    assert "<p>Ouvert le dimanche.</p>" in html


def test_photos_are_shown_in_order_with_their_alt_texts(client, frozen_now):
    shop = ShopFactory()
    ShopPhotoFactory(shop=shop, alt_text="Le comptoir et ses viennoiseries", display_order=2)
    ShopPhotoFactory(shop=shop, alt_text="La devanture bleue, rue Grande", display_order=1)
    ShopPhotoFactory(alt_text="Photo d'un autre commerce")

    html = page(client, shop).content.decode()

    alts = re.findall(r'<img src="/media/shops/[^"]+" alt="([^"]*)" width="40" height="30"', html)
    assert alts == ["La devanture bleue, rue Grande", "Le comptoir et ses viennoiseries"]
    assert "autre commerce" not in html


def test_no_photo_section_without_photos(client, frozen_now):
    assert "Photos du commerce" not in page(client, ShopFactory()).content.decode()


@override_settings(HALLE_MAP_TILE_URL="")
def test_without_map_tiles_the_address_is_a_plain_link(client, frozen_now, bakery):
    html = page(client, bakery).content.decode()

    assert 'id="shop-map"' not in html
    assert "leaflet" not in html
    assert "shop-map.js" not in html
    assert (
        '<a href="https://www.openstreetmap.org/search?query=3%20rue%20Grande%2C%2045210%20Beaumont-sur-Loing"'
        in html
    )


@override_settings(HALLE_MAP_TILE_URL=TILES, HALLE_MAP_ATTRIBUTION="© Tuiles <a href=\"https://t.example\">T</a>")
def test_with_map_tiles_the_page_has_a_leaflet_map_from_static(client, frozen_now, bakery):
    html = page(client, bakery).content.decode()

    container = re.search(r'<div id="shop-map"[^>]*>', html).group(0)
    assert 'data-latitude="47.997500"' in container
    assert 'data-longitude="2.733000"' in container
    assert f'data-tile-url="{TILES}"' in container
    assert 'data-attribution="© Tuiles &lt;a href=&quot;https://t.example&quot;&gt;T&lt;/a&gt;"' in container
    assert 'data-marker-icon="/static/vendor/leaflet/images/marker-icon.png"' in container
    assert '<link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css">' in html
    assert '<script src="/static/vendor/leaflet/leaflet.js" defer></script>' in html
    assert '<script src="/static/js/shop-map.js" defer></script>' in html
    assert "unpkg" not in html and "cdnjs" not in html and "jsdelivr" not in html


@override_settings(HALLE_MAP_TILE_URL=TILES)
def test_with_map_tiles_a_shop_without_coordinates_gets_the_link(client, frozen_now):
    shop = ShopFactory(latitude=None, longitude=None)
    html = page(client, shop).content.decode()
    assert 'id="shop-map"' not in html and "leaflet.js" not in html
    assert "https://www.openstreetmap.org/search?query=" in html


def test_the_leaflet_files_are_vendored_in_static():
    from django.contrib.staticfiles import finders

    for path in ("vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css", "vendor/leaflet/LICENSE",
                 "vendor/leaflet/images/marker-icon.png", "vendor/leaflet/images/marker-shadow.png",
                 "vendor/leaflet/images/layers.png", "js/shop-map.js"):
        assert finders.find(path), path
    with open(finders.find("vendor/leaflet/leaflet.js"), encoding="utf-8") as f:
        assert "Leaflet 1.9.4" in f.read(300)


def test_only_this_shops_selling_products_are_listed(client, frozen_now):
    shop = ShopFactory()
    other = ShopFactory()
    StockRecordFactory(shop=shop, product=ProductFactory(title="Baguette tradition"))
    StockRecordFactory(shop=other, product=ProductFactory(title="Comté 18 mois"))
    both = ProductFactory(title="Confiture de fraises")
    StockRecordFactory(shop=shop, product=both)
    StockRecordFactory(shop=other, product=both)
    StockRecordFactory(shop=shop, product=ProductFactory(title="Brioche cachée", is_public=False))

    response = page(client, shop)

    assert sorted(product_titles(response)) == ["Baguette tradition", "Confiture de fraises"]
    body = text(response)
    assert "Baguette tradition" in body and "Comté" not in body and "Brioche cachée" not in body
    assert "2 produits en vente." in body


def test_products_are_paginated_24_per_page(client, frozen_now):
    shop = ShopFactory()
    for _ in range(25):
        StockRecordFactory(shop=shop)

    first = page(client, shop)
    second = page(client, shop, page=2)

    assert len(product_titles(first)) == 24
    assert len(product_titles(second)) == 1
    assert set(product_titles(first)).isdisjoint(product_titles(second))
    assert "?page=2" in first.content.decode()
    assert "25 produits en vente." in text(first)


@pytest.mark.parametrize(("value", "expected_page"), [("abc", 1), ("0", 2), ("99", 2), ("-1", 2), ("", 1)])
def test_a_bad_page_number_shows_a_page_not_an_error(client, frozen_now, value, expected_page):
    shop = ShopFactory()
    for _ in range(25):
        StockRecordFactory(shop=shop)

    response = page(client, shop, page=value)

    assert response.status_code == 200
    assert response.context["page_obj"].number == expected_page


def _page_queries(client, shop) -> int:
    page(client, shop)  # first view: thumbnails are made and remembered (sorl's store)
    with CaptureQueriesContext(connection) as queries:
        response = page(client, shop)
    assert response.status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_5_and_20_products(client, frozen_now, bakery):
    ClosureFactory(shop=bakery, starts_at=TUESDAY_10AM + dt.timedelta(days=3), ends_at=TUESDAY_10AM + dt.timedelta(days=4))
    ShopPhotoFactory(shop=bakery)
    for _ in range(5):
        ProductImageFactory(product=StockRecordFactory(shop=bakery).product)
    few = _page_queries(client, bakery)
    for _ in range(15):
        ProductImageFactory(product=StockRecordFactory(shop=bakery).product)
        ShopPhotoFactory(shop=bakery)
    many = _page_queries(client, bakery)

    response = page(client, bakery)
    assert len(response.context["products"]) == 20
    assert response.content.decode().count('src="/media/cache/') == 20  # one thumbnail per card
    print(f"\nshop page SQL queries: 5 products {few}, 20 products {many}")
    assert few == many
    assert many <= 10


def test_overlapping_periods_of_a_day_are_shown_merged(client, frozen_now):
    shop = ShopFactory()
    t = dt.time
    OpeningPeriodFactory(shop=shop, weekday=6, opens=t(7, 0), closes=t(13, 0))
    OpeningPeriodFactory(shop=shop, weekday=6, opens=t(7, 30), closes=t(12, 30))
    OpeningPeriodFactory(shop=shop, weekday=6, opens=t(13, 0), closes=t(14, 0))
    OpeningPeriodFactory(shop=shop, weekday=6, opens=t(15, 30), closes=t(19, 30))

    assert "dimanche : 7:00–14:00, 15:30–19:30" in text(page(client, shop))
