"""Delivery at checkout, without the pages: the address answer, the fee, the windows, holds, placement."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from logistics.delivery.models import DeliveryBooking, DeliveryWindow
from logistics.delivery.services.bookings import deliveries_expire
from logistics.models import HoldStatus
from marketplace.checkout import services
from marketplace.checkout.exceptions import CheckoutError
from marketplace.checkout.services.delivery import checkout_delivery_hold, delivery_quote
from marketplace.order.models import FulfilmentMode, Order
from marketplace.partner.models import StockHold, StockHoldStatus, StockRecord
from shops import stock
from tests.factories.delivery import HOME, delivery_ready
from tests.factories.town import basket_of, town_built

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return town_built(shops=3, stock=5, price=Decimal("10.00"))


@pytest.fixture
def zone_window(town):
    return delivery_ready(town, parcels=10)


def basket_of_three(town, quantity=1):
    return basket_of([(offer, quantity) for offer in town.offers])


def state(town, window):
    window.refresh_from_db()
    return ([StockRecord.objects.get(pk=o.pk).num_allocated for o in town.offers], window.held, window.booked,
            DeliveryBooking.objects.filter(status=HoldStatus.HELD).count())


def test_an_address_in_the_zone_gets_the_fee_what_is_left_to_free_delivery_and_the_windows(town, zone_window):
    zone, window = zone_window
    quote = delivery_quote(basket=basket_of_three(town), **HOME)
    assert quote.zone == zone and quote.parcels == 3
    assert (quote.subtotal, quote.fee, quote.left_to_free) == (Decimal("30.00"), Decimal("4.90"), Decimal("30.00"))
    assert quote.windows == [window]
    assert quote.address.place.street == "12 Rue de la Halle"


def test_free_delivery_from_the_threshold(town, zone_window):
    quote = delivery_quote(basket=basket_of_three(town, quantity=2), **HOME)
    assert (quote.fee, quote.left_to_free) == (Decimal("0.00"), None)


@pytest.mark.parametrize(("address", "message"), [
    ({"street": "3 Rue de la Halle", "postcode": "45300", "town": "Pithiviers"}, "Nous ne connaissons pas le code"),
    ({"street": "3 Rue des Lilas", "postcode": "45210", "town": "Beaumont-sur-Loing"},
     "Nous ne trouvons pas « Rue des Lilas » à Beaumont-sur-Loing (45210)"),
    ({"street": "3 Rue de la Halle", "postcode": "45210", "town": "Nemours"},
     "ne correspond pas à « Nemours » mais à : Beaumont-sur-Loing"),
    ({"street": "99 Rue de la Halle", "postcode": "45210", "town": "Beaumont-sur-Loing"},
     "Le numéro 99 n'existe pas"),
])
def test_an_address_that_cannot_be_placed_is_refused_precisely_and_nothing_is_held(town, zone_window, address,
                                                                                   message):
    _zone, window = zone_window
    basket = basket_of_three(town)
    with pytest.raises(CheckoutError, match=re.escape(message)):
        checkout_delivery_hold(basket=basket, window_id=window.pk, **address)
    assert state(town, window) == ([0, 0, 0], 0, 0, 0)


def test_an_address_outside_every_zone_is_told_which_postcodes_are_served(town, zone_window):
    from tests.factories.delivery import streets_loaded

    _zone, window = zone_window
    streets_loaded(street="Grande Rue", postcode="77140", town="Nemours", lat=Decimal("48.27"),
                   lon=Decimal("2.69"))
    with pytest.raises(CheckoutError, match="hors de nos zones de livraison. Nous livrons : 45210"):
        checkout_delivery_hold(basket=basket_of_three(town), window_id=window.pk, street="4 Grande Rue",
                               postcode="77140", town="Nemours")
    assert state(town, window) == ([0, 0, 0], 0, 0, 0)


def test_a_basket_under_the_minimum_is_refused_with_the_amounts(town, zone_window):
    _zone, window = zone_window
    with pytest.raises(CheckoutError, match="au moins 15,00 € d'achats \\(votre panier : 10,00 €\\)"):
        checkout_delivery_hold(basket=basket_of([(town.offers[0], 1)]), window_id=window.pk, **HOME)
    assert state(town, window) == ([0, 0, 0], 0, 0, 0)


def test_choosing_a_window_holds_it_and_the_stock_together(town, zone_window):
    _zone, window = zone_window
    booking = checkout_delivery_hold(basket=basket_of_three(town), window_id=window.pk, **HOME)
    assert state(town, window) == ([1, 1, 1], 3, 0, 1)
    assert (booking.parcels, booking.fee, booking.complement) == (3, Decimal("4.90"), HOME["complement"])


def test_a_full_window_is_refused_and_nothing_is_held(town):
    _zone, window = delivery_ready(town, parcels=2)
    with pytest.raises(CheckoutError, match="complète"):
        checkout_delivery_hold(basket=basket_of_three(town), window_id=window.pk, **HOME)
    assert state(town, window) == ([0, 0, 0], 0, 0, 0)


def test_a_window_past_its_cutoff_is_refused(town, zone_window):
    _zone, window = zone_window
    late = window.cutoff_at + dt.timedelta(minutes=1)
    with pytest.raises(CheckoutError, match="sont closes"):
        checkout_delivery_hold(basket=basket_of_three(town), window_id=window.pk, now=late, **HOME)
    assert state(town, window) == ([0, 0, 0], 0, 0, 0)


def test_choosing_a_pickup_slot_afterwards_releases_the_window(town, zone_window):
    _zone, window = zone_window
    basket = basket_of_three(town)
    checkout_delivery_hold(basket=basket, window_id=window.pk, **HOME)
    services.checkout_hold(basket=basket, mode=FulfilmentMode.AT_POINT, point=town.point,
                           choices={None: town.slot(town.point).pk})
    assert state(town, window) == ([1, 1, 1], 0, 0, 0)


def test_an_expired_delivery_gives_back_window_and_stock(town, zone_window):
    _zone, window = zone_window
    checkout_delivery_hold(basket=basket_of_three(town), window_id=window.pk,
                           now=timezone.now() - dt.timedelta(minutes=16), **HOME)
    assert deliveries_expire() == 1 and stock.stock_holds_expire() == 3
    assert state(town, window) == ([0, 0, 0], 0, 0, 0)
    assert set(StockHold.objects.values_list("status", flat=True)) == {StockHoldStatus.RELEASED}


def test_placing_a_delivered_order_books_the_window_and_charges_the_fee(town, zone_window):
    zone, window = zone_window
    basket = basket_of_three(town)
    checkout_delivery_hold(basket=basket, window_id=window.pk, **HOME)
    order = services.order_place(basket=basket, user=None, mode=FulfilmentMode.DELIVERY, point=None,
                                 guest_email="a@b.test", phone="06 12 34 56 78")
    assert state(town, window) == ([1, 1, 1], 0, 3, 0)
    assert order.fulfilment_mode == FulfilmentMode.DELIVERY and order.collection_point == zone.depot
    assert (order.total_incl_tax, order.shipping_incl_tax) == (Decimal("34.90"), Decimal("4.90"))
    assert order.delivery.window == window and order.delivery.status == HoldStatus.CONVERTED
    assert [(p.slot_id, p.collection_point_id) for p in order.shop_orders.all()] == [(None, zone.depot.pk)] * 3


def test_a_delivered_order_whose_window_hold_expired_is_not_placed(town, zone_window):
    _zone, window = zone_window
    basket = basket_of_three(town)
    checkout_delivery_hold(basket=basket, window_id=window.pk, **HOME)
    DeliveryBooking.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(CheckoutError, match="a expiré"):
        services.order_place(basket=basket, user=None, mode=FulfilmentMode.DELIVERY, point=None,
                             guest_email="a@b.test")
    assert Order.objects.count() == 0
    assert DeliveryWindow.objects.get(pk=window.pk).booked == 0
