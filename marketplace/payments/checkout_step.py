"""The card payment inside the checkout: the summary page's card form, and Oscar's records of it.

Offline (the local Stripe server) the summary page offers Stripe's test cards as
plain radio buttons and loads no script; with real keys it loads Stripe Elements
from js.stripe.com, which turns the card typed by the shopper into a PaymentMethod
id posted with the form. Either way the server receives a ``payment_method`` id;
``marketplace.checkout.services.checkout_complete`` authorises the order total on it
(``services.payment_authorise``) and saves ``order_payment_records_save`` with the order.
"""
from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.conf import settings
from oscar.apps.payment.models import Source, SourceType

from marketplace.core.db import reference_row_id

from .models import Payment

SESSION_KEY = "payments_action_order"
SOURCE_TYPE = ("stripe-card", "Carte bancaire (Stripe)")

# Stripe's test PaymentMethods the offline page offers (the local server knows them).
TEST_CARDS = (
    ("pm_card_visa", "Carte de test acceptée — 4242 4242 4242 4242"),
    ("pm_card_chargeCustomerFail", "Carte de test refusée par la banque — 4000 0000 0000 0341"),
    ("pm_card_authenticationRequired", "Carte de test avec 3-D Secure — 4000 0025 0000 3155"),
)
METHOD_ID = re.compile(r"^pm_[A-Za-z0-9_]{1,60}$")


def stripe_elements_enabled() -> bool:
    """Real keys against Stripe itself: card entry with Stripe Elements (a script from js.stripe.com).
    Otherwise (local server, placeholder keys) the page loads no script from the internet."""
    key = settings.STRIPE_PUBLISHABLE_KEY or ""
    return not settings.STRIPE_API_BASE and key.startswith("pk_") and "halle_local" not in key


class CardForm(forms.Form):
    payment_method = forms.CharField(
        max_length=64, error_messages={"required": "Choisissez la carte avec laquelle payer."}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not stripe_elements_enabled():
            self.fields["payment_method"] = forms.ChoiceField(
                label="Carte de paiement", choices=TEST_CARDS, widget=forms.RadioSelect, initial=TEST_CARDS[0][0],
                error_messages={"required": "Choisissez la carte avec laquelle payer.",
                                "invalid_choice": "Cette carte de test n’existe pas : choisissez-en une dans la liste."},
            )

    def clean_payment_method(self):
        value = self.cleaned_data["payment_method"]
        if not METHOD_ID.match(value):
            raise forms.ValidationError("La carte n’a pas pu être lue : saisissez-la à nouveau.")
        return value


def card_payment_context() -> dict:
    return {
        "card_form": CardForm(),
        "stripe_elements": stripe_elements_enabled(),
        "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY if stripe_elements_enabled() else "",
    }


def order_payment_records_save(*, order, payment: Payment) -> None:
    """Oscar's own record of the card payment, saved with the order (its dashboard shows it):
    the payment source and the authorisation event, with the quantities of every line."""
    from marketplace.order.models import PaymentEvent, PaymentEventQuantity, PaymentEventType

    amount = Decimal(payment.amount_authorised_cents) / 100
    source_type_id = reference_row_id(SourceType, lookup={"code": SOURCE_TYPE[0]}, defaults={"name": SOURCE_TYPE[1]})
    Source.objects.create(order=order, source_type_id=source_type_id, currency=payment.currency.upper(),
                          amount_allocated=amount, reference=payment.intent_id)
    event = PaymentEvent.objects.create(
        order=order, event_type_id=reference_row_id(PaymentEventType, lookup={"name": "Autorisation"}),
        amount=amount, reference=payment.intent_id,
    )
    PaymentEventQuantity.objects.bulk_create(
        [PaymentEventQuantity(event=event, line=line, quantity=line.quantity) for line in order.lines.all()]
    )
