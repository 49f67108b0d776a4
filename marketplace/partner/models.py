from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractStockRecord


class StockRecord(AbstractStockRecord):
    """One shop's offer of one product: its price (incl. VAT) and its stock."""

    class Meta(AbstractStockRecord.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(num_allocated__isnull=True)
                | Q(num_allocated__gte=0, num_in_stock__isnull=True)
                | Q(num_allocated__gte=0, num_allocated__lte=F("num_in_stock")),
                name="stockrecord_allocated_within_stock",
                violation_error_message=_("Le stock alloué dépasse le stock disponible."),
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0),
                name="stockrecord_price_not_negative",
                violation_error_message=_("Le prix ne peut pas être négatif."),
            ),
            models.UniqueConstraint(
                fields=["partner", "product"], name="stockrecord_one_per_shop_and_product"
            ),
        ]


class StockHoldStatus(models.TextChoices):
    HELD = "held", _("retenu")
    RELEASED = "released", _("libéré")
    CONVERTED = "converted", _("commandé")


class StockHold(models.Model):
    """Units of an offer kept for a basket while its shopper pays; expire by themselves.

    A ``held`` hold counts in ``StockRecord.num_allocated`` (so every availability
    check already excludes it, and the ``stockrecord_allocated_within_stock``
    constraint covers it) until it is released (expiry, basket changed) or
    converted: the order placed keeps the units allocated to its lines.
    """

    stockrecord = models.ForeignKey(
        StockRecord, on_delete=models.CASCADE, related_name="holds", verbose_name=_("offre")
    )
    basket_id = models.CharField(_("panier"), max_length=64)
    quantity = models.PositiveIntegerField(_("quantité"))
    expires_at = models.DateTimeField(_("expire le"))
    status = models.CharField(
        _("statut"), max_length=16, choices=StockHoldStatus.choices, default=StockHoldStatus.HELD
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("stock retenu")
        verbose_name_plural = _("stocks retenus")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="stock_hold_quantity_positive"),
            models.CheckConstraint(condition=Q(status__in=StockHoldStatus.values), name="stock_hold_status_known"),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="stock_hold_status_expiry"),
            models.Index(fields=["basket_id", "status"], name="stock_hold_basket_status"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.stockrecord_id} — panier {self.basket_id} ({self.get_status_display()})"


from oscar.apps.partner.models import *  # noqa: E402,F403
