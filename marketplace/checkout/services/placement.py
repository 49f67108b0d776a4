"""Placing the order: the basket's holds become the order's allocation and slot bookings.

``order_place`` runs three steps in one transaction: ``_holds_verified`` (the stock
holds cover the basket exactly and are unexpired), ``_bookings_converted`` (the slot
holds become bookings, at the right points, under the shops' daily caps) and
``_order_written`` (the order, its lines, one ``ShopOrder`` per shop, the payment
linked, the shopper's and the merchants' e-mails owed). Raises ``CheckoutError``
(nothing written) with the step to go back to.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from oscar.apps.shipping.methods import NoShippingRequired

from logistics.exceptions import HoldExpired
from logistics.models import CollectionPoint, SlotHold
from logistics.services.holds import basket_slots_convert
from marketplace.checkout.exceptions import CheckoutError
from marketplace.checkout.services.basket import BASKET_CHANGED, BasketPart, basket_parts, basket_total, stock_needed
from marketplace.checkout.services.delivery import (
    delivery_converted,
    delivery_order_attach,
    delivery_shipping,
    total_with_fee,
)
from marketplace.checkout.services.slots import _cap_message, shop_counter_points
from marketplace.notifications.models import NotificationEvent
from marketplace.notifications.services import notification_enqueue, shop_orders_placed_notify
from marketplace.order import locks
from marketplace.order.creation import ShopOrderPart, shop_orders_create
from marketplace.order.models import FulfilmentMode, Order
from marketplace.order.selectors import shop_orders_by_day_count
from marketplace.order.utils import OrderCreator, OrderNumberGenerator
from marketplace.payments.services import payment_attach_order
from marketplace.promotions.services.budget import PromotionChanged
from marketplace.promotions.services.placement import order_promotions_record
from shops import stock


@dataclass(frozen=True)
class Placement:
    """What the shopper chose: how to collect, where, and how to reach them."""

    user: object
    mode: str
    point: CollectionPoint | None
    guest_email: str = ""
    phone: str = ""


def order_place(
    *,
    basket,
    user,
    mode: str,
    point: CollectionPoint | None,
    guest_email: str = "",
    phone: str = "",
    order_number: str | None = None,
    status: str = "",
    request=None,
    after_create: Callable[[Order], None] | None = None,
    now: dt.datetime | None = None,
) -> Order:
    """Place the order of ``basket``: its holds become the order's allocation and slot bookings.

    One transaction: the basket's stock holds must cover exactly its lines and be
    unexpired, every shop must still sell and be under its daily order cap on the
    slot's day, the slot holds are converted into bookings, then the order, its lines
    and one ``ShopOrder`` per shop are written and the basket submitted.
    ``after_create(order)`` runs inside, once the order exists (the checkout saves the
    payment's records there).
    """
    now = now or timezone.now()
    parts = basket_parts(basket=basket)
    if mode == FulfilmentMode.AT_POINT and point is None:
        raise CheckoutError("Choisissez un point de retrait.", step="contact")
    chosen = Placement(user=user, mode=mode, point=point, guest_email=guest_email, phone=phone)
    with transaction.atomic():
        holds = _holds_verified(basket=basket, parts=parts, now=now)
        if mode == FulfilmentMode.DELIVERY:  # the window instead of slots (checkout.services.delivery)
            delivery = delivery_converted(basket=basket, now=now)
            booking_of = {}
            _check_daily_caps(parts, {part.shop.pk: delivery.window.starts_at for part in parts})
        else:
            delivery = None
            booking_of = _bookings_converted(basket=basket, parts=parts, chosen=chosen, now=now)
        order = _order_written(basket=basket, parts=parts, chosen=chosen, booking_of=booking_of,
                               order_number=order_number, status=status, request=request, delivery=delivery)
        try:  # budgets spent, each discount's funder, voucher uses (promotions' lock order: after the shops)
            order_promotions_record(order=order, basket=basket, now=now)
        except PromotionChanged as error:
            raise CheckoutError(error.message, step="basket") from None
        stock.stock_holds_convert(holds=holds)
        if after_create is not None:
            after_create(order)
        basket.submit()
    return order


def _holds_verified(*, basket, parts: list[BasketPart], now: dt.datetime) -> list:
    """The basket's stock holds, locked: they must cover exactly its lines and be unexpired."""
    holds = stock.stock_holds_of_basket_lock(basket_id=str(basket.pk))
    held: dict[int, int] = defaultdict(int)
    for hold in holds:
        held[hold.stockrecord_id] += hold.quantity
    basket_model = basket.__class__  # the model even through the middleware's SimpleLazyObject
    if not holds and basket_model.objects.filter(pk=basket.pk, status=basket_model.SUBMITTED).exists():
        raise CheckoutError("Cette commande est déjà enregistrée.", step="thank-you")
    if dict(held) != stock_needed(parts):
        raise CheckoutError(BASKET_CHANGED)
    if any(hold.expires_at <= now for hold in holds):
        raise CheckoutError(HoldExpired.default_message)
    return holds


def _bookings_converted(*, basket, parts: list[BasketPart], chosen: Placement, now: dt.datetime) -> dict[str, SlotHold]:
    """Each part's slot hold, converted into a booking: the whole basket's at a point, each
    shop's own at its counter; by part key. Checks the points and the shops' daily caps."""
    at_point = chosen.mode == FulfilmentMode.AT_POINT
    try:
        bookings = basket_slots_convert(
            basket_id=basket.pk, parts=[None] if at_point else [p.shop.pk for p in parts], now=now
        )
    except HoldExpired as error:
        raise CheckoutError(error.message) from None
    booking_of = {part.key: bookings[None if at_point else part.shop.pk] for part in parts}
    counters = {} if at_point else shop_counter_points(shops=[p.shop for p in parts])
    for part in parts:
        hold = booking_of[part.key]
        expected = chosen.point if at_point else counters.get(part.shop.pk)
        if expected is None or hold.slot.point_id != expected.pk:
            raise CheckoutError(BASKET_CHANGED)
        hold.slot.point = expected
    _check_daily_caps(parts, {part.shop.pk: booking_of[part.key].slot.starts_at for part in parts})
    return booking_of


def _check_daily_caps(parts: list[BasketPart], starts_of: dict[int, dt.datetime]) -> None:
    """Under the capped shops' row locks, so two last orders of the day cannot both pass.
    ``starts_of``: when each shop's part is collected or delivered, by shop id."""
    capped_ids = [p.shop.pk for p in parts if p.shop.daily_order_cap is not None]
    if not capped_ids:
        return
    capped = locks.shops_capped_lock(shop_ids=capped_ids)
    start_of = {shop_id: starts for shop_id, starts in starts_of.items() if shop_id in capped}
    day_of = {shop_id: timezone.localtime(starts).date() for shop_id, starts in start_of.items()}
    counts = shop_orders_by_day_count(shop_ids=capped, days=set(day_of.values()))
    for shop_id, starts in start_of.items():
        shop = capped[shop_id]
        if counts.get((shop_id, day_of[shop_id]), 0) >= shop.daily_order_cap:
            raise CheckoutError(_cap_message(shop, starts))


def _order_written(
    *, basket, parts: list[BasketPart], chosen: Placement, booking_of: dict[str, SlotHold],
    order_number: str | None, status: str, request, delivery=None,
) -> Order:
    """The order and its lines (Oscar's creator), one ``ShopOrder`` per shop, the card payment
    linked to it and the e-mails owed, all in the placement's transaction. A delivered order
    (``delivery``: its booking) charges the fee as shipping; its parts go to the rounds' depot."""
    user = chosen.user
    signed_in = user is not None and user.is_authenticated
    shipping = delivery_shipping(fee=delivery.fee) if delivery else NoShippingRequired()
    total = basket_total(basket=basket)
    point = chosen.point if chosen.mode == FulfilmentMode.AT_POINT else None
    if delivery is not None:
        total, point = total_with_fee(total, delivery.fee), delivery.zone.depot
    creator = OrderCreator()
    order = creator.place_order(
        basket=basket,
        total=total,
        shipping_method=shipping,
        shipping_charge=shipping.calculate(basket),
        user=user,
        order_number=str(order_number or OrderNumberGenerator().order_number(basket)),
        status=status,
        request=request,
        guest_email="" if signed_in else chosen.guest_email,
        fulfilment_mode=chosen.mode,
        collection_point=point,
        contact_phone=chosen.phone,
    )
    lines_by_basket_line = creator.lines_by_basket_line
    shop_orders = shop_orders_create(
        order=order,
        parts=[
            ShopOrderPart(
                shop=part.shop,
                collection_point=point if delivery else booking_of[part.key].slot.point,
                slot=None if delivery else booking_of[part.key].slot,
                slot_hold=None if delivery else booking_of[part.key],
                lines=[lines_by_basket_line[line.pk] for line in part.lines],
            )
            for part in parts
        ],
    )
    if delivery is not None:
        delivery_order_attach(booking=delivery, order=order)
    payment_attach_order(order=order)  # the card authorised under the order's number, if any
    notification_enqueue(order=order, event=NotificationEvent.ORDER_PLACED)
    shop_orders_placed_notify(order=order, shop_orders=shop_orders)
    return order
