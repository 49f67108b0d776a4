from django import forms
from django.utils.translation import gettext_lazy as _

MAX_QUERY_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("Un produit, un commerce…"), "type": "search"}),
        error_messages={"max_length": _("La recherche est limitée à %(limit_value)d caractères.")},
    )
