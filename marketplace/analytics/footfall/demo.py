"""A plausible week of footfall counts for three counting sites (the demo town's streets).

Quarter-hour counts, two directions per site: quiet at night, a morning rise, a
lunchtime and an after-work peak, Saturday the busiest day and Sunday morning the
market. Deterministic (same seed, same file) and written through the real import,
so the demo's figures come the way a town's would.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
from decimal import Decimal

from marketplace.analytics.calendar import day_start

SITES = (
    ("BEAUMONT-C01", "Compteur République", "rue de la République", Decimal("47.998100"), Decimal("2.732400"), 1.0),
    ("BEAUMONT-C02", "Compteur Grande Rue", "Grande Rue", Decimal("47.997200"), Decimal("2.734100"), 0.7),
    ("BEAUMONT-C03", "Compteur du Marché", "place du Marché", Decimal("47.997600"), Decimal("2.733000"), 0.85),
)
DAY_WEIGHT = (0.8, 0.85, 0.9, 0.9, 1.05, 1.35, 0.6)  # Monday … Sunday


def _hourly_rate(weekday: int, hour: float) -> float:
    """Passers per hour in one direction at a busy site."""
    base = 15 if 7 <= hour < 21 else 2
    lunch = 260 * math.exp(-((hour - 12.5) ** 2) / 2.0)
    evening = 300 * math.exp(-((hour - 17.75) ** 2) / 2.5)
    morning = 120 * math.exp(-((hour - 9.5) ** 2) / 1.5)
    if weekday == 6:  # Sunday: the market in the morning, then quiet
        return base + 380 * math.exp(-((hour - 10.5) ** 2) / 2.0)
    return (base + lunch + evening + morning) * DAY_WEIGHT[weekday]


def footfall_week_csv(*, monday: dt.date, seed: int = 1) -> str:
    rng = random.Random(f"footfall-{seed}-{monday}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["site_id", "xlong", "ylat", "channel_id", "direction", "start_datetime", "end_datetime", "count"])
    for code, _name, _street, lat, lon, weight in SITES:
        for day in range(7):
            start = day_start(monday + dt.timedelta(days=day))
            for quarter in range(96):
                begins = start + dt.timedelta(minutes=15 * quarter)
                for direction in ("IN", "OUT"):
                    mean = _hourly_rate(day, quarter / 4) * weight / 4
                    count = max(0, round(rng.gauss(mean, math.sqrt(mean + 1))))
                    writer.writerow([code, lon, lat, f"{code}-{direction}", direction, begins.isoformat(),
                                     (begins + dt.timedelta(minutes=15)).isoformat(), count])
    return out.getvalue()


def footfall_demo_seed(*, monday: dt.date, seed: int = 1) -> int:
    """The three sites and their week of counts (idempotent: a week already imported is left)."""
    from collections import Counter

    from django.core.files.base import ContentFile

    from marketplace.analytics.footfall.services import footfall_import_create, footfall_import_run
    from marketplace.analytics.models import CountingSite, FootfallSpan
    from marketplace.analytics.opendata.formats import street_of
    from shops.models import Shop

    # Counters on the streets with the most shops (the demo's shops are spread over a dozen streets).
    busiest = [street for street, _n in Counter(street_of(line1) for line1 in Shop.objects.values_list(
        "line1", flat=True)).most_common(len(SITES))]
    for index, (code, _name, street, lat, lon, _weight) in enumerate(SITES):
        street = busiest[index] if index < len(busiest) else street
        CountingSite.objects.get_or_create(code=code, defaults={"name": f"Compteur {street}", "street": street,
                                                                "latitude": lat, "longitude": lon})
    if FootfallSpan.objects.filter(site__code=SITES[0][0], starts_at=day_start(monday)).exists():
        return 0
    content = ContentFile(footfall_week_csv(monday=monday, seed=seed).encode())
    footfall_import = footfall_import_create(file=content, file_name=f"comptages-{monday:%Y-%m-%d}.csv", queue=False)
    return footfall_import_run(footfall_import_id=footfall_import.pk).row_count
