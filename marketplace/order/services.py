"""The merchant's workflow on a shop order, and the shopper's cancellation.

Every function is keyword-only, checks who acts, refuses an illegal transition
with a French ``OrderError`` (then nothing is changed), and works under the row
locks of ``marketplace.order.locks`` (the order first: the parts of one order
are serialised, so "every part is settled" is decided once). Stock given back,
slots released and every consequence of the change (``marketplace.order.consequences``:
pickup codes and places, e-mails, the payment) happen in the same transaction; the
payment's settlement with Stripe runs after commit.

    new → accepted → preparing → ready → collected            (collected at the shop)
    new → accepted → preparing → ready → dropped → collected  (collection point / locker)
    new, accepted, preparing → cancelled (merchant; new, accepted: shopper)
    ready, dropped → cancelled (not collected in time)
    ready → out_for_delivery → collected                      (home delivery: the courier hands it over)
    ready → out_for_delivery → dropped                        (delivery failed: back at the town point)
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from logistics.delivery.services.bookings import delivery_part_cancelled
from logistics.models import SlotHold
from logistics.services.holds import slot_booking_release
from marketplace.order import consequences, locks
from marketplace.order.exceptions import NotShopStaff, OrderError, TransitionNotAllowed
from marketplace.order.models import (
    CancelReason,
    FulfilmentMode,
    Order,
    ShopOrder,
    ShopOrderEvent,
    ShopOrderStatus,
)
from marketplace.partner.models import Partner
from shops import stock
from shops.models import Shop

S = ShopOrderStatus

#: Parts that no longer wait for the merchant's confirmation.
SETTLED = (S.ACCEPTED, S.PREPARING, S.READY, S.DROPPED, S.OUT_FOR_DELIVERY, S.COLLECTED, S.CANCELLED)


# --- who may act ---------------------------------------------------------------------


def user_is_shop_staff(*, user, shop: Shop) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Partner.users.through.objects.filter(partner_id=shop.partner_id, user_id=user.pk).exists()


def _check_shop_staff(user, shop: Shop) -> None:
    if not user_is_shop_staff(user=user, shop=shop):
        raise NotShopStaff()


def _check_courier(user) -> None:
    """A courier of the town (the round's own courier is checked by ``logistics.delivery``)."""
    from logistics.delivery.models import Courier

    if user is None or not user.is_authenticated or not Courier.objects.filter(user=user, is_active=True).exists():
        raise NotShopStaff("Seul un coursier de la ville peut faire cette livraison.")


def _check_can_hand_over(user, shop_order: ShopOrder) -> None:
    """At the shop: its staff. At a collection point: staff holding ``order.handover_at_point``."""
    if shop_order.order.fulfilment_mode == FulfilmentMode.AT_SHOPS:
        _check_shop_staff(user, shop_order.shop)
    elif user is None or not user.is_authenticated or not user.has_perm("order.handover_at_point"):
        raise NotShopStaff("Seule l'équipe du point de retrait peut remettre cette commande.")


# --- helpers -------------------------------------------------------------------------

_ACTIONS = {
    "accept": "l'accepter",
    "prepare": "commencer sa préparation",
    "ready": "la marquer prête",
    "drop": "la marquer déposée au point de retrait",
    "collect": "la marquer retirée",
    "deliver_start": "la mettre en livraison",
    "deliver": "la marquer livrée",
    "deliver_fail": "la marquer non livrée",
    "cancel": "l'annuler",
    "unavailable": "modifier ses articles",
}


def _refuse(shop_order: ShopOrder, action: str) -> TransitionNotAllowed:
    label = ShopOrderStatus(shop_order.status).label
    return TransitionNotAllowed(
        f"Commande {shop_order.order.number} ({str(label).lower()}) : impossible de {_ACTIONS[action]}."
    )


def _record(shop_order: ShopOrder, from_status: str, user, note: str = "") -> None:
    """The change's audit row, then everything it causes (``consequences``), in its transaction."""
    event = ShopOrderEvent.objects.create(
        shop_order=shop_order,
        from_status=from_status,
        to_status=shop_order.status,
        user=user if user is not None and user.is_authenticated else None,
        note=note[:255],
    )
    consequences.shop_order_changed(event=event)


def _maybe_ready_to_capture(order: Order, now: dt.datetime) -> None:
    """Once no part waits for its merchant (and something is left), the amount is known: say so once."""
    if order.ready_to_capture_at is not None:
        return
    statuses = list(ShopOrder.objects.filter(order_id=order.pk).values_list("status", flat=True))
    if not statuses or any(s not in SETTLED for s in statuses):
        return
    if all(s == S.CANCELLED for s in statuses):
        return
    order.ready_to_capture_at = now
    order.save(update_fields=["ready_to_capture_at"])
    consequences.order_ready_to_capture(order=order)


def _release_booking(order: Order, shop_order: ShopOrder) -> None:
    """A cancelled part gives its slot back; at a shared point, only when every part is cancelled.
    A delivered order gives its window back once every part is cancelled (``logistics.delivery``)."""
    if order.fulfilment_mode == FulfilmentMode.DELIVERY:
        delivery_part_cancelled(order_id=order.pk, shop_order_id=shop_order.pk)
        return
    if shop_order.slot_hold_id is None:
        return
    if order.fulfilment_mode == FulfilmentMode.AT_POINT:
        others_open = (
            ShopOrder.objects.filter(order_id=order.pk, slot_hold_id=shop_order.slot_hold_id)
            .exclude(pk=shop_order.pk)
            .exclude(status=S.CANCELLED)
            .exists()
        )
        if others_open:
            return
    slot_booking_release(hold=SlotHold(pk=shop_order.slot_hold_id))


def _cancel_locked(order: Order, shop_order: ShopOrder, *, reason: str, user, now: dt.datetime, note: str = "") -> None:
    before = shop_order.status
    shop_order.status = S.CANCELLED
    shop_order.cancel_reason = reason
    shop_order.cancelled_at = now
    shop_order.save(update_fields=["status", "cancel_reason", "cancelled_at", "updated_at"])
    stock.lines_allocation_release(lines=list(shop_order.lines.all()))
    _release_booking(order, shop_order)
    _record(shop_order, before, user, note or str(CancelReason(reason).label))


# --- transitions ---------------------------------------------------------------------


def _transition(
    *,
    shop_order: ShopOrder,
    user,
    action: str,
    allowed_from: Sequence[str],
    to: str,
    stamp: str,
    now: dt.datetime | None,
    hand_over: bool = False,
    courier: bool = False,
    note: str = "",
) -> ShopOrder:
    now = now or timezone.now()
    with transaction.atomic():
        order = locks.order_lock(order_id=shop_order.order_id)
        locked = locks.shop_order_lock(shop_order_id=shop_order.pk)
        locked.order = order
        if courier:
            _check_courier(user)
            if order.fulfilment_mode != FulfilmentMode.DELIVERY:
                raise _refuse(locked, action)
        elif hand_over:
            _check_can_hand_over(user, locked)
        else:
            _check_shop_staff(user, locked.shop)
        if locked.status not in allowed_from:
            raise _refuse(locked, action)
        if action == "drop" and order.fulfilment_mode != FulfilmentMode.AT_POINT:
            raise TransitionNotAllowed(
                f"Commande {order.number} : elle se retire au comptoir du commerce, "
                "elle n'a pas à être déposée au point de retrait."
            )
        before = locked.status
        locked.status = to
        setattr(locked, stamp, now)
        locked.save(update_fields=["status", stamp, "updated_at"])
        if to == S.COLLECTED:
            stock.lines_allocation_consume(lines=list(locked.lines.all()))
        _record(locked, before, user, note)
        _maybe_ready_to_capture(order, now)
    return locked


def shop_order_accept(*, shop_order: ShopOrder, user, now: dt.datetime | None = None) -> ShopOrder:
    """The merchant confirms the part (new → accepted)."""
    return _transition(
        shop_order=shop_order, user=user, action="accept", allowed_from=[S.NEW], to=S.ACCEPTED,
        stamp="accepted_at", now=now,
    )


def shop_order_prepare(*, shop_order: ShopOrder, user, now: dt.datetime | None = None) -> ShopOrder:
    """The merchant starts picking (accepted → preparing); the shopper can no longer cancel."""
    return _transition(
        shop_order=shop_order, user=user, action="prepare", allowed_from=[S.ACCEPTED], to=S.PREPARING,
        stamp="preparing_at", now=now,
    )


def shop_order_ready(*, shop_order: ShopOrder, user, now: dt.datetime | None = None) -> ShopOrder:
    """The parcel is packed (preparing → ready)."""
    return _transition(
        shop_order=shop_order, user=user, action="ready", allowed_from=[S.PREPARING], to=S.READY,
        stamp="ready_at", now=now,
    )


def shop_order_drop(*, shop_order: ShopOrder, user, now: dt.datetime | None = None) -> ShopOrder:
    """The merchant brought the parcel to the collection point or locker (ready → dropped)."""
    return _transition(
        shop_order=shop_order, user=user, action="drop", allowed_from=[S.READY], to=S.DROPPED,
        stamp="dropped_at", now=now,
    )


def shop_order_collect(*, shop_order: ShopOrder, user, now: dt.datetime | None = None) -> ShopOrder:
    """Handed over to the shopper: at the shop (ready → collected) or at the point (dropped → collected).

    The units leave the shop's stock (``num_in_stock`` and ``num_allocated`` drop).
    """
    mode = Order.objects.values_list("fulfilment_mode", flat=True).get(pk=shop_order.order_id)
    allowed = [S.READY] if mode == FulfilmentMode.AT_SHOPS else [S.DROPPED]
    return _transition(
        shop_order=shop_order, user=user, action="collect", allowed_from=allowed, to=S.COLLECTED,
        stamp="collected_at", now=now, hand_over=True,
    )


def shop_order_deliver_start(*, shop_order: ShopOrder, user, now: dt.datetime | None = None) -> ShopOrder:
    """The courier's round leaves with the parcel (ready → out for delivery); the shopper is told once."""
    return _transition(
        shop_order=shop_order, user=user, action="deliver_start", allowed_from=[S.READY], to=S.OUT_FOR_DELIVERY,
        stamp="out_for_delivery_at", now=now, courier=True,
    )


def shop_order_deliver(*, shop_order: ShopOrder, user, note: str = "", now: dt.datetime | None = None) -> ShopOrder:
    """Handed over at the door (out for delivery → collected): the units leave the stock, as at a counter."""
    return _transition(
        shop_order=shop_order, user=user, action="deliver", allowed_from=[S.OUT_FOR_DELIVERY], to=S.COLLECTED,
        stamp="collected_at", now=now, courier=True, note=note,
    )


def shop_order_deliver_fail(*, shop_order: ShopOrder, user, note: str = "", now: dt.datetime | None = None) -> ShopOrder:
    """Not delivered (out for delivery → dropped): the parcel goes back to the order's town point, where
    the pickup rules take over (its place, the pickup code and e-mail, the no-show expiry)."""
    return _transition(
        shop_order=shop_order, user=user, action="deliver_fail", allowed_from=[S.OUT_FOR_DELIVERY], to=S.DROPPED,
        stamp="dropped_at", now=now, courier=True, note=note,
    )


_CANCELLABLE = {
    CancelReason.MERCHANT: (S.NEW, S.ACCEPTED, S.PREPARING),
    CancelReason.SHOPPER: (S.NEW, S.ACCEPTED),
    CancelReason.NO_SHOW: (S.READY, S.DROPPED),
}


def shop_order_cancel(
    *, shop_order: ShopOrder, user, reason: str = CancelReason.MERCHANT, note: str = "",
    now: dt.datetime | None = None,
) -> ShopOrder:
    """Cancel one part: its units go back to the shop's free stock, its slot booking is released.

    ``reason``: ``merchant`` (shop staff, until the parcel is ready), ``shopper``
    (the order's own user — ``None`` for a guest whose order link the caller has
    verified —, while nothing is prepared), ``no_show`` (not collected in time:
    from ready or dropped; ``user`` may be ``None`` for a scheduled job). What it
    paid is refunded or released (``consequences.order_cancelled``).
    """
    if reason not in _CANCELLABLE:
        raise OrderError("Motif d'annulation inconnu.")
    now = now or timezone.now()
    with transaction.atomic():
        order = locks.order_lock(order_id=shop_order.order_id)
        locked = locks.shop_order_lock(shop_order_id=shop_order.pk)
        locked.order = order
        if reason == CancelReason.MERCHANT:
            _check_shop_staff(user, locked.shop)
        elif reason == CancelReason.SHOPPER:
            _check_shopper(user, order)
        if locked.status not in _CANCELLABLE[reason]:
            raise _refuse(locked, "cancel")
        _cancel_locked(order, locked, reason=reason, user=user, now=now, note=note)
        _maybe_ready_to_capture(order, now)
        consequences.order_cancelled(order=order, shop_order=locked, reason=str(reason))
    return locked


def _check_shopper(user, order: Order) -> None:
    is_owner = user is not None and user.is_authenticated and order.user_id == user.pk
    is_guest = order.user_id is None and (user is None or not user.is_authenticated)
    if not (is_owner or is_guest):
        raise OrderError("Cette commande n'est pas la vôtre.")


def order_cancel(*, order: Order, user, now: dt.datetime | None = None) -> Order:
    """The shopper cancels the whole order, allowed while no shop has started preparing.

    ``user`` is the order's user, or ``None`` for a guest whose order link the
    caller has verified. One ``consequences.order_cancelled`` for the whole order.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked_order = locks.order_lock(order_id=order.pk)
        _check_shopper(user, locked_order)
        parts = locks.shop_orders_of_order_lock(order_id=order.pk)
        open_parts = [p for p in parts if p.status != S.CANCELLED]
        if not open_parts:
            raise OrderError(f"La commande {locked_order.number} est déjà annulée.")
        started = [p for p in open_parts if p.status not in _CANCELLABLE[CancelReason.SHOPPER]]
        if started:
            names = ", ".join(f"« {p.shop.name} »" for p in started)
            raise OrderError(
                f"La préparation a commencé chez {names} : la commande {locked_order.number} "
                "ne peut plus être annulée en ligne."
            )
        for part in open_parts:
            part.order = locked_order
            _cancel_locked(locked_order, part, reason=CancelReason.SHOPPER, user=user, now=now)
        consequences.order_cancelled(order=locked_order, shop_order=None, reason=CancelReason.SHOPPER.value)
    return locked_order


# The merchant's « articles indisponibles » lives in its own module; same name here for callers.
from marketplace.order.unavailable import shop_order_lines_unavailable  # noqa: E402, F401
