"""How long does a search page take in process, and how many SQL queries, on a demo town?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/halle_search_bench \
        .venv/bin/python bench/search.py [--build 60 6000] [--runs 30]
    DATABASE_URL=sqlite:////tmp/halle-search-bench.sqlite3 .venv/bin/python bench/search.py --build 12 400

Runs with the demo's settings (``marketplace.config.settings.local``, DEBUG off,
the cache in process) against DATABASE_URL. ``--build SHOPS PRODUCTS`` first
migrates and seeds the demo town (seed 1, no pictures) and prints how long the
seeding took (the search index is written by triggers during it), then
vacuums a PostgreSQL database as autovacuum would. Then, per
query, the search page through the test client after one warm-up request:
median and 95th percentile in milliseconds, the number of products found and of
SQL queries. Figures only: compare runs made on the same machine at the same time.
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

QUERIES = (
    "chocolat",  # a word in many titles
    "pain de campagne",  # three words, one a stop word
    "boulangerie",  # a trade
    "fromages",  # a category
    "croissants muller",  # a product and a shop
    "soulier",  # a synonym
    "chocolta",  # a typo: nothing found as typed
    "xylophone",  # nothing at all
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", nargs=2, type=int, metavar=("SHOPS", "PRODUCTS"))
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    if args.build:
        from marketplace.demo.town import town_seed

        call_command("migrate", interactive=False, verbosity=0)
        started = time.perf_counter()
        report = town_seed(shops=args.build[0], products=args.build[1], seed=1, images=False)
        print(f"seed_town {args.build[0]} commerces, {args.build[1]} produits : "
              f"{report.products_created} créés en {time.perf_counter() - started:.1f} s")
        if connection.vendor == "postgresql":
            # As after autovacuum on a live database (GIN pending lists merged, statistics).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    setup_test_environment()
    client = Client()
    print(f"{connection.vendor}, {args.runs} requêtes par recherche (après un premier appel)")
    print(f"{'recherche':<22} {'médiane ms':>10} {'p95 ms':>8} {'produits':>8} {'SQL':>5}")
    for query in QUERIES:
        client.get("/search/", {"q": query})
        durations = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get("/search/", {"q": query})
            durations.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/search/", {"q": query})
        durations.sort()
        p95 = durations[min(len(durations) - 1, int(len(durations) * 0.95))]
        found = response.context["paginator"].count
        print(f"{query:<22} {statistics.median(durations):>10.1f} {p95:>8.1f} {found:>8} {len(queries):>5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
