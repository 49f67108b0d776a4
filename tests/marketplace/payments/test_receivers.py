"""The order workflow's signals drive the payment (after commit, idempotently)."""
from __future__ import annotations

import pytest
from oscar.apps.order.signals import order_placed

from marketplace.core.signals import order_cancelled, order_ready_to_capture, shop_order_reduced
from marketplace.payments import services
from marketplace.payments.models import Payment, PaymentStatus
from tests.factories.payments import LineSpec, items_remove, order_build
from tests.marketplace.payments.helpers import connected_shop, order_paid

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_local")]


class ShopOrder:
    """What the order workflow sends: a shop's part of an order (its ``order`` and ``shop_id``)."""

    def __init__(self, order, shop):
        self.order, self.shop, self.shop_id = order, shop, shop.pk


def test_order_placed_links_the_payment_and_records_each_shops_part_and_rate():
    bakery = connected_shop()
    order = order_build(lines=[LineSpec(bakery, "3.00", quantity=2)])
    services.payment_authorise(order_number=order.number, amount=order.total_incl_tax, shop_ids=[bakery.pk],
                               payment_method="pm_card_visa")
    order_placed.send(sender=None, order=order, user=None)
    order_placed.send(sender=None, order=order, user=None)  # twice: still one part
    payment = Payment.objects.get(order_number=order.number)
    assert payment.order == order
    [part] = payment.parts.all()
    assert (part.shop, part.paid_cents, str(part.commission_rate)) == (bakery, 600, "5.50")


def test_ready_then_reduced_then_cancelled_signals_capture_refund_and_reverse(django_capture_on_commit_callbacks):
    bakery, cheese = connected_shop(), connected_shop()
    order, payment = order_paid(LineSpec(bakery, "2.00", quantity=3), LineSpec(cheese, "9.00"))

    with django_capture_on_commit_callbacks(execute=True):
        order_ready_to_capture.send(sender=None, order=order)
        order_ready_to_capture.send(sender=None, order=order)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CAPTURED and payment.amount_captured_cents == 1500

    line = order.lines.get(partner=bakery.partner)
    items_remove(order, {line: 1})
    with django_capture_on_commit_callbacks(execute=True):
        shop_order_reduced.send(sender=None, shop_order=ShopOrder(order, bakery), lines=[(line, 1)], amount=2)
        shop_order_reduced.send(sender=None, shop_order=ShopOrder(order, bakery), lines=[(line, 1)], amount=2)
    payment.refresh_from_db()
    assert payment.amount_refunded_cents == 200  # once, though the event came twice

    with django_capture_on_commit_callbacks(execute=True):
        order_cancelled.send(sender=None, order=order, shop_order=ShopOrder(order, cheese), reason="no_show")
    payment.refresh_from_db()
    assert payment.amount_refunded_cents == 200 + 900


def test_cancelling_the_whole_order_before_capture_releases_it(django_capture_on_commit_callbacks):
    bakery = connected_shop()
    order, payment = order_paid(LineSpec(bakery, "5.00"))
    with django_capture_on_commit_callbacks(execute=True):
        order_cancelled.send(sender=None, order=order, shop_order=None, reason="shopper")
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.RELEASED


def test_signals_about_an_order_without_payment_do_nothing(django_capture_on_commit_callbacks):
    bakery = connected_shop()
    order = order_build(lines=[LineSpec(bakery, "5.00")])
    with django_capture_on_commit_callbacks(execute=True):
        order_ready_to_capture.send(sender=None, order=order)
        order_cancelled.send(sender=None, order=order, shop_order=None, reason="shopper")
        shop_order_reduced.send(sender=None, shop_order=ShopOrder(order, bakery), lines=[], amount=0)
    assert not Payment.objects.exists()
