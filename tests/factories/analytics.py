"""Order histories for the roll-up tests, written as the real workflow leaves the rows.

A history is a list of ``PlannedOrder``; ``history_events`` turns it into events
(placement, capture, drop or counter preparation, pickup, no-show with its refund,
shopper's cancellation), each stamped with the moment it happens, and
``event_apply`` writes one event's rows with those stamps (``date_placed``,
``updated_at``, ledger ``created_at``…), so the incremental roll-up sees the rows
appear in time order as in production. ``expected_facts`` computes, from the plan
alone, the figures the roll-ups must show: the tests' independent oracle.
"""
from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.sites.models import Site
from django.db.models import F

from logistics.models import CollectionPoint, PointKind, Slot
from marketplace.order.models import (
    CancelReason,
    FulfilmentMode,
    Line,
    Order,
    ShopOrder,
    ShopOrderStatus,
)
from marketplace.payments.models import EntryKind, LedgerEntry, Payment, PaymentStatus, StripeCall
from marketplace.payments.split import commission_cents
from tests.factories.logistics import PARIS

RATE = Decimal("5.50")
_numbers = itertools.count(700_001)
_keys = itertools.count(1)

#: What finally happens to a part.
OUTCOMES = ("open", "collected", "no_show", "shopper_cancel")


@dataclass(frozen=True)
class PlannedPart:
    shop: int  # index into the shops list
    lines: tuple[tuple[int, int], ...]  # (quantity, unit price in cents)
    outcome: str = "collected"
    prepared_delay: int = -30  # minutes from the slot start to the drop / counter preparation
    collect_delay: int = 20  # minutes from the slot start to the pickup

    @property
    def cents(self) -> int:
        return sum(q * unit for q, unit in self.lines)


@dataclass(frozen=True)
class PlannedOrder:
    day: int  # days after the history's first day
    minute: int  # minute of that day it is placed (town time)
    shopper: int
    mode: str
    parts: tuple[PlannedPart, ...]
    slot_hour: int = 11  # the slot starts the next day at this hour

    def placed_at(self, first_day: dt.date) -> dt.datetime:
        return dt.datetime.combine(first_day + dt.timedelta(days=self.day), dt.time(0), tzinfo=PARIS) + dt.timedelta(
            minutes=self.minute
        )

    def slot_start(self, first_day: dt.date) -> dt.datetime:
        day = first_day + dt.timedelta(days=self.day + 1)
        return dt.datetime.combine(day, dt.time(self.slot_hour), tzinfo=PARIS)


def shopper_email(index: int) -> str:
    return f"client{index}@exemple.test"


@dataclass
class World:
    """The shops, their counters and the town point an history is written against."""

    shops: list
    point: CollectionPoint
    first_day: dt.date
    accounts: dict[int, object] = field(default_factory=dict)  # shopper index → user ordering with an account
    orders: dict[int, Order] = field(default_factory=dict)  # planned order index → order
    parts: dict[tuple[int, int], ShopOrder] = field(default_factory=dict)

    def counter(self, shop) -> CollectionPoint:
        point, _ = CollectionPoint.objects.get_or_create(
            kind=PointKind.SHOP_COUNTER, shop=shop, defaults={"name": f"Comptoir {shop.name}"}
        )
        return point


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    rank: int  # ties: placement before its own later steps
    kind: str
    order: int
    part: int = -1


def history_events(plan: list[PlannedOrder], first_day: dt.date) -> list[Event]:
    events = []
    for index, order in enumerate(plan):
        placed, slot = order.placed_at(first_day), order.slot_start(first_day)
        events.append(Event(placed, 0, "place", index))
        for p, part in enumerate(order.parts):
            if part.outcome == "shopper_cancel":
                events.append(Event(placed + dt.timedelta(minutes=30), 1, "shopper_cancel", index, p))
                continue
            events.append(Event(placed + dt.timedelta(hours=2), 2, "capture", index, p))
            if part.outcome == "open":
                continue
            prepared = slot + dt.timedelta(minutes=part.prepared_delay)
            events.append(Event(prepared, 3, "prepare", index, p))
            if part.outcome == "collected":
                collected = max(prepared, slot) + dt.timedelta(minutes=max(part.collect_delay, 1))
                events.append(Event(collected, 4, "collect", index, p))
            else:  # no_show
                events.append(Event(slot + dt.timedelta(days=2), 4, "no_show", index, p))
    return sorted(events, key=lambda e: (e.at, e.rank, e.order, e.part))


