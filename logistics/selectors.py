"""Read-side queries of logistics: which slots a basket can really be collected in."""
from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Value

from logistics.models import (
    CollectionPoint,
    HoldStatus,
    LockerCompartment,
    PointClosure,
    PointKind,
    PointOpeningPeriod,
    Slot,
    SlotHold,
    Temperature,
    sizes_fitting,
)
from logistics.timeutils import town_period, town_tz
from shops.models import Closure, OpeningPeriod, Shop

Interval = tuple[dt.datetime, dt.datetime]


def _open_intervals(
    periods: Iterable[tuple[int, dt.time, dt.time]],
    closures: Iterable[Interval],
    start: dt.datetime,
    end: dt.datetime,
) -> list[Interval]:
    """Open time between ``start`` and ``end`` (UTC, sorted, disjoint): weekly periods minus closures."""
    tz = town_tz()
    by_day: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
    for weekday, opens, closes in periods:
        by_day[weekday].append((opens, closes))
    day = start.astimezone(tz).date() - dt.timedelta(days=1)
    last = end.astimezone(tz).date() + dt.timedelta(days=1)
    raw: list[Interval] = []
    while day <= last:
        for opens, closes in by_day.get(day.weekday(), ()):
            a, b = town_period(day, opens, closes, tz)
            a, b = max(a, start), min(b, end)
            if a < b:
                raw.append((a, b))
        day += dt.timedelta(days=1)
    raw.sort()
    merged: list[list[dt.datetime]] = []
    for a, b in raw:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    intervals = [(a, b) for a, b in merged]
    for c_start, c_end in sorted(closures):
        cut: list[Interval] = []
        for a, b in intervals:
            if c_end <= a or b <= c_start:
                cut.append((a, b))
                continue
            if a < c_start:
                cut.append((a, c_start))
            if c_end < b:
                cut.append((c_end, b))
        intervals = cut
    return intervals


def _ready_at(intervals: Sequence[Interval], minutes: int, now: dt.datetime) -> dt.datetime | None:
    """The first moment by which the shop has been open ``minutes`` minutes since ``now``."""
    needed = dt.timedelta(minutes=minutes)
    if needed <= dt.timedelta(0):
        return now
    for a, b in intervals:
        if b - a >= needed:
            return a + needed
        needed -= b - a
    return None


def _contains(intervals: Sequence[Interval], starts: Sequence[dt.datetime], a: dt.datetime, b: dt.datetime) -> bool:
    i = bisect.bisect_right(starts, a) - 1
    return i >= 0 and intervals[i][1] >= b


