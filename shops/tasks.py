"""Celery tasks of the merchant domain."""
from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def stock_import_apply_task(stock_import_id: int) -> str:
    """Apply a large CSV import (idempotent: an applied import is left as is)."""
    from shops.models import StockImport
    from shops.services.stock_import import stock_import_apply

    return stock_import_apply(stock_import=StockImport.objects.get(pk=stock_import_id)).status


@shared_task(name="shops.api_idempotency_purge")
def api_idempotent_responses_purge_task() -> int:
    """Forget stored answers to ``Idempotency-Key`` requests older than a day."""
    from shops.api.idempotency import idempotent_responses_purge

    return idempotent_responses_purge()
