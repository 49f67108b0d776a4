"""Reads: can a shop be paid, commission plans, ledger sums, money per period."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, FilteredRelation, Q, QuerySet, Sum
from django.utils import timezone

from shops.models import Shop

from .models import (
    MEMO_KINDS,
    STANDARD_PLANS,
    CommissionPlan,
    EntryKind,
    LedgerEntry,
    Payment,
    ReconciliationIssue,
    ShopPaymentAccount,
    ShopPlanChange,
)

USABLE = Q(payment_account__details_submitted=True, payment_account__transfers_active=True) & ~Q(
    payment_account__stripe_account_id=""
)


def shop_can_receive_payments(*, shop: Shop) -> bool:
    """Whether the shop has a Stripe account that accepts transfers: without one it cannot sell."""
    return Shop.objects.filter(USABLE, pk=shop.pk).exists()


def shops_unable_to_receive_payments(*, shop_ids: Iterable[int]) -> list[Shop]:
    """Those of ``shop_ids`` that cannot be paid (one query, whatever their number)."""
    ids = set(shop_ids)
    if not ids:
        return []
    return list(Shop.objects.filter(pk__in=ids).exclude(USABLE).order_by("name"))


def shops_without_usable_account() -> QuerySet[Shop]:
    return Shop.objects.exclude(USABLE).select_related("payment_account").order_by("name")


def commission_plan_default() -> CommissionPlan:
    """The plan of shops without one; the town's two plans are recreated if they went missing."""
    plan = CommissionPlan.objects.filter(is_default=True).first()
    if plan is None:
        for code, name, rate, is_default in STANDARD_PLANS:
            CommissionPlan.objects.get_or_create(code=code, defaults={"name": name, "rate": rate,
                                                                      "is_default": is_default})
        plan = CommissionPlan.objects.filter(is_default=True).first() or CommissionPlan.objects.get(code="collectif")
    return plan


def commission_plans_for(*, shop_ids: Iterable[int], at: dt.datetime | None = None) -> dict[int, CommissionPlan]:
    """Each shop's plan at ``at`` (now by default): a change due and not yet written onto the
    account by beat first, else its own plan, else the default."""
    ids = set(shop_ids)
    # One query: the default plan and the plans these shops chose (each with the shop, via its account).
    rows = (
        CommissionPlan.objects.annotate(chosen=FilteredRelation("accounts", condition=Q(accounts__shop_id__in=ids)))
        .filter(Q(is_default=True) | Q(chosen__isnull=False))
        .annotate(chosen_by=F("chosen__shop_id"))
    )
    default, chosen = None, {}
    for plan in rows:
        if plan.is_default:
            default = plan
        if plan.chosen_by is not None:
            chosen[plan.chosen_by] = plan
    if default is None:
        default = commission_plan_default()  # recreates the town's plans if they went missing
    plans = {shop_id: chosen.get(shop_id, default) for shop_id in ids}
    due = (
        ShopPlanChange.objects.filter(shop_id__in=ids, applied_at__isnull=True, cancelled_at__isnull=True,
                                      effective_from__lte=at or timezone.now())
        .select_related("plan").order_by("shop_id", "effective_from", "pk")
    )
    for change in due:  # the latest due change of each shop wins
        plans[change.shop_id] = change.plan or default
    return plans


def shop_plan_changes_upcoming(*, shop: Shop) -> list[ShopPlanChange]:
    """Changes planned for ``shop`` and not applied yet, soonest first."""
    return list(ShopPlanChange.objects.filter(shop=shop, applied_at__isnull=True, cancelled_at__isnull=True)
                .select_related("plan").order_by("effective_from", "pk"))


def shop_payment_account_get(*, shop: Shop) -> ShopPaymentAccount | None:
    return ShopPaymentAccount.objects.filter(shop=shop).select_related("plan").first()


# --- the ledger ---------------------------------------------------------------------------


