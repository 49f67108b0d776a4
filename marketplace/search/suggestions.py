"""When a search finds nothing: a corrected query, and the closest categories and shops.

Correction (« chocolta » → « chocolat », « muler » → « muller »): each word of
the query that no document holds is replaced by the closest word of the
catalogue, if one is close enough (``difflib``'s ratio on folded words).
Candidate words come from the public category names, the selling shops' names
and trades, the synonyms, and product titles close to the unknown words:
those whose document has a word starting with the same four letters (a
prefix match in either full-text index) and, on PostgreSQL, those close by
trigram word similarity (``pg_trgm``, GIN index on titles). A handful of
queries, whatever the size of the catalogue, and only for searches that found
nothing.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, TrigramWordSimilarity
from django.db import connection
from django.db.models import Q, Value
from django.db.models.functions import Greatest

from marketplace.catalogue.models import Category, Product
from marketplace.search.models import ProductSearchDocument, SearchSynonym
from marketplace.search.query import SEARCH_CONFIG, ParsedQuery
from marketplace.search.sqlite_index import VOCAB_TABLE
from marketplace.search.text import term, text_fold, words
from shops.models import Shop, ShopStatus, Trade

MIN_RATIO = 0.8  # « chocolta »/« chocolat » 0.88, « camenbert »/« camembert » 0.89; « vim »/« vin » 0.67
CLOSEST_MIN_SIMILARITY = 0.3  # pg_trgm word similarity
CLOSEST_MIN_RATIO = 0.75  # difflib, SQLite: « dimanche »/« marché » 0.71 is not close
CLOSEST_SHOWN = 3
TITLE_CANDIDATES = 200
WRITTEN_WORDS = re.compile(r"[^\W_]+")
PREFIX_LETTERS = 4


@dataclass(frozen=True)
class Closest:
    categories: list[Category]
    shops: list[Shop]

    def __bool__(self) -> bool:
        return bool(self.categories or self.shops)


def _selling_shops():
    return Shop.objects.filter(status=ShopStatus.ACTIVE, vacation_mode=False)


def _unknown_words(plan: ParsedQuery) -> list[str]:
    """The query's words (not stop words) whose stem no product document holds (one query)."""
    candidates = list(dict.fromkeys(w for c in plan.clauses for a in c.alternatives for w in a.words if term(w)))
    if not candidates:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values = ", ".join(["(%s)"] * len(candidates))
            cursor.execute(
                f"SELECT v.w FROM (VALUES {values}) AS v(w) WHERE NOT EXISTS (SELECT 1 FROM catalogue_product p "
                f"WHERE p.search_vector @@ plainto_tsquery('{SEARCH_CONFIG}', v.w))",
                candidates,
            )
            unknown = {row[0] for row in cursor.fetchall()}
        else:
            stems = {term(w) for w in candidates}
            placeholders = ", ".join(["%s"] * len(stems))
            cursor.execute(f"SELECT term FROM {VOCAB_TABLE} WHERE term IN ({placeholders})", list(stems))
            known = {row[0] for row in cursor.fetchall()}
            unknown = {w for w in candidates if term(w) not in known}
    return [w for w in candidates if w in unknown]


def _title_candidates(unknown: list[str]) -> list[str]:
    """Titles of products that may hold the word an unknown word misspells (one query).

    Those whose document has a word starting like it (« camenbert » looks at
    « came… », with the full-text index of either database), and on PostgreSQL
    also those close by trigrams (a typo in the first letters).
    """
    prefixes = sorted({w[:PREFIX_LETTERS] for w in unknown if len(w) > PREFIX_LETTERS})
    products = Product.objects.filter(is_public=True, structure__in=["standalone", "parent"])
    if connection.vendor == "postgresql":
        matching = Q(title__trigram_word_similar=unknown[0])
        for word in unknown[1:]:
            matching |= Q(title__trigram_word_similar=word)
        if prefixes:
            prefixed = SearchQuery(" | ".join(f"{p}:*" for p in prefixes), search_type="raw", config=SEARCH_CONFIG)
            matching |= Q(search_vector=prefixed)
        similarity = [TrigramWordSimilarity(Value(w), "title") for w in unknown]
        score = similarity[0] if len(similarity) == 1 else Greatest(*similarity)
        products = products.filter(matching).annotate(similarity=score).order_by("-similarity", "title")
    else:
        if not prefixes:
            return []
        match = " OR ".join(f'"{p}"*' for p in prefixes)
        ids = ProductSearchDocument.objects.filter(fts__matches=match).values("product_id")
        products = products.filter(pk__in=ids).order_by("title")
    return list(products.values_list("title", flat=True).distinct()[:TITLE_CANDIDATES])


def _vocabulary(unknown: list[str]) -> dict[str, str]:
    """Folded word -> the word as written, from everything a query could name (two queries)."""
    texts = [str(label) for label in Trade.labels]
    texts += (
        Category.objects.filter(is_public=True).order_by().values_list("name", flat=True)
        .union(_selling_shops().order_by().values_list("name", flat=True), all=True)
        .union(SearchSynonym.objects.order_by().values_list("word", flat=True), all=True)
    )
    texts += _title_candidates(unknown)
    vocabulary: dict[str, str] = {}
    for text in texts:
        for written in WRITTEN_WORDS.findall(text):
            folded = text_fold(written)
            if len(folded) > 1 and term(folded):
                vocabulary.setdefault(folded, written.lower())
    return vocabulary


def query_correct(*, plan: ParsedQuery) -> str | None:
    """A corrected query when some words of ``plan`` are in no document and a close word exists."""
    if not plan:
        return None
    unknown = _unknown_words(plan)
    if not unknown:
        return None
    vocabulary = _vocabulary(unknown)
    replacements = {}
    for word in unknown:
        ratios = {c: difflib.SequenceMatcher(None, word, c).ratio() for c in vocabulary}
        best = max(ratios, key=lambda c: (ratios[c], c), default=None)
        if best is not None and ratios[best] >= MIN_RATIO:
            replacements[word] = vocabulary[best]
    if not replacements:
        return None
    corrected = []
    for clause in plan.clauses:
        phrase = clause.alternatives[0]
        corrected.append(" ".join(replacements.get(w, w) for w in phrase.words))
    return " ".join(corrected)


def closest_get(*, query: str) -> Closest:
    """The public categories and selling shops whose names are closest to ``query`` (two queries)."""
    folded = " ".join(words(query))
    if not folded:
        return Closest([], [])
    categories = Category.objects.filter(is_public=True)
    shops = _selling_shops()
    if connection.vendor == "postgresql":
        def closest(queryset):
            return list(
                queryset.annotate(similarity=TrigramWordSimilarity(Value(folded), "name"))
                .filter(similarity__gte=CLOSEST_MIN_SIMILARITY)
                .order_by("-similarity", "name")[:CLOSEST_SHOWN]
            )
        return Closest(closest(categories), closest(shops))

    def closest_in_python(rows):
        scored = []
        for row in rows:
            name_words = words(row.name)
            score = max(
                (difflib.SequenceMatcher(None, q, w).ratio() for q in folded.split() for w in name_words),
                default=0.0,
            )
            if score >= CLOSEST_MIN_RATIO:
                scored.append((-score, text_fold(row.name), row))
        return [row for *_, row in sorted(scored, key=lambda s: s[:2])[:CLOSEST_SHOWN]]

    return Closest(closest_in_python(categories), closest_in_python(shops))
