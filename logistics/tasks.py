"""Celery tasks of logistics (thin: the work is in ``logistics.services``)."""
from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from logistics.models import CollectionPoint
from logistics.services.holds import holds_expire
from logistics.services.slots import slots_generate


@shared_task(name="logistics.slots_generate")
def slots_generate_task() -> dict:
    """Generate the slots of every active point for the next ``HALLE_SLOT_DAYS_AHEAD`` days (idempotent)."""
    today = timezone.localdate()
    created = attention = 0
    for point in CollectionPoint.objects.filter(slot_templates__isnull=False).distinct().order_by("pk"):
        report = slots_generate(point=point, start_date=today, days=settings.HALLE_SLOT_DAYS_AHEAD)
        created += report.created
        attention += len(report.needs_attention)
    return {"created": created, "needs_attention": attention}


@shared_task(name="logistics.holds_expire")
def holds_expire_task() -> int:
    """Release the slot holds whose time is up (idempotent, safe to overlap)."""
    return holds_expire(now=timezone.now())
