"""SQLite (the one-command demo) only: the FTS5 full-text index of products and its triggers.

The definitions live in ``marketplace.search.sqlite_index`` (the same function
repairs them after every ``migrate``, as Django's SQLite table rebuilds drop
triggers); this migration creates them and fills the index from the products
already there. Nothing on PostgreSQL (``search_vector``, migration 0003).
"""
from django.db import migrations

from marketplace.core.migration_operations import sqlite_only


def create(connection):
    from marketplace.search.sqlite_index import fts_index_ensure

    fts_index_ensure(connection)


def drop(connection):
    from marketplace.search.sqlite_index import fts_index_drop

    fts_index_drop(connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_postgresql_product_document")]

    operations = [sqlite_only(create, drop)]
