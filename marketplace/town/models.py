from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.models import TimeStampedModel


class TownEvent(TimeStampedModel):
    """Something happening in the town centre (market day, late opening, festival), or an
    announcement, shown on the home page while it is current or to come."""

    title = models.CharField(_("titre"), max_length=120)
    summary = models.CharField(_("résumé"), max_length=300, blank=True)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    link = models.URLField(_("lien pour en savoir plus"), blank=True)
    is_published = models.BooleanField(_("publié"), default=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="town_townevent_starts_before_ends"),
        ]

    def __str__(self) -> str:
        return self.title
