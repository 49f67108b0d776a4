"""Oscar's partners dashboard, where the town-centre manager runs the shops.

Replaces ``oscar.apps.dashboard.partners`` (same label, so Oscar's dashboard
mounts it): a partner is a shop here, so the list shows each shop's status,
creating one creates the ``Partner`` *and* its ``Shop`` and invites its owner,
a shop can be suspended or reactivated, and deleting a shop's partner is
refused (suspend it instead). Oscar's other partner views are kept.
"""
from __future__ import annotations

from django.urls import path
from oscar.apps.dashboard.partners.apps import PartnersDashboardConfig as OscarPartnersDashboardConfig


class PartnersDashboardConfig(OscarPartnersDashboardConfig):
    name = "shops.dashboard"
    label = "partners_dashboard"

    def ready(self):
        super().ready()
        from shops.dashboard import views

        self.list_view = views.ShopListView
        self.create_view = views.ShopCreateView
        self.delete_view = views.PartnerDeleteView
        self.shop_status_view = views.ShopStatusView
        self.permissions_map["shop-status"] = self.permissions_map["partner-manage"]

    def get_urls(self):
        urls = super().get_urls()
        urls.append(path("<int:pk>/statut/", self.shop_status_view.as_view(), name="shop-status"))
        return self.post_process_urls(urls)
