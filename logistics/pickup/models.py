"""Pickup codes, collection-point staff, parcels waiting at a point, handovers, returns."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from logistics.pickup.codes import CODE_REGEX, code_display


class PickupCode(models.Model):
    """The one code of an order, given when its last shop part is ready (or dropped).

    Unique among *open* orders only (a partial unique index): once the order is
    collected, expired or cancelled the code is closed and may be drawn again later.
    """

    order = models.OneToOneField(
        "order.Order", on_delete=models.CASCADE, related_name="pickup_code", verbose_name=_("commande")
    )
    code = models.CharField(_("code"), max_length=6)
    is_open = models.BooleanField(_("ouvert"), default=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    closed_at = models.DateTimeField(_("fermé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("code de retrait")
        verbose_name_plural = _("codes de retrait")
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(is_open=True), name="pickup_code_unique_when_open"),
            models.CheckConstraint(condition=Q(code__regex=CODE_REGEX), name="pickup_code_format"),
            models.CheckConstraint(
                condition=Q(is_open=True, closed_at__isnull=True) | Q(is_open=False, closed_at__isnull=False),
                name="pickup_code_closed_iff_closed_at",
            ),
        ]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        return code_display(self.code)


class PointStaff(models.Model):
    """A person who hands over orders at a town collection point (or services its lockers).

    Shop counters have no such link: a shop's staff are its ``Partner.users``.
    """

    point = models.ForeignKey(
        "logistics.CollectionPoint", on_delete=models.CASCADE, related_name="staff_links", verbose_name=_("point")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="collection_point_links",
        verbose_name=_("utilisateur"),
    )
    created_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)

    class Meta:
        verbose_name = _("personnel du point de retrait")
        verbose_name_plural = _("personnel des points de retrait")
        constraints = [models.UniqueConstraint(fields=["point", "user"], name="point_staff_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.point}"


class PlacementEnd(models.TextChoices):
    COLLECTED = "collected", _("retirée")
    EXPIRED = "expired", _("non retirée (expirée)")
    CANCELLED = "cancelled", _("annulée")


class ParcelPlacement(models.Model):
    """Where an order waits at a collection point: a shelf place or a locker compartment.

    Assigned when the first shop part is dropped there, under the point's row lock;
    freed (``ended_at``) on collection, expiry or cancellation. Partial unique
    indexes: a compartment, a shelf place, holds one order at a time.
    """

    order = models.ForeignKey(
        "order.Order", on_delete=models.CASCADE, related_name="placements", verbose_name=_("commande")
    )
    point = models.ForeignKey(
        "logistics.CollectionPoint", on_delete=models.PROTECT, related_name="placements", verbose_name=_("point")
    )
    compartment = models.ForeignKey(
        "logistics.LockerCompartment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("casier"),
    )
    shelf = models.PositiveIntegerField(_("étagère"), null=True, blank=True)
    placed_at = models.DateTimeField(_("déposée le"), auto_now_add=True)
    ended_at = models.DateTimeField(_("libérée le"), null=True, blank=True)
    end_reason = models.CharField(_("motif"), max_length=16, choices=PlacementEnd.choices, blank=True)

    class Meta:
        ordering = ["-placed_at"]
        verbose_name = _("emplacement de commande")
        verbose_name_plural = _("emplacements de commandes")
        constraints = [
            models.UniqueConstraint(
                fields=["compartment"],
                condition=Q(ended_at__isnull=True, compartment__isnull=False),
                name="placement_one_order_per_compartment",
            ),
            models.UniqueConstraint(
                fields=["point", "shelf"],
                condition=Q(ended_at__isnull=True, shelf__isnull=False),
                name="placement_one_order_per_shelf",
            ),
            models.UniqueConstraint(
                fields=["order", "point"], condition=Q(ended_at__isnull=True), name="placement_one_per_order_and_point"
            ),
            models.CheckConstraint(
                condition=Q(compartment__isnull=True) | Q(shelf__isnull=True), name="placement_shelf_or_compartment"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, end_reason="") | (Q(ended_at__isnull=False) & ~Q(end_reason="")),
                name="placement_ended_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} — {self.location}"

    @property
    def location(self) -> str:
        if self.compartment_id:
            return f"casier {self.compartment.code}"
        if self.shelf:
            return f"étagère {self.shelf}"
        return "au comptoir"


class Handover(models.Model):
    """The audit record of one handover: who gave which shop parts of which order, where, when.

    ``parts`` is a snapshot (shop, lines, quantities, shelf or compartment) as the
    person saw it, kept even if the order changes later. When a code opens a locker
    door, ``by_user`` is that locker bank's system account.
    """

    order = models.ForeignKey(
        "order.Order", on_delete=models.PROTECT, related_name="handovers", verbose_name=_("commande")
    )
    point = models.ForeignKey(
        "logistics.CollectionPoint", on_delete=models.PROTECT, related_name="handovers", verbose_name=_("point")
    )
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handovers",
        verbose_name=_("remis par"),
    )
    at = models.DateTimeField(_("le"), auto_now_add=True)
    complete = models.BooleanField(_("commande entièrement remise"))
    parts = models.JSONField(_("remis"), default=list)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    shop_orders = models.ManyToManyField(
        "order.ShopOrder", related_name="handovers", blank=True, verbose_name=_("parts remises")
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("remise")
        verbose_name_plural = _("remises")

    def __str__(self) -> str:
        return f"{self.order} remise le {self.at:%d/%m/%Y %H:%M}"


class ReturnTask(models.Model):
    """A merchant's to-do: take back the goods of an order nobody collected."""

    order = models.ForeignKey(
        "order.Order", on_delete=models.CASCADE, related_name="return_tasks", verbose_name=_("commande")
    )
    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, related_name="return_tasks", verbose_name=_("commerce")
    )
    point = models.ForeignKey(
        "logistics.CollectionPoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="return_tasks",
        verbose_name=_("à reprendre au point"),
    )
    location = models.CharField(_("emplacement"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    done_at = models.DateTimeField(_("faite le"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("faite par"),
    )

    class Meta:
        ordering = ["done_at", "created_at"]
        verbose_name = _("marchandise à reprendre")
        verbose_name_plural = _("marchandises à reprendre")
        constraints = [models.UniqueConstraint(fields=["order", "shop"], name="return_task_once_per_shop_order")]

    def __str__(self) -> str:
        return f"{self.shop} — reprendre {self.order}"
