"""The SQLite demo's full-text index: an FTS5 table of French stems, kept by triggers.

``search_product_fts`` holds one row per product (``rowid`` = product id) with
the same fields as PostgreSQL's ``search_vector`` (catalogue migration 0034 and
search migration 0003), in separate columns so that ``bm25()`` weighs them like
``ts_rank`` weighs A, B, C, D: title; category names with their ancestors; the
name and trade of every selling shop; product class and attribute values;
description. Each column stores ``text.terms`` (folded, stop words out,
Snowball French stems) computed in Python by SQL functions registered on every
connection (``HALLE_TERMS``…), so the index and the queries use the same words.

Triggers on every table that feeds a document rewrite the affected rows, like
PostgreSQL's (``bulk_create`` and raw SQL included). Django rebuilds a SQLite
table to alter it (create, copy, drop, rename), which drops that table's
triggers: ``fts_index_ensure`` (run after every ``migrate``) recreates whatever
differs from the definitions below and then rebuilds the whole index.
"""
from __future__ import annotations

from django.utils import translation

FTS_TABLE = "search_product_fts"
VOCAB_TABLE = "search_product_fts_vocab"
SOURCE_VIEW = "search_product_source"
COLUMNS = ("title", "categories", "shops", "details", "description")
# bm25() weights in column order; the ratios of PostgreSQL's ts_rank weights (A 1, B 0.4, C 0.2, D 0.1).
BM25_WEIGHTS = (10.0, 4.0, 4.0, 2.0, 1.0)


def _terms(text):
    from marketplace.search.text import terms

    return " ".join(terms(text)) if text else ""


def _html_text(text):
    from marketplace.search.text import html_text

    return html_text(text)


def _trade_label(code):
    from shops.models import Trade

    with translation.override("fr"):
        try:
            return str(Trade(code).label)
        except ValueError:
            return code or ""


def sqlite_functions_register(connection) -> None:
    """The SQL functions the index's view and triggers call (a Django ``connection_created`` hook)."""
    raw = connection.connection
    raw.create_function("HALLE_TERMS", 1, _terms, deterministic=True)
    raw.create_function("HALLE_HTML_TEXT", 1, _html_text, deterministic=True)
    raw.create_function("HALLE_TRADE_LABEL", 1, _trade_label, deterministic=True)


# The raw text of each product's document: what PostgreSQL's halle_product_search_vector() reads.
SOURCE_SQL = f"""
CREATE VIEW {SOURCE_VIEW} AS
SELECT p.id AS id,
       p.title AS title,
       (SELECT group_concat(DISTINCT anc.name)
          FROM catalogue_productcategory pc
          JOIN catalogue_category c ON c.id = pc.category_id
          JOIN catalogue_category anc ON substr(c.path, 1, length(anc.path)) = anc.path
         WHERE pc.product_id = p.id AND anc.is_public) AS categories,
       (SELECT group_concat(DISTINCT sh.name || ' ' || HALLE_TRADE_LABEL(sh.trade))
          FROM partner_stockrecord sr JOIN shops_shop sh ON sh.partner_id = sr.partner_id
         WHERE sr.product_id = p.id AND sh.status = 'active' AND NOT sh.vacation_mode) AS shops,
       coalesce((SELECT name FROM catalogue_productclass WHERE id = p.product_class_id), '') || ' ' ||
       coalesce((SELECT group_concat(
                   coalesce(av.value_text, '') || ' ' || HALLE_HTML_TEXT(av.value_richtext) || ' ' ||
                   coalesce(ao.option, '') || ' ' ||
                   coalesce((SELECT group_concat(mo.option, ' ')
                               FROM catalogue_productattributevalue_value_multi_option m
                               JOIN catalogue_attributeoption mo ON mo.id = m.attributeoption_id
                              WHERE m.productattributevalue_id = av.id), '') || ' ' ||
                   CASE WHEN av.value_boolean THEN pa.name ELSE '' END || ' ' ||
                   coalesce(CAST(av.value_integer AS TEXT), ''), ' ')
                   FROM catalogue_productattributevalue av
                   JOIN catalogue_productattribute pa ON pa.id = av.attribute_id
                   LEFT JOIN catalogue_attributeoption ao ON ao.id = av.value_option_id
                  WHERE av.product_id = p.id), '') AS details,
       HALLE_HTML_TEXT(p.description) AS description
  FROM catalogue_product p
"""

TABLE_SQL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({', '.join(COLUMNS)}, "
    "tokenize = 'unicode61 remove_diacritics 0')"
)
VOCAB_SQL = f"CREATE VIRTUAL TABLE {VOCAB_TABLE} USING fts5vocab({FTS_TABLE}, 'row')"


_WRITE = (
    f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(COLUMNS)}) "
    f"SELECT id, HALLE_TERMS(title), HALLE_TERMS(categories), HALLE_TERMS(shops), "
    f"HALLE_TERMS(details), HALLE_TERMS(description) FROM {SOURCE_VIEW}"
)


def _refresh(ids_sql: str) -> str:
    """Rewrite the index rows of the products ``ids_sql`` selects (a product gone writes nothing).

    A delete then a plain insert, not ``INSERT OR REPLACE``: a trigger's
    statements take the conflict policy of the statement that fired it, and
    FTS5 refuses the ``OR IGNORE`` of ``bulk_create(ignore_conflicts=True)``.
    """
    return (
        f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({ids_sql}); "
        f"{_WRITE} WHERE id IN ({ids_sql});"
    )


