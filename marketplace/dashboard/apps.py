"""Oscar's dashboard home, where the town-centre manager reads the day's orders and revenue.

Replaces ``oscar.apps.dashboard`` (same label, so every dashboard URL stays where it
is) only to swap the home page's view: Oscar sums what orders were placed for
(``Order.total_incl_tax``, the amount the card was authorised for at checkout);
Halle's revenue is what was charged less what was refunded (``views.IndexView``).
"""
from __future__ import annotations

from oscar.apps.dashboard.apps import DashboardConfig as OscarDashboardConfig


class DashboardConfig(OscarDashboardConfig):
    name = "marketplace.dashboard"
    label = "dashboard"

    def ready(self):
        super().ready()
        from marketplace.dashboard import views

        self.index_view = views.IndexView
