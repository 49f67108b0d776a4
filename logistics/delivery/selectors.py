"""Read side of delivery: the windows a basket can really be delivered in, the coming windows."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q
from django.utils import formats, timezone

from logistics.delivery.models import DeliveryBooking, DeliveryWindow, DeliveryZone
from logistics.models import HoldStatus
from logistics.selectors import shops_ready_at
from shops.models import Shop


def drop_minutes() -> int:
    """Parcels are at the town point (or handed to the courier) this long before the window."""
    return int(getattr(settings, "HALLE_DELIVERY_DROP_MINUTES", 30))


def window_drop_at(window: DeliveryWindow) -> dt.datetime:
    return window.starts_at - dt.timedelta(minutes=drop_minutes())


def windows_feasible(
    *, zone: DeliveryZone, shops: Sequence[Shop], parcels: int, now: dt.datetime, days: int = 7,
) -> list[DeliveryWindow]:
    """Windows of ``zone`` from ``now`` for ``days`` days in which a basket from ``shops`` can be delivered.

    Feasible when: the zone is delivered that weekday; orders are still open (``cutoff_at``
    after ``now``); the window is not flagged and has room for ``parcels`` (holds expired
    but not yet released count as free); every shop can prepare in time under the pickup
    rule (hours, closures, preparation) and have it at the drop time (``drop_minutes``
    before the start). Daily caps are applied by the checkout, as for slots. A fixed number
    of queries (at most 4) whatever the number of shops and windows.
    """
    if not zone.is_active or days <= 0 or parcels <= 0:
        return []
    windows = list(
        DeliveryWindow.objects.filter(
            template__zones=zone, template__is_active=True, cutoff_at__gt=now,
            starts_at__lt=now + dt.timedelta(days=days), needs_attention=False,
        ).order_by("starts_at", "pk")
    )
    town = timezone.get_default_timezone()
    weekdays = set(zone.weekdays or [])
    windows = [w for w in windows if w.starts_at.astimezone(town).weekday() in weekdays]
    if not windows:
        return []
    short = [w.pk for w in windows if w.remaining < parcels and w.held > 0]
    expired: dict[int, int] = {}
    if short:
        for window_id, held in DeliveryBooking.objects.filter(
            window_id__in=short, status=HoldStatus.HELD, expires_at__lte=now
        ).values_list("window_id", "parcels"):
            expired[window_id] = expired.get(window_id, 0) + held
    windows = [w for w in windows if w.remaining + expired.get(w.pk, 0) >= parcels]
    if not windows:
        return []
    ready = shops_ready_at(shops=shops, now=now, horizon=max(w.starts_at for w in windows))
    if ready is None:
        return []
    return [w for w in windows if window_drop_at(w) >= ready]


def windows_coming(*, now: dt.datetime, days: int = 7):
    """The coming windows with their zones, shifts and bookings counted (manager's page), soonest first."""
    return (
        DeliveryWindow.objects.filter(ends_at__gt=now, starts_at__lt=now + dt.timedelta(days=days))
        .select_related("template")
        .prefetch_related("template__zones", "shifts__courier__user", "shifts__vehicle")
        .annotate(orders=Count("bookings", filter=Q(bookings__status=HoldStatus.CONVERTED)))
        .order_by("starts_at", "pk")
    )


def zones_active() -> list[DeliveryZone]:
    return list(DeliveryZone.objects.filter(is_active=True).select_related("depot").order_by("name", "pk"))


def booking_of_order(*, order) -> DeliveryBooking | None:
    return (DeliveryBooking.objects.filter(order=order).select_related("window", "zone").first()
            if order is not None and order.pk else None)


def courier_of(*, user):
    """The active courier profile of ``user``, or ``None``."""
    from logistics.delivery.models import Courier

    if user is None or not user.is_authenticated:
        return None
    return Courier.objects.filter(user=user, is_active=True).first()


def courier_rounds(*, courier, now: dt.datetime, days: int = 7):
    """The courier's rounds from today (town time) for ``days`` days, by departure (today's first)."""
    from logistics.delivery.models import Round

    start = dt.datetime.combine(timezone.localdate(now), dt.time(0), tzinfo=timezone.get_default_timezone())
    return list(Round.objects.filter(courier=courier, window__starts_at__gte=start,
                                     window__starts_at__lt=start + dt.timedelta(days=days))
                .select_related("window", "vehicle", "depot").annotate(stop_count=Count("stops"))
                .order_by("departs_at", "pk"))


def round_manifest(*, round_id: int, user):
    """The round with its ordered stops, each with its booking, order, part and shop, for its own
    courier only (``None`` for anyone else: the view answers 404). A fixed number of queries."""
    from django.db.models import Prefetch

    from logistics.delivery.models import Round, RoundStop
    from marketplace.order.models import ShopOrder

    stops = RoundStop.objects.select_related("booking__order__user", "shop_order__shop").prefetch_related(
        Prefetch("booking__order__shop_orders", queryset=ShopOrder.objects.select_related("shop").order_by("pk"))
    ).order_by("position")
    return (Round.objects.filter(pk=round_id, courier__user=user, courier__is_active=True)
            .select_related("window", "vehicle", "depot").prefetch_related(Prefetch("stops", queryset=stops))
            .first())


def window_label(window: DeliveryWindow) -> str:
    """« jeudi 14h00–16h00 » (with the date when not this week: « jeudi 11 juin 14h00–16h00 »)."""
    tz = timezone.get_default_timezone()
    start, end = window.starts_at.astimezone(tz), window.ends_at.astimezone(tz)
    return f"{formats.date_format(start, 'l j F')} {start:%Hh%M}–{end:%Hh%M}"


def delivery_fee_due(*, booking: DeliveryBooking, amounts=None) -> Decimal:
    """The fee the shopper still pays: none once the delivery is cancelled (released) or nothing is left
    to deliver (``amounts``: the order's amounts now)."""
    if booking.status == HoldStatus.RELEASED:
        return Decimal("0.00")
    if amounts is not None and not amounts.total:
        return Decimal("0.00")
    return booking.fee
