"""What the home page shows of the town's life: events, promotions, featured products."""
from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from oscar.core.loading import get_model

from marketplace.town.models import TownEvent, TownPage

# The Oscar range (dashboard → Gammes) whose products the home page puts first.
FEATURED_RANGE_SLUG = "a-la-une"


def events_visible(*, at: dt.datetime | None = None) -> QuerySet[TownEvent]:
    """Events shoppers see at ``at``: published, visible from ``publish_at`` (if set), not over."""
    at = at or timezone.now()
    return TownEvent.objects.filter(
        Q(publish_at__isnull=True) | Q(publish_at__lte=at), is_published=True, ends_at__gt=at
    ).order_by("starts_at", "pk")


def events_upcoming(*, at: dt.datetime | None = None, limit: int = 4) -> list[TownEvent]:
    """The first ``limit`` of ``events_visible``, soonest first (the home page)."""
    return list(events_visible(at=at)[:limit])


def events_for_manager() -> QuerySet[TownEvent]:
    """Every event, the ones not over first (soonest first), then the past ones (latest first)."""
    return TownEvent.objects.order_by("-ends_at", "-pk")


def featured_products_listed() -> list:
    """The products of the « À la une » range, in the range's order."""
    RangeProduct = get_model("offer", "RangeProduct")
    return [rp.product for rp in RangeProduct.objects.filter(range__slug=FEATURED_RANGE_SLUG)
            .select_related("product").order_by("display_order", "pk")]


def featured_shops_listed() -> list:
    from marketplace.town.models import FeaturedShop

    return [f.shop for f in FeaturedShop.objects.select_related("shop").order_by("position", "pk")]


def town_points_hours() -> list:
    """The town's shared collection points (the town point, locker banks) with their week's hours
    and their closures to come, for the town's page (three queries)."""
    from django.db.models import Prefetch

    from logistics.models import CollectionPoint, PointClosure, PointKind

    now = timezone.now()
    return list(
        CollectionPoint.objects.filter(is_active=True).exclude(kind=PointKind.SHOP_COUNTER)
        .prefetch_related("opening_periods", Prefetch(
            "closures", queryset=PointClosure.objects.filter(ends_at__gt=now).order_by("starts_at"), to_attr="upcoming_closures"))
        .order_by("kind", "name")
    )


def promotions_current(*, limit: int = 4) -> list:
    """The town-wide offers running now (Oscar site offers), as shoppers see them."""
    ConditionalOffer = get_model("offer", "ConditionalOffer")
    return list(
        ConditionalOffer.active.filter(offer_type=ConditionalOffer.SITE)
        .order_by("-priority", "pk")
        .only("pk", "name", "slug", "description", "end_datetime")[:limit]
    )


def products_featured(*, limit: int = 8) -> QuerySet:
    """The products of the « À la une » range first, then the newest, ``limit`` in all (one query
    plus the card prefetches, whatever the range holds). Only products a shopper can buy now:
    a selling shop has some in stock (the front page never shows « Indisponible »)."""
    from marketplace.partner.models import StockRecord
    from marketplace.search.selectors import products_listed
    from shops.models import ShopStatus

    in_range = get_model("offer", "RangeProduct").objects.filter(range__slug=FEATURED_RANGE_SLUG, product=OuterRef("pk"))
    buyable = StockRecord.objects.filter(
        Q(product__product_class__track_stock=False) | Q(num_in_stock__gt=Coalesce(F("num_allocated"), Value(0))),
        product=OuterRef("pk"),
        partner__shop__status=ShopStatus.ACTIVE,
        partner__shop__vacation_mode=False,
        price__isnull=False,
    )
    return (
        products_listed()
        .filter(Exists(buyable))
        .annotate(featured=Exists(in_range))
        .order_by("-featured", "-date_created", "-pk")[:limit]
    )


def town_page_published():
    """The town's page (« Le centre-ville ») if the manager saved it, else None (no write)."""
    return TownPage.objects.filter(pk=TownPage.SINGLETON_PK).first()
