"""The feeds at their stable addresses, cheap to poll.

Each request has PostgreSQL digest the feed's rows (one query that sends no row back;
one more for a shop's feed) and derives the ETag from that: a crawler whose copy is
current gets a 304 without a row read, and a changed value changes the ETag at once (no
stale feed, no invalidation). The document is kept in the cache under its ETag, so an
unchanged feed is read and written once whoever asks. On the demo's SQLite the rows are
read and hashed in Python instead.
"""
from __future__ import annotations

import functools

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from marketplace.core.etags import etag_of, first_seen, not_modified, validators_set
from marketplace.feeds import formats
from marketplace.feeds.selectors import feed_offers_listed, feed_shop_get, feed_signature
from shops.models import Shop

#: Bump when the formats change: every ETag changes with it.
FEED_VERSION = 1
CONTENT_TYPE = "text/tab-separated-values; charset=utf-8"
# Shared caches may keep it but must ask again each time (a 304 costs one query).
CACHE_CONTROL = "public, no-cache"
BODY_TTL = 24 * 3600

WRITERS = {
    "products": lambda offers, per_shop: formats.product_feed(offers, per_shop=per_shop),
    "local": lambda offers, per_shop: formats.local_inventory_feed(offers),
}
FILE_NAMES = {"products": "produits.tsv", "local": "inventaire-local.tsv"}


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def require_safe(view):
    """GET and HEAD only; anything else is told so in French (405)."""
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = _text("Méthode non autorisée : ce flux se lit (GET ou HEAD).", 405)
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, *args, **kwargs)
    return wrapper


def _feed(request, *, kind: str, shop_slug: str | None = None) -> HttpResponse:
    shop = None
    if shop_slug is not None:
        try:
            shop = feed_shop_get(slug=shop_slug)
        except Shop.DoesNotExist:
            return _text(f"Aucun commerce en ligne à l'adresse « {shop_slug[:100]} ».", 404)
    # PostgreSQL digests the rows where they are; the demo's SQLite has them read.
    signature = feed_signature(shop=shop)
    offers = feed_offers_listed(shop=shop) if signature is None else None
    etag = etag_of(FEED_VERSION, kind, shop_slug, settings.HALLE_SITE_URL, signature if offers is None else offers)
    last_modified = first_seen(etag)
    unchanged = not_modified(request, etag=etag, last_modified=last_modified, cache_control=CACHE_CONTROL)
    if unchanged is not None:
        return unchanged
    key = f"feed-body:{etag.strip(chr(34))}"
    body = cache.get(key)
    if body is None:
        if offers is None:
            offers = feed_offers_listed(shop=shop)
        body = WRITERS[kind](offers, shop is not None)
        cache.set(key, body, timeout=BODY_TTL)
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{(shop_slug + "-") if shop_slug else ""}{FILE_NAMES[kind]}"'
    return validators_set(response, etag=etag, last_modified=last_modified, cache_control=CACHE_CONTROL)


@require_safe
def town_products(request):
    """Every product a selling shop offers, once, at its cheapest offer."""
    return _feed(request, kind="products")


@require_safe
def town_local_inventory(request):
    """Every shop's offers, one line per shop and product (``store_code`` = the shop)."""
    return _feed(request, kind="local")


@require_safe
def shop_products(request, slug: str):
    return _feed(request, kind="products", shop_slug=slug)


@require_safe
def shop_local_inventory(request, slug: str):
    return _feed(request, kind="local", shop_slug=slug)
