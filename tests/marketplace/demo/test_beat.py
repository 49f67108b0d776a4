"""The demo's stand-in for Celery beat: which tasks are due, and running them."""
from __future__ import annotations

import datetime as dt
import logging
import threading
import zoneinfo

import pytest
from celery import shared_task
from celery.schedules import crontab
from django.core.management import CommandError, call_command

from marketplace.demo.beat import BeatEntry, beat_entries, celery_app, beat_loop, entries_due, entry_run

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
START = dt.datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
HOLDS = BeatEntry(key="holds", task="logistics.holds_expire", schedule=60.0)
SLOTS = BeatEntry(key="slots", task="logistics.slots_generate", schedule=dt.timedelta(hours=1))
NIGHTLY = BeatEntry(key="reconcile", task="payments.reconcile", schedule=crontab(hour=3, minute=30))


def _due_keys(*, last_runs, now):
    return [e.key for e in entries_due(entries=[HOLDS, SLOTS, NIGHTLY], last_runs=last_runs, now=now, started=START)]


def test_beat_entries_are_the_project_schedule_with_registered_tasks():
    from django.conf import settings

    app = celery_app()
    entries = beat_entries()
    assert [e.key for e in entries] == list(settings.CELERY_BEAT_SCHEDULE)
    assert all(e.task in app.tasks for e in entries)
    assert {"checkout.stock_holds_expire", "logistics.holds_expire", "pickup.drops_watch"} <= {e.task for e in entries}


def test_interval_tasks_are_due_on_start_but_the_nightly_one_waits_for_its_time():
    assert _due_keys(last_runs={}, now=START) == ["holds", "slots"]


def test_interval_task_is_due_again_once_its_interval_has_passed():
    last = {"holds": START, "slots": START}
    assert _due_keys(last_runs=last, now=START + dt.timedelta(seconds=59)) == []
    assert _due_keys(last_runs=last, now=START + dt.timedelta(seconds=60)) == ["holds"]
    assert _due_keys(last_runs=last, now=START + dt.timedelta(hours=1)) == ["holds", "slots"]


def test_crontab_task_is_due_at_its_town_time_then_not_again_until_the_next_night():
    last = {"holds": START, "slots": START}
    before = dt.datetime(2026, 3, 3, 3, 29, tzinfo=PARIS)
    at = dt.datetime(2026, 3, 3, 3, 30, tzinfo=PARIS)
    assert "reconcile" not in _due_keys(last_runs=last, now=before)
    assert "reconcile" in _due_keys(last_runs=last, now=at)
    assert "reconcile" not in _due_keys(last_runs={**last, "reconcile": at}, now=at + dt.timedelta(hours=23))
    assert "reconcile" in _due_keys(last_runs={**last, "reconcile": at}, now=at + dt.timedelta(days=1))


def test_crontab_task_reads_town_time_whatever_the_clock_zone():
    utc_before = dt.datetime(2026, 3, 3, 2, 29, tzinfo=dt.timezone.utc)  # 03:29 in Paris (winter)
    utc_at = dt.datetime(2026, 3, 3, 2, 30, tzinfo=dt.timezone.utc)
    assert "reconcile" not in _due_keys(last_runs={}, now=utc_before)
    assert "reconcile" in _due_keys(last_runs={}, now=utc_at)


class _Clock:
    """A clock that moves one minute each time it is read, and stops the loop after ``reads``."""

    def __init__(self, *, stop: threading.Event, reads: int):
        self.now, self.reads, self.stop = START, reads, stop

    def __call__(self):
        self.reads -= 1
        if self.reads < 0:
            self.stop.set()
        self.now += dt.timedelta(minutes=1)
        return self.now


def test_loop_runs_each_due_entry_at_its_interval_without_sleeping():
    stop = threading.Event()
    runs = []
    clock = _Clock(stop=stop, reads=5)
    two_minutes = BeatEntry(key="two", task="x", schedule=120.0)

    def record(*, entry):
        runs.append((entry.key, clock.now))
        return True

    stop.wait = lambda timeout=None: stop.is_set()  # the tick never sleeps in the test
    beat_loop(entries=[HOLDS, two_minutes], stop=stop, tick_seconds=3600, clock=clock, run=record)
    minutes = [(key, int((at - START).total_seconds() // 60)) for key, at in runs]
    # Started at minute 1; the stop requested at minute 6 runs nothing more.
    assert minutes == [("holds", 2), ("two", 2), ("holds", 3), ("holds", 4), ("two", 4), ("holds", 5)]


@shared_task(name="tests.demo_beat.failing")
def _failing_task():
    raise RuntimeError("boom")


@shared_task(name="tests.demo_beat.ok")
def _ok_task():
    return 3


@pytest.fixture
def beat_log():
    """The beat logger's messages (Celery's first task import reconfigures the root logger,
    which drops pytest's capture handler, so the logger gets its own)."""
    celery_app()
    messages: list[str] = []
    handler = logging.Handler(level=logging.INFO)
    handler.emit = lambda record: messages.append(record.getMessage())
    logger = logging.getLogger("marketplace.demo.beat")
    logger.addHandler(handler)
    yield messages
    logger.removeHandler(handler)


def test_entry_run_runs_the_task_and_logs_in_french(beat_log):
    assert entry_run(entry=BeatEntry(key="ok", task="tests.demo_beat.ok", schedule=60.0)) is True
    assert beat_log == ["Tâche planifiée ok (tests.demo_beat.ok) exécutée : 3"]


def test_a_failing_task_is_logged_and_does_not_stop_the_beat(beat_log):
    assert entry_run(entry=BeatEntry(key="ko", task="tests.demo_beat.failing", schedule=60.0)) is False
    assert beat_log == ["Tâche planifiée ko (tests.demo_beat.failing) en échec"]


@pytest.mark.django_db
def test_the_project_tasks_run_in_process_on_an_empty_town(beat_log):
    for entry in beat_entries():
        if isinstance(entry.schedule, crontab):
            continue  # reconciliation talks to Stripe; covered by the payments tests
        assert entry_run(entry=entry), entry.key


def test_command_refuses_to_run_with_a_broker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with pytest.raises(CommandError, match="réservé à la démo"):
        call_command("demo_beat")


def test_command_refuses_a_non_positive_tick():
    with pytest.raises(CommandError, match="--tick doit être positif"):
        call_command("demo_beat", "--tick", "0")
