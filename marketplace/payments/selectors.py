"""Reads: can a shop be paid, commission plans, ledger sums, money per period."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shops.models import Shop

from .models import (
    MEMO_KINDS,
    STANDARD_PLANS,
    CommissionPlan,
    EntryKind,
    LedgerEntry,
    Payment,
    PaymentStatus,
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
    """One row per shop with movements in the period: its name, cents per kind and its
    ``summary`` (``MoneySummary``), in one query."""
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
    for entry in shops.values():
        entry["summary"] = MoneySummary(
            captured=entry[EntryKind.CAPTURE], refunded=entry[EntryKind.REFUND],
            town_discounts=-entry[EntryKind.PROMOTION], commission=entry[EntryKind.COMMISSION],
            fees=entry[EntryKind.FEE], transferred=entry[EntryKind.TRANSFER], reversed=entry[EntryKind.REVERSAL],
        )
    return list(shops.values())


@dataclass(frozen=True)
class MoneySummary:
    """A period's money as the money pages show it, in cents, adding up to the cent.

    ``town_discounts`` is what the town's promotions paid to the shops (the ledger's
    PROMOTION entries are the town's share, so negative: it is their opposite here).
    For one shop: net sales + town discounts − commission = what the shop is due =
    net transfers + what is still to be transferred. For the whole town, the fees the
    town keeps come out of the net sales first, and net sales = net transfers + still
    to transfer + the town's share.
    """

    captured: int
    refunded: int
    town_discounts: int
    commission: int
    fees: int
    transferred: int
    reversed: int

    @property
    def net_sales(self) -> int:
        return self.captured - self.refunded

    @property
    def shops_due(self) -> int:
        return self.net_sales - self.fees + self.town_discounts - self.commission

    @property
    def net_transfers(self) -> int:
        return self.transferred - self.reversed

    @property
    def to_transfer(self) -> int:
        """Due but not transferred yet (> 0: an account not usable yet, a transfer on its way;
        < 0: transferred in this period for sales of an earlier one)."""
        return self.shops_due - self.net_transfers

    @property
    def town_share(self) -> int:
        return self.commission - self.town_discounts + self.fees


def money_summary(*, start: dt.datetime, end: dt.datetime, shop: Shop | None = None) -> MoneySummary:
    """The period's summary for one shop, or for every shop and the town (one query)."""
    totals = money_totals(start=start, end=end, shop=shop)
    return MoneySummary(
        captured=totals[EntryKind.CAPTURE], refunded=totals[EntryKind.REFUND],
        town_discounts=-totals[EntryKind.PROMOTION], commission=totals[EntryKind.COMMISSION],
        fees=totals[EntryKind.FEE], transferred=totals[EntryKind.TRANSFER], reversed=totals[EntryKind.REVERSAL],
    )


def money_entries(*, start: dt.datetime, end: dt.datetime, shop: Shop | None = None) -> QuerySet[LedgerEntry]:
    """The movements of the period, oldest first."""
    entries = _period(LedgerEntry.objects.all(), start, end).select_related("shop").order_by("created_at", "pk")
    return entries.filter(shop=shop) if shop is not None else entries


def money_movements(*, start: dt.datetime, end: dt.datetime, shop: Shop | None = None) -> QuerySet:
    """The period's movements, one line per order, shop and kind, in the order they began
    (dicts: ``order_number``, ``shop_id``, ``shop__name``, ``kind``, ``cents``, ``at``: the last one).

    One line, because a merchant reads an order's money as one sale, one commission, one
    transfer: Stripe may need two transfers for one order (from the charge, as far as it
    covers the shop's share, and from the town's balance for the rest of a town-funded
    discount), and a refund lowers the commission by a second entry. Lines that net to
    zero are left out; the lines' sums per kind are the period's totals.
    """
    entries = _period(LedgerEntry.objects.all(), start, end)
    if shop is not None:
        entries = entries.filter(shop=shop)
    return (
        entries.values("order_number", "shop_id", "shop__name", "kind")
        .annotate(cents=Sum("amount_cents"), at=Max("created_at"), first=Min("pk"))
        .exclude(cents=0)
        .order_by("first")
    )


