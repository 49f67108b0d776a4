"""Which zone delivers an address (postcodes, communes, radius, polygon); GeoJSON checked per feature."""
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from logistics.delivery.services.zones import OutsideZones, geojson_polygon_parse, zone_contains, zone_for_address
from logistics.geo import GeocodedAddress
from tests.factories.delivery import DeliveryZoneFactory

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[2.6, 48.0], [2.8, 48.0], [2.8, 48.2], [2.6, 48.2], [2.6, 48.0]]]}


def at(lat, lon, postcode="77000", town="Ailleurs"):
    return GeocodedAddress(street="1 Rue", postcode=postcode, town=town, latitude=Decimal(lat),
                           longitude=Decimal(lon))


def test_a_zone_delivers_its_postcodes_its_communes_and_its_radius():
    zone = DeliveryZoneFactory(postcodes=["45210"], communes=["Saint-Pierre-lès-Nemours"], radius_m=1000)
    assert zone_contains(zone=zone, address=at("10", "10", postcode="45210"))
    assert zone_contains(zone=zone, address=at("10", "10", town="saint pierre les nemours"))
    assert zone_contains(zone=zone, address=at("48.108", "2.7"))  # 890 m north of the centre
    assert not zone_contains(zone=zone, address=at("48.110", "2.7"))  # 1.1 km


def test_a_polygon_zone_counts_its_border_as_inside():
    zone = DeliveryZoneFactory(postcodes=[], radius_m=None, center_latitude=None, center_longitude=None,
                               kind="polygon", polygon=SQUARE)
    assert zone_contains(zone=zone, address=at("48.1", "2.7"))
    assert zone_contains(zone=zone, address=at("48.2", "2.7"))
    assert not zone_contains(zone=zone, address=at("48.3", "2.7"))


def test_outside_every_zone_says_which_postcodes_are_served():
    DeliveryZoneFactory(name="A", postcodes=["45210"], radius_m=None)
    DeliveryZoneFactory(name="B", postcodes=["45211", "45210"], radius_m=None)
    with pytest.raises(OutsideZones, match="Nous livrons : 45210, 45211"):
        zone_for_address(address=at("10", "10"))


def test_a_geojson_feature_collection_becomes_one_multipolygon():
    other = {"type": "Polygon", "coordinates": [[[3, 48], [3.1, 48], [3.1, 48.1], [3, 48]]]}
    text = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": SQUARE},
        {"type": "Feature", "properties": {}, "geometry": other}]})
    assert geojson_polygon_parse(text=text)["type"] == "MultiPolygon"


@pytest.mark.parametrize(("features", "message"), [
    ([{"type": "Feature", "geometry": SQUARE}, {"type": "Feature", "geometry": None}],
     "Élément n° 2 : il n'a pas de géométrie."),
    ([{"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.7, 48.1]}}],
     "Élément n° 1 : un polygone est attendu, pas « Point »."),
    ([{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}}],
     "Élément n° 1 : polygone invalide (Self-intersection"),
    ([{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[600000, 6780000], [600100, 6780000],
                                                                        [600100, 6780100], [600000, 6780000]]]}}],
     "Élément n° 1 : les coordonnées doivent être longitude, latitude."),
])
def test_a_bad_geojson_feature_is_named_with_its_number_and_reason(features, message):
    with pytest.raises(ValidationError) as refused:
        geojson_polygon_parse(text=json.dumps({"type": "FeatureCollection", "features": features}))
    assert refused.value.messages[0].startswith(message)


def test_unreadable_geojson_is_refused():
    with pytest.raises(ValidationError, match="Fichier GeoJSON illisible"):
        geojson_polygon_parse(text="{pas du json")
