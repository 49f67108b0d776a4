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
