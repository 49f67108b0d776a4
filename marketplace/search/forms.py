"""Search box and listing filters, read from the query string.

Bad input never raises: an invalid field gets a French message shown in the
page and is simply not applied; the other filters still are.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from marketplace.catalogue.models import Category
from marketplace.search.text import query_clean

MAX_QUERY_LENGTH = 200
MAX_PRICE = Decimal("99999999.99")
MAX_INT = 2_147_483_647  # an AutoField; a larger number would make PostgreSQL raise


class Sort:
    RELEVANCE = "pertinence"
    PRICE_ASC = "prix-croissant"
    PRICE_DESC = "prix-decroissant"
    NEWEST = "nouveautes"
    NAME = "nom"

    LABELS = {
        RELEVANCE: _("Pertinence"),
        PRICE_ASC: _("Prix croissant"),
        PRICE_DESC: _("Prix décroissant"),
        NEWEST: _("Nouveautés"),
        NAME: _("Nom"),
    }

    @classmethod
    def choices(cls, *, search: bool) -> list[tuple[str, str]]:
        return [(key, label) for key, label in cls.LABELS.items() if search or key != cls.RELEVANCE]


class QueryField(forms.CharField):
    """Free text: normalised, control characters (NUL included) removed before validation."""

    def to_python(self, value):
        value = super().to_python(value)
        return query_clean(value) if value else value


class SearchForm(forms.Form):
    q = QueryField(
        label=_("Rechercher"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("Un produit, un commerce…"), "type": "search"}),
        error_messages={"max_length": _("La recherche est limitée à %(limit_value)d caractères.")},
    )


@dataclass(frozen=True)
class ProductFilters:
    """What a listing is narrowed to and how it is sorted; ``None`` means "not filtered"."""

    sort: str
    shop: str | None = None
    category: Category | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool = False


def _price_field(label, message):
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_PRICE,
        max_digits=10,
        decimal_places=2,
        localize=True,  # "12,50" as well as "12.50"
        widget=forms.TextInput(
            attrs={
                "inputmode": "decimal",
                "size": 6,
                "autocomplete": "off",
                "class": "form-control form-control-sm",
            }
        ),
        error_messages={
            key: message
            for key in (
                "invalid",
                "min_value",
                "max_value",
                "max_digits",
                "max_decimal_places",
                "max_whole_digits",
            )
        },
    )


class ProductFilterForm(forms.Form):
    """Filters and sort of a listing (category pages, all products, search results)."""

    shop = forms.SlugField(
        label=_("Commerce"),
        required=False,
        max_length=140,
        error_messages={key: _("Ce commerce n'existe pas.") for key in ("invalid", "max_length")},
    )
    category = forms.IntegerField(
        label=_("Rayon"),
        required=False,
        min_value=1,
        max_value=MAX_INT,
        error_messages={
            key: _("Ce rayon n'existe pas.") for key in ("invalid", "min_value", "max_value")
        },
    )
    price_min = _price_field(
        _("Prix minimum (€)"), _("Le prix minimum doit être un nombre positif.")
    )
    price_max = _price_field(
        _("Prix maximum (€)"), _("Le prix maximum doit être un nombre positif.")
    )
    in_stock = forms.CharField(label=_("En stock uniquement"), required=False)
    sort = forms.CharField(label=_("Trier par"), required=False, widget=forms.Select)

    def __init__(self, *args, search: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_sort = Sort.RELEVANCE if search else Sort.NEWEST
        self.fields["sort"].widget.choices = Sort.choices(search=search)
        # A NUL in these is just an unknown value: one message (shop) or none.
        for name in ("shop", "in_stock", "sort"):
            field = self.fields[name]
            field.validators = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ]

    def clean_in_stock(self) -> bool:
        # The checkbox sends "1"; "0", "" or anything else means "not only in stock".
        return self.cleaned_data.get("in_stock", "").lower() in ("1", "on", "true", "oui")

    def clean_sort(self):
        # An unknown sort key (old link, hand-edited URL) silently gives the default.
        value = self.cleaned_data.get("sort")
        return value if value in dict(self.fields["sort"].widget.choices) else self.default_sort

    def clean_category(self):
        pk = self.cleaned_data.get("category")
        if pk is None:
            return None
        category = Category.objects.filter(pk=pk, is_public=True).first()
        if category is None:
            raise forms.ValidationError(_("Ce rayon n'existe pas."), code="unknown")
        return category

    def clean(self):
        data = super().clean()
        low, high = data.get("price_min"), data.get("price_max")
        if low is not None and high is not None and low > high:
            message = _("Le prix minimum doit être inférieur ou égal au prix maximum.")
            self.add_error(None, message)
            data.pop("price_min", None)
            data.pop("price_max", None)
        return data

    def filters(self) -> ProductFilters:
        """The valid part of the input, whatever is wrong with the rest."""
        self.is_valid()
        data = self.cleaned_data
        return ProductFilters(
            sort=data.get("sort") or self.default_sort,
            shop=data.get("shop") or None,
            category=data.get("category"),
            price_min=data.get("price_min"),
            price_max=data.get("price_max"),
            in_stock=bool(data.get("in_stock")),
        )

    def error_messages(self) -> list[str]:
        """Every message to show, once each, in field order."""
        messages = []
        for errors in self.errors.values():
            for message in errors:
                if message not in messages:
                    messages.append(message)
        return messages
