"""Collection points (shop counters, the town point, locker banks), their slots and slot holds.

Capacity lives on ``Slot`` (``booked`` + ``held`` <= ``capacity``, enforced by
``CheckConstraint``); it only changes inside ``transaction.atomic()`` under the
row locks of ``logistics.locks``.
"""
from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.models import ClosurePeriod, TimeStampedModel, Weekday, WeeklyOpeningPeriod


class PointKind(models.TextChoices):
    SHOP_COUNTER = "shop_counter", _("Comptoir du commerce")
    TOWN_POINT = "town_point", _("Point retrait de la ville")
    LOCKER_BANK = "locker_bank", _("Consignes automatiques")


class CompartmentSize(models.TextChoices):
    S = "S", _("petit")
    M = "M", _("moyen")
    L = "L", _("grand")


#: Sizes from the smallest; a parcel fits in its size or any larger one.
SIZE_ORDER = (CompartmentSize.S, CompartmentSize.M, CompartmentSize.L)


def sizes_fitting(size: str | None) -> list[str]:
    """Compartment sizes a parcel of ``size`` fits in, smallest first (all sizes for ``None``)."""
    if size is None:
        return list(SIZE_ORDER)
    return list(SIZE_ORDER[SIZE_ORDER.index(size):])


class Temperature(models.TextChoices):
    AMBIENT = "ambient", _("ambiant")
    CHILLED = "chilled", _("réfrigéré")


