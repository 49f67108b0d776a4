"""Oscar's order list, detail and statistics with each order's money as it stands now.

Every amount is the payment's (``marketplace.payments.selectors.orders_with_payment``):
charged less refunded, with the authorisation beside it while nothing is charged, and
the payment's state (« Encaissée », « Partiellement remboursée », …); never the order's
``total_incl_tax`` or ``status``, which say what was authorised at checkout.
"""
from __future__ import annotations

from typing import ClassVar

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.orders import views as oscar_views
from oscar.core.utils import format_datetime

from marketplace.dashboard.orders.forms import OrderSearchForm
from marketplace.order.models import Line, ShopOrder
from marketplace.payments.money import euros
from marketplace.payments.selectors import (
    OrderPaymentState,
    orders_net_charged_cents,
    orders_payment_states_count,
    orders_with_payment,
)


class OrderListView(oscar_views.OrderListView):
    template_name = "dashboard/orders/order_list.html"
    form_class = OrderSearchForm
    CSV_COLUMNS: ClassVar[dict] = {
        **oscar_views.OrderListView.CSV_COLUMNS,
        "value": _("Encaissé net (€)"),
        "authorised": _("Autorisé (€)"),
        "status": _("État du paiement"),
    }

    def get_queryset(self):
        self.base_queryset = orders_with_payment(self.base_queryset)
        queryset = super().get_queryset()
        data = getattr(self.form, "cleaned_data", None) or {}
        if data.get("payment_state"):
            queryset = queryset.filter(payment_state=data["payment_state"])
        if self.request.GET.get("sort") == "total_incl_tax":  # Oscar's « Total » column: the money now
            queryset = queryset.order_by(("-" if self.request.GET.get("dir") == "desc" else "") + "paid_net_cents",
                                         "-date_placed")
        return queryset

    def get_search_filter_descriptions(self):
        descriptions = super().get_search_filter_descriptions()
        state = (getattr(self.form, "cleaned_data", None) or {}).get("payment_state")
        if state:
            descriptions.append(_("Paiement : %(state)s") % {"state": OrderPaymentState(state).label})
        return descriptions

    def get_row_values(self, order):
        row = super().get_row_values(order)
        row.update(
            value=euros(order.paid_net_cents), authorised=euros(order.paid_authorised_cents),
            status=OrderPaymentState(order.payment_state).label,
            date=format_datetime(order.date_placed, "DATETIME_FORMAT"),
        )
        return row


class OrderDetailView(oscar_views.OrderDetailView):
    """Oscar's order page: the order's money as it stands now, and each shop's part."""

    template_name = "dashboard/orders/order_detail.html"

    def get_object(self, queryset=None):
        base = orders_with_payment(oscar_views.queryset_orders_for_user(self.request.user)).prefetch_related(
            Prefetch("shop_orders", queryset=ShopOrder.objects.select_related("shop").order_by("shop__name", "pk")),
        )
        return oscar_views.get_object_or_404(base, number=self.kwargs["number"])

    def get_order_lines(self):
        return self.object.lines.select_related("shop_order").order_by("pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["payment_state_label"] = OrderPaymentState(self.object.payment_state).label
        return ctx


class OrderStatsView(oscar_views.OrderStatsView):
    """Oscar's statistics: revenue is charged less refunded; the breakdown is by payment state."""

    template_name = "dashboard/orders/statistics.html"

    def get_stats(self, filters):
        orders = oscar_views.queryset_orders_for_user(self.request.user).filter(**filters)
        return {
            "total_orders": orders.count(),
            "total_lines": Line.objects.filter(order__in=orders).count(),
            "total_revenue_cents": orders_net_charged_cents(orders.order_by()),
            "payment_states": orders_payment_states_count(orders),
        }


__all__ = ["OrderDetailView", "OrderListView", "OrderStatsView"]
