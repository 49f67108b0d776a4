"""The manager's footfall page (``/gestion/statistiques/frequentation/``, town staff only):
passers-by per street and hour beside the online orders of that street's shops, the
counting sites, and the upload of counting files (imported by Celery, with progress)."""
from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from marketplace.analytics.calendar import today
from marketplace.analytics.footfall.services import (
    FootfallRefused,
    counting_site_create,
    footfall_import_create,
    footfall_import_progress,
)
from marketplace.analytics.models import CountingSite, FootfallImport, FootfallImportStatus
from marketplace.analytics.periods import PeriodForm, period_of, period_query
from marketplace.analytics.selectors.footfall import footfall_by_street
from marketplace.core.manager import manager_view


class UploadForm(forms.Form):
    fichier = forms.FileField(label="Fichier de comptages (CSV)", error_messages={
        "required": "Choisissez un fichier CSV de comptages.", "empty": "Le fichier est vide."})


class SiteForm(forms.Form):
    code = forms.CharField(label="Identifiant du site (site_id)", max_length=64)
    name = forms.CharField(label="Nom", max_length=128)
    street = forms.CharField(label="Rue", max_length=128)
    latitude = forms.DecimalField(label="Latitude", max_digits=9, decimal_places=6, min_value=-90, max_value=90,
                                  localize=True)
    longitude = forms.DecimalField(label="Longitude", max_digits=9, decimal_places=6, min_value=-180, max_value=180,
                                   localize=True)


@manager_view
@require_http_methods(["GET", "POST"])
def footfall(request):
    upload, site_form = UploadForm(), SiteForm(prefix="site")
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "import":
        upload = UploadForm(request.POST, request.FILES)
        if upload.is_valid():
            try:
                with transaction.atomic():
                    footfall_import = footfall_import_create(
                        file=upload.cleaned_data["fichier"], file_name=upload.cleaned_data["fichier"].name,
                        user=request.user)
            except FootfallRefused as error:
                upload.add_error("fichier", str(error))
            else:
                return redirect("footfall-manager:import", import_pk=footfall_import.pk)
    elif action == "site":
        site_form = SiteForm(request.POST, prefix="site")
        if site_form.is_valid():
            try:
                site = counting_site_create(**site_form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    site_form.add_error(field if field in site_form.fields else None, errors)
            else:
                messages.success(request, f"Site de comptage « {site.name} » ajouté.")
                return redirect("footfall-manager:footfall")
    form = PeriodForm(request.GET or None)
    # Counts come after the fact (a town imports them weekly): last week unless asked.
    period = form.period() if request.GET else period_of(kind="semaine", day=today() - dt.timedelta(days=7))
    streets = footfall_by_street(period=period)
    chart = {f"street{i}": {"labels": [f"{r['hour']}h" for r in s["hours"]],
                            "passers": [float(r["passers"]) for r in s["hours"]],
                            "orders": [r["orders"] for r in s["hours"]]} for i, s in enumerate(streets)}
    return render(request, "analytics/manager_footfall.html", {
        "form": form, "period": period, "streets": streets, "chart_data": chart, "upload": upload,
        "site_form": site_form, "sites": CountingSite.objects.all(), "imports": FootfallImport.objects.all()[:20],
        "previous_query": period_query(period.previous()),
    }, status=400 if (upload.errors or site_form.errors) else 200)


@manager_view
@require_GET
def import_detail(request, import_pk: int):
    footfall_import = get_object_or_404(FootfallImport, pk=import_pk)
    running = footfall_import.status in (FootfallImportStatus.PENDING, FootfallImportStatus.RUNNING)
    return render(request, "analytics/footfall_import.html", {
        "footfall_import": footfall_import, "running": running,
        "progress": footfall_import_progress(footfall_import=footfall_import) if running else None,
    })
