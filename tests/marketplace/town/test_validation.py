"""SIRET (14 digits, Luhn key; La Poste's sum rule), French postcode and phone checks."""
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from marketplace.town.validation import (
    PHONE,
    POSTCODE,
    SIRET_FORMAT,
    SIRET_KEY,
    phone_display,
    phone_normalise,
    postcode_normalise,
    siret_normalise,
)


@pytest.mark.parametrize("typed", ["732 829 320 00074", "73282932000074", "732.829.320.00074", "732\u202f829\u202f320\u202f00074"])
def test_a_real_siret_is_accepted_whatever_the_separators(typed):
    assert siret_normalise(typed) == "73282932000074"


@pytest.mark.parametrize("typed", ["", "7328293200007", "732829320000745", "73282932000A74", "SIRET"])
def test_a_siret_that_is_not_14_digits_says_so(typed):
    with pytest.raises(ValidationError) as error:
        siret_normalise(typed)
    assert error.value.messages == [SIRET_FORMAT]


def test_a_siret_with_one_digit_wrong_fails_its_luhn_key():
    with pytest.raises(ValidationError) as error:
        siret_normalise("73282932000075")
    assert error.value.messages == [SIRET_KEY]


def test_la_postes_establishments_follow_the_sum_of_digits_rule_not_luhn():
    assert siret_normalise("35600000049837") == "35600000049837"  # digits sum to 45, Luhn would refuse it
    with pytest.raises(ValidationError):
        siret_normalise("35600000049838")


def test_la_postes_head_office_keeps_the_luhn_key():
    assert siret_normalise("35600000000048") == "35600000000048"


@given(st.text(alphabet="0123456789", min_size=13, max_size=13))
def test_exactly_one_last_digit_completes_any_13_digits_into_a_luhn_valid_siret(prefix):
    if prefix.startswith("356000000"):
        return  # La Poste: another rule
    valid = []
    for last in "0123456789":
        try:
            siret_normalise(prefix + last)
        except ValidationError:
            continue
        valid.append(last)
    assert len(valid) == 1


@pytest.mark.parametrize(("typed", "expected"), [("45210", "45210"), (" 75001 ", "75001"), ("97400", "97400"), ("20000", "20000")])
def test_french_postcodes_are_accepted(typed, expected):
    assert postcode_normalise(typed) == expected


@pytest.mark.parametrize("typed", ["", "4521", "452100", "00100", "99000", "ABCDE"])
def test_impossible_postcodes_are_refused(typed):
    with pytest.raises(ValidationError) as error:
        postcode_normalise(typed)
    assert error.value.messages == [POSTCODE]


def test_french_phones_are_stored_in_e164_and_shown_the_french_way():
    assert phone_normalise("02 38 00 00 00") == "+33238000000"
    assert phone_normalise("+33 6 12 34 56 78") == "+33612345678"
    assert phone_display("+33238000000") == "02 38 00 00 00"
    assert phone_display("+3222123456").startswith("+32")


@pytest.mark.parametrize("typed", ["", "12", "02 38", "pas un numéro", "+33 1"])
def test_impossible_phones_are_refused(typed):
    with pytest.raises(ValidationError) as error:
        phone_normalise(typed)
    assert error.value.messages == [PHONE]
