"""The agenda, the town's page, the newsletter: what the manager types."""
from __future__ import annotations

from django import forms

from marketplace.town.models import Newsletter, TownEvent, TownPage
from marketplace.town.validation import phone_normalise

_INPUT = {"class": "form-control"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={**_INPUT, **(attrs or {})}, format=DATETIME_FORMAT)


def _when(label: str, *, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=required, widget=LocalDateTimeInput(), help_text=help_text,
        input_formats=[DATETIME_FORMAT, "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": "Indiquez la date et l'heure.", "invalid": "Date et heure invalides (jj/mm/aaaa hh:mm)."},
    )


class EventForm(forms.ModelForm):
    starts_at = _when("Début")
    ends_at = _when("Fin")
    link = forms.URLField(label="Lien pour en savoir plus", required=False, assume_scheme="https",
                          widget=forms.URLInput(attrs=_INPUT), error_messages={"invalid": "Adresse web invalide (https://…)."})
    publish_at = _when("Visible sur la page d'accueil à partir du", required=False,
                       help_text="Vide : dès l'enregistrement (si « publié » est coché).")

    class Meta:
        model = TownEvent
        fields = ["kind", "title", "summary", "description", "place", "starts_at", "ends_at", "link", "is_published",
                  "publish_at"]
        widgets = {
            "kind": forms.Select(attrs=_INPUT),
            "title": forms.TextInput(attrs=_INPUT),
            "summary": forms.TextInput(attrs=_INPUT),
            "description": forms.Textarea(attrs={**_INPUT, "rows": 5}),
            "place": forms.TextInput(attrs=_INPUT),
            "link": forms.URLInput(attrs=_INPUT),
            "is_published": forms.CheckboxInput(attrs={"class": "form-check-input"}),
        }
        labels = {"kind": "Type", "title": "Titre", "summary": "Résumé (page d'accueil)", "description": "Description",
                  "place": "Lieu", "link": "Lien pour en savoir plus", "is_published": "Publié"}
        help_texts = {"description": "Paragraphes, gras, italique, listes et liens ; le reste est retiré."}
        error_messages = {
            "title": {"required": "Donnez un titre.", "max_length": "120 caractères au plus."},
            "summary": {"max_length": "300 caractères au plus."},
            "link": {"invalid": "Adresse web invalide (https://…)."},
        }


class TownPageForm(forms.ModelForm):
    class Meta:
        model = TownPage
        fields = ["title", "about", "address", "contact_email", "contact_phone"]
        widgets = {
            "title": forms.TextInput(attrs=_INPUT),
            "about": forms.Textarea(attrs={**_INPUT, "rows": 8}),
            "address": forms.TextInput(attrs=_INPUT),
            "contact_email": forms.EmailInput(attrs=_INPUT),
            "contact_phone": forms.TextInput(attrs={**_INPUT, "type": "tel"}),
        }
        labels = {"title": "Titre", "about": "Présentation", "address": "Adresse de l'office du centre-ville",
                  "contact_email": "E-mail de contact", "contact_phone": "Téléphone de contact"}
        error_messages = {"title": {"required": "Donnez un titre."}, "contact_email": {"invalid": "Adresse e-mail invalide."}}

    def clean_contact_phone(self):
        phone = self.cleaned_data.get("contact_phone", "").strip()
        return phone_normalise(phone) if phone else ""


class NewsletterForm(forms.ModelForm):
    class Meta:
        model = Newsletter
        fields = ["subject", "body"]
        widgets = {"subject": forms.TextInput(attrs=_INPUT), "body": forms.Textarea(attrs={**_INPUT, "rows": 10})}
        labels = {"subject": "Objet", "body": "Texte"}
        help_texts = {"body": "Paragraphes, gras, italique, listes et liens ; le lien de désabonnement est ajouté à chaque envoi."}
        error_messages = {"subject": {"required": "Donnez un objet à la lettre.", "max_length": "150 caractères au plus."},
                          "body": {"required": "Écrivez le texte de la lettre."}}
