"""Link previews and canonical addresses: Open Graph tags on the product, shop, category and home
pages, and the category page's BreadcrumbList."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tests.factories import CategoryFactory, ProductFactory, ShopFactory, StockRecordFactory
from tests.support.json_ld import json_ld_of_type

pytestmark = pytest.mark.django_db


def _meta(response) -> dict[str, str]:
    assert response.status_code == 200
    html = response.content.decode()
    tags = dict(re.findall(r'<meta property="(og:[a-z_:]+)" content="([^"]*)"', html))
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html)
    return {**tags, "canonical": canonical.group(1) if canonical else ""}


def test_the_product_page_has_open_graph_tags_for_the_offer_shown(client):
    product = ProductFactory(title="Tomme de Savoie", description="Au lait cru.")
    StockRecordFactory(product=product, shop=ShopFactory(slug="louise"), price=Decimal("6.90"))

    tags = _meta(client.get(product.get_absolute_url()))

    assert tags["og:type"] == "product" and tags["og:title"] == "Tomme de Savoie"
    assert tags["og:url"] == tags["canonical"] == f"http://testserver{product.get_absolute_url()}?commerce=louise"
    assert tags["og:locale"] == "fr_FR" and tags["og:site_name"]


def test_the_shop_and_home_pages_have_open_graph_tags_and_a_canonical_address(client):
    ShopFactory(name="Maison Muller", slug="maison-muller")

    shop = _meta(client.get("/commerces/maison-muller/"))
    home = _meta(client.get("/"))

    assert shop["og:title"].startswith("Maison Muller") and shop["canonical"] == "http://testserver/commerces/maison-muller/"
    assert home["og:type"] == "website" and home["canonical"] == "http://testserver/"


def test_a_category_page_publishes_its_breadcrumb_and_canonical_address(client):
    food = CategoryFactory(name="Alimentation", slug="alimentation")
    cheese = CategoryFactory(name="Fromages", slug="fromages", parent=food)
    url = cheese.get_absolute_url()

    response = client.get(url)
    crumbs = json_ld_of_type(response, "BreadcrumbList", url="http://testserver" + url)

    assert [(i["position"], i["name"], i["item"]) for i in crumbs["itemListElement"]] == [
        (1, "Accueil", "http://testserver/"),
        (2, "Alimentation", f"http://testserver{food.get_absolute_url()}"),
        (3, "Fromages", f"http://testserver{url}"),
    ]
    assert _meta(response)["canonical"] == f"http://testserver{url}"
