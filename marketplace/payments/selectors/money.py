"""Money per period for the back-office and the manager's money page: totals, per shop, movements."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Max,
    Min,
    QuerySet,
    Sum,
)

from marketplace.payments.models import (
    MEMO_KINDS,
    EntryKind,
    LedgerEntry,
    ReconciliationIssue,
)
from shops.models import Shop

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