def slots_feasible(
    *,
    point: CollectionPoint,
    shops: Sequence[Shop],
    now: dt.datetime,
    days: int = 7,
    compartment_size: str | None = None,
    temperature: str | None = None,
) -> list[Slot]:
    """Slots of ``point`` from ``now`` for ``days`` days in which a basket from ``shops`` can be collected.

    A slot is feasible when all of these hold:

    * **preparation**: every shop is *open* (weekly opening hours, wall-clock time of
      the town, minus its exceptional closures) for at least its
      ``preparation_minutes`` in total between ``now`` and the slot's start. Open
      time may be split (a shop open 11:00–12:00 and 14:00–14:30 has prepared 90
      minutes by 14:30): staff prepare orders only while the shop is open, and
      never at night. A shop not selling (suspended, on holiday) makes no slot
      feasible;
    * **the point** is active and open for the whole slot (its own opening periods
      minus its closures; a shop's counter without periods of its own uses the
      shop's hours and closures);
    * **capacity**: the slot is not flagged ``needs_attention`` and has room
      (holds already expired but not yet released by the beat job count as free);
    * **lockers**: a compartment of ``compartment_size`` or larger (any size when
      ``None``) at ``temperature`` (ambient when ``None``) is free for the whole slot.

    Runs a fixed number of queries whatever the number of shops and slots (at
    most 4, 6 at a locker bank; one less when no slot is full), then computes in Python.
    """
    if not point.is_active or days <= 0:
        return []
    shops = list(shops)
    if any(not shop.is_selling for shop in shops):
        return []
    window_end = now + dt.timedelta(days=days)
    slots = list(
        Slot.objects.filter(
            point=point,
            starts_at__gt=now,
            starts_at__lt=window_end,
            needs_attention=False,
        ).order_by("starts_at", "pk")
    )
    if not slots:
        return []
    horizon = max(slot.ends_at for slot in slots)

    # Holds expired but not yet released still count in ``held``: give them back (asked only
    # for the full slots that have holds: the others have room anyway).
    full = [s.pk for s in slots if s.remaining <= 0 and s.held > 0]
    expired = dict(
        SlotHold.objects.filter(slot_id__in=full, status=HoldStatus.HELD, expires_at__lte=now)
        .values("slot_id")
        .annotate(n=Count("pk"))
        .values_list("slot_id", "n")
    ) if full else {}
    slots = [s for s in slots if s.remaining + expired.get(s.pk, 0) > 0]
    if not slots:
        return []

    # Shops: every one must be ready before the slot starts.
    shop_ids = [shop.pk for shop in shops]
    periods_of: dict[int, list] = defaultdict(list)
    closures_of: dict[int, list] = defaultdict(list)
    counter_shop_id = point.shop_id if point.kind == PointKind.SHOP_COUNTER else None
    wanted_shops = set(shop_ids) | ({counter_shop_id} if counter_shop_id else set())
    # The shops' and the point's hours in one query, their closures in another (the
    # point's rows come with no shop id).
    point_only = Value(None, output_field=IntegerField())
    periods = PointOpeningPeriod.objects.filter(point=point).annotate(shop=point_only).values_list(
        "shop", "weekday", "opens", "closes"
    ).order_by()
    closures = PointClosure.objects.filter(point=point, starts_at__lt=horizon, ends_at__gt=now).annotate(
        shop=point_only
    ).values_list("shop", "starts_at", "ends_at").order_by()
    if wanted_shops:
        periods = OpeningPeriod.objects.filter(shop_id__in=wanted_shops).values_list(
            "shop_id", "weekday", "opens", "closes"
        ).order_by().union(periods, all=True)
        closures = Closure.objects.filter(
            shop_id__in=wanted_shops, starts_at__lt=horizon, ends_at__gt=now
        ).values_list("shop_id", "starts_at", "ends_at").order_by().union(closures, all=True)
    point_periods, point_closures = [], []
    for shop_id, weekday, opens, closes in periods:
        (point_periods if shop_id is None else periods_of[shop_id]).append((weekday, opens, closes))
    for shop_id, c_start, c_end in closures:
        (point_closures if shop_id is None else closures_of[shop_id]).append((c_start, c_end))
    ready = now
    for shop in shops:
        intervals = _open_intervals(periods_of[shop.pk], closures_of[shop.pk], now, horizon)
        shop_ready = _ready_at(intervals, shop.preparation_minutes, now)
        if shop_ready is None:
            return []
        ready = max(ready, shop_ready)

    # The point must be open for the whole slot.
    if counter_shop_id is not None:
        if not point_periods:
            point_periods = periods_of[counter_shop_id]
        point_closures += closures_of[counter_shop_id]
    first_start = min(slot.starts_at for slot in slots)
    point_open = _open_intervals(point_periods, point_closures, first_start, horizon)
    point_starts = [a for a, _b in point_open]

    feasible = [
        slot
        for slot in slots
        if slot.starts_at >= ready and _contains(point_open, point_starts, slot.starts_at, slot.ends_at)
    ]
    if point.kind == PointKind.LOCKER_BANK and feasible:
        feasible = _with_free_compartment(
            feasible, point=point, sizes=sizes_fitting(compartment_size),
            temperature=temperature or Temperature.AMBIENT, now=now,
        )
    return feasible


def _with_free_compartment(
    slots: list[Slot], *, point: CollectionPoint, sizes: list[str], temperature: str, now: dt.datetime
) -> list[Slot]:
    compartments = set(
        LockerCompartment.objects.filter(
            point=point, size__in=sizes, temperature=temperature, is_active=True
        ).values_list("pk", flat=True)
    )
    if not compartments:
        return []
    first, last = slots[0].starts_at, max(slot.ends_at for slot in slots)
    busy: dict[int, list[Interval]] = defaultdict(list)
    for compartment_id, a, b in compartment_holds_overlapping(
        compartment_ids=compartments, starts_at=first, ends_at=last, now=now
    ).values_list("compartment_id", "slot__starts_at", "slot__ends_at"):
        busy[compartment_id].append((a, b))
    return [
        slot
        for slot in slots
        if any(
            not any(a < slot.ends_at and slot.starts_at < b for a, b in busy.get(c, ()))
            for c in compartments
        )
    ]


