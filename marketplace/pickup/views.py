"""Shopper's order status page (a tokenised link, for guests too)."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from oscar.core.loading import get_model

from marketplace.pickup.qr import qr_svg_inline
from marketplace.pickup.selectors import order_pickup_summary
from marketplace.pickup.tokens import order_status_token_check

Order = get_model("order", "Order")


@require_http_methods(["GET"])
def order_status(request, number: str, token: str):
    """The order's pickup code, QR code, slot, place and the state of each shop part.

    The token is an HMAC of the order number: a wrong or tampered link is a 404,
    never a hint that the order exists.
    """
    if not order_status_token_check(order_number=number, token=token):
        raise Http404("Commande introuvable.")
    order = Order.objects.filter(number=number).first()
    if order is None:
        raise Http404("Commande introuvable.")
    summary = order_pickup_summary(order=order)
    return render(request, "pickup/order_status.html", {
        "order": order,
        "summary": summary,
        "qr_svg": qr_svg_inline(summary.code) if summary.code_open else "",
    })
