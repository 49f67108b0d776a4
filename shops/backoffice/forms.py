"""Forms of the merchant back-office: French labels, French decimal comma, phone-friendly widgets."""
from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError

from marketplace.catalogue.models import Category, ProductClass
from shops import validation
from shops.importers.csv_stock import price_parse
from shops.models import Shop, Weekday

_INPUT = {"class": "form-control"}
_PHOTO_INPUT = {"accept": "image/png,image/jpeg,image/webp", "class": "form-control-file"}


class FrenchPriceField(forms.Field):
    """A price incl. VAT typed as "3,50", "3.50" or "3,50 €"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={**_INPUT, "inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value) -> Decimal | None:
        text = "" if value is None else str(value).strip()
        if text in self.empty_values:
            return None
        price = price_parse(text[:30])
        if price is None:
            raise ValidationError("Format de prix invalide (exemple : 3,50).", code="invalid")
        return price

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        return value


def _field_checked(check, value, **kwargs):
    """Run a ``shops.validation`` check from a ``clean_<field>``: its message, without its key."""
    try:
        return check(value, **kwargs)
    except ValidationError as error:
        raise ValidationError([m for messages in error.message_dict.values() for m in messages]) from None


def _stock_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        min_value=0,
        max_value=1_000_000,
        error_messages={"min_value": "Le stock ne peut pas être négatif.", "invalid": "Saisissez un nombre entier."},
        widget=forms.NumberInput(attrs={**_INPUT, "inputmode": "numeric", "min": 0}),
        **kwargs,
    )


class ShopChooseForm(forms.Form):
    shop = forms.IntegerField(widget=forms.HiddenInput)


class ShopProfileForm(forms.ModelForm):
    """The shop's profile; the same checks as ``shop_profile_update`` (``shops.validation``)."""

    preparation_minutes = forms.IntegerField(
        label="Temps de préparation (minutes)", min_value=0, max_value=validation.PREPARATION_MAX_MINUTES,
        error_messages={"min_value": "Le temps de préparation ne peut pas être négatif.",
                        "max_value": "Le temps de préparation ne peut pas dépasser 7 jours (10 080 minutes).",
                        "invalid": "Saisissez un nombre entier de minutes.",
                        "required": "Indiquez le temps de préparation, en minutes."},
        widget=forms.NumberInput(attrs={**_INPUT, "inputmode": "numeric", "min": 0}),
    )
    daily_order_cap = forms.IntegerField(
        label="Commandes maximum par jour", required=False, min_value=1, max_value=validation.DAILY_ORDER_CAP_MAX,
        help_text="Laissez vide pour ne pas limiter.",
        error_messages={"min_value": "Au moins une commande par jour (ou laissez vide pour ne pas limiter).",
                        "max_value": "Au plus 10 000 commandes par jour.",
                        "invalid": "Saisissez un nombre entier de commandes."},
        widget=forms.NumberInput(attrs={**_INPUT, "inputmode": "numeric", "min": 1}),
    )

    class Meta:
        model = Shop
        fields = (
            "description", "line1", "postcode", "city", "phone", "email",
            "preparation_minutes", "daily_order_cap", "vacation_mode",
        )
        widgets: ClassVar[dict] = {
            "description": forms.Textarea(attrs={**_INPUT, "rows": 6, "maxlength": validation.DESCRIPTION_MAX_CHARS}),
            "line1": forms.TextInput(attrs={**_INPUT, "autocomplete": "street-address"}),
            "postcode": forms.TextInput(attrs={**_INPUT, "inputmode": "numeric", "autocomplete": "postal-code",
                                               "maxlength": 5}),
            "city": forms.TextInput(attrs={**_INPUT, "autocomplete": "address-level2"}),
            "phone": forms.TextInput(attrs={**_INPUT, "type": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={**_INPUT, "autocomplete": "email"}),
        }
        help_texts: ClassVar[dict] = {
            "description": "Mise en forme simple acceptée : gras, italique, listes, liens (2 000 caractères au plus).",
            "phone": "Un numéro français, par exemple 02 38 12 34 56.",
        }

    def clean_description(self) -> str:
        return _field_checked(validation.description_checked, self.cleaned_data.get("description", ""))

    def clean_postcode(self) -> str:
        return _field_checked(validation.postcode_validated, self.cleaned_data.get("postcode", ""))

    def clean_phone(self) -> str:
        return _field_checked(validation.phone_normalised, self.cleaned_data.get("phone", ""))


class OpeningPeriodForm(forms.Form):
    weekday = forms.TypedChoiceField(label="Jour", choices=Weekday.choices, coerce=int, widget=forms.Select(attrs=_INPUT))
    opens = forms.TimeField(label="Ouverture", widget=forms.TimeInput(attrs={**_INPUT, "type": "time"}, format="%H:%M"))
    closes = forms.TimeField(label="Fermeture", widget=forms.TimeInput(attrs={**_INPUT, "type": "time"}, format="%H:%M"))

    def clean(self):
        data = super().clean()
        if data.get("opens") and data.get("closes") and data["opens"] >= data["closes"]:
            raise ValidationError("L'heure de fermeture doit être après l'heure d'ouverture.")
        return data

    def has_changed(self) -> bool:
        """The day list always sends a day: an empty extra row (no time typed) is left out
        rather than refused (a new shop could not save its first hours otherwise)."""
        return any(name in self.changed_data for name in ("opens", "closes")) or (
            bool(self.initial) and "weekday" in self.changed_data
        )


class _OpeningHoursBaseFormSet(forms.BaseFormSet):
    def periods(self) -> list[tuple]:
        """(weekday, opens, closes) of the filled-in periods not marked for deletion."""
        return [
            (f.cleaned_data["weekday"], f.cleaned_data["opens"], f.cleaned_data["closes"])
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]

    def clean(self):
        super().clean()
        if not any(form.errors for form in self.forms):
            validation.opening_periods_checked(self.periods())


OpeningHoursFormSet = forms.formset_factory(
    OpeningPeriodForm, formset=_OpeningHoursBaseFormSet, extra=2, can_delete=True, max_num=28, validate_max=True
)


class ClosureForm(forms.Form):
    starts_at = forms.DateTimeField(label="Début", widget=forms.DateTimeInput(attrs={**_INPUT, "type": "datetime-local"}))
    ends_at = forms.DateTimeField(label="Fin", widget=forms.DateTimeInput(attrs={**_INPUT, "type": "datetime-local"}))
    reason = forms.CharField(label="Motif", required=False, max_length=200, widget=forms.TextInput(attrs=_INPUT))

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at"):
            try:
                validation.closure_range_checked(starts_at=data["starts_at"], ends_at=data["ends_at"])
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field, messages)
        return data


