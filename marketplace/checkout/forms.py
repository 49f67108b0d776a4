"""Checkout forms: the shopper's contact and how they collect; the slot choice is read by the view."""
from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from logistics.models import CollectionPoint, PointKind
from marketplace.order.models import FulfilmentMode

def shared_points() -> list[CollectionPoint]:
    """The town points and locker banks shoppers may collect everything at, town points first."""
    return list(
        CollectionPoint.objects.filter(kind__in=(PointKind.TOWN_POINT, PointKind.LOCKER_BANK), is_active=True)
        .order_by("-kind", "name", "pk")
    )


_PHONE = re.compile(r"^(?:\+33|0033|0)[1-9](?:\d{8})$")


def phone_normalised(value: str) -> str:
    """A French phone number as "06 12 34 56 78" (or "+33 6 12 34 56 78"); ``ValueError`` otherwise."""
    compact = re.sub(r"[\s.\-()]", "", value or "")
    if not compact:
        return ""
    if not _PHONE.match(compact):
        raise ValueError(compact)
    digits = compact[-9:]
    if compact.startswith("0") and not compact.startswith("00"):
        return "0" + " ".join([digits[0]] + [digits[i:i + 2] for i in range(1, 9, 2)])
    return "+33 " + " ".join([digits[0]] + [digits[i:i + 2] for i in range(1, 9, 2)])


class ContactForm(forms.Form):
    """Who orders (a guest gives an e-mail) and how the basket is collected."""

    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        help_text="Pour la confirmation et l'avis « commande prête ».",
        error_messages={"required": "Indiquez votre adresse e-mail.", "invalid": "Cette adresse e-mail n'est pas valable."},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    phone = forms.CharField(
        label="Téléphone (facultatif)",
        required=False,
        max_length=32,
        help_text="Si un commerçant doit vous joindre au sujet de votre commande.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    mode = forms.ChoiceField(
        label="Comment retirez-vous vos achats ?",
        choices=[
            (FulfilmentMode.AT_SHOPS, "Retrait dans chaque commerce, à son comptoir"),
            (FulfilmentMode.AT_POINT, "Tout retirer en une fois, au point de retrait ou à la consigne"),
            (FulfilmentMode.DELIVERY, _("Livraison à domicile, tout le panier en une fois")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez comment retirer votre commande.",
            "invalid_choice": "Choisissez comment retirer votre commande.",
        },
    )
    point = forms.TypedChoiceField(
        label="Point de retrait",
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choisissez un des points de retrait proposés."},
    )

    def __init__(self, *args, user=None, points=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.points = {p.pk: p for p in (points if points is not None else shared_points())}
        self.fields["point"].choices = [
            (p.pk, f"{p.name} — {p.address}" if p.address else p.name) for p in self.points.values()
        ]
        if user is not None and user.is_authenticated:
            del self.fields["email"]

    def clean_point(self):
        point_id = self.cleaned_data.get("point")
        return self.points.get(point_id) if point_id not in (None, "") else None

    def clean_phone(self):
        try:
            return phone_normalised(self.cleaned_data.get("phone", ""))
        except ValueError:
            raise forms.ValidationError(
                "Ce numéro n'est pas un numéro français valable (ex. 06 12 34 56 78)."
            ) from None

    def clean(self):
        data = super().clean()
        if data.get("mode") == FulfilmentMode.AT_POINT and not data.get("point"):
            if "point" not in self.errors:
                self.add_error("point", "Choisissez le point de retrait ou la consigne.")
        if data.get("mode") == FulfilmentMode.AT_SHOPS:
            data["point"] = None
        return data
