"""Holding a basket's slot(s) and stock, placing the order, expiring stock holds.

``checkout_hold`` runs when the shopper picks a slot: in one transaction it takes
the basket's units off the shelf (conditional ``UPDATE``s, see
``marketplace.order.locks``) and holds the slot(s), for ``HALLE_HOLD_MINUTES``.
``order_place`` converts both into the order's allocation and slot bookings in
the same transaction as the order itself. Nothing is checked before a lock and
written after it: the conditional update *is* the check.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from oscar.apps.shipping.methods import NoShippingRequired
from oscar.core import prices

from logistics.exceptions import HoldExpired, SlotError
from logistics.models import CollectionPoint, PointKind, Slot, SlotHold
from logistics.selectors import slots_feasible
from logistics.services.holds import basket_slots_convert, basket_slots_hold
from marketplace.checkout.exceptions import CheckoutError
from marketplace.order import locks
from marketplace.order.models import FulfilmentMode, Order
from marketplace.order.selectors import shop_orders_by_day_count
from marketplace.notifications.services import shop_orders_placed_notify
from marketplace.order.services import ShopOrderPart, shop_orders_create
from marketplace.payments.errors import ShopsCannotReceivePayments
from marketplace.payments.selectors import shops_unable_to_receive_payments
from shops import stock
from shops.models import Shop

EMPTY_BASKET = "Votre panier est vide : ajoutez des articles avant de commander."
BASKET_CHANGED = "Votre panier a changé depuis le choix du créneau : choisissez à nouveau votre créneau."
POINT_KINDS = (PointKind.TOWN_POINT, PointKind.LOCKER_BANK)


def hold_minutes() -> int:
    return int(getattr(settings, "HALLE_HOLD_MINUTES", 15))


def _day(value: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "l j F")


# --- the basket, by shop ----------------------------------------------------------------


@dataclass
class BasketPart:
    """One shop's lines of the basket; ``key`` names its slot hold in "collect at each shop" mode."""

    shop: Shop
    lines: list = field(default_factory=list)

    @property
    def key(self) -> str:
        return str(self.shop.pk)


def basket_parts(*, basket) -> list[BasketPart]:
    """The basket's lines grouped by shop (shops by name), each line with its offer.

    Raises ``CheckoutError`` for an empty basket, a line without an offer or
    price, a shop that stopped selling (suspended, on holiday) or that cannot be
    paid (no usable Stripe account).
    """
    if basket is None or basket.id is None or basket.is_empty:
        raise CheckoutError(EMPTY_BASKET, step="basket")
    if not basket.has_strategy:
        from marketplace.partner.strategy import Selector

        basket.strategy = Selector().strategy()
    parts: dict[int, BasketPart] = {}
    for line in basket.all_lines():
        stockrecord = line.stockrecord
        shop = getattr(stockrecord.partner, "shop", None) if stockrecord else None
        if shop is None or stockrecord.price is None:
            raise CheckoutError(
                f"« {line.product.get_title()} » n'est plus proposé : retirez-le de votre panier.", step="basket"
            )
        if not shop.is_selling:
            raise CheckoutError(
                f"« {shop.name} » ne prend pas de commandes en ce moment : retirez ses articles de votre panier.",
                step="basket",
            )
        parts.setdefault(shop.pk, BasketPart(shop=shop)).lines.append(line)
    unable = [] if _all_payable(part.shop for part in parts.values()) else shops_unable_to_receive_payments(
        shop_ids=parts  # one query, when some account is not known to be usable
    )
    if unable:
        raise CheckoutError(ShopsCannotReceivePayments([shop.name for shop in unable]).message, step="basket")
    return sorted(parts.values(), key=lambda p: (p.shop.name, p.shop.pk))


def _all_payable(shops) -> bool:
    """Whether every shop's payment account, read with the basket's lines, is usable."""
    for shop in shops:
        if not Shop.payment_account.is_cached(shop):
            return False
        account = getattr(shop, "payment_account", None)
        if account is None or not account.is_usable:
            return False
    return True


def _stock_needed(parts: list[BasketPart]) -> dict[int, int]:
    """Units to hold per offer (products whose class does not track stock need none)."""
    needed: dict[int, int] = defaultdict(int)
    for part in parts:
        for line in part.lines:
            if line.product.get_product_class().track_stock:
                needed[line.stockrecord_id] += line.quantity
    return dict(needed)


def shop_counter_points(*, shops: list[Shop]) -> dict[int, CollectionPoint]:
    """Each shop's own counter (active), by shop id."""
    return {
        point.shop_id: point
        for point in CollectionPoint.objects.filter(
            kind=PointKind.SHOP_COUNTER, shop__in=shops, is_active=True
        )
    }


