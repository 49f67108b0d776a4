from __future__ import annotations

from django import forms
from django.utils.text import slugify

from shops import validation
from shops.models import Shop, Trade


class ShopCreateForm(forms.Form):
    name = forms.CharField(label="Nom du commerce", max_length=128)
    trade = forms.ChoiceField(label="Métier", choices=Trade.choices)
    line1 = forms.CharField(label="Adresse", max_length=255)
    postcode = forms.CharField(label="Code postal", max_length=10)
    city = forms.CharField(label="Ville", max_length=128)
    phone = forms.CharField(label="Téléphone", max_length=32, required=False)
    email = forms.EmailField(label="E-mail du commerce", required=False)
    owner_email = forms.EmailField(
        label="E-mail du gérant", help_text="Il reçoit une invitation pour créer son compte ou rejoindre le commerce."
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        slug = slugify(name)
        if not slug:
            raise forms.ValidationError("Le nom doit contenir au moins une lettre ou un chiffre.")
        from marketplace.partner.models import Partner

        if Shop.objects.filter(slug=slug).exists() or Partner.objects.filter(code=slug[:128]).exists():
            raise forms.ValidationError("Un commerce porte déjà ce nom.")
        return name

    def clean_postcode(self) -> str:
        return _message_of(validation.postcode_validated, self.cleaned_data["postcode"])

    def clean_phone(self) -> str:
        return _message_of(validation.phone_normalised, self.cleaned_data.get("phone", ""))


def _message_of(check, value):
    """A ``shops.validation`` check from a ``clean_<field>``: its French message, without its key."""
    try:
        return check(value)
    except forms.ValidationError as error:
        raise forms.ValidationError([m for messages in error.message_dict.values() for m in messages]) from None
