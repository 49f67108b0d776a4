"""Builders for listing and search tests: a product on sale in a shop, in a category.

Search documents hold the names of the product's shops and class: the default
shop and class here use words no test searches (« Étal », « Primeur »,
« Gamme »), so that a test finds a product only through what it sets up.
"""
from __future__ import annotations

from decimal import Decimal

import factory
from django.utils.text import slugify

from marketplace.search.models import SearchSynonym
from shops.models import Trade
from tests.factories.catalogue import ProductClassFactory, ProductFactory
from tests.factories.partner import StockRecordFactory
from tests.factories.shops import ShopFactory


class StallFactory(ShopFactory):
    """A selling shop whose name and trade stay out of the way of search tests."""

    name = factory.Sequence(lambda n: f"Étal {n}")
    slug = factory.LazyAttribute(lambda s: slugify(s.name))
    trade = Trade.PRIMEUR


class RangeFactory(ProductClassFactory):
    name = factory.Sequence(lambda n: f"Gamme {n}")


class SynonymFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SearchSynonym
        django_get_or_create = ("word",)

    word = "soulier"
    searches_for = "chaussure"


def product_on_sale(
    *,
    title: str,
    shop=None,
    price: Decimal | str = "9.90",
    stock: int = 20,
    categories=(),
    description: str = "Un produit du centre-ville.",
    **product_fields,
):
    """A public product with one offer (``shop``'s, or a new stall's) and its categories."""
    product_fields.setdefault("product_class", RangeFactory())
    product = ProductFactory(
        title=title, description=description, categories=list(categories), **product_fields
    )
    StockRecordFactory(product=product, price=Decimal(price), num_in_stock=stock, shop=shop or StallFactory())
    return product
