"""The nightly reconciliation: the ledger against itself, the order and Stripe."""
from __future__ import annotations

import pytest

from marketplace.payments import services, stripe_api
from marketplace.payments.models import EntryKind, LedgerEntry, ReconciliationIssue
from marketplace.payments.tasks import payments_reconcile_task
from tests.factories.payments import LineSpec
from tests.marketplace.payments.helpers import connected_shop, order_paid

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_local")]


@pytest.fixture
def settled():
    bakery, cheese = connected_shop(name="Boulangerie"), connected_shop(name="Fromagerie")
    order, payment = order_paid(LineSpec(bakery, "12.00"), LineSpec(cheese, "28.05"), shipping="1.50")
    services.payment_ready_mark(order=order)
    return order, services.payment_settle(payment_id=payment.pk), bakery, cheese


def test_a_settled_order_reconciles_without_issue(settled):
    assert payments_reconcile_task() == {"checked": 1, "opened": 0, "resolved": 0}
    assert not ReconciliationIssue.objects.exists()


@pytest.mark.ledger_unsettled
def test_a_ledger_that_does_not_balance_is_flagged_then_closed_once_fixed(settled):
    order, payment, bakery, cheese = settled
    transfer = LedgerEntry.objects.get(payment=payment, shop=bakery, kind=EntryKind.TRANSFER)
    transfer.amount_cents += 1
    transfer.save()

    payments_reconcile_task()

    codes = set(ReconciliationIssue.objects.filter(resolved_at__isnull=True).values_list("code", flat=True))
    assert codes == {"ledger", "stripe_transfers"}
    assert "versés en trop" in ReconciliationIssue.objects.get(code="ledger").message

    transfer.amount_cents -= 1
    transfer.save()
    report = payments_reconcile_task()
    assert report["resolved"] == 2 and not ReconciliationIssue.objects.filter(resolved_at__isnull=True).exists()


@pytest.mark.ledger_unsettled
def test_a_refund_made_on_stripe_outside_halle_is_found(settled):
    order, payment, *_ = settled
    stripe_api.refund_create(intent_id=payment.intent_id, amount_cents=300, idempotency_key="dashboard-" + order.number)
    payments_reconcile_task()
    issue = ReconciliationIssue.objects.get()
    assert issue.code == "stripe_refunded" and "300" in issue.message


def test_a_pending_refund_is_made_by_the_reconciliation_itself(settled):
    order, payment, bakery, _ = settled
    services.payment_part_cancel(order=order, shop_id=bakery.pk, reason="no_show")  # its task never ran
    payments_reconcile_task()
    payment.refresh_from_db()
    assert payment.amount_refunded_cents == 1200
    assert not ReconciliationIssue.objects.exists()


def test_the_same_issue_is_opened_once_however_many_nights_it_lasts(settled):
    order, payment, *_ = settled
    LedgerEntry.objects.filter(payment=payment, kind=EntryKind.FEE).update(amount_cents=149)
    payments_reconcile_task()
    payments_reconcile_task()
    assert ReconciliationIssue.objects.filter(code="ledger").count() == 1
    LedgerEntry.objects.filter(payment=payment, kind=EntryKind.FEE).update(amount_cents=150)
    payments_reconcile_task()
