"""The shopper's account order list, served at Oscar's own address (``customer:order-list``)."""
from __future__ import annotations

from decimal import Decimal

from django.http import Http404
from django.shortcuts import redirect
from oscar.apps.customer.views import OrderHistoryView, OrderLineView

from marketplace.order.models import Line
from marketplace.order.selectors import order_shopper_status, orders_with_amount_due


class AccountOrderListView(OrderHistoryView):
    """Oscar's order history, each order with its state in French, the units supplied, what it
    costs now (after unavailable items and cancelled parts, as its order page says) and what the
    card was actually charged; two queries for the rows, whatever their number."""

    def get_queryset(self):
        return orders_with_amount_due(super().get_queryset())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        for order in ctx["orders"]:
            order.shopper_status = order_shopper_status(order=order)
            cents = order.amount_charged_cents
            order.amount_charged = None if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))
        return ctx


class AccountOrderLineView(OrderLineView):
    """Oscar's address of one line of an order (its POST re-orders the line). Oscar ships no
    template for its GET, which answered 500: the order page shows the line, so GET goes there;
    a line that is not in the shopper's order is a 404, not a 500."""

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Line.DoesNotExist:
            raise Http404("Article inconnu.") from None

    def get(self, request, *args, **kwargs):
        self.get_object()
        return redirect("customer:order", order_number=self.kwargs["order_number"])
