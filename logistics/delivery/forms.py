"""The manager's delivery forms: zones (with a GeoJSON upload), window templates, couriers, vehicles, shifts."""
from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from logistics.delivery.models import Courier, DeliveryWindowTemplate, DeliveryZone, Vehicle
from logistics.delivery.services.zones import geojson_polygon_parse
from logistics.models import CollectionPoint, PointKind
from marketplace.core.models import Weekday

MAX_GEOJSON_BYTES = 2 * 1024 * 1024


def _list(text: str) -> list[str]:
    return [item.strip() for item in re.split(r"[,;\n]", text or "") if item.strip()]


class ZoneForm(forms.ModelForm):
    postcodes_text = forms.CharField(label=_("Codes postaux (séparés par des virgules)"), required=False)
    communes_text = forms.CharField(label=_("Communes (séparées par des virgules)"), required=False)
    weekdays_list = forms.TypedMultipleChoiceField(
        label=_("Jours livrés"), choices=Weekday.choices, coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins un jour livré.")},
    )
    geojson = forms.FileField(label=_("Polygone (fichier GeoJSON)"), required=False,
                              help_text=_("Un Polygon ou MultiPolygon en longitude, latitude (WGS 84)."))

    class Meta:
        model = DeliveryZone
        fields = ["name", "kind", "center_latitude", "center_longitude", "radius_m", "fee", "minimum_order",
                  "free_from", "depot", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["depot"].queryset = CollectionPoint.objects.filter(kind=PointKind.TOWN_POINT, is_active=True)
        if self.instance.pk:
            self.fields["postcodes_text"].initial = ", ".join(self.instance.postcodes or [])
            self.fields["communes_text"].initial = ", ".join(self.instance.communes or [])
            self.fields["weekdays_list"].initial = self.instance.weekdays
        else:
            self.fields["weekdays_list"].initial = list(range(6))

    def clean_postcodes_text(self):
        codes = _list(self.cleaned_data.get("postcodes_text"))
        wrong = [code for code in codes if not re.fullmatch(r"\d{5}", code)]
        if wrong:
            raise ValidationError(_("Code postal invalide : %(codes)s (5 chiffres).") % {"codes": ", ".join(wrong)})
        return codes

    def clean_geojson(self):
        upload = self.cleaned_data.get("geojson")
        if not upload:
            return None
        if upload.size > MAX_GEOJSON_BYTES:
            raise ValidationError(_("Fichier GeoJSON trop gros (2 Mo au plus)."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("Fichier GeoJSON illisible : il doit être en UTF-8.")) from None
        return geojson_polygon_parse(text=text)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == "postcodes" and not (data.get("postcodes_text") or _list(self.data.get("communes_text", ""))):
            self.add_error("postcodes_text", _("Indiquez au moins un code postal ou une commune."))
        if kind == "radius":
            for name in ("center_latitude", "center_longitude", "radius_m"):
                if data.get(name) in (None, ""):
                    self.add_error(name, _("Obligatoire pour une zone en rayon."))
        if kind == "polygon" and not data.get("geojson") and not (self.instance.pk and self.instance.polygon):
            self.add_error("geojson", _("Envoyez le polygone de la zone (fichier GeoJSON)."))
        return data

    def save(self, commit=True):
        zone = super().save(commit=False)
        zone.postcodes = self.cleaned_data.get("postcodes_text") or []
        zone.communes = _list(self.cleaned_data.get("communes_text"))
        zone.weekdays = sorted(self.cleaned_data.get("weekdays_list") or [])
        if self.cleaned_data.get("geojson"):
            zone.polygon = self.cleaned_data["geojson"]
        if commit:
            zone.save()
        return zone


class WindowTemplateForm(forms.ModelForm):
    class Meta:
        model = DeliveryWindowTemplate
        fields = ["weekday", "start", "end", "cutoff_minutes", "zones", "is_active"]
        widgets = {"start": forms.TimeInput(attrs={"type": "time"}), "end": forms.TimeInput(attrs={"type": "time"}),
                   "zones": forms.CheckboxSelectMultiple}

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] >= data["end"]:
            self.add_error("end", _("La fin doit être après le début."))
        return data


class CourierForm(forms.Form):
    email = forms.EmailField(label=_("E-mail (identifiant de connexion)"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    phone = forms.CharField(label=_("Téléphone"), max_length=32)


class VehicleForm(forms.ModelForm):
    class Meta:
        model = Vehicle
        fields = ["name", "profile", "capacity_parcels", "capacity_kg", "capacity_litres", "is_active"]

    def clean_capacity_parcels(self):
        value = self.cleaned_data.get("capacity_parcels")
        if value is not None and value < 1:
            raise ValidationError(_("Un véhicule emporte au moins un colis."))
        return value


class ShiftForm(forms.Form):
    courier = forms.ModelChoiceField(label=_("Coursier"), queryset=Courier.objects.none(),
                                     error_messages={"required": _("Choisissez un coursier.")})
    vehicle = forms.ModelChoiceField(label=_("Véhicule"), queryset=Vehicle.objects.none(),
                                     error_messages={"required": _("Choisissez un véhicule.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courier"].queryset = Courier.objects.filter(is_active=True).select_related("user")
        self.fields["vehicle"].queryset = Vehicle.objects.filter(is_active=True)
