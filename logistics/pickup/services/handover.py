"""Handing orders over: the code typed or scanned at a collection point, a shop counter or a
locker's keypad; merchants dropping their parts at a point.

A wrong code is counted (``ratelimit``): on staff pages against the person and the
address, at a locker bank's keypad against the address and the bank, in counters of
their own. The keypad's answer to a code that is live at another point is word for
word its answer to a code that does not exist.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from logistics.lockers import LockerError, locker_bank
from logistics.models import CollectionPoint, PointKind
from marketplace.order import locks as order_locks
from marketplace.order.models import OPEN_STATUSES, FulfilmentMode, Order, ShopOrder, ShopOrderStatus
from marketplace.order.services import shop_order_collect, shop_order_drop
from logistics.pickup.codes import CodeFormatError, code_normalise
from logistics.pickup.exceptions import CodeNotFound, PickupError
from logistics.pickup.models import Handover, ParcelPlacement, PickupCode
from logistics.pickup.ratelimit import (
    attempt_reserve,
    keypad_counters,
    staff_counters,
    window_started_at,
)
from shops.models import Shop

logger = logging.getLogger(__name__)
S = ShopOrderStatus


#: The keypad's one answer to every code that opens nothing at this bank (unknown, closed,
#: or live at another point): nothing to learn about other points' codes.
KEYPAD_UNKNOWN_CODE = "Code inconnu pour cette consigne. Vérifiez le code reçu par e-mail."


@dataclass(frozen=True)
class Place:
    """Where the person hands over: a collection point (its staff) or a shop's counter (its staff)."""

    point: CollectionPoint
    shop: Shop | None = None  # set for a shop counter: only this shop's parts

    @property
    def is_counter(self) -> bool:
        return self.shop is not None


def place_of_shop(*, shop: Shop) -> Place:
    point, _ = CollectionPoint.objects.get_or_create(
        kind=PointKind.SHOP_COUNTER, shop=shop, defaults={"name": f"Comptoir — {shop.name}", "address": shop.address}
    )
    return Place(point=point, shop=shop)


@dataclass
class HandoverCandidate:
    order: Order
    code: PickupCode
    parts: list[ShopOrder]
    location: str = ""
    others: list[ShopOrder] = field(default_factory=list)  # parts not handed over here (point staff only)


def _parts_here(order: Order, place: Place) -> list[ShopOrder]:
    parts = (
        ShopOrder.objects.filter(order=order, collection_point=place.point)
        .select_related("shop")
        .prefetch_related("lines")
        .order_by("shop__name", "pk")
    )
    if place.is_counter:
        return list(parts.filter(shop=place.shop, status=S.READY, order__fulfilment_mode=FulfilmentMode.AT_SHOPS))
    return list(parts.filter(status=S.DROPPED, order__fulfilment_mode=FulfilmentMode.AT_POINT))


def _placement(*, order_id: int, point_id: int) -> ParcelPlacement | None:
    """Where the order waits at the point now (shelf or compartment), if anywhere."""
    return (
        ParcelPlacement.objects.filter(order_id=order_id, point_id=point_id, ended_at__isnull=True)
        .select_related("compartment")
        .first()
    )


def _location(order: Order, point: CollectionPoint) -> str:
    placement = _placement(order_id=order.pk, point_id=point.pk)
    return placement.location if placement else ""


def _normalise(code_text: str) -> str:
    try:
        return code_normalise(code_text)
    except CodeFormatError as error:
        raise PickupError(str(error)) from None


