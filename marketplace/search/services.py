"""Writes of the search app: the town's synonyms and rebuilding the index by hand."""
from __future__ import annotations

from django.db import connection, transaction

from marketplace.search.models import SearchSynonym
from marketplace.search.synonyms_fr import FRENCH_SYNONYMS
from marketplace.search.text import term, words


def synonyms_defaults_load() -> int:
    """Add the default French synonyms whose stem the town has not listed yet; how many were added.

    Idempotent, never overwrites the town's own entries (search migration 0002
    loads the same list; the demo and tests call this after a flush).
    """
    added = 0
    with transaction.atomic():
        for word, searches_for in FRENCH_SYNONYMS.items():
            _synonym, created = SearchSynonym.objects.get_or_create(
                key=term(words(word)[0]), defaults={"word": word, "searches_for": searches_for}
            )
            added += created
    return added


def search_index_rebuild() -> None:
    """Recompute every product's search document (after a restore, or a trigger dropped by hand).

    The triggers keep the index right on every write; this is the repair tool
    behind ``manage.py search_reindex``. PostgreSQL: the product trigger
    recomputes the vector of each row the update touches. SQLite: the FTS5
    table is filled again, its triggers and view recreated if they differ.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("UPDATE catalogue_product SET search_vector = NULL")
            return
        from marketplace.search.sqlite_index import fts_index_ensure, fts_index_rebuild

        if not fts_index_ensure(connection):
            with connection.cursor() as cursor:
                fts_index_rebuild(cursor)
