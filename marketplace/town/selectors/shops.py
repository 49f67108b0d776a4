"""The manager's view of the shops: status, onboarding, plan, team (reads)."""
from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from shops.models import Shop, ShopStatus
from shops.onboarding import Checklist, shops_onboarding_listed


def shops_for_manager(*, query: str = "", status: str = "", onboarding_only: bool = False) -> list[Checklist]:
    """Every shop with its checklist, its plan, its team size and whether it lets the town
    act for it now; in one query whatever the number of shops."""
    from marketplace.town.models import AssistConsent

    now = timezone.now()
    shops: QuerySet[Shop] = Shop.objects.select_related("payment_account__plan").annotate(
        team_size=Count("partner__users", distinct=True),
        assist_open=Exists(AssistConsent.objects.filter(shop=OuterRef("pk"), revoked_at__isnull=True, expires_at__gt=now)),
    )
    query = (query or "").strip()[:100]
    if query:
        shops = shops.filter(Q(name__icontains=query) | Q(city__icontains=query))
    if status in ShopStatus.values:
        shops = shops.filter(status=status)
    checklists = shops_onboarding_listed(shops=shops)
    if onboarding_only:
        checklists = [c for c in checklists if not c.is_complete]
    return checklists


def shop_for_manager_get(*, shop_pk: int) -> Shop:
    """One shop with its partner and payment account; ``Shop.DoesNotExist`` otherwise."""
    return Shop.objects.select_related("partner", "payment_account__plan").get(pk=shop_pk)
