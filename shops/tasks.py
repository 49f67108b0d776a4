"""Celery tasks of the merchant domain."""
from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def stock_import_apply_task(stock_import_id: int) -> str:
    """Apply a large CSV import (idempotent: an applied import is left as is)."""
    from shops.models import StockImport
    from shops.services import stock_import_apply

    return stock_import_apply(stock_import=StockImport.objects.get(pk=stock_import_id)).status
