"""schema.org data of the home page: the town's marketplace as an ``Organization`` and its
``WebSite`` with a ``SearchAction``, so that a search engine can offer a search box that
opens Halle's own search, and knows who runs the site (the town's contact details from
its page « Le centre-ville » when the manager filled them in)."""
from __future__ import annotations

from django.conf import settings

from marketplace.core.json_ld import SCHEMA
from marketplace.town.models import TownPage


def town_json_ld(*, home_url: str, search_url: str, town_page: TownPage | None) -> dict:
    """``home_url`` and ``search_url`` absolute; the search page reads its query from ``q``."""
    name = f"{settings.OSCAR_SHOP_NAME} {settings.HALLE_TOWN_NAME}"
    organization = {
        "@type": "Organization",
        "@id": f"{home_url}#organisation",
        "name": name,
        "url": home_url,
        "description": f"Les commerces du centre-ville de {settings.HALLE_TOWN_NAME} en un seul panier.",
        "areaServed": {"@type": "City", "name": settings.HALLE_TOWN_NAME},
    }
    if town_page is not None:
        if town_page.address:
            organization["address"] = town_page.address
        if town_page.contact_email:
            organization["email"] = town_page.contact_email
        if town_page.contact_phone:
            organization["telephone"] = town_page.contact_phone
    website = {
        "@type": "WebSite",
        "@id": f"{home_url}#site",
        "name": name,
        "url": home_url,
        "inLanguage": "fr",
        "publisher": {"@id": organization["@id"]},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search_url}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }
    return {"@context": SCHEMA, "@graph": [organization, website]}
