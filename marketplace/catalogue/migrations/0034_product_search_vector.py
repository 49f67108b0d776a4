"""French full-text search on products, stored and indexed in PostgreSQL.

- extensions ``unaccent`` and ``pg_trgm`` (both "trusted" since PostgreSQL 13:
  a database owner may create them without being superuser);
- a text search configuration ``french_unaccent``: the ``french`` one with
  accents folded before French stemming ("Crème" and "creme" give "crem");
- ``catalogue_product.search_vector``, written by a trigger on every insert and
  on every update of the title or description, so that ``bulk_create`` (demo
  generator, CSV imports) and raw SQL keep it right too: title weight A,
  description (HTML tags removed) weight B;
- GIN indexes on the vector and on the title's trigrams (suggestions).

Everything but the column is PostgreSQL only: on SQLite (the one-command demo)
this migration adds a column that stays NULL and nothing else.
"""
import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

CREATE_SQL = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION catalogue_product_search_vector_update() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('french_unaccent', coalesce(NEW.title, '')), 'A')
        || setweight(
            to_tsvector('french_unaccent',
                        regexp_replace(coalesce(NEW.description, ''), '<[^>]*>', ' ', 'g')),
            'B');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS catalogue_product_search_vector_trigger ON catalogue_product;
CREATE TRIGGER catalogue_product_search_vector_trigger
    BEFORE INSERT OR UPDATE OF title, description, search_vector ON catalogue_product
    FOR EACH ROW EXECUTE FUNCTION catalogue_product_search_vector_update();

-- Existing products: the update fires the trigger.
UPDATE catalogue_product SET search_vector = NULL;
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS catalogue_product_search_vector_trigger ON catalogue_product;
DROP FUNCTION IF EXISTS catalogue_product_search_vector_update();
DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;
"""
# The extensions are left in place on the way back: other objects may use them.


def _on_postgresql(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


def create_search(apps, schema_editor):
    if _on_postgresql(schema_editor):
        schema_editor.execute(CREATE_SQL)


def drop_search(apps, schema_editor):
    if _on_postgresql(schema_editor):
        schema_editor.execute(DROP_SQL)


class PostgresAddIndex(migrations.AddIndex):
    """``AddIndex`` that only touches a PostgreSQL database (GIN means nothing to SQLite)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if _on_postgresql(schema_editor):
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if _on_postgresql(schema_editor):
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):

    dependencies = [
        ("catalogue", "0033_productclass_vat_rate"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_search, drop_search, elidable=False),
        PostgresAddIndex(
            model_name="product",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="product_search_vector_gin"
            ),
        ),
        PostgresAddIndex(
            model_name="product",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["title"], name="product_title_trgm_gin", opclasses=["gin_trgm_ops"]
            ),
        ),
    ]
