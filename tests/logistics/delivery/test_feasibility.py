"""Which delivery windows a basket can have: the shops' preparation (pickup rule) by the drop time,
room for its parcels, the cut-off, the zone's days; a fixed number of queries."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from logistics.delivery.models import DeliveryBooking, DeliveryWindow
from logistics.delivery.selectors import windows_feasible
from logistics.models import HoldStatus
from tests.factories import ClosureFactory, OpeningPeriodFactory, ShopFactory
from tests.factories.delivery import DeliveryZoneFactory, window_with_capacity
from tests.factories.logistics import paris

pytestmark = pytest.mark.django_db

def _next_monday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


#: Shifts are only put on coming windows: the week tested is next week, from Monday 8:00.
MONDAY = _next_monday()
MONDAY_8 = paris(MONDAY.year, MONDAY.month, MONDAY.day, 8)


def day_at(day: int, hour: int) -> dt.datetime:
    """Day ``day`` of the week tested (1 = Monday) at ``hour``, town time."""
    date = MONDAY + dt.timedelta(days=day - 1)
    return paris(date.year, date.month, date.day, hour)


def shop_open(preparation=60, **fields):
    shop = ShopFactory(preparation_minutes=preparation, **fields)
    for weekday in range(7):
        OpeningPeriodFactory(shop=shop, weekday=weekday, opens=dt.time(9), closes=dt.time(12))
    return shop


def window_at(zone, day, hour, parcels=10, **fields):
    start = day_at(day, hour)
    return window_with_capacity(zone=zone, parcels=parcels, starts_at=start, ends_at=start + dt.timedelta(hours=2),
                                cutoff_at=start - dt.timedelta(hours=2), **fields)


def test_a_shop_must_have_prepared_by_the_drop_time_half_an_hour_before_the_window():
    zone = DeliveryZoneFactory()
    too_soon = window_at(zone, 1, 10)  # drop 9:30: the shop opened at 9:00, needs 60 minutes
    possible = window_at(zone, 1, 11)  # drop 10:30: ready at 10:00
    found = windows_feasible(zone=zone, shops=[shop_open(60)], parcels=1, now=MONDAY_8)
    assert found == [possible] and too_soon not in found


def test_a_closed_shop_pushes_the_windows_to_when_it_has_prepared():
    zone = DeliveryZoneFactory()
    shop = shop_open(60)
    ClosureFactory(shop=shop, starts_at=day_at(1, 0), ends_at=day_at(2, 0))
    window_at(zone, 1, 14)  # the shop is closed all Monday: nothing prepared
    tuesday = window_at(zone, 2, 11)
    assert windows_feasible(zone=zone, shops=[shop], parcels=1, now=MONDAY_8) == [tuesday]


def test_windows_without_room_for_the_parcels_or_past_cutoff_or_off_days_are_left_out():
    zone = DeliveryZoneFactory(weekdays=[0, 1])  # Monday and Tuesday only
    small = window_at(zone, 1, 14, parcels=2)
    closed = window_at(zone, 1, 9)  # cut-off 7:00
    wednesday = window_at(zone, 3, 14)
    roomy = window_at(zone, 2, 14)
    found = windows_feasible(zone=zone, shops=[shop_open(0)] * 3, parcels=3, now=MONDAY_8)
    assert found == [roomy]
    assert not {small, closed, wednesday} & set(found)


def test_expired_holds_of_a_full_window_count_as_free():
    zone = DeliveryZoneFactory()
    window = window_at(zone, 1, 14, parcels=2)
    DeliveryWindow.objects.filter(pk=window.pk).update(held=2)
    DeliveryBooking.objects.create(window=window, basket_id=1, zone=zone, parcels=2, street="1 Rue", postcode="45210",
                                   town="B", latitude=0, longitude=0, fee=0, status=HoldStatus.HELD,
                                   expires_at=MONDAY_8 - dt.timedelta(minutes=1))
    assert windows_feasible(zone=zone, shops=[shop_open(0)], parcels=2, now=MONDAY_8) == [window]


def test_a_window_of_another_zone_or_flagged_is_not_offered():
    zone, other = DeliveryZoneFactory(), DeliveryZoneFactory()
    window_at(other, 1, 14)
    flagged = window_at(zone, 1, 16)
    DeliveryWindow.objects.filter(pk=flagged.pk).update(needs_attention=True)
    assert windows_feasible(zone=zone, shops=[shop_open(0)], parcels=1, now=MONDAY_8) == []


def test_the_computation_runs_four_queries_whatever_the_shops_and_windows():
    zone = DeliveryZoneFactory()
    for day in range(1, 8):
        for hour in (10, 14, 17):
            window_at(zone, day, hour, parcels=1 if hour == 10 else 5)
    shops = [shop_open(30) for _ in range(5)]
    for window in DeliveryWindow.objects.filter(capacity=1):
        DeliveryWindow.objects.filter(pk=window.pk).update(held=1)
    with CaptureQueriesContext(connection) as one:
        windows_feasible(zone=zone, shops=shops[:1], parcels=2, now=MONDAY_8)
    with CaptureQueriesContext(connection) as five:
        found = windows_feasible(zone=zone, shops=shops, parcels=2, now=MONDAY_8)
    assert len(one) == len(five) == 4
    assert len(found) == 14  # the 14:00 and 17:00 windows of the 7 days; the full 10:00 ones are left out
