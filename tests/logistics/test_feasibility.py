import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from logistics.models import CompartmentSize, PointKind, Temperature
from logistics.selectors import slots_feasible
from tests.factories.logistics import slot_held as hold
from tests.factories import ClosureFactory, OpeningPeriodFactory, ShopFactory
from tests.factories.logistics import (
    CollectionPointFactory,
    LockerCompartmentFactory,
    PointClosureFactory,
    PointOpeningPeriodFactory,
    SlotFactory,
    paris,
)

pytestmark = pytest.mark.django_db

TUESDAY = dt.date(2026, 6, 9)


def _shop(prep=60, hours=((1, 9, 12), (1, 14, 19)), **kwargs):
    shop = ShopFactory(preparation_minutes=prep, **kwargs)
    for weekday, opens, closes in hours:
        OpeningPeriodFactory(shop=shop, weekday=weekday, opens=dt.time(opens), closes=dt.time(closes))
    return shop


def _point(hours=((1, 8, 20),), **kwargs):
    point = CollectionPointFactory(**kwargs)
    for weekday, opens, closes in hours:
        PointOpeningPeriodFactory(point=point, weekday=weekday, opens=dt.time(opens), closes=dt.time(closes))
    return point


def _hourly(point, day, hours, capacity=8):
    return {
        hour: SlotFactory(point=point, starts_at=paris(day.year, day.month, day.day, hour), capacity=capacity)
        for hour in hours
    }


def _hours(slots):
    return [s.starts_at.astimezone(paris(2026, 1, 1).tzinfo).hour for s in slots]


def test_slot_needs_the_preparation_time_in_opening_hours():
    point = _point()
    _hourly(point, TUESDAY, range(9, 19))
    shop = _shop(prep=90)
    feasible = slots_feasible(point=point, shops=[shop], now=paris(2026, 6, 9, 8, 0), days=1)
    # 9:00–10:30 prepares the order: 11:00 is the first whole-hour slot.
    assert _hours(feasible) == [11, 12, 13, 14, 15, 16, 17, 18]


def test_preparation_may_span_the_lunch_break():
    point = _point()
    _hourly(point, TUESDAY, range(12, 16))
    shop = _shop(prep=90)
    feasible = slots_feasible(point=point, shops=[shop], now=paris(2026, 6, 9, 11, 0), days=1)
    # open 11:00–12:00 then 14:00–14:30: ready at 14:30.
    assert _hours(feasible) == [15]


def test_every_shop_of_the_basket_must_be_ready():
    point = _point()
    _hourly(point, TUESDAY, range(9, 19))
    quick, slow = _shop(prep=30), _shop(prep=240)
    now = paris(2026, 6, 9, 9, 0)
    assert _hours(slots_feasible(point=point, shops=[quick], now=now, days=1))[0] == 10
    # slow: 9–12 (3 h) + 14–15 (1 h)
    assert _hours(slots_feasible(point=point, shops=[quick, slow], now=now, days=1)) == [15, 16, 17, 18]


def test_a_shop_closure_delays_preparation():
    point = _point()
    _hourly(point, TUESDAY, range(9, 19))
    shop = _shop(prep=60)
    ClosureFactory(shop=shop, starts_at=paris(2026, 6, 9, 0), ends_at=paris(2026, 6, 9, 15))
    assert _hours(slots_feasible(point=point, shops=[shop], now=paris(2026, 6, 9, 8), days=1)) == [16, 17, 18]


def test_the_point_must_be_open_for_the_whole_slot_and_not_closed():
    point = _point(hours=((1, 10, 12), (1, 14, 18, )))
    _hourly(point, TUESDAY, [9, 10, 11, 12, 14, 17, 18])
    SlotFactory(point=point, starts_at=paris(2026, 6, 9, 11, 30), capacity=8)  # 11:30–12:30
    PointClosureFactory(point=point, starts_at=paris(2026, 6, 9, 14, 30), ends_at=paris(2026, 6, 9, 15))
    shop = _shop(prep=0)
    assert _hours(slots_feasible(point=point, shops=[shop], now=paris(2026, 6, 9, 8), days=1)) == [10, 11, 17]


def test_full_slots_past_slots_and_flagged_slots_are_left_out():
    point = _point()
    slots = _hourly(point, TUESDAY, [9, 10, 11, 12], capacity=1)
    slots[10].booked = 1
    slots[10].save()
    slots[11].needs_attention = True
    slots[11].save()
    shop = _shop(prep=0)
    assert _hours(slots_feasible(point=point, shops=[shop], now=paris(2026, 6, 9, 9, 0), days=1)) == [12]


def test_expired_holds_not_yet_released_count_as_free():
    point = _point()
    slot = _hourly(point, TUESDAY, [14], capacity=1)[14]
    hold(slot, 1, now=paris(2026, 6, 9, 9), minutes=15)
    shop = _shop(prep=0)
    assert slots_feasible(point=point, shops=[shop], now=paris(2026, 6, 9, 9, 10), days=1) == []
    assert slots_feasible(point=point, shops=[shop], now=paris(2026, 6, 9, 9, 30), days=1) == [slot]


