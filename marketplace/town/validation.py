"""Checks of what an applicant types: SIRET (format and key), French postcode, phone.

The SIRET key is Luhn's over its 14 digits, except for La Poste's establishments
(SIREN 356 000 000), numbered too many to fit Luhn: theirs is valid when the sum of
the 14 digits is a multiple of 5 (INSEE's rule; the head office, 356 000 000 00048,
keeps Luhn's). The phone goes through
``phonenumbers`` (Google's libphonenumber), French by default.
"""
from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError

LA_POSTE_SIREN = "356000000"
#: La Poste's head office keeps Luhn's key; only its other establishments use the sum rule.
LA_POSTE_HEAD_OFFICE = "35600000000048"
_POSTCODE = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$")

SIRET_FORMAT = "Le SIRET compte 14 chiffres (espaces permis), par exemple 732 829 320 00074."
SIRET_KEY = ("Ce SIRET n'est pas valide : un chiffre est probablement mal recopié (vérifiez sur votre extrait Kbis "
             "ou avis de situation INSEE).")
POSTCODE = "Code postal français à 5 chiffres, par exemple 45210."
PHONE = "Numéro de téléphone invalide : par exemple 02 38 00 00 00 ou +33 6 12 34 56 78."


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def siret_normalise(value: str) -> str:
    """The 14 digits of ``value`` (spaces, dots and dashes dropped); ``ValidationError`` in French
    when it is not a SIRET."""
    digits = re.sub(r"[\s.\-\u00a0\u202f]", "", value or "")
    if not re.fullmatch(r"\d{14}", digits):
        raise ValidationError(SIRET_FORMAT, code="siret_format")
    if digits.startswith(LA_POSTE_SIREN) and digits != LA_POSTE_HEAD_OFFICE:
        valid = sum(int(c) for c in digits) % 5 == 0
    else:
        valid = _luhn_ok(digits)
    if not valid:
        raise ValidationError(SIRET_KEY, code="siret_key")
    return digits


def postcode_normalise(value: str) -> str:
    postcode = re.sub(r"\s", "", value or "")
    if not _POSTCODE.fullmatch(postcode):
        raise ValidationError(POSTCODE, code="postcode")
    return postcode


def phone_normalise(value: str) -> str:
    """The phone in E.164 (``+33238000000``); French numbers may be typed as « 02 38 00 00 00 »."""
    try:
        number = phonenumbers.parse((value or "").strip(), "FR")
    except phonenumbers.NumberParseException:
        raise ValidationError(PHONE, code="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(PHONE, code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(value: str) -> str:
    """E.164 → « 02 38 00 00 00 » for a French number, the international format otherwise."""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return value
    fmt = phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 33 else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, fmt)
