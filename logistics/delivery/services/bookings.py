"""A basket's delivery window: held while the shopper pays, booked at placement, released.

The same rules as a pickup slot (``logistics.services.holds``): a hold is a conditional
change of ``DeliveryWindow.held`` under the window's row lock, backed by the
``delivery_window_within_capacity`` constraint; expired holds of a full window are given
back before refusing; converting moves the parcels from ``held`` to ``booked`` in the
order's transaction. Locks in ``logistics.locks``' order: booking, then window.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from logistics import locks
from logistics.delivery.exceptions import (
    BookingExpired,
    WindowClosed,
    WindowFull,
    WindowUnavailable,
)
from logistics.delivery.models import DeliveryBooking, DeliveryWindow, DeliveryZone
from logistics.exceptions import HoldInvalid
from logistics.geo import GeocodedAddress
from logistics.models import HoldStatus


@dataclass(frozen=True)
class DeliveryAddress:
    """Where to deliver: the placed address and what the courier needs at the door."""

    place: GeocodedAddress
    complement: str = ""
    instructions: str = ""


def _flag_after_release(window: DeliveryWindow) -> None:
    if window.needs_attention and window.booked + window.held <= window.capacity:
        from logistics.delivery.services.windows import window_capacity_recompute

        window_capacity_recompute(window=window)


def _release_held(booking: DeliveryBooking, window: DeliveryWindow) -> None:
    booking.status = HoldStatus.RELEASED
    booking.save(update_fields=["status", "updated_at"])
    window.held -= booking.parcels
    window.save(update_fields=["held"])


def window_bookable_check(*, window: DeliveryWindow | None, zone: DeliveryZone, now: dt.datetime,
                          serving: set[int] | None = None) -> DeliveryWindow:
    """Raise the French reason ``window`` cannot be chosen for ``zone`` at ``now`` (capacity aside)."""
    if window is None:
        raise WindowUnavailable()
    if window.cutoff_at <= now:
        raise WindowClosed()
    if window.needs_attention:
        raise WindowUnavailable()
    if serving is None:
        serving = set(window.template.zones.values_list("pk", flat=True))
    if zone.pk not in serving or window.starts_at.astimezone(timezone.get_default_timezone()).weekday() not in (
        zone.weekdays or []
    ):
        raise WindowUnavailable()
    return window


def delivery_window_hold(
    *, basket_id: int, window_id: int, zone: DeliveryZone, address: DeliveryAddress, parcels: int, fee: Decimal,
    now: dt.datetime, expires_at: dt.datetime,
) -> DeliveryBooking:
    """Hold ``parcels`` of ``window`` for the basket until ``expires_at``, replacing its previous booking hold.

    Inside the caller's transaction (the checkout's, with the stock): a refusal raises
    ``DeliveryError`` and the caller rolls back whole.
    """
    if isinstance(basket_id, bool) or not isinstance(basket_id, int) or basket_id <= 0:
        raise HoldInvalid("Panier inconnu : rechargez la page et réessayez.")
    with transaction.atomic(savepoint=False):
        previous = locks.delivery_bookings_of_basket_lock(basket_id=basket_id)
        windows = locks.delivery_windows_lock(window_ids=[window_id] + [b.window_id for b in previous])
        for booking in previous:
            _release_held(booking, windows[booking.window_id])
        window = window_bookable_check(window=windows.get(window_id), zone=zone, now=now)
        if window.remaining < parcels and window.held:
            for stale in locks.delivery_bookings_expired_of_window_lock(window_id=window.pk, now=now):
                _release_held(stale, window)
        if window.remaining < parcels:
            raise WindowFull()
        window.held += parcels
        window.save(update_fields=["held"])
        place = address.place
        try:
            return DeliveryBooking.objects.create(
                window=window, basket_id=basket_id, zone=zone, parcels=parcels, street=place.street[:255],
                postcode=place.postcode, town=place.town[:128], complement=address.complement[:255],
                instructions=address.instructions[:500], latitude=place.latitude, longitude=place.longitude,
                fee=fee, expires_at=expires_at, status=HoldStatus.HELD,
            )
        except IntegrityError:
            raise HoldInvalid("Ce panier vient de retenir une livraison dans une autre fenêtre : "
                              "rechargez la page.") from None


def delivery_basket_release(*, basket_id: int) -> int:
    """Release the basket's held delivery (it chose a pickup instead); returns parcels given back."""
    with transaction.atomic(savepoint=False):
        previous = locks.delivery_bookings_of_basket_lock(basket_id=basket_id)
        if not previous:
            return 0
        windows = locks.delivery_windows_lock(window_ids=[b.window_id for b in previous])
        for booking in previous:
            _release_held(booking, windows[booking.window_id])
            _flag_after_release(windows[booking.window_id])
        return sum(b.parcels for b in previous)


