#!/usr/bin/env python3
"""Three paths measured in process (no HTTP server): the figures a refactoring must not worsen.

    .venv/bin/python bench/paths.py [--runs 60]

* ``basket_add``: a new visitor's first add to basket (test client POST: a new basket
  and its line, 302);
* ``product``: the product page, for a new visitor (served whole from the page cache)
  and for a visitor with a session (rendered);
* ``checkout``: a full checkout through the services, as the summary page's "Commander"
  runs it: the basket's slot and stock held, the card authorised on the local Stripe
  server, the order placed (``marketplace.checkout.services.checkout_complete``).

Runs on the test settings (PostgreSQL, Redis) in a throw-away database
(``BENCH_DATABASE_NAME``, default ``bench_halle_paths``) built with the test factories,
and the local Stripe server on a free port. Prints the median, p90 and SQL queries of
each path. Compare only figures measured on the same machine minutes apart: the machine
is shared and absolute numbers move.
"""
from __future__ import annotations

import argparse
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from time import perf_counter

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.config.settings.test")
os.environ["TEST_DATABASE_NAME"] = os.environ.get("BENCH_DATABASE_NAME", "bench_halle_paths")
os.environ.setdefault("CACHE_KEY_PREFIX", f"bench-paths-{os.getpid()}")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stripe_server_start() -> tuple[subprocess.Popen, str]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "marketplace.payments.devserver", "--port", str(port)],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(urllib.request.Request(base + "/_config/data", method="DELETE"), timeout=2)
            return process, base
        except (urllib.error.URLError, OSError):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the local Stripe server did not start") from None
            time.sleep(0.1)


def figures(name: str, timings: list[float], queries: int) -> str:
    ms = sorted(t * 1000 for t in timings)
    p90 = ms[int(len(ms) * 0.9) - 1]
    return f"{name:<22} median {statistics.median(ms):7.2f} ms   p90 {p90:7.2f} ms   {queries:3d} SQL   (n={len(ms)})"


def timed(run, runs: int) -> tuple[list[float], int]:
    """``run()`` ``runs`` times after two warm-ups; the SQL count of the last call."""
    for _ in range(2):
        run()
    timings = []
    for _ in range(runs - 1):
        start = perf_counter()
        run()
        timings.append(perf_counter() - start)
    with CaptureQueriesContext(connection) as ctx:
        start = perf_counter()
        run()
        timings.append(perf_counter() - start)
    return timings, len(ctx.captured_queries)


def checkout_once(town, offer) -> None:
    from marketplace.checkout import services
    from marketplace.order.models import FulfilmentMode
    from tests.factories.town import basket_of

    basket = basket_of([(offer, 1)])
    services.checkout_hold(basket=basket, mode=FulfilmentMode.AT_POINT, point=town.point,
                           choices={None: town.slot(town.point).pk})
    services.checkout_complete(
        basket=basket, shopper=None, mode=FulfilmentMode.AT_POINT, point=town.point,
        payment_method="pm_card_visa", guest_email="bench@example.test", phone="06 12 34 56 78",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()

    logging.disable(logging.WARNING)  # the outbox's per-order log lines
    setup_test_environment()
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    process, base = stripe_server_start()
    try:
        with override_settings(STRIPE_API_BASE=base, STRIPE_SECRET_KEY="sk_test_halle_bench", ALLOWED_HOSTS=["*"]):
            from django.contrib.auth import get_user_model

            from tests.factories.town import town_built

            town = town_built(shops=3, stock=1_000_000, capacity=1_000_000)
            offer = town.offers[0]
            product_url = offer.product.get_absolute_url()

            add, add_sql = timed(lambda: Client().post(f"/basket/add/{offer.product_id}/",
                                                       {"quantity": 1, "stockrecord": offer.pk}), args.runs)
            cached, cached_sql = timed(lambda: Client().get(product_url), args.runs)
            signed_in = Client()
            signed_in.force_login(get_user_model().objects.create_user("bench", "bench@example.test", "x"))
            rendered, rendered_sql = timed(lambda: signed_in.get(product_url), args.runs)
            checkout, checkout_sql = timed(lambda: checkout_once(town, offer), args.runs)

            print(f"bench/paths.py — {args.runs} runs each, git {_git_head()}")
            print(figures("basket_add (new)", add, add_sql))
            print(figures("product (new visitor)", cached, cached_sql))
            print(figures("product (session)", rendered, rendered_sql))
            print(figures("checkout (services)", checkout, checkout_sql))
    finally:
        process.terminate()
        process.wait(timeout=5)
        connection.creation.destroy_test_db(test_db, verbosity=0)


def _git_head() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


if __name__ == "__main__":
    main()
