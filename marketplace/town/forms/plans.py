"""Commission plans: a new plan, a shop's change of plan from a date."""
from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from marketplace.payments.forms import CommissionPlanForm
from marketplace.payments.models import CommissionPlan
from shops.models import Shop

_INPUT = {"class": "form-control"}


class PlanCreateForm(CommissionPlanForm):
    """Name and rate, as when editing a plan (decimal comma accepted)."""


class PlanChangeForm(forms.Form):
    shop = forms.ModelChoiceField(queryset=Shop.objects.order_by("name"), label="Commerce",
                                  widget=forms.Select(attrs=_INPUT),
                                  error_messages={"invalid_choice": "Commerce inconnu.", "required": "Choisissez un commerce."})
    plan = forms.ModelChoiceField(queryset=CommissionPlan.objects.order_by("rate"), required=False, label="Nouveau plan",
                                  empty_label="Plan par défaut", widget=forms.Select(attrs=_INPUT),
                                  error_messages={"invalid_choice": "Plan de commission inconnu."})
    day = forms.DateField(label="À partir du", widget=forms.DateInput(attrs={**_INPUT, "type": "date"}, format="%Y-%m-%d"),
                          help_text="Le nouveau taux vaut pour les commandes payées à partir de ce jour (0 h) ; "
                                    "aujourd'hui : dès maintenant.",
                          error_messages={"required": "Choisissez la date du changement.", "invalid": "Date invalide (jj/mm/aaaa)."})

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day < timezone.localdate():
            raise forms.ValidationError("La date de changement ne peut pas être passée.")
        if day > timezone.localdate() + dt.timedelta(days=730):
            raise forms.ValidationError("Choisissez une date dans les deux ans.")
        return day

    def effective_from(self) -> dt.datetime:
        day = self.cleaned_data["day"]
        if day == timezone.localdate():
            return timezone.now()
        return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())
