"""Delivery zones: a list of postcodes/communes, a radius around a point, or a GeoJSON polygon."""
from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.models import TimeStampedModel


class ZoneKind(models.TextChoices):
    POSTCODES = "postcodes", _("Liste de codes postaux ou de communes")
    RADIUS = "radius", _("Rayon autour d'un point")
    POLYGON = "polygon", _("Polygone (GeoJSON)")


class DeliveryZone(TimeStampedModel):
    """Where the town's couriers deliver, the fee and the thresholds there.

    ``postcodes``/``communes`` are lists (JSON) so the SQLite demo and PostgreSQL read
    them alike; ``polygon`` is a GeoJSON geometry (Polygon or MultiPolygon, lon/lat)
    tested with shapely (``logistics.delivery.services.zones``). ``depot`` is the
    town point where merchants drop delivery parcels and the rounds start.
    ``weekdays``: the days (0 = Monday) the zone is delivered.
    """

    name = models.CharField(_("nom"), max_length=128)
    kind = models.CharField(_("type de zone"), max_length=16, choices=ZoneKind.choices)
    postcodes = models.JSONField(_("codes postaux"), default=list, blank=True)
    communes = models.JSONField(_("communes"), default=list, blank=True)
    center_latitude = models.DecimalField(_("latitude du centre"), max_digits=9, decimal_places=6, null=True,
                                          blank=True)
    center_longitude = models.DecimalField(_("longitude du centre"), max_digits=9, decimal_places=6, null=True,
                                           blank=True)
    radius_m = models.PositiveIntegerField(_("rayon (mètres)"), null=True, blank=True)
    polygon = models.JSONField(_("polygone GeoJSON"), null=True, blank=True)
    fee = models.DecimalField(_("frais de livraison (TTC)"), max_digits=8, decimal_places=2, default=Decimal(0))
    minimum_order = models.DecimalField(_("commande minimum (TTC)"), max_digits=8, decimal_places=2,
                                        default=Decimal(0))
    free_from = models.DecimalField(_("livraison offerte dès (TTC)"), max_digits=8, decimal_places=2, null=True,
                                    blank=True)
    weekdays = models.JSONField(_("jours livrés"), default=list)
    depot = models.ForeignKey(
        "logistics.CollectionPoint", on_delete=models.PROTECT, related_name="delivery_zones",
        verbose_name=_("point de départ des tournées"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("zone de livraison")
        verbose_name_plural = _("zones de livraison")
        constraints = [
            models.CheckConstraint(condition=Q(fee__gte=0) & Q(minimum_order__gte=0),
                                   name="delivery_zone_amounts_not_negative"),
            models.CheckConstraint(condition=Q(free_from__isnull=True) | Q(free_from__gte=0),
                                   name="delivery_zone_free_from_not_negative"),
            models.CheckConstraint(
                condition=~Q(kind=ZoneKind.RADIUS)
                | (Q(radius_m__gte=1) & Q(center_latitude__isnull=False) & Q(center_longitude__isnull=False)),
                name="delivery_zone_radius_complete",
            ),
            models.CheckConstraint(condition=~Q(kind=ZoneKind.POLYGON) | Q(polygon__isnull=False),
                                   name="delivery_zone_polygon_present"),
        ]

    def __str__(self) -> str:
        return self.name

    def fee_for(self, amount: Decimal) -> Decimal:
        """The fee for a basket of ``amount`` (TTC): nothing from the free-delivery threshold."""
        if self.free_from is not None and amount >= self.free_from:
            return Decimal("0.00")
        return self.fee

    def left_to_free(self, amount: Decimal) -> Decimal | None:
        """What the shopper still has to add for free delivery (``None``: no threshold, or reached)."""
        if self.free_from is None or amount >= self.free_from:
            return None
        return self.free_from - amount
