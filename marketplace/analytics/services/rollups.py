"""Keeping the roll-up tables equal to what the raw rows say (writes).

``rollups_update`` (beat, every few minutes) finds the days whose raw rows changed
since its last run — orders placed, shop orders whose state moved (their slot,
pickup and cancellation days), ledger entries, footfall imports — and rewrites
those days whole, plus every day from the day before its last run to today (slot
bookings move without an order event, and a future slot's day comes due). ``rollups_rebuild`` (nightly, and ``manage.py analytics_rebuild``)
rewrites every day from the first raw row to today. Both write a day through
``day_facts_compute``: running either twice changes nothing, and the update after
any history gives the rebuild's rows (tested with random order histories).

Days after today are never rolled up (a future slot's figures are written once its
day comes). Changes are read from ``watermark − MARGIN``: a transaction that
commits up to MARGIN after its rows were stamped is still seen; anything later
is caught by the nightly rebuild.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from logistics.models import Slot
from marketplace.analytics import locks
from marketplace.analytics.calendar import days_between, local_day
from marketplace.analytics.facts import FACT_MODELS, day_facts_compute
from marketplace.analytics.models import FootfallCount, FootfallImport, FootfallImportStatus
from marketplace.order.models import Order, ShopOrder
from marketplace.payments.models import LedgerEntry

logger = logging.getLogger(__name__)

MARGIN = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class RollupReport:
    days: int
    rebuilt: bool = False


def _day_write(day: dt.date, *, fresh: bool = False) -> None:
    """``fresh``: the tables were just emptied (rebuild), nothing to delete."""
    facts = day_facts_compute(day=day)
    if not fresh:
        for model in FACT_MODELS:
            model.objects.filter(day=day).delete()
    for model, rows in facts.rows().items():
        if rows:
            model.objects.bulk_create(rows)


def rollup_days_refresh(*, days: Iterable[dt.date], now: dt.datetime | None = None) -> RollupReport:
    """Rewrite the facts of ``days`` (those up to today) under the roll-ups' lock."""
    today = local_day(now or timezone.now())
    wanted = sorted({day for day in days if day <= today})
    with transaction.atomic():
        locks.rollup_state_lock()
        for day in wanted:
            _day_write(day)
    return RollupReport(days=len(wanted))


def dirty_days(*, since: dt.datetime) -> set[dt.date]:
    """Days whose figures may have changed through rows written since ``since``."""
    days = {local_day(when) for when in Order.objects.filter(date_placed__gte=since).values_list("date_placed", flat=True)}
    days |= {
        local_day(when)
        for when in LedgerEntry.objects.filter(created_at__gte=since).values_list("created_at", flat=True).distinct()
    }
    for moments in ShopOrder.objects.filter(updated_at__gte=since).values_list(
        "order__date_placed", "slot__starts_at", "collected_at", "cancelled_at"
    ):
        days |= {local_day(moment) for moment in moments if moment is not None}
    finished = FootfallImport.objects.filter(finished_at__gte=since, status=FootfallImportStatus.DONE)
    for first, last in finished.values_list("spans__starts_at", "spans__ends_at"):
        if first is not None:
            days |= set(days_between(local_day(first), local_day(last - dt.timedelta(microseconds=1))))
    return days


def rollups_update(*, now: dt.datetime | None = None) -> RollupReport:
    """The incremental update (beat): the days changed since the last run, yesterday and today.

    The first run ever is a rebuild.
    """
    now = now or timezone.now()
    today = local_day(now)
    with transaction.atomic():
        state = locks.rollup_state_lock()
        if state.watermark is None:
            return _rebuild_locked(state, now)
        # The days that came due since the last run (a future slot's day, today's bookings) are
        # rewritten too, however long the beat was stopped.
        came_due = days_between(local_day(state.watermark) - dt.timedelta(days=1), today)
        days = dirty_days(since=state.watermark - MARGIN) | set(came_due)
        wanted = sorted(day for day in days if day <= today)
        for day in wanted:
            _day_write(day)
        state.watermark = max(state.watermark, now)
        state.updated_at = now
        state.save(update_fields=["watermark", "updated_at"])
    logger.info("Roll-ups: %s day(s) updated", len(wanted))
    return RollupReport(days=len(wanted))


def first_raw_day() -> dt.date | None:
    """The first day any raw row the roll-ups read belongs to."""
    firsts = [
        Order.objects.aggregate(first=Min("date_placed"))["first"],
        LedgerEntry.objects.aggregate(first=Min("created_at"))["first"],
        Slot.objects.aggregate(first=Min("starts_at"))["first"],
        FootfallCount.objects.aggregate(first=Min("starts_at"))["first"],
    ]
    moments = [moment for moment in firsts if moment is not None]
    return local_day(min(moments)) if moments else None


def rollups_rebuild(*, now: dt.datetime | None = None) -> RollupReport:
    """Every roll-up row rewritten from the raw rows, in one transaction (pages read the
    previous figures until it commits)."""
    now = now or timezone.now()
    with transaction.atomic():
        return _rebuild_locked(locks.rollup_state_lock(), now)


def _rebuild_locked(state, now: dt.datetime) -> RollupReport:
    today = local_day(now)
    for model in FACT_MODELS:
        model.objects.all().delete()
    first = first_raw_day()
    days = days_between(first, today) if first is not None and first <= today else []
    for day in days:
        _day_write(day, fresh=True)
    state.watermark = now
    state.updated_at = state.rebuilt_at = now
    state.save(update_fields=["watermark", "updated_at", "rebuilt_at"])
    logger.info("Roll-ups rebuilt: %s day(s)", len(days))
    return RollupReport(days=len(days), rebuilt=True)

