"""The manager's delivery pages: zones (GeoJSON checked), templates, couriers, vehicles, shifts, windows.

Access (anonymous → login, other roles → 403, everywhere) is proved for every URL of
``delivery-manager`` by tests/marketplace/town/test_access.py.
"""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from logistics.delivery.models import Courier, DeliveryWindow, DeliveryZone, Shift, Vehicle
from tests.factories.delivery import CourierFactory, DeliveryZoneFactory, VehicleFactory, window_with_capacity
from tests.factories.logistics import CollectionPointFactory

pytestmark = pytest.mark.django_db

ZONE = {"name": "Faubourgs", "kind": "polygon", "fee": "5.00", "minimum_order": "20.00", "free_from": "",
        "weekdays_list": ["0", "1", "2"], "is_active": "on", "postcodes_text": "", "communes_text": ""}
SQUARE = {"type": "Polygon", "coordinates": [[[2.6, 48.0], [2.8, 48.0], [2.8, 48.2], [2.6, 48.0]]]}


def geojson(data, name="zone.geojson"):
    return SimpleUploadedFile(name, json.dumps(data).encode(), content_type="application/geo+json")


def test_a_zone_is_created_from_an_uploaded_geojson_polygon(manager_client):
    depot = CollectionPointFactory()
    response = manager_client.post("/gestion/livraison/zones/nouvelle/", {**ZONE, "depot": depot.pk,
                                                                          "geojson": geojson(SQUARE)})
    assert response.status_code == 302
    zone = DeliveryZone.objects.get(name="Faubourgs")
    assert zone.polygon["type"] == "Polygon" and zone.weekdays == [0, 1, 2] and zone.depot == depot


def test_a_bad_geojson_feature_is_named_and_nothing_is_saved(manager_client):
    depot = CollectionPointFactory()
    bad = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": SQUARE},
                                                     {"type": "Feature", "geometry": {"type": "Point",
                                                                                      "coordinates": [2, 48]}}]}
    response = manager_client.post("/gestion/livraison/zones/nouvelle/", {**ZONE, "depot": depot.pk,
                                                                          "geojson": geojson(bad)})
    assert response.status_code == 400
    assert "Élément n° 2 : un polygone est attendu, pas « Point »." in response.content.decode()
    assert not DeliveryZone.objects.exists()


def test_a_postcode_zone_needs_valid_postcodes(manager_client):
    response = manager_client.post("/gestion/livraison/zones/nouvelle/", {
        **ZONE, "kind": "postcodes", "postcodes_text": "45210, 452", "depot": CollectionPointFactory().pk})
    assert response.status_code == 400 and "Code postal invalide : 452" in response.content.decode()


def test_the_coming_windows_show_capacity_used_and_left_per_zone(manager_client):
    zone = DeliveryZoneFactory(name="Centre-ville")
    window = window_with_capacity(zone=zone, parcels=12)
    DeliveryWindow.objects.filter(pk=window.pk).update(booked=5)
    html = manager_client.get("/gestion/livraison/").content.decode()
    assert "Centre-ville" in html and "<td>12</td><td>5</td><td>7</td>" in html


def test_a_courier_is_created_with_a_checked_phone_and_the_courier_role(manager_client):
    bad = manager_client.post("/gestion/livraison/coursiers/", {"email": "c@halle.test", "first_name": "C",
                                                               "last_name": "D", "phone": "12"})
    assert bad.status_code == 400 and not Courier.objects.exists()
    ok = manager_client.post("/gestion/livraison/coursiers/", {"email": "c@halle.test", "first_name": "C",
                                                              "last_name": "D", "phone": "06 12 34 56 78"})
    assert ok.status_code == 302
    courier = Courier.objects.get()
    assert courier.phone == "+33612345678" and courier.user.groups.filter(name="Coursiers").exists()


def test_a_shift_added_on_the_window_page_gives_it_its_vehicles_capacity(manager_client):
    window = window_with_capacity(zone=DeliveryZoneFactory(), parcels=4)
    courier, bike = CourierFactory(), VehicleFactory(capacity_parcels=9)
    response = manager_client.post(f"/gestion/livraison/fenetres/{window.pk}/",
                                   {"courier": courier.pk, "vehicle": bike.pk})
    assert response.status_code == 302
    window.refresh_from_db()
    assert window.capacity == 13
    again = manager_client.post(f"/gestion/livraison/fenetres/{window.pk}/", {"courier": courier.pk,
                                                                             "vehicle": VehicleFactory().pk})
    assert again.status_code == 400 and "déjà en service" in again.content.decode()
    assert Shift.objects.filter(window=window).count() == 2


def test_a_smaller_vehicle_recomputes_the_windows_it_rides_and_flags_the_overbooked(manager_client):
    window = window_with_capacity(zone=DeliveryZoneFactory(), parcels=10)
    DeliveryWindow.objects.filter(pk=window.pk).update(booked=8)
    vehicle = Vehicle.objects.get(shifts__window=window)
    response = manager_client.post(f"/gestion/livraison/vehicules/{vehicle.pk}/", {
        "name": vehicle.name, "profile": "cargo_bike", "capacity_parcels": "6", "is_active": "on"})
    assert response.status_code == 302
    window.refresh_from_db()
    assert (window.capacity, window.booked, window.needs_attention) == (6, 8, True)
    assert "Fenêtres à traiter" in manager_client.get("/gestion/livraison/").content.decode()


def test_the_zones_map_appears_only_with_map_tiles_configured(manager_client, settings):
    DeliveryZoneFactory(name="Centre-ville")
    assert "delivery-zones-map" not in manager_client.get("/gestion/livraison/").content.decode()
    settings.HALLE_MAP_TILE_URL = "https://tuiles.example/{z}/{x}/{y}.png"
    html = manager_client.get("/gestion/livraison/").content.decode()
    assert 'id="delivery-zones-map"' in html and 'id="delivery-zones-data"' in html and "leaflet.js" in html
