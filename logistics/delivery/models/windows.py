"""Delivery windows: weekly templates, the concrete windows, who rides them, and bookings.

``DeliveryWindow.capacity`` (parcels) is derived from its shifts — the sum of the parcel
capacity of the vehicles on shift — and rewritten only by
``services.windows.window_capacity_recompute`` under the window's row lock. ``booked`` +
``held`` never exceed it (``CheckConstraint``) unless the window is flagged
``needs_attention``: a roster change that leaves less room than is already booked keeps
every booking and flags the window for the manager instead.
"""
from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from logistics.models import HoldStatus
from marketplace.core.models import TimeStampedModel, Weekday


class DeliveryWindowTemplate(models.Model):
    """A weekly delivery window for some zones; orders close ``cutoff_minutes`` before it starts."""

    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    start = models.TimeField(_("début"))
    end = models.TimeField(_("fin"))
    cutoff_minutes = models.PositiveIntegerField(_("clôture des commandes (minutes avant le début)"), default=120)
    zones = models.ManyToManyField("delivery.DeliveryZone", related_name="window_templates",
                                   verbose_name=_("zones desservies"))
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["weekday", "start", "pk"]
        verbose_name = _("modèle de fenêtre de livraison")
        verbose_name_plural = _("modèles de fenêtres de livraison")
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="delivery_template_start_before_end"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="delivery_template_weekday_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class DeliveryWindow(models.Model):
    """A concrete delivery window, generated from its template (``windows_generate``)."""

    template = models.ForeignKey(DeliveryWindowTemplate, on_delete=models.PROTECT, related_name="windows",
                                 verbose_name=_("modèle"))
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    cutoff_at = models.DateTimeField(_("clôture des commandes"))
    capacity = models.PositiveIntegerField(_("capacité (colis)"), default=0, editable=False)
    booked = models.PositiveIntegerField(_("colis réservés"), default=0)
    held = models.PositiveIntegerField(_("colis en attente de paiement"), default=0)
    needs_attention = models.BooleanField(_("à traiter"), default=False, db_index=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("fenêtre de livraison")
        verbose_name_plural = _("fenêtres de livraison")
        constraints = [
            models.UniqueConstraint(fields=["template", "starts_at"], name="delivery_window_unique_start"),
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="delivery_window_starts_before_ends"),
            models.CheckConstraint(condition=Q(cutoff_at__lte=F("starts_at")), name="delivery_window_cutoff_before"),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity") - F("held")) | Q(needs_attention=True),
                name="delivery_window_within_capacity",
            ),
        ]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="delivery_window_period")]

    def __str__(self) -> str:
        return f"{self.starts_at:%d/%m/%Y %H:%M}–{self.ends_at:%H:%M}"

    @property
    def remaining(self) -> int:
        return max(0, self.capacity - self.booked - self.held)


class Shift(TimeStampedModel):
    """Who rides which window with which vehicle: the source of the window's capacity."""

    window = models.ForeignKey(DeliveryWindow, on_delete=models.PROTECT, related_name="shifts",
                               verbose_name=_("fenêtre"))
    courier = models.ForeignKey("delivery.Courier", on_delete=models.PROTECT, related_name="shifts",
                                verbose_name=_("coursier"))
    vehicle = models.ForeignKey("delivery.Vehicle", on_delete=models.PROTECT, related_name="shifts",
                                verbose_name=_("véhicule"))

    class Meta:
        ordering = ["window", "pk"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.UniqueConstraint(fields=["window", "courier"], name="shift_one_per_courier"),
            models.UniqueConstraint(fields=["window", "vehicle"], name="shift_one_per_vehicle"),
        ]

    def __str__(self) -> str:
        return f"{self.window} — {self.courier} ({self.vehicle.name})"


class DeliveryBooking(TimeStampedModel):
    """A basket's delivery: its window held while the shopper pays, then booked for the order.

    Like ``SlotHold``: ``held`` counts ``parcels`` in ``window.held`` until released or
    converted (then in ``window.booked``, and ``order`` is set). ``basket_id`` has no foreign
    key for the same reason (Oscar deletes a merged guest basket). The address is a copy:
    the order keeps where it was delivered whatever happens to the address base.
    """

    window = models.ForeignKey(DeliveryWindow, on_delete=models.PROTECT, related_name="bookings",
                               verbose_name=_("fenêtre"))
    basket_id = models.PositiveBigIntegerField(_("panier"), db_index=True)
    order = models.OneToOneField("order.Order", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="delivery", verbose_name=_("commande"))
    zone = models.ForeignKey("delivery.DeliveryZone", on_delete=models.PROTECT, related_name="bookings",
                             verbose_name=_("zone"))
    parcels = models.PositiveIntegerField(_("colis"), default=1)
    street = models.CharField(_("adresse"), max_length=255)
    postcode = models.CharField(_("code postal"), max_length=5)
    town = models.CharField(_("commune"), max_length=128)
    complement = models.CharField(_("bâtiment, étage, digicode"), max_length=255, blank=True)
    instructions = models.CharField(_("instructions de livraison"), max_length=500, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    fee = models.DecimalField(_("frais de livraison (TTC)"), max_digits=8, decimal_places=2)
    expires_at = models.DateTimeField(_("expire le"))
    status = models.CharField(_("statut"), max_length=16, choices=HoldStatus.choices, default=HoldStatus.HELD)
    fee_refunded_at = models.DateTimeField(_("frais remboursés le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("livraison")
        verbose_name_plural = _("livraisons")
        indexes = [models.Index(fields=["status", "expires_at"], name="delivery_booking_status_expiry")]
        constraints = [
            models.CheckConstraint(condition=Q(basket_id__gte=1), name="delivery_booking_basket_positive"),
            models.CheckConstraint(condition=Q(parcels__gte=1), name="delivery_booking_parcels_positive"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="delivery_booking_fee_not_negative"),
            models.UniqueConstraint(fields=["basket_id"], condition=Q(status=HoldStatus.HELD),
                                    name="delivery_booking_one_held_per_basket"),
        ]

    def __str__(self) -> str:
        return f"{self.street}, {self.postcode} {self.town} — {self.window}"

    @property
    def address_lines(self) -> list[str]:
        return [line for line in (self.street, self.complement, f"{self.postcode} {self.town}") if line]
