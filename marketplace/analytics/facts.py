"""The facts of one day, recomputed whole from the raw rows (reads only).

Every roll-up row of a day comes from here, for the incremental update and for
the nightly rebuild alike, so the two cannot disagree. About ten queries a day,
each bounded by that day's rows. See ``marketplace.analytics.models`` for the
day each figure counts on.

Sources: ``order`` (orders, shop orders, lines: what was ordered and how it was
collected), the payments ledger (the money: captures, refunds, commission,
town-funded discounts, fees), ``logistics`` (slots) and the footfall counts.
A shopper is known by their e-mail address (the account's, or the guest's),
case-insensitive: an account opened after a guest order is the same shopper.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import Lower

from logistics.models import Slot
from marketplace.analytics.calendar import day_bounds, local_hour
from marketplace.analytics.models import (
    DailyShopFact,
    DailyTownFact,
    FootfallCount,
    FootfallHourFact,
    HourlyShopFact,
    ProductDayFact,
    SlotUseFact,
)
from marketplace.order.models import CancelReason, FulfilmentMode, Line, Order, ShopOrder
from marketplace.payments.models import MEMO_KINDS, EntryKind, LedgerEntry
from marketplace.payments.split import to_cents

#: The roll-up tables, each rewritten whole for a day.
FACT_MODELS = (DailyShopFact, DailyTownFact, HourlyShopFact, ProductDayFact, SlotUseFact, FootfallHourFact)


@dataclass
class DayFacts:
    day: dt.date
    shops: dict[int, DailyShopFact] = field(default_factory=dict)
    town: DailyTownFact | None = None
    hours: list[HourlyShopFact] = field(default_factory=list)
    products: list[ProductDayFact] = field(default_factory=list)
    slots: list[SlotUseFact] = field(default_factory=list)
    footfall: list[FootfallHourFact] = field(default_factory=list)

    def shop(self, shop_id: int) -> DailyShopFact:
        if shop_id not in self.shops:
            self.shops[shop_id] = DailyShopFact(day=self.day, shop_id=shop_id)
        return self.shops[shop_id]

    def rows(self) -> dict[type, list]:
        return {
            DailyShopFact: list(self.shops.values()),
            DailyTownFact: [self.town] if self.town is not None else [],
            HourlyShopFact: self.hours,
            ProductDayFact: self.products,
            SlotUseFact: self.slots,
            FootfallHourFact: self.footfall,
        }


def shopper_key(*, user_id: int | None, user_email: str | None, guest_email: str | None) -> str:
    email = (user_email or guest_email or "").strip().lower()
    return email or f"#compte-{user_id}"


def day_facts_compute(*, day: dt.date) -> DayFacts:
    """Every fact row of ``day`` (unsaved)."""
    start, end = day_bounds(day)
    facts = DayFacts(day=day)
    _orders(facts, start, end)
    _ledger(facts, start, end)
    _preparation(facts, start, end)
    _pickups(facts, start, end)
    _cancellations(facts, start, end)
    facts.slots = slot_use_compute(day=day)
    facts.footfall = footfall_hours_compute(day=day)
    return facts


def _orders(facts: DayFacts, start: dt.datetime, end: dt.datetime) -> None:
    orders = list(
        Order.objects.filter(date_placed__gte=start, date_placed__lt=end)
        .annotate(user_email=Lower("user__email"), guest=Lower("guest_email"))
        .values_list("pk", "date_placed", "user_id", "user_email", "guest")
        .order_by("date_placed", "pk")
    )
    if not orders:
        return
    parts = list(
        ShopOrder.objects.filter(order__date_placed__gte=start, order__date_placed__lt=end).values_list(
            "pk", "order_id", "shop_id"
        )
    )
    lines = list(
        Line.objects.filter(order__date_placed__gte=start, order__date_placed__lt=end, shop_order__isnull=False)
        .values_list("shop_order_id", "product_id", "title", "quantity", "line_price_incl_tax")
        .order_by("pk")
    )
    keys = {pk: shopper_key(user_id=u, user_email=ue, guest_email=g) for pk, _when, u, ue, g in orders}
    seen_before = _shoppers_seen_before(set(keys.values()), start)
    first_today: set[int] = set()
    for pk, *_rest in orders:  # in placing order: a shopper's first order of the day may be their first ever
        if keys[pk] not in seen_before:
            seen_before.add(keys[pk])
            first_today.add(pk)
    placed_at = {pk: when for pk, when, *_rest in orders}
    shops_in_order = Counter(order_id for _pk, order_id, _shop in parts)
    part_of = {pk: (order_id, shop_id) for pk, order_id, shop_id in parts}

    hour_orders: dict[tuple[int, int], int] = Counter()
    for _pk, order_id, shop_id in parts:
        fact = facts.shop(shop_id)
        fact.orders += 1
        fact.multi_shop_orders += shops_in_order[order_id] > 1
        fact.new_shopper_orders += order_id in first_today
        hour_orders[(shop_id, local_hour(placed_at[order_id]))] += 1

    shop_value: dict[int, Decimal] = defaultdict(Decimal)
    hour_value: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    products: dict[tuple[int, int | None, str], list] = {}
    order_value: dict[int, Decimal] = defaultdict(Decimal)
    for shop_order_id, product_id, title, quantity, price in lines:
        order_id, shop_id = part_of[shop_order_id]
        shop_value[shop_id] += price
        order_value[order_id] += price
        hour_value[(shop_id, local_hour(placed_at[order_id]))] += price
        facts.shop(shop_id).items += quantity
        # A product gone from the catalogue is kept under its title.
        key = (shop_id, product_id, "" if product_id else title[:255])
        entry = products.setdefault(key, [title[:255], 0, Decimal(0)])
        entry[1] += quantity
        entry[2] += price
    for shop_id, value in shop_value.items():
        facts.shop(shop_id).ordered_cents = to_cents(value)
    facts.hours = [
        HourlyShopFact(day=facts.day, shop_id=shop_id, hour=hour, orders=count,
                       ordered_cents=to_cents(hour_value[(shop_id, hour)]))
        for (shop_id, hour), count in sorted(hour_orders.items())
    ]
    facts.products = [
        ProductDayFact(day=facts.day, shop_id=shop_id, product_id=product_id, title=title, units=units,
                       ordered_cents=to_cents(value))
        for (shop_id, product_id, _t), (title, units, value) in sorted(products.items(), key=lambda kv: str(kv[0]))
    ]
    facts.town = DailyTownFact(
        day=facts.day,
        orders=len(orders),
        multi_shop_orders=sum(1 for pk, *_r in orders if shops_in_order[pk] > 1),
        new_shopper_orders=len(first_today),
        shoppers=len(set(keys.values())),
        ordered_cents=sum(to_cents(value) for value in order_value.values()),
    )


def _shoppers_seen_before(keys: set[str], start: dt.datetime) -> set[str]:
    """Those of ``keys`` (shopper e-mails) who ordered before ``start``."""
    emails = {k for k in keys if not k.startswith("#")}
    account_ids = {int(k.removeprefix("#compte-")) for k in keys if k.startswith("#")}
    rows = (
        Order.objects.filter(date_placed__lt=start)
        .annotate(user_email=Lower("user__email"), guest=Lower("guest_email"))
        .filter(Q(user_email__in=emails) | Q(guest__in=emails) | Q(user_id__in=account_ids))
        .values_list("user_id", "user_email", "guest")
        .distinct()
    )
    return {shopper_key(user_id=u, user_email=ue, guest_email=g) for u, ue, g in rows} & keys


def _ledger(facts: DayFacts, start: dt.datetime, end: dt.datetime) -> None:
    sums = (
        LedgerEntry.objects.filter(created_at__gte=start, created_at__lt=end)
        .exclude(kind__in=MEMO_KINDS)
        .values_list("shop_id", "kind")
        .annotate(total=Sum("amount_cents"))
        .order_by()
    )
    column = {
        EntryKind.CAPTURE: "captured_cents",
        EntryKind.REFUND: "refunded_cents",
        EntryKind.COMMISSION: "commission_cents",
        EntryKind.PROMOTION: "promotion_cents",
    }
    fees = 0
    for shop_id, kind, total in sums:
        if shop_id is None:
            fees += total if kind == EntryKind.FEE else 0
            continue
        if kind in column:
            fact = facts.shop(shop_id)
            setattr(fact, column[kind], getattr(fact, column[kind]) + total)
    if fees:
        facts.town = facts.town or DailyTownFact(day=facts.day)
        facts.town.fee_cents = fees


def _preparation(facts: DayFacts, start: dt.datetime, end: dt.datetime) -> None:
    """Parts whose slot starts today: dropped at the point, or ready at the counter, by then?"""
    rows = ShopOrder.objects.filter(slot__starts_at__gte=start, slot__starts_at__lt=end).values_list(
        "shop_id", "order__fulfilment_mode", "slot__starts_at", "dropped_at", "ready_at", "cancelled_at"
    )
    for shop_id, mode, slot_start, dropped_at, ready_at, cancelled_at in rows:
        if cancelled_at is not None and cancelled_at < slot_start:
            continue  # cancelled before it was due: nothing was expected
        fact = facts.shop(shop_id)
        if mode == FulfilmentMode.AT_POINT:
            fact.drops_due += 1
            fact.drops_on_time += dropped_at is not None and dropped_at <= slot_start
        elif mode == FulfilmentMode.AT_SHOPS:
            fact.ready_due += 1
            fact.ready_on_time += ready_at is not None and ready_at <= slot_start


def _pickups(facts: DayFacts, start: dt.datetime, end: dt.datetime) -> None:
    rows = ShopOrder.objects.filter(collected_at__gte=start, collected_at__lt=end).values_list(
        "shop_id", "collected_at", "slot__ends_at"
    )
    for shop_id, collected_at, slot_end in rows:
        fact = facts.shop(shop_id)
        fact.pickups += 1
        fact.pickups_on_time += slot_end is not None and collected_at <= slot_end


def _cancellations(facts: DayFacts, start: dt.datetime, end: dt.datetime) -> None:
    rows = ShopOrder.objects.filter(cancelled_at__gte=start, cancelled_at__lt=end).values_list(
        "shop_id", "cancel_reason"
    )
    for shop_id, reason in rows:
        fact = facts.shop(shop_id)
        fact.cancellations += 1
        fact.no_shows += reason == CancelReason.NO_SHOW


def slot_use_compute(*, day: dt.date) -> list[SlotUseFact]:
    start, end = day_bounds(day)
    cells: dict[tuple[int, int], SlotUseFact] = {}
    rows = Slot.objects.filter(starts_at__gte=start, starts_at__lt=end).values_list(
        "point_id", "starts_at", "capacity", "booked"
    )
    for point_id, starts_at, capacity, booked in rows:
        hour = local_hour(starts_at)
        cell = cells.setdefault((point_id, hour), SlotUseFact(day=day, point_id=point_id, hour=hour))
        cell.slots += 1
        cell.capacity += capacity
        cell.booked += booked
    return [cells[key] for key in sorted(cells)]


def footfall_hours_compute(*, day: dt.date) -> list[FootfallHourFact]:
    """Passers-by per site and hour; a time step counts in the hour it starts (steps never
    straddle an hour: the import refuses them)."""
    start, end = day_bounds(day)
    cells: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    rows = FootfallCount.objects.filter(starts_at__gte=start, starts_at__lt=end).values_list(
        "site_id", "starts_at", "count"
    )
    for site_id, starts_at, count in rows:
        cells[(site_id, local_hour(starts_at))] += count
    return [
        FootfallHourFact(day=day, site_id=site_id, hour=hour, passers=passers)
        for (site_id, hour), passers in sorted(cells.items())
    ]
