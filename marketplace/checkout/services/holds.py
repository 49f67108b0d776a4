"""Choosing a slot holds it and the basket's stock, together, for ``HALLE_HOLD_MINUTES``.

In one transaction the basket's units are taken off the shelf (conditional ``UPDATE``s
of ``shops.stock``) and its slot(s) held (``logistics.services.holds``). Nothing is
checked before a lock and written after it: the conditional update *is* the check.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from logistics.delivery.services.bookings import delivery_basket_release
from logistics.exceptions import SlotError
from logistics.models import CollectionPoint, Slot
from logistics.services.holds import basket_slots_hold
from marketplace.checkout.exceptions import CheckoutError
from marketplace.checkout.services.basket import BasketPart, basket_parts, stock_needed
from marketplace.checkout.services.slots import (
    _cap_message,
    _slot_id,
    _why_not_feasible,
    checkout_slot_offers,
)
from marketplace.promotions.services.budget import basket_budget_reserve
from shops import stock


def hold_minutes() -> int:
    """How long a chosen slot and the basket's stock are held (``HALLE_HOLD_MINUTES``)."""
    return int(settings.HALLE_HOLD_MINUTES)


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
        delivery_basket_release(basket_id=basket.pk)  # it chose a pickup after a delivery window
        # Last of the holds (lock order: stock, slots, then budgets): the campaigns' discounts.
        basket_budget_reserve(basket=basket, expires_at=expires_at, now=now)
    return CheckoutHolds(expires_at=expires_at,
                         slots={_key_of(shop_id): hold.slot for shop_id, hold in holds.items()})


def _shop_of(key: str | None) -> int | None:
    """The part a hold is taken for (``logistics``' word): a shop's id, ``None`` for the whole basket."""
    return None if key is None else int(key)


def _key_of(shop_id: int | None) -> str | None:
    return None if shop_id is None else str(shop_id)


def _stock_hold(*, basket_id: str, parts: list[BasketPart], expires_at: dt.datetime) -> None:
    """Replace the basket's stock holds by its current lines (``shops.stock``)."""
    needed = stock_needed(parts)
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


