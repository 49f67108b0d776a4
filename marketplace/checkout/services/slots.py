"""Where and when the basket can be collected: collection points, feasible slots, daily caps."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import formats, timezone

from logistics.models import CollectionPoint, PointKind, Slot
from logistics.selectors import slots_feasible
from marketplace.checkout.exceptions import CheckoutError
from marketplace.checkout.services.basket import BasketPart
from marketplace.order.models import FulfilmentMode
from marketplace.order.selectors import shop_orders_by_day_count
from shops.models import Shop

POINT_KINDS = (PointKind.TOWN_POINT, PointKind.LOCKER_BANK)


def _day(value: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "l j F")


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


