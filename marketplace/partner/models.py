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


from oscar.apps.partner.models import *  # noqa: E402,F403
