"""How fast is ``slots_feasible`` for a 5-shop basket over 7 days of slots?

    .venv/bin/python bench/slots_feasibility.py [--runs 200]

Uses the test settings (PostgreSQL from DATABASE_URL) and builds its data in a
throw-away database (``TEST_DATABASE_NAME``, default ``bench_halle_slots``),
dropped at the end. Prints the median and p95 in milliseconds, plus the number
of SQL queries per call; the issue's budget is 50 ms.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.config.settings.test")
os.environ.setdefault("TEST_DATABASE_NAME", "bench_halle_slots")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

BUDGET_MS = 50.0


def _build(now: dt.datetime):
    from logistics.models import PointKind
    from logistics.services.slots import slots_generate
    from tests.factories import ClosureFactory, OpeningPeriodFactory, ShopFactory
    from tests.factories.logistics import (
        CollectionPointFactory,
        LockerCompartmentFactory,
        PointOpeningPeriodFactory,
        SlotTemplateFactory,
    )

    shops = []
    for i in range(5):
        shop = ShopFactory(name=f"Commerce banc {i}", preparation_minutes=30 + 30 * i)
        for weekday in range(6):
            OpeningPeriodFactory(shop=shop, weekday=weekday, opens=dt.time(8, 30), closes=dt.time(12, 30))
            OpeningPeriodFactory(shop=shop, weekday=weekday, opens=dt.time(14), closes=dt.time(19))
        ClosureFactory(shop=shop, starts_at=now + dt.timedelta(days=i + 1), ends_at=now + dt.timedelta(days=i + 1, hours=5))
        shops.append(shop)
    points = {}
    for kind in (PointKind.TOWN_POINT, PointKind.LOCKER_BANK):
        point = CollectionPointFactory(kind=kind, name=f"Banc {kind}")
        for weekday in range(7):
            PointOpeningPeriodFactory(point=point, weekday=weekday, opens=dt.time(9), closes=dt.time(20))
            for hour in range(10, 19):
                SlotTemplateFactory(point=point, weekday=weekday, start=dt.time(hour), end=dt.time(hour + 1))
        if kind == PointKind.LOCKER_BANK:
            for n, size in enumerate("SSMMLL"):
                LockerCompartmentFactory(point=point, code=f"B{n}", size=size, temperature="chilled" if n < 2 else "ambient")
        report = slots_generate(point=point, start_date=timezone.localdate(now), days=8, now=now)
        points[kind] = (point, report.created)
    return shops, points


def _measure(point, shops, now, runs, **kwargs):
    from logistics.selectors import slots_feasible

    with CaptureQueriesContext(connection) as queries:
        count = len(slots_feasible(point=point, shops=shops, now=now, **kwargs))
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        slots_feasible(point=point, shops=shops, now=now, **kwargs)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
    return count, len(queries), statistics.median(timings), p95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        now = timezone.now()
        shops, points = _build(now)
        print(f"slots_feasible — 5 shops, 7 days, {args.runs} runs, PostgreSQL {connection.pg_version}")
        worst = 0.0
        for kind, (point, created) in points.items():
            extra = {"compartment_size": "M"} if kind == "locker_bank" else {}
            count, queries, median, p95 = _measure(point, shops, now, args.runs, **extra)
            worst = max(worst, p95)
            print(
                f"  {kind:<12} {created:3d} slots generated, {count:3d} feasible, {queries} queries: "
                f"median {median:.2f} ms, p95 {p95:.2f} ms (budget {BUDGET_MS:.0f} ms)"
            )
        print("OK" if worst < BUDGET_MS else "OVER BUDGET")
        return 0 if worst < BUDGET_MS else 1
    finally:
        creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    raise SystemExit(main())
