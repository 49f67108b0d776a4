"""Celery beat tasks of pickup (thin: the work is in ``services``)."""
from __future__ import annotations

from celery import shared_task

from logistics.pickup.services.lateness import drops_watch
from logistics.pickup.services.no_shows import no_shows_expire, reminders_send


@shared_task(name="pickup.reminders_send")
def reminders_send_task() -> dict:
    """Reminders before the slot and the day after a missed one (idempotent, safe to overlap)."""
    return reminders_send()


@shared_task(name="pickup.no_shows_expire")
def no_shows_expire_task() -> int:
    """Expire orders not collected in time (idempotent, safe to overlap)."""
    return no_shows_expire()


@shared_task(name="pickup.drops_watch")
def drops_watch_task() -> dict:
    """Merchants' drop reminders before the slot, shoppers' delay e-mails after its start
    (idempotent, safe to overlap)."""
    return drops_watch()