class PhotoForm(forms.Form):
    image = forms.FileField(label="Photo (PNG, JPEG ou WebP, 10 Mo maximum)",
                            widget=forms.ClearableFileInput(attrs=_PHOTO_INPUT))
    alt_text = forms.CharField(label="Description de la photo", max_length=200, widget=forms.TextInput(attrs=_INPUT),
                               help_text="Pour les personnes qui ne voient pas l'image, ex. « La vitrine de la boutique ».")


class OfferRowForm(forms.Form):
    offer = forms.IntegerField(widget=forms.HiddenInput)
    price = FrenchPriceField(label="Prix TTC (€)", required=False)
    num_in_stock = _stock_field(label="Stock", required=False)


OfferBulkFormSet = forms.formset_factory(OfferRowForm, extra=0, max_num=100, validate_max=True)


class OfferSearchForm(forms.Form):
    q = forms.CharField(label="Rechercher (titre ou SKU)", required=False, max_length=100,
                        widget=forms.TextInput(attrs={**_INPUT, "type": "search", "placeholder": "Rechercher un produit ou un SKU"}))
    stock = forms.ChoiceField(
        label="Filtre", required=False,
        choices=[("", "En vente"), ("bas", "Stock bas"), ("rupture", "En rupture"), ("archives", "Archivés")],
        widget=forms.Select(attrs=_INPUT),
    )


class _ProductForm(forms.Form):
    """A product and this shop's offer of it, as the merchant fills them in (create and edit)."""

    title = forms.CharField(label="Nom du produit", max_length=255, widget=forms.TextInput(attrs=_INPUT))
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={**_INPUT, "rows": 4}))
    category = forms.ModelChoiceField(label="Rayon", queryset=Category.objects.order_by("path"), required=False,
                                      widget=forms.Select(attrs=_INPUT))
    product_class = forms.ModelChoiceField(label="Type de produit (taux de TVA)", queryset=ProductClass.objects.order_by("name"),
                                           widget=forms.Select(attrs=_INPUT))
    price = FrenchPriceField(label="Prix TTC (€)")
    num_in_stock = _stock_field(label="Stock")
    sku = forms.CharField(label="SKU (votre référence)", max_length=128, widget=forms.TextInput(attrs=_INPUT))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_class"].label_from_instance = lambda pc: f"{pc.name} — TVA {pc.vat_rate} %".replace(".", ",")


class ProductCreateForm(_ProductForm):
    image = forms.FileField(label="Photo (facultative)", required=False,
                            widget=forms.ClearableFileInput(attrs=_PHOTO_INPUT))


