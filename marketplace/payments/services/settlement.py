"""After checkout: capture, transfer to shops, refund, reverse, release.

``payment_settle`` brings Stripe and the ledger to what the order is worth now, one
step at a time: each step locks the payment, computes the next action from the order
and the ledger, makes one Stripe call with a key derived from that state, and records
its entries in the same transaction. Running it twice, concurrently, or after any
sequence of events gives the same result: it is what every signal, webhook, beat task
and retry calls.

Steps, in order:

1. authorised, nothing left to sell → release the hold;
2. authorised, and every shop settled (or the hold window closing) → capture what is
   still sold (the rest of the hold is released by the capture);
3. captured, a shop (or the town's fees) worth less than was kept → refund the shopper;
4. a shop paid more than its share now → reverse its transfer(s);
5. a shop owed its share → transfer it (``source_transaction`` = the charge, as far as
   the charge covers it; the town's balance pays the rest of a town-funded promotion).
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oscar.apps.payment.models import Source

from .. import locks, stripe_api
from ..errors import PaymentError
from ..models import EntryKind, LedgerEntry, Payment, PaymentPart, PaymentStatus, ShopPaymentAccount
from ..orders import fee_cents, order_ready_to_capture, shop_amounts
from ..selectors import Balance, payment_balance
from ..split import PartSplit, part_split
from .calls import call_prepare, call_run

logger = logging.getLogger(__name__)

MAX_STEPS = 50
CANCEL_REASONS = ("shopper", "merchant", "no_show", "expired")


@dataclass(frozen=True)
class Targets:
    """What each shop's part and the town's fees are worth now."""

    parts: dict[int, PartSplit]
    fee_cents: int

    @property
    def total_cents(self) -> int:
        return sum(split.paid_cents for split in self.parts.values()) + self.fee_cents


def payment_targets(*, payment: Payment) -> Targets:
    parts = list(payment.parts.all())
    amounts = shop_amounts(payment.order) if payment.order_id else {}
    splits = {}
    for part in parts:
        amount = amounts.get(part.shop_id)
        paid, gross = (0, 0) if part.cancelled_reason or amount is None else (amount.paid_cents, amount.gross_cents)
        splits[part.shop_id] = part_split(paid_cents=paid, gross_cents=gross, rate=part.commission_rate)
    still_sold = any(split.paid_cents for split in splits.values())
    return Targets(parts=splits, fee_cents=fee_cents(payment.order) if payment.order_id and still_sold else 0)


def hold_deadline(*, payment: Payment) -> dt.datetime | None:
    """When the hold must be captured or released, before the bank drops it."""
    if payment.authorised_at is None:
        return None
    return payment.authorised_at + dt.timedelta(
        days=settings.HALLE_PAYMENT_HOLD_DAYS, hours=-settings.HALLE_PAYMENT_HOLD_MARGIN_HOURS
    )


def payment_settle(*, payment_id: int) -> Payment:
    """Every step the payment needs now (see the module's docstring); raises the first
    Stripe error after recording it (``PaymentUnavailable``: retry later)."""
    for _ in range(MAX_STEPS):
        if not _step(payment_id):
            break
    else:
        logger.error("Payment %s: still not settled after %s steps", payment_id, MAX_STEPS)
    return Payment.objects.get(pk=payment_id)


def _step(payment_id: int) -> bool:
    """One locked step; True if it did something (there may be more)."""
    failure: PaymentError | None = None
    with transaction.atomic():
        payment = locks.payment_lock(payment_id=payment_id)
        action = _next_action(payment)
        if action is None:
            return False
        try:
            action()
        except PaymentError as error:
            failure = error
            payment.last_error = str(error)[:255]
            payment.save(update_fields=["last_error", "updated_at"])
    if failure is not None:
        logger.warning("Payment %s (%s): %s [%s]", payment.pk, payment.order_number, failure.detail or failure, failure.code)
        raise failure
    return True


def _next_action(payment: Payment):
    if payment.order_id is None or not payment.intent_id:
        return None
    if payment.status == PaymentStatus.AUTHORISED:
        targets = payment_targets(payment=payment)
        if targets.total_cents == 0:
            return lambda: _release(payment)
        deadline = hold_deadline(payment=payment)
        ready = payment.ready_to_capture or order_ready_to_capture(payment.order)
        if ready or (deadline is not None and timezone.now() >= deadline):
            return lambda: _capture(payment, targets)
        return None
    if payment.status != PaymentStatus.CAPTURED:
        return None
    targets = payment_targets(payment=payment)
    balance = payment_balance(payment=payment)
    for shop_id in sorted(targets.parts):
        excess = balance.net_paid(shop_id) - targets.parts[shop_id].paid_cents
        if excess > 0:
            return lambda: _refund(payment, balance, shop_id, excess, targets.parts[shop_id])
    fee_excess = balance.net_paid(None) - targets.fee_cents
    if fee_excess > 0:
        return lambda: _refund(payment, balance, None, fee_excess, None)
    for shop_id in sorted(targets.parts):
        owed = balance.owed(shop_id)
        if owed < 0:
            return lambda: _reverse(payment, balance, shop_id, -owed)
    accounts = {
        account.shop_id: account
        for account in ShopPaymentAccount.objects.filter(shop_id__in=list(targets.parts))
    }
    for shop_id in sorted(targets.parts):
        owed = balance.owed(shop_id)
        account = accounts.get(shop_id)
        if owed > 0 and account is not None and account.is_usable:
            return lambda: _transfer(payment, balance, account, owed)
    return None


def _entry(payment: Payment, call, kind: str, amount: int, *, shop_id: int | None, **fields) -> None:
    if amount == 0:
        return
    LedgerEntry.objects.create(
        payment=payment, order_number=payment.order_number, shop_id=shop_id, kind=kind, amount_cents=amount,
        call=call, **fields,
    )


def _release(payment: Payment) -> None:
    call = call_prepare(payment=payment, operation=f"release-{payment.intent_id}")
    intent = call_run(call, stripe_api.payment_intent_cancel, intent_id=payment.intent_id)
    _entry(payment, call, EntryKind.RELEASE, payment.amount_authorised_cents, shop_id=None, stripe_id=intent.id)
    payment.status, payment.released_at = PaymentStatus.RELEASED, timezone.now()
    payment.save(update_fields=["status", "released_at", "updated_at"])


def _capture(payment: Payment, targets: Targets) -> None:
    amount = targets.total_cents
    if amount > payment.amount_authorised_cents:
        raise PaymentError(
            f"La commande vaut {amount} centimes, plus que les {payment.amount_authorised_cents} autorisés.",
            code="capture_above_authorised",
        )
    call = call_prepare(payment=payment, operation=f"capture-{payment.intent_id}-{amount}")
    intent = call_run(call, stripe_api.payment_intent_capture, intent_id=payment.intent_id, amount_cents=amount)
    for shop_id, split in sorted(targets.parts.items()):
        _entry(payment, call, EntryKind.CAPTURE, split.paid_cents, shop_id=shop_id, stripe_id=intent.id)
        _entry(payment, call, EntryKind.COMMISSION, split.commission_cents, shop_id=shop_id)
        _entry(payment, call, EntryKind.PROMOTION, split.promotion_cents, shop_id=shop_id)
    _entry(payment, call, EntryKind.CAPTURE, targets.fee_cents, shop_id=None, stripe_id=intent.id)
    _entry(payment, call, EntryKind.FEE, targets.fee_cents, shop_id=None)
    _entry(payment, call, EntryKind.RELEASE, payment.amount_authorised_cents - amount, shop_id=None, stripe_id=intent.id)
    payment.status, payment.captured_at = PaymentStatus.CAPTURED, timezone.now()
    payment.amount_captured_cents = amount
    payment.charge_id = intent.latest_charge_id or payment.charge_id
    payment.save(update_fields=["status", "captured_at", "amount_captured_cents", "charge_id", "updated_at"])
    _oscar_source_record(payment, "debit", amount, reference=intent.id)


def _refund(payment: Payment, balance: Balance, shop_id: int | None, amount: int, target: PartSplit | None) -> None:
    """Refund ``amount`` of a shop's part (or of the fees); the town's share follows the
    part's new value, so the shop's transfer shrinks by the rest (reversed next step)."""
    before = balance.net_paid(shop_id)
    call = call_prepare(payment=payment, operation=f"refund-{shop_id or 'town'}-from{before}-{amount}")
    refund = call_run(call, stripe_api.refund_create, intent_id=payment.intent_id, amount_cents=amount)
    _entry(payment, call, EntryKind.REFUND, amount, shop_id=shop_id, stripe_id=refund.id)
    if shop_id is None:
        _entry(payment, call, EntryKind.FEE, -amount, shop_id=None)
    else:
        _entry(payment, call, EntryKind.COMMISSION,
               target.commission_cents - balance.of(shop_id, EntryKind.COMMISSION), shop_id=shop_id)
        _entry(payment, call, EntryKind.PROMOTION,
               target.promotion_cents - balance.of(shop_id, EntryKind.PROMOTION), shop_id=shop_id)
    payment.amount_refunded_cents += amount
    payment.save(update_fields=["amount_refunded_cents", "updated_at"])
    _oscar_source_record(payment, "refund", amount, reference=refund.id)


def _oscar_source_record(payment: Payment, action: str, amount: int, *, reference: str) -> None:
    """Oscar's record of the card (``Source``, written at checkout with the amount authorised)
    follows what was debited and refunded, with a transaction each, in the step's own
    transaction: its dashboard shows them."""
    source = Source.objects.filter(order_id=payment.order_id, reference=payment.intent_id).first()
    if source is not None:
        getattr(source, action)(Decimal(amount) / 100, reference=reference)


def _reverse(payment: Payment, balance: Balance, shop_id: int, amount: int) -> None:
    """Take back ``amount`` from the shop's transfers of this order (latest first)."""
    remaining = _transfers_remaining(payment, shop_id)
    if not remaining:
        raise PaymentError(f"Aucun virement à reprendre pour le commerce n° {shop_id}.", code="no_transfer")
    transfer_id, left = remaining[0]
    amount = min(amount, left)
    call = call_prepare(payment=payment, operation=f"reversal-{shop_id}-{transfer_id}-left{left}-{amount}")
    reversal = call_run(call, stripe_api.transfer_reversal_create, transfer_id=transfer_id, amount_cents=amount)
    _entry(payment, call, EntryKind.REVERSAL, amount, shop_id=shop_id, stripe_id=reversal.id, transfer_id=transfer_id)


def _transfers_remaining(payment: Payment, shop_id: int) -> list[tuple[str, int]]:
    entries = LedgerEntry.objects.filter(payment=payment, shop_id=shop_id)
    reversed_by: dict[str, int] = {}
    for transfer_id, amount in entries.filter(kind=EntryKind.REVERSAL).values_list("transfer_id", "amount_cents"):
        reversed_by[transfer_id] = reversed_by.get(transfer_id, 0) + amount
    transfers = entries.filter(kind=EntryKind.TRANSFER).order_by("-pk").values_list("stripe_id", "amount_cents")
    return [(tid, amount - reversed_by.get(tid, 0)) for tid, amount in transfers if amount - reversed_by.get(tid, 0) > 0]


def _transfer(payment: Payment, balance: Balance, account: ShopPaymentAccount, amount: int) -> None:
    """Pay the shop what it is owed, from the order's charge as far as it covers it."""
    from_charge = max(0, payment.amount_captured_cents - _transferred_from_charge(payment))
    source = payment.charge_id if from_charge and payment.charge_id else None
    amount = min(amount, from_charge) if source else amount
    before = balance.net_transferred(account.shop_id)
    call = call_prepare(
        payment=payment,
        operation=f"transfer-{account.shop_id}-from{before}-{amount}-{'charge' if source else 'balance'}",
    )
    transfer = call_run(
        call, stripe_api.transfer_create, amount_cents=amount, destination=account.stripe_account_id,
        transfer_group=payment.transfer_group, source_transaction=source, currency=payment.currency,
    )
    _entry(payment, call, EntryKind.TRANSFER, amount, shop_id=account.shop_id, stripe_id=transfer.id,
           reason="charge" if source else "balance")


def _transferred_from_charge(payment: Payment) -> int:
    return sum(
        LedgerEntry.objects.filter(payment=payment, kind=EntryKind.TRANSFER, reason="charge")
        .values_list("amount_cents", flat=True)
    )


# --- what the order workflow tells us (signals) --------------------------------------------


def payment_ready_mark(*, order) -> Payment | None:
    """Every shop part is settled: capture may go ahead (idempotent)."""
    payment = Payment.objects.filter(order=order).first()
    if payment is None or payment.ready_to_capture:
        return payment
    Payment.objects.filter(pk=payment.pk).update(ready_to_capture=True, updated_at=timezone.now())
    return payment


def payment_part_cancel(*, order, shop_id: int | None, reason: str) -> Payment | None:
    """A shop's part (``shop_id``), or the whole order (``None``), will not be sold:
    what was paid for it is refunded or released (idempotent: the first reason stays)."""
    if reason not in CANCEL_REASONS:
        raise ValueError(f"Motif d'annulation inconnu : {reason!r}")
    payment = Payment.objects.filter(order=order).first()
    if payment is None:
        return None
    parts = PaymentPart.objects.filter(payment=payment, cancelled_reason="")
    if shop_id is not None:
        parts = parts.filter(shop_id=shop_id)
    parts.update(cancelled_reason=reason)
    return payment


def payments_holds_due() -> list[int]:
    """Authorised payments whose hold window is closing (for the beat task)."""
    margin = dt.timedelta(days=settings.HALLE_PAYMENT_HOLD_DAYS, hours=-settings.HALLE_PAYMENT_HOLD_MARGIN_HOURS)
    return list(
        Payment.objects.filter(status=PaymentStatus.AUTHORISED, authorised_at__lte=timezone.now() - margin)
        .values_list("pk", flat=True)
    )


def payments_orphans_release(*, older_than: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """Release holds whose order was never placed (the placement failed after the payment)."""
    released = 0
    stale = Payment.objects.filter(
        order__isnull=True, status__in=(PaymentStatus.AUTHORISED, PaymentStatus.REQUIRES_ACTION),
        updated_at__lte=timezone.now() - older_than,
    ).values_list("pk", flat=True)
    for payment_id in stale:
        try:
            with transaction.atomic():
                payment = locks.payment_lock(payment_id=payment_id)
                if payment.order_id is not None or payment.status not in (
                    PaymentStatus.AUTHORISED, PaymentStatus.REQUIRES_ACTION
                ):
                    continue
                _release(payment)
                released += 1
        except PaymentError as error:
            logger.warning("Payment %s: orphan hold not released: %s", payment_id, error.detail or error)
    return released


def payment_release_unplaced(*, order_number: str) -> Payment | None:
    """The checkout could not place the order after the card was authorised (a hold expired):
    release the authorisation now. Nothing happens if the order exists (a second click that
    found the order already placed by the first) or if nothing is held."""
    from marketplace.order.models import Order

    payment = None
    try:
        with transaction.atomic():
            payment = locks.payment_of_order_lock(order_number=order_number)
            if (payment is not None and payment.order_id is None and payment.intent_id
                    and payment.status in (PaymentStatus.AUTHORISED, PaymentStatus.REQUIRES_ACTION)
                    and not Order.objects.filter(number=order_number).exists()):
                _release(payment)
    except PaymentError as error:  # the hourly sweep releases it later
        logger.warning("Order %s: unplaced hold not released now: %s", order_number, error.detail or error)
    return payment


def payments_owing(*, shop_id: int) -> list[int]:
    """Captured payments with a part for this shop (to retry transfers once it can be paid)."""
    return list(
        Payment.objects.filter(status=PaymentStatus.CAPTURED, parts__shop_id=shop_id).values_list("pk", flat=True)
    )


def settle_quietly(*, payment_id: int) -> Payment | None:
    """``payment_settle`` for sweeps: a Stripe error is logged, the next sweep retries."""
    try:
        return payment_settle(payment_id=payment_id)
    except PaymentError as error:
        logger.warning("Payment %s not settled: %s", payment_id, error.detail or error)
        return None


__all__ = [
    "Targets",
    "hold_deadline",
    "payment_part_cancel",
    "payment_ready_mark",
    "payment_release_unplaced",
    "payment_settle",
    "payment_targets",
    "payments_holds_due",
    "payments_orphans_release",
    "payments_owing",
    "settle_quietly",
]
