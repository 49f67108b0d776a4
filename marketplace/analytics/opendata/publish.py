"""Writing the open datasets (nightly) and their Data Package descriptor (writes)."""
from __future__ import annotations

import csv
import io
import json

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from marketplace.analytics.models import OpenDataset
from marketplace.analytics.opendata.datasets import (
    Built,
    activity_dataset,
    points_dataset,
    shops_dataset,
)

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
BUILDERS = (shops_dataset, points_dataset, activity_dataset)


def _csv(built: Built) -> str:
    out = io.StringIO()
    names = [f["name"] for f in built.fields]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in built.rows:
        writer.writerow(["" if row[n] is None else ("true" if row[n] is True else "false" if row[n] is False else row[n])
                         for n in names])
    return out.getvalue()


def opendata_publish(*, now=None) -> list[OpenDataset]:
    """Regenerate every dataset (idempotent: the same data give the same files)."""
    now = now or timezone.now()
    published = []
    with transaction.atomic():
        for build in BUILDERS:
            built = build()
            dataset, _created = OpenDataset.objects.update_or_create(slug=built.slug, defaults={
                "title": built.title, "description": built.description, "fields": built.fields,
                "primary_key": built.primary_key, "row_count": len(built.rows), "csv": _csv(built),
                "json": json.dumps(built.rows, ensure_ascii=False, indent=1),
                "geojson": json.dumps(built.geojson, ensure_ascii=False) if built.geojson else "",
                "generated_at": now, "cells_published": built.cells_published,
                "cells_suppressed": built.cells_suppressed,
            })
            published.append(dataset)
    return published


def datapackage(*, datasets: list[OpenDataset], base_url: str) -> dict:
    """The Frictionless Data Package descriptor of the datasets (Table Schema per resource)."""
    town = settings.HALLE_TOWN_NAME
    last = max((d.generated_at for d in datasets), default=None)
    descriptor = {
        "profile": "tabular-data-package",
        "name": f"halle-{slugify(town)}",
        "title": f"Commerces et activité en ligne du centre-ville de {town}",
        "description": "Données ouvertes de la place de marché du centre-ville : commerces, points de retrait, "
                       "activité hebdomadaire agrégée sous secret statistique. Aucune donnée personnelle.",
        "licenses": [LICENCE],
        "homepage": base_url,
        "created": last.isoformat() if last else None,
        "resources": [
            {
                "name": dataset.slug,
                "title": dataset.title,
                "description": dataset.description,
                "path": f"{dataset.slug}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "bytes": len(dataset.csv.encode()),
                "licenses": [LICENCE],
                "schema": {"fields": dataset.fields, **({"primaryKey": dataset.primary_key} if dataset.primary_key else {})},
            }
            for dataset in datasets
        ],
    }
    if descriptor["created"] is None:
        del descriptor["created"]
    return descriptor
