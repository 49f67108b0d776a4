"""Oscar's order pages in the dashboard, with each order's money as it stands now.

Replaces ``oscar.apps.dashboard.orders`` (same label, so Oscar's dashboard mounts it):
Oscar shows an order's ``total_incl_tax`` and ``status``, both written once at checkout
(the amount authorised, « Carte autorisée »); here the list, the detail, the statistics
and the CSV show what the card was charged less what was refunded, and the payment's
state now (``marketplace.payments.selectors.orders_with_payment``).
"""
from __future__ import annotations

from oscar.apps.dashboard.orders.apps import OrdersDashboardConfig as OscarOrdersDashboardConfig


class OrdersDashboardConfig(OscarOrdersDashboardConfig):
    name = "marketplace.dashboard.orders"
    label = "orders_dashboard"

    def ready(self):
        super().ready()
        from marketplace.dashboard.orders import views

        self.order_list_view = views.OrderListView
        self.order_detail_view = views.OrderDetailView
        self.order_stats_view = views.OrderStatsView
