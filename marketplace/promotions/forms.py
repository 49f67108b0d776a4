"""What the manager and the merchants type for promotions (checks in the services)."""
from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.catalogue.models import Category, Product
from marketplace.promotions.models import Funder, WhenShort
from marketplace.promotions.services.campaigns import AMOUNT, PERCENTAGE, CampaignInput
from marketplace.town.forms.content import LocalDateTimeInput, _when
from shops.models import Shop

_INPUT = {"class": "form-control"}


def _money(label, *, required=True, help_text=""):
    return forms.DecimalField(label=label, required=required, max_digits=10, decimal_places=2, help_text=help_text,
                              widget=forms.NumberInput(attrs={**_INPUT, "step": "0.01", "inputmode": "decimal"}),
                              error_messages={"invalid": _("Indiquez un montant en euros (par exemple 5,00)."),
                                              "required": _("Indiquez un montant."),
                                              "max_decimal_places": _("Deux chiffres après la virgule au plus.")})


def _count(label, help_text=""):
    return forms.IntegerField(label=label, required=False, min_value=0, help_text=help_text,
                              widget=forms.NumberInput(attrs=_INPUT),
                              error_messages={"invalid": _("Indiquez un nombre entier."),
                                              "min_value": _("Laissez vide ou indiquez au moins 1.")})


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=128, widget=forms.TextInput(attrs=_INPUT),
                           error_messages={"required": _("Donnez un nom à la campagne.")})
    description = forms.CharField(label=_("Description pour les clients"), required=False,
                                  widget=forms.Textarea(attrs={**_INPUT, "rows": 2}))
    starts_at = _when(_("Début"))
    ends_at = _when(_("Fin"))
    benefit = forms.ChoiceField(label=_("Remise"), choices=[(AMOUNT, _("montant en euros")),
                                                            (PERCENTAGE, _("pourcentage"))],
                                widget=forms.Select(attrs=_INPUT))
    value = forms.DecimalField(label=_("Valeur de la remise"), max_digits=10, decimal_places=2,
                               widget=forms.NumberInput(attrs={**_INPUT, "step": "0.01"}),
                               error_messages={"required": _("Indiquez la valeur de la remise."),
                                               "invalid": _("Indiquez un nombre (par exemple 5 ou 10,5).")})
    minimum = _money(_("Dès un panier de (€, chez les commerces participants)"), required=False)
    budget_euros = _money(_("Budget (€)"), required=False,
                          help_text=_("Plafond de la remise totale ; vide : sans plafond."))
    funder = forms.ChoiceField(label=_("Financée par"), choices=Funder.choices, widget=forms.Select(attrs=_INPUT))
    town_share_percent = forms.IntegerField(label=_("Part de la ville si partagé (%)"), required=False,
                                            widget=forms.NumberInput(attrs=_INPUT),
                                            error_messages={"invalid": _("Indiquez un pourcentage entier.")})
    when_short = forms.ChoiceField(label=_("Quand le budget ne suffit plus"), choices=WhenShort.choices,
                                   widget=forms.Select(attrs=_INPUT))
    first_order_only = forms.BooleanField(label=_("Première commande seulement"), required=False)
    max_uses_per_customer = _count(_("Utilisations par client"))
    max_uses = _count(_("Utilisations au total"))
    categories = forms.ModelMultipleChoiceField(label=_("Catégories (vide : tout le catalogue)"), required=False,
                                                queryset=Category.objects.order_by("path"),
                                                widget=forms.SelectMultiple(attrs={**_INPUT, "size": 4}))
    code = forms.CharField(label=_("Code à saisir (facultatif)"), required=False, max_length=64,
                           widget=forms.TextInput(attrs={**_INPUT, "autocapitalize": "characters"}))
    code_uses = forms.IntegerField(label=_("Utilisations du code"), required=False, min_value=1, initial=100,
                                   widget=forms.NumberInput(attrs=_INPUT),
                                   error_messages={"min_value": _("Au moins une utilisation.")})

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"], self.fields["code_uses"]
        for name in ("starts_at", "ends_at"):
            self.fields[name].widget = LocalDateTimeInput()

    def campaign_input(self) -> CampaignInput:
        data = self.cleaned_data
        return CampaignInput(
            name=data["name"], description=data.get("description") or "", starts_at=data["starts_at"],
            ends_at=data["ends_at"], benefit=data["benefit"], value=data["value"],
            minimum=data.get("minimum") or Decimal(0), budget_euros=data.get("budget_euros"),
            funder=data["funder"], town_share_percent=data.get("town_share_percent") or 0,
            when_short=data["when_short"], first_order_only=data.get("first_order_only", False),
            max_uses_per_customer=data.get("max_uses_per_customer"), max_uses=data.get("max_uses"),
            categories=list(data.get("categories") or []), code=data.get("code") or "",
            code_uses=data.get("code_uses") or 100,
        )


