"""Checkouts racing on PostgreSQL (real threads, one connection each): no oversell, no deadlock."""
from __future__ import annotations

import random

import pytest
from django.db import connection
from django.db.models import F, Sum

from logistics.models import Slot
from marketplace.checkout.exceptions import CheckoutError
from marketplace.checkout.services import checkout_hold, order_place
from marketplace.order.models import FulfilmentMode, Line, Order
from marketplace.partner.models import StockHold, StockHoldStatus, StockRecord
from tests.concurrency.threads import run_together, unexpected
from tests.factories.town import basket_of, town_built

pytestmark = pytest.mark.django_db(transaction=True)


def invariants_hold() -> None:
    """Allocated never above stock; allocation = open order lines + live holds; slots within capacity."""
    assert not StockRecord.objects.filter(num_allocated__gt=F("num_in_stock")).exists()
    assert not StockRecord.objects.filter(num_allocated__lt=0).exists()
    for offer in StockRecord.objects.all():
        ordered = Line.objects.filter(stockrecord=offer).aggregate(n=Sum("num_allocated"))["n"] or 0
        held = StockHold.objects.filter(stockrecord=offer, status=StockHoldStatus.HELD).aggregate(n=Sum("quantity"))["n"] or 0
        assert offer.num_allocated == ordered + held, offer
    assert not Slot.objects.filter(booked__gt=F("capacity") - F("held")).exists()


def checkout(basket, town, slot):
    checkout_hold(basket=basket, mode=FulfilmentMode.AT_POINT, point=town.point, choices={None: slot.pk})
    return order_place(basket=basket, user=None, mode=FulfilmentMode.AT_POINT, point=town.point,
                       guest_email="x@example.test")


def test_two_hundred_checkouts_for_the_last_five_units_make_exactly_five_orders():
    assert connection.vendor == "postgresql"
    town = town_built(shops=1, stock=5, capacity=500)
    offer = town.offers[0]
    baskets = [basket_of([(offer, 1)]) for _ in range(200)]
    slot = town.slot(town.point)

    # 200 shoppers; 40 connections at a time (the machine's PostgreSQL allows 100 for every test run).
    results = run_together(200, lambda i: checkout(baskets[i], town, slot), at_once=40)

    orders = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, CheckoutError)]
    assert len(orders) == 5, unexpected(results, Order, CheckoutError)
    assert len(refused) == 195
    assert {e.message for e in refused} == {
        f"« {offer.product.title} » n'est plus disponible chez « {town.shops[0].name} » : retirez-le de votre panier."
    }
    offer.refresh_from_db()
    assert (offer.num_in_stock, offer.num_allocated) == (5, 5)
    assert Order.objects.count() == 5
    invariants_hold()


def test_fifty_multi_shop_baskets_in_opposite_orders_never_deadlock():
    town = town_built(shops=4, stock=1000, capacity=1000)
    rng = random.Random(7)
    baskets = []
    for i in range(50):
        offers = list(town.offers)
        offers = offers if i % 2 else offers[::-1]  # lines added in opposite orders
        baskets.append(basket_of([(offer, rng.randint(1, 3)) for offer in offers]))
    slot = town.slot(town.point)

    results = run_together(50, lambda i: checkout(baskets[i], town, slot), at_once=25)

    assert all(isinstance(r, Order) for r in results), unexpected(results, Order)
    slot.refresh_from_db()
    assert (slot.booked, slot.held) == (50, 0)
    invariants_hold()


def test_shops_mode_baskets_sharing_counters_never_deadlock_and_respect_capacity():
    town = town_built(shops=3, stock=1000, capacity=10)
    baskets = [basket_of([(o, 1) for o in (town.offers if i % 2 else town.offers[::-1])]) for i in range(30)]

    def work(i):
        choices = {str(shop.pk): town.slot(town.counters[shop.pk], i % 3).pk for shop in town.shops}
        checkout_hold(basket=baskets[i], mode=FulfilmentMode.AT_SHOPS, point=None, choices=choices)
        return order_place(basket=baskets[i], user=None, mode=FulfilmentMode.AT_SHOPS, point=None,
                           guest_email="x@example.test")

    results = run_together(30, work)

    assert all(isinstance(r, Order) for r in results), unexpected(results, Order)
    for counter in town.counters.values():
        assert [s.booked for s in Slot.objects.filter(point=counter).order_by("starts_at")] == [10, 10, 10]
    invariants_hold()


def test_a_full_slot_refuses_the_extra_baskets_and_gives_their_stock_back():
    town = town_built(shops=2, stock=100, capacity=3)
    baskets = [basket_of([(town.offers[0], 2), (town.offers[1], 1)]) for _ in range(12)]
    slot = town.slot(town.point)

    results = run_together(12, lambda i: checkout(baskets[i], town, slot))

    assert sum(isinstance(r, Order) for r in results) == 3
    assert {r.message for r in results if isinstance(r, CheckoutError)} == {"Ce créneau est complet."}
    assert [StockRecord.objects.get(pk=o.pk).num_allocated for o in town.offers] == [6, 3]
    invariants_hold()
