"""Celery tasks of the town app (thin: the work is in ``services``)."""
from __future__ import annotations

from celery import shared_task


@shared_task(name="town.newsletter_deliver", acks_late=True, task_reject_on_worker_lost=True)
def newsletter_deliver_task(newsletter_id: int) -> int:
    """Owe a sent letter to each subscriber (idempotent: once per recipient, safe to redeliver)."""
    from marketplace.town.services.newsletter import newsletter_deliver

    return newsletter_deliver(newsletter_id=newsletter_id)
