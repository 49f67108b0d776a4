"""The rows of the feeds: every offer a feed may list, in one query whatever the catalogue.

What a feed never lists: a product that is not public (or whose parent is not), a
suspended shop's offer, an offer without a price. A shop on holiday is listed as out
of stock (it is found, not bought). Stock numbers are never published: no shop setting
makes them public, so the feeds give availability only.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import CharField, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from marketplace.catalogue.models import ProductImage
from marketplace.partner.models import StockRecord
from shops.models import Shop, ShopStatus


@dataclass(frozen=True)
class FeedOffer:
    product_id: int
    product_slug: str
    title: str
    description: str
    upc: str
    image: str  # storage name of the first picture, "" when none
    sku: str
    price: Decimal
    currency: str
    in_stock: bool
    shop_slug: str
    shop_name: str
    shop_selling: bool
    preparation_minutes: int


def _first_image(product_ref: str) -> Subquery:
    return Subquery(
        ProductImage.objects.filter(product=OuterRef(product_ref)).order_by("display_order", "pk").values("original")[:1]
    )


def _feed_rows(*, shop: Shop | None):
    """The values of every offer a feed may list (``shop``'s only, if given), by product then shop."""
    offers = StockRecord.objects.filter(
        price__isnull=False,
        partner__shop__status=ShopStatus.ACTIVE,
        product__is_public=True,
    ).exclude(product__structure="parent").filter(
        Q(product__parent__isnull=True) | Q(product__parent__is_public=True)
    )
    if shop is not None:
        offers = offers.filter(partner_id=shop.partner_id)
    return (
        offers.annotate(
            track_stock=Coalesce(F("product__product_class__track_stock"), F("product__parent__product_class__track_stock")),
            image=Coalesce(_first_image("product_id"), _first_image("product__parent_id"), output_field=CharField()),
            available=F("num_in_stock") - Coalesce(F("num_allocated"), Value(0)),
        )
        .order_by("product_id", "partner__shop__slug")
        .values_list(
            "product_id", "product__slug", "product__title", "product__parent__title", "product__description",
            "product__parent__description", "product__upc", "image", "partner_sku", "price", "price_currency",
            "track_stock", "num_in_stock", "available", "partner__shop__slug", "partner__shop__name",
            "partner__shop__vacation_mode", "partner__shop__preparation_minutes",
        )
    )


def feed_signature(*, shop: Shop | None = None) -> str | None:
    """A digest PostgreSQL computes over exactly the values the feed is made of (one query, no row
    sent back), or None on SQLite (the demo reads the rows instead). Any change of a listed
    value, a row more or less, changes it."""
    if connection.vendor != "postgresql":
        return None
    sql, params = _feed_rows(shop=shop).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM ({sql}) AS t", params)
        return cursor.fetchone()[0]


def feed_offers_listed(*, shop: Shop | None = None) -> list[FeedOffer]:
    """The offers the feeds may list (``shop``'s only, if given), by product then shop (one query)."""
    result = []
    for (pk, slug, title, parent_title, description, parent_description, upc, image, sku, price, currency, track,
         stock, available, shop_slug, shop_name, vacation, minutes) in _feed_rows(shop=shop):
        in_stock = (not track) or (stock is not None and (available or 0) > 0)
        result.append(FeedOffer(
            product_id=pk, product_slug=slug, title=title or parent_title or "",
            description=description or parent_description or "",
            upc=upc or "", image=image or "", sku=sku or "", price=price, currency=currency or "EUR",
            in_stock=bool(in_stock) and not vacation, shop_slug=shop_slug, shop_name=shop_name,
            shop_selling=not vacation, preparation_minutes=minutes,
        ))
    return result


def feed_shop_get(*, slug: str) -> Shop:
    """The shop of a per-shop feed; ``Shop.DoesNotExist`` for an unknown or suspended one."""
    return Shop.objects.get(slug=slug, status=ShopStatus.ACTIVE)
