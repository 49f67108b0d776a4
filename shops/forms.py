from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shops.models import Trade

TRUE_VALUES = frozenset({"1", "on", "true", "oui"})
FALSE_VALUES = frozenset({"", "0", "off", "false", "non"})


def _is_true(value) -> bool:
    return value is True or str(value).strip().lower() in TRUE_VALUES


class _QueryCheckbox(forms.CheckboxInput):
    """A checkbox that hands the raw query-string value to its field (Django's says "0" is true)."""

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=_is_true)

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class QueryBooleanField(forms.BooleanField):
    """``?ouvert=1`` / ``0`` / ``on`` / ``true``…; anything else is an error, not a guess."""

    widget = _QueryCheckbox
    default_error_messages = {"invalid": _("Valeur inconnue pour ce filtre.")}

    def to_python(self, value):
        if value is None or value is False:
            return False
        if _is_true(value):
            return True
        if str(value).strip().lower() in FALSE_VALUES:
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class ShopFilterForm(forms.Form):
    """The directory's filters, read from the query string (?metier=…&ouvert=1)."""

    metier = forms.ChoiceField(
        label=_("Métier"),
        required=False,
        choices=[("", _("Tous les métiers"))] + list(Trade.choices),
        error_messages={"invalid_choice": _("Métier inconnu : tous les commerces sont affichés.")},
        widget=forms.Select(attrs={"class": "form-control"}),
    )
    ouvert = QueryBooleanField(
        label=_("Ouverts maintenant seulement"),
        required=False,
        error_messages={"invalid": _("Filtre « ouvert maintenant » inconnu : il n’est pas appliqué.")},
        widget=_QueryCheckbox(attrs={"class": "form-check-input", "value": "1"}),
    )
