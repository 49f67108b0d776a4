"""Write-side use cases of the merchant domain."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils.text import slugify

from marketplace.partner.models import Partner
from shops.models import OpeningPeriod, Shop


def shop_create(
    *,
    name: str,
    trade: str,
    line1: str,
    postcode: str,
    city: str,
    code: str | None = None,
    **fields,
) -> Shop:
    """Create a shop and the Oscar ``Partner`` that carries its stock and staff."""
    with transaction.atomic():
        partner = Partner.objects.create(name=name, code=code or slugify(name)[:128])
        shop = Shop(
            partner=partner,
            name=name,
            slug=fields.pop("slug", None) or partner.code,
            trade=trade,
            line1=line1,
            postcode=postcode,
            city=city,
            **fields,
        )
        shop.full_clean()
        shop.save()
    return shop


def shop_staff_add(*, shop: Shop, user) -> None:
    """Make ``user`` staff of ``shop``: a partner user with dashboard access."""
    shop.partner.users.add(user)
    user.user_permissions.add(
        Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")
    )


def shop_opening_hours_set(
    *, shop: Shop, periods: Iterable[tuple[int, dt.time, dt.time]]
) -> list[OpeningPeriod]:
    """Replace the weekly opening hours of ``shop`` with ``periods`` (all or nothing)."""
    new = [OpeningPeriod(shop=shop, weekday=day, opens=opens, closes=closes) for day, opens, closes in periods]
    for period in new:
        period.full_clean(exclude=["shop"])
    with transaction.atomic():
        shop.opening_periods.all().delete()
        return OpeningPeriod.objects.bulk_create(new)
