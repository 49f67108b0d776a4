"""Basket grouping by shop, computed from the lines already loaded."""
from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.simple_tag
def basket_shop_groups(basket) -> dict[int, dict]:
    """{partner id: {"shop", "subtotal" (VAT incl., after discounts), "items"}}."""
    groups: dict[int, dict] = {}
    for line in basket.all_lines():
        partner = line.stockrecord.partner
        group = groups.setdefault(
            partner.pk, {"shop": getattr(partner, "shop", None), "subtotal": Decimal("0.00"), "items": 0}
        )
        group["subtotal"] += line.line_price_incl_tax_incl_discounts or Decimal("0.00")
        group["items"] += line.quantity
    return groups


@register.filter
def group_for(groups: dict, partner_id):
    return groups.get(partner_id, {})


@register.simple_tag
def product_offers(request, product) -> list[dict]:
    """Every selling shop's offer of ``product``, cheapest first, with its purchase info."""
    from marketplace.partner.strategy import shop_is_selling
    from shops.selectors import shop_is_open

    offers = []
    for stockrecord in product.stockrecords.select_related("partner__shop").prefetch_related(
        "partner__shop__opening_periods"
    ):
        if not shop_is_selling(stockrecord) or stockrecord.price is None:
            continue
        shop = stockrecord.partner.shop
        offers.append(
            {
                "stockrecord": stockrecord,
                "shop": shop,
                "info": request.strategy.fetch_for_product(product, stockrecord=stockrecord),
                "is_open": shop_is_open(shop=shop),
            }
        )
    return sorted(offers, key=lambda offer: (offer["stockrecord"].price, offer["stockrecord"].pk))
