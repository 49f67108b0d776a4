"""The town's open data (``/donnees-ouvertes/``): public, no login, stable addresses.

Every file is served as it was last generated (one query); the page lists each
dataset's size, columns and update date, and links the Data Package descriptor.
"""
from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from marketplace.analytics.models import OpenDataset
from marketplace.analytics.opendata.publish import LICENCE, datapackage

FORMATS = {
    "csv": ("csv", "text/csv; charset=utf-8"),
    "json": ("json", "application/json; charset=utf-8"),
    "geojson": ("geojson", "application/geo+json; charset=utf-8"),
}


@require_GET
def index(request):
    datasets = list(OpenDataset.objects.order_by("pk"))
    for dataset in datasets:
        dataset.size = len(dataset.csv.encode())
    return render(request, "analytics/opendata_index.html", {"datasets": datasets, "licence": LICENCE})


@require_GET
def descriptor(request):
    base = request.build_absolute_uri("/donnees-ouvertes/")
    response = JsonResponse(datapackage(datasets=list(OpenDataset.objects.order_by("pk")), base_url=base),
                            json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def download(request, slug: str, extension: str):
    if extension not in FORMATS:
        raise Http404("Format inconnu : csv, json ou geojson.")
    dataset = OpenDataset.objects.filter(slug=slug).first()
    attribute, content_type = FORMATS[extension]
    body = getattr(dataset, attribute, "") if dataset else ""
    if not body:
        raise Http404("Ce jeu de données n'existe pas dans ce format.")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{slug}.{extension}"'
    response["Last-Modified"] = http_date(dataset.generated_at.timestamp())
    response["Access-Control-Allow-Origin"] = "*"
    return response
