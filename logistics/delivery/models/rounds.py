"""Courier rounds: what the planner decided for a window, and what the courier did.

A ``Round`` is one shift's route in one window (``services.rounds.window_rounds_plan``
writes them all in one transaction, once: ``DeliveryWindow.planned_at``). Its
``RoundStop`` rows are the ordered visits: a pickup at a shop (shape « collect at the
shops ») or a delivery at a booking's address. The stop's actions (delivered, failed)
move the order's parts through ``marketplace.order.services``; the stop keeps who did
what and when, as the audit of the courier's side.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.models import TimeStampedModel


class RoundShape(models.TextChoices):
    FROM_DEPOT = "depot", _("Depuis le point du centre-ville")
    FROM_SHOPS = "shops", _("Collecte dans les commerces")


class RoundStatus(models.TextChoices):
    PLANNED = "planned", _("Planifiée")
    STARTED = "started", _("En cours")
    DONE = "done", _("Terminée")


class StopKind(models.TextChoices):
    PICKUP = "pickup", _("Collecte")
    DELIVERY = "delivery", _("Livraison")


class StopStatus(models.TextChoices):
    PLANNED = "planned", _("À faire")
    DONE = "done", _("Fait")
    FAILED = "failed", _("Échec")


class FailureReason(models.TextChoices):
    ABSENT = "absent", _("Client absent")
    REFUSED = "refused", _("Colis refusé")
    INACCESSIBLE = "inaccessible", _("Adresse inaccessible")
    NOT_FOUND = "not_found", _("Adresse introuvable")
    DAMAGED = "damaged", _("Colis endommagé")


class Round(TimeStampedModel):
    """One courier's route in one window, with the vehicle of their shift."""

    window = models.ForeignKey("delivery.DeliveryWindow", on_delete=models.PROTECT, related_name="rounds",
                               verbose_name=_("fenêtre"))
    shift = models.OneToOneField("delivery.Shift", on_delete=models.PROTECT, related_name="round",
                                 verbose_name=_("service"))
    courier = models.ForeignKey("delivery.Courier", on_delete=models.PROTECT, related_name="rounds",
                                verbose_name=_("coursier"))
    vehicle = models.ForeignKey("delivery.Vehicle", on_delete=models.PROTECT, related_name="rounds",
                                verbose_name=_("véhicule"))
    depot = models.ForeignKey("logistics.CollectionPoint", on_delete=models.PROTECT, related_name="rounds",
                              verbose_name=_("point de départ"))
    shape = models.CharField(_("forme"), max_length=8, choices=RoundShape.choices, default=RoundShape.FROM_DEPOT)
    status = models.CharField(_("statut"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.PLANNED)
    departs_at = models.DateTimeField(_("départ prévu"))
    returns_at = models.DateTimeField(_("retour prévu"))
    distance_m = models.PositiveIntegerField(_("distance (m)"))
    started_at = models.DateTimeField(_("partie le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)

    class Meta:
        ordering = ["window", "departs_at", "pk"]
        verbose_name = _("tournée")
        verbose_name_plural = _("tournées")
        constraints = [
            models.UniqueConstraint(fields=["window", "courier"], name="round_one_per_courier_window"),
            models.CheckConstraint(condition=Q(departs_at__lte=models.F("returns_at")),
                                   name="round_departs_before_return"),
        ]

    def __str__(self) -> str:
        return f"{self.window} — {self.courier}"

    @property
    def duration_minutes(self) -> int:
        return round((self.returns_at - self.departs_at).total_seconds() / 60)


class RoundStop(models.Model):
    """One visit of a round, in order: a pickup at ``shop`` or a delivery of ``booking``.

    ``shop_order`` is the part the visit moves (a pickup's part, or in shape « shops »
    the delivered part); empty for a depot-shape delivery, which hands over every part
    of the booking's order. ``load_after``: parcels on board when the courier leaves.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="stops", verbose_name=_("tournée"))
    position = models.PositiveSmallIntegerField(_("ordre"))
    kind = models.CharField(_("type"), max_length=8, choices=StopKind.choices)
    booking = models.ForeignKey("delivery.DeliveryBooking", on_delete=models.PROTECT, related_name="stops",
                                verbose_name=_("livraison"))
    shop_order = models.ForeignKey("order.ShopOrder", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="round_stops", verbose_name=_("part"))
    arrives_at = models.DateTimeField(_("arrivée prévue"))
    window_start = models.DateTimeField(_("au plus tôt"))
    window_end = models.DateTimeField(_("au plus tard"))
    load_after = models.PositiveIntegerField(_("colis à bord après l'arrêt"))
    status = models.CharField(_("statut"), max_length=8, choices=StopStatus.choices, default=StopStatus.PLANNED)
    failure_reason = models.CharField(_("motif d'échec"), max_length=16, choices=FailureReason.choices, blank=True)
    received_by = models.CharField(_("remis à"), max_length=128, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    done_at = models.DateTimeField(_("fait le"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("fait par"))

    class Meta:
        ordering = ["round", "position"]
        verbose_name = _("arrêt")
        verbose_name_plural = _("arrêts")
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="round_stop_position_unique"),
            models.CheckConstraint(condition=Q(kind="delivery") | Q(shop_order__isnull=False),
                                   name="round_stop_pickup_has_part"),
            models.CheckConstraint(
                condition=(Q(status="failed") & ~Q(failure_reason="")) | (~Q(status="failed") & Q(failure_reason="")),
                name="round_stop_reason_iff_failed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} #{self.position} ({self.get_kind_display()})"
