import datetime as dt

import pytest

from logistics.models import Slot, SlotTemplate
from logistics.services.slots import slots_generate
from tests.factories.logistics import (
    CollectionPointFactory,
    PointClosureFactory,
    SlotFactory,
    SlotTemplateFactory,
    paris,
)

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 6, 8)  # Tuesday is 2026-06-09
NOW = paris(2026, 6, 7, 12)


def _point_with_tuesday_hours(hours=range(10, 19), capacity=8):
    point = CollectionPointFactory()
    for hour in hours:
        SlotTemplateFactory(point=point, weekday=1, start=dt.time(hour), end=dt.time(hour + 1), capacity=capacity)
    return point


def _starts(point):
    return list(Slot.objects.filter(point=point).order_by("starts_at").values_list("starts_at", flat=True))


def test_generates_one_slot_per_template_per_matching_day():
    point = _point_with_tuesday_hours()
    report = slots_generate(point=point, start_date=MONDAY, days=14, now=NOW)
    assert report.created == 18
    starts = _starts(point)
    assert starts[0] == paris(2026, 6, 9, 10) and starts[9] == paris(2026, 6, 16, 10)
    assert all(s.capacity == 8 and s.ends_at - s.starts_at == dt.timedelta(hours=1) for s in Slot.objects.all())


def test_second_run_changes_nothing():
    point = _point_with_tuesday_hours()
    slots_generate(point=point, start_date=MONDAY, days=7, now=NOW)
    before = list(Slot.objects.order_by("pk").values())
    report = slots_generate(point=point, start_date=MONDAY, days=7, now=NOW)
    assert (report.created, report.updated, report.removed, report.needs_attention) == (0, 0, 0, [])
    assert list(Slot.objects.order_by("pk").values()) == before


def test_past_slots_are_not_generated():
    point = _point_with_tuesday_hours(hours=[10, 15])
    slots_generate(point=point, start_date=MONDAY, days=7, now=paris(2026, 6, 9, 12))
    assert _starts(point) == [paris(2026, 6, 9, 15)]


def test_a_closure_removes_free_slots_and_flags_booked_ones():
    point = _point_with_tuesday_hours(hours=[10, 11, 12])
    slots_generate(point=point, start_date=MONDAY, days=7, now=NOW)
    booked = Slot.objects.get(point=point, starts_at=paris(2026, 6, 9, 11))
    Slot.objects.filter(pk=booked.pk).update(booked=2)
    PointClosureFactory(point=point, starts_at=paris(2026, 6, 9, 0), ends_at=paris(2026, 6, 10, 0))

    report = slots_generate(point=point, start_date=MONDAY, days=7, now=NOW)

    assert report.removed == 2
    assert [s.pk for s in report.needs_attention] == [booked.pk]
    booked.refresh_from_db()
    assert booked.needs_attention and booked.booked == 2 and booked.capacity == 8
    assert _starts(point) == [paris(2026, 6, 9, 11)]


def test_template_change_updates_free_slots_and_never_drops_held_ones():
    point = _point_with_tuesday_hours(hours=[10, 11])
    slots_generate(point=point, start_date=MONDAY, days=7, now=NOW)
    held = Slot.objects.get(starts_at=paris(2026, 6, 9, 11))
    Slot.objects.filter(pk=held.pk).update(held=1)
    SlotTemplate.objects.filter(point=point).update(capacity=4)
    SlotTemplate.objects.filter(point=point, start=dt.time(11)).update(is_active=False)

    report = slots_generate(point=point, start_date=MONDAY, days=7, now=NOW)

    assert report.updated == 1 and report.removed == 0
    assert [s.pk for s in report.needs_attention] == [held.pk]
    free = Slot.objects.get(starts_at=paris(2026, 6, 9, 10))
    assert free.capacity == 4 and not free.needs_attention
    held.refresh_from_db()
    assert held.needs_attention and held.held == 1 and held.capacity == 8


def test_flag_is_cleared_when_the_template_comes_back():
    point = _point_with_tuesday_hours(hours=[10])
    slot = SlotFactory(point=point, starts_at=paris(2026, 6, 9, 10), capacity=8, booked=1, needs_attention=True)
    slots_generate(point=point, start_date=MONDAY, days=7, now=NOW)
    slot.refresh_from_db()
    assert not slot.needs_attention and slot.booked == 1


def test_inactive_point_gets_no_new_slots_and_loses_free_ones():
    point = _point_with_tuesday_hours(hours=[10])
    slots_generate(point=point, start_date=MONDAY, days=7, now=NOW)
    point.is_active = False
    point.save()
    report = slots_generate(point=point, start_date=MONDAY, days=7, now=NOW)
    assert report.removed == 1 and not Slot.objects.exists()


def test_other_points_slots_are_untouched():
    point = _point_with_tuesday_hours(hours=[10])
    other = SlotFactory(starts_at=paris(2026, 6, 9, 10))
    slots_generate(point=point, start_date=MONDAY, days=7, now=NOW)
    assert Slot.objects.filter(pk=other.pk).exists()


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="positif"):
        slots_generate(point=CollectionPointFactory(), start_date=MONDAY, days=-1, now=NOW)


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [(dt.date(2026, 3, 29), 8), (dt.date(2026, 10, 25), 9), (dt.date(2026, 3, 28), 9)],
)
def test_slots_follow_the_town_clock_on_dst_change_days(day, utc_hour):
    point = CollectionPointFactory()
    SlotTemplateFactory(point=point, weekday=day.weekday(), start=dt.time(10), end=dt.time(11))
    slots_generate(point=point, start_date=day, days=1, now=paris(2026, 1, 1))
    (slot,) = Slot.objects.all()
    assert slot.starts_at == dt.datetime(day.year, day.month, day.day, utc_hour, tzinfo=dt.UTC)
    assert slot.ends_at - slot.starts_at == dt.timedelta(hours=1)


def test_a_template_inside_the_spring_gap_makes_no_slot():
    day = dt.date(2026, 3, 29)  # 2:00 → 3:00
    point = CollectionPointFactory()
    SlotTemplateFactory(point=point, weekday=day.weekday(), start=dt.time(2, 15), end=dt.time(2, 45))
    SlotTemplateFactory(point=point, weekday=day.weekday(), start=dt.time(3, 0), end=dt.time(4, 0))
    slots_generate(point=point, start_date=day, days=1, now=paris(2026, 1, 1))
    assert _starts(point) == [dt.datetime(2026, 3, 29, 1, tzinfo=dt.UTC)]


def test_a_booked_slot_takes_its_templates_new_capacity_while_its_bookings_fit():
    point = _point_with_tuesday_hours(hours=[10, 11])
    slots_generate(point=point, start_date=MONDAY, days=7, now=NOW)
    fits = Slot.objects.get(starts_at=paris(2026, 6, 9, 10))
    too_full = Slot.objects.get(starts_at=paris(2026, 6, 9, 11))
    Slot.objects.filter(pk=fits.pk).update(booked=2, held=1)
    Slot.objects.filter(pk=too_full.pk).update(booked=5)
    SlotTemplate.objects.filter(point=point).update(capacity=4)

    report = slots_generate(point=point, start_date=MONDAY, days=7, now=NOW)

    fits.refresh_from_db()
    too_full.refresh_from_db()
    assert (fits.capacity, fits.booked, fits.held, fits.needs_attention) == (4, 2, 1, False)
    assert (too_full.capacity, too_full.booked, too_full.needs_attention) == (8, 5, True)
    assert [s.pk for s in report.needs_attention] == [too_full.pk]
