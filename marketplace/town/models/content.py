"""The town's own content: its agenda (events and announcements), its page, the shops the
home page puts first. Text written in ``/gestion/`` is sanitised (``shops.html``) on save
by the services, as merchants' descriptions are."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.models import TimeStampedModel


class EventKind(models.TextChoices):
    EVENT = "event", _("Événement")
    ANNOUNCEMENT = "announcement", _("Annonce")


class TownEvent(TimeStampedModel):
    """Something happening in the town centre (market day, late opening, festival), or an
    announcement, shown on the home page from ``publish_at`` while it is current or to come.

    For an announcement, ``starts_at``–``ends_at`` is the period it concerns (works in a
    street, a closed car park): it leaves the home page at ``ends_at`` as an event does.
    """

    kind = models.CharField(_("type"), max_length=16, choices=EventKind.choices, default=EventKind.EVENT)
    title = models.CharField(_("titre"), max_length=120)
    summary = models.CharField(_("résumé"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Texte mis en forme, nettoyé à l'enregistrement."))
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    link = models.URLField(_("lien pour en savoir plus"), blank=True)
    is_published = models.BooleanField(_("publié"), default=True)
    publish_at = models.DateTimeField(
        _("visible à partir du"), null=True, blank=True, help_text=_("Vide : dès la publication.")
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="town_townevent_starts_before_ends",
                violation_error_message=_("La fin doit être après le début."),
            ),
            models.CheckConstraint(
                condition=Q(publish_at__isnull=True) | Q(publish_at__lt=F("ends_at")),
                name="town_townevent_published_before_it_ends",
                violation_error_message=_("La publication doit commencer avant la fin de l'événement."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TownPage(TimeStampedModel):
    """The town's own page (« Le centre-ville »): about, contact. One row (``pk=1``); the
    collection points' hours shown on it come from ``logistics``."""

    SINGLETON_PK = 1

    title = models.CharField(_("titre"), max_length=120, default="Le centre-ville")
    about = models.TextField(_("présentation"), blank=True)
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone de contact"), max_length=32, blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("modifiée par"),
    )

    class Meta:
        verbose_name = _("page du centre-ville")
        verbose_name_plural = _("page du centre-ville")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="town_townpage_single_row")]

    def __str__(self) -> str:
        return self.title


class FeaturedShop(models.Model):
    """A shop the home page shows first (the manager's choice), in ``position`` order."""

    shop = models.OneToOneField("shops.Shop", on_delete=models.CASCADE, related_name="featured", verbose_name=_("commerce"))
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("mis en avant le"), auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("commerce à la une")
        verbose_name_plural = _("commerces à la une")

    def __str__(self) -> str:
        return str(self.shop)
