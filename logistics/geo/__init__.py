"""Geocoding behind one adapter: ``geocoder()`` returns the one configured by
``HALLE_GEOCODER`` (the local address table by default, offline). Nothing else in the
project reads addresses from outside; the national API adapter (``ban_api``) is optional."""
from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from .base import AddressProblem, GeocodedAddress, Geocoder, text_normalised

__all__ = ["AddressProblem", "GeocodedAddress", "Geocoder", "geocoder", "text_normalised"]


def geocoder() -> Geocoder:
    path = getattr(settings, "HALLE_GEOCODER", "logistics.geo.local.LocalGeocoder")
    return import_string(path)()