def compartment_holds_overlapping(*, compartment_ids: Iterable[int], starts_at: dt.datetime, ends_at: dt.datetime,
                                  now: dt.datetime):
    """The holds that keep one of ``compartment_ids`` busy at some time in [``starts_at``,
    ``ends_at``): booked (converted) and not yet collected, or held and not yet expired at
    ``now``. An order whose parts are all collected (or cancelled, one at least collected)
    has emptied its compartment, so a later basket of the same slot may book it again; a
    part still to come keeps it. (Statuses by value: logistics does not import the orders.)"""
    parts = SlotHold.objects.filter(pk=OuterRef("pk"))
    collected = Exists(parts.filter(shop_orders__status="collected"))
    to_come = Exists(parts.filter(shop_orders__status__in=["new", "accepted", "preparing", "ready", "dropped"]))
    return SlotHold.objects.filter(
        compartment_id__in=list(compartment_ids), slot__starts_at__lt=ends_at, slot__ends_at__gt=starts_at
    ).filter(Q(~collected | to_come, status=HoldStatus.CONVERTED) | Q(status=HoldStatus.HELD, expires_at__gt=now))


def basket_holds_valid(*, basket_id: int, now: dt.datetime) -> list[SlotHold]:
    """The basket's slot holds still valid at ``now`` (whole basket or per shop), with slot,
    point and compartment, soonest first (one query)."""
    return list(
        SlotHold.objects.filter(basket_id=basket_id, status=HoldStatus.HELD, expires_at__gt=now)
        .select_related("slot__point", "compartment")
        .order_by("slot__starts_at", "pk")
    )


def slots_needing_attention(*, point: CollectionPoint | None = None):
    """Slots kept for their bookings although templates or closures removed them, soonest first."""
    slots = Slot.objects.filter(needs_attention=True).select_related("point").order_by("starts_at", "pk")
    return slots.filter(point=point) if point is not None else slots




# --- Where shoppers can collect (published: schema.org data, feeds, public API) ----------


def pickup_places_listed(*, shop_ids: Iterable[int] | None = None) -> tuple[dict[int, CollectionPoint], list[CollectionPoint]]:
    """(each shop's active counter by shop id, the active shared points: town points and locker
    banks), in one query; ``shop_ids`` None means every shop's counter. What checkout offers:
    a shop's part is collected at its counter or at any shared point."""
    points = CollectionPoint.objects.filter(is_active=True)
    counters = Q(kind=PointKind.SHOP_COUNTER)
    if shop_ids is not None:
        counters &= Q(shop_id__in=list(shop_ids))
    by_shop: dict[int, CollectionPoint] = {}
    shared: list[CollectionPoint] = []
    for point in points.filter(counters | ~Q(kind=PointKind.SHOP_COUNTER)).order_by("kind", "name", "pk"):
        if point.kind == PointKind.SHOP_COUNTER:
            by_shop[point.shop_id] = point
        else:
            shared.append(point)
    return by_shop, shared


def shops_ready_at(*, shops: Sequence[Shop], now: dt.datetime, horizon: dt.datetime) -> dt.datetime | None:
    """The first moment by which every shop has been open its ``preparation_minutes`` since ``now``
    (the pickup rule of ``slots_feasible``, for delivery windows); ``None`` when a shop is not
    selling or cannot be ready before ``horizon``. Two queries whatever the number of shops."""
    shops = list(shops)
    if any(not shop.is_selling for shop in shops):
        return None
    if not shops:
        return now
    ids = [shop.pk for shop in shops]
    periods_of: dict[int, list] = defaultdict(list)
    closures_of: dict[int, list] = defaultdict(list)
    for shop_id, weekday, opens, closes in OpeningPeriod.objects.filter(shop_id__in=ids).values_list(
        "shop_id", "weekday", "opens", "closes"
    ).order_by():
        periods_of[shop_id].append((weekday, opens, closes))
    for shop_id, c_start, c_end in Closure.objects.filter(
        shop_id__in=ids, starts_at__lt=horizon, ends_at__gt=now
    ).values_list("shop_id", "starts_at", "ends_at").order_by():
        closures_of[shop_id].append((c_start, c_end))
    ready = now
    for shop in shops:
        intervals = _open_intervals(periods_of[shop.pk], closures_of[shop.pk], now, horizon)
        shop_ready = _ready_at(intervals, shop.preparation_minutes, now)
        if shop_ready is None:
            return None
        ready = max(ready, shop_ready)
    return ready