def _slot(point: CollectionPoint, start: dt.datetime) -> Slot:
    slot, _ = Slot.objects.get_or_create(
        point=point, starts_at=start, defaults={"ends_at": start + dt.timedelta(hours=1), "capacity": 50}
    )
    Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)
    return slot


def _ledger(world: World, order: Order, shop, at: dt.datetime, moves: dict[str, int]) -> None:
    payment, _ = Payment.objects.get_or_create(
        order_number=order.number, defaults={"order": order, "amount_cents": 1, "status": PaymentStatus.CAPTURED}
    )
    call = StripeCall.objects.create(
        payment=payment, operation="history", idempotency_key=f"history-{order.number}-{next(_keys)}",
        status=StripeCall.Status.SUCCEEDED,
    )
    entries = [
        LedgerEntry.objects.create(payment=payment, order_number=order.number, shop=shop, kind=kind,
                                   amount_cents=cents, call=call)
        for kind, cents in moves.items()
    ]
    LedgerEntry.objects.filter(pk__in=[e.pk for e in entries]).update(created_at=at)


def event_apply(world: World, plan: list[PlannedOrder], event: Event) -> None:
    planned = plan[event.order]
    if event.kind == "place":
        _place(world, planned, event)
        return
    part_plan = planned.parts[event.part]
    shop_order = world.parts[(event.order, event.part)]
    shop = world.shops[part_plan.shop]
    order = world.orders[event.order]
    rows = ShopOrder.objects.filter(pk=shop_order.pk)
    if event.kind == "capture":
        commission = commission_cents(gross_cents=part_plan.cents, rate=RATE)
        _ledger(world, order, shop, event.at, {
            EntryKind.CAPTURE: part_plan.cents, EntryKind.COMMISSION: commission,
            EntryKind.TRANSFER: part_plan.cents - commission,
        })
    elif event.kind == "shopper_cancel":
        rows.update(status=ShopOrderStatus.CANCELLED, cancel_reason=CancelReason.SHOPPER, cancelled_at=event.at,
                    updated_at=event.at)
    elif event.kind == "prepare":
        if planned.mode == FulfilmentMode.AT_POINT:
            rows.update(status=ShopOrderStatus.DROPPED, ready_at=event.at, dropped_at=event.at, updated_at=event.at)
        else:
            rows.update(status=ShopOrderStatus.READY, ready_at=event.at, updated_at=event.at)
    elif event.kind == "collect":
        rows.update(status=ShopOrderStatus.COLLECTED, collected_at=event.at, updated_at=event.at)
    elif event.kind == "no_show":
        rows.update(status=ShopOrderStatus.CANCELLED, cancel_reason=CancelReason.NO_SHOW, cancelled_at=event.at,
                    updated_at=event.at)
        commission = commission_cents(gross_cents=part_plan.cents, rate=RATE)
        _ledger(world, order, shop, event.at, {
            EntryKind.REFUND: part_plan.cents, EntryKind.COMMISSION: -commission,
            EntryKind.REVERSAL: part_plan.cents - commission,
        })


def _place(world: World, planned: PlannedOrder, event: Event) -> None:
    from django.contrib.auth import get_user_model

    placed = event.at
    user = None
    if planned.shopper in world.accounts:
        user = world.accounts[planned.shopper]
    elif planned.shopper % 3 == 2:  # these shoppers order with an account whose e-mail has capitals
        user = get_user_model().objects.create_user(
            username=f"client{planned.shopper}-{next(_keys)}", email=shopper_email(planned.shopper).upper(),
            password="x",
        )
        world.accounts[planned.shopper] = user
    total = Decimal(sum(part.cents for part in planned.parts)) / 100
    point = world.point if planned.mode == FulfilmentMode.AT_POINT else None
    order = Order.objects.create(
        number=str(next(_numbers)), site=Site.objects.get_current(), user=user,
        guest_email="" if user else shopper_email(planned.shopper), currency="EUR",
        total_incl_tax=total, total_excl_tax=total, fulfilment_mode=planned.mode, collection_point=point,
        date_placed=placed,
    )
    world.orders[event.order] = order
    slot_start = planned.slot_start(world.first_day)
    shared = _slot(world.point, slot_start) if point else None
    for p, part in enumerate(planned.parts):
        shop = world.shops[part.shop]
        part_point = point or world.counter(shop)
        shop_order = ShopOrder.objects.create(
            order=order, shop=shop, collection_point=part_point, slot=shared or _slot(part_point, slot_start),
            total_incl_tax=Decimal(part.cents) / 100, total_excl_tax=Decimal(part.cents) / 100,
        )
        ShopOrder.objects.filter(pk=shop_order.pk).update(created_at=placed, updated_at=placed)
        world.parts[(event.order, p)] = shop_order
        for quantity, unit in part.lines:
            price = Decimal(quantity * unit) / 100
            Line.objects.create(
                order=order, shop_order=shop_order, partner=shop.partner, partner_name=shop.name,
                title=f"Article {unit}", quantity=quantity, line_price_incl_tax=price, line_price_excl_tax=price,
                line_price_before_discounts_incl_tax=price, line_price_before_discounts_excl_tax=price,
                unit_price_incl_tax=Decimal(unit) / 100, unit_price_excl_tax=Decimal(unit) / 100, num_allocated=0,
            )


