"""Reads of the ledger: an order's balance and what does not add up."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Sum,
)

from marketplace.payments.models import (
    MEMO_KINDS,
    EntryKind,
    LedgerEntry,
    Payment,
)


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
