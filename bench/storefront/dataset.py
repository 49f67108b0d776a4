"""Load the Oscar peer's data set into Halle's models, in the benchmark database.

    DJANGO_SETTINGS_MODULE=bench_settings python bench/storefront/dataset.py [--force]

The rows come from the peer's own seeded generator (``peer/dataset.py`` that the
peer's setup.sh writes under ``$PEER_ROOT/site``, default /tmp/oscar-peer): it is
imported and its ``build()`` called, so both sites hold the same 60 shops, 30
categories (6 top-level, 24 below), 6,000 products with one offer each, the same
titles, descriptions, prices and stock. Halle needs a little more than Oscar: a
``Shop`` per partner (active, weekly hours so that "open now" badges mean
something) and a VAT rate on the product class (20 %; prices are read as VAT
included, the peer shows the same figures without tax).

Idempotent: skipped when the catalogue already has the data set's fingerprint.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Sum  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from marketplace.catalogue.models import Category, Product, ProductCategory, ProductClass  # noqa: E402
from marketplace.partner.models import Partner, StockRecord  # noqa: E402
from shops.models import OpeningPeriod, Shop, Trade  # noqa: E402

PEER_ROOT = Path(os.environ.get("PEER_ROOT", "/tmp/oscar-peer"))
# The peer's shop names start with a kind of shop; Halle's shops need a trade.
TRADE_OF_KIND = {
    "Boutique": Trade.VETEMENTS,
    "Maison": Trade.EPICERIE,
    "Atelier": Trade.QUINCAILLERIE,
    "Comptoir": Trade.EPICERIE,
    "Épicerie": Trade.EPICERIE,
    "Librairie": Trade.LIBRAIRIE,
    "Bazar": Trade.JOUETS,
    "Quincaillerie": Trade.QUINCAILLERIE,
    "Fromagerie": Trade.FROMAGERIE,
    "Droguerie": Trade.QUINCAILLERIE,
    "Pharmacie": Trade.PARFUMERIE,
    "Cave": Trade.CAVISTE,
}
# Tuesday to Saturday, 9:30–12:30 and 14:00–19:00, the town's usual hours.
HOURS = [(day, dt.time(9, 30), dt.time(12, 30)) for day in range(1, 6)] + [
    (day, dt.time(14, 0), dt.time(19, 0)) for day in range(1, 6)
]
TABLES = [
    "partner_stockrecord",
    "catalogue_productcategory",
    "catalogue_productimage",
    "catalogue_product",
    "catalogue_category",
    "catalogue_productclass",
    "shops_openingperiod",
    "shops_closure",
    "shops_shopphoto",
    "shops_shop",
    "partner_partner",
    "basket_basket",
    "basket_line",
    "django_session",
    "thumbnail_kvstore",
]


def peer_generator():
    """The peer's ``dataset`` module, imported from where its setup.sh wrote it."""
    path = PEER_ROOT / "site" / "peer" / "dataset.py"
    if not path.exists():
        raise SystemExit(f"{path} est introuvable : lancez d'abord le setup.sh du pair Oscar (en root).")
    spec = importlib.util.spec_from_file_location("oscar_peer_dataset", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fingerprint_in_database() -> tuple:
    agg = StockRecord.objects.aggregate(n=Count("id"), p=Sum("price"), s=Sum("num_in_stock"))
    return agg["n"], agg["p"], agg["s"]


def load(generator) -> None:
    partners, products = generator.build()
    with transaction.atomic():
        product_class = ProductClass.objects.create(
            name="Article", slug="article", requires_shipping=False, track_stock=True, vat_rate=Decimal("20.00")
        )
        shops = []
        for index, name in enumerate(partners):
            slug = slugify(name)
            partner = Partner.objects.create(name=name, code=slug)
            shops.append(
                Shop.objects.create(
                    partner=partner,
                    name=name,
                    slug=slug,
                    trade=TRADE_OF_KIND.get(name.split()[0], Trade.EPICERIE),
                    description=f"{name}, commerce du centre-ville.",
                    line1=f"{index + 1} rue du Marché",
                    postcode="45210",
                    city="Beaumont-sur-Loing",
                )
            )
        OpeningPeriod.objects.bulk_create(
            OpeningPeriod(shop=shop, weekday=day, opens=opens, closes=closes)
            for shop in shops
            for day, opens, closes in HOURS
        )
        leaves = {}
        for root_name, children in generator.TREE.items():
            root = Category.objects.add_root(create_kwargs={"name": root_name, "description": f"Rayon {root_name}"})
            for leaf_name in children:
                root.refresh_from_db()
                leaves[(root_name, leaf_name)] = Category.objects.add_child(
                    root, create_kwargs={"name": leaf_name, "description": f"Rayon {root_name} / {leaf_name}"}
                )
        rows = Product.objects.bulk_create(
            [
                Product(
                    title=p["title"],
                    slug=slugify(p["title"])[:200] or "produit",
                    upc="PEER%06d" % p["i"],
                    description=p["description"],
                    product_class=product_class,
                    structure="standalone",
                    is_public=True,
                )
                for p in products
            ],
            batch_size=1000,
        )
        ProductCategory.objects.bulk_create(
            [ProductCategory(product=row, category=leaves[p["leaf"]]) for row, p in zip(rows, products)],
            batch_size=2000,
        )
        StockRecord.objects.bulk_create(
            [
                StockRecord(
                    product=row,
                    partner_id=shops[p["partner"]].partner_id,
                    partner_sku="SKU-%06d" % p["i"],
                    price_currency="EUR",
                    price=p["price"],
                    num_in_stock=p["stock"],
                )
                for row, p in zip(rows, products)
            ],
            batch_size=2000,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="reload even if the data is already there")
    args = parser.parse_args()
    generator = peer_generator()
    _partners, products = generator.build()
    want = generator.fingerprint(products)
    if not args.force and fingerprint_in_database() == want and Category.objects.count() == 30:
        print(f"dataset: already loaded {want!r}")
        return
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE %s RESTART IDENTITY CASCADE" % ", ".join(TABLES))
    load(generator)
    with connection.cursor() as cursor:
        # As autovacuum leaves a live database: statistics, and the search index's
        # pending list merged (right after a bulk load, every search scans the 6,000
        # new entries of that list one by one: ~2 ms a query instead of ~0.05 ms).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    have = fingerprint_in_database()
    assert have == want, f"fingerprint {have!r} != {want!r}"
    print(
        f"dataset: loaded {Shop.objects.count()} shops, {Category.objects.count()} categories, "
        f"{Product.objects.count()} products in {time.monotonic() - started:.1f}s; fingerprint {want!r}"
    )


if __name__ == "__main__":
    main()
