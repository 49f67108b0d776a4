"""Footfall beside online orders, per street and hour (roll-ups only: four queries).

A counting site watches one street; a shop belongs to the street of its address
(``street_of``). Conversion: orders placed with the street's shops per 1,000
passers-by counted on that street, in the same hours of the same days.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from marketplace.analytics.models import CountingSite, FootfallHourFact, HourlyShopFact
from marketplace.analytics.opendata.formats import street_key, street_of
from marketplace.analytics.periods import Period
from shops.models import Shop


def conversion(orders: int, passers: Decimal) -> Decimal | None:
    if not passers:
        return None
    return (Decimal(orders) * 1000 / Decimal(passers)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def footfall_by_street(*, period: Period) -> list[dict]:
    """Per counted street: its hours (passers, orders, sales, conversion) and totals."""
    in_period = {"day__gte": period.first, "day__lte": period.last}
    sites = {site.pk: site for site in CountingSite.objects.all()}
    streets = {street_key(site.street): site.street for site in sites.values()}
    passers = defaultdict(lambda: defaultdict(Decimal))
    for site_id, hour, value in (FootfallHourFact.objects.filter(**in_period).values("site_id", "hour")
                                 .annotate(n=Sum("passers")).values_list("site_id", "hour", "n")):
        passers[street_key(sites[site_id].street)][hour] += value
    shop_street = {pk: street_key(street_of(line1)) for pk, line1 in Shop.objects.values_list("pk", "line1")}
    orders = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for shop_id, hour, count, cents in (HourlyShopFact.objects.filter(**in_period).values("shop_id", "hour")
                                        .annotate(n=Sum("orders"), c=Sum("ordered_cents"))
                                        .values_list("shop_id", "hour", "n", "c")):
        key = shop_street.get(shop_id)
        if key in streets:
            orders[key][hour][0] += count
            orders[key][hour][1] += cents
    result = []
    for key, name in sorted(streets.items(), key=lambda kv: kv[1]):
        hours = sorted(set(passers[key]) | set(orders[key]))
        rows = [{"hour": h, "passers": passers[key][h], "orders": orders[key][h][0], "cents": orders[key][h][1],
                 "conversion": conversion(orders[key][h][0], passers[key][h])} for h in hours]
        total_passers = sum((r["passers"] for r in rows), Decimal(0))
        total_orders = sum(r["orders"] for r in rows)
        result.append({
            "street": name, "key": key, "sites": [s for s in sites.values() if street_key(s.street) == key],
            "hours": rows, "passers": total_passers, "orders": total_orders,
            "cents": sum(r["cents"] for r in rows), "conversion": conversion(total_orders, total_passers),
        })
    return result
