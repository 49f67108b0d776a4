"""Placed orders in a consistent state, without going through the checkout pages.

``order_placed`` books the slots (converted holds), allocates the units on the
offers and creates the order, its lines and one shop order per shop, like a
checkout would; tests of the workflow and of pickup start from there.
"""
from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from decimal import Decimal

from django.contrib.sites.models import Site
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from logistics.models import CollectionPoint, HoldStatus, PointKind, Slot, SlotHold
from marketplace.order.models import FulfilmentMode, Line, Order
from marketplace.order.services import ShopOrderPart, shop_orders_create
from marketplace.partner.models import StockRecord
from marketplace.partner.strategy import split_vat
from tests.factories.logistics import CollectionPointFactory, SlotFactory

_numbers = itertools.count(500001)


def shop_counter(shop) -> CollectionPoint:
    """The shop's own counter (created on first use)."""
    point, _ = CollectionPoint.objects.get_or_create(
        kind=PointKind.SHOP_COUNTER, shop=shop, defaults={"name": f"Comptoir {shop.name}"}
    )
    return point


def _book(slot: Slot, basket_id: int, shop=None) -> SlotHold:
    Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)
    return SlotHold.objects.create(
        slot=slot, basket_id=basket_id, shop=shop, status=HoldStatus.CONVERTED,
        expires_at=timezone.now() + dt.timedelta(minutes=15),
    )


def order_placed(
    *,
    items: list[tuple[StockRecord, int]],
    mode: str = FulfilmentMode.AT_SHOPS,
    point: CollectionPoint | None = None,
    slot: Slot | None = None,
    user=None,
    guest_email: str = "client@example.test",
) -> Order:
    """An order of ``items`` ((offer, quantity) pairs, several shops allowed), just placed (all parts new).

    ``mode`` at shops: one slot per shop at its counter (tomorrow 10:00). At a
    point: ``point`` (a new town point by default) and ``slot`` shared by all parts.
    """
    with transaction.atomic():
        number = str(next(_numbers))
        by_shop = defaultdict(list)
        for offer, quantity in items:
            by_shop[offer.partner.shop].append((offer, quantity))
        total = sum((offer.price * q for offer, q in items), Decimal("0.00"))
        order_point = None
        if mode == FulfilmentMode.AT_POINT:
            order_point = point or CollectionPointFactory()
            slot = slot or SlotFactory(point=order_point)
        order = Order.objects.create(
            number=number,
            site=Site.objects.get_current(),
            user=user,
            guest_email="" if user else guest_email,
            currency="EUR",
            total_incl_tax=total,
            total_excl_tax=total,
            fulfilment_mode=mode,
            collection_point=order_point,
            date_placed=timezone.now(),
        )
        shared_hold = _book(slot, int(number)) if mode == FulfilmentMode.AT_POINT else None
        parts = []
        for shop, offers in sorted(by_shop.items(), key=lambda kv: kv[0].pk):
            lines = []
            for offer, quantity in offers:
                StockRecord.objects.filter(pk=offer.pk).update(num_allocated=F("num_allocated") + quantity)
                incl = offer.price * quantity
                net, _vat = split_vat(incl, offer.product.get_product_class().vat_rate)
                lines.append(
                    Line.objects.create(
                        order=order, partner=offer.partner, partner_name=offer.partner.name,
                        partner_sku=offer.partner_sku, stockrecord=offer, product=offer.product,
                        title=offer.product.title, upc=offer.product.upc, quantity=quantity,
                        line_price_incl_tax=incl, line_price_excl_tax=net,
                        line_price_before_discounts_incl_tax=incl, line_price_before_discounts_excl_tax=net,
                        unit_price_incl_tax=offer.price, unit_price_excl_tax=net / quantity,
                        num_allocated=quantity,
                    )
                )
            if mode == FulfilmentMode.AT_POINT:
                part_point, part_slot, hold = order_point, slot, shared_hold
            else:
                part_point = shop_counter(shop)
                part_slot = Slot.objects.filter(point=part_point).order_by("starts_at").first() or SlotFactory(
                    point=part_point
                )
                hold = _book(part_slot, int(number), shop)
            parts.append(ShopOrderPart(shop=shop, collection_point=part_point, slot=part_slot, slot_hold=hold, lines=lines))
        shop_orders_create(order=order, parts=parts)
    return order
