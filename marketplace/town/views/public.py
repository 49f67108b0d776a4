"""The town's public pages: its agenda and its own page (about, contact, collection points' hours)."""
from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from marketplace.town.selectors.content import events_visible, town_points_hours
from marketplace.town.services.content import town_page_get

AGENDA_SIZE = 100


@require_http_methods(["GET"])
def agenda(request):
    return render(request, "town/public/agenda.html", {"events": list(events_visible()[:AGENDA_SIZE])})


@require_http_methods(["GET"])
def town_page(request):
    from shops.selectors import shop_weekly_hours

    # A point's prefetched ``opening_periods`` read exactly like a shop's (same base model).
    points = [(point, shop_weekly_hours(shop=point)) for point in town_points_hours()]
    return render(request, "town/public/town_page.html", {"page": town_page_get(), "points": points})
