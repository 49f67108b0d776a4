"""The demo town's product attributes: derived from titles, written once, searchable."""
from __future__ import annotations

import datetime as dt

import pytest

from marketplace.catalogue.models import ProductAttributeValue
from marketplace.demo.attributes import attributes_seed
from marketplace.demo.town import town_seed
from marketplace.search.selectors import products_search

pytestmark = pytest.mark.django_db


def test_the_town_gets_attributes_from_its_titles_once_and_they_are_searchable():
    town_seed(shops=12, products=120, seed=3, images=False, today=dt.date(2026, 3, 2))
    values = dict(ProductAttributeValue.objects.values_list("product__title", "value_text"))

    assert values, "no attribute value in a 12-shop town"
    for title, value in values.items():
        if title.startswith("Roquefort"):
            assert value == "Lait de brebis"
        if title.startswith("Sancerre"):
            assert value == "Vallée de la Loire"
    count = ProductAttributeValue.objects.count()
    assert attributes_seed(upc_prefix="HALLE003") == 0
    town_seed(shops=12, products=120, seed=3, images=False, today=dt.date(2026, 3, 2))
    assert ProductAttributeValue.objects.count() == count
    with_milk = {t for t, v in values.items() if v == "Lait de vache"}
    assert with_milk and with_milk <= {p.title for p in products_search(query="lait de vache")}
