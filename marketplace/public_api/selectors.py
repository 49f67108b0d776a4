"""What the public API reads, as plain data, in a number of queries that does not grow
with the page: the storefront's own selectors (``shops_listed``, ``products_listed``,
``products_search``…) plus one query for the collection points.

Offers come from selling shops only (a suspended shop, or one on holiday, sells nothing);
availability is « in_stock » or « out_of_stock », never a number (no shop setting makes
stock numbers public).
"""
from __future__ import annotations

import datetime as dt
import html

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from logistics.models import CollectionPoint, PointClosure, PointKind
from logistics.selectors import pickup_places_listed
from marketplace.catalogue.models import Category, Product
from marketplace.catalogue.selectors import product_offer_url
from marketplace.core.models import Weekday
from marketplace.partner.strategy import shop_is_selling
from shops.html import html_sanitise
from shops.models import Shop
from shops.selectors import shop_closures_upcoming, shop_is_open


def _site(path: str) -> str:
    return settings.HALLE_SITE_URL.rstrip("/") + path


def _text(value: str) -> str:
    return " ".join(html.unescape(strip_tags(html_sanitise(html=value or ""))).split())


def _clock(value: dt.time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def _hours(periods) -> list[dict]:
    return [
        {"weekday": p.weekday, "day": str(Weekday(p.weekday).label), "opens": _clock(p.opens), "closes": _clock(p.closes)}
        for p in sorted(periods, key=lambda p: (p.weekday, p.opens))
    ]


def _closures(closures) -> list[dict]:
    return [{"starts_at": c.starts_at.isoformat(), "ends_at": c.ends_at.isoformat(), "reason": c.reason} for c in closures]


def _geo(obj) -> dict | None:
    if obj.latitude is None or obj.longitude is None:
        return None
    return {"latitude": float(obj.latitude), "longitude": float(obj.longitude)}


def shop_present(shop: Shop, *, at: dt.datetime, counters: dict, shared_points: list) -> dict:
    """A shop with its hours, closures to come and services (from ``shops_listed``'s prefetches)."""
    return {
        "slug": shop.slug,
        "name": shop.name,
        "trade": shop.trade,
        "trade_label": shop.get_trade_display(),
        "description": _text(shop.description),
        "address": {"street": shop.line1, "postcode": shop.postcode, "city": shop.city},
        "geo": _geo(shop),
        "phone": shop.phone,
        "email": shop.email,
        "url": _site(shop.get_absolute_url()),
        "selling": shop.is_selling,
        "open_now": shop_is_open(shop=shop, at=at),
        "preparation_minutes": shop.preparation_minutes,
        "hours": _hours(shop.opening_periods.all()),
        "closures": _closures(shop_closures_upcoming(shop=shop, at=at)),
        "services": {
            "pickup_in_shop": shop.pk in counters,
            "pickup_points": [point.pk for point in shared_points],
            "delivery": False,
        },
    }


def shops_present(shops: list[Shop], *, at: dt.datetime) -> list[dict]:
    counters, shared = pickup_places_listed(shop_ids=[shop.pk for shop in shops]) if shops else ({}, [])
    return [shop_present(shop, at=at, counters=counters, shared_points=shared) for shop in shops]


def points_listed(*, at: dt.datetime, kind: str | None = None) -> QuerySet[CollectionPoint]:
    """The town's shared collection points (town points, locker banks) shoppers may choose."""
    points = CollectionPoint.objects.filter(is_active=True).exclude(kind=PointKind.SHOP_COUNTER)
    if kind:
        points = points.filter(kind=kind)
    return points.prefetch_related("opening_periods", Prefetch(
        "closures", queryset=PointClosure.objects.filter(ends_at__gt=at).order_by("starts_at", "pk"),
        to_attr="upcoming_closures",
    )).order_by("kind", "name", "pk")


def point_present(point: CollectionPoint) -> dict:
    return {
        "id": point.pk,
        "kind": point.kind,
        "kind_label": point.get_kind_display(),
        "name": point.name,
        "address": point.address,
        "geo": _geo(point),
        "hours": _hours(point.opening_periods.all()),
        "closures": _closures(point.upcoming_closures),
    }


def categories_listed() -> QuerySet[Category]:
    """Public categories whose ancestors are public too, in tree order."""
    return Category.objects.filter(is_public=True, ancestors_are_public=True).order_by("path")


def category_tree() -> dict[str, tuple[int, str]]:
    """Every listed category's (id, slug) by its treebeard path (one query)."""
    return {path: (pk, slug) for path, pk, slug in categories_listed().values_list("path", "pk", "slug")}


def categories_present(categories: list[Category], *, tree: dict[str, tuple[int, str]]) -> list[dict]:
    """Categories with their parent and address, computed from ``tree`` (no query per category)."""
    step = Category.steplen
    result = []
    for c in categories:
        prefixes = [c.path[:end] for end in range(step, len(c.path) + 1, step)]
        full_slug = "/".join(tree[p][1] if p in tree else "" for p in prefixes[:-1]) + ("/" if len(prefixes) > 1 else "") + c.slug
        parent = tree.get(c.path[:-step]) if c.depth > 1 else None
        result.append({
            "id": c.pk,
            "name": c.name,
            "slug": c.slug,
            "parent": parent[0] if parent else None,
            "depth": c.depth,
            "url": _site(reverse("catalogue:category", kwargs={"category_slug": full_slug, "pk": c.pk})),
        })
    return result


def products_prefetch(products: QuerySet[Product]) -> QuerySet[Product]:
    """``products_listed``'s prefetches plus the product's public categories (one query)."""
    return products.prefetch_related(
        Prefetch("categories", queryset=categories_listed(), to_attr="public_categories")
    )


def _offer_present(product: Product, stockrecord, track_stock: bool) -> dict:
    shop = stockrecord.partner.shop
    available = (stockrecord.num_in_stock or 0) - (stockrecord.num_allocated or 0)
    in_stock = (not track_stock) or (stockrecord.num_in_stock is not None and available > 0)
    return {
        "shop": shop.slug,
        "shop_name": shop.name,
        "sku": stockrecord.partner_sku,
        "price": f"{stockrecord.price:.2f}",
        "currency": stockrecord.price_currency or "EUR",
        "availability": "in_stock" if in_stock else "out_of_stock",
        "url": _site(product_offer_url(product=product, shop=shop)),
    }


def product_present(product: Product) -> dict:
    """A product with every selling shop's offer, cheapest first (from the prefetches, no query)."""
    track_stock = product.get_product_class().track_stock
    offers = sorted(
        (sr for sr in product.stockrecords.all() if shop_is_selling(sr) and sr.price is not None),
        key=lambda sr: (sr.price, sr.pk),
    )
    images = list(product.images.all())
    return {
        "id": product.pk,
        "title": product.get_title(),
        "description": _text(product.description),
        "url": _site(product.get_absolute_url()),
        "image": _image_url(images[0]) if images else None,
        "categories": [c.pk for c in getattr(product, "public_categories", [])],
        "offers": [_offer_present(product, sr, track_stock) for sr in offers],
    }


def _image_url(image) -> str | None:
    if not image.original:
        return None
    url = image.original.url
    return url if url.startswith(("http://", "https://")) else _site(url)


def now() -> dt.datetime:
    return timezone.now()