def test_shop_not_selling_or_inactive_point_gives_nothing():
    point = _point()
    _hourly(point, TUESDAY, [14])
    now = paris(2026, 6, 9, 9)
    assert slots_feasible(point=point, shops=[_shop(prep=0, vacation_mode=True)], now=now) == []
    point.is_active = False
    assert slots_feasible(point=point, shops=[_shop(prep=0)], now=now) == []


def test_only_the_requested_days_are_offered():
    point = _point(hours=[(d, 8, 20) for d in range(7)])
    for offset in range(10):
        _hourly(point, TUESDAY + dt.timedelta(days=offset), [12])
    shop = _shop(prep=0, hours=[(d, 8, 20) for d in range(7)])
    assert len(slots_feasible(point=point, shops=[shop], now=paris(2026, 6, 9, 8), days=7)) == 7


def test_shop_counter_uses_the_shop_hours_when_it_has_none():
    shop = _shop(prep=0)
    point = CollectionPointFactory(kind=PointKind.SHOP_COUNTER, shop=shop, name="Comptoir")
    _hourly(point, TUESDAY, [11, 12, 14])
    assert _hours(slots_feasible(point=point, shops=[shop], now=paris(2026, 6, 9, 8), days=1)) == [11, 14]


def test_lockers_need_a_free_compartment_of_the_right_kind():
    point = _point(kind=PointKind.LOCKER_BANK)
    LockerCompartmentFactory(point=point, code="A1", size=CompartmentSize.M)
    LockerCompartmentFactory(point=point, code="F1", size=CompartmentSize.S, temperature=Temperature.CHILLED)
    slots = _hourly(point, TUESDAY, [14, 15])
    shop = _shop(prep=0)
    now = paris(2026, 6, 9, 9)
    hold(slots[14], 1, now=now)  # takes the one ambient compartment (M)
    assert slots_feasible(point=point, shops=[shop], now=now, days=1, compartment_size="S") == [slots[15]]
    assert slots_feasible(point=point, shops=[shop], now=now, days=1, compartment_size="L") == []
    chilled = slots_feasible(point=point, shops=[shop], now=now, days=1, temperature="chilled")
    assert chilled == [slots[14], slots[15]]


def test_query_count_does_not_grow_with_shops_and_slots():
    point = _point(hours=[(d, 8, 20) for d in range(7)])
    for offset in range(7):
        _hourly(point, TUESDAY + dt.timedelta(days=offset), range(9, 19))
    shops = [_shop(prep=30) for _ in range(5)]
    with CaptureQueriesContext(connection) as queries:
        feasible = slots_feasible(point=point, shops=shops, now=paris(2026, 6, 9, 8), days=7)
    assert len(feasible) > 0
    assert len(queries) <= 6


class TestDaylightSaving:
    """Wall-clock opening hours on the days the clocks change (Europe/Paris)."""

    def test_spring_forward_night_is_one_hour_shorter(self):
        # Sunday 2026-03-29: 2:00 becomes 3:00. Shop open Sat 17–19 and Sun 9–12.
        day = dt.date(2026, 3, 29)
        point = _point(hours=((6, 8, 20),))
        _hourly(point, day, [9, 10, 11])
        SlotFactory(point=point, starts_at=paris(2026, 3, 29, 9, 30), capacity=8)
        shop = _shop(prep=180, hours=((5, 17, 19), (6, 9, 12)))
        feasible = slots_feasible(point=point, shops=[shop], now=paris(2026, 3, 28, 16), days=2)
        # 2 h on Saturday + 1 h on Sunday: ready at 10:00 CEST (08:00 UTC), not 9:00.
        assert _hours(feasible) == [10, 11]
        assert feasible[0].starts_at == dt.datetime(2026, 3, 29, 8, tzinfo=dt.UTC)

    def test_fall_back_day_keeps_wall_clock_hours(self):
        # Sunday 2026-10-25: 3:00 becomes 2:00 again.
        day = dt.date(2026, 10, 25)
        point = _point(hours=((6, 10, 12),))
        _hourly(point, day, [9, 10, 11, 12])
        shop = _shop(prep=60, hours=((6, 9, 12),))
        feasible = slots_feasible(point=point, shops=[shop], now=paris(2026, 10, 24, 20), days=2)
        assert _hours(feasible) == [10, 11]
        assert feasible[0].starts_at == dt.datetime(2026, 10, 25, 9, tzinfo=dt.UTC)

    def test_the_night_does_not_count_as_preparation_time_across_the_change(self):
        day = dt.date(2026, 10, 25)
        point = _point(hours=((6, 0, 23),))
        _hourly(point, day, [1, 2, 3, 4])
        shop = _shop(prep=60, hours=((5, 22, 23),))
        feasible = slots_feasible(point=point, shops=[shop], now=paris(2026, 10, 24, 22, 30), days=1)
        assert feasible == []
