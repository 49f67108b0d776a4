"""What placing an order does to promotions, in the placement's own transaction.

One explicit call from ``marketplace.checkout.services.placement.order_place``, after the
order is written: the basket's budget reservations are spent, each line discount gets its
funder, and each voucher code's use is counted under its quota's lock. Raises
``PromotionChanged`` (French message): then the whole placement rolls back.
"""
from __future__ import annotations

import datetime as dt

from marketplace.promotions.services.budget import order_budget_spend
from marketplace.promotions.services.funding import order_fundings_write
from marketplace.promotions.services.vouchers import order_vouchers_use


def order_promotions_record(*, order, basket, now: dt.datetime | None = None) -> None:
    order_budget_spend(order=order, basket=basket, now=now)
    order_fundings_write(order=order)
    order_vouchers_use(order=order)
