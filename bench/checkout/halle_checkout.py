#!/usr/bin/env python3
"""Halle's click-and-collect checkout under gunicorn, measured like the Oscar peer's checkout.py.

    python bench/checkout/halle_checkout.py setup        # town point + a week of slots, reset
    python bench/checkout/halle_checkout.py queries      # SQL queries per request (test client)
    python bench/checkout/halle_checkout.py load         # N shoppers for DURATION s (gunicorn)
    python bench/checkout/halle_checkout.py rush         # 50 shoppers for the last 5 units

Run through bench/checkout/run.sh (environment: bench settings, the benchmark
database loaded with the peer's data set by bench/storefront/dataset.py).

One checkout = one new guest buying one unit of a random product with at least
20 units, collected at the town point in a slot picked among the feasible ones:

  product page → add to basket (POST) → /checkout/ (contact, mode and slots, one
  page) → its POST (contact, "everything at the town point", a slot: holds the
  slot and the unit) → summary → place order (POST) → thank-you page.

"Checkout" latency runs from the add-to-basket POST to the end of the thank-you
page, as in the peer. The transports, HTML form parser and statistics are the
peer's own (``checkout_common.py``, imported from PEER_BENCH), so both sides are
driven and measured the same way. Output: one JSON object on stdout.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from time import perf_counter

REPO = Path(__file__).resolve().parents[2]
PEER_BENCH = Path(os.environ.get("PEER_BENCH", REPO.parent / "shared" / "bench" / "oscar_peer"))
sys.path[:0] = [str(REPO), str(REPO / "bench" / "storefront"), str(PEER_BENCH)]

import checkout_common as cc  # noqa: E402  (the peer's transports and statistics)
import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

SLOT_CAPACITY = 5000
WORK = Path(os.environ.get("BENCH_WORK", "/tmp/halle-bench-checkout"))


def log(msg: str) -> None:
    print(f"[halle {time.strftime('%H:%M:%SZ', time.gmtime())}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- data
def town_point():
    from logistics.models import CollectionPoint, PointKind

    return CollectionPoint.objects.get(kind=PointKind.TOWN_POINT, name="Point retrait (banc d'essai)")


def setup() -> None:
    """The town point, open every day, with one-hour slots of SLOT_CAPACITY orders for 8 days."""
    from logistics.models import CollectionPoint, PointKind, PointOpeningPeriod, Slot

    point, _ = CollectionPoint.objects.get_or_create(
        kind=PointKind.TOWN_POINT, name="Point retrait (banc d'essai)", defaults={"address": "Place de la Halle"}
    )
    for day in range(7):
        PointOpeningPeriod.objects.get_or_create(point=point, weekday=day, opens=dt.time(0, 0), closes=dt.time(23, 59))
    tz = timezone.get_default_timezone()
    today = timezone.localdate()
    slots = []
    for d in range(9):
        day = today + dt.timedelta(days=d)
        for hour in range(8, 20):
            start = dt.datetime.combine(day, dt.time(hour), tzinfo=tz)
            slots.append(Slot(point=point, starts_at=start, ends_at=start + dt.timedelta(hours=1), capacity=SLOT_CAPACITY))
    Slot.objects.bulk_create(slots, ignore_conflicts=True)
    # Every shop can be paid (the bench authorises cards; nothing is captured or transferred).
    from marketplace.payments.models import ShopPaymentAccount
    from shops.models import Shop

    ShopPaymentAccount.objects.bulk_create(
        [ShopPaymentAccount(shop=shop, stripe_account_id=f"acct_bench{shop.pk}", details_submitted=True,
                            transfers_active=True, payouts_enabled=True)
         for shop in Shop.objects.filter(payment_account__isnull=True)]
    )
    reset()


def reset() -> None:
    """Orders, baskets, sessions and holds cleared; allocations and slot counters back to zero."""
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE order_order, order_line, order_shoporder, order_shoporderevent, order_lineprice, "
            "basket_basket, basket_line, basket_lineattribute, django_session, partner_stockhold, "
            "logistics_slothold, analytics_productrecord, analytics_userrecord, payments_payment, "
            "payments_stripecall RESTART IDENTITY CASCADE"
        )
        cur.execute("UPDATE partner_stockrecord SET num_allocated = 0 WHERE num_allocated <> 0")
        cur.execute("UPDATE logistics_slot SET held = 0, booked = 0 WHERE held <> 0 OR booked <> 0")
    from django.core.cache import cache

    cache.clear()


def products(min_stock: int) -> list[tuple[str, int]]:
    from django.utils import translation

    from marketplace.partner.models import StockRecord

    with translation.override("fr"):
        return [
            (sr.product.get_absolute_url(), sr.pk)
            for sr in StockRecord.objects.filter(num_in_stock__gte=min_stock, product__is_public=True)
            .select_related("product").order_by("product__upc")
        ]


def invariants() -> dict:
    with connection.cursor() as cur:
        cur.execute("""
            SELECT (SELECT count(*) FROM order_order),
                   (SELECT coalesce(sum(num_allocated), 0) FROM order_line),
                   (SELECT coalesce(sum(quantity), 0) FROM partner_stockhold WHERE status = 'held'),
                   (SELECT coalesce(sum(num_allocated), 0) FROM partner_stockrecord),
                   (SELECT count(*) FROM partner_stockrecord WHERE num_allocated > num_in_stock),
                   (SELECT count(*) FROM logistics_slot WHERE booked + held > capacity),
                   (SELECT coalesce(sum(booked), 0) FROM logistics_slot)""")
        orders, ordered, held, allocated, oversold, overbooked, booked = cur.fetchone()
    return {"orders_in_db": orders, "units_in_order_lines": int(ordered), "units_held": int(held),
            "units_allocated": int(allocated), "stock_records_oversold": oversold,
            "slots_overbooked": overbooked, "slot_bookings": int(booked)}


# ------------------------------------------------------------------------- journey
SLOT_RADIO = re.compile(r'name="slot" value="(\d+)"')


def halle_checkout(t, product_path, email, rec, rng, before_slot=None):
    """One guest checkout of one unit; each request reported as rec(step, t0, ms, status)."""

    def call(step, method, path, data=None, expect=(200,), referer=None):
        t0 = perf_counter()
        try:
            r = t.request(method, path, data, referer)
        except t.errors as e:
            rec(step, t0, (perf_counter() - t0) * 1000, None)
            raise cc.CheckoutError(step, "exception", type(e).__name__) from None
        rec(step, t0, (perf_counter() - t0) * 1000, r.status)
        if r.status >= 500:
            raise cc.CheckoutError(step, "http_%d" % r.status, path, r.status)
        if r.status not in expect:
            raise cc.CheckoutError(step, "unexpected_%d" % r.status, "%s -> %s" % (path, r.location), r.status)
        return r

    def form(step, r, path, **kw):
        f = cc.find_form(r.text, path, **kw)
        if f is None or "csrfmiddlewaretoken" not in f.fields:
            raise cc.CheckoutError(step, "form_missing", str(kw))
        return f

    def hop(step, r, suffix):
        if not r.location or not r.location.endswith(suffix):
            raise cc.CheckoutError(step, "redirected_elsewhere", "%s (wanted *%s)" % (r.location, suffix), r.status)
        return r.location

    r = call("product", "GET", product_path)
    f = form("product", r, product_path, form_id="add_to_basket_form")
    call("basket_add", "POST", f.action, f.data(quantity="1"), expect=(302,), referer=product_path)
    r = call("checkout", "GET", "/checkout/")
    f = form("checkout", r, "/checkout/", form_id="collect_form")
    point = re.search(r'name="point" value="(\d+)"', r.text)
    choices = SLOT_RADIO.findall(r.text)
    if not point or not choices:
        raise cc.CheckoutError("checkout", "no_point_or_slot")
    if before_slot:
        before_slot()
    r = call("slot_hold", "POST", f.action,
             f.data(email=email, phone="", mode="point", point=point.group(1), slot=rng.choice(choices[:24]),
                    action="hold"),
             expect=(302,), referer="/checkout/")
    if r.location and r.location.endswith("/basket/"):
        raise cc.CheckoutError("slot_hold", "sold_out", "sent back to the basket", r.status)
    path = hop("slot_hold", r, "/checkout/recapitulatif/")
    r = call("preview", "GET", path)
    f = form("preview", r, path, form_id="place_order_form")
    r = call("place_order", "POST", f.action, f.data(payment_method="pm_card_visa"), expect=(302,), referer=path)
    path = hop("place_order", r, "/checkout/merci/")
    r = call("thank_you", "GET", path)
    m = re.search(r"n° (\d+)", r.text)
    if not m:
        raise cc.CheckoutError("thank_you", "no_order_number")
    return m.group(1)


def count_queries(product_path: str, runs: int = 2) -> dict:
    """SQL queries per request with the test client (CSRF checks on); the last (warm) run is kept."""
    per_run = []
    for i in range(runs):
        t = cc.TestClientTransport()
        steps = []
        halle_checkout(t, product_path, f"queries{i}@example.test",
                       lambda step, t0, ms, status: steps.append((step, status, t.last_queries)), random.Random(i))
        per_run.append(steps)
    warm, cold = per_run[-1], per_run[0]
    return {"steps": [{"step": s, "status": st, "queries": q, "queries_cold": c[2]} for (s, st, q), c in zip(warm, cold)],
            "place_order": next(q for s, _, q in warm if s == "place_order"),
            "slot_hold": next(q for s, _, q in warm if s == "slot_hold"),
            "checkout_total": sum(q for s, _, q in warm if s != "product")}


# ------------------------------------------------------------------------- gunicorn
class Gunicorn:
    def __init__(self, port: int, workers: int):
        self.port, self.workers, self.proc = port, workers, None
        self.logfile = WORK / "logs" / "gunicorn-checkout.log"

    def _busy(self) -> bool:
        with socket.socket() as s:
            s.settimeout(0.5)
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def start(self) -> None:
        import requests

        if self._busy():
            cc.die(f"port {self.port} already in use")
        self.logfile.parent.mkdir(parents=True, exist_ok=True)
        self.offset = self.logfile.stat().st_size if self.logfile.exists() else 0
        out = open(self.logfile, "ab")
        self.proc = subprocess.Popen(
            [str(REPO / ".venv" / "bin" / "gunicorn"), "marketplace.config.wsgi:application",
             "--workers", str(self.workers), "--worker-class", "sync", "--bind", f"127.0.0.1:{self.port}",
             "--error-logfile", str(self.logfile), "--log-level", "warning"],
            cwd=REPO, stdout=out, stderr=out, start_new_session=True)
        for _ in range(150):
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/healthz/", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if self.proc.poll() is not None:
                cc.die(f"gunicorn exited; see {self.logfile}")
            time.sleep(0.2)
        log(f"gunicorn up (pid {self.proc.pid}, {self.workers} sync workers, 127.0.0.1:{self.port})")

    def server_errors(self) -> dict:
        text = self.logfile.read_bytes()[self.offset:].decode("utf-8", "replace") if self.logfile.exists() else ""
        found: dict[str, int] = {}
        for line in text.splitlines():
            m = re.match(r"^([a-zA-Z_][\w.]*(?:Error|Exception)): (.*)", line)
            if m:
                key = f"{m.group(1)}: {m.group(2)[:120]}"
                found[key] = found.get(key, 0) + 1
        return found

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def meta() -> dict:
    import oscar

    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
    cpu = next((row.split(":", 1)[1].strip() for row in open("/proc/cpuinfo") if row.startswith("model name")), "?")
    return {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "cpus": os.cpu_count(), "cpu": cpu,
            "python": platform.python_version(), "django": django.get_version(), "oscar": oscar.get_version(),
            "postgresql": pg.split()[0]}


# ------------------------------------------------------------------------ load test
def load(args) -> dict:
    reset()
    paths = [p for p, _ in products(args.min_stock)]
    log(f"{len(paths)} products with stock >= {args.min_stock}")
    queries = count_queries(paths[0])
    log(f"SQL queries: slot hold {queries['slot_hold']}, place order {queries['place_order']}, "
        f"checkout {queries['checkout_total']}")
    reset()
    server = Gunicorn(args.port, args.workers)
    server.start()
    base = f"http://127.0.0.1:{args.port}"
    records, lock, stop = [], threading.Lock(), threading.Event()

    def shopper(idx):
        rng = random.Random(1000 + idx)
        n = 0
        while not stop.is_set():
            n += 1
            t = cc.HttpTransport(base, timeout=30)
            steps = []
            rec = {"start": perf_counter(), "steps": steps, "ok": False}
            try:
                rec["order"] = halle_checkout(t, rng.choice(paths), f"guest{idx}.{n}@example.test",
                                              lambda s, t0, ms, st: steps.append((s, t0, ms, st)), rng)
                rec["ok"] = True
            except cc.CheckoutError as e:
                rec["error"] = f"{e.step}:{e.kind}"
            except Exception as e:  # noqa: BLE001 - a client bug must not hide behind the others
                rec["error"] = f"client:{type(e).__name__}"
            finally:
                t.close()
            rec["end"] = perf_counter()
            with lock:
                records.append(rec)

    try:
        threads = [threading.Thread(target=shopper, args=(i,), daemon=True) for i in range(args.shoppers)]
        t0 = perf_counter()
        for th in threads:
            th.start()
        t_from, t_to = t0 + args.warmup, t0 + args.warmup + args.duration
        time.sleep(max(0, t_from - perf_counter()))
        cpu_a = cc.cpu_snapshot()
        time.sleep(max(0, t_to - perf_counter()))
        cpu = cc.cpu_use(cpu_a, cc.cpu_snapshot(), perf_counter() - t_from)
        stop.set()
        for th in threads:
            th.join(timeout=60)
        errors_logged = server.server_errors()
    finally:
        server.stop()
    with lock:
        window = [r for r in records if t_from <= r["end"] < t_to]
    ok = [r for r in window if r["ok"]]
    checkout_ms, place_ms, hold_ms = [], [], []
    per_step = defaultdict(list)
    for r in window:
        for step, _t, ms, _st in r["steps"]:
            per_step[step].append(ms)
    for r in ok:
        steps = {s[0]: s for s in r["steps"]}
        add, ty = steps["basket_add"], steps["thank_you"]
        checkout_ms.append((ty[1] - add[1]) * 1000 + ty[2])
        place_ms.append(steps["place_order"][2])
        hold_ms.append(steps["slot_hold"][2])
    db = invariants()
    seen = sum(1 for r in records if r["ok"])
    db["thank_you_pages_seen"] = seen
    db["consistent"] = (db["orders_in_db"] == seen == db["slot_bookings"] and db["units_held"] == 0
                        and db["units_in_order_lines"] == db["units_allocated"] == seen
                        and db["stock_records_oversold"] == 0 and db["slots_overbooked"] == 0)
    summary = cc.summary(checkout_ms)
    place = cc.summary(place_ms)
    out = {
        "bench": "halle_checkout", "shoppers": args.shoppers, "workers": args.workers,
        "duration_s": args.duration, "orders": len(ok), "orders_per_s": round(len(ok) / args.duration, 2),
        "checkout_p50_ms": summary.get("p50_ms"), "checkout_p99_ms": summary.get("p99_ms"),
        "place_order_p50_ms": place.get("p50_ms"), "place_order_p99_ms": place.get("p99_ms"),
        "slot_hold": cc.summary(hold_ms),
        "errors": sum(1 for r in window if not r["ok"]),
        "errors_by_step": dict(Counter(r["error"] for r in records if not r["ok"])),
        "place_order_queries": queries["place_order"], "slot_hold_queries": queries["slot_hold"],
        "checkout_queries": queries["checkout_total"], "queries": queries,
        "steps": {k: cc.summary(v) for k, v in per_step.items()},
        "server_exceptions": errors_logged, "db_check": db, "cpu": cpu, "meta": meta(),
    }
    reset()
    return out


# ---------------------------------------------------------------------------- rush
def rush(args) -> dict:
    """``shoppers`` guests walk to the slot page for one product with ``stock`` units, then all choose at once."""
    from marketplace.partner.models import StockRecord

    path, sr_id = rush_product()
    original = StockRecord.objects.get(pk=sr_id).num_in_stock
    rounds = []
    for workers in args.workers_list:
        server = Gunicorn(args.port, workers)
        server.start()
        try:
            for rnd in range(1, args.rounds + 1):
                reset()
                StockRecord.objects.filter(pk=sr_id).update(num_in_stock=args.stock, num_allocated=0)
                barrier = threading.Barrier(args.shoppers, timeout=120)
                results = [None] * args.shoppers

                def shopper(i):
                    t = cc.HttpTransport(f"http://127.0.0.1:{args.port}", timeout=60)
                    steps, waited = [], []

                    def at_barrier():
                        waited.append(True)
                        barrier.wait()

                    try:
                        halle_checkout(t, path, f"rush{rnd}.{i}@example.test",
                                       lambda s, t0, ms, st: steps.append((s, ms, st)), random.Random(i),
                                       before_slot=at_barrier)
                        results[i] = ("order_placed", steps)
                    except cc.CheckoutError as e:
                        results[i] = ("refused_sold_out" if e.kind == "sold_out" else f"error {e.step}:{e.kind}", steps)
                    except threading.BrokenBarrierError:
                        results[i] = ("error barrier_broken", steps)
                    finally:
                        t.close()
                        if not waited:  # failed before the barrier: still release the others
                            try:
                                barrier.wait()
                            except threading.BrokenBarrierError:
                                pass

                t0 = perf_counter()
                threads = [threading.Thread(target=shopper, args=(i,)) for i in range(args.shoppers)]
                for th in threads:
                    th.start()
                for th in threads:
                    th.join(timeout=300)
                sr = StockRecord.objects.get(pk=sr_id)
                from marketplace.order.models import Line

                lines = Line.objects.filter(stockrecord_id=sr_id)
                outcomes = Counter(kind for kind, _ in results)
                statuses = Counter(str(st) for _, steps in results for *_x, st in steps)
                hold_ms = [ms for _, steps in results for s, ms, _st in steps if s == "slot_hold"]
                rounds.append({
                    "workers": workers, "round": rnd, "orders": lines.values("order_id").distinct().count(),
                    "units_ordered": sum(line.quantity for line in lines), "num_allocated": sr.num_allocated,
                    "num_in_stock": sr.num_in_stock, "outcomes": dict(outcomes),
                    "http_5xx": sum(n for st, n in statuses.items() if st.startswith("5")),
                    "slot_hold": cc.summary(hold_ms), "round_s": round(perf_counter() - t0, 1),
                    "db_check": invariants(),
                })
                log("workers %d round %d: %d orders, allocated %d/%d, outcomes %s, 5xx %d" % (
                    workers, rnd, rounds[-1]["orders"], sr.num_allocated, sr.num_in_stock, dict(outcomes),
                    rounds[-1]["http_5xx"]))
            errors = server.server_errors()
        finally:
            server.stop()
        rounds[-1]["server_exceptions"] = errors
    StockRecord.objects.filter(pk=sr_id).update(num_in_stock=original, num_allocated=0)
    reset()
    return {"bench": "halle_rush", "shoppers": args.shoppers, "stock": args.stock, "rounds": rounds, "meta": meta()}


def rush_product() -> tuple[str, int]:
    """The peer's rush product (PEER000100), as oversell.py uses."""
    from django.utils import translation

    from marketplace.partner.models import StockRecord

    sr = StockRecord.objects.select_related("product").get(product__upc="PEER000100")
    with translation.override("fr"):
        return sr.product.get_absolute_url(), sr.pk


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("command", choices=["setup", "reset", "queries", "load", "rush"])
    ap.add_argument("--shoppers", type=int, default=8)
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--warmup", type=float, default=5)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--workers-list", type=lambda s: [int(x) for x in s.split(",")], default=[2, 8, 16])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--stock", type=int, default=5)
    ap.add_argument("--port", type=int, default=8803)
    ap.add_argument("--min-stock", type=int, default=20)
    args = ap.parse_args()
    if args.command == "setup":
        setup()
        return
    if args.command == "reset":
        reset()
        return
    if args.command == "queries":
        reset()
        print(json.dumps(count_queries(products(args.min_stock)[0][0])))
        reset()
        return
    if args.command == "rush":
        args.shoppers = args.shoppers if args.shoppers != 8 else 50
        print(json.dumps(rush(args)))
        return
    print(json.dumps(load(args)))


if __name__ == "__main__":
    main()
