"""The public « Rejoindre Halle » form and the manager's decisions on an application."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from marketplace.town.models import Fulfilment
from marketplace.town.validation import (
    phone_display,
    phone_normalise,
    postcode_normalise,
    siret_normalise,
)
from shops.models import Trade

_INPUT = {"class": "form-control"}
REQUIRED = {"required": "Ce champ est obligatoire."}


class ApplicationForm(forms.Form):
    shop_name = forms.CharField(label="Nom du commerce", max_length=128, widget=forms.TextInput(attrs=_INPUT),
                                error_messages=REQUIRED)
    trade = forms.ChoiceField(label="Métier", choices=[("", "— choisissez —"), *Trade.choices],
                              widget=forms.Select(attrs=_INPUT),
                              error_messages={**REQUIRED, "invalid_choice": "Choisissez votre métier dans la liste."})
    line1 = forms.CharField(label="Adresse du commerce", max_length=255,
                            widget=forms.TextInput(attrs={**_INPUT, "autocomplete": "street-address"}),
                            error_messages=REQUIRED)
    postcode = forms.CharField(label="Code postal", max_length=10,
                               widget=forms.TextInput(attrs={**_INPUT, "inputmode": "numeric", "autocomplete": "postal-code"}),
                               error_messages=REQUIRED)
    city = forms.CharField(label="Ville", max_length=128, widget=forms.TextInput(attrs={**_INPUT, "autocomplete": "address-level2"}),
                           error_messages=REQUIRED)
    siret = forms.CharField(label="SIRET", max_length=20, help_text="14 chiffres, sur votre extrait Kbis ou avis de situation INSEE.",
                            widget=forms.TextInput(attrs={**_INPUT, "inputmode": "numeric"}), error_messages=REQUIRED)
    contact_name = forms.CharField(label="Votre nom", max_length=150, widget=forms.TextInput(attrs={**_INPUT, "autocomplete": "name"}),
                                   error_messages=REQUIRED)
    contact_email = forms.EmailField(label="Votre e-mail", widget=forms.EmailInput(attrs={**_INPUT, "autocomplete": "email"}),
                                     help_text="Vous y recevrez nos réponses, puis l'invitation à créer votre compte.",
                                     error_messages={**REQUIRED, "invalid": "Adresse e-mail invalide."})
    contact_phone = forms.CharField(label="Votre téléphone", max_length=30,
                                    widget=forms.TextInput(attrs={**_INPUT, "type": "tel", "autocomplete": "tel"}),
                                    error_messages=REQUIRED)
    products = forms.CharField(label="Ce que vous vendez", max_length=2000,
                               widget=forms.Textarea(attrs={**_INPUT, "rows": 4}),
                               help_text="Vos produits, leur nombre approximatif, vos spécialités.",
                               error_messages={**REQUIRED, "max_length": "2 000 caractères au plus."})
    fulfilment = forms.MultipleChoiceField(
        label="Comment souhaitez-vous remettre vos commandes ?", choices=Fulfilment.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": "Choisissez au moins une façon de remettre vos commandes.",
                        "invalid_choice": "Choix inconnu."},
    )
    message = forms.CharField(label="Un mot pour le centre-ville (facultatif)", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={**_INPUT, "rows": 3}),
                              error_messages={"max_length": "2 000 caractères au plus."})

    def clean_siret(self):
        return siret_normalise(self.cleaned_data["siret"])

    def clean_postcode(self):
        return postcode_normalise(self.cleaned_data["postcode"])

    def clean_contact_phone(self):
        return phone_normalise(self.cleaned_data["contact_phone"])

    @classmethod
    def initial_from(cls, application) -> dict:
        data = {name: getattr(application, name) for name in cls.base_fields}
        data["contact_phone"] = phone_display(application.contact_phone)
        return data


class JoinForm(ApplicationForm):
    """The first submission: the applicant agrees to what the town does with their data;
    ``website`` is a field people never see (a bot that fills it is turned away)."""

    consent = forms.BooleanField(
        label="J'accepte que le centre-ville utilise ces informations pour étudier ma candidature et me recontacter.",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        error_messages={"required": "Cochez cette case pour que nous puissions étudier votre candidature."},
    )
    website = forms.CharField(required=False, label="Ne pas remplir",
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError("Formulaire refusé.")
        return ""


class ChangesRequestForm(forms.Form):
    message = forms.CharField(label="Ce que le commerçant doit modifier", max_length=2000,
                              widget=forms.Textarea(attrs={**_INPUT, "rows": 3}),
                              error_messages={"required": "Dites au commerçant ce qu'il doit modifier."})


class DeclineForm(forms.Form):
    reason = forms.CharField(label="Motif du refus (envoyé au commerçant)", max_length=2000,
                             widget=forms.Textarea(attrs={**_INPUT, "rows": 3}),
                             error_messages={"required": "Donnez le motif du refus : il est envoyé au commerçant."})
