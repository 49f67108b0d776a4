"""The only module that takes row locks on promotion rows.

Call inside ``transaction.atomic()``. Promotion rows come sixth and a half in the project's
one lock order (``marketplace.order.locks``): after the stock (4), the logistics rows (5)
and the capped shops (6), before the payment rows (7). The checkout takes them last of
its holds (stock → slots → budget), placement after the slot bookings and the shops'
caps, the order workflow after its order and parts and before its payment. Among them:

    1. ``BudgetReservation`` (a basket's own held ones; expired ones with SKIP LOCKED)
    2. ``CampaignBudget``    by id
    3. ``CampaignOrderSpend`` of one order (after its order's lock, so never contended)
    4. ``VoucherQuota``      by id

A budget's ``reserved_cents + spent_cents <= budget_cents`` is then a locked
read-modify-write, backed by the CheckConstraint ``promotions_budget_never_overspent``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .models import (
    BudgetReservation,
    CampaignBudget,
    CampaignOrderSpend,
    ReservationStatus,
    VoucherQuota,
)


def reservations_of_basket_lock(*, basket_id: int) -> list[BudgetReservation]:
    return list(BudgetReservation.objects.select_for_update(of=("self",))
                .filter(basket_id=basket_id, status=ReservationStatus.HELD).order_by("pk"))


def reservations_expired_lock(*, now: dt.datetime, limit: int) -> list[BudgetReservation]:
    """Expired held reservations nobody else is locking (two expiry runs share the work)."""
    return list(BudgetReservation.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=ReservationStatus.HELD, expires_at__lte=now).order_by("pk")[:limit])


def budgets_lock(*, budget_ids: Iterable[int]) -> dict[int, CampaignBudget]:
    ids = sorted(set(budget_ids))
    if not ids:
        return {}
    rows = CampaignBudget.objects.select_for_update(of=("self",)).select_related("campaign__offer")
    return {budget.pk: budget for budget in rows.filter(pk__in=ids).order_by("pk")}


def order_spends_lock(*, order_id: int) -> list[CampaignOrderSpend]:
    return list(CampaignOrderSpend.objects.select_for_update(of=("self",)).filter(order_id=order_id).order_by("pk"))


def voucher_quotas_lock(*, voucher_ids: Iterable[int]) -> dict[int, VoucherQuota]:
    """Quotas by voucher id, locked in id order."""
    ids = sorted(set(voucher_ids))
    if not ids:
        return {}
    rows = VoucherQuota.objects.select_for_update(of=("self",)).filter(voucher_id__in=ids).order_by("pk")
    return {quota.voucher_id: quota for quota in rows}
