"""Migration operations our apps share."""
from __future__ import annotations

from django.db import migrations


def postgresql_function(*, create_sql: str, drop_sql: str) -> migrations.RunPython:
    """Create a PostgreSQL function (dropped when the migration is reversed); nothing on
    another database: the SQLite demo has no such function and its callers know it."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(create_sql)

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(drop_sql)

    return migrations.RunPython(create, drop)


def sqlite_only(forwards, backwards) -> migrations.RunPython:
    """Run ``forwards(connection)`` / ``backwards(connection)`` on SQLite only (the demo's
    database); nothing on PostgreSQL, which has its own migration for the same feature."""

    def run(function):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor == "sqlite":
                function(schema_editor.connection)

        return operation

    return migrations.RunPython(run(forwards), run(backwards))