def money_references(*, start: dt.datetime, end: dt.datetime, shop: Shop | None = None) -> dict[tuple, list[str]]:
    """The Stripe ids behind each line of ``money_movements``: (order number, shop id, kind) → ids."""
    entries = _period(LedgerEntry.objects.exclude(stripe_id=""), start, end)
    if shop is not None:
        entries = entries.filter(shop=shop)
    references: dict[tuple, list[str]] = defaultdict(list)
    rows = entries.order_by("pk").values_list("order_number", "shop_id", "kind", "stripe_id")
    for order_number, shop_id, kind, stripe_id in rows.iterator(chunk_size=2000):
        known = references[(order_number, shop_id, kind)]
        if stripe_id not in known:
            known.append(stripe_id)
    return references


def open_issues() -> QuerySet[ReconciliationIssue]:
    return ReconciliationIssue.objects.filter(resolved_at__isnull=True).select_related("payment").order_by("-created_at")


# --- what each order was charged (the manager's order pages) ------------------------------


class OrderPaymentState(models.TextChoices):
    """Where an order's card payment stands now, as the manager reads it."""

    NONE = "none", _("Sans paiement")
    PENDING = "pending", _("Paiement en attente")
    REQUIRES_ACTION = "requires_action", _("Confirmation bancaire attendue")
    FAILED = "failed", _("Paiement refusé")
    AUTHORISED = "authorised", _("Carte autorisée")
    RELEASED = "released", _("Autorisation libérée, rien débité")
    CAPTURED = "captured", _("Encaissée")
    PARTLY_REFUNDED = "partly_refunded", _("Partiellement remboursée")
    REFUNDED = "refunded", _("Remboursée")


def orders_with_payment(orders: QuerySet) -> QuerySet:
    """``orders`` annotated with their payment as it stands now, in the same query:
    ``paid_authorised_cents``, ``paid_charged_cents``, ``paid_refunded_cents``,
    ``paid_net_cents`` (charged − refunded: the order's money) and ``payment_state``
    (an ``OrderPaymentState``).

    The order's own ``total_incl_tax`` and ``status`` are what was authorised at checkout
    (« Carte autorisée »): items found missing, refunds and captures change the payment,
    which ``Payment`` records (a cache of the ledger written with it), not the order.
    """
    captured, refunded = F("payment__amount_captured_cents"), F("payment__amount_refunded_cents")
    state = Case(
        When(payment__isnull=True, then=Value(OrderPaymentState.NONE)),
        When(payment__status=PaymentStatus.CAPTURED, payment__amount_refunded_cents=0,
             then=Value(OrderPaymentState.CAPTURED)),
        When(payment__status=PaymentStatus.CAPTURED, payment__amount_refunded_cents__lt=captured,
             then=Value(OrderPaymentState.PARTLY_REFUNDED)),
        When(payment__status=PaymentStatus.CAPTURED, then=Value(OrderPaymentState.REFUNDED)),
        default=F("payment__status"),
        output_field=CharField(),
    )
    return orders.annotate(
        paid_authorised_cents=Coalesce(F("payment__amount_authorised_cents"), 0),
        paid_charged_cents=Coalesce(captured, 0),
        paid_refunded_cents=Coalesce(refunded, 0),
        paid_net_cents=Coalesce(captured, 0) - Coalesce(refunded, 0),
        payment_state=state,
    )


def orders_net_charged_cents(orders: QuerySet) -> int:
    """What ``orders`` were charged less what was refunded, in cents (one query)."""
    total = orders.aggregate(
        net=Sum(Coalesce(F("payment__amount_captured_cents"), 0) - Coalesce(F("payment__amount_refunded_cents"), 0))
    )["net"]
    return int(total or 0)


def orders_payment_states_count(orders: QuerySet) -> list[dict]:
    """How many of ``orders`` are in each payment state: [{"state", "label", "freq"}] (one query)."""
    rows = orders_with_payment(orders.order_by()).values("payment_state").annotate(freq=Count("pk"))
    counts = {row["payment_state"]: row["freq"] for row in rows}
    return [{"state": state, "label": label, "freq": counts[state]}
            for state, label in OrderPaymentState.choices if counts.get(state)]


def shop_town_discount_cents(*, order, shop_id: int) -> int:
    """What the town's promotions add to the shop's part of ``order`` now: the shopper pays
    less, the shop is paid on the price before them (``orders.shop_amounts``)."""
    from .orders import shop_amounts

    amounts = shop_amounts(order).get(shop_id)
    return amounts.gross_cents - amounts.paid_cents if amounts is not None else 0
