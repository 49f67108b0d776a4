"""Pickup codes: alphabet without look-alikes, normalisation of what is typed, QR codes."""
from __future__ import annotations

import pytest

from logistics.pickup.codes import ALPHABET, LENGTH, CodeFormatError, code_display, code_generate, code_normalise
from logistics.pickup.qr import qr_png, qr_svg_inline


def test_codes_use_six_unambiguous_characters():
    codes = {code_generate() for _ in range(2000)}
    assert all(len(code) == LENGTH and set(code) <= set(ALPHABET) for code in codes)
    assert not set("0O1IL") & set(ALPHABET)
    assert len(codes) > 1990  # drawn from 31^6 values: collisions in 2,000 draws are rare


@pytest.mark.parametrize("typed", ["k7m4pq", "K7M-4PQ", " k7m 4pq ", "HALLE:K7M4PQ", "k7m_4pq"])
def test_what_a_person_or_a_scanner_types_is_normalised(typed):
    assert code_normalise(typed) == "K7M4PQ"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Saisissez le code de retrait"),
        ("K7M4P", "vous en avez saisi 5"),
        ("K7M4PQQ", "vous en avez saisi 7"),
        ("K7M0PQ", "jamais 0, O, 1, I ni L"),
        ("K7MIPQ", "jamais 0, O, 1, I ni L"),
        ("K7M4P?", "caractères qui n'existent pas"),
        ("K7M4PÉ", "caractères qui n'existent pas"),
    ],
)
def test_impossible_codes_get_a_precise_french_message(typed, message):
    with pytest.raises(CodeFormatError, match=message):
        code_normalise(typed)


def test_codes_display_in_two_groups_of_three():
    assert code_display("K7M4PQ") == "K7M-4PQ"


def test_qr_codes_are_drawn_locally_as_svg_and_png():
    svg = qr_svg_inline("K7M4PQ")
    assert svg.startswith("<svg") and "Code de retrait K7M4PQ" in svg
    assert qr_png("K7M4PQ").startswith(b"\x89PNG\r\n\x1a\n")
