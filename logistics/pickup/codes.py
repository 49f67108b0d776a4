"""Pickup codes: short enough to read out at a counter, impossible to guess.

Six characters from an alphabet without the look-alikes 0/O, 1/I/L: 31^6 ≈ 887
million codes, drawn with ``secrets``; with wrong attempts rate limited per user and
address, guessing one of the few hundred open codes is hopeless. Codes are shown as
``ABC-DEF``; what a person or a scanner types is normalised (case, spaces, dashes).
"""
from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 6
#: The same rule as a PostgreSQL regular expression, for the CheckConstraint.
CODE_REGEX = r"^[2-9A-HJKMNP-Z]{6}$"
_SEPARATORS = re.compile(r"[\s\-_.]+")
_CONFUSABLE = set("01OIL")


class CodeFormatError(ValueError):
    """The text cannot be a pickup code; ``str(error)`` tells the person why, in French."""


def code_generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def code_display(code: str) -> str:
    """``K7M4PQ`` → ``K7M-4PQ`` (easier to read out)."""
    return f"{code[:3]}-{code[3:]}" if len(code) == LENGTH else code


def code_normalise(text: str) -> str:
    """What was typed or scanned → a code, or ``CodeFormatError`` with a French message."""
    cleaned = _SEPARATORS.sub("", (text or "").strip().upper())
    if cleaned.startswith("HALLE:"):  # the QR code's optional prefix
        cleaned = cleaned[len("HALLE:"):]
    if not cleaned:
        raise CodeFormatError("Saisissez le code de retrait (6 caractères, par exemple K7M-4PQ).")
    if len(cleaned) != LENGTH:
        raise CodeFormatError(
            f"Un code de retrait a 6 caractères ; vous en avez saisi {len(cleaned)}. Vérifiez le code."
        )
    if set(cleaned) & _CONFUSABLE:
        raise CodeFormatError(
            "Un code de retrait ne contient jamais 0, O, 1, I ni L : vérifiez les caractères saisis."
        )
    if any(ch not in ALPHABET for ch in cleaned):
        raise CodeFormatError("Ce code contient des caractères qui n'existent pas dans les codes de retrait.")
    return cleaned