@dataclass
class Balance:
    """Sums of one payment's ledger, per shop (``None``: the town's own lines) and kind."""

    by_shop: dict[int | None, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    def of(self, shop_id: int | None, kind: str) -> int:
        return self.by_shop.get(shop_id, {}).get(kind, 0)

    def total(self, kind: str) -> int:
        return sum(kinds.get(kind, 0) for kinds in self.by_shop.values())

    def net_paid(self, shop_id: int | None) -> int:
        return self.of(shop_id, EntryKind.CAPTURE) - self.of(shop_id, EntryKind.REFUND)

    def net_transferred(self, shop_id: int | None) -> int:
        return self.of(shop_id, EntryKind.TRANSFER) - self.of(shop_id, EntryKind.REVERSAL)

    def town_share(self, shop_id: int | None) -> int:
        return self.of(shop_id, EntryKind.COMMISSION) + self.of(shop_id, EntryKind.PROMOTION) + self.of(
            shop_id, EntryKind.FEE
        )

    def owed(self, shop_id: int | None) -> int:
        """What a shop is still owed (> 0) or was paid too much (< 0)."""
        return self.net_paid(shop_id) - self.town_share(shop_id) - self.net_transferred(shop_id)

    def shops(self) -> list[int | None]:
        return list(self.by_shop)


def payment_balance(*, payment: Payment) -> Balance:
    balance = Balance()
    rows = (
        LedgerEntry.objects.filter(payment=payment)
        .exclude(kind__in=MEMO_KINDS)
        .values("shop_id", "kind")
        .annotate(total=Sum("amount_cents"))
    )
    for row in rows:
        balance.by_shop[row["shop_id"]][row["kind"]] = row["total"]
    return balance


def ledger_problems(*, payment: Payment, balance: Balance | None = None) -> list[str]:
    """Where a settled payment's ledger does not balance, in French (empty: it balances).

    Per order and per shop: captured − refunded = Σ transfers − Σ reversals + commission
    (the town's share: commission, town-funded promotions, fees), nothing left owed, and
    the payment's cached amounts equal to the ledger's.
    """
    balance = balance or payment_balance(payment=payment)
    problems = []
    captured, refunded = balance.total(EntryKind.CAPTURE), balance.total(EntryKind.REFUND)
    transfers, reversals = balance.total(EntryKind.TRANSFER), balance.total(EntryKind.REVERSAL)
    town = sum(balance.town_share(shop_id) for shop_id in balance.shops())
    if captured - refunded != transfers - reversals + town:
        problems.append(
            f"Commande {payment.order_number} : encaissé {captured} − remboursé {refunded} ≠ virements "
            f"{transfers} − reprises {reversals} + part de la ville {town} (centimes) ; écart "
            f"{captured - refunded - (transfers - reversals + town)}."
        )
    for shop_id in balance.shops():
        owed = balance.owed(shop_id)
        if shop_id is None and owed:
            problems.append(f"Commande {payment.order_number} : {owed} centimes sans destinataire.")
        elif owed > 0:
            problems.append(f"Commande {payment.order_number} : {owed} centimes restent dus au commerce n° {shop_id}.")
        elif owed < 0:
            problems.append(f"Commande {payment.order_number} : {-owed} centimes versés en trop au commerce n° {shop_id}.")
    if (payment.amount_captured_cents, payment.amount_refunded_cents) != (captured, refunded):
        problems.append(
            f"Commande {payment.order_number} : montants du paiement ({payment.amount_captured_cents}/"
            f"{payment.amount_refunded_cents}) différents du grand livre ({captured}/{refunded})."
        )
    return problems


# --- money per period (back-office pages) -------------------------------------------------

MONEY_KINDS = (
    EntryKind.CAPTURE,
    EntryKind.REFUND,
    EntryKind.COMMISSION,
    EntryKind.PROMOTION,
    EntryKind.FEE,
    EntryKind.TRANSFER,
    EntryKind.REVERSAL,
)


def _period(queryset, start: dt.datetime, end: dt.datetime):
    return queryset.filter(created_at__gte=start, created_at__lt=end).exclude(kind__in=MEMO_KINDS)


def money_totals(*, start: dt.datetime, end: dt.datetime, shop: Shop | None = None) -> dict[str, int]:
    """Cents per entry kind over [start, end) for one shop, or for every shop and the town."""
    entries = _period(LedgerEntry.objects.all(), start, end)
    if shop is not None:
        entries = entries.filter(shop=shop)
    sums = dict(entries.values_list("kind").annotate(total=Sum("amount_cents")).values_list("kind", "total"))
    return {kind: sums.get(kind, 0) or 0 for kind in MONEY_KINDS}


def money_by_shop(*, start: dt.datetime, end: dt.datetime) -> list[dict]:
    """One row per shop with movements in the period: its name and cents per kind (one query)."""
    rows = (
        _period(LedgerEntry.objects.filter(shop__isnull=False), start, end)
        .values("shop_id", "shop__name", "kind")
        .annotate(total=Sum("amount_cents"))
        .order_by("shop__name")
    )
    shops: dict[int, dict] = {}
    for row in rows:
        entry = shops.setdefault(row["shop_id"], {"shop_id": row["shop_id"], "name": row["shop__name"],
                                                  **{kind: 0 for kind in MONEY_KINDS}})
        entry[row["kind"]] = row["total"]
    return list(shops.values())


def money_entries(*, start: dt.datetime, end: dt.datetime, shop: Shop | None = None) -> QuerySet[LedgerEntry]:
    """The movements of the period, oldest first (for the list and the CSV export)."""
    entries = _period(LedgerEntry.objects.all(), start, end).select_related("shop").order_by("created_at", "pk")
    return entries.filter(shop=shop) if shop is not None else entries


def open_issues() -> QuerySet[ReconciliationIssue]:
    return ReconciliationIssue.objects.filter(resolved_at__isnull=True).select_related("payment").order_by("-created_at")
