"""The merchants' workflow (marketplace.order) drives the payment through its signals."""
from __future__ import annotations

from decimal import Decimal

import pytest

from marketplace.order import services as workflow
from marketplace.order.models import CancelReason
from marketplace.payments import selectors, services
from marketplace.payments.models import EntryKind, Payment, PaymentStatus
from tests.factories import StockRecordFactory
from tests.factories.backoffice import merchant
from tests.factories.orders import order_placed
from tests.marketplace.payments.helpers import connected_shop

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_local")]


@pytest.fixture
def town():
    bakery, cheese = connected_shop(name="Boulangerie"), connected_shop(name="Fromagerie")
    baker, _ = merchant(shop=bakery, username="boulanger")
    cheesemonger, _ = merchant(shop=cheese, username="fromager")
    croissant = StockRecordFactory(shop=bakery, price=Decimal("1.20"), num_in_stock=30)
    comte = StockRecordFactory(shop=cheese, price=Decimal("6.90"), num_in_stock=10)
    order = order_placed(items=[(croissant, 5), (comte, 2)])  # 6.00 + 13.80
    services.payment_authorise(order_number=order.number, amount=order.total_incl_tax,
                               shop_ids=[bakery.pk, cheese.pk], payment_method="pm_card_visa")
    services.payment_attach_order(order=order)  # as order_place does, in the order's transaction
    return {"order": order, "bakery": (baker, bakery), "cheese": (cheesemonger, cheese)}


def part(order, shop):
    return order.shop_orders.get(shop=shop)


def payment_of(order) -> Payment:
    return Payment.objects.get(order=order)


def test_placing_links_the_payment_and_records_each_shops_part_and_rate_once(town):
    services.payment_attach_order(order=town["order"])  # again: nothing more
    payment = payment_of(town["order"])
    parts = {p.shop.name: (p.paid_cents, str(p.commission_rate)) for p in payment.parts.select_related("shop")}
    assert parts == {"Boulangerie": (600, "5.50"), "Fromagerie": (1380, "5.50")}


def test_capture_waits_for_every_shop_then_takes_the_reduced_amount(town, django_capture_on_commit_callbacks):
    order, (baker, bakery), (cheesemonger, cheese) = town["order"], town["bakery"], town["cheese"]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.shop_order_accept(shop_order=part(order, bakery), user=baker)
    assert payment_of(order).status == PaymentStatus.AUTHORISED

    croissants = part(order, bakery).lines.get()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.shop_order_lines_unavailable(shop_order=part(order, bakery), user=baker,
                                              quantities={croissants.pk: 2})
        workflow.shop_order_accept(shop_order=part(order, cheese), user=cheesemonger)

    payment = payment_of(order)
    assert payment.status == PaymentStatus.CAPTURED
    assert payment.amount_captured_cents == 360 + 1380 == int(part(order, bakery).total_incl_tax * 100) + 1380


def test_unavailable_items_after_capture_are_refunded_and_taken_back_from_that_shop_only(
    town, django_capture_on_commit_callbacks
):
    order, (baker, bakery), (cheesemonger, cheese) = town["order"], town["bakery"], town["cheese"]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.shop_order_accept(shop_order=part(order, bakery), user=baker)
        workflow.shop_order_accept(shop_order=part(order, cheese), user=cheesemonger)
    comte = part(order, cheese).lines.get()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.shop_order_lines_unavailable(shop_order=part(order, cheese), user=cheesemonger,
                                              quantities={comte.pk: 1})

    payment = payment_of(order)
    balance = selectors.payment_balance(payment=payment)
    assert payment.amount_refunded_cents == 690
    assert balance.of(cheese.pk, EntryKind.REVERSAL) > 0 and balance.of(bakery.pk, EntryKind.REVERSAL) == 0


def test_a_no_show_refunds_the_part_and_reverses_its_transfer(town, django_capture_on_commit_callbacks):
    order, (_, bakery) = town["order"], town["bakery"]
    with django_capture_on_commit_callbacks(execute=True):
        for user, shop in (town["bakery"], town["cheese"]):
            workflow.shop_order_accept(shop_order=part(order, shop), user=user)
            workflow.shop_order_prepare(shop_order=part(order, shop), user=user)
            workflow.shop_order_ready(shop_order=part(order, shop), user=user)
    assert payment_of(order).amount_captured_cents == 1980
    with django_capture_on_commit_callbacks(execute=True):
        workflow.shop_order_cancel(shop_order=part(order, bakery), user=None, reason=CancelReason.NO_SHOW)

    payment = payment_of(order)
    assert payment.amount_refunded_cents == 600
    assert selectors.payment_balance(payment=payment).net_transferred(bakery.pk) == 0


def test_the_shopper_cancelling_before_preparation_releases_the_hold(town, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.order_cancel(order=town["order"], user=None)
    payment = payment_of(town["order"])
    assert payment.status == PaymentStatus.RELEASED and payment.amount_captured_cents == 0


def test_a_merchant_cancelling_its_part_before_capture_leaves_it_out(town, django_capture_on_commit_callbacks):
    order, (baker, bakery), (cheesemonger, cheese) = town["order"], town["bakery"], town["cheese"]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.shop_order_cancel(shop_order=part(order, cheese), user=cheesemonger, reason=CancelReason.MERCHANT)
        workflow.shop_order_accept(shop_order=part(order, bakery), user=baker)
    payment = payment_of(order)
    assert payment.status == PaymentStatus.CAPTURED and payment.amount_captured_cents == 600
