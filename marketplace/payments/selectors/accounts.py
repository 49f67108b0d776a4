"""Reads about shops and the town: can a shop be paid, which commission plan applies when."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import (
    F,
    FilteredRelation,
    Q,
    QuerySet,
)
from django.utils import timezone

from marketplace.payments.models import (
    STANDARD_PLANS,
    CommissionPlan,
    ShopPaymentAccount,
    ShopPlanChange,
)
from shops.models import Shop

USABLE = Q(payment_account__details_submitted=True, payment_account__transfers_active=True) & ~Q(
    payment_account__stripe_account_id=""
)


def shop_can_receive_payments(*, shop: Shop) -> bool:
    """Whether the shop has a Stripe account that accepts transfers: without one it cannot sell."""
    return Shop.objects.filter(USABLE, pk=shop.pk).exists()


def shops_unable_to_receive_payments(*, shop_ids: Iterable[int]) -> list[Shop]:
    """Those of ``shop_ids`` that cannot be paid (one query, whatever their number)."""
    ids = set(shop_ids)
    if not ids:
        return []
    return list(Shop.objects.filter(pk__in=ids).exclude(USABLE).order_by("name"))


def shops_without_usable_account() -> QuerySet[Shop]:
    return Shop.objects.exclude(USABLE).select_related("payment_account").order_by("name")


def commission_plan_default() -> CommissionPlan:
    """The plan of shops without one; the town's two plans are recreated if they went missing."""
    plan = CommissionPlan.objects.filter(is_default=True).first()
    if plan is None:
        for code, name, rate, is_default in STANDARD_PLANS:
            CommissionPlan.objects.get_or_create(code=code, defaults={"name": name, "rate": rate,
                                                                      "is_default": is_default})
        plan = CommissionPlan.objects.filter(is_default=True).first() or CommissionPlan.objects.get(code="collectif")
    return plan


def commission_plans_for(*, shop_ids: Iterable[int], at: dt.datetime | None = None) -> dict[int, CommissionPlan]:
    """Each shop's plan at ``at`` (now by default): a change due and not yet written onto the
    account by beat first, else its own plan, else the default."""
    ids = set(shop_ids)
    # One query: the default plan and the plans these shops chose (each with the shop, via its account).
    rows = (
        CommissionPlan.objects.annotate(chosen=FilteredRelation("accounts", condition=Q(accounts__shop_id__in=ids)))
        .filter(Q(is_default=True) | Q(chosen__isnull=False))
        .annotate(chosen_by=F("chosen__shop_id"))
    )
    default, chosen = None, {}
    for plan in rows:
        if plan.is_default:
            default = plan
        if plan.chosen_by is not None:
            chosen[plan.chosen_by] = plan
    if default is None:
        default = commission_plan_default()  # recreates the town's plans if they went missing
    plans = {shop_id: chosen.get(shop_id, default) for shop_id in ids}
    due = (
        ShopPlanChange.objects.filter(shop_id__in=ids, applied_at__isnull=True, cancelled_at__isnull=True,
                                      effective_from__lte=at or timezone.now())
        .select_related("plan").order_by("shop_id", "effective_from", "pk")
    )
    for change in due:  # the latest due change of each shop wins
        plans[change.shop_id] = change.plan or default
    return plans


def shop_plan_changes_upcoming(*, shop: Shop) -> list[ShopPlanChange]:
    """Changes planned for ``shop`` and not applied yet, soonest first."""
    return list(ShopPlanChange.objects.filter(shop=shop, applied_at__isnull=True, cancelled_at__isnull=True)
                .select_related("plan").order_by("effective_from", "pk"))


def shop_payment_account_get(*, shop: Shop) -> ShopPaymentAccount | None:
    return ShopPaymentAccount.objects.filter(shop=shop).select_related("plan").first()
