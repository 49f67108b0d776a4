"""The one lock order of the project, and the row locks of orders.

Call lock helpers inside ``transaction.atomic()``. Every transaction that takes
several kinds of row lock (checkout holds, order placement, the merchant's workflow,
handover, hold expiry, the back-office, the CSV import, the till API) takes them in
this order, and rows of one kind by primary key, so two transactions never wait on
each other in a cycle (no deadlock between multi-shop baskets whose lines come in
opposite orders):

    1. ``Order``        (here: serialises the parts of one order)
    2. ``ShopOrder``    (here)
    3. ``StockHold``    (``shops.stock``: a basket's own holds; expired holds with SKIP LOCKED),
       or the merchant's ``Product`` (``shops.services.catalogue``) or ``StockImport``
       (``shops.services.stock_import``) being changed
    4. ``StockRecord``  by id (``shops.stock``: conditional ``UPDATE``s or ``offers_lock``)
    5. logistics rows (``logistics.locks``): ``CollectionPoint`` → ``SlotHold`` →
       ``Slot`` by id → ``LockerCompartment``
    6. ``Shop``         by id (here: shops with a daily order cap, at placement)
    7. payment rows (``marketplace.payments.locks``): ``ShopPaymentAccount`` → ``Payment``

``shops.stock`` is the only module that writes stock levels and reservations; its
allocation is a single conditional ``UPDATE … SET num_allocated = num_allocated + q
WHERE num_in_stock - num_allocated >= q`` (Oscar checks availability first and
allocates later, unconditionally), backed by the ``CheckConstraint``
``stockrecord_allocated_within_stock``.
"""
from __future__ import annotations

from collections.abc import Iterable

from marketplace.order.models import Order, ShopOrder
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


def shops_capped_lock(*, shop_ids: Iterable[int]) -> dict[int, Shop]:
    """Lock the shops that have a daily order cap, by id (counting their orders is then race-free)."""
    ids = sorted(set(shop_ids))
    return {
        shop.pk: shop
        for shop in Shop.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, daily_order_cap__isnull=False)
        .order_by("pk")
    }
