"""The dashboard's order search, filtering on the payment's state rather than ``Order.status``."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.orders.forms import OrderSearchForm as OscarOrderSearchForm

from marketplace.payments.selectors import OrderPaymentState


class OrderSearchForm(OscarOrderSearchForm):
    """Oscar's form; its « Statut » lists the payment states (the order's own status is
    written once at checkout). ``cleaned_data["payment_state"]`` holds the choice and
    ``status`` stays empty, so Oscar's own status filter is never applied."""

    status = forms.ChoiceField(
        choices=(("", "---------"), *OrderPaymentState.choices), label=_("État du paiement"), required=False,
        error_messages={"invalid_choice": _("État de paiement inconnu.")},
    )

    def clean(self):
        data = super().clean()
        data["payment_state"] = data.get("status", "")
        data["status"] = ""
        return data
