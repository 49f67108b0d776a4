"""The one way tests build a placed order: through the checkout's own services.

``order_placed`` fills a real basket, holds its stock (``shops.stock``) and its slot(s)
(``logistics.services.holds``) as choosing a slot does, then places it with
``order_place`` — or, ``paid``, with ``checkout_complete``, the card authorised on the
local Stripe server. The order, its lines, its shop orders, the allocation, the slot
bookings and the e-mails owed are therefore exactly the checkout's. Only the choice of
slot skips the feasibility rules (opening hours, preparation time), so tests pick any
slot, also one that has passed (the order is then placed an hour before it).
"""
from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from logistics.models import CollectionPoint, PointKind, Slot
from logistics.services.holds import basket_slots_hold
from marketplace.basket.applicator import Applicator
from marketplace.checkout.services import basket_parts, checkout_complete, hold_minutes, order_place
from marketplace.checkout.services.basket import stock_needed
from marketplace.order.models import FulfilmentMode, Order
from marketplace.partner.models import StockRecord
from shops import stock
from tests.factories.logistics import CollectionPointFactory, SlotFactory

#: How long before its slot an order is placed when that slot has passed (or starts soon).
BEFORE_SLOT = dt.timedelta(hours=1)


def shop_counter(shop) -> CollectionPoint:
    """The shop's own counter (created on first use)."""
    point, _ = CollectionPoint.objects.get_or_create(
        kind=PointKind.SHOP_COUNTER, shop=shop, defaults={"name": f"Comptoir {shop.name}"}
    )
    return point


def _payable(shops) -> None:
    """Each shop can be paid (an account in the database; ``connected_shop`` makes real ones)."""
    from marketplace.payments.models import ShopPaymentAccount
    from tests.factories.payments import ShopPaymentAccountFactory

    have = set(ShopPaymentAccount.objects.filter(shop__in=shops).values_list("shop_id", flat=True))
    for shop in shops:
        if shop.pk not in have:
            ShopPaymentAccountFactory(shop=shop)


def _slots_wanted(shops, mode: str, point, slot) -> dict[int | None, Slot]:
    """The slot of each part: ``slot`` at ``point`` for the whole basket, else one per shop at its counter."""
    if mode == FulfilmentMode.AT_POINT:
        return {None: slot}
    wanted = {}
    for shop in shops:
        counter = shop_counter(shop)
        wanted[shop.pk] = Slot.objects.filter(point=counter).order_by("starts_at").first() or SlotFactory(point=counter)
    return wanted


def order_placed(
    *,
    items: list[tuple[StockRecord, int]],
    mode: str = FulfilmentMode.AT_SHOPS,
    point: CollectionPoint | None = None,
    slot: Slot | None = None,
    user=None,
    guest_email: str = "client@example.test",
    phone: str = "",
    paid: bool = False,
    payment_method: str = "pm_card_visa",
    vouchers=(),
) -> Order:
    """An order of ``items`` ((offer, quantity) pairs, several shops allowed), just placed (all parts new).

    ``mode`` at shops: one slot per shop at its counter (its first slot, else a new one
    tomorrow). At a point: ``point`` (a new town point by default) and ``slot`` shared by
    all parts. ``paid``: through ``checkout_complete`` (needs the ``stripe_local`` fixture).
    """
    from tests.factories.town import basket_of

    shops = list({offer.partner.shop.pk: offer.partner.shop for offer, _ in items}.values())
    _payable(shops)
    if mode == FulfilmentMode.AT_POINT:
        point = point or CollectionPointFactory()
        slot = slot or SlotFactory(point=point)
    wanted = _slots_wanted(shops, mode, point, slot)
    now = min(timezone.now(), *(s.starts_at - BEFORE_SLOT for s in wanted.values()))
    basket = basket_of(items, owner=user if user is not None and user.is_authenticated else None)
    if vouchers:  # codes the shopper typed in the basket
        basket.vouchers.add(*vouchers)
    # The town's offers, as every page with the basket applies them.
    Applicator().apply(basket, basket.owner or (AnonymousUser() if vouchers else None))
    parts = basket_parts(basket=basket)
    expires_at = now + dt.timedelta(minutes=hold_minutes())
    with transaction.atomic():  # what choosing the slot(s) holds
        held = stock.basket_stock_hold(basket_id=str(basket.pk), needed=stock_needed(parts), expires_at=expires_at)
        assert held.refused is None, f"not enough stock for offer {held.refused}"
        basket_slots_hold(basket_id=basket.pk, wanted={part: (s.pk, s.point_id) for part, s in wanted.items()},
                          now=now, expires_at=expires_at)
    shopper = user if user is not None else AnonymousUser()
    email = "" if shopper.is_authenticated else guest_email
    if paid:
        return checkout_complete(basket=basket, shopper=shopper, mode=mode, point=point, payment_method=payment_method,
                                 guest_email=email, phone=phone, now=now)
    return order_place(basket=basket, user=shopper, mode=mode, point=point, guest_email=email, phone=phone, now=now)

