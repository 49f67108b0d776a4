"""Merchants' "take the goods back" tasks, left by the no-show expiry."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from logistics.pickup.exceptions import PickupError
from logistics.pickup.models import ReturnTask
from shops.models import Shop


def return_task_done(*, shop: Shop, user, task_id) -> ReturnTask:
    """The merchant took the goods back (only its own tasks; done twice is harmless)."""
    try:
        task_id = int(task_id)
    except (TypeError, ValueError):
        raise PickupError("Tâche introuvable.") from None
    with transaction.atomic():
        task = ReturnTask.objects.select_for_update().select_related("order").filter(pk=task_id, shop=shop).first()
        if task is None:
            raise PickupError("Tâche introuvable.")
        if task.done_at is None:
            task.done_at = timezone.now()
            task.done_by = user
            task.save(update_fields=["done_at", "done_by"])
    return task
