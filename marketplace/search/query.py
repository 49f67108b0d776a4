"""What a shopper's search means, parsed once in Python, then written for either database.

A query is a list of clauses that must all match, and phrases that must not:

- words: every word must match (« pain chocolat », « marque-page »), French
  stop words ignored;
- « "pains au chocolat" »: the words in that order (a phrase);
- « -pain »: without that word (or « -"pain d'épices" »);
- « chocolat ou vanille » (also « OR »): either.

Anything else (``*``, ``:``, ``^``, ``&``, ``|``, ``!``, ``NEAR``, brackets…) is
not syntax here but separators or plain words, so no input can be an FTS5 or
tsquery syntax error: PostgreSQL receives each word through
``plainto_tsquery``/``phraseto_tsquery`` (bound parameters), and FTS5 receives
only quoted stems, which are letters and digits.

Synonyms widen a one-word clause: « soulier » becomes « soulier OR chaussure ».
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from django.contrib.postgres.search import SearchQuery

from marketplace.search.text import term, words

SEARCH_CONFIG = "french_unaccent"
MAX_CLAUSES = 12
MAX_ALTERNATIVES = 12
_TOKENS = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
_OR = {"ou", "or"}


@dataclass(frozen=True)
class Phrase:
    """Folded words; ``terms`` are their stems without stop words.

    ``ordered``: the words must follow each other (a quoted phrase); otherwise
    they must all be there, in any order (« marque-page », a synonym's expression).
    """

    words: tuple[str, ...]
    ordered: bool = True

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(t for t in (term(w) for w in self.words) if t)

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class Clause:
    """Matches when any of its alternatives does."""

    alternatives: tuple[Phrase, ...]

    @property
    def single_term(self) -> str | None:
        """The stem when the clause is one plain word (what a synonym can widen)."""
        if len(self.alternatives) == 1 and len(self.alternatives[0].terms) == 1:
            return self.alternatives[0].terms[0]
        return None


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...] = ()
    excluded: tuple[Phrase, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.clauses)

    def with_synonyms(self, synonyms: dict[str, list[Phrase]]) -> ParsedQuery:
        """Each one-word clause also matching the expressions its stem is a synonym of."""
        clauses = []
        for clause in self.clauses:
            stem = clause.single_term
            extra = synonyms.get(stem, []) if stem else []
            known = {a.terms for a in clause.alternatives}
            alternatives = list(clause.alternatives)
            for phrase in extra:
                if phrase.terms and phrase.terms not in known and len(alternatives) < MAX_ALTERNATIVES:
                    known.add(phrase.terms)
                    alternatives.append(phrase)
            clauses.append(Clause(tuple(alternatives)))
        return replace(self, clauses=tuple(clauses))

    def terms(self) -> set[str]:
        return {t for c in self.clauses for a in c.alternatives for t in a.terms}


def _phrase(text: str, *, ordered: bool) -> Phrase | None:
    phrase = Phrase(tuple(words(text)), ordered=ordered and len(words(text)) > 1)
    return phrase if phrase.terms else None


def query_parse(query: str) -> ParsedQuery:
    """``query`` (already cleaned by the form) as clauses; empty when it has no searchable word."""
    clauses: list[Clause] = []
    excluded: list[Phrase] = []
    pending_or = False
    for match in _TOKENS.finditer(query or ""):
        quoted = match.group(2) is not None
        negated = bool(match.group(1) if quoted else match.group(3))
        text = match.group(2) if quoted else match.group(4)
        if not quoted and not negated and text.casefold() in _OR:
            pending_or = bool(clauses)
            continue
        if negated:
            phrase = _phrase(text, ordered=True)
            if phrase and len(excluded) < MAX_CLAUSES:
                excluded.append(phrase)
            pending_or = False
            continue
        # A quoted phrase: its words in order. A bare token like « marque-page » or « 1=1 »:
        # all its words, in any order.
        phrase = _phrase(text, ordered=quoted)
        if phrase is None:
            continue
        if pending_or and clauses and len(clauses[-1].alternatives) < MAX_ALTERNATIVES:
            clauses[-1] = Clause((*clauses[-1].alternatives, phrase))
        elif len(clauses) < MAX_CLAUSES:
            clauses.append(Clause((phrase,)))
        pending_or = False
    return ParsedQuery(tuple(clauses), tuple(excluded))


# --- PostgreSQL ---------------------------------------------------------------------------


def _tsquery(phrase: Phrase) -> SearchQuery:
    kind = "phrase" if phrase.ordered else "plain"  # plainto_tsquery: every word, any order
    return SearchQuery(phrase.text, search_type=kind, config=SEARCH_CONFIG)


def tsquery(parsed: ParsedQuery) -> SearchQuery:
    """The query as a PostgreSQL ``tsquery`` expression (every word a bound parameter)."""
    result = None
    for clause in parsed.clauses:
        either = None
        for phrase in clause.alternatives:
            either = _tsquery(phrase) if either is None else either | _tsquery(phrase)
        result = either if result is None else result & either
    for phrase in parsed.excluded:
        result = result & ~_tsquery(phrase)
    return result


# --- SQLite FTS5 --------------------------------------------------------------------------


def _fts_phrase(phrase: Phrase) -> str:
    # Stems are letters and digits only (text._WORDS): quoting them cannot break out.
    if phrase.ordered:
        return '"' + " ".join(phrase.terms) + '"'
    return "(" + " AND ".join(f'"{t}"' for t in phrase.terms) + ")"


def fts_match(parsed: ParsedQuery) -> str:
    """The query as an FTS5 ``MATCH`` expression over the stemmed index."""
    positive = " AND ".join(
        "(" + " OR ".join(_fts_phrase(p) for p in clause.alternatives) + ")" for clause in parsed.clauses
    )
    if parsed.excluded:
        positive = f"({positive}) NOT (" + " OR ".join(_fts_phrase(p) for p in parsed.excluded) + ")"
    return positive


def terms_match(parsed: ParsedQuery, document: list[str]) -> tuple[int, bool]:
    """How many clauses ``document`` (a list of terms) matches, and whether an excluded phrase is in it.

    Used for the few shops of a town, in Python, the same on both databases.
    """

    def contains(phrase: Phrase) -> bool:
        wanted = phrase.terms
        if not phrase.ordered:
            return set(wanted) <= set(document)
        size = len(wanted)
        return any(tuple(document[i : i + size]) == wanted for i in range(len(document) - size + 1))

    matched = sum(1 for clause in parsed.clauses if any(contains(p) for p in clause.alternatives))
    return matched, any(contains(p) for p in parsed.excluded)
