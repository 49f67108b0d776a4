"""Score the relevance set against a demo database, in its own process; prints the report as JSON.

    DJANGO_SETTINGS_MODULE=marketplace.config.settings.local DATABASE_URL=sqlite:////tmp/demo.sqlite3 \
        .venv/bin/python -m tests.marketplace.search.relevance_run [--build] [--table]

``--build`` first migrates the database and seeds the demo town of the set
(without pictures); without it the database must already hold that town.
The SQLite relevance test runs this (the test settings refuse SQLite), and it
also measured the code before the search rework, on both databases.
"""
from __future__ import annotations

import argparse
import os
import sys


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", action="store_true", help="migrate and seed the demo town first")
    parser.add_argument("--table", action="store_true", help="print a readable table instead of JSON")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.config.settings.local")

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tests.marketplace.search import relevance_set

    if args.build:
        from marketplace.demo.town import town_seed

        call_command("migrate", interactive=False, verbosity=0)
        town_seed(**relevance_set.TOWN, images=False)
    setup_test_environment()  # the test client then records each page's template context
    client = Client()

    def search_page(query):
        response = client.get("/search/", {"q": query})
        if response.status_code != 200:
            raise SystemExit(f"/search/?q={query!r} answered {response.status_code}")
        return response.context

    report = relevance_set.evaluate(search_page)
    if args.table:
        print(report.table(os.environ.get("DATABASE_URL", "")))
    else:
        sys.stdout.write(report.as_json() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