def handover_find(
    *, place: Place, user, code_text: str, ip: str | None, keypad: bool = False
) -> HandoverCandidate:
    """What to hand over here for this code. Raises ``TooManyAttempts`` once the counters of
    this attempt (``keypad``: the bank's and the address's; else the person's and the
    address's) are used up, ``PickupError`` for an impossible code (not counted: a typo is no
    guess), ``CodeNotFound`` for a code with nothing to hand over here (counted)."""
    counters = keypad_counters(point_id=place.point.pk, ip=ip) if keypad else staff_counters(user=user, ip=ip)
    reservation = attempt_reserve(counters=counters)
    try:
        code = _normalise(code_text)
    except PickupError:
        reservation.release()
        raise
    pickup = PickupCode.objects.filter(code=code, is_open=True).select_related("order").first()
    parts = _parts_here(pickup.order, place) if pickup else []
    if not parts:
        if not keypad:  # a code typed twice at the counter, not a guess: said plainly, not counted
            already = _already_handed_over(code=code, place=place, open_code=pickup)
            if already:
                reservation.release()
                raise CodeNotFound(already)
        locked = reservation.bank_locked_now()
        if locked is not None:
            from logistics.pickup.services.alerts import locker_lockout_alert

            locker_lockout_alert(point=place.point, lockout_id=window_started_at(counter=locked))
        if keypad:
            raise CodeNotFound(KEYPAD_UNKNOWN_CODE)
        raise CodeNotFound(
            "Aucune commande à remettre ici ne correspond à ce code. Vérifiez les 6 caractères avec le client."
            if pickup is None or place.is_counter
            else "Cette commande n'est pas (ou plus) à remettre à ce point de retrait."
        )
    reservation.release()  # the right code: no guess to count
    others = []
    if not place.is_counter:
        others = list(ShopOrder.objects.filter(order=pickup.order).exclude(pk__in=[p.pk for p in parts])
                      .select_related("shop").order_by("shop__name"))
    return HandoverCandidate(
        order=pickup.order, code=pickup, parts=parts, location=_location(pickup.order, place.point), others=others
    )


def _already_handed_over(*, code: str, place: Place, open_code: PickupCode | None) -> str:
    """« Commande n° … déjà remise le … par … » when this code's order was handed over here
    (a code typed twice); empty otherwise. With an open code, only its own order counts
    (a closed code may have been drawn again for another order)."""
    from django.utils.formats import date_format

    handovers = Handover.objects.filter(point=place.point, order__pickup_code__code=code)
    if open_code is not None:
        handovers = handovers.filter(order_id=open_code.order_id)
    handover = handovers.select_related("order", "by_user").order_by("-at", "-pk").first()
    if handover is None:
        return ""
    who = handover.by_user.get_full_name() or handover.by_user.email if handover.by_user else "un membre de l'équipe"
    when = date_format(timezone.localtime(handover.at), "l j F Y à H:i")
    shops = ", ".join(part.get("shop", "") for part in handover.parts)
    rest = "" if handover.complete else " Les autres parts de la commande ne sont pas encore à remettre ici."
    return f"Commande n° {handover.order.number} déjà remise le {when} par {who} ({shops}).{rest}"


def _snapshot(parts: Iterable[ShopOrder]) -> list[dict]:
    return [
        {
            "shop_order": part.pk,
            "shop": part.shop.name,
            "lines": [
                {"line": line.pk, "title": line.title, "quantity": line.quantity_remaining}
                for line in part.lines.all()
                if line.quantity_remaining
            ],
        }
        for part in parts
    ]


def _door_open(placement: ParcelPlacement | None, reason: str) -> None:
    if placement is not None and placement.compartment_id:
        locker_bank().door_open(
            point_id=placement.point_id, compartment_code=placement.compartment.code, reason=reason
        )


