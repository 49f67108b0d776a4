"""Windows from templates; capacity derived from shifts; roster changes never drop a booking."""
import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from logistics.delivery.models import DeliveryWindow
from logistics.delivery.services.windows import (
    RosterError,
    shift_add,
    shift_remove,
    windows_generate,
)
from tests.factories.delivery import (
    CourierFactory,
    DeliveryWindowFactory,
    DeliveryWindowTemplateFactory,
    DeliveryZoneFactory,
    VehicleFactory,
    window_with_capacity,
)
from tests.factories.logistics import paris

pytestmark = pytest.mark.django_db


def test_windows_generate_creates_each_templates_windows_once():
    zone = DeliveryZoneFactory()
    template = DeliveryWindowTemplateFactory(weekday=3, start=dt.time(14), end=dt.time(16), zones=[zone])
    now = paris(2026, 6, 1, 8)  # a Monday
    first = windows_generate(start_date=dt.date(2026, 6, 1), days=14, now=now)
    again = windows_generate(start_date=dt.date(2026, 6, 1), days=14, now=now)
    windows = list(DeliveryWindow.objects.filter(template=template))
    assert first.created == 2 and again.created == 0
    assert [timezone.localtime(w.starts_at).date() for w in windows] == [dt.date(2026, 6, 4), dt.date(2026, 6, 11)]
    assert all(w.cutoff_at == w.starts_at - dt.timedelta(minutes=120) and w.capacity == 0 for w in windows)


def test_window_capacity_is_the_sum_of_the_vehicles_on_shift():
    window = DeliveryWindowFactory()
    shift_add(window_id=window.pk, courier=CourierFactory(), vehicle=VehicleFactory(capacity_parcels=8))
    second = shift_add(window_id=window.pk, courier=CourierFactory(), vehicle=VehicleFactory(capacity_parcels=5))
    window.refresh_from_db()
    assert window.capacity == 13
    shift_remove(shift_id=second.pk)
    window.refresh_from_db()
    assert window.capacity == 8 and not window.needs_attention


def test_removing_a_shift_under_the_bookings_keeps_them_and_flags_the_window():
    zone = DeliveryZoneFactory()
    window = window_with_capacity(zone=zone, parcels=6, couriers=2)
    DeliveryWindow.objects.filter(pk=window.pk).update(booked=9)
    shift_remove(shift_id=window.shifts.order_by("pk").first().pk)
    window.refresh_from_db()
    assert (window.capacity, window.booked, window.needs_attention) == (6, 9, True)
    shift_add(window_id=window.pk, courier=CourierFactory(), vehicle=VehicleFactory(capacity_parcels=4))
    window.refresh_from_db()
    assert (window.capacity, window.needs_attention) == (10, False)


def test_a_courier_cannot_ride_two_windows_at_the_same_time():
    courier = CourierFactory()
    first = DeliveryWindowFactory()
    other = DeliveryWindowFactory(starts_at=first.starts_at + dt.timedelta(hours=1))
    shift_add(window_id=first.pk, courier=courier, vehicle=VehicleFactory())
    with pytest.raises(RosterError, match="déjà en service"):
        shift_add(window_id=other.pk, courier=courier, vehicle=VehicleFactory())
    other.refresh_from_db()
    assert other.capacity == 0 and not other.shifts.exists()


def test_the_database_refuses_more_booked_than_capacity_on_an_unflagged_window():
    window = window_with_capacity(zone=DeliveryZoneFactory(), parcels=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        DeliveryWindow.objects.filter(pk=window.pk).update(booked=3, held=1)


def test_a_deactivated_template_keeps_its_booked_windows_flagged_and_drops_the_empty_ones():
    zone = DeliveryZoneFactory()
    template = DeliveryWindowTemplateFactory(weekday=3, zones=[zone])
    now = paris(2026, 6, 1, 8)
    windows_generate(start_date=dt.date(2026, 6, 1), days=14, now=now)
    booked, _empty = DeliveryWindow.objects.filter(template=template).order_by("starts_at")
    DeliveryWindow.objects.filter(pk=booked.pk).update(needs_attention=True, booked=1)
    template.is_active = False
    template.save()
    report = windows_generate(start_date=dt.date(2026, 6, 1), days=14, now=now)
    assert (report.kept, report.removed) == (1, 1)
    assert list(DeliveryWindow.objects.filter(template=template)) == [booked]