def collection_point_get(*, point_id) -> CollectionPoint:
    """A town point or locker bank shoppers may choose; ``CheckoutError`` otherwise."""
    try:
        return CollectionPoint.objects.get(pk=int(point_id), kind__in=POINT_KINDS, is_active=True)
    except (TypeError, ValueError, CollectionPoint.DoesNotExist):
        raise CheckoutError("Choisissez un des points de retrait proposés.", step="contact") from None


# --- slots ------------------------------------------------------------------------------


def _why_not_feasible(slot_id: int, point: CollectionPoint, now: dt.datetime) -> str:
    slot = Slot.objects.filter(pk=slot_id).first()
    if slot is None:
        return "Ce créneau n'existe pas : choisissez-en un dans la liste."
    if slot.point_id != point.pk:
        return f"Ce créneau n'appartient pas à « {point.name} » : choisissez-en un dans la liste."
    if slot.starts_at <= now:
        return "Ce créneau est déjà passé : choisissez-en un autre."
    if slot.remaining <= 0:
        return "Ce créneau est complet : choisissez-en un autre."
    return "Ce créneau ne laisse pas le temps de préparer votre commande : choisissez-en un autre."


def _days_full(shops: list[Shop], days: set[dt.date]) -> dict[int, set[dt.date]]:
    """Days on which a shop with a daily order cap has reached it (one query)."""
    caps = {shop.pk: shop.daily_order_cap for shop in shops if shop.daily_order_cap is not None}
    full: dict[int, set[dt.date]] = defaultdict(set)
    for (shop_id, day), count in shop_orders_by_day_count(shop_ids=caps, days=days).items():
        if count >= caps[shop_id]:
            full[shop_id].add(day)
    return full


@dataclass
class SlotOffer:
    """Where and when one part (or the whole basket) can be collected."""

    key: str | None  # None: the whole basket
    point: CollectionPoint
    shops: list[Shop]
    slots: list[Slot]
    #: Feasible slots left out because a shop reached its daily order cap that day.
    capped: dict[int, Shop] = field(default_factory=dict)


def checkout_slot_offers(
    *, parts: list[BasketPart], mode: str, point: CollectionPoint | None, now: dt.datetime, days: int = 7
) -> list[SlotOffer]:
    """The feasible slots to choose from: one list for the basket, or one per shop at its counter.

    Slots on a day a shop's daily order cap is reached are left out.
    """
    shops = [part.shop for part in parts]
    if mode == FulfilmentMode.AT_POINT:
        if point is None:
            raise CheckoutError("Choisissez un point de retrait.", step="contact")
        offers = [SlotOffer(key=None, point=point, shops=shops,
                            slots=slots_feasible(point=point, shops=shops, now=now, days=days))]
    elif mode == FulfilmentMode.AT_SHOPS:
        counters = shop_counter_points(shops=shops)
        offers = []
        for shop in shops:
            counter = counters.get(shop.pk)
            if counter is None:
                raise CheckoutError(
                    f"« {shop.name} » ne propose pas le retrait au comptoir : "
                    "choisissez le retrait au point de retrait de la ville.",
                    step="contact",
                )
            offers.append(SlotOffer(key=str(shop.pk), point=counter, shops=[shop],
                                    slots=slots_feasible(point=counter, shops=[shop], now=now, days=days)))
    else:
        raise CheckoutError("Choisissez comment retirer votre commande.", step="contact")
    capped = [shop for shop in shops if shop.daily_order_cap is not None]
    if capped:
        days_seen = {timezone.localtime(s.starts_at).date() for offer in offers for s in offer.slots}
        full = _days_full(capped, days_seen)
        for offer in offers:
            kept = []
            for s in offer.slots:
                day = timezone.localtime(s.starts_at).date()
                shop = next((shop for shop in offer.shops if day in full.get(shop.pk, ())), None)
                if shop is None:
                    kept.append(s)
                else:
                    offer.capped[s.pk] = shop
            offer.slots = kept
    return offers


def _cap_message(shop: Shop, slot_start: dt.datetime) -> str:
    return (
        f"« {shop.name} » ne prend plus de commandes pour le {_day(slot_start)} "
        "(nombre maximum atteint) : choisissez un autre jour."
    )


def _slot_id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise CheckoutError("Choisissez un créneau dans la liste.") from None


# --- holding ----------------------------------------------------------------------------


@dataclass
class CheckoutHolds:
    expires_at: dt.datetime
    slots: dict[str | None, Slot]


