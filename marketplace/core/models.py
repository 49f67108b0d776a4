from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


class WeeklyOpeningPeriod(models.Model):
    """One opening period of a weekday, in the town's wall-clock time.

    Shops and collection points both open by the week; a day may have two
    periods (morning and afternoon).
    """

    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    opens = models.TimeField(_("ouverture"))
    closes = models.TimeField(_("fermeture"))

    class Meta:
        abstract = True
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")), name="%(app_label)s_%(class)s_opens_before_closes"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="%(app_label)s_%(class)s_weekday_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def contains(self, moment: dt.datetime) -> bool:
        return moment.weekday() == self.weekday and self.opens <= moment.time() < self.closes


class ClosurePeriod(models.Model):
    """An exceptional closure between two instants: a holiday, a closed afternoon, works."""

    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    reason = models.CharField(_("motif"), max_length=200, blank=True)

    class Meta:
        abstract = True
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="%(app_label)s_%(class)s_starts_before_ends"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason or _('Fermeture')} ({self.starts_at:%d/%m/%Y %H:%M} – {self.ends_at:%d/%m/%Y %H:%M})"
