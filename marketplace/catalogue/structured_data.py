"""schema.org data of the product page (JSON-LD), as search engines and link previews read it.

It describes the offer the page shows (the shop the shopper picked, see
``product_offer_chosen``), at the address that keeps that choice, so a shared
link and its preview say the same price, stock and seller as the page.
"""
from __future__ import annotations

import json

from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

SCHEMA_IN_STOCK = "https://schema.org/InStock"
SCHEMA_OUT_OF_STOCK = "https://schema.org/OutOfStock"

# What Django's json_script escapes: the data can never close its <script> element.
_SCRIPT_SAFE = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def product_json_ld(*, product, offer, page_url: str, shop_url: str, image_url: str | None) -> SafeString:
    """The JSON-LD of ``product`` sold through ``offer`` (a ``ProductOffer`` or None), ready to
    go inside ``<script type="application/ld+json">``."""
    data = {
        "@context": "https://schema.org",
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
    if offer is not None:
        price = offer.info.price
        data["offers"] = {
            "@type": "Offer",
            "url": page_url,
            "price": f"{price.incl_tax:.2f}",
            "priceCurrency": price.currency,
            "availability": SCHEMA_IN_STOCK if offer.info.availability.is_available_to_buy else SCHEMA_OUT_OF_STOCK,
            "seller": {"@type": "LocalBusiness", "name": offer.shop.name, "url": shop_url},
        }
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_SAFE))  # escaped above
