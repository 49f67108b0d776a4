"""The manager's statistics page at 1,000 and at 100,000 orders: SQL queries and time.

    .venv/bin/python bench/analytics.py [--orders 100000] [--shops 60] [--days 365] [--runs 15]

Builds a throw-away PostgreSQL database (``TEST_DATABASE_NAME``, default
``bench_halle_analytics``, dropped at the end). The orders are not placed through
the checkout (100,000 checkouts would take hours here): their raw rows — orders,
one or two shop orders each, a line per shop order, a captured payment with its
ledger (capture, commission, transfer) — are bulk-inserted over ``--days`` days,
which is what the roll-ups read. Then the roll-ups are rebuilt (timed), and the
page (a month, against the previous one) is requested with Django's test client
as the town's manager, first with the first 1,000 orders rolled up, then with all
of them. Prints figures, never fails on a threshold.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.config.settings.test")
os.environ.setdefault("TEST_DATABASE_NAME", "bench_halle_analytics")

import django

django.setup()

from django.db import connection  # noqa: E402 - after django.setup()

BATCH = 5000


def build(*, orders: int, shops: int, days: int, today: dt.date) -> None:
    from django.contrib.sites.models import Site

    from logistics.models import CollectionPoint, PointKind, Slot
    from marketplace.order.models import FulfilmentMode, Line, Order, ShopOrder, ShopOrderStatus
    from marketplace.partner.models import Partner
    from marketplace.payments.models import (
        EntryKind,
        LedgerEntry,
        Payment,
        PaymentStatus,
        StripeCall,
    )
    from shops.models import Shop, Trade

    rng = random.Random(1)
    from django.utils import timezone

    tz = timezone.get_default_timezone()
    trades = [t for t, _l in Trade.choices]
    shop_rows = []
    for n in range(shops):
        partner = Partner.objects.create(name=f"Commerce {n}", code=f"bench-{n}")
        shop_rows.append(Shop.objects.create(partner=partner, name=f"Commerce {n}", slug=f"bench-{n}",
                                             trade=trades[n % len(trades)], line1=f"{n} rue {n % 9}",
                                             postcode="45210", city="Beaumont"))
    point = CollectionPoint.objects.create(kind=PointKind.TOWN_POINT, name="Point")
    first = today - dt.timedelta(days=days)
    slots = Slot.objects.bulk_create(
        Slot(point=point, starts_at=dt.datetime.combine(first + dt.timedelta(days=d), dt.time(11), tzinfo=tz),
             ends_at=dt.datetime.combine(first + dt.timedelta(days=d), dt.time(12), tzinfo=tz), capacity=10_000,
             booked=0) for d in range(days + 2))
    site = Site.objects.get_current()
    for start in range(0, orders, BATCH):
        count = min(BATCH, orders - start)
        placed = [dt.datetime.combine(first + dt.timedelta(days=(start + i) * days // orders), dt.time(8), tzinfo=tz)
                  + dt.timedelta(minutes=rng.randint(0, 720)) for i in range(count)]
        made = Order.objects.bulk_create(
            Order(number=f"B{start + i:07d}", site=site, guest_email=f"c{rng.randint(0, orders // 3)}@bench.test",
                  currency="EUR", total_incl_tax=Decimal("20.00"), total_excl_tax=Decimal("20.00"),
                  fulfilment_mode=FulfilmentMode.AT_POINT, collection_point=point, date_placed=placed[i])
            for i in range(count))
        parts = []
        for i, order in enumerate(made):
            chosen = rng.sample(shop_rows, k=1 + (rng.random() < 0.3))
            day = (placed[i].date() - first).days
            for shop in chosen:
                parts.append(ShopOrder(order=order, shop=shop, collection_point=point, slot=slots[day + 1],
                                       status=ShopOrderStatus.COLLECTED, total_incl_tax=Decimal("10.00"),
                                       total_excl_tax=Decimal("10.00"), collected_at=placed[i] + dt.timedelta(days=1)))
        ShopOrder.objects.bulk_create(parts)
        Line.objects.bulk_create(
            Line(order_id=p.order_id, shop_order=p, partner_id=p.shop.partner_id, partner_name=p.shop.name, title="Article",
                 quantity=1, line_price_incl_tax=Decimal("10.00"), line_price_excl_tax=Decimal("10.00"),
                 line_price_before_discounts_incl_tax=Decimal("10.00"),
                 line_price_before_discounts_excl_tax=Decimal("10.00"), unit_price_incl_tax=Decimal("10.00"),
                 unit_price_excl_tax=Decimal("10.00"), num_allocated=0) for p in parts)
        payments = Payment.objects.bulk_create(
            Payment(order_number=o.number, order=o, amount_cents=2000, status=PaymentStatus.CAPTURED) for o in made)
        calls = StripeCall.objects.bulk_create(
            StripeCall(payment=p, operation="bench", idempotency_key=f"bench-{p.order_number}",
                       status=StripeCall.Status.SUCCEEDED) for p in payments)
        call_of = {c.payment.order_number: c for c in calls}
        pay_of = {p.order_number: p for p in payments}
        number_of = {o.pk: o.number for o in made}
        entries = []
        for p in parts:
            number = number_of[p.order_id]
            for kind, cents in ((EntryKind.CAPTURE, 1000), (EntryKind.COMMISSION, 55), (EntryKind.TRANSFER, 945)):
                entries.append(LedgerEntry(payment=pay_of[number], order_number=number, shop=p.shop, kind=kind,
                                           amount_cents=cents, call=call_of[number]))
        LedgerEntry.objects.bulk_create(entries)
        with connection.cursor() as cursor:  # the ledger's own clock: each order's capture day
            cursor.execute("UPDATE payments_ledgerentry e SET created_at = o.date_placed + interval '2 hours' "
                           "FROM order_order o WHERE o.number = e.order_number AND o.number >= %s AND o.number <= %s",
                           [made[0].number, made[-1].number])
        print(f"  {start + count} commandes insérées", flush=True)


def page_measure(client, url: str, runs: int) -> tuple[int, float]:
    client.get(url)
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return len(executed), statistics.median(timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--shops", type=int, default=60)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from marketplace.analytics.services.rollups import rollups_rebuild
    from marketplace.order.models import Order

    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        today = timezone.localdate()
        started = time.perf_counter()
        build(orders=args.orders, shops=args.shops, days=args.days, today=today)
        print(f"Données : {args.orders} commandes en {time.perf_counter() - started:.0f} s")
        manager = get_user_model().objects.create_user(username="m", email="m@bench.test", password="x", is_staff=True)
        client = Client()
        client.force_login(manager)
        month = today.replace(day=1) - dt.timedelta(days=1)
        url = f"/gestion/statistiques/?periode=mois&date={month:%Y-%m-%d}"

        small = Order.objects.order_by("date_placed").values_list("date_placed", flat=True)[999]
        rollups_rebuild(now=small)  # the first 1,000 orders only (the days after: nothing yet)
        small_queries, small_ms = page_measure(client, f"/gestion/statistiques/?periode=mois&date={small:%Y-%m-%d}",
                                               args.runs)
        started = time.perf_counter()
        report = rollups_rebuild()
        rebuild_s = time.perf_counter() - started
        large_queries, large_ms = page_measure(client, url, args.runs)
        print(f"Reconstruction des agrégats : {report.days} jours en {rebuild_s:.1f} s")
        print(f"Page à 1 000 commandes   : {small_queries} requêtes SQL, {small_ms:.1f} ms (médiane de {args.runs})")
        print(f"Page à {args.orders:,} commandes : {large_queries} requêtes SQL, {large_ms:.1f} ms".replace(",", " "))
    finally:
        creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
