"""The sign-up form: Oscar's, with the "address already used" message the service gives too."""
from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from oscar.apps.customer.forms import EmailUserCreationForm
from oscar.apps.customer.utils import normalise_email

from marketplace.accounts.services import EMAIL_TAKEN


class RegistrationForm(EmailUserCreationForm):
    def clean_email(self) -> str:
        email = normalise_email(self.cleaned_data["email"])
        if get_user_model()._default_manager.filter(email__iexact=email).exists():
            raise forms.ValidationError(EMAIL_TAKEN, code="email_taken")
        return email
