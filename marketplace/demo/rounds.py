"""The demo's delivery orders and their planned rounds: three orders delivered in the next
window (one basket from two shops), every part ready at the town point, and the window's
rounds planned through the same service as the beat task, so that ``coursier1@halle.test``
opens a round right after ``make run``. Idempotent (orders ``LIV…`` are made once, a
planned window is not planned again)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

#: Seconds the demo gives the solver (the demo window is tiny).
DEMO_TIME_LIMIT = 2.0
PREFIX = "LIV"


def delivery_demo_rounds(*, now: dt.datetime | None = None):
    """Make the demo delivery orders if missing, plan their window; returns the outcome (or ``None``)."""
    from django.contrib.auth import get_user_model
    from django.contrib.sites.models import Site

    from logistics.delivery.models import Address, DeliveryBooking, DeliveryWindow, DeliveryZone
    from logistics.delivery.services.rounds import window_rounds_plan
    from logistics.models import HoldStatus
    from marketplace.order.models import FulfilmentMode, Line, Order, ShopOrder, ShopOrderStatus
    from marketplace.partner.models import StockRecord

    now = now or timezone.now()
    zone = DeliveryZone.objects.filter(is_active=True).select_related("depot").order_by("pk").first()
    existing = DeliveryBooking.objects.filter(order__number__startswith=PREFIX).select_related("window").first()
    if existing is not None:
        return window_rounds_plan(window=existing.window, now=now, time_limit=DEMO_TIME_LIMIT)
    window = (DeliveryWindow.objects.filter(starts_at__gte=now, shifts__isnull=False, template__zones=zone)
              .distinct().order_by("starts_at").first()) if zone else None
    offers = list(StockRecord.objects.filter(partner__shop__isnull=False, price__isnull=False)
                  .select_related("partner__shop", "product").order_by("partner__shop__pk", "pk"))
    by_shop: dict = {}
    for offer in offers:
        by_shop.setdefault(offer.partner.shop, offer)
    addresses = list(Address.objects.filter(code_postal__in=zone.postcodes).order_by("pk")[:60:20]) if zone else []
    if window is None or len(by_shop) < 2 or len(addresses) < 3:
        return None
    shops = list(by_shop)[:3]
    baskets = [shops[:2], [shops[2 % len(shops)]], [shops[0]]]  # the first is a two-shop basket
    shopper = get_user_model().objects.filter(email="client@halle.test").first()
    site = Site.objects.get_current()
    for index, (chosen, address) in enumerate(zip(baskets, addresses), start=1):
        order = Order.objects.create(
            number=f"{PREFIX}{index:04d}", site=site, user=shopper if index == 1 else None,
            guest_email="" if index == 1 and shopper else f"client{index}@exemple.test",
            currency="EUR", total_incl_tax=0, total_excl_tax=0, status="Commandée",
            fulfilment_mode=FulfilmentMode.DELIVERY, collection_point=zone.depot, date_placed=now,
            contact_phone="06 12 34 56 78", ready_to_capture_at=now,
        )
        total = Decimal(0)
        for shop in chosen:
            offer = by_shop[shop]
            part = ShopOrder.objects.create(
                order=order, shop=shop, collection_point=zone.depot, status=ShopOrderStatus.READY,
                total_incl_tax=offer.price, total_excl_tax=offer.price, accepted_at=now, preparing_at=now, ready_at=now)
            Line.objects.create(
                order=order, shop_order=part, partner=offer.partner, partner_name=shop.name,
                partner_sku=offer.partner_sku, stockrecord=offer, product=offer.product, title=offer.product.title,
                quantity=1, line_price_incl_tax=offer.price, line_price_excl_tax=offer.price,
                line_price_before_discounts_incl_tax=offer.price, line_price_before_discounts_excl_tax=offer.price,
                unit_price_incl_tax=offer.price, unit_price_excl_tax=offer.price, num_allocated=0)
            total += offer.price
        Order.objects.filter(pk=order.pk).update(total_incl_tax=total, total_excl_tax=total)
        DeliveryBooking.objects.create(
            window=window, basket_id=10**9 + index, order=order, zone=zone, parcels=len(chosen),
            street=address.street_line, postcode=address.code_postal, town=address.nom_commune,
            complement="Code porte 1234A, 2e étage" if index == 1 else "",
            instructions="Sonner à l'interphone « Client »" if index == 1 else "",
            latitude=address.latitude, longitude=address.longitude, fee=zone.fee, expires_at=now,
            status=HoldStatus.CONVERTED)
        DeliveryWindow.objects.filter(pk=window.pk).update(booked=window.booked + sum(len(b) for b in baskets[:index]))
    return window_rounds_plan(window=window.pk, now=now, time_limit=DEMO_TIME_LIMIT)
