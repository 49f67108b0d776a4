"""A small town for the public API: what it must show, and what it must never show."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from logistics.models import PointKind
from shops.models import ShopStatus, Trade
from tests.factories import (
    CategoryFactory,
    OpeningPeriodFactory,
    ProductFactory,
    ShopFactory,
    StockRecordFactory,
)
from tests.factories.logistics import CollectionPointFactory
from tests.factories.search import product_on_sale


@pytest.fixture(autouse=True)
def generous_rate(settings):
    """Tests that are not about the rate limit never meet it."""
    settings.HALLE_PUBLIC_API_RATE_LIMIT = 100_000


@pytest.fixture
def town():
    bakery = ShopFactory(name="Maison Muller", slug="maison-muller", trade=Trade.BOULANGERIE, phone="+33238000001")
    OpeningPeriodFactory(shop=bakery, weekday=1, opens=dt.time(7), closes=dt.time(13))
    books = ShopFactory(name="Librairie du Pont", slug="librairie-du-pont", trade=Trade.LIBRAIRIE)
    suspended = ShopFactory(name="Boutique suspendue", slug="suspendue", status=ShopStatus.SUSPENDED)
    bread = CategoryFactory(name="Pains et viennoiseries", slug="pains")
    croissant = product_on_sale(title="Croissant au beurre", shop=bakery, price="1.20", stock=987654, categories=[bread])
    StockRecordFactory(product=croissant, shop=books, price=Decimal("1.50"), num_in_stock=2, num_allocated=2)
    StockRecordFactory(product=croissant, shop=suspended, price=Decimal("0.10"))
    novel = product_on_sale(title="Roman policier", shop=books, price="8.90", stock=4)
    hidden = ProductFactory(title="Brouillon secret", is_public=False)
    StockRecordFactory(product=hidden, shop=bakery, price=Decimal("3.00"))
    banned = ProductFactory(title="Vendu par un suspendu")
    StockRecordFactory(product=banned, shop=suspended, price=Decimal("2.00"))
    CollectionPointFactory(kind=PointKind.SHOP_COUNTER, shop=bakery, name="Comptoir — Maison Muller")
    point = CollectionPointFactory(name="Point retrait de la Halle")
    locker = CollectionPointFactory(kind=PointKind.LOCKER_BANK, name="Consignes de la gare")
    return {"bakery": bakery, "books": books, "suspended": suspended, "bread": bread, "croissant": croissant,
            "novel": novel, "hidden": hidden, "banned": banned, "point": point, "locker": locker}
