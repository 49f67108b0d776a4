"""Forms of the money pages (merchant and manager): a period, a commission plan."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone

from shops.models import Shop

from .models import CommissionPlan

_INPUT = {"class": "form-control"}
MAX_DAYS = 366


class PeriodForm(forms.Form):
    """[du, au] in the town's calendar, both days included; the current month by default."""

    du = forms.DateField(label="Du", required=False, widget=forms.DateInput(attrs={**_INPUT, "type": "date"}),
                         error_messages={"invalid": "Date de début invalide (jj/mm/aaaa)."})
    au = forms.DateField(label="Au", required=False, widget=forms.DateInput(attrs={**_INPUT, "type": "date"}),
                         error_messages={"invalid": "Date de fin invalide (jj/mm/aaaa)."})

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        start = data.get("du") or today.replace(day=1)
        end = data.get("au") or today
        if end < start:
            raise forms.ValidationError("La date de fin doit suivre la date de début.")
        if (end - start).days >= MAX_DAYS:
            raise forms.ValidationError("Choisissez une période d’un an au plus.")
        data["du"], data["au"] = start, end
        return data

    def bounds(self) -> tuple[dt.datetime, dt.datetime, dt.date, dt.date]:
        """[start, end) as aware datetimes, and the two days, valid or defaults."""
        today = timezone.localdate()
        if self.is_valid():
            start, end = self.cleaned_data["du"], self.cleaned_data["au"]
        else:
            start, end = today.replace(day=1), today
        tz = timezone.get_current_timezone()
        return (dt.datetime.combine(start, dt.time.min, tzinfo=tz),
                dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz), start, end)


class CommissionPlanForm(forms.ModelForm):
    rate = forms.DecimalField(label="Taux (%)", min_value=Decimal(0), max_value=Decimal(100), decimal_places=2,
                              max_digits=5, localize=True, widget=forms.TextInput(attrs={**_INPUT, "inputmode": "decimal"}),
                              error_messages={"invalid": "Taux invalide (exemple : 5,5).",
                                              "min_value": "Le taux doit être compris entre 0 et 100 %%.",
                                              "max_value": "Le taux doit être compris entre 0 et 100 %%.",
                                              "max_decimal_places": "Deux décimales au plus."})

    class Meta:
        model = CommissionPlan
        fields = ["name", "rate"]
        widgets = {"name": forms.TextInput(attrs=_INPUT)}
        labels = {"name": "Nom"}
        error_messages = {"name": {"required": "Donnez un nom au plan."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.data:  # "5,5" with a decimal comma, whatever the active language
            data = self.data.copy()
            key = self.add_prefix("rate")
            if key in data:
                data[key] = str(data[key]).replace(",", ".").strip()
            self.data = data


class ShopPlanForm(forms.Form):
    shop = forms.ModelChoiceField(queryset=Shop.objects.order_by("name"), label="Commerce",
                                  widget=forms.Select(attrs=_INPUT),
                                  error_messages={"invalid_choice": "Commerce inconnu.",
                                                  "required": "Choisissez un commerce."})
    plan = forms.ModelChoiceField(queryset=CommissionPlan.objects.order_by("rate"), required=False, label="Plan",
                                  empty_label="Plan par défaut", widget=forms.Select(attrs=_INPUT),
                                  error_messages={"invalid_choice": "Plan de commission inconnu."})
