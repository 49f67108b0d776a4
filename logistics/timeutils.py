"""Wall-clock times of the town (``settings.TIME_ZONE``) turned into aware datetimes."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone


def town_tz() -> dt.tzinfo:
    return timezone.get_default_timezone()


def town_moment(day: dt.date, clock: dt.time, tz: dt.tzinfo | None = None) -> dt.datetime | None:
    """``day`` at ``clock`` in the town, or ``None`` when that time does not exist (spring DST gap).

    An ambiguous time (autumn, the repeated hour) is its first occurrence (``fold=0``).
    """
    tz = tz or town_tz()
    naive = dt.datetime.combine(day, clock)
    aware = naive.replace(tzinfo=tz)
    if aware.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != naive:
        return None
    return aware


def town_period(day: dt.date, opens: dt.time, closes: dt.time, tz: dt.tzinfo | None = None):
    """(start, end) of a wall-clock period on ``day``, as aware UTC datetimes.

    Real durations follow the clock changes: 9:00–12:00 is always 3 hours, but a
    night from 19:00 to 9:00 lasts 13 hours on the spring change day and 15 in autumn.
    A bound inside the spring gap (2:00–3:00, which shops never use) is read with
    the offset in force before the change.
    """
    tz = tz or town_tz()
    return (
        dt.datetime.combine(day, opens, tzinfo=tz).astimezone(dt.UTC),
        dt.datetime.combine(day, closes, tzinfo=tz).astimezone(dt.UTC),
    )


def weekly_occurrences(templates, *, start_date: dt.date, days: int, now: dt.datetime, tz: dt.tzinfo | None = None):
    """Each ``(template, starts_at, ends_at)`` of weekly templates (``weekday``, ``start``,
    ``end``: pickup slot or delivery window templates) over ``days`` days from ``start_date``,
    day by day, that starts after ``now`` and exists on the town's clock (none in the spring
    DST gap): what both generators turn into rows."""
    tz = tz or town_tz()
    for offset in range(days):
        day = start_date + dt.timedelta(days=offset)
        for template in templates:
            if template.weekday != day.weekday():
                continue
            starts_at, ends_at = town_moment(day, template.start, tz), town_moment(day, template.end, tz)
            if starts_at is None or ends_at is None or starts_at <= now:
                continue
            yield template, starts_at, ends_at