class InviteForm(forms.Form):
    shops = forms.ModelMultipleChoiceField(label=_("Commerces à inviter"), queryset=Shop.objects.order_by("name"),
                                           widget=forms.CheckboxSelectMultiple,
                                           error_messages={"required": _("Choisissez au moins un commerce."),
                                                           "invalid_choice": _("Ce commerce n'existe pas.")})


class VoucherBatchForm(forms.Form):
    name = forms.CharField(label=_("Nom du lot"), max_length=128, required=False, widget=forms.TextInput(attrs=_INPUT))
    count = forms.IntegerField(label=_("Nombre de codes"), min_value=1, max_value=5000, widget=forms.NumberInput(attrs=_INPUT),
                               error_messages={"required": _("Indiquez combien de codes créer."),
                                               "min_value": _("Au moins un code."),
                                               "max_value": _("5 000 codes au plus par lot.")})
    prefix = forms.CharField(label=_("Préfixe (facultatif)"), max_length=12, required=False,
                             widget=forms.TextInput(attrs=_INPUT))
    max_uses = forms.IntegerField(label=_("Utilisations par code"), min_value=1, initial=1,
                                  widget=forms.NumberInput(attrs=_INPUT),
                                  error_messages={"min_value": _("Au moins une utilisation.")})


class VoucherImportForm(forms.Form):
    name = forms.CharField(label=_("Nom du lot"), max_length=128, required=False, widget=forms.TextInput(attrs=_INPUT))
    file = forms.FileField(label=_("Fichier CSV des codes (une colonne « code »)"),
                           error_messages={"required": _("Choisissez un fichier CSV.")})
    max_uses = forms.IntegerField(label=_("Utilisations par code"), min_value=1, initial=1,
                                  widget=forms.NumberInput(attrs=_INPUT),
                                  error_messages={"min_value": _("Au moins une utilisation.")})


class ShopOfferForm(forms.Form):
    """A merchant's own offer: on its own products only (the queryset is the shop's)."""

    name = forms.CharField(label=_("Nom de l'offre"), max_length=128, widget=forms.TextInput(attrs=_INPUT),
                           error_messages={"required": _("Donnez un nom à l'offre.")})
    starts_at = _when(_("Début"))
    ends_at = _when(_("Fin"))
    benefit = forms.ChoiceField(label=_("Remise"), choices=[(PERCENTAGE, _("pourcentage")), (AMOUNT, _("montant en euros"))],
                                widget=forms.Select(attrs=_INPUT))
    value = forms.DecimalField(label=_("Valeur de la remise"), max_digits=10, decimal_places=2,
                               widget=forms.NumberInput(attrs={**_INPUT, "step": "0.01"}),
                               error_messages={"required": _("Indiquez la valeur de la remise."),
                                               "invalid": _("Indiquez un nombre (par exemple 5 ou 10,5).")})
    products = forms.ModelMultipleChoiceField(label=_("Vos produits concernés"), queryset=Product.objects.none(),
                                              widget=forms.SelectMultiple(attrs={**_INPUT, "size": 6}),
                                              error_messages={"required": _("Choisissez au moins un de vos produits."),
                                                              "invalid_choice": _("Choisissez seulement des produits que vous vendez.")})
    stock_limit = _count(_("Articles remisés au plus par panier"))

    def __init__(self, *args, shop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = Product.objects.filter(stockrecords__partner__shop=shop).distinct().order_by("title")
        self.shop = shop

    def campaign_input(self) -> CampaignInput:
        data = self.cleaned_data
        return CampaignInput(name=data["name"], starts_at=data["starts_at"], ends_at=data["ends_at"],
                             benefit=data["benefit"], value=data["value"], funder=Funder.SHOP, town_share_percent=0,
                             products=list(data["products"]), owner_shop=self.shop, stock_limit=data.get("stock_limit"))


class AmbassadorForm(forms.Form):
    display_name = forms.CharField(label=_("Nom affiché (personne, association, club)"), max_length=120,
                                   widget=forms.TextInput(attrs=_INPUT),
                                   error_messages={"required": _("Indiquez le nom affiché de l'ambassadeur.")})
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs=_INPUT),
                             error_messages={"required": _("Indiquez une adresse e-mail."),
                                             "invalid": _("Indiquez une adresse e-mail valable.")})
    reward_euros = _money(_("Récompense par commande retirée (€)"))
    code = forms.CharField(label=_("Code personnel (facultatif)"), max_length=40, required=False,
                           widget=forms.TextInput(attrs=_INPUT))
