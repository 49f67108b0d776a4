"""Read-side queries about shops."""
from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from shops.models import Closure, OpeningPeriod, Shop, ShopStatus


def shops_for_user(*, user) -> QuerySet[Shop]:
    """Shops whose staff ``user`` is (through ``Partner.users``); none for anonymous."""
    if not user.is_authenticated:
        return Shop.objects.none()
    return Shop.objects.filter(partner__users=user)


def shops_listed(*, at: dt.datetime | None = None) -> QuerySet[Shop]:
    """Shops shown to shoppers, with what ``shop_is_open`` needs already fetched."""
    at = at or timezone.now()
    return (
        Shop.objects.filter(status=ShopStatus.ACTIVE)
        .select_related("partner")
        .prefetch_related(
            "opening_periods",
            Prefetch("closures", queryset=Closure.objects.filter(ends_at__gt=at), to_attr="upcoming_closures"),
        )
    )


def shop_is_open(*, shop: Shop, at: dt.datetime | None = None) -> bool:
    """Whether ``shop`` is open at ``at`` (local time), honouring closures."""
    at = timezone.localtime(at or timezone.now())
    closures = getattr(shop, "upcoming_closures", None)
    if closures is None:
        closures = shop.closures.filter(ends_at__gt=at)
    if any(c.starts_at <= at < c.ends_at for c in closures):
        return False
    periods: list[OpeningPeriod] = list(shop.opening_periods.all())
    return any(period.contains(at) for period in periods)
