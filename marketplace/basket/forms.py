"""Add-to-basket forms that let the shopper pick the shop whose offer they buy."""
from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.basket import forms as oscar_forms
from oscar.apps.basket.forms import *  # noqa: F403

from marketplace.partner.strategy import shop_is_selling

MAX_LINE_QUANTITY = 99


class AddToBasketForm(oscar_forms.AddToBasketForm):
    quantity = forms.IntegerField(
        initial=1,
        min_value=1,
        max_value=MAX_LINE_QUANTITY,
        label=_("Quantité"),
        error_messages={
            "min_value": _("La quantité doit être au moins 1."),
            "max_value": _("La quantité est limitée à %(limit_value)s par ajout."),
            "invalid": _("La quantité doit être un nombre entier."),
            "required": _("Indiquez une quantité."),
        },
    )
    stockrecord = forms.TypedChoiceField(
        label=_("Commerce"), coerce=int, required=False, widget=forms.RadioSelect, empty_value=None
    )

    def __init__(self, basket, product, *args, **kwargs):
        super().__init__(basket, product, *args, **kwargs)
        self.offers = [sr for sr in product.stockrecords.all() if shop_is_selling(sr) and sr.price is not None]
        self.fields["stockrecord"].choices = [(sr.pk, sr.partner.shop.name) for sr in self.offers]
        self.fields["stockrecord"].error_messages["invalid_choice"] = _(
            "Cette offre n'existe pas ou ce commerce ne vend plus ce produit."
        )
        if len(self.offers) < 2:
            self.fields["stockrecord"].widget = forms.HiddenInput()
        default = basket.strategy.select_stockrecord(product) if not product.is_parent else None
        if default is not None:
            self.fields["stockrecord"].initial = default.pk

    def cleaned_options(self):
        # Oscar queries the options even when the product has none (annotated by the view).
        if not self.parent_product.has_options:
            return []
        return super().cleaned_options()

    @property
    def chosen_stockrecord(self):
        pk = self.cleaned_data.get("stockrecord") if hasattr(self, "cleaned_data") else None
        return next((sr for sr in self.offers if sr.pk == pk), None)

    def clean(self):
        if self.errors:
            return self.cleaned_data
        chosen = self.chosen_stockrecord
        info = self.basket.strategy.fetch_for_product(self.product, stockrecord=chosen)
        if info.stockrecord is None or not info.price.exists:
            raise forms.ValidationError(_("Ce produit n'est proposé par aucun commerce en ce moment."))
        already = self.basket.offer_quantity(info.stockrecord) if self.basket.id else 0
        wanted = already + self.cleaned_data.get("quantity", 1)
        permitted, reason = info.availability.is_purchase_permitted(wanted)
        if not permitted:
            raise forms.ValidationError(reason)
        self.cleaned_data["stockrecord_obj"] = info.stockrecord
        return self.cleaned_data


class BasketLineForm(oscar_forms.BasketLineForm):
    """A line of the basket page: 0 removes it; above the stock or 99, a French message."""

    quantity = forms.IntegerField(
        label=_("Quantité"),
        min_value=0,
        max_value=MAX_LINE_QUANTITY,
        required=False,
        initial=1,
        error_messages={
            "min_value": _("La quantité ne peut pas être négative (0 enlève l’article)."),
            "max_value": _("La quantité est limitée à %(limit_value)s par article."),
            "invalid": _("La quantité doit être un nombre entier."),
        },
    )


class SimpleAddToBasketForm(oscar_forms.SimpleAddToBasketMixin, AddToBasketForm):
    """The one-button form of product cards: it adds the offer the card shows."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stockrecord"].widget = forms.HiddenInput()
