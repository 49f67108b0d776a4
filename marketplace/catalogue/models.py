from decimal import Decimal

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct, AbstractProductClass


class VatRate(models.TextChoices):
    """French VAT rates (CGI art. 278 ff.)."""

    NORMAL = "20.00", _("Taux normal 20 %")
    INTERMEDIATE = "10.00", _("Taux intermédiaire 10 %")
    REDUCED = "5.50", _("Taux réduit 5,5 %")
    SUPER_REDUCED = "2.10", _("Taux particulier 2,1 %")


class ProductClass(AbstractProductClass):
    vat_rate = models.DecimalField(
        _("taux de TVA (%)"),
        max_digits=4,
        decimal_places=2,
        choices=[(Decimal(value), label) for value, label in VatRate.choices],
        default=Decimal(VatRate.NORMAL),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Les prix des produits de cette classe s'entendent TVA comprise à ce taux."),
    )

    class Meta(AbstractProductClass.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(vat_rate__gte=0, vat_rate__lt=100), name="productclass_vat_rate_range"
            )
        ]


class Product(AbstractProduct):
    # Written by PostgreSQL triggers (this app's migration 0034, search migration
    # 0003), bulk_create and raw SQL included: title A; category names with their
    # ancestors and the selling shops' names and trades B; class and attribute
    # values C; description D; ``french_unaccent`` (accents folded, French stems).
    # Always NULL on SQLite: the demo's FTS5 index (marketplace.search.sqlite_index).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta(AbstractProduct.Meta):
        indexes = [
            GinIndex(fields=["search_vector"], name="product_search_vector_gin"),
            # Trigram index for the "Vouliez-vous dire ?" suggestions.
            GinIndex(fields=["title"], opclasses=["gin_trgm_ops"], name="product_title_trgm_gin"),
        ]


from oscar.apps.catalogue.models import *  # noqa: E402,F403
