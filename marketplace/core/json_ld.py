"""schema.org JSON-LD shared by the pages that publish it (home, shops, products).

Two things every page needs the same way: the data written so that it can never close
its ``<script>`` element, and opening hours (a weekly pattern plus exceptional closures)
as ``OpeningHoursSpecification`` items, which search engines and maps read to say
« ouvert » or « fermé » next to a shop or a collection point.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

SCHEMA = "https://schema.org"
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: How far ahead closures are published (special hours beyond that would be guesswork).
CLOSURE_HORIZON_DAYS = 90

# What Django's json_script escapes: the data can never close its <script> element.
_SCRIPT_SAFE = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict | list) -> SafeString:
    """``data`` as JSON, ready to go inside ``<script type="application/ld+json">``."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_SAFE))  # escaped above


def _clock(value: dt.time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def _weekly(periods) -> list[dict]:
    return [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": f"{SCHEMA}/{DAYS[p.weekday]}",
         "opens": _clock(p.opens), "closes": _clock(p.closes)}
        for p in sorted(periods, key=lambda p: (p.weekday, p.opens, p.closes))
    ]


def _day_left_open(day: dt.date, periods, closures, tz) -> list[tuple[dt.time, dt.time]]:
    """The opening periods of ``day`` minus the closures (wall-clock times of the town)."""
    left: list[tuple[dt.datetime, dt.datetime]] = []
    for period in periods:
        if period.weekday == day.weekday():
            left.append((timezone.make_aware(dt.datetime.combine(day, period.opens), tz),
                         timezone.make_aware(dt.datetime.combine(day, period.closes), tz)))
    for closure in closures:
        cut = []
        for opens, closes in left:
            if closure.ends_at <= opens or closure.starts_at >= closes:
                cut.append((opens, closes))
                continue
            if closure.starts_at > opens:
                cut.append((opens, closure.starts_at))
            if closure.ends_at < closes:
                cut.append((closure.ends_at, closes))
        left = cut
    return [(timezone.localtime(a, tz).time(), timezone.localtime(b, tz).time()) for a, b in sorted(left)]


def _special(periods, closures, at: dt.datetime) -> list[dict]:
    """One item per day touched by a closure: the hours left that day, or closed (00:00–00:00,
    what schema.org and Google read as « fermé toute la journée »)."""
    tz = timezone.get_default_timezone()
    horizon = at + dt.timedelta(days=CLOSURE_HORIZON_DAYS)
    days: set[dt.date] = set()
    for closure in closures:
        if closure.ends_at <= at or closure.starts_at >= horizon:
            continue
        day = timezone.localtime(max(closure.starts_at, at), tz).date()
        last = timezone.localtime(min(closure.ends_at, horizon) - dt.timedelta(microseconds=1), tz).date()
        while day <= last:
            days.add(day)
            day += dt.timedelta(days=1)
    items = []
    for day in sorted(days):
        base = {"@type": "OpeningHoursSpecification", "validFrom": day.isoformat(), "validThrough": day.isoformat()}
        left = _day_left_open(day, periods, closures, tz)
        if not left:
            items.append({**base, "opens": "00:00", "closes": "00:00"})
        items += [{**base, "opens": _clock(a), "closes": _clock(b)} for a, b in left]
    return items


def opening_hours_specification(*, periods: Iterable, closures: Iterable, at: dt.datetime | None = None) -> list[dict]:
    """Weekly ``periods`` (``WeeklyOpeningPeriod``) then, day by day, what ``closures``
    (``ClosurePeriod``, current and upcoming) leave open in the next 90 days."""
    periods, closures = list(periods), list(closures)
    return _weekly(periods) + _special(periods, closures, at or timezone.now())


def breadcrumb_list(items: list[tuple[str, str]]) -> dict:
    """A ``BreadcrumbList`` of (name, absolute URL) pairs, from the home page to the page itself."""
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(items, start=1)
        ],
    }
