"""Basket grouping by shop, computed from the lines already loaded."""
from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.simple_tag
def basket_shop_groups(basket) -> dict[int, dict]:
    """{partner id: {"shop", "subtotal" (VAT incl., after discounts), "discount" (this shop's
    lines' discounts), "items"}}."""
    groups: dict[int, dict] = {}
    for line in basket.all_lines():
        partner = line.stockrecord.partner
        group = groups.setdefault(
            partner.pk, {"shop": getattr(partner, "shop", None), "subtotal": Decimal("0.00"),
                         "discount": Decimal("0.00"), "items": 0}
        )
        after = line.line_price_incl_tax_incl_discounts or Decimal("0.00")
        group["subtotal"] += after
        group["discount"] += (line.line_price_incl_tax or Decimal("0.00")) - after
        group["items"] += line.quantity
    return groups


@register.filter
def group_for(groups: dict, partner_id):
    return groups.get(partner_id, {})


@register.simple_tag
def basket_amounts(basket):
    """The basket's amounts per shop, discounts and total (``marketplace.order.amounts``)."""
    from marketplace.order.amounts import basket_amounts_get

    return basket_amounts_get(basket=basket)


@register.filter
def shop_amounts(amounts, shop_id):
    """One shop's ``ShopAmounts`` of a basket's or an order's amounts."""
    return amounts.of_shop(shop_id) if amounts is not None else None


@register.filter
def part_address(shop_order) -> str:
    """Where a shop part is collected: its point's address, the shop's own for its counter."""
    from logistics.pickup.selectors import point_address_of

    return point_address_of(shop_order.collection_point, shop_order.shop)
