"""Placed orders for the pickup and notification tests, and collection-point staff."""
from __future__ import annotations

from decimal import Decimal

from oscar.apps.shipping.methods import Free
from oscar.core.loading import get_model
from oscar.test.factories import create_order

from marketplace.partner.strategy import MarketplaceStrategy
from marketplace.pickup.models import PointStaff
from tests.factories.accounts import UserFactory
from tests.factories.catalogue import ProductFactory
from tests.factories.partner import StockRecordFactory
from tests.factories.shops import ShopFactory

Basket = get_model("basket", "Basket")


def order_place(*, shops=None, quantities=(1,), email: str = "client@halle.test", user=None, price="5.00"):
    """An order of one line per (shop, quantity) through Oscar's order creator.

    ``shops`` defaults to one new shop per quantity; stock is allocated as at checkout.
    """
    shops = list(shops) if shops is not None else [ShopFactory() for _ in quantities]
    basket = Basket.objects.create(owner=user)
    basket.strategy = MarketplaceStrategy()
    for shop, quantity in zip(shops, quantities, strict=True):
        record = StockRecordFactory(shop=shop, product=ProductFactory(), price=Decimal(price), num_in_stock=20)
        basket.add_product(record.product, quantity, stockrecord=record)
    kwargs = {} if user else {"guest_email": email}
    return create_order(basket=basket, user=user, shipping_method=Free(), **kwargs)


def point_staff_create(*, point, user=None) -> PointStaff:
    return PointStaff.objects.create(point=point, user=user or UserFactory())
