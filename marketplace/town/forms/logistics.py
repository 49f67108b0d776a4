"""Logistics settings: a point, a slot template, a closure, a locker compartment."""
from __future__ import annotations

from django import forms

from logistics.models import CompartmentSize, PointKind, Temperature
from marketplace.core.models import Weekday
from marketplace.town.forms.content import _when

_INPUT = {"class": "form-control"}
_NUMBER = {**_INPUT, "inputmode": "numeric"}
_TIME = {**_INPUT, "type": "time"}


class ConfirmMixin(forms.Form):
    """Ticked once the manager has read the impact (bookings kept out of the offer)."""

    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class PointCreateForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=[(PointKind.TOWN_POINT, PointKind.TOWN_POINT.label),
                                                     (PointKind.LOCKER_BANK, PointKind.LOCKER_BANK.label)],
                             widget=forms.Select(attrs=_INPUT), error_messages={"invalid_choice": "Type de point inconnu."})
    name = forms.CharField(label="Nom", max_length=128, widget=forms.TextInput(attrs=_INPUT),
                           error_messages={"required": "Donnez un nom au point."})
    address = forms.CharField(label="Adresse", max_length=255, required=False, widget=forms.TextInput(attrs=_INPUT))
    shelf_capacity = forms.IntegerField(label="Places sur les étagères (colis)", min_value=0, max_value=10000, initial=0,
                                        widget=forms.NumberInput(attrs=_NUMBER),
                                        help_text="0 pour une consigne (ses casiers font sa capacité).",
                                        error_messages={"min_value": "Le nombre de places ne peut pas être négatif.",
                                                        "invalid": "Un nombre entier, par exemple 40."})


class PointEditForm(ConfirmMixin):
    name = forms.CharField(label="Nom", max_length=128, widget=forms.TextInput(attrs=_INPUT),
                           error_messages={"required": "Donnez un nom au point."})
    address = forms.CharField(label="Adresse", max_length=255, required=False, widget=forms.TextInput(attrs=_INPUT))
    shelf_capacity = forms.IntegerField(label="Places sur les étagères (colis)", min_value=0, max_value=10000,
                                        widget=forms.NumberInput(attrs=_NUMBER),
                                        error_messages={"min_value": "Le nombre de places ne peut pas être négatif.",
                                                        "invalid": "Un nombre entier, par exemple 40."})
    is_active = forms.BooleanField(label="Ouvert aux commandes", required=False,
                                   widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))


class SlotTemplateForm(ConfirmMixin):
    weekday = forms.TypedChoiceField(label="Jour", choices=Weekday.choices, coerce=int, widget=forms.Select(attrs=_INPUT),
                                     error_messages={"invalid_choice": "Jour inconnu."})
    start = forms.TimeField(label="Début", widget=forms.TimeInput(attrs=_TIME, format="%H:%M"),
                            error_messages={"required": "Indiquez l'heure de début.", "invalid": "Heure invalide (hh:mm)."})
    end = forms.TimeField(label="Fin", widget=forms.TimeInput(attrs=_TIME, format="%H:%M"),
                          error_messages={"required": "Indiquez l'heure de fin.", "invalid": "Heure invalide (hh:mm)."})
    capacity = forms.IntegerField(label="Commandes au plus", min_value=1, max_value=1000, widget=forms.NumberInput(attrs=_NUMBER),
                                  error_messages={"min_value": "Au moins une commande par créneau.",
                                                  "required": "Indiquez la capacité.", "invalid": "Un nombre entier, par exemple 8."})
    is_active = forms.BooleanField(label="Proposé aux clients", required=False, initial=True,
                                   widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] >= data["end"]:
            self.add_error("end", "La fin du créneau doit être après son début.")
        return data


class PointClosureForm(ConfirmMixin):
    starts_at = _when("Début")
    ends_at = _when("Fin")
    reason = forms.CharField(label="Motif (affiché aux clients)", required=False, max_length=200,
                             widget=forms.TextInput(attrs=_INPUT))

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["starts_at"] >= data["ends_at"]:
            self.add_error("ends_at", "La fin doit être après le début.")
        return data


class CompartmentForm(forms.Form):
    code = forms.CharField(label="Code", max_length=16, widget=forms.TextInput(attrs=_INPUT),
                           error_messages={"required": "Donnez un code au casier (B7…)."})
    size = forms.ChoiceField(label="Taille", choices=CompartmentSize.choices, widget=forms.Select(attrs=_INPUT))
    temperature = forms.ChoiceField(label="Température", choices=Temperature.choices, widget=forms.Select(attrs=_INPUT))
