"""Which shop is on which commission plan, and what is planned (reads, a fixed number of queries)."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from marketplace.payments.models import CommissionPlan, ShopPlanChange
from marketplace.payments.selectors import commission_plan_default
from shops.models import Shop


@dataclass(frozen=True)
class ShopPlanRow:
    shop: Shop
    plan: CommissionPlan
    is_default: bool
    upcoming: list[ShopPlanChange]


def shops_plans_listed() -> tuple[list[CommissionPlan], list[ShopPlanRow]]:
    """The plans (with how many shops each has now) and every shop's plan now and to come."""
    now = timezone.now()
    default = commission_plan_default()
    plans = list(CommissionPlan.objects.order_by("rate", "code"))
    shops = Shop.objects.select_related("payment_account__plan").prefetch_related(
        Prefetch("plan_changes", to_attr="pending_changes", queryset=ShopPlanChange.objects.filter(
            applied_at__isnull=True, cancelled_at__isnull=True).select_related("plan").order_by("effective_from", "pk"))
    ).order_by("name", "pk")
    rows = []
    for shop in shops:
        account = getattr(shop, "payment_account", None)
        plan = account.plan if account is not None and account.plan_id else None
        due = [c for c in shop.pending_changes if c.effective_from <= now]
        if due:
            plan = due[-1].plan
        rows.append(ShopPlanRow(shop=shop, plan=plan or default, is_default=plan is None,
                                upcoming=[c for c in shop.pending_changes if c.effective_from > now]))
    counts: dict[int, int] = {}
    for row in rows:
        counts[row.plan.pk] = counts.get(row.plan.pk, 0) + 1
    for plan in plans:
        plan.shop_count = counts.get(plan.pk, 0)
    return plans, rows
