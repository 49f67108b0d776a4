"""Several past weeks of orders for the demo town, so the statistics say something on the first run.

Written directly as the historical rows the workflow and the payments would have
left (orders, lines, shop orders with their timestamps, past slots with their
bookings, one captured payment per order with a balanced ledger — capture,
commission, transfer; refund, negative commission and reversal for a part nobody
collected), not through the live services: the demo's Stripe server is not up
while the town is seeded, and going through the checkout for 600 orders would
make ``make run`` slow. Deterministic (same seed, same history) and idempotent
(the orders are numbered ``H<seed>-…``; a second run adds nothing). The payments
carry no PaymentIntent id, so the reconciliation checks their ledger without
asking Stripe about them.
"""
from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.contrib.sites.models import Site
from django.db import transaction
from django.utils import timezone

from logistics.models import CollectionPoint, PointKind, Slot
from marketplace.order.models import (
    CancelReason,
    FulfilmentMode,
    Line,
    Order,
    ShopOrder,
    ShopOrderStatus,
)
from marketplace.partner.models import StockRecord
from marketplace.payments.models import (
    EntryKind,
    LedgerEntry,
    Payment,
    PaymentPart,
    PaymentStatus,
    StripeCall,
)
from marketplace.payments.split import part_split, to_cents

RATE = Decimal("5.50")
ORDERS_PER_DAY = (7, 8, 9, 10, 14, 22, 9)  # Monday … Sunday, on average
SHOPPERS = 140


def _at(day: dt.date, minutes: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_default_timezone()) + dt.timedelta(minutes=minutes)


def history_seed(*, weeks: int, seed: int = 1, today: dt.date | None = None) -> int:
    """``weeks`` weeks of orders ending yesterday; returns how many orders it created."""
    if weeks <= 0:
        return 0
    prefix = f"H{seed}-"
    if Order.objects.filter(number__startswith=prefix).exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(f"history-{seed}")
    offers_by_shop = defaultdict(list)
    for offer in StockRecord.objects.filter(partner__shop__isnull=False).select_related("product", "partner__shop") \
            .order_by("pk"):
        offers_by_shop[offer.partner.shop].append(offer)
    shops = sorted(offers_by_shop, key=lambda s: s.pk)
    point = CollectionPoint.objects.filter(kind=PointKind.TOWN_POINT).order_by("pk").first()
    lockers = CollectionPoint.objects.filter(kind=PointKind.LOCKER_BANK).order_by("pk").first()
    counters = {p.shop_id: p for p in CollectionPoint.objects.filter(kind=PointKind.SHOP_COUNTER)}
    if not shops or point is None:
        return 0
    popularity = [1.0 + 3.0 * rng.random() for _ in shops]
    site = Site.objects.get_current()
    with transaction.atomic():
        created = _write(rng, prefix, shops, offers_by_shop, popularity, point, lockers, counters, site, today, weeks)
    return created


def _slot(cache: dict, point: CollectionPoint, start: dt.datetime) -> Slot:
    key = (point.pk, start)
    if key not in cache:
        cache[key], _ = Slot.objects.get_or_create(
            point=point, starts_at=start, defaults={"ends_at": start + dt.timedelta(hours=1), "capacity": 8})
    return cache[key]


def _write(rng, prefix, shops, offers_by_shop, popularity, point, lockers, counters, site, today, weeks) -> int:
    slots: dict = {}
    booked = defaultdict(int)
    number = 0
    first = today - dt.timedelta(days=7 * weeks)
    for offset in range((today - first).days):
        day = first + dt.timedelta(days=offset)
        for _n in range(max(1, round(rng.gauss(ORDERS_PER_DAY[day.weekday()], 2)))):
            number += 1
            _order(rng, f"{prefix}{number:05d}", day, shops, offers_by_shop, popularity, point, lockers, counters,
                   site, slots, booked)
    for slot_pk, count in booked.items():
        Slot.objects.filter(pk=slot_pk).update(booked=count)
    return number


