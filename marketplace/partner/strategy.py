"""The marketplace pricing and availability strategy.

Several shops may sell the same product, each with its own ``StockRecord``.
Listings show the cheapest offer of a shop that is selling; a basket line
keeps the offer the shopper picked. Prices are stored VAT included (French
retail practice) and split into net + VAT with the product class's rate.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from oscar.apps.partner import availability, prices
from oscar.apps.partner.strategy import PurchaseInfo, StockRequired, Structured

CENT = Decimal("0.01")


def split_vat(price_incl_tax: Decimal, rate_percent: Decimal) -> tuple[Decimal, Decimal]:
    """Return (net, VAT) in cents that add up exactly to ``price_incl_tax``."""
    net = (price_incl_tax * 100 / (100 + rate_percent)).quantize(CENT, ROUND_HALF_UP)
    return net, price_incl_tax - net


class ShopNotSelling(availability.Unavailable):
    message = _("Ce commerce ne vend pas en ce moment")


class InStock(availability.StockRequired):
    """Oscar's stock policy, with the number in stock as a proper French plural (Oscar's
    catalogue says « En stock (3 disponible(s)) »)."""

    @property
    def message(self) -> str:
        if self.num_available > 0:
            return ngettext(
                "En stock (%(count)d disponible)", "En stock (%(count)d disponibles)", self.num_available
            ) % {"count": self.num_available}
        return super().message


def shop_is_selling(stockrecord) -> bool:
    shop = getattr(stockrecord.partner, "shop", None)
    return shop is not None and shop.is_selling


class MarketplaceStrategy(StockRequired, Structured):
    def select_stockrecord(self, product):
        # Works on prefetched ``stockrecords`` without extra queries.
        offers = [sr for sr in product.stockrecords.all() if shop_is_selling(sr) and sr.price is not None]
        if not offers:
            return None
        in_stock = [sr for sr in offers if (sr.net_stock_level or 0) > 0]
        return min(in_stock or offers, key=lambda sr: (sr.price, sr.pk))

    def fetch_for_line(self, line, stockrecord=None):
        return self.fetch_for_product(line.product, stockrecord or line.stockrecord)

    def fetch_for_product(self, product, stockrecord=None):
        if stockrecord is None:
            stockrecord = self.select_stockrecord(product)
        return PurchaseInfo(
            price=self.pricing_policy(product, stockrecord),
            availability=self.availability_policy(product, stockrecord),
            stockrecord=stockrecord,
        )

    def availability_policy(self, product, stockrecord):
        if stockrecord is not None and not shop_is_selling(stockrecord):
            return ShopNotSelling()
        if stockrecord is not None and product.get_product_class().track_stock:
            return InStock(stockrecord.net_stock_level)
        return super().availability_policy(product, stockrecord)

    def pricing_policy(self, product, stockrecord):
        if not stockrecord or stockrecord.price is None:
            return prices.Unavailable()
        rate = product.get_product_class().vat_rate
        net, vat = split_vat(stockrecord.price, rate)
        return prices.FixedPrice(currency=stockrecord.price_currency, excl_tax=net, tax=vat)

    def parent_pricing_policy(self, product, children_stock):
        stockrecords = [sr for _, sr in children_stock if sr is not None]
        if not stockrecords:
            return prices.Unavailable()
        return self.pricing_policy(product, min(stockrecords, key=lambda sr: sr.price))


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return MarketplaceStrategy(request)
