"""Every row lock taken to place an order or to work on one, in one fixed order.

Call these inside ``transaction.atomic()``. Every caller (checkout holds, order
placement, the merchant's workflow, hold expiry) takes its locks in this order,
and rows of one kind by primary key, so two transactions never wait on each
other in a cycle (no deadlock between multi-shop baskets whose lines come in
opposite orders):

    1. ``Order``        (workflow: serialises the parts of one order)
    2. ``ShopOrder``
    3. ``StockHold``    (a basket's own holds; expired holds with SKIP LOCKED)
    4. ``StockRecord``  by id (conditional ``UPDATE``: no read-then-write race)
    5. logistics rows, through ``logistics.locks`` in its own order:
       ``SlotHold`` → ``Slot`` by id → ``LockerCompartment``
    6. ``Shop``         by id (only shops with a daily order cap, at placement)

Stock allocation is a single conditional ``UPDATE … SET num_allocated =
num_allocated + q WHERE num_in_stock - num_allocated >= q``: under READ COMMITTED
PostgreSQL re-checks the condition after waiting for a concurrent writer, so
two checkouts can never both take the last unit (Oscar checks availability
first and allocates later, unconditionally). The ``CheckConstraint``
``stockrecord_allocated_within_stock`` is the last line of defence.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db.models import F
from django.db.models.functions import Coalesce

from marketplace.order.models import Order, ShopOrder
from marketplace.partner.models import StockHold, StockHoldStatus, StockRecord
from shops.models import Shop


def order_lock(*, order_id: int) -> Order:
    return Order.objects.select_for_update(of=("self",)).get(pk=order_id)


def shop_order_lock(*, shop_order_id: int) -> ShopOrder:
    """One part, with its shop and order (after ``order_lock``)."""
    return (
        ShopOrder.objects.select_for_update(of=("self",))
        .select_related("shop", "order", "collection_point")
        .get(pk=shop_order_id)
    )


def shop_orders_of_order_lock(*, order_id: int) -> list[ShopOrder]:
    """All parts of an order, by id (after ``order_lock``)."""
    return list(
        ShopOrder.objects.select_for_update(of=("self",)).filter(order_id=order_id).order_by("pk")
    )


def stock_holds_of_basket_lock(*, basket_id: str) -> list[StockHold]:
    """The basket's stock holds still ``held``, by id."""
    return list(
        StockHold.objects.select_for_update(of=("self",))
        .filter(basket_id=basket_id, status=StockHoldStatus.HELD)
        .order_by("pk")
    )


def stock_holds_expired_lock(*, now: dt.datetime, limit: int) -> list[StockHold]:
    """Up to ``limit`` expired held stock holds nobody else is locking (never waits)."""
    return list(
        StockHold.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status=StockHoldStatus.HELD, expires_at__lte=now)
        .order_by("pk")[:limit]
    )


def stock_change(*, deltas: Mapping[int, int]) -> list[int]:
    """Apply ``num_allocated += delta`` per stock record id, in id order; returns the ids refused.

    A positive delta is allocated only if that many units are free
    (``num_in_stock - num_allocated >= delta``), in the same statement; a negative
    one gives units back (never below zero). Stops at the first refusal: the
    caller raises and its transaction rolls back, so nothing is half applied.
    """
    refused: list[int] = []
    allocated = Coalesce(F("num_allocated"), 0)
    for stockrecord_id in sorted(deltas):
        delta = deltas[stockrecord_id]
        if delta == 0:
            continue
        rows = StockRecord.objects.filter(pk=stockrecord_id)
        if delta > 0:
            rows = rows.filter(num_in_stock__isnull=False, num_in_stock__gte=allocated + delta)
        updated = rows.update(num_allocated=allocated + delta)
        if updated != 1:
            refused.append(stockrecord_id)
            break
    return refused


def stock_consume(*, quantities: Mapping[int, int]) -> None:
    """Units handed over leave the shop: ``num_in_stock`` and ``num_allocated`` both drop, in id order."""
    for stockrecord_id in sorted(quantities):
        quantity = quantities[stockrecord_id]
        if quantity:
            StockRecord.objects.filter(pk=stockrecord_id).update(
                num_in_stock=F("num_in_stock") - quantity,
                num_allocated=Coalesce(F("num_allocated"), 0) - quantity,
            )


def shops_capped_lock(*, shop_ids: Iterable[int]) -> dict[int, Shop]:
    """Lock the shops that have a daily order cap, by id (counting their orders is then race-free)."""
    ids = sorted(set(shop_ids))
    return {
        shop.pk: shop
        for shop in Shop.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, daily_order_cap__isnull=False)
        .order_by("pk")
    }
