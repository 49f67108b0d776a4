"""Builders for listing and search tests: a product on sale in a shop, in a category."""
from __future__ import annotations

from decimal import Decimal

from tests.factories.catalogue import ProductFactory
from tests.factories.partner import StockRecordFactory


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
    """A public product with one offer (``shop``'s, or a new shop's) and its categories."""
    product = ProductFactory(
        title=title, description=description, categories=list(categories), **product_fields
    )
    offer = {"shop": shop} if shop is not None else {}
    StockRecordFactory(product=product, price=Decimal(price), num_in_stock=stock, **offer)
    return product
