"""The local copy of the Base Adresse Nationale (BAN): offline geocoding and autocomplete."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Address(models.Model):
    """One row of the BAN's « adresses-XX.csv » (``ban_id`` is its ``id`` column).

    ``search`` is the lower-cased, accent-free « numero rep nom_voie code_postal
    nom_commune », framed by spaces, that the autocomplete matches word by word
    (``services.addresses.search_text``), on PostgreSQL and SQLite alike.
    """

    ban_id = models.CharField(_("identifiant BAN"), max_length=64, unique=True)
    numero = models.CharField(_("numéro"), max_length=16, blank=True)
    rep = models.CharField(_("indice de répétition"), max_length=16, blank=True)
    nom_voie = models.CharField(_("voie"), max_length=200)
    code_postal = models.CharField(_("code postal"), max_length=5, db_index=True)
    nom_commune = models.CharField(_("commune"), max_length=128)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    search = models.CharField(max_length=400, db_index=True, editable=False)

    class Meta:
        ordering = ["code_postal", "nom_voie", "numero", "rep"]
        verbose_name = _("adresse")
        verbose_name_plural = _("adresses")
        indexes = [models.Index(fields=["code_postal", "nom_voie"], name="address_postcode_street")]

    def __str__(self) -> str:
        return f"{self.street_line}, {self.code_postal} {self.nom_commune}"

    @property
    def street_line(self) -> str:
        number = f"{self.numero}{(' ' + self.rep) if self.rep else ''}".strip()
        return f"{number} {self.nom_voie}".strip()
