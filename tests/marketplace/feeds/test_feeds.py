"""Product and local-inventory feeds: what they list (and never list), their format, and
conditional GET (ETag / Last-Modified, 304) that follows every change of the data.

The tests marked ``sqlite`` run on the demo's SQLite too (tests/marketplace/public_api/test_on_sqlite.py),
where the ETag comes from the rows read in Python instead of PostgreSQL's digest."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.feeds.formats import pickup_sla
from marketplace.partner.models import StockRecord
from shops.models import ShopStatus
from tests.factories import ProductClassFactory, ProductFactory, ShopFactory, StockRecordFactory

pytestmark = pytest.mark.django_db

TOWN_PRODUCTS = "/flux/produits.tsv"
TOWN_LOCAL = "/flux/inventaire-local.tsv"


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/tab-separated-values; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode()), delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture
def town():
    louise = ShopFactory(name="Fromages de Louise", slug="louise", preparation_minutes=60)
    cave = ShopFactory(name="La Cave", slug="cave", preparation_minutes=26 * 60)
    tomme = ProductFactory(title="Tomme de Savoie", description="<p>Au lait\tcru.</p>\n<p>Affinée.</p>")
    StockRecordFactory(product=tomme, shop=louise, price=Decimal("6.90"), num_in_stock=987654, partner_sku="T1")
    StockRecordFactory(product=tomme, shop=cave, price=Decimal("6.50"), num_in_stock=3, num_allocated=3)
    hidden = ProductFactory(title="Brouillon secret", is_public=False)
    StockRecordFactory(product=hidden, shop=louise, price=Decimal("1.00"))
    suspended = ShopFactory(name="Boutique suspendue", slug="suspendue", status=ShopStatus.SUSPENDED)
    banned = ProductFactory(title="Vendu par un suspendu")
    StockRecordFactory(product=banned, shop=suspended, price=Decimal("2.00"))
    StockRecordFactory(product=tomme, shop=suspended, price=Decimal("0.10"))
    return {"louise": louise, "cave": cave, "tomme": tomme, "suspended": suspended}


@pytest.mark.sqlite
def test_the_town_product_feed_lists_each_product_once_at_its_cheapest_offer_in_stock(client, town):
    (row,) = _rows(client.get(TOWN_PRODUCTS))

    tomme = town["tomme"]
    assert row["id"] == str(tomme.pk) and row["title"] == "Tomme de Savoie"
    assert row["price"] == "6.90 EUR"  # La Cave is cheaper but has nothing left
    assert row["availability"] == "in_stock" and row["condition"] == "new"
    assert row["description"] == "Au lait cru. Affinée."  # tags, tabs and line breaks gone
    assert row["link"] == f"http://127.0.0.1:8000{tomme.get_absolute_url()}"


@pytest.mark.sqlite
def test_feeds_never_list_unpublished_products_suspended_shops_or_stock_numbers(client, town):
    for url in (TOWN_PRODUCTS, TOWN_LOCAL, "/flux/commerces/louise/produits.tsv", "/flux/commerces/louise/inventaire-local.tsv"):
        body = client.get(url).content.decode()
        assert "Brouillon secret" not in body and "Vendu par un suspendu" not in body, url
        assert "suspendue" not in body and "0.10" not in body, url
        assert "987654" not in body and "quantity" not in body, url


def test_the_feeds_of_a_suspended_or_unknown_shop_are_not_found_in_french(client, town):
    for url in ("/flux/commerces/suspendue/produits.tsv", "/flux/commerces/inconnue/inventaire-local.tsv"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Aucun commerce en ligne" in response.content.decode()


@pytest.mark.sqlite
def test_the_local_inventory_gives_each_shop_its_price_availability_and_pickup(client, town):
    rows = _rows(client.get(TOWN_LOCAL))

    assert [(r["store_code"], r["price"], r["availability"], r["pickup_method"], r["pickup_sla"]) for r in rows] == [
        ("cave", "6.50 EUR", "out_of_stock", "buy", "2-day"),
        ("louise", "6.90 EUR", "in_stock", "buy", "same day"),
    ]
    assert {r["id"] for r in rows} == {str(town["tomme"].pk)}
    assert list(rows[0]) == ["store_code", "id", "title", "price", "availability", "pickup_method", "pickup_sla"]


def test_a_shop_feed_links_to_the_page_that_keeps_the_shop(client, town):
    (row,) = _rows(client.get("/flux/commerces/cave/produits.tsv"))

    assert row["price"] == "6.50 EUR" and row["availability"] == "out_of_stock"
    assert row["link"].endswith("?commerce=cave")


def test_a_shop_on_holiday_is_listed_out_of_stock_and_leaves_the_town_product_feed(client, town):
    town["louise"].vacation_mode = True
    town["louise"].save()

    local = {r["store_code"]: r["availability"] for r in _rows(client.get(TOWN_LOCAL))}
    (product,) = _rows(client.get(TOWN_PRODUCTS))

    assert local == {"cave": "out_of_stock", "louise": "out_of_stock"}
    assert product["price"] == "6.50 EUR" and product["availability"] == "out_of_stock"


def test_a_product_without_stock_tracking_is_always_in_stock(client):
    shop = ShopFactory(slug="fleurs")
    bouquet = ProductFactory(title="Bouquet", product_class=ProductClassFactory(track_stock=False))
    StockRecordFactory(product=bouquet, shop=shop, num_in_stock=None, num_allocated=None)

    (row,) = _rows(client.get("/flux/commerces/fleurs/inventaire-local.tsv"))

    assert row["availability"] == "in_stock"


@pytest.mark.sqlite
@pytest.mark.parametrize("url", [TOWN_PRODUCTS, TOWN_LOCAL, "/flux/commerces/louise/inventaire-local.tsv"])
def test_a_current_copy_gets_a_304_by_etag_or_date(client, town, url):
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]

    by_etag = client.get(url, HTTP_IF_NONE_MATCH=etag)
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=modified)

    assert etag.startswith('"') and first["Cache-Control"] == "public, no-cache"
    assert by_etag.status_code == 304 and by_etag.content == b"" and by_etag["ETag"] == etag
    assert by_date.status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"autre"').status_code == 200


@pytest.mark.sqlite
@pytest.mark.parametrize("change", ["price", "allocation", "title", "unpublish", "suspend"])
def test_any_change_of_what_the_feed_shows_changes_its_etag(client, town, change):
    before = client.get(TOWN_LOCAL)
    offer = StockRecord.objects.get(product=town["tomme"], partner=town["louise"].partner)
    if change == "price":
        StockRecord.objects.filter(pk=offer.pk).update(price=Decimal("7.10"))
    elif change == "allocation":  # a basket's hold: a conditional UPDATE that leaves date_updated alone
        StockRecord.objects.filter(pk=offer.pk).update(num_allocated=987654)
    elif change == "title":
        type(town["tomme"]).objects.filter(pk=town["tomme"].pk).update(title="Tomme de montagne")
    elif change == "unpublish":
        type(town["tomme"]).objects.filter(pk=town["tomme"].pk).update(is_public=False)
    else:
        type(town["cave"]).objects.filter(pk=town["cave"].pk).update(status=ShopStatus.SUSPENDED)

    after = client.get(TOWN_LOCAL, HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert after.content != before.content


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [TOWN_PRODUCTS, TOWN_LOCAL, "/flux/commerces/louise/produits.tsv"])
def test_a_feed_costs_the_same_queries_for_two_products_or_forty(client, town, url):
    few = _queries(client, url)
    for n in range(40):
        product = ProductFactory(title=f"Fromage {n}")
        StockRecordFactory(product=product, shop=town["louise"], price=Decimal("3.00") + n)
        StockRecordFactory(product=product, shop=town["cave"], price=Decimal("4.00") + n)
    many = _queries(client, url)

    assert few == many <= 3  # (the shop,) the rows' digest, the rows
    assert len(_rows(client.get(url))) >= 41


@pytest.mark.parametrize("url", [TOWN_PRODUCTS, TOWN_LOCAL])
def test_an_unchanged_feed_costs_one_query_that_returns_no_row(client, town, url):
    first = client.get(url)

    for headers in ({}, {"HTTP_IF_NONE_MATCH": first["ETag"]}):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, **headers)
        assert len(queries) == 1 and "md5" in queries[0]["sql"]
        assert response.status_code == (304 if headers else 200)
    assert response.content == b"" and client.get(url).content == first.content


def test_a_feed_cannot_be_written_to(client, town):
    response = client.post(TOWN_PRODUCTS)

    assert response.status_code == 405 and "Méthode non autorisée" in response.content.decode()
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize(("minutes", "sla"), [(30, "same day"), (240, "same day"), (241, "next day"),
                                               (1440, "next day"), (1441, "2-day"), (6 * 1440, "6-day"), (9 * 1440, "multi-week")])
def test_pickup_sla_follows_the_preparation_time(minutes, sla):
    assert pickup_sla(minutes) == sla
