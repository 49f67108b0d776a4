"""robots.txt and sitemap.xml: crawlers are sent to what shoppers see, at the canonical address,
and kept out of the personal and staff spaces."""
from __future__ import annotations

import re

import pytest

from marketplace.town import sitemaps
from shops.models import ShopStatus
from tests.factories import CategoryFactory, ProductFactory, ShopFactory, StockRecordFactory

pytestmark = pytest.mark.django_db
SITE = "http://127.0.0.1:8000"


def _locs(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r"<loc>(.*?)</loc>", response.content.decode())


def test_robots_keeps_crawlers_out_of_private_spaces_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    text = response.content.decode()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    for path in ("/espace-commercant/", "/gestion/", "/basket/", "/checkout/", "/accounts/", "/search/"):
        assert f"Disallow: {path}" in text
    assert f"Sitemap: {SITE}/sitemap.xml" in text


def test_the_sitemap_lists_active_shops_public_categories_and_products_on_sale(client):
    shop = ShopFactory(slug="maison-muller")
    ShopFactory(slug="suspendue", status=ShopStatus.SUSPENDED)
    category = CategoryFactory(name="Pains", slug="pains")
    CategoryFactory(name="Cachée", slug="cachee", is_public=False)
    bread = ProductFactory(title="Baguette", categories=[category])
    StockRecordFactory(product=bread, shop=shop)
    hidden = ProductFactory(title="Brouillon", is_public=False)
    StockRecordFactory(product=hidden, shop=shop)

    sections = _locs(client.get("/sitemap.xml"))
    urls = [url for section in sections for url in _locs(client.get(section.removeprefix(SITE)))]

    assert sections == [f"{SITE}/sitemap-{name}.xml" for name in ("ville", "commerces", "rayons", "produits")]
    assert f"{SITE}/" in urls and f"{SITE}/commerces/maison-muller/" in urls
    assert f"{SITE}{category.get_absolute_url()}" in urls and f"{SITE}{bread.get_absolute_url()}" in urls
    assert not [url for url in urls if "suspendue" in url or "cachee" in url or "brouillon" in url]


def test_a_large_section_is_split_in_pages(client, monkeypatch):
    monkeypatch.setattr(sitemaps.ShopSitemap, "limit", 2)
    for n in range(5):
        ShopFactory(slug=f"commerce-{n}")

    sections = _locs(client.get("/sitemap.xml"))
    shop_pages = [s for s in sections if "commerces" in s]

    assert shop_pages == [f"{SITE}/sitemap-commerces.xml", f"{SITE}/sitemap-commerces.xml?p=2",
                          f"{SITE}/sitemap-commerces.xml?p=3"]
    assert len(_locs(client.get("/sitemap-commerces.xml?p=3"))) == 1


def test_an_unknown_section_or_page_is_not_found(client):
    assert client.get("/sitemap-inconnue.xml").status_code == 404
    assert client.get("/sitemap-commerces.xml?p=99").status_code == 404
