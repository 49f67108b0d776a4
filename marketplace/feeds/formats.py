"""The feeds as Google Merchant Center reads them: tab-separated, a header line, one item a line.

- the **product feed**: ``id, title, description, link, image_link, availability, price,
  condition, identifier_exists`` (the town's feed lists each product once, at its
  cheapest selling offer; a shop's feed lists its own offers, with links that keep it);
- the **local-inventory feed**: ``store_code, id, title, price, availability,
  pickup_method, pickup_sla`` (``store_code`` is the shop's slug, the code declared in
  its Business Profile; ``id`` is the product feed's id). Google's ``quantity`` is
  optional and Halle never publishes stock numbers, so the column is left out.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.html import strip_tags

from marketplace.catalogue.selectors import OFFER_PARAM
from marketplace.feeds.selectors import FeedOffer

PRODUCT_COLUMNS = ("id", "title", "description", "link", "image_link", "availability", "price", "condition",
                   "identifier_exists")
LOCAL_COLUMNS = ("store_code", "id", "title", "price", "availability", "pickup_method", "pickup_sla")
DESCRIPTION_MAX = 5000  # Google's limit
_SPACES = re.compile(r"\s+")


def _cell(value) -> str:
    """One TSV cell: no tab, no line break (they would split the item), spaces collapsed."""
    return _SPACES.sub(" ", str(value)).strip()


def _tsv(columns: tuple[str, ...], rows: Iterable[tuple]) -> str:
    lines = ["\t".join(columns)]
    lines += ["\t".join(_cell(value) for value in row) for row in rows]
    return "\n".join(lines) + "\n"


def _site(path: str) -> str:
    return settings.HALLE_SITE_URL.rstrip("/") + path


def _link(offer: FeedOffer, *, keep_shop: bool) -> str:
    path = reverse("catalogue:detail", kwargs={"product_slug": offer.product_slug, "pk": offer.product_id})
    return _site(f"{path}?{urlencode({OFFER_PARAM: offer.shop_slug})}" if keep_shop else path)


def _image(offer: FeedOffer) -> str:
    if not offer.image:
        return ""
    url = default_storage.url(offer.image)
    return url if url.startswith(("http://", "https://")) else _site(url)


def _availability(offer: FeedOffer) -> str:
    return "in_stock" if offer.in_stock else "out_of_stock"


def _price(offer: FeedOffer) -> str:
    return f"{offer.price:.2f} {offer.currency}"


def pickup_sla(minutes: int) -> str:
    """Google's pickup delay from the shop's preparation time: « same day » up to four hours."""
    if minutes <= 4 * 60:
        return "same day"
    days = math.ceil(minutes / (24 * 60))
    if days <= 1:
        return "next day"
    return f"{days}-day" if days <= 6 else "multi-week"


def _product_row(offer: FeedOffer, *, keep_shop: bool, in_stock: bool) -> tuple:
    description = _cell(strip_tags(offer.description))[:DESCRIPTION_MAX] or offer.title
    return (
        offer.product_id, offer.title, description, _link(offer, keep_shop=keep_shop), _image(offer),
        "in_stock" if in_stock else "out_of_stock", _price(offer), "new", "no",
    )


def product_feed(offers: list[FeedOffer], *, per_shop: bool) -> str:
    """The product feed of ``offers`` (by product, see ``feed_offers_listed``).

    For the town, a product appears once, at its cheapest offer in stock (else its cheapest),
    only when a selling shop offers it; for a shop, each of its offers."""
    if per_shop:
        return _tsv(PRODUCT_COLUMNS, (_product_row(o, keep_shop=True, in_stock=o.in_stock) for o in offers))
    by_product: dict[int, list[FeedOffer]] = {}
    for offer in offers:
        if offer.shop_selling:
            by_product.setdefault(offer.product_id, []).append(offer)
    rows = []
    for candidates in by_product.values():
        stocked = [o for o in candidates if o.in_stock]
        best = min(stocked or candidates, key=lambda o: (o.price, o.shop_slug))
        rows.append(_product_row(best, keep_shop=False, in_stock=bool(stocked)))
    return _tsv(PRODUCT_COLUMNS, rows)


def local_inventory_feed(offers: list[FeedOffer]) -> str:
    """One line per shop and product: the shop's own price and availability, collected in the shop."""
    return _tsv(LOCAL_COLUMNS, (
        (o.shop_slug, o.product_id, o.title, _price(o), _availability(o), "buy", pickup_sla(o.preparation_minutes))
        for o in offers
    ))
