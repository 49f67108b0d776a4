"""What the home page shows of the town's life: events, promotions, featured products."""
from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from oscar.core.loading import get_model

from marketplace.town.models import TownEvent

# The Oscar range (dashboard → Gammes) whose products the home page puts first.
FEATURED_RANGE_SLUG = "a-la-une"


def events_upcoming(*, at: dt.datetime | None = None, limit: int = 4) -> list[TownEvent]:
    """Published events not over yet at ``at``, soonest first."""
    at = at or timezone.now()
    return list(TownEvent.objects.filter(is_published=True, ends_at__gt=at).order_by("starts_at", "pk")[:limit])


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
    plus the card prefetches, whatever the range holds)."""
    from marketplace.search.selectors import products_listed

    in_range = get_model("offer", "RangeProduct").objects.filter(range__slug=FEATURED_RANGE_SLUG, product=OuterRef("pk"))
    return (
        products_listed()
        .annotate(featured=Exists(in_range))
        .order_by("-featured", "-date_created", "-pk")[:limit]
    )
