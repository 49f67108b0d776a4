"""schema.org data of the product page (JSON-LD), as search engines and link previews read it.

A ``Product`` with one ``Offer`` per selling shop: price, stock status, the shop as
seller, and where the shopper collects it (``availableAtOrFrom``: the shop's counter and
the town's shared collection points, ``OnSitePickup``), the places checkout offers. The
offer the page shows (the shop the shopper picked, see ``product_offer_chosen``) comes
first, at the address that keeps that choice, so a shared link and its preview say the
same price, stock and seller as the page. Halle has no home delivery yet: no delivery
method is announced.
"""
from __future__ import annotations

from collections.abc import Callable

from django.utils.html import strip_tags
from django.utils.safestring import SafeString

from marketplace.core.json_ld import SCHEMA, json_ld_script
from shops.structured_data import geo, postal_address, shop_reference

SCHEMA_IN_STOCK = f"{SCHEMA}/InStock"
SCHEMA_OUT_OF_STOCK = f"{SCHEMA}/OutOfStock"
ON_SITE_PICKUP = f"{SCHEMA}/OnSitePickup"


def pickup_place(point, *, shop=None) -> dict:
    """A collection point as a ``Place``; a shop's counter is at the shop's address."""
    place = {"@type": "Place", "name": shop.name if shop is not None else point.name}
    if shop is not None:
        place["address"] = postal_address(shop=shop)
    elif point.address:
        place["address"] = point.address
    position = geo(shop if shop is not None else point)
    if position:
        place["geo"] = position
    return place


def offer_json_ld(*, offer, absolute: Callable[[str], str], counters: dict, shared_points: list) -> dict:
    """One shop's ``Offer`` (a ``ProductOffer``)."""
    price = offer.info.price
    data = {
        "@type": "Offer",
        "url": absolute(offer.url),
        "price": f"{price.incl_tax:.2f}",
        "priceCurrency": price.currency,
        "availability": SCHEMA_IN_STOCK if offer.info.availability.is_available_to_buy else SCHEMA_OUT_OF_STOCK,
        "itemCondition": f"{SCHEMA}/NewCondition",
        "seller": shop_reference(shop=offer.shop, url=absolute(offer.shop.get_absolute_url())),
    }
    if offer.stockrecord.partner_sku:
        data["sku"] = offer.stockrecord.partner_sku
    places = [pickup_place(counters[offer.shop.pk], shop=offer.shop)] if offer.shop.pk in counters else []
    places += [pickup_place(point) for point in shared_points]
    if places:
        data["availableDeliveryMethod"] = ON_SITE_PICKUP
        data["availableAtOrFrom"] = places
    return data


def product_json_ld(
    *, product, offers: list, chosen, page_url: str, absolute: Callable[[str], str], image_url: str | None,
    counters: dict, shared_points: list,
) -> SafeString:
    """The JSON-LD of ``product`` sold through ``offers`` (``ProductOffer``s, ``chosen`` first),
    ready to go inside ``<script type="application/ld+json">``."""
    data = {
        "@context": SCHEMA,
        "@type": "Product",
        "name": product.get_title(),
        "url": page_url,
    }
    description = strip_tags(product.description or "").strip()
    if description:
        data["description"] = description
    if product.upc:
        data["sku"] = product.upc
    if image_url:
        data["image"] = image_url
    ordered = ([chosen] if chosen is not None else []) + [offer for offer in offers if offer is not chosen]
    if ordered:
        data["offers"] = [
            offer_json_ld(offer=offer, absolute=absolute, counters=counters, shared_points=shared_points)
            for offer in ordered
        ]
    return json_ld_script(data)
