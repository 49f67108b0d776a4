"""Shoppers racing for delivery windows on PostgreSQL (real threads, one connection each).

A window never exceeds its roster's capacity; its parcels and the stock are held and
released together; no hold survives its expiry; a roster change during the rush drops
no booking.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F, Sum
from django.utils import timezone

from logistics.delivery.models import DeliveryBooking, DeliveryWindow
from logistics.delivery.services.bookings import deliveries_expire
from logistics.delivery.services.windows import shift_add, shift_remove
from logistics.models import HoldStatus
from marketplace.checkout.exceptions import CheckoutError
from marketplace.checkout.services import order_place
from marketplace.checkout.services.delivery import checkout_delivery_hold
from marketplace.order.models import FulfilmentMode, Order
from marketplace.partner.models import StockHold, StockHoldStatus, StockRecord
from shops import stock
from tests.concurrency.threads import run_together, unexpected
from tests.factories.delivery import HOME, CourierFactory, VehicleFactory, delivery_ready
from tests.factories.town import basket_of, town_built

pytestmark = pytest.mark.django_db(transaction=True)


def windows_consistent() -> None:
    """Per window: booked = parcels of converted bookings, held = parcels of held ones; within capacity."""
    for window in DeliveryWindow.objects.all():
        sums = {status: DeliveryBooking.objects.filter(window=window, status=status).aggregate(n=Sum("parcels"))["n"]
                or 0 for status in (HoldStatus.HELD, HoldStatus.CONVERTED)}
        assert (window.held, window.booked) == (sums[HoldStatus.HELD], sums[HoldStatus.CONVERTED]), window
    assert not DeliveryWindow.objects.filter(booked__gt=F("capacity") - F("held"), needs_attention=False).exists()
    for offer in StockRecord.objects.all():
        held = StockHold.objects.filter(stockrecord=offer, status=StockHoldStatus.HELD).aggregate(
            n=Sum("quantity"))["n"] or 0
        ordered = sum(line.quantity for line in offer.line_set.all())
        assert offer.num_allocated == held + ordered


def delivered(basket, window):
    checkout_delivery_hold(basket=basket, window_id=window.pk, **HOME)
    return order_place(basket=basket, user=None, mode=FulfilmentMode.DELIVERY, point=None,
                       guest_email="x@example.test")


def test_fifty_shoppers_racing_for_a_window_of_ten_make_exactly_ten_orders():
    assert connection.vendor == "postgresql"
    town = town_built(shops=1, stock=1000, price=Decimal("20.00"))
    _zone, window = delivery_ready(town, parcels=10)
    baskets = [basket_of([(town.offers[0], 1)]) for _ in range(50)]

    results = run_together(50, lambda i: delivered(baskets[i], window), at_once=25)

    orders = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, CheckoutError)]
    assert len(orders) == 10, unexpected(results, Order, CheckoutError)
    assert len(refused) == 40
    # Refused when choosing (already full when the windows were read) or when holding (filled meanwhile).
    assert all("complète : choisissez-en une autre." in e.message for e in refused), {e.message for e in refused}
    window.refresh_from_db()
    assert (window.capacity, window.booked, window.held) == (10, 10, 0)
    assert StockRecord.objects.get(pk=town.offers[0].pk).num_allocated == 10  # the refused held no stock
    windows_consistent()


def test_expiry_running_twice_while_shoppers_hold_releases_each_hold_once_with_its_stock():
    town = town_built(shops=2, stock=1000, price=Decimal("20.00"))
    _zone, window = delivery_ready(town, parcels=100)
    past = timezone.now() - dt.timedelta(minutes=16)
    for _ in range(20):  # 20 baskets whose hold has expired
        checkout_delivery_hold(basket=basket_of([(o, 1) for o in town.offers]), window_id=window.pk, now=past, **HOME)
    fresh = [basket_of([(o, 1) for o in town.offers]) for _ in range(10)]

    def work(i):
        if i < 4:
            return deliveries_expire() if i % 2 else stock.stock_holds_expire()
        return checkout_delivery_hold(basket=fresh[i - 4], window_id=window.pk, **HOME)

    results = run_together(14, work, at_once=14)
    assert all(not isinstance(r, Exception) for r in results), unexpected(results, int, DeliveryBooking)
    assert results[1] + results[3] + deliveries_expire() == 20  # each expired hold released once
    stock.stock_holds_expire()
    window.refresh_from_db()
    assert window.held == 20  # the ten fresh baskets, two parcels each
    assert not DeliveryBooking.objects.filter(status=HoldStatus.HELD, expires_at__lte=timezone.now()).exists()
    assert [StockRecord.objects.get(pk=o.pk).num_allocated for o in town.offers] == [10, 10]
    windows_consistent()


def test_a_roster_change_during_the_rush_drops_no_booking():
    town = town_built(shops=1, stock=1000, price=Decimal("20.00"))
    _zone, window = delivery_ready(town, parcels=10, couriers=2)  # 20 parcels
    baskets = [basket_of([(town.offers[0], 1)]) for _ in range(30)]
    first_shift = window.shifts.order_by("pk").first()

    def work(i):
        if i == 0:
            return shift_remove(shift_id=first_shift.pk)
        if i == 1:
            return shift_add(window_id=window.pk, courier=CourierFactory(), vehicle=VehicleFactory(capacity_parcels=3))
        return delivered(baskets[i - 2], window)

    results = run_together(32, work, at_once=20)
    orders = [r for r in results if isinstance(r, Order)]
    assert all(isinstance(r, (Order, CheckoutError, DeliveryWindow)) or i == 1 for i, r in enumerate(results)), \
        unexpected(results, Order, CheckoutError, DeliveryWindow)
    window.refresh_from_db()
    assert window.capacity == 13
    assert window.booked == len(orders) == Order.objects.count()  # every order kept its parcel
    assert window.needs_attention == (window.booked > 13)
    windows_consistent()
