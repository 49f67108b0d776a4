"""Forked Oscar ``search`` app.

Forked because we replace its core classes: Oscar's listings and search run
on Haystack (an external index, ~126 queries on its category pages); Halle
lists and searches the catalogue straight from the database with the ORM
(PostgreSQL full text; FTS5 in the SQLite demo, see ``sqlite_index``).
"""
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarConfig


def register_sqlite_functions(sender, connection, **kwargs):
    """SQLite (demo only) has no ``unaccent`` nor French stemming: Python gives them.

    ``HALLE_FOLD`` sorts by name accent-blind; the ``HALLE_TERMS`` family feeds
    the FTS5 index (its view and triggers call them on every write).
    """
    if connection.vendor == "sqlite":
        from marketplace.search.sqlite_index import sqlite_functions_register
        from marketplace.search.text import text_fold

        connection.connection.create_function("HALLE_FOLD", 1, text_fold, deterministic=True)
        sqlite_functions_register(connection)


def sqlite_index_ensure(sender, using, **kwargs):
    """After ``migrate`` on SQLite: put back the index triggers a table rebuild may have dropped.

    Schema upkeep, like Django's own post-migrate hooks: Django alters a SQLite
    table by copying it into a new one, which loses that table's triggers.
    """
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "sqlite":
        from marketplace.search.sqlite_index import fts_index_ensure

        fts_index_ensure(connection)


class SearchConfig(OscarConfig):
    label = "search"
    name = "marketplace.search"
    verbose_name = _("Recherche")
    namespace = "search"

    def ready(self):
        from marketplace.search.views import SearchView

        self.search_view = SearchView
        connection_created.connect(register_sqlite_functions, dispatch_uid="halle-sqlite-functions")
        post_migrate.connect(sqlite_index_ensure, sender=self, dispatch_uid="halle-sqlite-search-index")

    def get_urls(self):
        return self.post_process_urls([path("", self.search_view.as_view(), name="search")])
