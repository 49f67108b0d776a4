"""``{% order_pickup order %}``: the pickup block (code, QR code, slot, place, parts) on any order page."""
from __future__ import annotations

from django import template
from django.urls import reverse

from logistics.pickup.qr import qr_svg_inline
from logistics.pickup.selectors import order_for_pickup_get, order_pickup_summary
from logistics.pickup.tokens import order_status_token

register = template.Library()


@register.inclusion_tag("pickup/_order_pickup.html")
def order_pickup(order) -> dict:
    summary = order_pickup_summary(order=order_for_pickup_get(pk=order.pk))
    token = order_status_token(order_number=order.number)
    return {
        "summary": summary,
        "qr_svg": qr_svg_inline(summary.code) if summary.code_open else "",
        "cancel_url": reverse("pickup:order-cancel", kwargs={"number": order.number, "token": token}),
        "delivery_change_url": reverse("delivery:order-change", kwargs={"number": order.number, "token": token})
        if summary.delivery else "",
    }


@register.simple_tag
def order_status_link(order) -> str:
    """The path of the order's status page (the link the shopper also gets by e-mail)."""
    from logistics.pickup.tokens import order_status_path

    return order_status_path(order_number=order.number)
