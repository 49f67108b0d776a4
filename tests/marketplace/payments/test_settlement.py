"""Capture, transfers, refunds, reversals and releases against the local Stripe server.

Every test ends with the ledger checked against itself and against Stripe's objects
(conftest.ledger_balances_after_the_test).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from marketplace.payments import selectors, services, stripe_api
from marketplace.payments.models import EntryKind, LedgerEntry, Payment, PaymentStatus, StripeCall
from tests.factories.payments import LineSpec, ShopPaymentAccountFactory, items_remove, plan
from tests.factories.shops import ShopFactory
from tests.marketplace.payments.helpers import connected_shop, order_paid

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_local")]


def totals(payment, shop=None):
    balance = selectors.payment_balance(payment=payment)
    shop_id = shop.pk if shop is not None else None
    return {kind: balance.of(shop_id, kind) for kind in
            (EntryKind.CAPTURE, EntryKind.REFUND, EntryKind.TRANSFER, EntryKind.REVERSAL, EntryKind.COMMISSION,
             EntryKind.PROMOTION, EntryKind.FEE) if balance.of(shop_id, kind)}


@pytest.fixture
def bakery():
    return connected_shop(name="Boulangerie Muller")


@pytest.fixture
def cheese():
    return connected_shop(name="Fromagerie Dubois")


def test_happy_path_captures_once_all_parts_are_accepted_and_pays_each_shop_minus_commission(bakery, cheese):
    order, payment = order_paid(LineSpec(bakery, "12.00"), LineSpec(cheese, "28.00"))
    assert payment.status == PaymentStatus.AUTHORISED
    assert payment.amount_authorised_cents == 4000

    services.payment_settle(payment_id=payment.pk)  # merchants have not accepted yet
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.AUTHORISED

    services.payment_ready_mark(order=order)
    payment = services.payment_settle(payment_id=payment.pk)

    assert payment.status == PaymentStatus.CAPTURED and payment.amount_captured_cents == 4000
    # Collectif: 5.5 % of 1200 = 66; of 2800 = 154.
    assert totals(payment, bakery) == {"capture": 1200, "commission": 66, "transfer": 1134}
    assert totals(payment, cheese) == {"capture": 2800, "commission": 154, "transfer": 2646}
    transfers = stripe_api.transfer_list(transfer_group=order.number)
    assert sorted((t.amount_cents, t.source_transaction) for t in transfers) == [
        (1134, payment.charge_id), (2646, payment.charge_id)
    ]
    intent = stripe_api.payment_intent_retrieve(intent_id=payment.intent_id)
    assert intent.status == "succeeded" and intent.transfer_group == order.number


def test_settling_again_changes_nothing(bakery):
    order, payment = order_paid(LineSpec(bakery, "10.00"))
    services.payment_ready_mark(order=order)
    services.payment_settle(payment_id=payment.pk)
    entries, calls = LedgerEntry.objects.count(), StripeCall.objects.count()

    services.payment_settle(payment_id=payment.pk)
    services.payment_ready_mark(order=order)

    assert (LedgerEntry.objects.count(), StripeCall.objects.count()) == (entries, calls)
    assert len(stripe_api.transfer_list(transfer_group=order.number)) == 1


def test_every_stripe_call_has_a_stored_idempotency_key_naming_the_order(bakery):
    order, payment = order_paid(LineSpec(bakery, "10.00"))
    services.payment_ready_mark(order=order)
    services.payment_settle(payment_id=payment.pk)
    calls = list(StripeCall.objects.filter(payment=payment))
    assert [c.operation.split("-")[0] for c in calls] == ["authorise", "capture", "transfer"]
    assert all(c.idempotency_key.startswith(f"halle-order-{order.number}-") for c in calls)
    assert all(c.status == StripeCall.Status.SUCCEEDED and c.stripe_id for c in calls)
    assert len({c.idempotency_key for c in calls}) == 3


def test_unavailable_item_before_capture_captures_the_reduced_amount(bakery, cheese):
    order, payment = order_paid(LineSpec(bakery, "2.50", quantity=4), LineSpec(cheese, "15.00"))
    croissants = order.lines.get(partner=bakery.partner)
    items_remove(order, {croissants: 1})
    services.payment_ready_mark(order=order)

    payment = services.payment_settle(payment_id=payment.pk)

    assert payment.amount_captured_cents == 750 + 1500
    assert totals(payment, bakery) == {"capture": 750, "commission": 41, "transfer": 709}  # 41.25 → 41
    charge = stripe_api.charge_retrieve(charge_id=payment.charge_id)
    assert (charge.amount_captured_cents, charge.amount_cents - charge.amount_captured_cents) == (2250, 250)
    release = LedgerEntry.objects.get(payment=payment, kind=EntryKind.RELEASE)
    assert release.amount_cents == 250


def test_removing_units_one_by_one_or_at_once_costs_the_same_cents(bakery):
    order, payment = order_paid(LineSpec(bakery, "1.00", quantity=3, discount="0.01"))  # 2.99 for 3
    line = order.lines.get()
    items_remove(order, {line: 1})
    items_remove(order, {line: 1})
    services.payment_ready_mark(order=order)
    payment = services.payment_settle(payment_id=payment.pk)
    assert payment.amount_captured_cents == 100  # 299 × 1/3 = 99.67 → 100


def test_whole_order_cancelled_before_capture_releases_the_hold(bakery, cheese):
    order, payment = order_paid(LineSpec(bakery, "12.00"), LineSpec(cheese, "28.00"))

    services.payment_part_cancel(order=order, shop_id=None, reason="shopper")
    payment = services.payment_settle(payment_id=payment.pk)

    assert payment.status == PaymentStatus.RELEASED and payment.amount_captured_cents == 0
    assert stripe_api.payment_intent_retrieve(intent_id=payment.intent_id).status == "canceled"
    assert totals(payment) == {}
    assert LedgerEntry.objects.get(payment=payment, kind=EntryKind.RELEASE).amount_cents == 4000


def test_one_shop_cancelled_before_capture_is_left_out_of_the_capture(bakery, cheese):
    order, payment = order_paid(LineSpec(bakery, "12.00"), LineSpec(cheese, "28.00"), shipping="3.00")
    services.payment_part_cancel(order=order, shop_id=cheese.pk, reason="merchant")
    services.payment_ready_mark(order=order)

    payment = services.payment_settle(payment_id=payment.pk)

    assert payment.amount_captured_cents == 1200 + 300
    assert totals(payment, cheese) == {}
    assert totals(payment) == {"capture": 300, "fee": 300}
    assert {t.destination for t in stripe_api.transfer_list(transfer_group=order.number)} == {
        bakery.payment_account.stripe_account_id
    }


def test_refund_after_capture_reverses_the_right_shops_transfer(bakery, cheese):
    order, payment = order_paid(LineSpec(bakery, "2.50", quantity=4), LineSpec(cheese, "28.00"))
    services.payment_ready_mark(order=order)
    services.payment_settle(payment_id=payment.pk)

    items_remove(order, {order.lines.get(partner=bakery.partner): 2})  # found missing at pickup
    payment = services.payment_settle(payment_id=payment.pk)

    assert payment.amount_refunded_cents == 500
    # The bakery's part is now 500: commission 28 (27.5 → 28), transfer 472 = 945 − 473 reversed.
    assert totals(payment, bakery) == {"capture": 1000, "refund": 500, "commission": 28, "transfer": 945,
                                       "reversal": 473}
    assert totals(payment, cheese) == {"capture": 2800, "commission": 154, "transfer": 2646}
    by_destination = {t.destination: t for t in stripe_api.transfer_list(transfer_group=order.number)}
    assert by_destination[bakery.payment_account.stripe_account_id].amount_reversed_cents == 473
    assert by_destination[cheese.payment_account.stripe_account_id].amount_reversed_cents == 0


def test_no_show_refunds_everything_and_takes_back_every_transfer(bakery, cheese):
    order, payment = order_paid(LineSpec(bakery, "12.00"), LineSpec(cheese, "28.00"), shipping="2.00")
    services.payment_ready_mark(order=order)
    services.payment_settle(payment_id=payment.pk)

    services.payment_part_cancel(order=order, shop_id=None, reason="no_show")
    payment = services.payment_settle(payment_id=payment.pk)

    assert payment.amount_refunded_cents == payment.amount_captured_cents == 4200
    for shop in (bakery, cheese):
        t = totals(payment, shop)
        assert t["transfer"] == t["reversal"] and "commission" not in t
    assert totals(payment) == {"capture": 200, "refund": 200}


def test_no_show_of_one_shop_only_refunds_that_shops_part(bakery, cheese):
    order, payment = order_paid(LineSpec(bakery, "12.00"), LineSpec(cheese, "28.00"))
    services.payment_ready_mark(order=order)
    services.payment_settle(payment_id=payment.pk)

    services.payment_part_cancel(order=order, shop_id=bakery.pk, reason="no_show")
    services.payment_part_cancel(order=order, shop_id=bakery.pk, reason="shopper")  # the first reason stays
    payment = services.payment_settle(payment_id=payment.pk)

    assert payment.amount_refunded_cents == 1200
    assert totals(payment, cheese) == {"capture": 2800, "commission": 154, "transfer": 2646}
    assert payment.parts.get(shop=bakery).cancelled_reason == "no_show"


def test_solo_plan_takes_nine_percent_and_odd_cents_round_half_up(bakery):
    ShopPaymentAccountFactory._meta.model.objects.filter(shop=bakery).update(plan=plan("solo"))
    order, payment = order_paid(LineSpec(bakery, "0.50"), LineSpec(bakery, "0.01", quantity=3))  # 53 cents
    services.payment_ready_mark(order=order)
    payment = services.payment_settle(payment_id=payment.pk)
    # 9 % of 53 = 4.77 → 5; 53 = 48 + 5: not a cent lost.
    assert totals(payment, bakery) == {"capture": 53, "commission": 5, "transfer": 48}
    assert payment.parts.get().commission_rate == Decimal("9.00")


def test_plan_change_does_not_touch_orders_already_paid(bakery):
    order, payment = order_paid(LineSpec(bakery, "10.00"))
    services.shop_commission_plan_set(shop=bakery, plan=plan("solo"))
    services.payment_ready_mark(order=order)
    payment = services.payment_settle(payment_id=payment.pk)
    assert totals(payment, bakery)["commission"] == 55


def test_town_funded_discount_does_not_reduce_the_merchants_share(bakery):
    # 20.00 of goods, 5.00 off paid by the town: the shopper pays 15.00, the bakery
    # gets 20.00 − 5.5 % = 18.90, the town's share is 110 − 500 = −390.
    order, payment = order_paid(LineSpec(bakery, "20.00", discount="5.00"))
    services.payment_ready_mark(order=order)
    payment = services.payment_settle(payment_id=payment.pk)

    assert payment.amount_captured_cents == 1500
    assert totals(payment, bakery) == {"capture": 1500, "commission": 110, "promotion": -500, "transfer": 1890}
    transfers = sorted(stripe_api.transfer_list(transfer_group=order.number), key=lambda t: -t.amount_cents)
    # The charge covers 1500; the town's balance pays the other 390.
    assert [(t.amount_cents, bool(t.source_transaction)) for t in transfers] == [(1500, True), (390, False)]


def test_merchant_funded_discount_reduces_the_merchants_share(bakery):
    order, payment = order_paid(LineSpec(bakery, "20.00", discount="5.00"), funder="shop")
    services.payment_ready_mark(order=order)
    payment = services.payment_settle(payment_id=payment.pk)
    assert totals(payment, bakery) == {"capture": 1500, "commission": 83, "transfer": 1417}  # 82.5 → 83


def test_refund_of_a_town_funded_part_gives_back_the_promotion_too(bakery):
    order, payment = order_paid(LineSpec(bakery, "10.00", quantity=2, discount="5.00"))  # pays 15.00 for 20.00
    services.payment_ready_mark(order=order)
    services.payment_settle(payment_id=payment.pk)

    services.payment_part_cancel(order=order, shop_id=bakery.pk, reason="no_show")
    payment = services.payment_settle(payment_id=payment.pk)

    assert payment.amount_refunded_cents == 1500
    t = totals(payment, bakery)
    assert t["transfer"] == t["reversal"] == 1890 and "promotion" not in t and "commission" not in t


def test_a_shop_whose_account_is_not_usable_is_paid_once_it_is(bakery, cheese, django_capture_on_commit_callbacks):
    order, payment = order_paid(LineSpec(bakery, "12.00"), LineSpec(cheese, "28.00"))
    cheese.payment_account.transfers_active = False
    cheese.payment_account.save()
    services.payment_ready_mark(order=order)

    payment = services.payment_settle(payment_id=payment.pk)
    balance = selectors.payment_balance(payment=payment)
    assert balance.owed(cheese.pk) == 2646 and balance.owed(bakery.pk) == 0
    assert any("restent dus" in p for p in selectors.ledger_problems(payment=payment))

    with django_capture_on_commit_callbacks(execute=True):
        services.shop_account_refresh(shop=cheese)  # Stripe says it is usable: its transfer goes

    assert selectors.ledger_problems(payment=Payment.objects.get(pk=payment.pk)) == []


def test_hold_window_beat_task_captures_before_the_bank_drops_the_hold(bakery):
    from marketplace.payments.tasks import payments_holds_settle_task

    order, payment = order_paid(LineSpec(bakery, "10.00"))
    payments_holds_settle_task()
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.AUTHORISED

    Payment.objects.filter(pk=payment.pk).update(authorised_at=timezone.now() - dt.timedelta(days=6, hours=13))
    result = payments_holds_settle_task()

    assert result["due"] == 1
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.CAPTURED


def test_hold_window_releases_a_hold_with_nothing_left_to_sell(bakery):
    from marketplace.payments.tasks import payments_holds_settle_task

    order, payment = order_paid(LineSpec(bakery, "10.00", quantity=2))
    items_remove(order, {order.lines.get(): 2})
    Payment.objects.filter(pk=payment.pk).update(authorised_at=timezone.now() - dt.timedelta(days=7))
    payments_holds_settle_task()
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.RELEASED


def test_a_hold_whose_order_was_never_placed_is_released(bakery):
    from marketplace.payments.tasks import payments_holds_settle_task

    payment = services.payment_authorise(order_number="990001", amount=Decimal("9.00"), shop_ids=[bakery.pk],
                                         payment_method="pm_card_visa")
    Payment.objects.filter(pk=payment.pk).update(updated_at=timezone.now() - dt.timedelta(hours=2))
    assert payments_holds_settle_task()["orphans_released"] == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.RELEASED
    assert stripe_api.payment_intent_retrieve(intent_id=payment.intent_id).status == "canceled"


@pytest.mark.local_stripe
def test_stripe_outage_during_refund_is_recorded_and_the_retry_uses_the_same_key(bakery, stripe_local):
    from tests.marketplace.payments.conftest import stripe_faults

    order, payment = order_paid(LineSpec(bakery, "10.00", quantity=2))
    services.payment_ready_mark(order=order)
    services.payment_settle(payment_id=payment.pk)
    services.payment_part_cancel(order=order, shop_id=None, reason="shopper")

    stripe_faults(stripe_local, path="/v1/refunds", count=3, status=500)
    with override_settings(STRIPE_MAX_NETWORK_RETRIES=0), pytest.raises(stripe_api.PaymentUnavailable):
        services.payment_settle(payment_id=payment.pk)
    failed = StripeCall.objects.get(payment=payment, operation__startswith="refund")
    assert failed.status == StripeCall.Status.FAILED
    assert Payment.objects.get(pk=payment.pk).amount_refunded_cents == 0

    with override_settings(STRIPE_MAX_NETWORK_RETRIES=0):
        for _ in range(2):  # the last two injected failures
            with pytest.raises(stripe_api.PaymentUnavailable):
                services.payment_settle(payment_id=payment.pk)
    payment = services.payment_settle(payment_id=payment.pk)

    refund_calls = StripeCall.objects.filter(payment=payment, operation__startswith="refund")
    assert refund_calls.count() == 1 and refund_calls.get().status == StripeCall.Status.SUCCEEDED
    assert payment.amount_refunded_cents == 2000


def test_capture_of_a_hold_stripe_already_dropped_is_refused_and_recorded(bakery):
    order, payment = order_paid(LineSpec(bakery, "10.00"))
    stripe_api.payment_intent_cancel(intent_id=payment.intent_id, idempotency_key="test-expired-" + order.number)
    services.payment_ready_mark(order=order)
    with pytest.raises(stripe_api.PaymentError):
        services.payment_settle(payment_id=payment.pk)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.AUTHORISED and payment.last_error


def test_a_shop_with_no_account_row_is_owed_nothing_paid_before_it_has_one():
    shop = ShopFactory()
    assert not selectors.shop_can_receive_payments(shop=shop)
    ShopPaymentAccountFactory(shop=shop)
    assert selectors.shop_can_receive_payments(shop=shop)


def test_the_database_refuses_a_second_entry_of_a_kind_for_one_call(bakery):
    from django.db import IntegrityError, transaction

    order, payment = order_paid(LineSpec(bakery, "10.00"))
    services.payment_ready_mark(order=order)
    payment = services.payment_settle(payment_id=payment.pk)
    for shop in (bakery, None):  # a shop's line, and the town's (no shop)
        entry = LedgerEntry.objects.filter(payment=payment, shop=shop).exclude(kind=EntryKind.RELEASE).first()
        if entry is None:
            entry = LedgerEntry.objects.get(payment=payment, kind=EntryKind.AUTHORISATION)
        with pytest.raises(IntegrityError), transaction.atomic():
            LedgerEntry.objects.create(payment=payment, order_number=entry.order_number, shop=entry.shop,
                                       kind=entry.kind, amount_cents=1, call=entry.call)