class StockImportForm(forms.Form):
    file = forms.FileField(label="Fichier CSV (colonnes sku;prix;stock)",
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv", "class": "form-control-file"}))


class InvitationForm(forms.Form):
    email = forms.EmailField(label="E-mail de la personne à inviter", max_length=254,
                             error_messages={"invalid": "Adresse e-mail invalide."},
                             widget=forms.EmailInput(attrs={**_INPUT, "autocomplete": "off"}))


class ApiTokenForm(forms.Form):
    name = forms.CharField(label="Nom du jeton", max_length=100,
                           help_text="Pour le reconnaître plus tard, par exemple « Caisse du comptoir ».",
                           widget=forms.TextInput(attrs={**_INPUT, "autocomplete": "off"}))


class InvitationAccountForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150, widget=forms.TextInput(attrs={**_INPUT, "autocomplete": "given-name"}))
    last_name = forms.CharField(label="Nom", max_length=150, widget=forms.TextInput(attrs={**_INPUT, "autocomplete": "family-name"}))
    password = forms.CharField(label="Mot de passe", strip=False,
                               help_text="Au moins 8 caractères, pas uniquement des chiffres.",
                               widget=forms.PasswordInput(attrs={**_INPUT, "autocomplete": "new-password"}))
    password_again = forms.CharField(label="Mot de passe (confirmation)", strip=False,
                                     widget=forms.PasswordInput(attrs={**_INPUT, "autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", "Les deux mots de passe ne sont pas identiques.")
        return data


class ProductEditForm(_ProductForm):
    """A product and this shop's offer of it; product fields are disabled when another shop sells it too."""

    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={**_INPUT, "rows": 5}),
                                  help_text="Mise en forme simple acceptée : gras, italique, listes, liens.")

    PRODUCT_FIELDS = ("title", "description", "category", "product_class")

    def __init__(self, *args, shared: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if shared:
            for name in self.PRODUCT_FIELDS:
                self.fields[name].disabled = True


class ProductImageForm(forms.Form):
    image = forms.FileField(label="Photo (PNG, JPEG ou WebP, 10 Mo maximum)",
                            widget=forms.ClearableFileInput(attrs=_PHOTO_INPUT))
    caption = forms.CharField(label="Description de la photo", max_length=200, required=False, widget=forms.TextInput(attrs=_INPUT),
                              help_text="Pour les personnes qui ne voient pas l'image ; par défaut le nom du produit.")


class OrderHistoryForm(forms.Form):
    """Search and filters of the merchant's order history (GET): every value checked, a French
    message for each refused one, and the history shown unfiltered by it meanwhile."""

    q = forms.CharField(label="N° de commande ou client", required=False, max_length=100,
                        widget=forms.TextInput(attrs={**_INPUT, "type": "search", "placeholder": "N° de commande, nom ou e-mail"}))
    du = forms.DateField(label="Passée du", required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                         error_messages={"invalid": "Date de début invalide : utilisez le format jj/mm/aaaa."},
                         widget=forms.DateInput(attrs={**_INPUT, "type": "date"}, format="%Y-%m-%d"))
    au = forms.DateField(label="au", required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                         error_messages={"invalid": "Date de fin invalide : utilisez le format jj/mm/aaaa."},
                         widget=forms.DateInput(attrs={**_INPUT, "type": "date"}, format="%Y-%m-%d"))
    statut = forms.ChoiceField(label="Statut", required=False,
                               error_messages={"invalid_choice": "Statut inconnu : choisissez-en un dans la liste."},
                               widget=forms.Select(attrs=_INPUT))

    def __init__(self, *args, **kwargs):
        from marketplace.order.models import ShopOrderStatus

        super().__init__(*args, **kwargs)
        self.fields["statut"].choices = [("", "Tous les statuts"), *ShopOrderStatus.choices]
        self.fields["q"].error_messages["max_length"] = "Recherche trop longue (100 caractères au plus)."

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and start > end:
            self.add_error("au", "La date de fin précède la date de début.")
        for field in ("du", "au"):
            day = cleaned.get(field)
            if day and not 2000 <= day.year <= 2100:
                self.add_error(field, "Date hors de la période possible (2000 à 2100).")
        return cleaned

    def filters(self) -> dict:
        """The valid filters, as ``shop_orders_history`` takes them (refused ones left out)."""
        valid = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        refused = set(self.errors)
        return {
            "query": "" if "q" in refused else valid.get("q", ""),
            "placed_from": None if refused & {"du", "au"} else valid.get("du"),
            "placed_to": None if refused & {"du", "au"} else valid.get("au"),
            "status": "" if "statut" in refused else valid.get("statut", ""),
        }
