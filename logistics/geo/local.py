"""The default geocoder: the local copy of the Base Adresse Nationale (``delivery.Address``).

Works offline (the demo, tests, a town without network) and answers precisely why an
address is refused: a postcode we do not know, a postcode that is not the commune's, a
street that is not in that commune.
"""
from __future__ import annotations

from decimal import Decimal

from django.db.models import Avg
from django.utils.translation import gettext as _

from logistics.delivery.models import Address
from logistics.geo.base import AddressProblem, GeocodedAddress, street_split, text_normalised


def _geocoded(row: Address) -> GeocodedAddress:
    return GeocodedAddress(street=row.street_line, postcode=row.code_postal, town=row.nom_commune,
                           latitude=row.latitude, longitude=row.longitude, ban_id=row.ban_id)


class LocalGeocoder:
    def suggest(self, *, query: str, limit: int = 8) -> list[GeocodedAddress]:
        """Rows whose search text has every word typed, in any order; one query."""
        words = text_normalised(query).split()[:8]
        if not words or len("".join(words)) < 3:
            return []
        rows = Address.objects.all()
        # Whole words, except the last one, still being typed (a prefix): « 2 rue » is not « 20 ».
        for word in words[:-1]:
            rows = rows.filter(search__contains=f" {word} ")
        rows = rows.filter(search__contains=f" {words[-1]}")
        return [_geocoded(row) for row in rows.order_by("nom_voie", "code_postal", "numero", "rep")[:limit]]

    def locate(self, *, street: str, postcode: str, town: str) -> GeocodedAddress:
        postcode, town_key = (postcode or "").strip(), text_normalised(town)
        numero, rep, name = street_split(street)
        if not name or not postcode or not town_key:
            raise AddressProblem("incomplete", _("Indiquez la rue, le code postal et la commune."))
        in_postcode = Address.objects.filter(code_postal=postcode)
        communes = {text_normalised(c): c for c in in_postcode.values_list("nom_commune", flat=True).distinct()}
        if not communes:
            raise AddressProblem("unknown_postcode", _(
                "Nous ne connaissons pas le code postal %(postcode)s : vérifiez-le.") % {"postcode": postcode})
        if town_key not in communes:
            elsewhere = (Address.objects.filter(nom_commune__iexact=town.strip())
                         .values_list("code_postal", flat=True).distinct().first())
            known = ", ".join(sorted(communes.values()))
            if elsewhere:
                message = _("Le code postal de %(town)s est %(right)s, pas %(postcode)s : corrigez l'un ou l'autre.")
                params = {"town": town.strip(), "right": elsewhere, "postcode": postcode}
            else:
                message = _("Le code postal %(postcode)s ne correspond pas à « %(town)s » mais à : %(known)s.")
                params = {"town": town.strip(), "postcode": postcode, "known": known}
            raise AddressProblem("postcode_mismatch", message % params)
        commune = communes[town_key]
        name_key = text_normalised(name)
        street_rows = [row for row in in_postcode.filter(nom_commune=commune).only(
            "ban_id", "numero", "rep", "nom_voie", "code_postal", "nom_commune", "latitude", "longitude")
            if text_normalised(row.nom_voie) == name_key]
        if not street_rows:
            raise AddressProblem("unknown_street", _(
                "Nous ne trouvons pas « %(street)s » à %(town)s (%(postcode)s) : vérifiez l'orthographe ou "
                "choisissez une adresse proposée.") % {"street": name, "town": commune, "postcode": postcode})
        exact = [r for r in street_rows if r.numero == numero and (r.rep or "").lower() == rep]
        if exact:
            return _geocoded(exact[0])
        if numero:
            raise AddressProblem("unknown_street", _(
                "Le numéro %(numero)s n'existe pas « %(street)s » à %(town)s : vérifiez-le.")
                % {"numero": f"{numero}{(' ' + rep) if rep else ''}", "street": street_rows[0].nom_voie,
                   "town": commune})
        centre = Address.objects.filter(pk__in=[r.pk for r in street_rows]).aggregate(
            lat=Avg("latitude"), lon=Avg("longitude"))
        first = street_rows[0]
        return GeocodedAddress(street=first.nom_voie, postcode=postcode, town=commune,
                               latitude=Decimal(centre["lat"]).quantize(Decimal("0.000001")),
                               longitude=Decimal(centre["lon"]).quantize(Decimal("0.000001")))
