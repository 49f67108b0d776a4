"""The shopper changes a delivered order's address or window, while no shop has started preparing.

The same rule as cancelling (``marketplace.order.services.order_cancel``): every open part
is new or accepted. Under the project's lock order: the order, its parts, then the booking
and its window(s) (``logistics.locks``). The fee was authorised on the card: an address in
a zone with another fee is refused (cancel and order again) rather than charged silently.
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.delivery.exceptions import DeliveryError
from logistics.delivery.models import DeliveryBooking, DeliveryWindow
from logistics.delivery.selectors import windows_feasible
from logistics.delivery.services.bookings import delivery_booking_move
from marketplace.order import locks as order_locks
from marketplace.order.exceptions import OrderError
from marketplace.order.models import FulfilmentMode, ShopOrderStatus

CHANGEABLE = (ShopOrderStatus.NEW, ShopOrderStatus.ACCEPTED)


def _shopper_checked(order, user) -> None:
    is_owner = user is not None and user.is_authenticated and order.user_id == user.pk
    is_guest = order.user_id is None and (user is None or not user.is_authenticated)
    if not (is_owner or is_guest):
        raise OrderError(_("Cette commande n'est pas la vôtre."))


def delivery_change_windows(*, order, zone, now: dt.datetime) -> list[DeliveryWindow]:
    """The windows the delivery may move to: its own, and those feasible with room for its parcels."""
    booking = DeliveryBooking.objects.select_related("window").get(order=order)
    shops = [part.shop for part in order.shop_orders.select_related("shop") if part.status != ShopOrderStatus.CANCELLED]
    windows = windows_feasible(zone=zone, shops=shops, parcels=booking.parcels, now=now)
    if zone.pk == booking.zone_id and booking.window.cutoff_at > now and booking.window not in windows:
        windows = sorted([booking.window, *windows], key=lambda w: (w.starts_at, w.pk))
    return windows


def delivery_order_change(*, order, user, street: str, postcode: str, town: str, window_id,
                          complement: str = "", instructions: str = "", now: dt.datetime | None = None
                          ) -> DeliveryBooking:
    """Move the delivery to another address and/or window; ``OrderError`` (French) when refused, nothing changed."""
    from marketplace.checkout.exceptions import CheckoutError
    from marketplace.checkout.services.delivery import address_placed

    now = now or timezone.now()
    if order.fulfilment_mode != FulfilmentMode.DELIVERY:
        raise OrderError(_("Cette commande n'est pas livrée à domicile."))
    try:
        address, zone = address_placed(street=street, postcode=postcode, town=town, complement=complement,
                                       instructions=instructions)
    except CheckoutError as refused:
        raise OrderError(refused.message) from None
    try:
        chosen = int(window_id)
    except (TypeError, ValueError):
        raise OrderError(_("Choisissez une fenêtre de livraison dans la liste.")) from None
    with transaction.atomic():
        locked = order_locks.order_lock(order_id=order.pk)
        _shopper_checked(locked, user)
        parts = order_locks.shop_orders_of_order_lock(order_id=order.pk)
        started = [p for p in parts if p.status != ShopOrderStatus.CANCELLED and p.status not in CHANGEABLE]
        if started:
            names = ", ".join(f"« {p.shop.name} »" for p in started)
            raise OrderError(_("La préparation a commencé chez %(shops)s : la livraison ne peut plus être "
                               "modifiée en ligne.") % {"shops": names})
        booking = DeliveryBooking.objects.get(order=locked)
        if zone.fee != booking.zone.fee and zone.pk != booking.zone_id:
            raise OrderError(_("Cette adresse dépend d'une autre zone de livraison, aux frais différents : "
                               "annulez la commande et commandez à nouveau."))
        if chosen not in {w.pk for w in delivery_change_windows(order=locked, zone=zone, now=now)}:
            raise OrderError(_("Cette fenêtre de livraison n'est pas possible pour cette commande : "
                               "choisissez-en une dans la liste."))
        try:
            return delivery_booking_move(booking_id=booking.pk, window_id=chosen, address=address, zone=zone,
                                         now=now)
        except DeliveryError as error:
            raise OrderError(str(error.message)) from None
