"""Text helpers for search: cleaning what shoppers type, folding accents, French search terms.

``terms`` turns a text into what the search index holds: words folded (lower
case, no accents), French stop words dropped, each word reduced to its
Snowball French stem. PostgreSQL's ``french_unaccent`` configuration (catalogue
migration 0034) does the same inside the database (``unaccent`` then the
``french_stem`` dictionary, also Snowball's); the SQLite demo's FTS5 index
stores and is queried with ``terms``, so both databases find the same words
("Chaussures" and "chaussure" give "chaussur", "Crème" and "creme" "crem").
A test compares the two on the demo town's vocabulary.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_SPACES = re.compile(r"\s+")
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}  # control, format, surrogate, private, unassigned
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_WORDS = re.compile(r"[^\W_]+")  # letters and digits: what PostgreSQL's parser and FTS5 call words
_MARKUP = re.compile(r"<[^>]*>|&[#A-Za-z0-9]+;")

# PostgreSQL's French stop words (``tsearch_data/french.stop``, Snowball's list)
# as ``french_unaccent`` applies them: after ``unaccent``, so only the entries
# without accents ever match ("à" becomes "a", which is not in the list).
STOP_WORDS = frozenset((
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux", "il",
    "je", "la", "le", "leur", "lui", "ma", "mais", "me", "mes", "moi", "mon", "ne", "nos",
    "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses",
    "son", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "c",
    "d", "j", "l", "m", "n", "s", "t", "y", "suis", "es", "est", "sommes", "sont", "serai",
    "seras", "sera", "serons", "serez", "seront", "serais", "serait", "serions", "seriez",
    "seraient", "fus", "fut", "furent", "sois", "soit", "soyons", "soyez", "soient", "fusse",
    "fusses", "fussions", "fussiez", "fussent", "ayant", "ayante", "ayantes", "ayants", "eu",
    "eue", "eues", "eus", "ai", "as", "avons", "avez", "ont", "aurai", "auras", "aura", "aurons",
    "aurez", "auront", "aurais", "aurait", "aurions", "auriez", "auraient", "avais", "avait",
    "avions", "aviez", "avaient", "eut", "eurent", "aie", "aies", "ait", "ayons", "ayez", "aient",
    "eusse", "eusses", "eussions", "eussiez", "eussent",
))
MAX_WORD_LENGTH = 60  # longer "words" are noise (PostgreSQL ignores words over 2 KB anyway)

_stemmer = snowballstemmer.stemmer("french")


def query_clean(value: str) -> str:
    """``value`` in NFKC with control characters (NUL included) removed and spaces collapsed.

    PostgreSQL rejects NUL in strings, and no shopper means to type a control
    character; emoji, quotes and the like are kept (the database binds them).
    """
    value = unicodedata.normalize("NFKC", value)
    value = "".join(" " if unicodedata.category(ch) in _INVISIBLE else ch for ch in value)
    return _SPACES.sub(" ", value).strip()


def text_fold(value: str | None) -> str | None:
    """Lower case without accents: "Crème Brûlée" -> "creme brulee" (sorting, suggestions)."""
    if value is None:
        return None
    decomposed = unicodedata.normalize("NFKD", value.translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def words(text: str | None) -> list[str]:
    """The folded words of ``text``, stop words included: "L'Épicerie" -> ["l", "epicerie"]."""
    return [w[:MAX_WORD_LENGTH] for w in _WORDS.findall(text_fold(text) or "")]


@lru_cache(maxsize=50_000)
def term(word: str) -> str | None:
    """The index term of one folded word, or ``None`` for a stop word."""
    if word in STOP_WORDS:
        return None
    return _stemmer.stemWord(word)


def terms(text: str | None) -> list[str]:
    """The index terms of ``text``, in order: "Pains au chocolat" -> ["pain", "chocolat"]."""
    return [t for t in (term(w) for w in words(text)) if t]


def html_text(value: str | None) -> str:
    """Rich text without its tags and entities: "<p>Sel &amp; poivre</p>" -> " Sel   poivre ".

    Exactly what the PostgreSQL trigger removes (``regexp_replace`` with the same
    pattern): descriptions are sanitised HTML whose accents are plain characters,
    so an entity is markup (``&amp;``), never a word.
    """
    return _MARKUP.sub(" ", value or "")
