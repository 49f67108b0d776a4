"""How an order's money is split between its shops and the town, in integer cents.

For each shop part:

* ``paid``: what the shopper pays for the shop's lines (after every discount);
* ``gross``: the merchant's basis, i.e. ``paid`` plus the discounts the town funds
  (a town-funded promotion must not reduce what the merchant gets);
* ``commission = round_half_up(gross × rate / 100)``;
* ``transfer = gross − commission`` (what the shop receives);
* ``promotion = paid − gross`` (≤ 0: what the town's promotion costs).

So ``paid = transfer + commission + promotion`` exactly for every part, and the
order total = Σ paid + town fees (shipping, surcharges): no cent is lost or created.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(amount: Decimal | int | str) -> int:
    """Euros (Decimal, as Oscar stores them) to integer cents, rounding half up."""
    return int((Decimal(amount) / CENT).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def commission_cents(*, gross_cents: int, rate: Decimal) -> int:
    if gross_cents <= 0:
        return 0
    return int((Decimal(gross_cents) * Decimal(rate) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class PartSplit:
    paid_cents: int
    gross_cents: int
    commission_cents: int
    transfer_cents: int
    promotion_cents: int  # ≤ 0


def part_split(*, paid_cents: int, gross_cents: int, rate: Decimal) -> PartSplit:
    if paid_cents < 0 or gross_cents < paid_cents:
        raise ValueError(f"Part incohérente : payé {paid_cents}, base {gross_cents}.")
    commission = commission_cents(gross_cents=gross_cents, rate=rate)
    transfer = gross_cents - commission
    return PartSplit(
        paid_cents=paid_cents,
        gross_cents=gross_cents,
        commission_cents=commission,
        transfer_cents=transfer,
        promotion_cents=paid_cents - gross_cents,
    )


def prorate_cents(*, amount_cents: int, kept: int, total: int) -> int:
    """The part of ``amount_cents`` that ``kept`` units out of ``total`` are worth.

    Computed from the cumulative quantity (not per removal), so removing units one by
    one and all at once give the same cents, and keeping none gives exactly 0.
    """
    if total <= 0 or kept >= total:
        return amount_cents
    if kept <= 0:
        return 0
    return int((Decimal(amount_cents) * kept / total).quantize(Decimal(1), rounding=ROUND_HALF_UP))
