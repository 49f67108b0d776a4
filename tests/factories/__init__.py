"""factory-boy factories for Halle's own models (shops, offers, VAT classes)."""
from tests.factories.accounts import UserFactory
from tests.factories.catalogue import CategoryFactory, ProductClassFactory, ProductFactory
from tests.factories.partner import PartnerFactory, StockRecordFactory
from tests.factories.shops import ClosureFactory, OpeningPeriodFactory, ShopFactory

__all__ = [
    "CategoryFactory",
    "ClosureFactory",
    "OpeningPeriodFactory",
    "PartnerFactory",
    "ProductClassFactory",
    "ProductFactory",
    "ShopFactory",
    "StockRecordFactory",
    "UserFactory",
]
