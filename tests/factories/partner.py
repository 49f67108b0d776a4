from decimal import Decimal

import factory

from marketplace.partner.models import Partner, StockRecord


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partenaire {n}")
    code = factory.Sequence(lambda n: f"partenaire-{n}")


class StockRecordFactory(factory.django.DjangoModelFactory):
    """One shop's offer. Pass ``shop=`` (preferred) or ``partner=``."""

    class Meta:
        model = StockRecord
        exclude = ("shop",)

    shop = factory.SubFactory("tests.factories.shops.ShopFactory")
    partner = factory.LazyAttribute(lambda sr: sr.shop.partner)
    product = factory.SubFactory("tests.factories.catalogue.ProductFactory")
    partner_sku = factory.Sequence(lambda n: f"SKU{n:06d}")
    price_currency = "EUR"
    price = Decimal("9.90")
    num_in_stock = 20
    num_allocated = 0
    low_stock_threshold = 5