def checkout_hold(
    *,
    basket,
    mode: str,
    point: CollectionPoint | None,
    choices: Mapping[str | None, object],
    now: dt.datetime | None = None,
) -> CheckoutHolds:
    """Hold the chosen slot(s) and the basket's stock for ``HALLE_HOLD_MINUTES``, all or nothing.

    ``choices`` maps the part key (``None`` for the whole basket at ``point``,
    else a shop id as text at that shop's counter) to a slot id from the form.
    Every slot must be one of ``checkout_slot_offers``' (feasible for the
    basket's shops, at the right point). Choosing again replaces the basket's
    previous holds. Raises ``CheckoutError`` with a French message: then the
    basket holds nothing new and its previous holds are untouched.
    """
    now = now or timezone.now()
    parts = basket_parts(basket=basket)
    offers = checkout_slot_offers(parts=parts, mode=mode, point=point, now=now)
    expected = {offer.key for offer in offers}
    if set(choices) != expected or any(choices[k] in (None, "") for k in expected):
        missing = [o for o in offers if choices.get(o.key) in (None, "")]
        if missing and missing[0].key is not None:
            raise CheckoutError(f"Choisissez un créneau pour « {missing[0].shops[0].name} ».")
        raise CheckoutError("Choisissez un créneau dans la liste.")
    wanted: dict[int | None, tuple[int, int]] = {}
    for offer in offers:
        slot_id = _slot_id(choices[offer.key])
        if slot_id in offer.capped:
            raise CheckoutError(_cap_message(offer.capped[slot_id], Slot.objects.get(pk=slot_id).starts_at))
        if slot_id not in {s.pk for s in offer.slots}:
            reason = _why_not_feasible(slot_id, offer.point, now)
            if offer.key is not None:
                reason = f"« {offer.shops[0].name} » : {reason[0].lower()}{reason[1:]}"
            raise CheckoutError(reason)
        wanted[_shop_of(offer.key)] = (slot_id, offer.point.pk)

    expires_at = now + dt.timedelta(minutes=hold_minutes())
    with transaction.atomic():
        _stock_hold(basket_id=str(basket.pk), parts=parts, expires_at=expires_at)
        try:
            holds = basket_slots_hold(basket_id=basket.pk, wanted=wanted, now=now, expires_at=expires_at,
                                      points={offer.point.pk: offer.point for offer in offers})
        except SlotError as error:
            shop_id = getattr(error, "part", None)
            shop = next((p.shop for p in parts if p.shop.pk == shop_id), None)
            prefix = f"« {shop.name} » : " if shop is not None else ""
            raise CheckoutError(f"{prefix}{error.message}") from None
    return CheckoutHolds(expires_at=expires_at,
                         slots={_key_of(shop_id): hold.slot for shop_id, hold in holds.items()})


def _shop_of(key: str | None) -> int | None:
    """The part a hold is taken for (``logistics``' word): a shop's id, ``None`` for the whole basket."""
    return None if key is None else int(key)


def _key_of(shop_id: int | None) -> str | None:
    return None if shop_id is None else str(shop_id)


def _stock_hold(*, basket_id: str, parts: list[BasketPart], expires_at: dt.datetime) -> None:
    """Replace the basket's stock holds by its current lines (``shops.stock``)."""
    needed = _stock_needed(parts)
    held = stock.basket_stock_hold(basket_id=basket_id, needed=needed, expires_at=expires_at)
    if held.refused is not None:
        raise CheckoutError(_stock_short_message(held.refused, parts, needed, held.previous), step="basket")


def _stock_short_message(stockrecord_id: int, parts, needed, previous) -> str:
    line = next(line for part in parts for line in part.lines if line.stockrecord_id == stockrecord_id)
    free = stock.stock_free_units(stockrecord_id=stockrecord_id, besides=previous)
    title, shop = line.product.get_title(), line.stockrecord.partner.shop.name
    if free == 0:
        return f"« {title} » n'est plus disponible chez « {shop} » : retirez-le de votre panier."
    return (
        f"Il ne reste que {free} × « {title} » chez « {shop} » (vous en demandez {needed[stockrecord_id]}) : "
        "réduisez la quantité dans votre panier."
    )


