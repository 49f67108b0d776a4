"""The pages the storefront benchmark measures, and their SQL queries.

    python bench/storefront/pages.py spec      # TSV for the peer's run.sh (TARGET_SPEC)
    python bench/storefront/pages.py queries   # JSON lines for TARGET_QUERIES

Same labels, same kind of page and same objects as the peer's spec: the
"Fromagerie" sub-category, product PEER000042, a search for "chocolat", adding
that product to a new basket, and a basket holding one line. ``home`` is Halle's
front page (the town's shops, featured products); Oscar's is its catalogue.
``bare`` is the health check (one ``SELECT 1``), only used to wait for an idle
server between measures.

Queries are counted like the peer counts them: Django's test client, the cold
request and then the warm one (reported), with this site's real cache.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from marketplace.catalogue.models import Category, Product  # noqa: E402

SEARCH_TERM = "chocolat"
FORM = {"quantity": 1}


def spec() -> list[tuple]:
    category = Category.objects.get(name="Fromagerie")
    product = Product.objects.get(upc="PEER000042")
    return [
        ("bare", "GET", "/healthz/", 200, "none"),
        ("home", "GET", "/", 200, "none"),
        ("category", "GET", category.get_absolute_url(), 200, "none"),
        ("product", "GET", product.get_absolute_url(), 200, "none"),
        ("search", "GET", f"/search/?q={SEARCH_TERM}", 200, "none"),
        ("basket_add", "POST", f"/basket/add/{product.pk}/", 302, "csrf"),
        ("basket", "GET", "/basket/", 200, "basket"),
    ]


def _measure(client: Client, method: str, path: str):
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(path, FORM) if method == "POST" else client.get(path)
    return response, len(ctx.captured_queries)


def queries() -> None:
    rows = spec()
    add_path = next(row[2] for row in rows if row[4] == "csrf")
    for label, method, path, expected, mode in rows:
        if mode == "csrf":  # like wrk: every POST from a new visitor, without a basket
            cold = _measure(Client(), method, path)
            warm = _measure(Client(), method, path)
        else:
            client = Client()
            if mode == "basket":
                client.post(add_path, FORM)
            cold = _measure(client, method, path)
            warm = _measure(client, method, path)
        response, count = warm
        if response.status_code != expected:
            raise SystemExit(f"{label}: HTTP {response.status_code}, {expected} attendu ({path})")
        print(
            json.dumps(
                {
                    "label": label,
                    "url": path,
                    "queries": count,
                    "queries_cold": cold[1],
                    "status": response.status_code,
                    "bytes": len(response.content),
                    "products_listed": response.content.count(b'class="product_pod"'),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "spec":
        for row in spec():
            print("\t".join(str(cell) for cell in row))
    elif command == "queries":
        queries()
    else:
        raise SystemExit(__doc__)
