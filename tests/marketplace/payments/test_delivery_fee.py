"""The delivery fee: charged with the card authorisation, the town's revenue in the ledger, refunded
when the delivery is cancelled. Every test ends with the ledgers balanced against Stripe (conftest)."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from logistics.delivery.models import DeliveryBooking
from logistics.models import HoldStatus
from marketplace.checkout.services import checkout_complete
from marketplace.checkout.services.delivery import checkout_delivery_hold
from marketplace.order import services as workflow
from marketplace.order.models import FulfilmentMode
from marketplace.payments import selectors, services
from marketplace.payments.models import EntryKind, Payment, PaymentStatus
from shops.models import OpeningPeriod
from tests.factories.accounts import UserFactory
from tests.factories.delivery import HOME, delivery_ready
from tests.factories.logistics import CollectionPointFactory
from tests.factories.partner import StockRecordFactory
from tests.factories.town import basket_of
from tests.marketplace.payments.helpers import connected_shop

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_local")]


class PaidTown:
    def __init__(self):
        self.shops = [connected_shop(name="Boulangerie Muller"), connected_shop(name="Fromagerie Dubois")]
        self.staff = UserFactory()
        for shop in self.shops:
            shop.partner.users.add(self.staff)
            OpeningPeriod.objects.bulk_create([OpeningPeriod(shop=shop, weekday=d, opens="00:00", closes="23:59")
                                               for d in range(7)])
        self.offers = [StockRecordFactory(shop=shop, price=Decimal("10.00"), num_in_stock=10) for shop in self.shops]
        self.point = CollectionPointFactory(name="Point retrait de la Halle")


def town_ledger(payment):
    balance = selectors.payment_balance(payment=payment)
    return {kind: balance.of(None, kind) for kind in (EntryKind.CAPTURE, EntryKind.REFUND, EntryKind.FEE)
            if balance.of(None, kind)}


def delivered_and_paid(town):
    _zone, window = delivery_ready(town, parcels=10)
    basket = basket_of([(offer, 1) for offer in town.offers])
    checkout_delivery_hold(basket=basket, window_id=window.pk, **HOME)
    order = checkout_complete(basket=basket, shopper=AnonymousUser(), mode=FulfilmentMode.DELIVERY, point=None,
                              payment_method="pm_card_visa", guest_email="camille@example.test",
                              phone="06 12 34 56 78")
    return order, Payment.objects.get(order=order)


def accept_all(town, order):
    for part in order.shop_orders.all():
        workflow.shop_order_accept(shop_order=part, user=town.staff)


def test_the_fee_is_authorised_with_the_basket_and_captured_as_the_towns_revenue():
    town = PaidTown()
    order, payment = delivered_and_paid(town)
    assert payment.amount_authorised_cents == 2000 + 490
    accept_all(town, order)
    payment = services.payment_settle(payment_id=payment.pk)
    assert payment.status == PaymentStatus.CAPTURED and payment.amount_captured_cents == 2490
    assert town_ledger(payment) == {EntryKind.CAPTURE: 490, EntryKind.FEE: 490}
    transfers = selectors.payment_balance(payment=payment)
    assert sum(transfers.of(shop.pk, EntryKind.TRANSFER) for shop in town.shops) < 2000  # no shop got the fee


def test_a_delivery_cancelled_after_capture_refunds_the_fee_with_the_goods():
    town = PaidTown()
    order, payment = delivered_and_paid(town)
    accept_all(town, order)
    services.payment_settle(payment_id=payment.pk)
    workflow.order_cancel(order=order, user=None)
    payment = services.payment_settle(payment_id=payment.pk)
    assert payment.amount_refunded_cents == 2490
    assert town_ledger(payment) == {EntryKind.CAPTURE: 490, EntryKind.REFUND: 490}
    booking = DeliveryBooking.objects.get(order=order)
    booking.window.refresh_from_db()
    assert booking.status == HoldStatus.RELEASED and booking.window.booked == 0


def test_a_delivery_cancelled_before_capture_releases_the_whole_authorisation():
    town = PaidTown()
    order, payment = delivered_and_paid(town)
    workflow.order_cancel(order=order, user=None)
    payment = services.payment_settle(payment_id=payment.pk)
    assert payment.status == PaymentStatus.RELEASED and town_ledger(payment) == {}


def test_one_shop_cancelled_keeps_the_delivery_and_its_fee():
    town = PaidTown()
    order, payment = delivered_and_paid(town)
    first, second = order.shop_orders.order_by("shop__name")
    workflow.shop_order_cancel(shop_order=first, user=town.staff, reason="merchant")
    workflow.shop_order_accept(shop_order=second, user=town.staff)
    payment = services.payment_settle(payment_id=payment.pk)
    assert payment.amount_captured_cents == 1000 + 490
    assert DeliveryBooking.objects.get(order=order).status == HoldStatus.CONVERTED