class CollectionPoint(TimeStampedModel):
    """Where shoppers collect their orders: a shop's counter, the town point, a locker bank."""

    kind = models.CharField(_("type"), max_length=16, choices=PointKind.choices, db_index=True)
    shop = models.ForeignKey(
        "shops.Shop",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="collection_points",
        verbose_name=_("commerce"),
        help_text=_("Seulement pour le comptoir d'un commerce."),
    )
    name = models.CharField(_("nom"), max_length=128)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    shelf_capacity = models.PositiveIntegerField(
        _("capacité des étagères (colis)"), default=0, help_text=_("0 pour une consigne ou un comptoir sans étagère.")
    )
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("point de retrait")
        verbose_name_plural = _("points de retrait")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=PointKind.SHOP_COUNTER) & Q(shop__isnull=False))
                | (~Q(kind=PointKind.SHOP_COUNTER) & Q(shop__isnull=True)),
                name="collection_point_shop_iff_counter",
            ),
            models.UniqueConstraint(
                fields=["shop"], condition=Q(kind=PointKind.SHOP_COUNTER), name="collection_point_one_counter_per_shop"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="collection_point_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="collection_point_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def at_phrase(self) -> str:
        """The place after a verb, in French: « au point de retrait … », « à la consigne … »,
        « au comptoir de … » (a bare « à {name} » reads « à Point retrait de la Halle »)."""
        return point_at_phrase(kind=self.kind, name=self.name)


_VOWELS = tuple("aeiouyàâéèêëîïôûüAEIOUYÀÂÉÈÊËÎÏÔÛÜ")
#: Name openings that already say what the place is: (prefix, phrase replacing it).
_NAME_OPENINGS = (
    ("point de retrait", "au point de retrait"),
    ("point retrait", "au point retrait"),
    ("point", "au point"),
    ("consignes", "aux consignes"),
    ("consigne", "à la consigne"),
    ("casiers", "aux casiers"),
    ("comptoir de", "au comptoir de"),
    ("comptoir du", "au comptoir du"),
    ("comptoir des", "au comptoir des"),
    ("comptoir d'", "au comptoir d'"),
    ("comptoir d’", "au comptoir d’"),
)
_KIND_PHRASES = {
    PointKind.TOWN_POINT: "au point de retrait",
    PointKind.LOCKER_BANK: "à la consigne",
    PointKind.SHOP_COUNTER: "au comptoir de",
}


def point_at_phrase(*, kind: str, name: str) -> str:
    """See ``CollectionPoint.at_phrase``; a counter's « Comptoir — Maison Muller » reads
    « au comptoir de Maison Muller » (« d’ » before a vowel)."""
    name = " ".join(name.split())
    lowered = name.lower()
    for prefix, phrase in _NAME_OPENINGS:
        if lowered.startswith(prefix) and (prefix.endswith(("'", "’")) or lowered[len(prefix):][:1] in ("", " ")):
            return f"{phrase}{name[len(prefix):]}"
    if kind == PointKind.SHOP_COUNTER:
        rest = name
        if lowered.startswith("comptoir"):
            rest = name[len("comptoir"):].lstrip(" —–-:")
        if not rest:
            return "au comptoir du commerce"
        return f"au comptoir d’{rest}" if rest.startswith(_VOWELS) else f"au comptoir de {rest}"
    return f"{_KIND_PHRASES.get(kind, 'à')} {name}".strip()


class PointOpeningPeriod(WeeklyOpeningPeriod):
    point = models.ForeignKey(CollectionPoint, on_delete=models.CASCADE, related_name="opening_periods")

    class Meta(WeeklyOpeningPeriod.Meta):
        verbose_name = _("horaire du point de retrait")
        verbose_name_plural = _("horaires du point de retrait")


class PointClosure(ClosurePeriod):
    point = models.ForeignKey(CollectionPoint, on_delete=models.CASCADE, related_name="closures")

    class Meta(ClosurePeriod.Meta):
        verbose_name = _("fermeture du point de retrait")
        verbose_name_plural = _("fermetures du point de retrait")


class LockerCompartment(models.Model):
    """One compartment of a locker bank."""

    point = models.ForeignKey(CollectionPoint, on_delete=models.CASCADE, related_name="compartments")
    code = models.CharField(_("code"), max_length=16)
    size = models.CharField(_("taille"), max_length=1, choices=CompartmentSize.choices)
    temperature = models.CharField(
        _("température"), max_length=8, choices=Temperature.choices, default=Temperature.AMBIENT
    )
    is_active = models.BooleanField(_("en service"), default=True)

    class Meta:
        ordering = ["point", "code"]
        verbose_name = _("casier")
        verbose_name_plural = _("casiers")
        constraints = [
            models.UniqueConstraint(fields=["point", "code"], name="locker_compartment_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.size}, {self.get_temperature_display()})"


class SlotTemplate(models.Model):
    """A weekly pickup slot of a point, from which concrete slots are generated ahead."""

    point = models.ForeignKey(CollectionPoint, on_delete=models.CASCADE, related_name="slot_templates")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    start = models.TimeField(_("début"))
    end = models.TimeField(_("fin"))
    capacity = models.PositiveIntegerField(_("capacité (commandes)"))
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["point", "weekday", "start"]
        verbose_name = _("modèle de créneau")
        verbose_name_plural = _("modèles de créneaux")
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="slot_template_start_before_end"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="slot_template_weekday_range"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="slot_template_capacity_positive"),
            models.UniqueConstraint(fields=["point", "weekday", "start"], name="slot_template_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.point} — {self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class Slot(models.Model):
    """A concrete pickup slot; ``booked`` + ``held`` never exceed ``capacity``.

    ``needs_attention`` flags a slot with bookings or holds that its templates or a
    closure no longer allow: it is kept (nothing is silently dropped), no longer
    offered, and listed for the manager.
    """

    point = models.ForeignKey(CollectionPoint, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    capacity = models.PositiveIntegerField(_("capacité (commandes)"))
    booked = models.PositiveIntegerField(_("réservées"), default=0)
    held = models.PositiveIntegerField(_("en attente de paiement"), default=0)
    needs_attention = models.BooleanField(_("à traiter"), default=False, db_index=True)

    class Meta:
        ordering = ["point", "starts_at"]
        verbose_name = _("créneau")
        verbose_name_plural = _("créneaux")
        constraints = [
            models.UniqueConstraint(fields=["point", "starts_at"], name="slot_unique_point_start"),
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="slot_starts_before_ends"),
            models.CheckConstraint(condition=Q(booked__gte=0) & Q(held__gte=0), name="slot_counts_non_negative"),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity") - F("held")), name="slot_booked_plus_held_within_capacity"
            ),
        ]
        indexes = [models.Index(fields=["point", "starts_at", "ends_at"], name="slot_point_window")]

    def __str__(self) -> str:
        return f"{self.point} — {self.starts_at:%d/%m/%Y %H:%M}"

    @property
    def remaining(self) -> int:
        return self.capacity - self.booked - self.held

    @property
    def has_bookings(self) -> bool:
        return self.booked > 0 or self.held > 0

    @property
    def duration(self) -> dt.timedelta:
        return self.ends_at - self.starts_at


class HoldStatus(models.TextChoices):
    HELD = "held", _("retenu")
    RELEASED = "released", _("libéré")
    CONVERTED = "converted", _("réservé")


class SlotHold(TimeStampedModel):
    """A slot kept for a basket while the shopper pays; expires by itself.

    A ``held`` hold counts in ``slot.held`` until released (by ``holds_expire`` or
    when the basket picks another slot) or converted into a booking
    (``slot.booked``). At a locker bank it also reserves a compartment.

    A basket collected in one place holds one slot for all its lines (``shop`` is
    empty); a basket collected at each shop's counter holds one slot per shop
    (``shop`` set). A basket holds at most one slot per part at a time (the two
    partial unique constraints). ``basket_id`` is the basket's id without a foreign
    key: Oscar deletes a guest's basket when it is merged into an account's, and the
    hold must outlive it until it is released.
    """

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="holds", verbose_name=_("créneau"))
    basket_id = models.PositiveBigIntegerField(_("panier"), db_index=True)
    shop = models.ForeignKey(
        "shops.Shop",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commerce (retrait au comptoir)"),
    )
    compartment = models.ForeignKey(
        LockerCompartment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="holds",
        verbose_name=_("casier"),
    )
    expires_at = models.DateTimeField(_("expire le"))
    status = models.CharField(_("statut"), max_length=16, choices=HoldStatus.choices, default=HoldStatus.HELD)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("créneau retenu")
        verbose_name_plural = _("créneaux retenus")
        indexes = [
            models.Index(fields=["status", "expires_at"], name="slot_hold_status_expiry"),
            models.Index(fields=["compartment", "status"], name="slot_hold_compartment_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(basket_id__gte=1), name="slot_hold_basket_id_positive"),
            models.UniqueConstraint(
                fields=["basket_id"], condition=Q(status=HoldStatus.HELD, shop__isnull=True),
                name="slot_hold_one_held_per_basket",
            ),
            models.UniqueConstraint(
                fields=["basket_id", "shop"], condition=Q(status=HoldStatus.HELD, shop__isnull=False),
                name="slot_hold_one_held_per_basket_shop",
            ),
        ]

    def __str__(self) -> str:
        part = f", commerce {self.shop_id}" if self.shop_id else ""
        return f"{self.slot} — panier {self.basket_id}{part} ({self.get_status_display()})"
