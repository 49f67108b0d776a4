"""The town-centre manager's statistics (``/gestion/statistiques/``, town staff only) and their
CSV exports: every figure read from the roll-up tables (a constant number of queries)."""
from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from marketplace.analytics.models import RollupState
from marketplace.analytics.periods import Period, PeriodForm, period_of, period_query
from marketplace.analytics.selectors.town import TownStatistics, town_statistics
from marketplace.core.manager import manager_view
from marketplace.payments.money import csv_response, csv_text, euros

WEEKDAY_SHORT = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
SHOPS_CHARTED = 15


def _following(period: Period) -> Period:
    if period.kind == "personnalisee":
        length = dt.timedelta(days=period.days)
        return Period(period.kind, period.first + length, period.last + length)
    return period_of(kind=period.kind, day=period.last + dt.timedelta(days=1))


def chart_data(stats: TownStatistics) -> dict:
    """What the charts draw (the same figures as the tables beside them), euros as numbers."""
    return {
        "series": {
            "labels": [f"{WEEKDAY_SHORT[row['day'].weekday()]} {row['day'].day}/{row['day'].month}" for row in stats.series],
            "net": [row["net_cents"] / 100 for row in stats.series],
            "orders": [row["orders"] for row in stats.series],
        },
        "shops": {
            "labels": [row.name for row in stats.shops[:SHOPS_CHARTED]],
            "net": [row.net_cents / 100 for row in stats.shops[:SHOPS_CHARTED]],
            "orders": [row.cur["orders"] for row in stats.shops[:SHOPS_CHARTED]],
        },
    }


@manager_view
@require_GET
def statistics(request):
    form = PeriodForm(request.GET or None)
    period = form.period()
    stats = town_statistics(period=period)
    state = RollupState.objects.filter(name="facts").values("updated_at", "rebuilt_at").first() or {}
    query = period_query(period)
    return render(request, "analytics/manager_statistics.html", {
        "form": form, "stats": stats, "period": period, "query": query,
        "previous_query": period_query(period.previous()), "next_query": period_query(_following(period)),
        "chart_data": chart_data(stats), "updated_at": state.get("updated_at"), "rebuilt_at": state.get("rebuilt_at"),
        "exports": [(reverse("analytics-manager:export", kwargs={"table": key}), title)
                    for key, (title, _header, _rows) in EXPORTS.items()],
    })


def _rate(value) -> str:
    return "" if value is None else f"{value}".replace(".", ",")


def _figure_rows(stats: TownStatistics):
    for figure in [*stats.headline, *stats.collect, *stats.money]:
        def cell(value, unit=figure.unit):
            if value is None:
                return ""
            return euros(value) if unit == "euros" else _rate(value) if unit == "percent" else str(value)
        yield [csv_text(figure.label), cell(figure.current), cell(figure.previous), _rate(figure.change)]


def _group_rows(groups):
    for row in groups:
        yield [csv_text(row.name), csv_text(row.trade), row.cur["orders"], euros(row.cur["captured_cents"]),
               euros(row.cur["refunded_cents"]), euros(row.net_cents),
               "" if row.average_basket_cents is None else euros(row.average_basket_cents), _rate(row.multi_shop_rate),
               row.cur["new_shopper_orders"], row.cur["no_shows"], euros(row.cur["commission_cents"]),
               euros(row.prev_net_cents), _rate(row.change)]


GROUP_HEADER = ["nom", "métier", "commandes", "encaissé TTC (€)", "remboursé (€)", "ventes nettes TTC (€)",
                "panier moyen TTC (€)", "part multi-commerces (%)", "commandes de nouveaux clients", "non retirées",
                "commission (€)", "ventes nettes période précédente (€)", "évolution (%)"]

EXPORTS = {
    "indicateurs": ("Chiffres clés", ["indicateur", "période", "période précédente", "évolution (% ou points)"],
                    _figure_rows),
    "jours": ("Ventes et commandes par jour", ["jour", "ventes nettes TTC (€)", "commandes"],
              lambda s: ([f"{r['day']:%d/%m/%Y}", euros(r["net_cents"]), r["orders"]] for r in s.series)),
    "commerces": ("Par commerce", GROUP_HEADER, lambda s: _group_rows(s.shops)),
    "metiers": ("Par métier", ["métier", *GROUP_HEADER[2:]],
                lambda s: ([row[0], *row[2:]] for row in _group_rows(s.trades))),
    "creneaux": ("Occupation des créneaux (jour × heure)", ["jour", "heure", "réservations", "capacité", "occupation (%)"],
                 lambda s: ([csv_text(r["weekday"]), f"{hour}h", c["booked"], c["capacity"], _rate(c["rate"])]
                            for r in s.heatmap["rows"] for hour, c in zip(s.heatmap["hours"], r["cells"]) if c["capacity"])),
    "points": ("Occupation par point de retrait", ["point", "type", "réservations", "capacité", "occupation (%)"],
               lambda s: ([csv_text(p["name"]), csv_text(p["kind"]), p["booked"], p["capacity"], _rate(p["rate"])]
                          for p in s.points)),
}


@manager_view
@require_GET
def statistics_export(request, table: str):
    if table not in EXPORTS:
        raise Http404("Tableau inconnu.")
    form = PeriodForm(request.GET or None)
    if request.GET and not form.is_valid():
        errors = " ".join(e for errors in form.errors.values() for e in errors)
        return HttpResponseBadRequest(f"Période invalide : {errors}", content_type="text/plain; charset=utf-8")
    period = form.period()
    stats = town_statistics(period=period)
    _title, header, rows = EXPORTS[table]
    return csv_response(f"statistiques-{table}-{period.first:%Y%m%d}-{period.last:%Y%m%d}.csv", header, rows(stats))
