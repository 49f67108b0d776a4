"""How long does the feasible-window computation take for a 5-shop basket over 7 days?

    .venv/bin/python bench/delivery/feasibility.py [--runs 200]

Measures ``logistics.delivery.selectors.windows_feasible`` (the selector the delivery step
calls: zone's windows, capacity, cut-off, every shop's preparation under its hours and
closures) and the whole ``delivery_quote`` (address placed from the local table, zone,
fee, windows, daily caps). Test settings (PostgreSQL from DATABASE_URL), a throw-away
database (``BENCH_DATABASE_NAME``, default ``bench_halle_delivery``) built with the test
factories and dropped at the end. Prints the median and p95 in milliseconds and the SQL
queries per call; the issue's aim is 50 ms. It prints, it never fails on time: the machine
is shared and absolute figures move.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.config.settings.test")
os.environ["TEST_DATABASE_NAME"] = os.environ.get("BENCH_DATABASE_NAME", "bench_halle_delivery")
os.environ.setdefault("CACHE_KEY_PREFIX", f"bench-delivery-{os.getpid()}")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

AIM_MS = 50.0


def _build(now: dt.datetime):
    from logistics.delivery.services.windows import shift_add, windows_generate
    from tests.factories import ClosureFactory, OpeningPeriodFactory, ShopFactory
    from tests.factories.delivery import (
        CourierFactory,
        DeliveryWindowTemplateFactory,
        DeliveryZoneFactory,
        VehicleFactory,
        streets_loaded,
    )
    from tests.factories.logistics import CollectionPointFactory
    from tests.factories.partner import StockRecordFactory
    from tests.factories.payments import ShopPaymentAccountFactory

    shops, offers = [], []
    for i in range(5):
        shop = ShopFactory(name=f"Commerce banc {i}", preparation_minutes=30 + 30 * i,
                           daily_order_cap=40 if i % 2 else None)
        ShopPaymentAccountFactory(shop=shop)
        for weekday in range(6):
            OpeningPeriodFactory(shop=shop, weekday=weekday, opens=dt.time(8, 30), closes=dt.time(12, 30))
            OpeningPeriodFactory(shop=shop, weekday=weekday, opens=dt.time(14), closes=dt.time(19))
        ClosureFactory(shop=shop, starts_at=now + dt.timedelta(days=i + 1),
                       ends_at=now + dt.timedelta(days=i + 1, hours=5))
        offers.append(StockRecordFactory(shop=shop, price=Decimal("9.00"), num_in_stock=100))
        shops.append(shop)
    zone = DeliveryZoneFactory(depot=CollectionPointFactory(), weekdays=list(range(7)))
    streets_loaded(numbers=200)
    for weekday in range(7):
        for hour in (9, 11, 14, 16, 18):
            DeliveryWindowTemplateFactory(weekday=weekday, start=dt.time(hour), end=dt.time(hour + 2), zones=[zone])
    report = windows_generate(start_date=timezone.localdate(now), days=8, now=now)
    from logistics.delivery.models import DeliveryWindow

    couriers = [CourierFactory() for _ in range(2)]
    bikes = [VehicleFactory(capacity_parcels=12) for _ in range(2)]
    for window in DeliveryWindow.objects.all():
        for courier, bike in zip(couriers, bikes):
            shift_add(window_id=window.pk, courier=courier, vehicle=bike)
    return shops, offers, zone, report.created


def _timed(call, runs):
    with CaptureQueriesContext(connection) as queries:
        result = call()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
    return result, len(queries), statistics.median(timings), p95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from logistics.delivery.selectors import windows_feasible
        from marketplace.checkout.services.delivery import delivery_quote
        from tests.factories.delivery import HOME
        from tests.factories.town import basket_of

        now = timezone.now()
        shops, offers, zone, created = _build(now)
        basket = basket_of([(offer, 1) for offer in offers])
        print(f"delivery feasibility — 5 shops, 7 days, {created} windows, {args.runs} runs, "
              f"PostgreSQL {connection.pg_version}")
        windows, queries, median, p95 = _timed(
            lambda: windows_feasible(zone=zone, shops=shops, parcels=5, now=now), args.runs)
        print(f"  windows_feasible   {len(windows):3d} feasible, {queries} queries: median {median:.2f} ms, "
              f"p95 {p95:.2f} ms (aim {AIM_MS:.0f} ms)")
        quote, queries, median, p95 = _timed(lambda: delivery_quote(basket=basket, now=now, **HOME), args.runs)
        print(f"  delivery_quote     {len(quote.windows):3d} feasible, {queries} queries: median {median:.2f} ms, "
              f"p95 {p95:.2f} ms (address, zone, fee, windows, daily caps)")
        return 0
    finally:
        creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    raise SystemExit(main())
