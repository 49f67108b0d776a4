"""The merchant's side of delivery: the delivery orders in the shop's queue, grouped by window,
with the drop time at the rounds' depot and the parcel count; the picking list with one
label per parcel and a code the courier scans (QR drawn locally with segno).

A delivered part is one parcel (``checkout.services.delivery.basket_parcels``); its code is
``L-<order number>-<part id>``, printed and encoded on the label.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import segno
from django.db.models import Prefetch
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.translation import gettext as _

from logistics.delivery.models import DeliveryWindow
from logistics.delivery.selectors import window_drop_at
from marketplace.order.models import FulfilmentMode, Line, ShopOrder, ShopOrderStatus
from shops.backoffice.access import backoffice_view

S = ShopOrderStatus
IN_SHOP = (S.NEW, S.ACCEPTED, S.PREPARING, S.READY)


def parcel_code(shop_order: ShopOrder) -> str:
    return f"L-{shop_order.order.number}-{shop_order.pk}"


def parcel_qr_svg(code: str) -> str:
    return segno.make(code, error="m", micro=False).svg_inline(scale=4, border=2, title=_("Colis %(code)s") % {
        "code": code})


@dataclass
class DeliveryGroup:
    window: DeliveryWindow
    drop_at: dt.datetime
    depot_name: str
    shop_orders: list[ShopOrder] = field(default_factory=list)

    @property
    def parcels(self) -> int:
        return len(self.shop_orders)


def delivery_queue(*, shop, statuses=IN_SHOP, window_id: int | None = None) -> list[DeliveryGroup]:
    """This shop's delivered parts still in the shop, by window (soonest first); 2 queries."""
    parts = (
        ShopOrder.objects.filter(shop=shop, status__in=list(statuses), order__fulfilment_mode=FulfilmentMode.DELIVERY)
        .select_related("order__delivery__window", "collection_point")
        .prefetch_related(Prefetch("lines", queryset=Line.objects.order_by("pk")))
        .order_by("order__delivery__window__starts_at", "order__number", "pk")
    )
    if window_id is not None:
        parts = parts.filter(order__delivery__window_id=window_id)
    groups: dict[int, DeliveryGroup] = {}
    for part in parts:
        window = part.order.delivery.window
        group = groups.get(window.pk)
        if group is None:
            group = groups[window.pk] = DeliveryGroup(window=window, drop_at=window_drop_at(window),
                                                      depot_name=part.collection_point.name)
        group.shop_orders.append(part)
    return list(groups.values())


@backoffice_view
def delivery_picking_list(request, window_pk: int):
    """Printable: this shop's parts for one delivery window, each with its parcel label."""
    groups = delivery_queue(shop=request.shop, window_id=window_pk)
    if not groups:
        raise Http404(_("Aucune livraison à préparer pour cette fenêtre."))
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    labels = [(part, parcel_code(part), parcel_qr_svg(parcel_code(part))) for part in groups[0].shop_orders]
    return render(request, "delivery/backoffice/picking_list.html", {"group": groups[0], "labels": labels})
