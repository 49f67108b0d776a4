"""The town-centre manager's figures for a period and the previous one (reads roll-ups only).

Six queries whatever the number of orders: the town's days, the shops' days
grouped by shop (for both periods at once), the two daily series, and slot use
by day and hour and by point. Per-trade figures are added up from the per-shop
rows. Money comes from the ledger's roll-up: sales are what was captured on each
day, refunds lower the day they were made (see ``marketplace.analytics.models``).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum

from logistics.models import PointKind
from marketplace.analytics.models import DailyShopFact, DailyTownFact, SlotUseFact
from marketplace.analytics.periods import Period
from marketplace.analytics.selectors.figures import (
    CURRENT,
    PREVIOUS,
    Figure,
    average_cents,
    ratio,
    sums_two_periods,
    totals,
)
from marketplace.core.models import Weekday
from shops.models import Trade

TOWN_FIELDS = ("orders", "multi_shop_orders", "new_shopper_orders", "ordered_cents", "fee_cents")
SHOP_FIELDS = (
    "orders", "multi_shop_orders", "new_shopper_orders", "items", "ordered_cents", "captured_cents", "refunded_cents",
    "commission_cents", "promotion_cents", "drops_due", "drops_on_time", "ready_due", "ready_on_time", "pickups",
    "pickups_on_time", "no_shows", "cancellations",
)


@dataclass
class GroupRow:
    """A shop's or a trade's figures for the period (and its net sales before)."""

    key: str
    name: str
    trade: str = ""
    shops: int = 1
    cur: dict = field(default_factory=lambda: defaultdict(int))
    prev: dict = field(default_factory=lambda: defaultdict(int))

    @property
    def net_cents(self) -> int:
        return self.cur["captured_cents"] - self.cur["refunded_cents"]

    @property
    def prev_net_cents(self) -> int:
        return self.prev["captured_cents"] - self.prev["refunded_cents"]

    @property
    def average_basket_cents(self) -> int | None:
        return average_cents(self.cur["ordered_cents"], self.cur["orders"])

    @property
    def multi_shop_rate(self):
        return ratio(self.cur["multi_shop_orders"], self.cur["orders"])

    @property
    def change(self):
        return Figure("net", "", self.net_cents, self.prev_net_cents, "euros").change


@dataclass
class TownStatistics:
    period: Period
    previous: Period
    headline: list[Figure]
    collect: list[Figure]
    money: list[Figure]
    shops: list[GroupRow]
    trades: list[GroupRow]
    series: list[dict]
    heatmap: dict
    points: list[dict]

    @property
    def has_activity(self) -> bool:
        return any(f.current for f in self.headline)


def _headline(town: dict, shops: dict) -> list[Figure]:
    def both(func):
        return func(town[CURRENT], shops[CURRENT]), func(town[PREVIOUS], shops[PREVIOUS])

    rows = [
        ("net", "Ventes nettes TTC (encaissé − remboursé)", lambda t, s: s["captured_cents"] - s["refunded_cents"], "euros"),
        ("captured", "Ventes encaissées TTC", lambda t, s: s["captured_cents"], "euros"),
        ("refunded", "Remboursements", lambda t, s: s["refunded_cents"], "euros"),
        ("orders", "Commandes", lambda t, s: t["orders"], "count"),
        ("basket", "Panier moyen TTC (montant commandé ÷ commandes)", lambda t, s: average_cents(t["ordered_cents"], t["orders"]),
         "euros"),
        ("multi", "Paniers multi-commerces", lambda t, s: ratio(t["multi_shop_orders"], t["orders"]), "percent"),
        ("new", "Commandes de nouveaux clients", lambda t, s: t["new_shopper_orders"], "count"),
        ("returning", "Commandes de clients déjà venus", lambda t, s: t["orders"] - t["new_shopper_orders"], "count"),
    ]
    return [Figure(key, label, *both(func), unit) for key, label, func, unit in rows]


def _collect(shops: dict) -> list[Figure]:
    def both(func):
        return func(shops[CURRENT]), func(shops[PREVIOUS])

    rows = [
        ("drops", "Parts déposées au point avant le début du créneau",
         lambda s: ratio(s["drops_on_time"], s["drops_due"]), "percent"),
        ("ready", "Parts prêtes au comptoir avant le début du créneau",
         lambda s: ratio(s["ready_on_time"], s["ready_due"]), "percent"),
        ("pickups_on_time", "Retraits pendant le créneau", lambda s: ratio(s["pickups_on_time"], s["pickups"]), "percent"),
        ("pickups", "Parts retirées", lambda s: s["pickups"], "count"),
        ("no_shows", "Parts non retirées", lambda s: s["no_shows"], "count"),
        ("cancellations", "Parts annulées (toutes raisons)", lambda s: s["cancellations"], "count"),
    ]
    return [Figure(key, label, *both(func), unit) for key, label, func, unit in rows]


def _money(town: dict, shops: dict) -> list[Figure]:
    def both(key, source):
        return source[CURRENT][key], source[PREVIOUS][key]

    return [
        Figure("commission", "Commission de la ville", *both("commission_cents", shops), "euros"),
        Figure("promotion", "Remises financées par la ville", *both("promotion_cents", shops), "euros"),
        Figure("fees", "Frais conservés par la ville", *both("fee_cents", town), "euros"),
    ]


def _groups(shop_rows: list[dict]) -> tuple[list[GroupRow], list[GroupRow]]:
    shops, trades = [], {}
    labels = dict(Trade.choices)
    for row in shop_rows:
        group = GroupRow(key=str(row["shop_id"]), name=row["shop__name"], trade=str(labels.get(row["shop__trade"], "")))
        trade = trades.setdefault(row["shop__trade"], GroupRow(key=row["shop__trade"], name=group.trade, shops=0))
        trade.shops += 1
        for name in SHOP_FIELDS:
            for which, target in ((CURRENT, group.cur), (PREVIOUS, group.prev)):
                target[name] = int(row[f"{which}_{name}"] or 0)
                (trade.cur if which == CURRENT else trade.prev)[name] += target[name]
        shops.append(group)

    def key(g):
        return -g.net_cents, -g.cur["orders"], g.name

    return sorted(shops, key=key), sorted(trades.values(), key=key)


def _series(period: Period) -> list[dict]:
    town = {row["day"]: row for row in DailyTownFact.objects.filter(day__gte=period.first, day__lte=period.last)
            .values("day", "orders", "ordered_cents")}
    money = {
        row["day"]: row
        for row in DailyShopFact.objects.filter(day__gte=period.first, day__lte=period.last).values("day")
        .annotate(**{name: Sum(name) for name in ("captured_cents", "refunded_cents")}).order_by("day")
    }
    series = []
    day = period.first
    while day <= period.last:
        t, m = town.get(day, {}), money.get(day, {})
        series.append({
            "day": day,
            "orders": t.get("orders", 0),
            "net_cents": (m.get("captured_cents") or 0) - (m.get("refunded_cents") or 0),
        })
        day += dt.timedelta(days=1)
    return series


def _slot_use(period: Period) -> tuple[dict, list[dict]]:
    cells = defaultdict(lambda: [0, 0])
    rows = (SlotUseFact.objects.filter(day__gte=period.first, day__lte=period.last).values("day", "hour")
            .annotate(capacity=Sum("capacity"), booked=Sum("booked")).order_by())
    for row in rows:
        cell = cells[(row["day"].weekday(), row["hour"])]
        cell[0] += row["booked"]
        cell[1] += row["capacity"]
    hours = sorted({hour for _weekday, hour in cells})
    heatmap = {
        "hours": hours,
        "rows": [
            {"weekday": label, "cells": [_cell(cells.get((weekday, hour))) for hour in hours]}
            for weekday, label in Weekday.choices
        ],
    }
    kinds = dict(PointKind.choices)
    points = [
        {"name": row["point__name"], "kind": kinds.get(row["point__kind"], ""), "capacity": row["capacity"],
         "booked": row["booked"], "rate": ratio(row["booked"], row["capacity"])}
        for row in SlotUseFact.objects.filter(day__gte=period.first, day__lte=period.last)
        .values("point_id", "point__name", "point__kind").annotate(capacity=Sum("capacity"), booked=Sum("booked"))
        .order_by("point__kind", "point__name")
    ]
    return heatmap, points


def _cell(value):
    if not value or not value[1]:
        return {"booked": 0, "capacity": 0, "rate": None, "level": "none"}
    rate = ratio(value[0], value[1])
    return {"booked": value[0], "capacity": value[1], "rate": rate, "level": str(min(int(rate // 20), 4))}


def town_statistics(*, period: Period) -> TownStatistics:
    town_totals = totals(sums_two_periods(DailyTownFact.objects.all(), fields=TOWN_FIELDS, period=period), TOWN_FIELDS)
    shop_rows = sums_two_periods(DailyShopFact.objects.all(), fields=SHOP_FIELDS, period=period,
                                 group_by=("shop_id", "shop__name", "shop__trade"))
    shop_totals = totals(shop_rows, SHOP_FIELDS)
    shops, trades = _groups(shop_rows)
    heatmap, points = _slot_use(period)
    return TownStatistics(
        period=period,
        previous=period.previous(),
        headline=_headline(town_totals, shop_totals),
        collect=_collect(shop_totals),
        money=_money(town_totals, shop_totals),
        shops=shops,
        trades=trades,
        series=_series(period),
        heatmap=heatmap,
        points=points,
    )
