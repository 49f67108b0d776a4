"""Read-side queries for product listings: a fixed number of queries per page."""
from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from marketplace.catalogue.models import Product, ProductImage
from marketplace.partner.models import StockRecord
from shops.models import ShopStatus


def _selling_offers() -> QuerySet[StockRecord]:
    return StockRecord.objects.filter(
        partner__shop__status=ShopStatus.ACTIVE, partner__shop__vacation_mode=False
    )


def products_listed() -> QuerySet[Product]:
    """Public products that at least one selling shop offers, ready to render in a list.

    Everything the product card needs (class for VAT, offers with their shop,
    images) is fetched in a constant number of queries, whatever the page size.
    """
    offers = _selling_offers().filter(product=OuterRef("pk"))
    return (
        Product.objects.filter(is_public=True, structure__in=["standalone", "parent"])
        .filter(Exists(offers))
        .select_related("product_class")
        .prefetch_related(
            Prefetch("stockrecords", queryset=StockRecord.objects.select_related("partner__shop")),
            Prefetch("images", queryset=ProductImage.objects.order_by("display_order", "pk")),
        )
        .order_by("-date_created", "-pk")
    )


def products_in_categories(*, categories) -> QuerySet[Product]:
    return products_listed().filter(categories__in=categories).distinct()


def products_matching(*, query: str) -> QuerySet[Product]:
    """Products whose title or description contains every word of ``query``."""
    qs = products_listed()
    for word in query.split():
        qs = qs.filter(title__icontains=word)
    return qs
