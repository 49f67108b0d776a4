"""The delivery step's form: who orders, and the address (the window is read by the view)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.checkout.forms import phone_normalised


class DeliveryForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail"), max_length=254,
        error_messages={"required": _("Indiquez votre adresse e-mail."),
                        "invalid": _("Cette adresse e-mail n'est pas valable.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    phone = forms.CharField(
        label=_("Téléphone"), max_length=32,
        help_text=_("Le coursier vous appelle s'il ne trouve pas l'adresse."),
        error_messages={"required": _("Indiquez un téléphone : le coursier doit pouvoir vous joindre.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    street = forms.CharField(
        label=_("Numéro et rue"), max_length=255,
        error_messages={"required": _("Indiquez le numéro et la rue.")},
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    postcode = forms.RegexField(
        label=_("Code postal"), regex=r"^\d{5}$", max_length=5,
        error_messages={"required": _("Indiquez le code postal."),
                        "invalid": _("Le code postal a 5 chiffres (ex. 45210).")},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    town = forms.CharField(
        label=_("Commune"), max_length=128, error_messages={"required": _("Indiquez la commune.")},
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    complement = forms.CharField(
        label=_("Bâtiment, étage, digicode (facultatif)"), max_length=255, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    instructions = forms.CharField(
        label=_("Instructions pour le coursier (facultatif)"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            del self.fields["email"]

    def clean_phone(self):
        try:
            value = phone_normalised(self.cleaned_data.get("phone", ""))
        except ValueError:
            raise forms.ValidationError(_("Ce numéro n'est pas un numéro français valable (ex. 06 12 34 56 78).")) \
                from None
        if not value:
            raise forms.ValidationError(self.fields["phone"].error_messages["required"])
        return value

    def address(self) -> dict:
        data = self.cleaned_data
        return {key: data.get(key, "") for key in ("street", "postcode", "town", "complement", "instructions")}
