"""Oscar's dashboard is the town-centre manager's: staff users only.

Oscar lets partner users with ``partner.dashboard_access`` into its order
pages, where an order shared by several shops shows every shop's lines
(django-oscar #2240). Merchants have their own back-office; here any signed-in
user who is not staff gets a 403 on every dashboard page, whatever permissions
they were given. Anonymous users go on to Oscar's own login redirect.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied

OPEN_PAGES = {"login", "logout"}


class DashboardStaffOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or "dashboard" not in match.namespaces or match.url_name in OPEN_PAGES:
            return None
        user = request.user
        if user.is_authenticated and not user.is_staff:
            raise PermissionDenied("Le tableau de bord est réservé au centre-ville.")
        return None
