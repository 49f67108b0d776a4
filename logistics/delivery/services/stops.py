"""The courier's actions on a round: leave, collect at a shop, deliver, fail.

Each action checks that the round is the acting user's own (``RoundNotFound`` otherwise:
the views answer 404), locks the round or the stop (``logistics.locks``), and moves the
order's parts through the explicit transitions of ``marketplace.order.services`` (their
consequences write the shopper's e-mails). A retried tap finds the stop already done
and changes nothing; a contradictory one (« Livré » on a failed stop) is refused in French.
The stop itself keeps who did what and when (the courier's audit).
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from logistics import locks
from logistics.delivery.exceptions import RoundActionRefused, RoundNotFound
from logistics.delivery.models import FailureReason, Round, RoundStatus, RoundStop, StopKind, StopStatus
from marketplace.order import services as order_services
from marketplace.order.models import ShopOrder, ShopOrderStatus

S = ShopOrderStatus


def _own(round_: Round, user) -> None:
    if user is None or not user.is_authenticated or round_.courier.user_id != user.pk:
        raise RoundNotFound()


def _round_finish_if_done(round_: Round, now: dt.datetime) -> None:
    if not round_.stops.filter(status=StopStatus.PLANNED).exists():
        round_.status, round_.finished_at = RoundStatus.DONE, now
        round_.save(update_fields=["status", "finished_at", "updated_at"])


def round_start(*, round_id: int, user, now: dt.datetime | None = None) -> Round:
    """The courier leaves: every ready part of the round goes « en cours de livraison » (the
    shopper's « en route » e-mail). Parts not ready yet stay where they are. Twice: nothing more."""
    now = now or timezone.now()
    with transaction.atomic():
        round_ = locks.round_lock(round_id=round_id)
        _own(round_, user)
        if round_.status != RoundStatus.PLANNED:
            return round_
        order_ids = set(round_.stops.values_list("booking__order_id", flat=True))
        for part in ShopOrder.objects.filter(order_id__in=order_ids, status=S.READY).order_by("order_id", "pk"):
            order_services.shop_order_deliver_start(shop_order=part, user=user, now=now)
        round_.status, round_.started_at = RoundStatus.STARTED, now
        round_.save(update_fields=["status", "started_at", "updated_at"])
    return round_


def _stop_for_action(*, stop_id: int, user) -> RoundStop:
    stop = locks.round_stop_lock(stop_id=stop_id)
    _own(stop.round, user)
    return stop


def _parts_on_board(stop: RoundStop) -> list[ShopOrder]:
    parts = ShopOrder.objects.filter(status=S.OUT_FOR_DELIVERY)
    if stop.shop_order_id is not None:
        parts = parts.filter(pk=stop.shop_order_id)
    else:
        parts = parts.filter(order_id=stop.booking.order_id)
    return list(parts.order_by("pk"))


def _close(stop: RoundStop, *, status: str, user, now: dt.datetime, **fields) -> RoundStop:
    stop.status, stop.done_at, stop.done_by = status, now, user
    for name, value in fields.items():
        setattr(stop, name, value)
    stop.save()
    _round_finish_if_done(stop.round, now)
    return stop


def _check_open(stop: RoundStop, *, wanted: str, kind: str) -> bool:
    """True when the stop is to be done now; False for a retried tap (already done the same way)."""
    if stop.kind != kind:
        raise RoundActionRefused("Cette action ne correspond pas à ce type d'arrêt.")
    if stop.status == wanted:
        return False
    if stop.status != StopStatus.PLANNED:
        raise RoundActionRefused(f"Cet arrêt est déjà marqué « {StopStatus(stop.status).label} ».")
    if stop.round.status == RoundStatus.PLANNED:
        raise RoundActionRefused("Démarrez d'abord la tournée (« Partir »).")
    return True


def stop_pickup_done(*, stop_id: int, user, note: str = "", now: dt.datetime | None = None) -> RoundStop:
    """« Colis récupérés » at a shop (shape « collect at the shops »)."""
    now = now or timezone.now()
    with transaction.atomic():
        stop = _stop_for_action(stop_id=stop_id, user=user)
        if not _check_open(stop, wanted=StopStatus.DONE, kind=StopKind.PICKUP):
            return stop
        return _close(stop, status=StopStatus.DONE, user=user, now=now, note=note.strip()[:255])


def stop_deliver(*, stop_id: int, user, received_by: str, note: str = "", now: dt.datetime | None = None) -> RoundStop:
    """« Livré »: handed to ``received_by`` (the proof of delivery); the parts become collected."""
    now = now or timezone.now()
    received_by = (received_by or "").strip()
    if not received_by:
        raise RoundActionRefused("Indiquez le nom de la personne qui a reçu le colis.")
    if len(received_by) > 128:
        raise RoundActionRefused("Ce nom est trop long (128 caractères au plus).")
    with transaction.atomic():
        stop = _stop_for_action(stop_id=stop_id, user=user)
        if not _check_open(stop, wanted=StopStatus.DONE, kind=StopKind.DELIVERY):
            return stop
        parts = _parts_on_board(stop)
        if not parts:
            raise RoundActionRefused("Aucun colis de cette commande n'est en livraison (pas encore prêt au départ ?).")
        for part in parts:
            order_services.shop_order_deliver(shop_order=part, user=user, note=received_by, now=now)
        return _close(stop, status=StopStatus.DONE, user=user, now=now, received_by=received_by,
                      note=note.strip()[:255])


def stop_fail(*, stop_id: int, user, reason: str, note: str = "", now: dt.datetime | None = None) -> RoundStop:
    """« Échec »: the parcel goes back to the town point, where the shopper collects it with a
    pickup code (``shop_order_deliver_fail``; no second delivery fee is ever charged)."""
    now = now or timezone.now()
    if reason not in FailureReason.values:
        raise RoundActionRefused("Choisissez le motif de l'échec dans la liste.")
    with transaction.atomic():
        stop = _stop_for_action(stop_id=stop_id, user=user)
        if not _check_open(stop, wanted=StopStatus.FAILED, kind=StopKind.DELIVERY):
            return stop
        parts = _parts_on_board(stop)
        if not parts:
            raise RoundActionRefused("Aucun colis de cette commande n'est en livraison (pas encore prêt au départ ?).")
        label = str(FailureReason(reason).label).lower()
        for part in parts:
            order_services.shop_order_deliver_fail(shop_order=part, user=user, note=label, now=now)
        return _close(stop, status=StopStatus.FAILED, user=user, now=now, failure_reason=reason,
                      note=note.strip()[:255])
