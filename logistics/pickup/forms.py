"""Forms of the pickup pages (bad input gets a French message, never an error page)."""
from __future__ import annotations

from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code de retrait",
        max_length=32,
        error_messages={"required": "Saisissez ou scannez le code de retrait.",
                        "max_length": "Un code de retrait a 6 caractères."},
        widget=forms.TextInput(attrs={
            "autofocus": True, "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
            "class": "form-control form-control-lg", "placeholder": "ex. K7M-4PQ",
            "aria-describedby": "code-help",
        }),
    )