def _order(rng, number, day, shops, offers_by_shop, popularity, point, lockers, counters, site, slots, booked):
    placed = _at(day, rng.randint(7 * 60, 22 * 60))
    in_shops = rng.choices(shops, weights=popularity, k=1 + (rng.random() < 0.35) + (rng.random() < 0.12))
    chosen = sorted(set(in_shops), key=lambda s: s.pk)
    at_point = len(chosen) > 1 or rng.random() < 0.3
    where = (lockers if lockers is not None and rng.random() < 0.35 else point) if at_point else None
    slot_day = day + dt.timedelta(days=1 if rng.random() < 0.8 else 2)
    slot_start = _at(slot_day, 60 * rng.randint(10, 18))
    shopper = rng.randrange(SHOPPERS)
    order = Order.objects.create(
        number=number, site=site, guest_email="client@halle.test" if shopper == 0 else f"client{shopper}@exemple.test",
        currency="EUR", total_incl_tax=0, total_excl_tax=0, status="Commandée",
        fulfilment_mode=FulfilmentMode.AT_POINT if at_point else FulfilmentMode.AT_SHOPS, collection_point=where,
        date_placed=placed,
    )
    payment = Payment.objects.create(order_number=number, order=order, amount_cents=1, status=PaymentStatus.CAPTURED,
                                     payment_method="pm_card_visa")
    entries, total = [], Decimal(0)
    captured_cents = refunded_cents = 0
    for shop in chosen:
        part_point = where or counters.get(shop.pk)
        if part_point is None:
            continue
        slot = _slot(slots, part_point, slot_start)
        booked[slot.pk] += 1
        lines, value = [], Decimal(0)
        for offer in rng.sample(offers_by_shop[shop], k=min(len(offers_by_shop[shop]), rng.randint(1, 3))):
            quantity = rng.randint(1, 3)
            price = offer.price * quantity
            value += price
            lines.append(Line(order=order, partner=offer.partner, partner_name=shop.name, partner_sku=offer.partner_sku,
                              stockrecord=offer, product=offer.product, title=offer.product.title, quantity=quantity,
                              line_price_incl_tax=price, line_price_excl_tax=price,
                              line_price_before_discounts_incl_tax=price, line_price_before_discounts_excl_tax=price,
                              unit_price_incl_tax=offer.price, unit_price_excl_tax=offer.price, num_allocated=0))
        total += value
        fate = rng.random()
        accepted = placed + dt.timedelta(minutes=rng.randint(10, 120))
        ready = slot_start - dt.timedelta(minutes=rng.randint(-25, 180))  # mostly before the slot
        part = ShopOrder(order=order, shop=shop, collection_point=part_point, slot=slot,
                         total_incl_tax=value, total_excl_tax=value, accepted_at=accepted, ready_at=ready,
                         preparing_at=accepted, dropped_at=ready if at_point else None)
        if fate < 0.07:
            part.status, part.cancel_reason = ShopOrderStatus.CANCELLED, CancelReason.NO_SHOW
            part.cancelled_at = slot_start + dt.timedelta(days=3)
        else:
            part.status = ShopOrderStatus.COLLECTED
            part.collected_at = max(ready, slot_start) + dt.timedelta(minutes=rng.randint(0, 90 if fate < 0.9 else 1500))
        part.save()
        ShopOrder.objects.filter(pk=part.pk).update(created_at=placed, updated_at=part.collected_at or part.cancelled_at)
        for line in lines:
            line.shop_order = part
        Line.objects.bulk_create(lines)
        cents = to_cents(value)
        split = part_split(paid_cents=cents, gross_cents=cents, rate=RATE)
        PaymentPart.objects.create(payment=payment, shop=shop, commission_rate=RATE, gross_cents=cents, paid_cents=cents,
                                   cancelled_reason=CancelReason.NO_SHOW if part.cancelled_at else "")
        captured_at = accepted + dt.timedelta(minutes=5)
        entries.append((captured_at, shop, {EntryKind.CAPTURE: cents, EntryKind.COMMISSION: split.commission_cents,
                                            EntryKind.TRANSFER: split.transfer_cents}))
        captured_cents += cents
        if part.cancelled_at:
            entries.append((part.cancelled_at, shop, {EntryKind.REFUND: cents, EntryKind.COMMISSION: -split.commission_cents,
                                                      EntryKind.REVERSAL: split.transfer_cents}))
            refunded_cents += cents
    Order.objects.filter(pk=order.pk).update(total_incl_tax=total, total_excl_tax=total)
    Payment.objects.filter(pk=payment.pk).update(
        amount_cents=max(captured_cents, 1), amount_authorised_cents=captured_cents, amount_captured_cents=captured_cents,
        amount_refunded_cents=refunded_cents, authorised_at=placed, captured_at=placed + dt.timedelta(hours=2))
    for step, (at, shop, moves) in enumerate(entries):
        call = StripeCall.objects.create(payment=payment, operation=f"demo-history-{step}", attempt=1,
                                         idempotency_key=f"demo-history-{number}-{step}",
                                         status=StripeCall.Status.SUCCEEDED)
        rows = LedgerEntry.objects.bulk_create(
            LedgerEntry(payment=payment, order_number=number, shop=shop, kind=kind, amount_cents=amount, call=call)
            for kind, amount in moves.items())
        LedgerEntry.objects.filter(pk__in=[r.pk for r in rows]).update(created_at=at)
