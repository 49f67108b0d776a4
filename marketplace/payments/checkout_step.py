"""The card payment inside the checkout (``PreviewView.handle_payment`` calls ``card_payment_take``).

Offline (the local Stripe server) the summary page offers Stripe's test cards as
plain radio buttons and loads no script; with real keys it loads Stripe Elements
from js.stripe.com, which turns the card typed by the shopper into a PaymentMethod
id posted with the form. Either way the server receives a ``payment_method`` id and
authorises the order total on it (``services.payment_authorise``).
"""
from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.conf import settings
from django.urls import reverse
from oscar.apps.payment.exceptions import PaymentError as OscarPaymentError
from oscar.apps.payment.exceptions import RedirectRequired, UnableToTakePayment
from oscar.apps.payment.models import Source, SourceType

from marketplace.core.db import reference_row_id

from . import services
from .errors import PaymentActionRequired, PaymentDeclined, PaymentError, PaymentUnavailable, ShopsCannotReceivePayments
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


def _basket_shop_ids(basket) -> set[int]:
    """The shops of the basket's lines (the lines are already in memory)."""
    shops = (getattr(line.stockrecord.partner, "shop", None) for line in basket.all_lines() if line.stockrecord)
    return {shop.pk for shop in shops if shop is not None}


def card_payment_take(*, view, order_number: str, total) -> Payment:
    """Authorise ``total`` (Oscar's Price, or a Decimal) on the card posted with the summary.

    Raises Oscar's exceptions, with French messages, which the checkout shows:
    ``UnableToTakePayment`` (no card chosen, declined, a shop that cannot be paid),
    ``PaymentError`` ("Paiement indisponible, réessayez…": nothing was lost, the retry
    sends the same idempotency key), ``RedirectRequired`` (3-D Secure: the bank's page).
    """
    request = view.request
    form = CardForm(request.POST)
    if not form.is_valid():
        raise UnableToTakePayment(" ".join(e for errors in form.errors.values() for e in errors))
    amount = getattr(total, "incl_tax", total)
    try:
        payment = services.payment_authorise(
            order_number=str(order_number), amount=Decimal(amount), shop_ids=_basket_shop_ids(request.basket),
            payment_method=form.cleaned_data["payment_method"], currency=(view.request.basket.currency or "EUR").lower(),
        )
    except PaymentActionRequired:
        request.session[SESSION_KEY] = str(order_number)
        raise RedirectRequired(reverse("payments:action", kwargs={"order_number": order_number})) from None
    except (PaymentDeclined, ShopsCannotReceivePayments) as error:
        raise UnableToTakePayment(str(error)) from error
    except PaymentUnavailable as error:
        raise OscarPaymentError(str(error)) from error
    except PaymentError as error:
        raise UnableToTakePayment(str(error)) from error
    # Oscar's own record of the payment, saved with the order (its dashboard shows it).
    source_type_id = reference_row_id(SourceType, lookup={"code": SOURCE_TYPE[0]}, defaults={"name": SOURCE_TYPE[1]})
    view.add_payment_source(Source(
        source_type_id=source_type_id, currency=payment.currency.upper(),
        amount_allocated=Decimal(payment.amount_authorised_cents) / 100, reference=payment.intent_id,
    ))
    view.add_payment_event("Autorisation", Decimal(payment.amount_authorised_cents) / 100, reference=payment.intent_id)
    return payment
