"""Nightly reconciliation: every recent payment's ledger against itself, the order and Stripe.

For each payment whose ledger agrees with Stripe: settle what is pending first (a
transfer that waited for a shop's account, a refund that met an outage); then check,
for every payment, that the ledger balances (captured −
refunded = Σ transfers − Σ reversals + the town's share, nothing owed), that it matches
what the order is worth, and that Stripe's PaymentIntent, charge and transfers say
the same. Each mismatch opens one issue for the manager; an issue no longer found is
closed.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from .. import stripe_api
from ..errors import PaymentError
from ..models import EntryKind, Payment, PaymentStatus, ReconciliationIssue, ShopPaymentAccount
from ..selectors import ledger_problems, payment_balance
from .settlement import payment_targets, settle_quietly

logger = logging.getLogger(__name__)

LOOKBACK = dt.timedelta(days=40)


@dataclass
class ReconciliationReport:
    checked: int = 0
    opened: int = 0
    resolved: int = 0


def payment_check(*, payment: Payment, with_stripe: bool = True) -> dict[str, str]:
    """Mismatches of one payment as {code: French message} (empty: all is well)."""
    found: dict[str, str] = {}
    balance = payment_balance(payment=payment)
    problems = ledger_problems(payment=payment, balance=balance)
    if problems:
        found["ledger"] = " ".join(problems)
    if payment.status == PaymentStatus.CAPTURED and payment.order_id:
        targets = payment_targets(payment=payment)
        for shop_id, split in targets.parts.items():
            if balance.net_paid(shop_id) != split.paid_cents:
                found["order_amounts"] = (
                    f"Le commerce n° {shop_id} a {balance.net_paid(shop_id)} centimes encaissés pour une part "
                    f"qui en vaut {split.paid_cents}."
                )
    if with_stripe and payment.intent_id and payment.status in (PaymentStatus.CAPTURED, PaymentStatus.RELEASED,
                                                                PaymentStatus.AUTHORISED):
        try:
            found.update(_stripe_mismatches(payment, balance))
        except PaymentError as error:
            found["stripe_unreachable"] = f"Stripe n’a pas pu être interrogé : {error}"
    return found


def _stripe_mismatches(payment: Payment, balance) -> dict[str, str]:
    found = {}
    intent = stripe_api.payment_intent_retrieve(intent_id=payment.intent_id)
    expected_status = {
        PaymentStatus.AUTHORISED: "requires_capture",
        PaymentStatus.CAPTURED: "succeeded",
        PaymentStatus.RELEASED: "canceled",
    }[PaymentStatus(payment.status)]
    if intent.status != expected_status:
        found["stripe_status"] = f"Stripe indique « {intent.status} », Halle « {payment.get_status_display()} »."
    if payment.status != PaymentStatus.CAPTURED:
        return found
    charge_id = intent.latest_charge_id or payment.charge_id
    if charge_id:
        charge = stripe_api.charge_retrieve(charge_id=charge_id)
        released = charge.amount_cents - charge.amount_captured_cents
        if charge.amount_captured_cents != balance.total(EntryKind.CAPTURE):
            found["stripe_captured"] = (
                f"Encaissé chez Stripe {charge.amount_captured_cents}, au grand livre {balance.total(EntryKind.CAPTURE)}."
            )
        if charge.amount_refunded_cents - released != balance.total(EntryKind.REFUND):
            found["stripe_refunded"] = (
                f"Remboursé chez Stripe {charge.amount_refunded_cents - released}, "
                f"au grand livre {balance.total(EntryKind.REFUND)}."
            )
    transfers = stripe_api.transfer_list(transfer_group=payment.transfer_group)
    by_destination: dict[str, int] = {}
    for transfer in transfers:
        by_destination[transfer.destination] = (
            by_destination.get(transfer.destination, 0) + transfer.amount_cents - transfer.amount_reversed_cents
        )
    accounts = dict(
        ShopPaymentAccount.objects.filter(shop_id__in=[s for s in balance.shops() if s])
        .values_list("stripe_account_id", "shop_id")
    )
    ours = {account_id: balance.net_transferred(shop_id) for account_id, shop_id in accounts.items()}
    for destination in set(by_destination) | {a for a, v in ours.items() if v}:
        if by_destination.get(destination, 0) != ours.get(destination, 0):
            found["stripe_transfers"] = (
                f"Virements nets vers {destination} : {by_destination.get(destination, 0)} chez Stripe, "
                f"{ours.get(destination, 0)} au grand livre."
            )
    return found


def payments_reconcile(*, now: dt.datetime | None = None, with_stripe: bool = True) -> ReconciliationReport:
    """Settle and check every payment touched in the last 40 days or with an open issue."""
    now = now or timezone.now()
    report = ReconciliationReport()
    payments = Payment.objects.filter(
        Q(updated_at__gte=now - LOOKBACK) | Q(issues__resolved_at__isnull=True, issues__isnull=False),
        status__in=(PaymentStatus.AUTHORISED, PaymentStatus.CAPTURED, PaymentStatus.RELEASED),
    ).distinct().order_by("pk")
    for payment_id in payments.values_list("pk", flat=True).iterator():
        payment = Payment.objects.get(pk=payment_id)
        found = payment_check(payment=payment, with_stripe=with_stripe)
        if not any(code.startswith("stripe_") for code in found):
            # The ledger agrees with Stripe, so it can be trusted to finish pending work;
            # when they disagree, moving money could make it worse: a person looks first.
            settle_quietly(payment_id=payment_id)
            payment = Payment.objects.get(pk=payment_id)
            found = payment_check(payment=payment, with_stripe=with_stripe)
        report.checked += 1
        open_issues = {issue.code: issue for issue in payment.issues.filter(resolved_at__isnull=True)}
        for code, message in found.items():
            if code not in open_issues:
                ReconciliationIssue.objects.create(payment=payment, code=code, message=message)
                report.opened += 1
                logger.warning("Reconciliation %s: %s", payment.order_number, message)
        for code, issue in open_issues.items():
            if code not in found and code in RECHECKED:
                issue.resolved_at = now
                issue.save(update_fields=["resolved_at"])
                report.resolved += 1
    return report


# Issues this check can see disappear; the ones webhooks open stay until the manager closes them.
RECHECKED = {"ledger", "order_amounts", "stripe_unreachable", "stripe_status", "stripe_captured",
             "stripe_refunded", "stripe_transfers"}


def reconciliation_issue_resolve(*, issue: ReconciliationIssue) -> ReconciliationIssue:
    if issue.resolved_at is None:
        issue.resolved_at = timezone.now()
        issue.save(update_fields=["resolved_at"])
    return issue
