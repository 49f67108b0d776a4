"""What a merchant types into the shop's profile, hours and closures, checked as a real form
would: French postcodes, phone numbers (``phonenumbers``, stored E.164), description
lengths, closures within a sensible range, opening hours that do not overlap.

Each check raises ``ValidationError`` with a French message (keyed by field where there is
one); the back-office forms call them for their messages, the services call them again so
that every caller (a view, the demo, a test, a future API) gets the same rules.
"""
from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format

from marketplace.core.models import Weekday

#: Longest shop description, in characters of text as typed (before sanitising).
DESCRIPTION_MAX_CHARS = 2000
#: How far ahead a closure may be entered (two years).
CLOSURE_HORIZON = dt.timedelta(days=731)
PREPARATION_MAX_MINUTES = 7 * 24 * 60
DAILY_ORDER_CAP_MAX = 10_000

_POSTCODE = re.compile(r"^\d{5}$")
#: Overseas postcodes start with three digits: Guadeloupe 971 … Saint-Martin 978, and the
#: overseas collectivities with French postcodes (984 TAAF, 986 Wallis-et-Futuna,
#: 987 Polynésie, 988 Nouvelle-Calédonie). Mainland and Corsica: 01 to 95 (Corsica's are 20).
_OVERSEAS_PREFIXES = {"971", "972", "973", "974", "975", "976", "977", "978", "984", "986", "987", "988"}

POSTCODE_FORMAT = "Le code postal s'écrit avec 5 chiffres, par exemple 45210."
POSTCODE_UNKNOWN = "Le code postal « {value} » ne correspond à aucun département français."
PHONE_INVALID = "Numéro de téléphone invalide : saisissez un numéro français, par exemple 02 38 12 34 56."
DESCRIPTION_TOO_LONG = "La description ne doit pas dépasser {limit} caractères (vous en avez saisi {count})."
CLOSURE_END_BEFORE_START = "La fin doit être après le début."
CLOSURE_IN_THE_PAST = "La fermeture ne peut pas commencer avant aujourd'hui."
CLOSURE_TOO_FAR = "Une fermeture se saisit au plus deux ans à l'avance (jusqu'au {limit})."
HOURS_OVERLAP = "Les horaires du {day} se chevauchent ({first} et {second}) : corrigez ou supprimez l'une des périodes."


def postcode_validated(value: str) -> str:
    """``" 45210 "`` → ``"45210"``; a French postcode (5 digits, an existing département)."""
    text = (value or "").strip().replace(" ", "")
    if not _POSTCODE.match(text):
        raise ValidationError({"postcode": POSTCODE_FORMAT}, code="postcode_format")
    if not (1 <= int(text[:2]) <= 95 or text[:3] in _OVERSEAS_PREFIXES):
        raise ValidationError({"postcode": POSTCODE_UNKNOWN.format(value=text)}, code="postcode_unknown")
    return text


def phone_normalised(value: str) -> str:
    """A French (or international, with its +prefix) phone number → E.164 (``+33238123456``);
    ``""`` stays ``""`` (the phone is optional)."""
    text = (value or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text[:40], "FR")
    except phonenumbers.NumberParseException:
        raise ValidationError({"phone": PHONE_INVALID}, code="phone_invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError({"phone": PHONE_INVALID}, code="phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(value: str) -> str:
    """``+33238123456`` → ``02 38 12 34 56`` (a foreign number keeps its international form)."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return value
    kind = (phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 33
            else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, kind)


def description_checked(value: str, *, field: str = "description", limit: int = DESCRIPTION_MAX_CHARS) -> str:
    text = value or ""
    if len(text) > limit:
        raise ValidationError(
            {field: DESCRIPTION_TOO_LONG.format(limit=number_format(limit, force_grouping=True),
                                                count=number_format(len(text), force_grouping=True))},
            code="too_long",
        )
    return text


def closure_range_checked(*, starts_at: dt.datetime, ends_at: dt.datetime, now: dt.datetime | None = None) -> None:
    """A closure ends after it starts, starts today or later, and ends within two years."""
    now = now or timezone.now()
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": CLOSURE_END_BEFORE_START}, code="end_before_start")
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    if starts_at < today:
        raise ValidationError({"starts_at": CLOSURE_IN_THE_PAST}, code="in_the_past")
    limit = now + CLOSURE_HORIZON
    if ends_at > limit:
        raise ValidationError(
            {"ends_at": CLOSURE_TOO_FAR.format(limit=timezone.localtime(limit).strftime("%d/%m/%Y"))}, code="too_far"
        )


def opening_periods_checked(periods: Iterable[tuple[int, dt.time, dt.time]]) -> None:
    """No two periods of one day overlap (9:00–12:00 and 11:00–14:00); touching is fine."""
    by_day: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for day, opens, closes in periods:
        by_day.setdefault(int(day), []).append((opens, closes))
    for day, spans in sorted(by_day.items()):
        spans.sort()
        for (opens_a, closes_a), (opens_b, closes_b) in itertools.pairwise(spans):
            if opens_b < closes_a:
                raise ValidationError(HOURS_OVERLAP.format(
                    day=Weekday(day).label.lower(),
                    first=f"{opens_a:%H:%M}–{closes_a:%H:%M}", second=f"{opens_b:%H:%M}–{closes_b:%H:%M}",
                ), code="overlap")
