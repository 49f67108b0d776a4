"""Is an address delivered, by which zone; GeoJSON polygons checked feature by feature.

A zone contains an address when any criterion it has matches: its postcodes or communes,
its radius around its centre (great-circle distance), its polygon (shapely ``covers``, the
border counting as inside). The demo's zone is « the town's postcode, plus a radius ».
"""
from __future__ import annotations

import json
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.geometry import MultiPolygon, Point, shape
from shapely.validation import explain_validity

from logistics.delivery.models import DeliveryZone
from logistics.geo import GeocodedAddress, text_normalised
from logistics.routing.matrix import haversine_m
from logistics.routing.problem import Location


class OutsideZones(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def zone_contains(*, zone: DeliveryZone, address: GeocodedAddress) -> bool:
    if address.postcode in (zone.postcodes or []):
        return True
    if text_normalised(address.town) in {text_normalised(c) for c in (zone.communes or [])}:
        return True
    if zone.radius_m and zone.center_latitude is not None and zone.center_longitude is not None:
        distance = haversine_m(a=Location(lat=float(zone.center_latitude), lon=float(zone.center_longitude)),
                               b=Location(lat=float(address.latitude), lon=float(address.longitude)))
        if distance <= zone.radius_m:
            return True
    if zone.polygon:
        return shape(zone.polygon).covers(Point(float(address.longitude), float(address.latitude)))
    return False


def served_postcodes(zones: Sequence[DeliveryZone]) -> list[str]:
    return sorted({code for zone in zones for code in (zone.postcodes or [])})


def outside_message(zones: Sequence[DeliveryZone]) -> str:
    codes = served_postcodes(zones)
    communes = sorted({c for zone in zones for c in (zone.communes or [])})
    if not zones:
        return _("La livraison à domicile n'est pas proposée pour le moment : choisissez un retrait.")
    served = ", ".join(codes + communes)
    if served:
        return _("Cette adresse est hors de nos zones de livraison. Nous livrons : %(served)s "
                 "(et les environs proches du centre-ville). Choisissez un retrait ou une autre adresse.") % {
            "served": served}
    return _("Cette adresse est hors de nos zones de livraison : choisissez un retrait ou une autre adresse.")


def zone_for_address(*, address: GeocodedAddress, zones: Sequence[DeliveryZone] | None = None) -> DeliveryZone:
    """The first active zone (by name) delivering ``address``; ``OutsideZones`` with the served postcodes."""
    if zones is None:
        zones = list(DeliveryZone.objects.filter(is_active=True).select_related("depot").order_by("name", "pk"))
    for zone in zones:
        if zone_contains(zone=zone, address=address):
            return zone
    raise OutsideZones(outside_message(zones))


def geojson_polygon_parse(*, text: str) -> dict:
    """One (Multi)Polygon geometry from a GeoJSON text (geometry, Feature or FeatureCollection).

    Raises ``ValidationError`` naming the feature (n° from 1) and the reason: unreadable
    JSON, a feature without geometry, a geometry that is not a polygon, a self-crossing ring,
    coordinates that are not longitude/latitude.
    """
    try:
        data = json.loads(text)
    except (TypeError, ValueError) as error:
        raise ValidationError(_("Fichier GeoJSON illisible : %(reason)s.") % {"reason": error}) from None
    if not isinstance(data, dict):
        raise ValidationError(_("Fichier GeoJSON illisible : un objet JSON est attendu."))
    if data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or not features:
            raise ValidationError(_("Le fichier GeoJSON ne contient aucun élément."))
    elif data.get("type") == "Feature":
        features = [data]
    else:
        features = [{"type": "Feature", "geometry": data}]
    polygons = []
    for number, feature in enumerate(features, start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict):
            raise ValidationError(_("Élément n° %(n)d : il n'a pas de géométrie.") % {"n": number})
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise ValidationError(_("Élément n° %(n)d : un polygone est attendu, pas « %(kind)s ».")
                                  % {"n": number, "kind": geometry.get("type")})
        try:
            geom = shape(geometry)
        except Exception:  # noqa: BLE001 - shapely raises several kinds on malformed coordinates
            raise ValidationError(_("Élément n° %(n)d : coordonnées illisibles.") % {"n": number}) from None
        minx, miny, maxx, maxy = geom.bounds if not geom.is_empty else (0, 0, 0, 0)
        if geom.is_empty or not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise ValidationError(_("Élément n° %(n)d : les coordonnées doivent être longitude, latitude.")
                                  % {"n": number})
        if not geom.is_valid:
            raise ValidationError(_("Élément n° %(n)d : polygone invalide (%(why)s).")
                                  % {"n": number, "why": explain_validity(geom)})
        polygons.extend(getattr(geom, "geoms", [geom]))
    return MultiPolygon(polygons).__geo_interface__ if len(polygons) > 1 else polygons[0].__geo_interface__
