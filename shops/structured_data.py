"""schema.org data of a shop: the ``LocalBusiness`` its page publishes, and the short
reference to it that product offers carry as their seller.

Search engines and maps read the page's JSON-LD to show the shop's address, position
and hours (exceptional closures included, day by day) next to its name; the trade
picks the closest schema.org type (a bakery is a ``Bakery``) so that « boulangerie »
near the town finds it.
"""
from __future__ import annotations

import datetime as dt
import html

from django.utils.html import strip_tags

from marketplace.core.json_ld import SCHEMA, opening_hours_specification
from shops.html import html_sanitise
from shops.models import Shop, Trade

TRADE_TYPES = {
    Trade.BOULANGERIE: "Bakery",
    Trade.BOUCHERIE: "ButcherShop",
    Trade.PRIMEUR: "GroceryStore",
    Trade.EPICERIE: "GroceryStore",
    Trade.CAVISTE: "LiquorStore",
    Trade.LIBRAIRIE: "BookStore",
    Trade.FLEURISTE: "Florist",
    Trade.CHAUSSURES: "ShoeStore",
    Trade.VETEMENTS: "ClothingStore",
    Trade.QUINCAILLERIE: "HardwareStore",
    Trade.JOUETS: "ToyStore",
    Trade.SPORT: "SportingGoodsStore",
    Trade.PARFUMERIE: "HealthAndBeautyBusiness",
}


def postal_address(*, shop: Shop) -> dict:
    return {
        "@type": "PostalAddress",
        "streetAddress": shop.line1,
        "postalCode": shop.postcode,
        "addressLocality": shop.city,
        "addressCountry": "FR",
    }


def geo(obj) -> dict | None:
    """``GeoCoordinates`` of anything with ``latitude`` and ``longitude``, or None."""
    if obj.latitude is None or obj.longitude is None:
        return None
    return {"@type": "GeoCoordinates", "latitude": float(obj.latitude), "longitude": float(obj.longitude)}


def shop_reference(*, shop: Shop, url: str) -> dict:
    """The shop as an offer's seller: enough to recognise it, with the ``@id`` of its page's data."""
    return {
        "@type": TRADE_TYPES.get(shop.trade, "Store"),
        "@id": f"{url}#commerce",
        "name": shop.name,
        "url": url,
        "address": postal_address(shop=shop),
    }


def shop_json_ld(*, shop: Shop, url: str, image_urls: list[str], closures, at: dt.datetime | None = None) -> dict:
    """The ``LocalBusiness`` of ``shop``'s page (hours from its prefetched ``opening_periods``,
    ``closures`` the current and upcoming ones)."""
    data = {"@context": SCHEMA, **shop_reference(shop=shop, url=url)}
    # The text shoppers read on the page: sanitised like there, then without its tags.
    description = html.unescape(strip_tags(html_sanitise(html=shop.description or ""))).strip()
    if description:
        data["description"] = description
    if shop.phone:
        data["telephone"] = shop.phone
    if shop.email:
        data["email"] = shop.email
    position = geo(shop)
    if position:
        data["geo"] = position
    if image_urls:
        data["image"] = image_urls
    # Weekly hours, then the days closures change (validFrom/validThrough: how Google reads
    # holiday hours; « 00:00–00:00 » is closed all day).
    hours = opening_hours_specification(periods=shop.opening_periods.all(), closures=closures, at=at)
    if hours:
        data["openingHoursSpecification"] = hours
    return data
