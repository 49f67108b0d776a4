"""What placing an order does to promotions, in the placement's own transaction.

One explicit call from ``marketplace.checkout.services.placement.order_place``, after the
order is written: the basket's budget reservations are spent, each line discount gets its
funder, each voucher code's use is counted under its quota's lock, and an ambassador's code
makes a referral (self-referral refused). Raises
``PromotionChanged`` (French message): then the whole placement rolls back.
"""
from __future__ import annotations

import datetime as dt

from marketplace.promotions.services.ambassadors import referral_record
from marketplace.promotions.services.budget import order_budget_spend
from marketplace.promotions.services.funding import order_fundings_write
from marketplace.promotions.services.vouchers import order_vouchers_use


def order_promotions_record(*, order, basket, now: dt.datetime | None = None) -> None:
    """No query when the basket has no discount and holds no reservation of an earlier hold
    (that one goes back at its expiry)."""
    applied = getattr(basket, "offer_applications", None)
    if applied is None or not len(applied):
        return
    order_budget_spend(order=order, basket=basket, now=now)
    order_fundings_write(order=order)
    order_vouchers_use(order=order)
    referral_record(order=order)
