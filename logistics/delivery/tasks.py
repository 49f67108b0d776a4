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


@shared_task(name="delivery.rounds_plan_due")
def delivery_rounds_plan_due_task() -> int:
    """Plan the rounds of every window past its cut-off (once per window, safe to overlap)."""
    from logistics.delivery.services.rounds import windows_due_plan

    return sum(1 for outcome in windows_due_plan(now=timezone.now()) if outcome.planned)


@shared_task(name="delivery.window_rounds_plan")
def delivery_window_rounds_plan_task(window_id: int) -> bool:
    """The manager's « planifier maintenant » (the same service; a planned window is left alone)."""
    from logistics.delivery.services.rounds import window_rounds_plan

    return window_rounds_plan(window=window_id).planned
