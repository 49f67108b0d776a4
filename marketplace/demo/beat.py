"""The demo's stand-in for Celery beat.

The one-command demo has no broker, so no beat process: without this, abandoned
checkout holds never give back their stock and slots, and reminders, late-order
alerts, no-show expiry, card-hold settling and reconciliation never run. This runs
the very tasks of ``CELERY_BEAT_SCHEDULE`` in-process at their intervals. It is for
the demo only: with a broker configured, the real beat is the one to run.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from celery.schedules import crontab
from django.conf import settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BeatEntry:
    """One line of the beat schedule: its key, task name and schedule."""

    key: str
    task: str
    schedule: float | dt.timedelta | crontab


def beat_entries(*, schedule: Mapping[str, dict] | None = None) -> list[BeatEntry]:
    """The entries of ``CELERY_BEAT_SCHEDULE`` (or of the given schedule), in its order."""
    schedule = settings.CELERY_BEAT_SCHEDULE if schedule is None else schedule
    return [BeatEntry(key=key, task=entry["task"], schedule=entry["schedule"]) for key, entry in schedule.items()]


def _interval(schedule: float | dt.timedelta) -> dt.timedelta:
    return schedule if isinstance(schedule, dt.timedelta) else dt.timedelta(seconds=float(schedule))


def entry_next_run(*, entry: BeatEntry, last_run: dt.datetime | None, started: dt.datetime) -> dt.datetime:
    """When ``entry`` is next due.

    An interval task never run is due at once (the demo catches up on start); a
    crontab task (e.g. the nightly reconciliation) waits for its next time after the
    last run, or after ``started`` when it has not run yet.
    """
    if isinstance(entry.schedule, crontab):
        tz = zoneinfo.ZoneInfo(settings.CELERY_TIMEZONE)
        since = (last_run or started).astimezone(tz)
        _, delta, _ = entry.schedule.remaining_delta(since)
        return since + delta
    if last_run is None:
        return started
    return last_run + _interval(entry.schedule)


def entries_due(
    *,
    entries: list[BeatEntry],
    last_runs: Mapping[str, dt.datetime],
    now: dt.datetime,
    started: dt.datetime,
) -> list[BeatEntry]:
    """The entries due at ``now`` given their last runs (keyed by entry key)."""
    return [
        entry
        for entry in entries
        if entry_next_run(entry=entry, last_run=last_runs.get(entry.key), started=started) <= now
    ]


def celery_app():
    """The project's Celery app with every app's tasks imported (as a worker does on start)."""
    from marketplace.config.celery import app

    app.loader.import_default_modules()
    return app


def entry_run(*, entry: BeatEntry) -> bool:
    """Run one task in this process, as a worker would; log the outcome in French.

    A failing task is logged and does not stop the others (beat would not stop either).
    """
    app = celery_app()
    try:
        result = app.tasks[entry.task].apply(throw=True)
    except Exception:  # noqa: BLE001 — one broken task must not stop the demo's beat
        logger.exception("Tâche planifiée %s (%s) en échec", entry.key, entry.task)
        return False
    logger.info("Tâche planifiée %s (%s) exécutée : %s", entry.key, entry.task, result.result)
    return True


def beat_loop(
    *,
    entries: list[BeatEntry],
    stop: threading.Event,
    tick_seconds: float = 5.0,
    clock: Callable[[], dt.datetime] | None = None,
    run: Callable[..., bool] = entry_run,
) -> dict[str, dt.datetime]:
    """Run due entries every ``tick_seconds`` until ``stop`` is set; return the last runs."""
    from django.utils import timezone

    clock = clock or timezone.now
    started = clock()
    last_runs: dict[str, dt.datetime] = {}
    while not stop.is_set():
        now = clock()
        for entry in entries_due(entries=entries, last_runs=last_runs, now=now, started=started):
            if stop.is_set():
                break
            run(entry=entry)
            last_runs[entry.key] = now
        stop.wait(tick_seconds)
    return last_runs
