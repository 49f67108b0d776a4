"""The town-centre manager's pickup page (staff only): the shop parts that are late, i.e.
whose slot has started while they are not dropped at the point (or not ready at the shop)."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from marketplace.core.manager import manager_view
from logistics.pickup.selectors import shop_orders_late

LATE_PER_PAGE = 100


@manager_view
@require_http_methods(["GET"])
def late(request):
    now = timezone.now()
    page = Paginator(shop_orders_late(now=now), LATE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "pickup/manager_late.html", {"page": page, "parts": page.object_list, "now": now})
