"""``/gestion/``: the manager's day at a glance."""
from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from marketplace.core.manager import manager_view
from marketplace.town.selectors.today import today_at_a_glance


@manager_view
@require_http_methods(["GET"])
def home(request):
    today = today_at_a_glance()
    return render(request, "town/home.html", {
        "today": today, "parcels_waiting": sum(point.parcels for point in today.waiting),
    })
