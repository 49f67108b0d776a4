"""What the shopper pays, per shop and in total, with the discounts: one reading for the basket,
the checkout summary, the confirmation, the order page and every e-mail, so they all say the
same amounts.

A basket is read from Oscar's lines after offers (``line_price_incl_tax_incl_discounts``,
each line's discounts, the basket's offer and voucher applications). An order is read from
its lines as placed (Oscar copies those amounts) and what is left of them now: a line's
price and each of its discounts are prorated to the units still supplied, rounded half up
to the cent, exactly as ``marketplace.order.services`` lowers a shop part's total and as
``marketplace.payments`` captures it; a cancelled part is worth nothing. So a part's
subtotal is ``ShopOrder.total_incl_tax`` and the total is what the card is charged.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from marketplace.order.models import ShopOrderStatus

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def line_discounts_prefetch() -> Prefetch:
    """A line's discounts with their order discount (one query), for ``prefetch_related`` on lines."""
    from marketplace.order.models import OrderLineDiscount

    return Prefetch("discounts", queryset=OrderLineDiscount.objects.select_related("order_discount").order_by("pk"))


def _prorate(amount: Decimal, kept: int, quantity: int) -> Decimal:
    if not quantity or kept >= quantity:
        return Decimal(amount).quantize(CENT, ROUND_HALF_UP)
    return (Decimal(amount) * kept / quantity).quantize(CENT, ROUND_HALF_UP)


def voucher_label(code: str) -> str:
    return _("Bon de réduction %(code)s") % {"code": code}


@dataclass
class LineAmount:
    title: str
    quantity: int
    unit_price: Decimal  # incl. VAT, before discounts
    price: Decimal  # what the shopper pays for the units supplied, after discounts
    discount: Decimal = ZERO  # the discounts on those units
    unavailable: int = 0

    @property
    def supplied(self) -> int:
        return self.quantity - self.unavailable


@dataclass
class ShopAmounts:
    shop_id: int
    shop_name: str
    shop_slug: str
    lines: list[LineAmount] = field(default_factory=list)
    cancelled: bool = False

    @property
    def subtotal(self) -> Decimal:
        return sum((line.price for line in self.lines), ZERO)

    @property
    def discount(self) -> Decimal:
        return sum((line.discount for line in self.lines), ZERO)

    @property
    def before_discounts(self) -> Decimal:
        return self.subtotal + self.discount


@dataclass
class DiscountAmount:
    name: str  # the offer's name, or « Bon de réduction CODE »
    amount: Decimal  # positive: what it takes off


@dataclass
class Amounts:
    shops: list[ShopAmounts]
    discounts: list[DiscountAmount]
    currency: str = "EUR"

    @property
    def total(self) -> Decimal:
        return sum((shop.subtotal for shop in self.shops), ZERO)

    @property
    def discount_total(self) -> Decimal:
        return sum((discount.amount for discount in self.discounts), ZERO)

    @property
    def before_discounts(self) -> Decimal:
        return self.total + self.discount_total

    def of_shop(self, shop_id: int) -> ShopAmounts | None:
        return next((shop for shop in self.shops if shop.shop_id == shop_id), None)


def _named(discounts: dict[str, Decimal]) -> list[DiscountAmount]:
    return [DiscountAmount(name=name, amount=amount) for name, amount in discounts.items() if amount]


def basket_amounts_get(*, basket) -> Amounts:
    """A basket after its offers and vouchers, by shop (shops by name); no query beyond the lines."""
    shops: dict[int, ShopAmounts] = {}
    for line in basket.all_lines():
        shop = getattr(line.stockrecord.partner, "shop", None) if line.stockrecord_id else None
        key = shop.pk if shop is not None else -line.stockrecord.partner_id
        group = shops.setdefault(key, ShopAmounts(shop_id=key, shop_name=shop.name if shop else line.stockrecord.partner.name,
                                                  shop_slug=shop.slug if shop else ""))
        price = line.line_price_incl_tax_incl_discounts or ZERO
        group.lines.append(LineAmount(
            title=line.product.get_title(), quantity=line.quantity, unit_price=line.unit_price_incl_tax or ZERO,
            price=price, discount=(line.line_price_incl_tax or ZERO) - price,
        ))
    named: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for application in list(basket.offer_discounts) + list(basket.voucher_discounts):
        voucher = application.get("voucher")
        named[voucher_label(voucher.code) if voucher else application["name"]] += application["discount"]
    return Amounts(shops=sorted(shops.values(), key=lambda s: (s.shop_name, s.shop_id)), discounts=_named(named),
                   currency=basket.currency or "EUR")


def order_amounts_get(*, order) -> Amounts:
    """An order as it stands now, by shop (its parts' order: shops by name).

    Reads ``order.shop_orders`` with their shop and lines, each line's ``discounts`` and
    their ``order_discount`` (``order_parts_prefetch`` loads them): no query then.
    """
    return order_amounts_from_parts(order=order, parts=order.shop_orders.all())


def order_amounts_from_parts(*, order, parts) -> Amounts:
    """``order_amounts_get`` from parts already read (with the same related rows)."""
    shops: list[ShopAmounts] = []
    named: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for part in parts:
        cancelled = part.status == ShopOrderStatus.CANCELLED
        group = ShopAmounts(shop_id=part.shop_id, shop_name=part.shop.name, shop_slug=part.shop.slug,
                            cancelled=cancelled)
        for line in part.lines.all():
            kept = 0 if cancelled else line.quantity - line.quantity_unavailable
            discount = ZERO
            for line_discount in line.discounts.all():
                share = _prorate(line_discount.amount, kept, line.quantity)
                order_discount = line_discount.order_discount
                name = voucher_label(order_discount.voucher_code) if order_discount.voucher_code else (
                    order_discount.offer_name)
                named[name] += share
                discount += share
            group.lines.append(LineAmount(
                title=line.title, quantity=line.quantity, unit_price=line.unit_price_incl_tax or ZERO,
                price=_prorate(line.line_price_incl_tax, kept, line.quantity), discount=discount,
                unavailable=line.quantity_unavailable,
            ))
        shops.append(group)
    return Amounts(shops=shops, discounts=_named(named), currency=order.currency or "EUR")
