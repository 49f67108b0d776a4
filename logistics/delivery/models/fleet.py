"""The town's couriers and vehicles (who rides, with how much room)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.models import TimeStampedModel


class SpeedProfile(models.TextChoices):
    CARGO_BIKE = "cargo_bike", _("Vélo cargo")
    ON_FOOT = "on_foot", _("À pied")
    VAN = "van", _("Camionnette")


#: Average speed in km/h the round planner assumes (next issue), by profile.
SPEED_KMH = {SpeedProfile.CARGO_BIKE: 15, SpeedProfile.ON_FOOT: 5, SpeedProfile.VAN: 25}


class Vehicle(TimeStampedModel):
    """A vehicle of the town's fleet; ``capacity_parcels`` is what a window's capacity sums."""

    name = models.CharField(_("nom"), max_length=128)
    profile = models.CharField(_("type"), max_length=16, choices=SpeedProfile.choices)
    capacity_parcels = models.PositiveIntegerField(_("capacité (colis par tournée)"))
    capacity_kg = models.PositiveIntegerField(_("charge maximale (kg)"), null=True, blank=True)
    capacity_litres = models.PositiveIntegerField(_("volume (litres)"), null=True, blank=True)
    is_active = models.BooleanField(_("en service"), default=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("véhicule")
        verbose_name_plural = _("véhicules")
        constraints = [
            models.CheckConstraint(condition=Q(capacity_parcels__gte=1), name="vehicle_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_profile_display()}, {self.capacity_parcels} colis)"


class Courier(TimeStampedModel):
    """A user with the courier role (``services.fleet.courier_create`` adds the group)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="courier",
                                verbose_name=_("compte"))
    phone = models.CharField(_("téléphone"), max_length=32)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name", "pk"]
        verbose_name = _("coursier")
        verbose_name_plural = _("coursiers")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.email
