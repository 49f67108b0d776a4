"""Read-side queries of the product page: a fixed number of queries whatever it shows."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from marketplace.catalogue.models import Option, Product, ProductAttributeValue, ProductImage
from marketplace.partner.models import StockRecord
from marketplace.partner.strategy import shop_is_selling
from shops.models import Closure, Shop


def product_page_queryset(*, at: dt.datetime | None = None) -> QuerySet[Product]:
    """Products with what their page shows: class, parent, pictures, attributes, and every
    offer with its shop, the shop's weekly hours and its closures not over at ``at``."""
    at = at or timezone.now()
    offers = StockRecord.objects.select_related("partner__shop").prefetch_related(
        "partner__shop__opening_periods",
        Prefetch(
            "partner__shop__closures",
            queryset=Closure.objects.filter(ends_at__gt=at).order_by("starts_at", "pk"),
            to_attr="upcoming_closures",
        ),
    )
    return Product.objects.select_related("product_class", "parent__product_class").prefetch_related(
        Prefetch("stockrecords", queryset=offers),
        Prefetch("images", queryset=ProductImage.objects.order_by("display_order", "pk")),
        Prefetch(
            "attribute_values",
            queryset=ProductAttributeValue.objects.select_related("attribute", "value_option"),
            to_attr="_prefetched_attribute_values",  # what Product.get_attribute_values reads
        ),
    ).annotate(
        # What Product.has_options reads instead of querying.
        has_product_class_options=Exists(Option.objects.filter(productclass=OuterRef("product_class"))),
        has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
    )


def product_variants_prefetch(*, product: Product) -> None:
    """For a parent product: its public children with their offers, as ``public_children``."""
    offers = StockRecord.objects.select_related("partner__shop")
    prefetch_related_objects(
        [product],
        Prefetch(
            "children",
            queryset=Product.objects.filter(is_public=True).prefetch_related(Prefetch("stockrecords", queryset=offers)),
            to_attr="public_children",
        ),
    )


#: The query parameter that keeps the shopper's choice of shop: ``?commerce=<shop slug>``.
OFFER_PARAM = "commerce"


def product_offer_url(*, product: Product, shop: Shop) -> str:
    """The address of ``product``'s page showing ``shop``'s offer (what a shared link keeps)."""
    return f"{product.get_absolute_url()}?{urlencode({OFFER_PARAM: shop.slug})}"


@dataclass(frozen=True)
class ProductOffer:
    """One shop's offer as the product page lists it."""

    stockrecord: StockRecord
    shop: Shop
    info: object  # the strategy's PurchaseInfo for this offer
    is_open: bool
    url: str  # the product page showing this offer (``?commerce=<shop slug>``)


def product_offers_listed(*, product: Product, strategy, at: dt.datetime | None = None) -> list[ProductOffer]:
    """Every selling shop's priced offer of ``product``, cheapest first (no query when
    the product comes from ``product_page_queryset``)."""
    from shops.selectors import shop_is_open

    at = at or timezone.now()
    offers = []
    for stockrecord in product.stockrecords.all():
        if not shop_is_selling(stockrecord) or stockrecord.price is None:
            continue
        shop = stockrecord.partner.shop
        offers.append(
            ProductOffer(
                stockrecord=stockrecord,
                shop=shop,
                info=strategy.fetch_for_product(product, stockrecord=stockrecord),
                is_open=shop_is_open(shop=shop, at=at),
                url=product_offer_url(product=product, shop=shop),
            )
        )
    return sorted(offers, key=lambda offer: (offer.stockrecord.price, offer.stockrecord.pk))


def product_offer_chosen(*, offers: list[ProductOffer], shop_slug: str | None, default_stockrecord) -> ProductOffer | None:
    """The offer the product page shows in its headline, adds to the basket and describes
    to search engines: the shop the shopper picked (``?commerce=<shop slug>``, so a link keeps
    the choice) when it is among ``offers``, else the strategy's choice (``default_stockrecord``:
    the cheapest in stock). None when nothing is offered."""
    if shop_slug:
        for offer in offers:
            if offer.shop.slug == shop_slug:
                return offer
    for offer in offers:
        if default_stockrecord is not None and offer.stockrecord.pk == default_stockrecord.pk:
            return offer
    return offers[0] if offers else None


def product_page_signature(*, pk: int, at: dt.datetime | None = None) -> str | None:
    """A digest of every row the page of product ``pk`` shows (one call, see migration
    catalogue 0035), or None when there is no such product or no PostgreSQL."""
    from marketplace.core.page_cache import database_signature

    return database_signature("halle_product_page_signature", int(pk), at or timezone.now())
