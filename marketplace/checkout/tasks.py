"""Celery tasks of the checkout (thin: the stock holds are ``shops.stock``'s)."""
from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from shops.stock import stock_holds_expire


@shared_task(name="checkout.stock_holds_expire")
def stock_holds_expire_task() -> int:
    """Give back the units of stock holds whose time is up (idempotent, safe to overlap)."""
    return stock_holds_expire(now=timezone.now())