def handover_collect(
    *,
    place: Place,
    user,
    code_text: str,
    shop_order_ids: Iterable,
    ip: str | None,
    now: dt.datetime | None = None,
    keypad: bool = False,
) -> Handover:
    """Mark the chosen parts collected (all of them, or some: a partial handover) and record who
    handed what, where and when. All or nothing. At a locker bank the compartment's door
    opens first: if it does not, nothing is marked."""
    try:
        wanted = {int(pk) for pk in shop_order_ids}
    except (TypeError, ValueError):
        raise PickupError("Choix des commerces invalide : rechargez la page.") from None
    if not wanted:
        raise PickupError("Cochez au moins une part à remettre.")
    candidate = handover_find(place=place, user=user, code_text=code_text, ip=ip, keypad=keypad)
    now = now or timezone.now()
    with transaction.atomic():
        order = order_locks.order_lock(order_id=candidate.order.pk)
        if not PickupCode.objects.filter(order=order, code=candidate.code.code, is_open=True).exists():
            raise CodeNotFound("Ce code n'est plus valable : la commande vient d'être remise ou annulée.")
        parts = {part.pk: part for part in _parts_here(order, place)}
        if not wanted <= set(parts):
            raise PickupError("Une des parts choisies n'est pas (ou plus) à remettre ici : rechargez la page.")
        chosen = [parts[pk] for pk in sorted(wanted)]
        snapshot = _snapshot(chosen)
        placement = _placement(order_id=order.pk, point_id=place.point.pk)
        location = placement.location if placement else ""
        for part in chosen:
            shop_order_collect(shop_order=part, user=user, now=now)
        if place.point.kind == PointKind.LOCKER_BANK:
            _door_open(placement, "collection")  # LockerError rolls everything back
        complete = not ShopOrder.objects.filter(order=order, status__in=OPEN_STATUSES).exists()
        handover = Handover.objects.create(
            order=order,
            point=place.point,
            by_user=user if getattr(user, "is_authenticated", False) else None,
            complete=complete,
            parts=[dict(item, location=location) for item in snapshot],
            ip_address=ip or None,
        )
        handover.shop_orders.set(chosen)
    return handover


def locker_code_enter(*, point: CollectionPoint, code_text: str, ip: str | None) -> Handover:
    """The shopper types the code on the locker bank's keypad: the compartment opens and the
    order is handed over in the name of the bank (its system account)."""
    from logistics.pickup.services.staff import locker_system_user

    if point.kind != PointKind.LOCKER_BANK:
        raise PickupError("Ce point n'est pas une consigne.")
    place = Place(point=point)
    candidate = handover_find(place=place, user=None, code_text=code_text, ip=ip, keypad=True)
    return handover_collect(
        place=place, user=locker_system_user(point=point), code_text=candidate.code.code,
        shop_order_ids=[p.pk for p in candidate.parts], ip=ip, keypad=True,
    )


# --- merchants bringing their parts to the point -------------------------------------


@dataclass
class DropResult:
    shop_order: ShopOrder
    placement: ParcelPlacement | None
    door_opened: bool = False
    door_error: str = ""


def shop_orders_to_drop(*, shop: Shop) -> list[ShopOrder]:
    """``shop``'s parts packed and waiting to be brought to a collection point or locker."""
    return list(
        ShopOrder.objects.filter(shop=shop, status=S.READY, order__fulfilment_mode=FulfilmentMode.AT_POINT)
        .select_related("order", "collection_point", "slot")
        .prefetch_related("lines")
        .order_by("slot__starts_at", "pk")
    )


def shop_order_drop_at_point(*, shop: Shop, user, shop_order_id) -> DropResult:
    """The merchant hands the parcel to the point (ready → dropped): its place (shelf or
    compartment) is assigned in the same transaction; a locker's door then opens for it."""
    try:
        shop_order = ShopOrder.objects.get(pk=int(shop_order_id), shop=shop)
    except (TypeError, ValueError, ShopOrder.DoesNotExist):
        raise PickupError("Commande introuvable pour votre commerce.") from None
    dropped = shop_order_drop(shop_order=shop_order, user=user)
    placement = _placement(order_id=dropped.order_id, point_id=dropped.collection_point_id)
    result = DropResult(shop_order=dropped, placement=placement)
    if placement is not None and placement.compartment_id:
        try:
            _door_open(placement, "drop_off")
            result.door_opened = True
        except LockerError as error:
            result.door_error = str(error)
    return result