# --- placing the order --------------------------------------------------------------------


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
    after_create=None,
    now: dt.datetime | None = None,
) -> Order:
    """Place the order of ``basket``: its holds become the order's allocation and slot bookings.

    One transaction: the basket's stock holds must cover exactly its lines and be
    unexpired, every shop must still sell and be under its daily order cap on
    the slot's day, the slot holds are converted into bookings, then the order,
    its lines and one ``ShopOrder`` per shop are written and the basket
    submitted. ``after_create(order)`` runs inside, once the order exists (the
    checkout saves the payment's sources and events there).
    Raises ``CheckoutError`` (nothing written) with the step to go back to.
    """
    from marketplace.order.utils import OrderCreator, OrderNumberGenerator

    now = now or timezone.now()
    parts = basket_parts(basket=basket)
    if mode == FulfilmentMode.AT_POINT and point is None:
        raise CheckoutError("Choisissez un point de retrait.", step="contact")
    shop_parts: list[int | None] = [None] if mode == FulfilmentMode.AT_POINT else [p.shop.pk for p in parts]
    with transaction.atomic():
        holds = stock.stock_holds_of_basket_lock(basket_id=str(basket.pk))
        held: dict[int, int] = defaultdict(int)
        for hold in holds:
            held[hold.stockrecord_id] += hold.quantity
        basket_model = basket.__class__  # the model even through the middleware's SimpleLazyObject
        if not holds and basket_model.objects.filter(pk=basket.pk, status=basket_model.SUBMITTED).exists():
            raise CheckoutError("Cette commande est déjà enregistrée.", step="thank-you")
        if dict(held) != _stock_needed(parts):
            raise CheckoutError(BASKET_CHANGED)
        if any(hold.expires_at <= now for hold in holds):
            raise CheckoutError(HoldExpired.default_message)
        try:
            bookings = basket_slots_convert(basket_id=basket.pk, parts=shop_parts, now=now)
        except HoldExpired as error:
            raise CheckoutError(error.message) from None
        # Each part's converted hold: the whole basket's at a point, its own at its shop's counter.
        booking_of = {part.key: bookings[None if mode == FulfilmentMode.AT_POINT else part.shop.pk] for part in parts}
        counters = shop_counter_points(shops=[p.shop for p in parts]) if mode == FulfilmentMode.AT_SHOPS else {}
        for part in parts:
            hold = booking_of[part.key]
            expected = point if mode == FulfilmentMode.AT_POINT else counters.get(part.shop.pk)
            if expected is None or hold.slot.point_id != expected.pk:
                raise CheckoutError(BASKET_CHANGED)
            hold.slot.point = expected
        _check_daily_caps(parts, booking_of)

        number = order_number or OrderNumberGenerator().order_number(basket)
        total = basket_total(basket=basket)
        shipping = NoShippingRequired()
        creator = OrderCreator()
        order = creator.place_order(
            basket=basket,
            total=total,
            shipping_method=shipping,
            shipping_charge=shipping.calculate(basket),
            user=user,
            order_number=number,
            status=status,
            request=request,
            guest_email="" if user is not None and user.is_authenticated else guest_email,
            fulfilment_mode=mode,
            collection_point=point if mode == FulfilmentMode.AT_POINT else None,
            contact_phone=phone,
        )
        lines_by_basket_line = creator.lines_by_basket_line
        shop_orders = shop_orders_create(
            order=order,
            parts=[
                ShopOrderPart(
                    shop=part.shop,
                    collection_point=booking_of[part.key].slot.point,
                    slot=booking_of[part.key].slot,
                    slot_hold=booking_of[part.key],
                    lines=[lines_by_basket_line[line.pk] for line in part.lines],
                )
                for part in parts
            ],
        )
        # Each merchant is told of its part in the order's own transaction (sent after commit).
        shop_orders_placed_notify(order=order, shop_orders=shop_orders)
        stock.stock_holds_convert(holds=holds)
        if after_create is not None:
            after_create(order)
        basket.submit()
    return order


def _check_daily_caps(parts: list[BasketPart], booking_of: dict[str, SlotHold]) -> None:
    """Under the capped shops' row locks, so two last orders of the day cannot both pass."""
    capped_ids = [p.shop.pk for p in parts if p.shop.daily_order_cap is not None]
    if not capped_ids:
        return
    capped = locks.shops_capped_lock(shop_ids=capped_ids)
    slot_of = {part.shop.pk: booking_of[part.key].slot for part in parts if part.shop.pk in capped}
    day_of = {shop_id: timezone.localtime(slot.starts_at).date() for shop_id, slot in slot_of.items()}
    counts = shop_orders_by_day_count(shop_ids=capped, days=set(day_of.values()))
    for shop_id, slot in slot_of.items():
        shop = capped[shop_id]
        if counts.get((shop_id, day_of[shop_id]), 0) >= shop.daily_order_cap:
            raise CheckoutError(_cap_message(shop, slot.starts_at))


def basket_total(*, basket) -> prices.Price:
    """The order total: the basket after offers, incl. VAT (no shipping in click-and-collect)."""
    return prices.Price(
        currency=basket.currency,
        excl_tax=basket.total_excl_tax,
        incl_tax=basket.total_incl_tax,
    )
