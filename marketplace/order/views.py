"""The shopper's account order list, served at Oscar's own address (``customer:order-list``)."""
from __future__ import annotations

from oscar.apps.customer.views import OrderHistoryView

from marketplace.order.selectors import orders_with_amount_due


class AccountOrderListView(OrderHistoryView):
    """Oscar's order history, each order with what it costs now (after unavailable items and
    cancelled parts, as its order page says) instead of the total placed; one query for the rows."""

    def get_queryset(self):
        return orders_with_amount_due(super().get_queryset())