_IN_CATEGORY_TREE = (
    "SELECT pc.product_id FROM catalogue_productcategory pc JOIN catalogue_category c ON c.id = pc.category_id "
    "WHERE substr(c.path, 1, length(OLD.path)) = OLD.path OR substr(c.path, 1, length(NEW.path)) = NEW.path"
)
_WITH_OPTION = (
    "SELECT av.product_id FROM catalogue_productattributevalue av WHERE av.value_option_id = NEW.id "
    "UNION SELECT av.product_id FROM catalogue_productattributevalue av "
    "JOIN catalogue_productattributevalue_value_multi_option m ON m.productattributevalue_id = av.id "
    "WHERE m.attributeoption_id = NEW.id"
)
_VALUE_PRODUCT = "SELECT product_id FROM catalogue_productattributevalue WHERE id = {row}.productattributevalue_id"

# name: (table, event, body). Each becomes "CREATE TRIGGER name AFTER event ON table BEGIN body END".
TRIGGERS: dict[str, tuple[str, str, str]] = {
    "search_fts_product_insert": ("catalogue_product", "INSERT", _refresh("NEW.id")),
    "search_fts_product_update": (
        "catalogue_product", "UPDATE OF title, description, product_class_id", _refresh("NEW.id")),
    "search_fts_product_delete": ("catalogue_product", "DELETE", f"DELETE FROM {FTS_TABLE} WHERE rowid = OLD.id;"),
    "search_fts_productcategory_insert": ("catalogue_productcategory", "INSERT", _refresh("NEW.product_id")),
    "search_fts_productcategory_update": (
        "catalogue_productcategory", "UPDATE", _refresh("OLD.product_id, NEW.product_id")),
    "search_fts_productcategory_delete": ("catalogue_productcategory", "DELETE", _refresh("OLD.product_id")),
    "search_fts_category_update": ("catalogue_category", "UPDATE OF name, path, is_public", _refresh(_IN_CATEGORY_TREE)),
    "search_fts_productclass_update": (
        "catalogue_productclass", "UPDATE OF name",
        _refresh("SELECT id FROM catalogue_product WHERE product_class_id = NEW.id")),
    "search_fts_stockrecord_insert": ("partner_stockrecord", "INSERT", _refresh("NEW.product_id")),
    "search_fts_stockrecord_update": (
        "partner_stockrecord", "UPDATE OF product_id, partner_id", _refresh("OLD.product_id, NEW.product_id")),
    "search_fts_stockrecord_delete": ("partner_stockrecord", "DELETE", _refresh("OLD.product_id")),
    "search_fts_shop_update": (
        "shops_shop", "UPDATE OF name, trade, status, vacation_mode",
        _refresh("SELECT product_id FROM partner_stockrecord WHERE partner_id IN (OLD.partner_id, NEW.partner_id)")),
    "search_fts_attributevalue_insert": ("catalogue_productattributevalue", "INSERT", _refresh("NEW.product_id")),
    "search_fts_attributevalue_update": (
        "catalogue_productattributevalue", "UPDATE", _refresh("OLD.product_id, NEW.product_id")),
    "search_fts_attributevalue_delete": ("catalogue_productattributevalue", "DELETE", _refresh("OLD.product_id")),
    "search_fts_multioption_insert": (
        "catalogue_productattributevalue_value_multi_option", "INSERT", _refresh(_VALUE_PRODUCT.format(row="NEW"))),
    "search_fts_multioption_delete": (
        "catalogue_productattributevalue_value_multi_option", "DELETE", _refresh(_VALUE_PRODUCT.format(row="OLD"))),
    "search_fts_attributeoption_update": ("catalogue_attributeoption", "UPDATE OF option", _refresh(_WITH_OPTION)),
    "search_fts_attribute_update": (
        "catalogue_productattribute", "UPDATE OF name",
        _refresh("SELECT product_id FROM catalogue_productattributevalue WHERE attribute_id = NEW.id")),
}


def _trigger_sql(name: str) -> str:
    table, event, body = TRIGGERS[name]
    return f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN {body} END"


def _expected() -> dict[str, str]:
    objects = {FTS_TABLE: TABLE_SQL, VOCAB_TABLE: VOCAB_SQL, SOURCE_VIEW: SOURCE_SQL.strip()}
    objects.update({name: _trigger_sql(name) for name in TRIGGERS})
    return objects


def fts_index_rebuild(cursor) -> None:
    """Every product's index row written again from its source (a few seconds for the demo)."""
    cursor.execute(f"DELETE FROM {FTS_TABLE}")
    cursor.execute(_WRITE)


def fts_index_ensure(connection) -> bool:
    """Create or repair the index's table, view and triggers; rebuild its rows if anything was missing.

    Idempotent; returns whether something had to be (re)created. SQLite only.
    """
    expected = _expected()
    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(expected))
        cursor.execute(f"SELECT name, sql FROM sqlite_master WHERE name IN ({placeholders})", list(expected))
        present = dict(cursor.fetchall())
        if present == expected:
            return False
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP VIEW IF EXISTS {SOURCE_VIEW}")
        if present.get(FTS_TABLE) != TABLE_SQL or present.get(VOCAB_TABLE) != VOCAB_SQL:
            cursor.execute(f"DROP TABLE IF EXISTS {VOCAB_TABLE}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
            cursor.execute(TABLE_SQL)
            cursor.execute(VOCAB_SQL)
        cursor.execute(SOURCE_SQL.strip())
        for name in TRIGGERS:
            cursor.execute(_trigger_sql(name))
        fts_index_rebuild(cursor)
    return True


def fts_index_drop(connection) -> None:
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP VIEW IF EXISTS {SOURCE_VIEW}")
        cursor.execute(f"DROP TABLE IF EXISTS {VOCAB_TABLE}")
        cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
