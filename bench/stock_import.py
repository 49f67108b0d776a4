"""How long does a 10,000-row stock CSV take, preview and apply, and what does the API batch cost?

    .venv/bin/python bench/stock_import.py [--rows 10000] [--runs 3]

Uses the test settings (PostgreSQL from DATABASE_URL) and a throw-away database
(``TEST_DATABASE_NAME``, default ``bench_halle_import``), dropped at the end.
Prints medians in seconds for: the preview (parse + checks), the all-or-nothing
apply (one ``UPDATE … FROM (VALUES …)`` per 2,000 rows under row locks), and,
measured in the same run as references, Django's ``bulk_update`` of the same
rows, and the till API's path (``offers_bulk_update``, lots of 500).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.config.settings.test")
os.environ.setdefault("TEST_DATABASE_NAME", "bench_halle_import")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402


def _build(rows: int):
    from marketplace.catalogue.models import Product
    from marketplace.partner.models import StockRecord
    from tests.factories import ProductClassFactory, ShopFactory

    shop = ShopFactory(name="Commerce banc import")
    product_class = ProductClassFactory()
    products = Product.objects.bulk_create(
        Product(title=f"Produit {i}", slug=f"produit-{i}", product_class=product_class, structure="standalone")
        for i in range(rows)
    )
    StockRecord.objects.bulk_create(
        StockRecord(product=p, partner=shop.partner, partner_sku=f"SKU{i:06d}", price=Decimal("1.00"),
                    price_currency="EUR", num_in_stock=1, num_allocated=0)
        for i, p in enumerate(products)
    )
    return shop


def _csv(rows: int, run: int) -> bytes:
    return ("sku;prix;stock\n" + "".join(f"SKU{i:06d};{(i + run) % 100},50;{(i + run) % 50}\n" for i in range(rows))).encode()


def _timed(func) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from marketplace.partner.models import StockRecord
    from shops import stock
    from shops.services import stock_import
    from shops.models import StockImportStatus

    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        shop = _build(args.rows)
        figures: dict[str, list[float]] = {"preview": [], "apply": [], "bulk_update": [], "api_batches": []}
        for run in range(1, args.runs + 1):
            data = _csv(args.rows, run)
            holder = {}
            figures["preview"].append(_timed(lambda: holder.update(imp=stock_import.stock_import_preview(
                shop=shop, user=None, file_name="banc.csv", data=data))))
            assert holder["imp"].status == StockImportStatus.PREVIEWED
            figures["apply"].append(_timed(lambda: holder.update(imp=stock_import.stock_import_apply(stock_import=holder["imp"]))))
            assert holder["imp"].status == StockImportStatus.APPLIED

            offers = list(StockRecord.objects.filter(partner=shop.partner).order_by("pk"))
            for offer in offers:
                offer.num_in_stock += 1

            def bulk():
                with transaction.atomic():
                    StockRecord.objects.bulk_update(offers, ["price", "num_in_stock", "date_updated"], batch_size=500)

            figures["bulk_update"].append(_timed(bulk))

            def api_batches():
                for start in range(0, len(offers), 500):
                    stock.offers_bulk_update(
                        shop=shop, changes={o.pk: (None, o.num_in_stock + 1) for o in offers[start:start + 500]}
                    )

            figures["api_batches"].append(_timed(api_batches))
        median = {name: statistics.median(values) for name, values in figures.items()}
        print(f"stock import — {args.rows} rows, {args.runs} runs, PostgreSQL {connection.pg_version}")
        print(f"  preview (parse + checks)              median {median['preview']:.2f} s")
        print(f"  apply (all or nothing, locked)        median {median['apply']:.2f} s")
        print(f"  reference: Django bulk_update         median {median['bulk_update']:.2f} s"
              f"  (apply/bulk_update {median['apply'] / median['bulk_update']:.2f}×)")
        print(f"  till API path, {-(-args.rows // 500)} lots of 500      median {median['api_batches']:.2f} s"
              f"  (API/apply {median['api_batches'] / median['apply']:.2f}×)")
        return 0
    finally:
        creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    raise SystemExit(main())