# --- the oracle ---------------------------------------------------------------------------

SHOP_FIGURES = ("orders", "multi_shop_orders", "new_shopper_orders", "items", "ordered_cents", "captured_cents",
                "refunded_cents", "commission_cents", "drops_due", "drops_on_time", "ready_due", "ready_on_time",
                "pickups", "pickups_on_time", "no_shows", "cancellations")
TOWN_FIGURES = ("orders", "multi_shop_orders", "new_shopper_orders", "shoppers", "ordered_cents")


def expected_facts(plan: list[PlannedOrder], first_day: dt.date, last_day: dt.date):
    """({(day, shop index): {figure: value}}, {day: {figure: value}}, {(day, shop, hour): orders})
    computed from the plan alone, for the days up to ``last_day``."""
    shop_facts: dict = defaultdict(Counter)
    town: dict = defaultdict(Counter)
    hours: Counter = Counter()
    shoppers_of_day: dict = defaultdict(set)
    seen: set = set()
    order_rank = sorted(range(len(plan)), key=lambda i: (plan[i].placed_at(first_day), i))
    first_orders = set()
    for i in order_rank:
        if plan[i].shopper not in seen:
            seen.add(plan[i].shopper)
            first_orders.add(i)

    def day_of(moment):
        return moment.astimezone(PARIS).date()

    for event in history_events(plan, first_day):
        if day_of(event.at) > last_day:
            continue
        planned, day = plan[event.order], day_of(event.at)
        if event.kind == "place":
            town[day]["orders"] += 1
            town[day]["multi_shop_orders"] += len(planned.parts) > 1
            town[day]["new_shopper_orders"] += event.order in first_orders
            town[day]["ordered_cents"] += sum(part.cents for part in planned.parts)
            shoppers_of_day[day].add(planned.shopper)
            for part in planned.parts:
                fact = shop_facts[(day, part.shop)]
                fact["orders"] += 1
                fact["multi_shop_orders"] += len(planned.parts) > 1
                fact["new_shopper_orders"] += event.order in first_orders
                fact["items"] += sum(q for q, _u in part.lines)
                fact["ordered_cents"] += part.cents
                hours[(day, part.shop, event.at.astimezone(PARIS).hour)] += 1
            continue
        part = planned.parts[event.part]
        fact = shop_facts[(day, part.shop)]
        commission = commission_cents(gross_cents=part.cents, rate=RATE)
        if event.kind == "capture":
            fact["captured_cents"] += part.cents
            fact["commission_cents"] += commission
        elif event.kind == "collect":
            fact["pickups"] += 1
            slot_end = planned.slot_start(first_day) + dt.timedelta(hours=1)
            fact["pickups_on_time"] += event.at <= slot_end
        elif event.kind in ("no_show", "shopper_cancel"):
            fact["cancellations"] += 1
            if event.kind == "no_show":
                fact["no_shows"] += 1
                fact["refunded_cents"] += part.cents
                fact["commission_cents"] -= commission
    # Preparation counts on the slot's day, whatever happened.
    for planned in plan:
        slot = planned.slot_start(first_day)
        if slot.date() > last_day:
            continue
        for part in planned.parts:
            if part.outcome == "shopper_cancel":
                continue
            fact = shop_facts[(slot.date(), part.shop)]
            on_time = part.outcome != "open" and part.prepared_delay <= 0
            prefix = "drops" if planned.mode == FulfilmentMode.AT_POINT else "ready"
            fact[f"{prefix}_due"] += 1
            fact[f"{prefix}_on_time"] += on_time
    for day, shoppers in shoppers_of_day.items():
        town[day]["shoppers"] = len(shoppers)
    return (
        {key: {f: counter[f] for f in SHOP_FIGURES} for key, counter in shop_facts.items()},
        {day: {f: counter[f] for f in TOWN_FIGURES} for day, counter in town.items()},
        {key: count for key, count in hours.items()},
    )
