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