def delivery_booking_convert(*, basket_id: int, now: dt.datetime) -> DeliveryBooking:
    """The order is being placed: the basket's held window becomes a booking (caller's transaction,
    which then links the order to it)."""
    with transaction.atomic(savepoint=False):
        held = locks.delivery_bookings_of_basket_lock(basket_id=basket_id)
        if len(held) != 1 or held[0].expires_at <= now:
            raise BookingExpired()
        booking = held[0]
        window = locks.delivery_windows_lock(window_ids=[booking.window_id])[booking.window_id]
        window.held -= booking.parcels
        window.booked += booking.parcels
        window.save(update_fields=["held", "booked"])
        booking.window, booking.status = window, HoldStatus.CONVERTED
        booking.save(update_fields=["status", "updated_at"])
    return booking


def delivery_booking_release(*, booking_id: int) -> DeliveryBooking:
    """The delivered order is cancelled: its parcels leave the window. Twice changes nothing."""
    with transaction.atomic():
        booking = locks.delivery_booking_lock(booking_id=booking_id)
        if booking.status != HoldStatus.CONVERTED:
            return booking
        window = locks.delivery_windows_lock(window_ids=[booking.window_id])[booking.window_id]
        booking.status = HoldStatus.RELEASED
        booking.save(update_fields=["status", "updated_at"])
        window.booked -= booking.parcels
        window.save(update_fields=["booked"])
        _flag_after_release(window)
    return booking


def delivery_part_cancelled(*, order_id: int, shop_order_id: int) -> DeliveryBooking | None:
    """A part of a delivered order is cancelled (under the order's lock): once no part is left to
    deliver, the window gets its parcels back and the fee is no longer due."""
    from marketplace.order.models import ShopOrder, ShopOrderStatus

    others_open = (ShopOrder.objects.filter(order_id=order_id).exclude(pk=shop_order_id)
                   .exclude(status=ShopOrderStatus.CANCELLED).exists())
    booking_id = DeliveryBooking.objects.filter(order_id=order_id).values_list("pk", flat=True).first()
    if others_open or booking_id is None:
        return None
    return delivery_booking_release(booking_id=booking_id)


def delivery_booking_move(*, booking_id: int, window_id: int | None = None, address: DeliveryAddress | None = None,
                          zone: DeliveryZone | None = None, now: dt.datetime | None = None) -> DeliveryBooking:
    """The shopper changes the window and/or the address of a booked delivery (caller checks the rule:
    no shop has started preparing). The new window must have room; the old one gets its parcels back."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = locks.delivery_booking_lock(booking_id=booking_id)
        if booking.status != HoldStatus.CONVERTED:
            raise BookingExpired()
        zone = zone or booking.zone
        target = window_id or booking.window_id
        windows = locks.delivery_windows_lock(window_ids=[booking.window_id, target])
        if target != booking.window_id or zone.pk != booking.zone_id:
            new = window_bookable_check(window=windows.get(target), zone=zone, now=now)
            if target != booking.window_id:
                if new.remaining < booking.parcels:
                    raise WindowFull()
                old = windows[booking.window_id]
                old.booked -= booking.parcels
                old.save(update_fields=["booked"])
                _flag_after_release(old)
                new.booked += booking.parcels
                new.save(update_fields=["booked"])
                booking.window = new
        if address is not None:
            place = address.place
            booking.street, booking.postcode, booking.town = place.street[:255], place.postcode, place.town[:128]
            booking.latitude, booking.longitude = place.latitude, place.longitude
            booking.complement, booking.instructions = address.complement[:255], address.instructions[:500]
            booking.zone = zone
        booking.save()
    return booking


def deliveries_expire(*, now: dt.datetime | None = None, batch_size: int = 500) -> int:
    """Release every held delivery expired at ``now`` (SKIP LOCKED batches: safe to run twice at once)."""
    now = now or timezone.now()
    released = 0
    while True:
        with transaction.atomic():
            bookings = locks.delivery_bookings_expired_lock(now=now, limit=batch_size)
            if not bookings:
                return released
            windows = locks.delivery_windows_lock(window_ids=[b.window_id for b in bookings])
            for booking in bookings:
                _release_held(booking, windows[booking.window_id])
            for window in windows.values():
                _flag_after_release(window)
            released += len(bookings)
        if len(bookings) < batch_size:
            return released
