"""Whether a shop is open (Paris local time, closures) and whose shops a user runs."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser

from shops.models import ShopStatus
from shops.selectors import shop_is_open, shops_for_user, shops_listed
from tests.factories import ClosureFactory, OpeningPeriodFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
PARIS = ZoneInfo("Europe/Paris")
MONDAY = 0
# 12 January 2026 and 13 July 2026 are Mondays; Paris is UTC+1 in winter, UTC+2 in summer.
WINTER_MONDAY = dt.date(2026, 1, 12)
SUMMER_MONDAY = dt.date(2026, 7, 13)
assert WINTER_MONDAY.weekday() == SUMMER_MONDAY.weekday() == MONDAY


def utc(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), UTC)


@pytest.fixture
def morning_shop():
    """Open on Mondays from 9:00 to 12:00, Paris time."""
    shop = ShopFactory()
    OpeningPeriodFactory(shop=shop, weekday=MONDAY, opens=dt.time(9, 0), closes=dt.time(12, 0))
    return shop


@pytest.mark.parametrize(
    ("at", "is_open"),
    [
        (utc(WINTER_MONDAY, 7, 30), False),  # 08:30 in Paris
        (utc(WINTER_MONDAY, 7, 59), False),  # 08:59
        (utc(WINTER_MONDAY, 8, 0), True),  # 09:00 sharp: opening time is included
        (utc(WINTER_MONDAY, 8, 30), True),  # 09:30
        (utc(WINTER_MONDAY, 10, 59), True),  # 11:59
        (utc(WINTER_MONDAY, 11, 0), False),  # 12:00 sharp: closing time is excluded
        (utc(WINTER_MONDAY, 11, 30), False),  # 12:30, although 11:30 UTC is within 9-12
        (utc(SUMMER_MONDAY, 7, 30), True),  # 09:30 summer time
        (utc(SUMMER_MONDAY, 9, 30), True),  # 11:30
        (utc(SUMMER_MONDAY, 10, 30), False),  # 12:30 in Paris, 10:30 UTC
        (utc(SUMMER_MONDAY, 6, 30), False),  # 08:30
        (utc(WINTER_MONDAY + dt.timedelta(days=1), 8, 30), False),  # Tuesday 09:30
    ],
)
def test_shop_is_open_compares_opening_hours_with_paris_local_time(morning_shop, at, is_open):
    assert shop_is_open(shop=morning_shop, at=at) is is_open


def test_shop_is_open_accepts_a_moment_in_any_time_zone(morning_shop):
    new_york = ZoneInfo("America/New_York")
    # 03:30 in New York on a winter Monday is 09:30 in Paris.
    assert shop_is_open(shop=morning_shop, at=dt.datetime(2026, 1, 12, 3, 30, tzinfo=new_york))
    assert shop_is_open(shop=morning_shop, at=dt.datetime(2026, 1, 12, 9, 30, tzinfo=PARIS))


def test_late_sunday_utc_is_already_monday_in_paris():
    shop = ShopFactory()
    OpeningPeriodFactory(shop=shop, weekday=MONDAY, opens=dt.time(0, 0), closes=dt.time(1, 0))

    # Sunday 11 January 2026, 23:30 UTC = Monday 00:30 in Paris.
    assert shop_is_open(shop=shop, at=dt.datetime(2026, 1, 11, 23, 30, tzinfo=UTC))


def test_shop_with_a_lunch_break_is_closed_between_its_two_periods():
    shop = ShopFactory()
    OpeningPeriodFactory(shop=shop, weekday=MONDAY, opens=dt.time(9, 0), closes=dt.time(12, 30))
    OpeningPeriodFactory(shop=shop, weekday=MONDAY, opens=dt.time(14, 0), closes=dt.time(19, 0))

    def at(hour, minute):
        return dt.datetime.combine(WINTER_MONDAY, dt.time(hour, minute), PARIS)

    assert shop_is_open(shop=shop, at=at(12, 0))
    assert not shop_is_open(shop=shop, at=at(13, 0))
    assert shop_is_open(shop=shop, at=at(14, 0))
    assert not shop_is_open(shop=shop, at=at(19, 0))


def test_shop_without_opening_periods_is_never_open():
    shop = ShopFactory()

    assert not shop_is_open(shop=shop, at=utc(WINTER_MONDAY, 8, 30))


def test_closure_closes_a_shop_during_its_opening_hours(morning_shop):
    ClosureFactory(
        shop=morning_shop,
        starts_at=dt.datetime.combine(WINTER_MONDAY, dt.time(0, 0), PARIS),
        ends_at=dt.datetime.combine(WINTER_MONDAY, dt.time(10, 0), PARIS),
    )

    assert not shop_is_open(shop=morning_shop, at=utc(WINTER_MONDAY, 8, 30))  # 09:30, closed
    assert shop_is_open(shop=morning_shop, at=utc(WINTER_MONDAY, 9, 0))  # 10:00, closure over
    assert shop_is_open(shop=morning_shop, at=utc(WINTER_MONDAY + dt.timedelta(days=7), 8, 30))


def test_shops_listed_prefetch_gives_the_same_answer_as_a_fresh_lookup(morning_shop, django_assert_num_queries):
    ClosureFactory(
        shop=morning_shop,
        starts_at=dt.datetime.combine(WINTER_MONDAY, dt.time(9, 0), PARIS),
        ends_at=dt.datetime.combine(WINTER_MONDAY, dt.time(9, 45), PARIS),
    )
    moments = [utc(WINTER_MONDAY, 8, 30), utc(WINTER_MONDAY, 9, 0)]

    for at in moments:
        [listed] = list(shops_listed(at=at))
        with django_assert_num_queries(0):
            from_listing = shop_is_open(shop=listed, at=at)
        assert from_listing is shop_is_open(shop=morning_shop, at=at)
    [listed] = list(shops_listed(at=moments[0]))
    assert shop_is_open(shop=listed, at=moments[0]) is False
    [listed] = list(shops_listed(at=moments[1]))
    assert shop_is_open(shop=listed, at=moments[1]) is True


def test_shops_listed_leaves_out_suspended_shops():
    active = ShopFactory()
    ShopFactory(status=ShopStatus.SUSPENDED)
    on_holiday = ShopFactory(vacation_mode=True)

    assert set(shops_listed()) == {active, on_holiday}


def test_shops_for_user_returns_only_the_shops_the_user_works_for():
    baker, cheesemonger, other = UserFactory(), UserFactory(), UserFactory()
    bakery = ShopFactory(staff=[baker])
    second_bakery = ShopFactory(staff=[baker])
    cheese_shop = ShopFactory(staff=[cheesemonger])
    ShopFactory()

    assert set(shops_for_user(user=baker)) == {bakery, second_bakery}
    assert list(shops_for_user(user=cheesemonger)) == [cheese_shop]
    assert not shops_for_user(user=other).exists()


def test_shops_for_user_returns_nothing_for_an_anonymous_visitor(django_assert_num_queries):
    ShopFactory(staff=[UserFactory()])

    with django_assert_num_queries(0):
        assert list(shops_for_user(user=AnonymousUser())) == []
