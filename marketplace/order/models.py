"""Orders, forked from Oscar because a Halle order is split into one ``ShopOrder`` per shop.

Oscar's order is one object with one status; here each shop of a basket works on
its own part (accept, remove missing items, prepare, hand over), and the order
records how it is collected (at each shop, or everything at a collection point
or locker). ``Line`` gains its shop order and the units the merchant could not
supply; ``Order`` gains the fulfilment mode and the shopper's phone.

State changes go through ``marketplace.order.services`` only (row-locked, staff
checked, signals after commit); the database constraints below back them.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.abstract_models import AbstractLine, AbstractOrder

from marketplace.core.models import TimeStampedModel


class FulfilmentMode(models.TextChoices):
    AT_SHOPS = "shops", _("Retrait dans chaque commerce")
    AT_POINT = "point", _("Retrait au point de retrait ou à la consigne")
    DELIVERY = "delivery", _("Livraison à domicile")


class Order(AbstractOrder):
    fulfilment_mode = models.CharField(
        _("mode de retrait"), max_length=16, choices=FulfilmentMode.choices, default=FulfilmentMode.AT_SHOPS
    )
    collection_point = models.ForeignKey(
        "logistics.CollectionPoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("point de retrait"),
        help_text=_("Quand tout est retiré au même point de retrait ou à la consigne, ou, pour une livraison, "
                    "le point où partent les tournées."),
    )
    contact_phone = models.CharField(_("téléphone"), max_length=32, blank=True)
    ready_to_capture_at = models.DateTimeField(
        _("montant confirmé le"),
        null=True,
        blank=True,
        help_text=_("Quand chaque commerce a accepté ou réglé sa part (le paiement peut être encaissé)."),
    )

    class Meta(AbstractOrder.Meta):
        constraints = [
            models.CheckConstraint(
                condition=(Q(fulfilment_mode__in=["point", "delivery"]) & Q(collection_point__isnull=False))
                | (Q(fulfilment_mode="shops") & Q(collection_point__isnull=True)),
                name="order_point_iff_point_or_delivery_mode",
            ),
        ]


class Line(AbstractLine):
    shop_order = models.ForeignKey(
        "order.ShopOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
        verbose_name=_("part du commerce"),
    )
    quantity_unavailable = models.PositiveIntegerField(
        _("quantité indisponible"), default=0, help_text=_("Unités que le commerce n'a pas pu fournir.")
    )

    class Meta(AbstractLine.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_unavailable__lte=F("quantity")), name="order_line_unavailable_within_quantity"
            ),
        ]

    @property
    def quantity_remaining(self) -> int:
        """Units the shopper will collect."""
        return self.quantity - self.quantity_unavailable


class ShopOrderStatus(models.TextChoices):
    NEW = "new", _("Nouvelle")
    ACCEPTED = "accepted", _("Acceptée")
    PREPARING = "preparing", _("En préparation")
    READY = "ready", _("Prête")
    DROPPED = "dropped", _("Déposée au point de retrait")
    COLLECTED = "collected", _("Retirée")
    CANCELLED = "cancelled", _("Annulée")


class CancelReason(models.TextChoices):
    SHOPPER = "shopper", _("annulée par le client")
    MERCHANT = "merchant", _("annulée par le commerce")
    NO_SHOW = "no_show", _("non retirée")


#: States a shop order is still being worked on or waiting for the shopper.
OPEN_STATUSES = (
    ShopOrderStatus.NEW,
    ShopOrderStatus.ACCEPTED,
    ShopOrderStatus.PREPARING,
    ShopOrderStatus.READY,
    ShopOrderStatus.DROPPED,
)


class ShopOrder(TimeStampedModel):
    """One shop's part of an order: its lines, its slot and the merchant's workflow.

    new → accepted → preparing → ready → (dropped at the collection point, only when
    the order is collected there) → collected; or cancelled. ``total_*`` follow the
    lines still to collect (they drop when items are marked unavailable).
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shop_orders", verbose_name=_("commande"))
    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.PROTECT, related_name="shop_orders", verbose_name=_("commerce")
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=ShopOrderStatus.choices, default=ShopOrderStatus.NEW
    )
    collection_point = models.ForeignKey(
        "logistics.CollectionPoint",
        on_delete=models.PROTECT,
        related_name="shop_orders",
        verbose_name=_("point de retrait"),
    )
    slot = models.ForeignKey(
        "logistics.Slot", on_delete=models.PROTECT, null=True, blank=True, related_name="shop_orders",
        verbose_name=_("créneau"), help_text=_("Vide pour une livraison : sa fenêtre est celle de la livraison."),
    )
    slot_hold = models.ForeignKey(
        "logistics.SlotHold",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shop_orders",
        verbose_name=_("réservation du créneau"),
        help_text=_("Partagée par toutes les parts d'une commande retirée au même point."),
    )
    total_incl_tax = models.DecimalField(_("total TTC"), max_digits=12, decimal_places=2)
    total_excl_tax = models.DecimalField(_("total HT"), max_digits=12, decimal_places=2)
    has_unavailable_items = models.BooleanField(_("partiellement indisponible"), default=False)
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    preparing_at = models.DateTimeField(_("préparation commencée le"), null=True, blank=True)
    ready_at = models.DateTimeField(_("prête le"), null=True, blank=True)
    dropped_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    collected_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancel_reason = models.CharField(_("motif d'annulation"), max_length=16, choices=CancelReason.choices, blank=True)

    class Meta:
        ordering = ["order", "shop__name", "pk"]
        verbose_name = _("part d'un commerce")
        verbose_name_plural = _("parts des commerces")
        constraints = [
            models.UniqueConstraint(fields=["order", "shop"], name="shop_order_one_per_shop"),
            models.CheckConstraint(
                condition=Q(status__in=ShopOrderStatus.values), name="shop_order_status_known"
            ),
            models.CheckConstraint(
                condition=(Q(status=ShopOrderStatus.CANCELLED) & ~Q(cancel_reason=""))
                | (~Q(status=ShopOrderStatus.CANCELLED) & Q(cancel_reason="")),
                name="shop_order_cancel_reason_iff_cancelled",
            ),
            models.CheckConstraint(
                condition=Q(total_incl_tax__gte=0) & Q(total_excl_tax__gte=0), name="shop_order_totals_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["shop", "status"], name="shop_order_shop_status"),
        ]
        permissions = [
            ("handover_at_point", _("Remettre les commandes au point de retrait ou à la consigne")),
        ]

    def __str__(self) -> str:
        return f"{self.order.number} — {self.shop}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def collected_at_shop(self) -> bool:
        return self.order.fulfilment_mode == FulfilmentMode.AT_SHOPS


class ShopOrderEvent(models.Model):
    """Audit trail: who moved a shop order from one state to another, and when."""

    shop_order = models.ForeignKey(ShopOrder, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("de"), max_length=16, choices=ShopOrderStatus.choices, blank=True)
    to_status = models.CharField(_("vers"), max_length=16, choices=ShopOrderStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("étape d'une part")
        verbose_name_plural = _("étapes des parts")

    def __str__(self) -> str:
        return f"{self.shop_order} : {self.from_status or '—'} → {self.to_status}"


from oscar.apps.order.models import *  # noqa: E402,F403
