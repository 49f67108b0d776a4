from celery import shared_task
from django.utils import timezone

from marketplace.promotions.services.budget import budget_reservations_expire


@shared_task(name="promotions.reservations_expire")
def reservations_expire_task() -> int:
    """Beat, every minute: the budget held by baskets whose hold is over goes back (idempotent)."""
    return budget_reservations_expire(now=timezone.now())
