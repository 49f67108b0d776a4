"""Celery tasks of the analytics domain: thin wrappers over the services (idempotent)."""
from __future__ import annotations

from celery import shared_task


@shared_task(name="analytics.rollups_update")
def rollups_update_task() -> int:
    """Rewrite the days whose raw rows changed since the last run (beat, every 5 minutes)."""
    from marketplace.analytics.services.rollups import rollups_update

    return rollups_update().days


@shared_task(name="analytics.rollups_rebuild")
def rollups_rebuild_task() -> int:
    """Rewrite every day from the raw rows (nightly)."""
    from marketplace.analytics.services.rollups import rollups_rebuild

    return rollups_rebuild().days


@shared_task(name="analytics.opendata_publish")
def opendata_publish_task() -> list[str]:
    """Regenerate the open datasets (nightly, after the rebuild)."""
    from marketplace.analytics.opendata.publish import opendata_publish

    return [dataset.slug for dataset in opendata_publish()]


@shared_task(name="analytics.footfall_import_run", acks_late=True)
def footfall_import_run_task(footfall_import_id: int) -> str:
    """Check and load one footfall file (idempotent: a finished import is left as it is)."""
    from marketplace.analytics.footfall.services import footfall_import_run

    return footfall_import_run(footfall_import_id=footfall_import_id).status
