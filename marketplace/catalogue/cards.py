"""Product cards of the listings, rendered once and kept in the cache.

Rendering a card (Oscar's purchase info, the add-to-basket form, a thumbnail
looked up in sorl's key-value store) costs far more than the queries that fetch
it. A card's cache key is a digest of everything it shows, read from the rows
the listing has already fetched (the product, its class, its offers with their
shop, its images): a change of price, stock, shop status or picture gives a new
key, so a stale card is never served and nothing needs invalidating. A page's
cards come from the cache in one round trip (``get_many``).

Cards do not depend on the shopper (the strategy prices the same for everyone),
but their add-to-basket form carries the CSRF token: it is cached as the page
cache's marker and replaced with the request's token when served. Keys carry the
digest of the project's templates, as whole pages do.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.core.cache import cache
from django.template.loader import select_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from marketplace.core.page_cache import CSRF_MARKER, templates_digest, with_visitor_token

CARD_TTL = 24 * 3600


def _card_signature(product) -> str:
    product_class = product.get_product_class()
    parts = [
        get_language(),
        product.pk,
        product.title,
        product.slug,
        product.upc,
        product.date_updated.isoformat() if product.date_updated else "",
        product.structure,
        product.is_public,
        getattr(product, "has_product_class_options", None),
        getattr(product, "has_product_options", None),
        product_class.pk,
        product_class.slug,
        str(product_class.vat_rate),
        product_class.track_stock,
    ]
    for offer in product.stockrecords.all():
        shop = getattr(offer.partner, "shop", None)
        parts.append(
            (
                offer.pk,
                offer.partner_id,
                str(offer.price),
                offer.price_currency,
                offer.num_in_stock,
                offer.num_allocated,
                shop and (shop.pk, shop.name, shop.slug, shop.status, shop.vacation_mode),
            )
        )
    for image in product.images.all():
        parts.append((image.pk, image.original.name, image.caption, image.display_order))
    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()


def _template_for(product):
    # Oscar's lookup order: a template per UPC, per product class, then the default.
    return select_template(
        [
            f"oscar/catalogue/partials/product/upc-{product.upc}.html",
            f"oscar/catalogue/partials/product/class-{product.get_product_class().slug}.html",
            "oscar/catalogue/partials/product.html",
        ]
    )


def product_cards_render(*, products: Sequence, request, context: dict) -> list[SafeString]:
    """The HTML card of each of ``products`` (fetched by ``products_listed``), in order."""
    templates = [_template_for(product) for product in products]
    keys = [
        f"card:{templates_digest()}:{template.origin.template_name}:{_card_signature(product)}"
        for template, product in zip(templates, products)
    ]
    cached = cache.get_many(keys) if keys else {}
    missing = {}
    cards = []
    for key, template, product in zip(keys, templates, products):
        html = cached.get(key)
        if html is None:
            html = template.render({**context, "product": product, "csrf_token": CSRF_MARKER})
            missing[key] = str(html)
        cards.append(html)
    if missing:
        cache.set_many(missing, CARD_TTL)
    return [mark_safe(with_visitor_token(str(html), request)) for html in cards]  # noqa: S308 (our own HTML)
