"""The shopper cancels from the order page (account) or the order link (guest)."""
from __future__ import annotations

from marketplace.order.models import Order
from marketplace.order.services import order_cancel


def order_cancel_by_shopper(*, order: Order, user=None, link_verified: bool = False) -> Order:
    """Cancel the whole order while no shop has started preparing (stock and slot given back,
    the payment released and the e-mail owed, in the same transaction).

    ``link_verified``: the visitor came through the order's signed link, which only the
    shopper received; they act as the order's owner.
    """
    if link_verified:
        user = order.user if order.user_id else None
    return order_cancel(order=order, user=user)
