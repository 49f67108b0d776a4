"""Celery tasks of delivery (thin: the work is in ``logistics.delivery.services``)."""
from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from logistics.delivery.services.bookings import deliveries_expire
from logistics.delivery.services.windows import windows_generate


@shared_task(name="delivery.holds_expire")
def delivery_holds_expire_task() -> int:
    """Release the delivery windows held past their time (idempotent, safe to overlap)."""
    return deliveries_expire(now=timezone.now())


@shared_task(name="delivery.windows_generate")
def delivery_windows_generate_task() -> dict:
    """Keep ``HALLE_SLOT_DAYS_AHEAD`` days of delivery windows generated from the templates (idempotent)."""
    report = windows_generate(start_date=timezone.localdate(), days=settings.HALLE_SLOT_DAYS_AHEAD)
    return {"created": report.created, "removed": report.removed, "kept": report.kept}
