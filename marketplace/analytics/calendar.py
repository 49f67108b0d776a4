"""The town's calendar: roll-ups count by the day and hour of the town's wall clock."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone


def town_tz():
    return timezone.get_default_timezone()


def day_start(day: dt.date) -> dt.datetime:
    """The instant ``day`` begins in town (midnight, whatever the daylight-saving change)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=town_tz())


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of ``day`` in town time."""
    return day_start(day), day_start(day + dt.timedelta(days=1))


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(town_tz())


def local_day(moment: dt.datetime) -> dt.date:
    return local(moment).date()


def local_hour(moment: dt.datetime) -> int:
    return local(moment).hour


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every day from ``first`` to ``last`` included."""
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def today() -> dt.date:
    return timezone.localdate()
