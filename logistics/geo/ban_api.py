"""Optional geocoder: the national address API (api-adresse.data.gouv.fr), over HTTP.

Selected with ``HALLE_GEOCODER=logistics.geo.ban_api.BanApiGeocoder``. ``fetch`` (a callable
taking a URL, returning the decoded JSON) is the only way out; tests pass recorded
responses, and nothing here runs without a network unless given one.
"""
from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from logistics.geo.base import AddressProblem, GeocodedAddress, street_split, text_normalised

DEFAULT_URL = "https://api-adresse.data.gouv.fr/search/"
#: Below this score the API's best answer is not the address typed.
MIN_SCORE = 0.6


def _http_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=3) as response:
        return json.loads(response.read().decode("utf-8"))


class BanApiGeocoder:
    def __init__(self, fetch: Callable[[str], dict] | None = None, base_url: str | None = None):
        self.fetch = fetch or _http_json
        self.base_url = base_url or getattr(settings, "HALLE_BAN_API_URL", DEFAULT_URL)

    def _features(self, query: str, limit: int, **filters) -> list[dict]:
        params = {"q": query, "limit": limit, "type": "housenumber", **filters}
        try:
            data = self.fetch(f"{self.base_url}?{urllib.parse.urlencode(params)}")
        except (OSError, ValueError):
            raise AddressProblem("unavailable", _(
                "Le service d'adresses ne répond pas : réessayez dans un instant.")) from None
        return list(data.get("features") or [])

    @staticmethod
    def _geocoded(feature: dict) -> GeocodedAddress:
        props, (lon, lat) = feature["properties"], feature["geometry"]["coordinates"]
        return GeocodedAddress(street=props.get("name", ""), postcode=props.get("postcode", ""),
                               town=props.get("city", ""), latitude=Decimal(str(lat)).quantize(Decimal("0.000001")),
                               longitude=Decimal(str(lon)).quantize(Decimal("0.000001")), ban_id=props.get("id", ""))

    def suggest(self, *, query: str, limit: int = 8) -> list[GeocodedAddress]:
        if len(text_normalised(query)) < 3:
            return []
        return [self._geocoded(f) for f in self._features(query, limit, autocomplete=1)]

    def locate(self, *, street: str, postcode: str, town: str) -> GeocodedAddress:
        _numero, _rep, name = street_split(street)
        if not name or not postcode or not town:
            raise AddressProblem("incomplete", _("Indiquez la rue, le code postal et la commune."))
        features = self._features(f"{street} {postcode} {town}", 1)
        best = features[0] if features else None
        if best is None or best["properties"].get("score", 0) < MIN_SCORE:
            raise AddressProblem("unknown_street", _(
                "Nous ne trouvons pas « %(street)s » à %(town)s (%(postcode)s) : vérifiez l'orthographe.")
                % {"street": name, "town": town, "postcode": postcode})
        found = self._geocoded(best)
        if found.postcode != postcode.strip():
            raise AddressProblem("postcode_mismatch", _(
                "Le code postal de %(town)s est %(right)s, pas %(postcode)s : corrigez l'un ou l'autre.")
                % {"town": found.town, "right": found.postcode, "postcode": postcode})
        return found
