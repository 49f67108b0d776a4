"""Logistics settings in ``/gestion/logistique/``: points, slot templates and capacities,
closures, compartments; a change that would take booked slots out of the offer is shown
first (with the orders concerned), saved only once confirmed, and never drops a booking."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from logistics.models import (
    CollectionPoint,
    LockerCompartment,
    PointClosure,
    PointKind,
    Slot,
    SlotTemplate,
)
from logistics.services.points import change_impact, slot_template_save
from logistics.services.slots import slots_generate
from tests.factories.logistics import (
    CollectionPointFactory,
    LockerCompartmentFactory,
    SlotTemplateFactory,
)
from tests.factories.pickup import order_with_parts, part_advance

pytestmark = pytest.mark.django_db
FMT = "%Y-%m-%dT%H:%M"


def tomorrow_at(hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_default_timezone())


@pytest.fixture
def point():
    point = CollectionPointFactory(name="Point retrait de la Halle", shelf_capacity=10)
    weekday = (timezone.localdate() + dt.timedelta(days=1)).weekday()
    for hour in (10, 11):
        SlotTemplateFactory(point=point, weekday=weekday, start=dt.time(hour), end=dt.time(hour + 1), capacity=8)
    slots_generate(point=point, start_date=timezone.localdate(), days=7)
    return point


@pytest.fixture
def booked(point):
    """An order booked on tomorrow 10:00 at the point."""
    slot = Slot.objects.get(point=point, starts_at=tomorrow_at(10))
    order = order_with_parts(count=1, point=point, slot=slot)
    return order, slot


def template_of(point, hour) -> SlotTemplate:
    return SlotTemplate.objects.get(point=point, start=dt.time(hour))


def test_the_manager_creates_a_town_point_and_a_locker_bank(manager_client):
    response = manager_client.post("/gestion/logistique/points/nouveau/", {"kind": "town_point", "name": "Point Gare",
                                                                          "address": "Gare", "shelf_capacity": "30"})
    point = CollectionPoint.objects.get(name="Point Gare")
    assert response.status_code == 302 and point.kind == PointKind.TOWN_POINT and point.shelf_capacity == 30
    manager_client.post("/gestion/logistique/points/nouveau/", {"kind": "locker_bank", "name": "Consignes Mairie",
                                                               "shelf_capacity": "12"})
    assert CollectionPoint.objects.get(name="Consignes Mairie").shelf_capacity == 0


@pytest.mark.parametrize(("data", "field"), [
    ({"kind": "shop_counter", "name": "X", "shelf_capacity": "0"}, "kind"),
    ({"kind": "town_point", "name": "", "shelf_capacity": "0"}, "name"),
    ({"kind": "town_point", "name": "X", "shelf_capacity": "-3"}, "shelf_capacity"),
    ({"kind": "town_point", "name": "X", "shelf_capacity": "beaucoup"}, "shelf_capacity"),
])
def test_bad_point_input_is_refused(manager_client, data, field):
    response = manager_client.post("/gestion/logistique/points/nouveau/", data)
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not CollectionPoint.objects.exists()


def test_removing_a_booked_slots_template_lists_the_order_and_changes_nothing_until_confirmed(manager_client, point, booked):
    order, slot = booked
    template = template_of(point, 10)
    url = f"/gestion/logistique/points/{point.pk}/creneaux/"
    response = manager_client.post(url, {"template": template.pk, "action": "delete"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="impact"' in html and order.number in html
    assert SlotTemplate.objects.filter(pk=template.pk).exists()
    slot.refresh_from_db()
    assert not slot.needs_attention  # the preview was rolled back
    response = manager_client.post(url, {"template": template.pk, "action": "delete", "confirm": "True"})
    assert response.status_code == 302 and not SlotTemplate.objects.filter(pk=template.pk).exists()
    slot.refresh_from_db()
    assert slot.needs_attention and slot.booked == 1  # kept with its booking, out of the offer
    assert order.shop_orders.get().slot_id == slot.pk
    assert order.number in manager_client.get("/gestion/logistique/").content.decode()  # « à traiter »


def test_a_change_touching_no_booking_is_saved_at_once(manager_client, point, booked):
    url = f"/gestion/logistique/points/{point.pk}/creneaux/"
    eleven = template_of(point, 11)
    response = manager_client.post(url, {"template": eleven.pk, "action": "delete"})
    assert response.status_code == 302
    assert not Slot.objects.filter(point=point, starts_at=tomorrow_at(11)).exists()  # it was free


def test_lowering_a_capacity_below_the_bookings_is_shown_raising_it_applies_to_booked_slots(manager_client, point, booked):
    _, slot = booked
    url = f"/gestion/logistique/points/{point.pk}/creneaux/"
    ten = template_of(point, 10)
    data = {"template": ten.pk, "weekday": ten.weekday, "start": "10:00", "end": "11:00", "is_active": "on"}
    response = manager_client.post(url, {**data, "capacity": "12"})
    assert response.status_code == 302
    slot.refresh_from_db()
    assert (slot.capacity, slot.booked, slot.needs_attention) == (12, 1, False)
    # two more bookings, then a capacity of 2 < 3 booked
    order_with_parts(count=1, point=point, slot=slot)
    order_with_parts(count=1, point=point, slot=slot)
    response = manager_client.post(url, {**data, "capacity": "2"})
    assert response.status_code == 200 and 'id="impact"' in response.content.decode()
    assert template_of(point, 10).capacity == 12


def test_a_closure_over_a_booked_slot_needs_confirmation_and_keeps_the_booking(manager_client, point, booked):
    order, slot = booked
    url = f"/gestion/logistique/points/{point.pk}/fermetures/"
    data = {"starts_at": tomorrow_at(9).strftime(FMT), "ends_at": tomorrow_at(13).strftime(FMT), "reason": "Travaux"}
    response = manager_client.post(url, data)
    assert response.status_code == 200 and order.number in response.content.decode()
    assert not PointClosure.objects.exists()
    response = manager_client.post(url, {**data, "confirm": "True"})
    assert response.status_code == 302 and PointClosure.objects.get().reason == "Travaux"
    slot.refresh_from_db()
    assert slot.needs_attention and slot.booked == 1
    assert not Slot.objects.filter(point=point, starts_at=tomorrow_at(11)).exists()  # the free one went


@pytest.mark.parametrize(("data", "message"), [
    ({"starts_at": "", "ends_at": ""}, "Indiquez la date"),
    ({"starts_at": "2027-01-02T10:00", "ends_at": "2027-01-02T09:00"}, "La fin doit être après le début"),
    ({"starts_at": "n'importe quand", "ends_at": "2027-01-02T09:00"}, "Date et heure invalides"),
])
def test_bad_closure_input_is_refused(manager_client, point, data, message):
    response = manager_client.post(f"/gestion/logistique/points/{point.pk}/fermetures/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not PointClosure.objects.exists()


def test_deactivating_a_point_with_bookings_is_shown_first(manager_client, point, booked):
    order, slot = booked
    url = f"/gestion/logistique/points/{point.pk}/"
    data = {"action": "point", "name": point.name, "address": point.address, "shelf_capacity": "10"}  # is_active unticked
    response = manager_client.post(url, data)
    assert response.status_code == 200 and order.number in response.content.decode()
    point.refresh_from_db()
    assert point.is_active
    manager_client.post(url, {**data, "confirm": "True"})
    point.refresh_from_db()
    slot.refresh_from_db()
    assert not point.is_active and slot.needs_attention and slot.booked == 1


def test_fewer_shelf_places_than_parcels_on_the_shelves_is_refused(manager_client, point, booked):
    order, _ = booked
    part_advance(order.shop_orders.get(), to="dropped")
    response = manager_client.post(f"/gestion/logistique/points/{point.pk}/", {
        "action": "point", "name": point.name, "address": "", "shelf_capacity": "0", "is_active": "on"})
    assert response.status_code == 400 and "1 colis sont sur les étagères" in response.content.decode()
    point.refresh_from_db()
    assert point.shelf_capacity == 10


def test_a_template_starting_at_the_same_time_is_refused(manager_client, point):
    ten = template_of(point, 10)
    response = manager_client.post(f"/gestion/logistique/points/{point.pk}/creneaux/", {
        "weekday": ten.weekday, "start": "10:00", "end": "10:30", "capacity": "3", "is_active": "on"})
    assert response.status_code == 400 and "commence déjà à cette heure" in response.content.decode()


def test_the_impact_is_exactly_what_saving_does(point, booked):
    _, slot = booked
    ten = template_of(point, 10)
    before = sorted(Slot.objects.filter(point=point).values_list("pk", "capacity", "needs_attention"))
    impact = change_impact(point=point, change=lambda: slot_template_save(
        point=point, template=ten, weekday=ten.weekday, start=dt.time(10), end=dt.time(10, 30), capacity=8))
    assert [risk.slot.pk for risk in impact.kept] == [slot.pk]
    assert sorted(Slot.objects.filter(point=point).values_list("pk", "capacity", "needs_attention")) == before


def test_compartments_are_added_and_one_holding_a_parcel_is_put_out_of_service_only_once_confirmed(manager_client):
    lockers = CollectionPointFactory(kind=PointKind.LOCKER_BANK, name="Consignes", shelf_capacity=0)
    url = f"/gestion/logistique/points/{lockers.pk}/casiers/"
    assert manager_client.post(url, {"action": "add", "code": "b9", "size": "M", "temperature": "ambient"}).status_code == 302
    assert LockerCompartment.objects.get(point=lockers).code == "B9"
    response = manager_client.post(url, {"action": "add", "code": "B9", "size": "M", "temperature": "ambient"})
    assert response.status_code == 400 and "déjà ce code" in response.content.decode()
    full = LockerCompartmentFactory(point=lockers, code="A1")
    from logistics.pickup.models import ParcelPlacement

    order = order_with_parts(count=1, point=lockers)
    ParcelPlacement.objects.create(order=order, point=lockers, compartment=full)
    response = manager_client.post(url, {"action": "disable", "compartment": full.pk})
    assert response.status_code == 200 and order.number in response.content.decode()
    full.refresh_from_db()
    assert full.is_active
    manager_client.post(url, {"action": "disable", "compartment": full.pk, "confirm": "True"})
    full.refresh_from_db()
    assert not full.is_active


def test_a_counter_has_no_compartments_page(manager_client, point):
    assert manager_client.get(f"/gestion/logistique/points/{point.pk}/casiers/").status_code == 404
