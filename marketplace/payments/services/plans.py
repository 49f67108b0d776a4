"""Commission plans (writes): create a plan, move a shop to another plan from a date,
apply the changes that are due (beat).

A rate always applies to orders paid from then on: each ``PaymentPart`` keeps the rate
of its checkout, so neither editing a plan nor changing a shop's plan touches orders
already paid.
"""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from shops.models import Shop

from ..models import CommissionPlan, ShopPaymentAccount, ShopPlanChange


def commission_plan_create(*, name: str, rate) -> CommissionPlan:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Donnez un nom au plan."})
    if rate is None or not 0 <= rate <= 100:
        raise ValidationError({"rate": "Le taux doit être compris entre 0 et 100 %."})
    code = slugify(name)[:32] or "plan"
    plan = CommissionPlan(code=code, name=name[:80], rate=rate)
    plan.full_clean(exclude=["code"])
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise ValidationError({"name": "Un plan porte déjà ce nom."}) from None
    return plan


def shop_plan_change_schedule(*, shop: Shop, plan: CommissionPlan | None, effective_from: dt.datetime, by=None,
                              now: dt.datetime | None = None) -> ShopPlanChange:
    """Move ``shop`` to ``plan`` from ``effective_from`` (now or later; never in the past).

    A change from now is applied at once; a later one waits for its date. A change
    already planned for the shop and not applied is replaced (one pending change at a time).
    """
    from .accounts import shop_payment_account_ensure

    now = now or timezone.now()
    if effective_from < now - dt.timedelta(minutes=1):
        raise ValidationError({"effective_from": "La date de changement ne peut pas être passée."})
    with transaction.atomic():
        account = shop_payment_account_ensure(shop=shop)
        account = ShopPaymentAccount.objects.select_for_update().get(pk=account.pk)
        ShopPlanChange.objects.filter(shop=shop, applied_at__isnull=True, cancelled_at__isnull=True).update(cancelled_at=now)
        change = ShopPlanChange.objects.create(
            shop=shop, plan=plan, effective_from=max(effective_from, now),
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        if change.effective_from <= now:
            account.plan = plan
            account.save(update_fields=["plan", "updated_at"])
            change.applied_at = now
            change.save(update_fields=["applied_at"])
    return change


def shop_plan_change_cancel(*, change: ShopPlanChange, now: dt.datetime | None = None) -> bool:
    """Cancel a change not applied yet; ``False`` if it was applied (or cancelled) meanwhile."""
    now = now or timezone.now()
    return bool(ShopPlanChange.objects.filter(pk=change.pk, applied_at__isnull=True, cancelled_at__isnull=True,
                                              effective_from__gt=now).update(cancelled_at=now))


def plan_changes_apply(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Write the due changes onto the shops' accounts (beat; overlapping runs share the work)."""
    from .accounts import shop_payment_account_ensure

    now = now or timezone.now()
    applied = 0
    with transaction.atomic():
        due = list(
            ShopPlanChange.objects.select_for_update(skip_locked=True)
            .filter(applied_at__isnull=True, cancelled_at__isnull=True, effective_from__lte=now)
            .select_related("shop").order_by("effective_from", "pk")[:limit]
        )
        for change in due:
            account = shop_payment_account_ensure(shop=change.shop)
            ShopPaymentAccount.objects.filter(pk=account.pk).update(plan=change.plan, updated_at=now)
            change.applied_at = now
            change.save(update_fields=["applied_at"])
            applied += 1
    return applied
