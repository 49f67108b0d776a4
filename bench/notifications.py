"""Notifications through a real Celery worker: how many e-mails per second, and how long from
"the merchant marks the last part ready" to the e-mail sent.

    .venv/bin/python bench/notifications.py [--count 400] [--latency-runs 30] [--broker redis://127.0.0.1:6379/6]

Builds its data in a throw-away PostgreSQL database (``TEST_DATABASE_NAME``, default
``bench_halle_notifications``, dropped at the end), starts ``celery worker`` processes on
that database and a Redis broker (the database is flushed first), e-mails written to files.
In the same run, as references: the same worker running a bare task (``halle.worker_health``,
one SQL query) and ``notification_send`` called in-process without any broker. Prints
figures, never fails on a threshold.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.config.settings.test")
os.environ.setdefault("TEST_DATABASE_NAME", "bench_halle_notifications")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

POLL = 0.01


class Worker:
    """``celery worker`` with a chosen pool, on the bench database (tests.support's harness)."""

    def __init__(self, *, broker: str, pool: str, concurrency: int, mail_dir: Path, log_dir: Path):
        from tests.support.celery_worker import CeleryWorker, _test_database_url

        self.worker = CeleryWorker(
            broker=broker,
            database_url=_test_database_url(),
            log_dir=log_dir,
            extra_env={
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(mail_dir),
                "LOG_LEVEL": "WARNING",
            },
        )
        base = self.worker.command
        self.worker.__class__ = type(
            "BenchWorker",
            (CeleryWorker,),
            {"command": property(lambda w: [
                a if not a.startswith("--pool=") and not a.startswith("--concurrency=") else
                (f"--pool={pool}" if a.startswith("--pool=") else f"--concurrency={concurrency}")
                for a in base
            ])},
        )

    def __enter__(self):
        self.worker.start()
        return self.worker

    def __exit__(self, *exc):
        self.worker.stop()


def _client(broker: str):
    from celery import Celery

    return Celery("halle-bench-client", broker=broker, backend=broker, set_as_current=False)


def _wait(condition, timeout: float = 600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(POLL)
    raise TimeoutError("the worker did not finish in time")


def _orders(count: int):
    from tests.factories.pickup import order_with_parts

    return [order_with_parts(count=1, mode="shops", guest_email=f"client{n}@exemple.fr") for n in range(count)]


def _pending_rows(orders, event: str):
    from marketplace.notifications.models import OrderNotification

    now = timezone.now()
    return [
        OrderNotification.objects.create(order=o, event=event, recipient=o.email, next_attempt_at=now).pk
        for o in orders
    ]


def bare_tasks_per_second(client, count: int) -> float:
    started = time.perf_counter()
    results = [client.send_task("halle.worker_health") for _ in range(count)]
    for result in results:
        result.get(timeout=600)
    return count / (time.perf_counter() - started)


def notifications_per_second(client, orders, event: str) -> float:
    from marketplace.notifications.models import NotificationStatus, OrderNotification

    ids = _pending_rows(orders, event)
    started = time.perf_counter()
    for pk in ids:
        client.send_task("notifications.send", args=[pk])
    _wait(lambda: OrderNotification.objects.filter(pk__in=ids, status=NotificationStatus.SENT).count() == len(ids))
    return len(ids) / (time.perf_counter() - started)


def in_process_per_second(orders, event: str) -> float:
    from marketplace.notifications.services import notification_send

    ids = _pending_rows(orders, event)
    started = time.perf_counter()
    for pk in ids:
        assert notification_send(notification_id=pk) == "sent"
    return len(ids) / (time.perf_counter() - started)


def ready_to_email_ms(orders) -> list[float]:
    """Per order (one part, preparing): call the workflow's "ready" and wait for the e-mail row to be sent.
    The bench process publishes to the real broker for this part (not eagerly)."""
    from marketplace.notifications.models import NotificationEvent, NotificationStatus, OrderNotification
    from marketplace.order.services import shop_order_ready
    from tests.factories.pickup import merchant_of, part_advance

    timings = []
    for order in orders:
        part = part_advance(order.shop_orders.get(), to="preparing")
        user = merchant_of(part.shop)
        started = time.time()
        shop_order_ready(shop_order=part, user=user)
        rows = OrderNotification.objects.filter(order=order, event=NotificationEvent.ORDER_READY)
        _wait(lambda: rows.filter(status=NotificationStatus.SENT).exists(), timeout=60)
        sent_at = rows.values_list("sent_at", flat=True).get()
        timings.append((sent_at.timestamp() - started) * 1000)
    return timings


def _emails_written(mail_dir: Path) -> tuple[int, int]:
    """(messages, distinct notifications) in the file backend's output (it appends several
    messages to one file when they share a second)."""
    ids = [
        line.split(":", 1)[1].strip()
        for path in mail_dir.iterdir()
        for line in path.read_text(errors="replace").splitlines()
        if line.startswith("X-Halle-Notification:")
    ]
    return len(ids), len(set(ids))


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(q * len(values))) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=400, help="notifications per throughput measure")
    parser.add_argument("--latency-runs", type=int, default=30)
    parser.add_argument("--broker", default=os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/6"))
    args = parser.parse_args()

    from marketplace.config.celery import app as celery_app
    from tests.support.celery_worker import broker_flush

    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    tmp = Path(tempfile.mkdtemp(prefix="halle-bench-notifications-"))
    try:
        broker_flush(args.broker)
        events = iter(["order_expired", "order_cancelled", "slot_reminder", "missed_slot_reminder"])
        orders = _orders(args.count)
        print(f"Notifications — {args.count} e-mails per measure, PostgreSQL {connection.pg_version}, "
              f"broker {args.broker}, {os.cpu_count()} CPU")
        print(f"  in-process notification_send (no broker, reference): {in_process_per_second(orders, next(events)):.0f}/s")
        client = _client(args.broker)
        for pool, concurrency in (("solo", 1), ("prefork", 2)):
            mail_dir = tmp / f"mail-{pool}"
            mail_dir.mkdir()
            with Worker(broker=args.broker, pool=pool, concurrency=concurrency, mail_dir=mail_dir, log_dir=tmp):
                bare_tasks_per_second(client, 20)  # warm-up
                bare = bare_tasks_per_second(client, args.count)
                sent = notifications_per_second(client, orders, next(events))
                messages, distinct = _emails_written(mail_dir)
                print(f"  worker --pool={pool} -c {concurrency}: bare task {bare:.0f}/s, notifications {sent:.0f}/s "
                      f"({sent / bare:.2f}× the bare task); {messages} e-mails written for {distinct} notifications")
        # Latency: this process now publishes to the broker after commit, as the web would.
        celery_app.conf.update(task_always_eager=False, broker_url=args.broker, result_backend=args.broker)
        latency_orders = _orders(args.latency_runs)
        mail_dir = tmp / "mail-latency"
        mail_dir.mkdir()
        with Worker(broker=args.broker, pool="solo", concurrency=1, mail_dir=mail_dir, log_dir=tmp):
            bare_tasks_per_second(client, 20)
            timings = ready_to_email_ms(latency_orders)
        print(f"  'merchant marks ready' → e-mail sent ({len(timings)} orders, one at a time, solo worker): "
              f"median {statistics.median(timings):.0f} ms, p95 {_p(timings, 0.95):.0f} ms, max {max(timings):.0f} ms")
        client.close()
        return 0
    finally:
        connection.close()
        creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    raise SystemExit(main())
