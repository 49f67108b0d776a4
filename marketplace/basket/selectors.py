"""Read-side queries of the basket.

Adding to a basket and applying offers read the same rows again and again: the
product with its offers and shops, and the town's site offers. Both are kept in
the cache under a digest PostgreSQL computes over those very rows (one call, in
the same round trip when both are needed), so what is read from the cache is
what the database holds: nothing needs invalidating. An entry is stored only if
the digest did not change while it was being loaded.
"""
from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from oscar.apps.offer.models import ConditionalOffer

from marketplace.catalogue.models import Option, Product
from marketplace.catalogue.selectors import product_page_signature
from marketplace.core.page_cache import database_row, database_signature
from marketplace.partner.models import StockRecord

SNAPSHOT_TTL = 10 * 60
# Part of the keys: change it when what the loaders below fetch changes shape.
SNAPSHOT_FORMAT = "1"


def basket_page_signature(*, basket_id: int) -> str | None:
    """A digest of every row the basket page of guest basket ``basket_id`` shows (one call,
    see migration basket 0013), or None when it is not an open guest basket or there is
    no PostgreSQL."""
    return database_signature("halle_basket_page_signature", basket_id)


def site_offers_signature() -> str | None:
    """A digest of the open site offers with their conditions and benefits (migration
    basket 0014), or None without PostgreSQL."""
    row = database_row("SELECT halle_site_offers_signature()", [])
    return row[0] if row else None


def basket_add_signatures(*, product_id: int, at: dt.datetime | None = None) -> tuple[str | None, str | None]:
    """The product's page signature and the site offers' one, in one round trip: (None, None)
    without PostgreSQL, and None for the product when there is no such product."""
    if not 0 < product_id <= 2**31 - 1:
        return None, None
    row = database_row(
        "SELECT halle_product_page_signature(%s, %s), halle_site_offers_signature()", [product_id, at or timezone.now()]
    )
    return row or (None, None)


def _product_for_basket_loaded(pk: int) -> Product:
    offers = StockRecord.objects.select_related("partner__shop")
    products = (
        Product.objects.select_related("product_class", "parent__product_class")
        .annotate(
            # What Product.has_options reads instead of querying.
            has_product_class_options=Exists(Option.objects.filter(productclass=OuterRef("product_class"))),
            has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
        )
        .prefetch_related(Prefetch("stockrecords", queryset=offers))
    )
    return get_object_or_404(products, pk=pk)


def _kept_under_signature(*, name: str, signature: str, load, signature_now):
    """The cached ``name`` for ``signature``, else ``load()``, kept only if ``signature_now()``
    is still ``signature`` (no row changed while it was loading)."""
    key = f"{name}:{SNAPSHOT_FORMAT}:{signature}"
    value = cache.get(key)
    if value is None:
        value = load()
        if signature_now() == signature:
            cache.set(key, value, SNAPSHOT_TTL)
    return value


def product_for_basket(*, pk: int, signature: str | None = None) -> Product:
    """The product to add, with its class, its offers and their shops: from the cache when
    ``signature`` (its ``product_page_signature``) is given and known, else in two queries."""
    if signature is None:
        return _product_for_basket_loaded(pk)
    return _kept_under_signature(
        name=f"basket-product:{pk}",
        signature=signature,
        load=lambda: _product_for_basket_loaded(pk),
        signature_now=lambda: product_page_signature(pk=pk),
    )


def _site_offers_loaded() -> list[ConditionalOffer]:
    offers = ConditionalOffer.objects.filter(status=ConditionalOffer.OPEN, offer_type=ConditionalOffer.SITE)
    return list(offers.select_related("condition", "benefit"))


def site_offers_open(*, signature: str | None = None, at: dt.datetime | None = None) -> list[ConditionalOffer]:
    """The site offers running at ``at``, as Oscar's ``ConditionalOffer.active`` finds them,
    with their conditions and benefits: from the cache when ``signature`` (see
    ``site_offers_signature``) is given and known."""
    if signature is None:
        offers = _site_offers_loaded()
    else:
        offers = _kept_under_signature(
            name="site-offers", signature=signature, load=_site_offers_loaded, signature_now=site_offers_signature
        )
    at = at or timezone.now()
    return [
        offer
        for offer in offers
        if (offer.start_datetime is None or offer.start_datetime <= at)
        and (offer.end_datetime is None or offer.end_datetime >= at)
    ]
