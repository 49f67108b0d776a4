"""The period a statistics page shows, and the one it is compared with.

A day, a week (Monday to Sunday), a calendar month, or any span of up to 366
days; the previous period is the day, week or month before, or the same number
of days just before a custom span.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.analytics.calendar import today

MAX_DAYS = 366

KINDS = (
    ("jour", _("Jour")),
    ("semaine", _("Semaine")),
    ("mois", _("Mois")),
    ("personnalisee", _("Dates choisies")),
)
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


@dataclass(frozen=True)
class Period:
    kind: str
    first: dt.date
    last: dt.date  # included

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        if self.kind == "mois":
            last = self.first - dt.timedelta(days=1)
            return Period("mois", last.replace(day=1), last)
        length = dt.timedelta(days=self.days)
        return Period(self.kind, self.first - length, self.last - length)

    @property
    def label(self) -> str:
        if self.kind == "jour":
            return f"le {_day(self.first)}"
        if self.kind == "mois":
            return f"{MONTHS[self.first.month - 1]} {self.first.year}"
        if self.kind == "semaine":
            return f"la semaine du {_day(self.first)} au {_day(self.last)}"
        return f"du {_day(self.first)} au {_day(self.last)}"


def period_query(period: Period) -> str:
    """The query string that shows ``period`` again (the « période précédente » links of every statistics page)."""
    if period.kind == "personnalisee":
        return f"periode=personnalisee&du={period.first:%Y-%m-%d}&au={period.last:%Y-%m-%d}"
    return f"periode={period.kind}&date={period.first:%Y-%m-%d}"


def _day(day: dt.date) -> str:
    return f"{day.day}{'er' if day.day == 1 else ''} {MONTHS[day.month - 1]} {day.year}"


def period_of(*, kind: str, day: dt.date) -> Period:
    """The day, week or month containing ``day``."""
    if kind == "jour":
        return Period("jour", day, day)
    if kind == "mois":
        first = day.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return Period("mois", first, following - dt.timedelta(days=1))
    monday = day - dt.timedelta(days=day.weekday())
    return Period("semaine", monday, monday + dt.timedelta(days=6))


def period_default() -> Period:
    return period_of(kind="semaine", day=today())


class PeriodForm(forms.Form):
    """The period picker of the statistics pages (GET); bad input: French errors, default period."""

    periode = forms.ChoiceField(label=_("Période"), choices=KINDS, required=False, initial="semaine")
    date = forms.DateField(label=_("Jour de la période"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"invalid": _("Date invalide : utilisez le format AAAA-MM-JJ.")})
    du = forms.DateField(label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                         error_messages={"invalid": _("Date de début invalide : utilisez le format AAAA-MM-JJ.")})
    au = forms.DateField(label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                         error_messages={"invalid": _("Date de fin invalide : utilisez le format AAAA-MM-JJ.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["periode"].error_messages["invalid_choice"] = _(
            "Période inconnue : choisissez jour, semaine, mois ou dates choisies."
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        kind = data.get("periode") or "semaine"
        if kind != "personnalisee":
            data["period"] = period_of(kind=kind, day=data.get("date") or today())
            return data
        first, last = data.get("du"), data.get("au")
        if first is None or last is None:
            raise forms.ValidationError(_("Pour des dates choisies, indiquez le premier et le dernier jour."))
        if first > last:
            raise forms.ValidationError(_("Le premier jour doit précéder le dernier."))
        if (last - first).days + 1 > MAX_DAYS:
            raise forms.ValidationError(_("366 jours au plus : choisissez une période plus courte."))
        data["period"] = Period("personnalisee", first, last)
        return data

    def period(self) -> Period:
        """The period asked for, or the current week when the input is invalid."""
        if self.is_valid():
            return self.cleaned_data["period"]
        return period_default()
