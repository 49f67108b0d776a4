"""Text helpers for search: cleaning what shoppers type, folding accents."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}  # control, format, surrogate, private, unassigned
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def query_clean(value: str) -> str:
    """``value`` in NFKC with control characters (NUL included) removed and spaces collapsed.

    PostgreSQL rejects NUL in strings, and no shopper means to type a control
    character; emoji, quotes and the like are kept (the database binds them).
    """
    value = unicodedata.normalize("NFKC", value)
    value = "".join(" " if unicodedata.category(ch) in _INVISIBLE else ch for ch in value)
    return _SPACES.sub(" ", value).strip()


def text_fold(value: str | None) -> str | None:
    """Lower case without accents: "Crème Brûlée" -> "creme brulee" (SQLite search, suggestions)."""
    if value is None:
        return None
    decomposed = unicodedata.normalize("NFKD", value.translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def word_singular(word: str) -> str:
    """A crude French singular for the SQLite fallback: "chaussures" -> "chaussure"."""
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word
