"""The merchant's figures in the back-office (``/espace-commercant/chiffres/``): its own sales,
orders, basket, top products, hours of orders, multi-shop share and no-shows, from the
roll-ups, for the shop the merchant works on (``request.shop``) and no other."""
from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from marketplace.analytics.periods import PeriodForm, period_query
from marketplace.analytics.selectors.shop import shop_statistics
from shops.backoffice.access import backoffice_view


@backoffice_view
@require_GET
def figures(request):
    form = PeriodForm(request.GET or None)
    period = form.period()
    stats = shop_statistics(shop=request.shop, period=period)
    chart = {"hours": {"labels": [f"{row['hour']}h" for row in stats.hours],
                       "orders": [row["orders"] for row in stats.hours]}}
    return render(request, "backoffice/figures.html", {
        "form": form, "stats": stats, "period": period, "chart_data": chart,
        "previous_query": period_query(period.previous()),
    })
