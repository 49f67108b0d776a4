"""A merchant's own figures for a period and the previous one (roll-ups of that shop only).

Every query is filtered on the one shop given, never on a request parameter:
a merchant cannot read another shop's figures. Three queries whatever the
number of orders.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Sum

from marketplace.analytics.models import DailyShopFact, HourlyShopFact, ProductDayFact
from marketplace.analytics.periods import Period
from marketplace.analytics.selectors.figures import (
    CURRENT,
    PREVIOUS,
    Figure,
    average_cents,
    ratio,
    sums_two_periods,
)
from marketplace.analytics.selectors.town import SHOP_FIELDS
from shops.models import Shop

TOP_PRODUCTS = 10


@dataclass
class ShopStatistics:
    period: Period
    previous: Period
    figures: list[Figure]
    collect: list[Figure]
    products: list[dict]
    hours: list[dict]


def _figures(cur: dict, prev: dict) -> tuple[list[Figure], list[Figure]]:
    def both(func):
        return func(cur), func(prev)

    figures = [
        ("net", "Ventes nettes TTC (encaissé − remboursé)", lambda s: s["captured_cents"] - s["refunded_cents"], "euros"),
        ("captured", "Ventes encaissées TTC", lambda s: s["captured_cents"], "euros"),
        ("refunded", "Remboursements", lambda s: s["refunded_cents"], "euros"),
        ("orders", "Commandes", lambda s: s["orders"], "count"),
        ("basket", "Panier moyen TTC (vos articles)", lambda s: average_cents(s["ordered_cents"], s["orders"]), "euros"),
        ("multi", "Commandes passées avec d’autres commerces", lambda s: ratio(s["multi_shop_orders"], s["orders"]),
         "percent"),
        ("new", "Commandes de nouveaux clients du centre-ville", lambda s: s["new_shopper_orders"], "count"),
        ("commission", "Commission de la ville", lambda s: s["commission_cents"], "euros"),
    ]
    collect = [
        ("drops", "Parts déposées au point avant le créneau", lambda s: ratio(s["drops_on_time"], s["drops_due"]), "percent"),
        ("ready", "Parts prêtes au comptoir avant le créneau", lambda s: ratio(s["ready_on_time"], s["ready_due"]),
         "percent"),
        ("pickups", "Parts retirées", lambda s: s["pickups"], "count"),
        ("no_shows", "Parts non retirées", lambda s: s["no_shows"], "count"),
    ]
    return ([Figure(k, label, *both(f), unit) for k, label, f, unit in figures],
            [Figure(k, label, *both(f), unit) for k, label, f, unit in collect])


def shop_statistics(*, shop: Shop, period: Period) -> ShopStatistics:
    row = sums_two_periods(DailyShopFact.objects.filter(shop=shop), fields=SHOP_FIELDS, period=period)[0]
    cur = {name: int(row[f"{CURRENT}_{name}"] or 0) for name in SHOP_FIELDS}
    prev = {name: int(row[f"{PREVIOUS}_{name}"] or 0) for name in SHOP_FIELDS}
    figures, collect = _figures(cur, prev)
    in_period = {"shop": shop, "day__gte": period.first, "day__lte": period.last}
    products = list(
        ProductDayFact.objects.filter(**in_period).values("product_id", "title")
        .annotate(units=Sum("units"), cents=Sum("ordered_cents")).order_by("-cents", "-units", "title")[:TOP_PRODUCTS]
    )
    by_hour = dict(HourlyShopFact.objects.filter(**in_period).values("hour").annotate(n=Sum("orders"))
                   .order_by("hour").values_list("hour", "n"))
    first, last = (min(by_hour), max(by_hour)) if by_hour else (9, 19)
    hours = [{"hour": h, "orders": by_hour.get(h, 0)} for h in range(min(first, 9), max(last, 19) + 1)]
    return ShopStatistics(period=period, previous=period.previous(), figures=figures, collect=collect,
                          products=products, hours=hours)
