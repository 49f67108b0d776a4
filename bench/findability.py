"""How long do the feeds and the public API take in process, and how many SQL queries?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/halle_find_bench \
        .venv/bin/python bench/findability.py [--build 60 6000] [--runs 20]

Runs with the demo's settings (``marketplace.config.settings.local``, DEBUG off, the
cache in process, no rate limit worth the name) against DATABASE_URL. ``--build SHOPS
PRODUCTS`` first migrates and seeds the demo town (seed 1, no pictures) and vacuums a
PostgreSQL database. Then, per address, after one warm-up request: median and 95th
percentile in milliseconds of a full answer (200) and of a revalidation with the ETag
(304), the size of the answer and its SQL queries. Figures only: compare runs made on
the same machine at the same time.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.config.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("HALLE_PUBLIC_API_RATE_LIMIT", "100000000")

URLS = (
    "/flux/produits.tsv",
    "/flux/inventaire-local.tsv",
    "/flux/commerces/{shop}/inventaire-local.tsv",
    "/api/v1/public/products/",
    "/api/v1/public/products/?page_size=100",
    "/api/v1/public/search/?q=chocolat",
    "/api/v1/public/search/?q=boulangerie",
    "/api/v1/public/shops/",
    "/api/v1/public/categories/",
)


def _timed(client, url, runs, **headers) -> tuple[float, float, object]:
    durations, response = [], None
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, **headers)
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    return statistics.median(durations), durations[min(len(durations) - 1, int(len(durations) * 0.95))], response


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", nargs=2, type=int, metavar=("SHOPS", "PRODUCTS"))
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from shops.models import Shop, ShopStatus

    if args.build:
        from marketplace.demo.town import town_seed

        call_command("migrate", interactive=False, verbosity=0)
        started = time.perf_counter()
        town_seed(shops=args.build[0], products=args.build[1], seed=1, images=False)
        print(f"seed_town {args.build[0]} commerces, {args.build[1]} produits : {time.perf_counter() - started:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    setup_test_environment()
    client = Client()
    shop = Shop.objects.filter(status=ShopStatus.ACTIVE).order_by("pk").values_list("slug", flat=True).first()
    print(f"{connection.vendor}, {args.runs} requêtes par adresse (après un premier appel)")
    print(f"{'adresse':<46} {'200 méd.':>8} {'p95':>7} {'304 méd.':>8} {'p95':>7} {'Ko':>7} {'SQL':>4}")
    for url in URLS:
        url = url.format(shop=shop)
        first = client.get(url)
        full_median, full_p95, _ = _timed(client, url, args.runs)
        cond_median, cond_p95, cond = _timed(client, url, args.runs, HTTP_IF_NONE_MATCH=first["ETag"])
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert first.status_code == 200 and cond.status_code == 304, (url, first.status_code, cond.status_code)
        print(f"{url:<46} {full_median:>8.1f} {full_p95:>7.1f} {cond_median:>8.1f} {cond_p95:>7.1f} "
              f"{len(first.content) / 1024:>7.1f} {len(queries):>4}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
