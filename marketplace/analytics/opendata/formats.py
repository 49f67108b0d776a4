"""Small translations for the open datasets: a shop's street, opening hours in OSM syntax."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_NUMBER = re.compile(r"^\s*\d+\s*(?:bis|ter|quater|[a-d](?![a-z]))?\s*,?\s*", re.IGNORECASE)


def street_of(line1: str) -> str:
    """ "12 bis rue de la République" → "rue de la République" (the street shops and counters share)."""
    return " ".join(_NUMBER.sub("", line1 or "").split())


def street_key(street: str) -> str:
    """The same street whatever its accents, case or hyphens (« Rue Jean-Jaurès » = « rue jean jaures »)."""
    folded = unicodedata.normalize("NFKD", street.lower().replace("-", " ").replace("’", "'"))
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


def opening_hours_osm(periods: Iterable[tuple[int, object, object]]) -> str:
    """Weekly periods (weekday 0 = Monday, opens, closes) in OpenStreetMap ``opening_hours``
    syntax: days with the same hours are grouped, consecutive ones as a range
    ("Tu-Sa 09:30-12:30,14:00-19:00; Su 08:00-13:00"). No period: "" (unknown)."""
    by_day: dict[int, list[str]] = {}
    for weekday, opens, closes in sorted(periods, key=lambda p: (p[0], p[1])):
        by_day.setdefault(weekday, []).append(f"{opens:%H:%M}-{closes:%H:%M}")
    groups: list[tuple[list[int], str]] = []
    for weekday in range(7):
        if weekday not in by_day:
            continue
        spec = ",".join(by_day[weekday])
        for days, other in groups:
            if other == spec:
                days.append(weekday)
                break
        else:
            groups.append(([weekday], spec))
    rules = []
    for days, spec in groups:
        runs, start = [], days[0]
        for previous, day in zip(days, [*days[1:], None]):
            if day != previous + 1 if day is not None else True:
                runs.append(OSM_DAYS[start] if start == previous else
                            f"{OSM_DAYS[start]}-{OSM_DAYS[previous]}" if previous - start > 1 else
                            f"{OSM_DAYS[start]},{OSM_DAYS[previous]}")
                start = day
        rules.append(f"{','.join(runs)} {spec}")
    return "; ".join(rules)
