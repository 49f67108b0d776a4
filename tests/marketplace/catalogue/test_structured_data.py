"""The product page's schema.org data: one Offer per selling shop, each collected at the
shop's counter or the town's shared points (``availableAtOrFrom`` / ``OnSitePickup``)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from logistics.models import PointKind
from shops.models import ShopStatus
from tests.factories import ProductFactory, ShopFactory, StockRecordFactory
from tests.factories.logistics import CollectionPointFactory
from tests.support.json_ld import json_ld_of_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def tomme():
    product = ProductFactory(title="Tomme de Savoie", description="<p>Au lait cru.</p>")
    louise = ShopFactory(name="Fromages de Louise", slug="fromages-de-louise", latitude=Decimal("48.1"),
                         longitude=Decimal("2.7"))
    cave = ShopFactory(name="La Cave", slug="la-cave")
    StockRecordFactory(product=product, shop=louise, price=Decimal("6.90"), num_in_stock=4, partner_sku="TOM-1")
    StockRecordFactory(product=product, shop=cave, price=Decimal("7.40"), num_in_stock=0)
    StockRecordFactory(product=product, shop=ShopFactory(status=ShopStatus.SUSPENDED), price=Decimal("1.00"))
    StockRecordFactory(product=product, shop=ShopFactory(vacation_mode=True), price=Decimal("1.50"))
    CollectionPointFactory(kind=PointKind.SHOP_COUNTER, shop=louise, name="Comptoir — Fromages de Louise")
    CollectionPointFactory(name="Point retrait de la Halle")
    CollectionPointFactory(kind=PointKind.LOCKER_BANK, name="Consignes de la gare", address="Gare")
    CollectionPointFactory(name="Ancien point", is_active=False)
    return product


def _product(client, url):
    return json_ld_of_type(client.get(url), "Product", url="http://testserver" + url)


def test_every_selling_shop_has_its_offer_with_price_availability_and_seller(client, tomme):
    data = _product(client, tomme.get_absolute_url())

    assert data["name"] == "Tomme de Savoie" and data["description"] == "Au lait cru."
    offers = data["offers"]
    assert [o["seller"]["name"] for o in offers] == ["Fromages de Louise", "La Cave"]  # no suspended, no holiday
    first, second = offers
    assert (first["price"], first["priceCurrency"], first["availability"]) == ("6.90", "EUR", "https://schema.org/InStock")
    assert (second["price"], second["availability"]) == ("7.40", "https://schema.org/OutOfStock")
    assert first["url"] == f"http://testserver{tomme.get_absolute_url()}?commerce=fromages-de-louise"
    assert first["seller"]["url"] == "http://testserver/commerces/fromages-de-louise/"
    assert first["seller"]["address"]["postalCode"] == "45210"
    assert first["sku"] == "TOM-1"


def test_each_offer_is_collected_at_the_shop_counter_and_the_shared_points(client, tomme):
    louise, cave = _product(client, tomme.get_absolute_url())["offers"]

    assert louise["availableDeliveryMethod"] == cave["availableDeliveryMethod"] == "https://schema.org/OnSitePickup"
    assert [p["name"] for p in louise["availableAtOrFrom"]] == [
        "Fromages de Louise", "Consignes de la gare", "Point retrait de la Halle",
    ]
    assert louise["availableAtOrFrom"][0]["address"]["streetAddress"] == "1 place du Marché"
    assert louise["availableAtOrFrom"][0]["geo"]["latitude"] == 48.1
    # La Cave has no counter of its own: only the town's shared points.
    assert [p["name"] for p in cave["availableAtOrFrom"]] == ["Consignes de la gare", "Point retrait de la Halle"]
    assert all(p["@type"] == "Place" for p in louise["availableAtOrFrom"] + cave["availableAtOrFrom"])


def test_the_shop_the_shopper_chose_is_the_first_offer(client, tomme):
    url = f"{tomme.get_absolute_url()}?commerce=la-cave"

    offers = _product(client, url)["offers"]

    assert [o["seller"]["name"] for o in offers] == ["La Cave", "Fromages de Louise"]


def test_without_any_collection_point_no_pickup_is_announced(client):
    product = ProductFactory(title="Pain")
    StockRecordFactory(product=product, price=Decimal("2.00"))

    (offer,) = _product(client, product.get_absolute_url())["offers"]

    assert "availableAtOrFrom" not in offer and "availableDeliveryMethod" not in offer


def test_a_product_nobody_sells_has_no_offer(client):
    product = ProductFactory(title="Introuvable")
    StockRecordFactory(product=product, shop=ShopFactory(status=ShopStatus.SUSPENDED))

    data = _product(client, product.get_absolute_url())

    assert data["name"] == "Introuvable" and "offers" not in data
