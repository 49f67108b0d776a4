"""PostgreSQL: a product's ``search_vector`` covers its categories, shops, class and attributes.

Catalogue migration 0034 indexed the title (A) and the description (B). Now:

- A: the title;
- B: the names of its public categories and of their ancestors, and the name and
  trade of every selling shop (active, not on holiday) that has an offer for it;
- C: its product class and its attribute values (text, rich text, options,
  integers, the attribute's name for a true boolean);
- D: the description, tags and entities removed.

``halle_product_search_vector()`` computes it (VOLATILE, so that it reads what
concurrent transactions committed while it waited); the product's BEFORE trigger calls
it on insert and on every change of title, description or class (and refuses a
hand-written vector, as before). Every table the document reads has triggers
that recompute the vector of the products concerned, only where it changes:
inserts and deletes of categories links, offers and attribute values (statement
level, with transition tables, so ``bulk_create`` costs one pass), and updates
of a category's name, path or visibility, of a shop's name, trade, status or
holiday mode, of a product class's name, of an attribute or option's name.
Price and stock updates (CSV imports, the till API) fire nothing.

Concurrency: the document of a product is recomputed from committed rows by a
writer that waited on the product's row lock (READ COMMITTED, VOLATILE function).
New offers share-lock their shops so that a concurrent shop rename cannot miss
them. Left open (rare, repaired by the next change or ``manage.py search_reindex``):
a category, product class or attribute option renamed while a product is being
linked to it in another transaction may keep the old name in that product's vector.

``halle_trade_label()`` holds the French trade labels of ``shops.models.Trade``;
a test compares them, so a new trade needs a migration that replaces it.
Nothing happens on SQLite (migration 0004 builds the demo's FTS5 index).
"""
from django.db import migrations

from marketplace.core.migration_operations import postgresql_function

TRADE_LABELS = {
    "boulangerie": "Boulangerie-pâtisserie",
    "boucherie": "Boucherie-charcuterie",
    "fromagerie": "Fromagerie",
    "primeur": "Primeur",
    "epicerie": "Épicerie fine",
    "caviste": "Caviste",
    "librairie": "Librairie",
    "fleuriste": "Fleuriste",
    "chaussures": "Chaussures",
    "vetements": "Prêt-à-porter",
    "quincaillerie": "Quincaillerie",
    "jouets": "Jouets",
    "chocolatier": "Chocolatier",
    "parfumerie": "Parfumerie",
    "sport": "Articles de sport",
}
_CASES = "\n".join(f"        WHEN '{code}' THEN '{label}'" for code, label in TRADE_LABELS.items())
MARKUP = r"'<[^>]*>|&[#A-Za-z0-9]+;'"  # what marketplace.search.text.html_text removes

CREATE_SQL = f"""
-- Words mixing letters and digits (« Numéro1 », « 4x4 ») are folded and stemmed like the
-- others, as Python's ``text.terms`` does (PostgreSQL's « french » left them to « simple »).
ALTER TEXT SEARCH CONFIGURATION french_unaccent
    ALTER MAPPING FOR numword, numhword, hword_numpart WITH unaccent, french_stem;

CREATE OR REPLACE FUNCTION halle_trade_label(code text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE code
{_CASES}
        ELSE code END
$$;

CREATE OR REPLACE FUNCTION halle_product_search_vector(
    wanted_id integer, title text, description text, class_id integer
) RETURNS tsvector LANGUAGE sql VOLATILE AS $$
-- VOLATILE on purpose: its queries then take a fresh snapshot (READ COMMITTED), so a
-- writer that waited on a product's row lock recomputes with what the other committed.
SELECT
    setweight(to_tsvector('french_unaccent', coalesce(title, '')), 'A')
    || setweight(to_tsvector('french_unaccent', concat_ws(' ',
        (SELECT string_agg(DISTINCT anc.name, ' ')
           FROM catalogue_productcategory pc
           JOIN catalogue_category c ON c.id = pc.category_id
           JOIN catalogue_category anc ON starts_with(c.path, anc.path)
          WHERE pc.product_id = wanted_id AND anc.is_public),
        (SELECT string_agg(DISTINCT sh.name || ' ' || halle_trade_label(sh.trade), ' ')
           FROM partner_stockrecord sr JOIN shops_shop sh ON sh.partner_id = sr.partner_id
          WHERE sr.product_id = wanted_id AND sh.status = 'active' AND NOT sh.vacation_mode))), 'B')
    || setweight(to_tsvector('french_unaccent', concat_ws(' ',
        (SELECT pcl.name FROM catalogue_productclass pcl WHERE pcl.id = class_id),
        (SELECT string_agg(concat_ws(' ',
                    av.value_text,
                    regexp_replace(av.value_richtext, {MARKUP}, ' ', 'g'),
                    ao.option,
                    (SELECT string_agg(mo.option, ' ')
                       FROM catalogue_productattributevalue_value_multi_option m
                       JOIN catalogue_attributeoption mo ON mo.id = m.attributeoption_id
                      WHERE m.productattributevalue_id = av.id),
                    CASE WHEN av.value_boolean THEN pa.name END,
                    av.value_integer::text), ' ')
           FROM catalogue_productattributevalue av
           JOIN catalogue_productattribute pa ON pa.id = av.attribute_id
           LEFT JOIN catalogue_attributeoption ao ON ao.id = av.value_option_id
          WHERE av.product_id = wanted_id))), 'C')
    || setweight(to_tsvector('french_unaccent',
                             regexp_replace(coalesce(description, ''), {MARKUP}, ' ', 'g')), 'D')
$$;

CREATE OR REPLACE FUNCTION catalogue_product_search_vector_update() RETURNS trigger AS $$
BEGIN
    NEW.search_vector := halle_product_search_vector(NEW.id, NEW.title, NEW.description, NEW.product_class_id);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS catalogue_product_search_vector_trigger ON catalogue_product;
CREATE TRIGGER catalogue_product_search_vector_trigger
    BEFORE INSERT OR UPDATE OF title, description, product_class_id, search_vector ON catalogue_product
    FOR EACH ROW EXECUTE FUNCTION catalogue_product_search_vector_update();

-- Recompute the vectors of these products where their document changed (the trigger writes it).
CREATE OR REPLACE FUNCTION halle_products_search_refresh(ids integer[]) RETURNS void
LANGUAGE sql VOLATILE AS $$
    UPDATE catalogue_product p SET search_vector = NULL
     WHERE p.id = ANY(ids)
       AND p.search_vector IS DISTINCT FROM
           halle_product_search_vector(p.id, p.title, p.description, p.product_class_id)
$$;

-- Statement level, for tables with a product_id column: transition table "changed".
-- New offers first take a share lock on their shops: a rename (or holiday) of one of them
-- running at the same time then waits for this transaction, and its own refresh sees
-- these offers; or this waits for the rename, and reads the new name.
CREATE OR REPLACE FUNCTION halle_search_changed_products() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'partner_stockrecord' AND TG_OP = 'INSERT' THEN
        PERFORM 1 FROM shops_shop WHERE partner_id IN (SELECT partner_id FROM changed) ORDER BY id FOR SHARE;
    END IF;
    PERFORM halle_products_search_refresh(ARRAY(SELECT DISTINCT product_id FROM changed));
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION halle_search_changed_multi_options() RETURNS trigger AS $$
BEGIN
    PERFORM halle_products_search_refresh(ARRAY(
        SELECT DISTINCT av.product_id FROM changed
          JOIN catalogue_productattributevalue av ON av.id = changed.productattributevalue_id));
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- Row level, for updates: the products each changed row concerns.
CREATE OR REPLACE FUNCTION halle_search_row_changed() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME IN ('catalogue_productcategory', 'partner_stockrecord', 'catalogue_productattributevalue') THEN
        PERFORM halle_products_search_refresh(ARRAY[OLD.product_id, NEW.product_id]);
    ELSIF TG_TABLE_NAME = 'catalogue_category' THEN
        PERFORM halle_products_search_refresh(ARRAY(
            SELECT pc.product_id FROM catalogue_productcategory pc
              JOIN catalogue_category c ON c.id = pc.category_id
             WHERE starts_with(c.path, OLD.path) OR starts_with(c.path, NEW.path)));
    ELSIF TG_TABLE_NAME = 'shops_shop' THEN
        PERFORM halle_products_search_refresh(ARRAY(
            SELECT product_id FROM partner_stockrecord WHERE partner_id IN (OLD.partner_id, NEW.partner_id)));
    ELSIF TG_TABLE_NAME = 'catalogue_productclass' THEN
        PERFORM halle_products_search_refresh(ARRAY(
            SELECT id FROM catalogue_product WHERE product_class_id = NEW.id));
    ELSIF TG_TABLE_NAME = 'catalogue_productattribute' THEN
        PERFORM halle_products_search_refresh(ARRAY(
            SELECT product_id FROM catalogue_productattributevalue WHERE attribute_id = NEW.id));
    ELSIF TG_TABLE_NAME = 'catalogue_attributeoption' THEN
        PERFORM halle_products_search_refresh(ARRAY(
            SELECT product_id FROM catalogue_productattributevalue WHERE value_option_id = NEW.id
            UNION
            SELECT av.product_id FROM catalogue_productattributevalue av
              JOIN catalogue_productattributevalue_value_multi_option m ON m.productattributevalue_id = av.id
             WHERE m.attributeoption_id = NEW.id));
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""

# (table, events with their transition table, row-update columns or None for any update)
_TABLES = [
    ("catalogue_productcategory", True, "product_id, category_id", "product_id, category_id"),
    ("partner_stockrecord", True, "product_id, partner_id", "product_id, partner_id"),
    ("catalogue_productattributevalue", True, None, None),
    ("catalogue_category", False, "name, path, is_public", "name, path, is_public"),
    ("shops_shop", False, "name, trade, status, vacation_mode", "name, trade, status, vacation_mode"),
    ("catalogue_productclass", False, "name", "name"),
    ("catalogue_productattribute", False, "name", "name"),
    ("catalogue_attributeoption", False, "option", "option"),
]


def _trigger_sql() -> tuple[str, str]:
    create, drop = [], []
    for table, has_product_id, columns, compared in _TABLES:
        if has_product_id:
            for event, side in (("INSERT", "NEW"), ("DELETE", "OLD")):
                name = f"halle_search_{table}_{event.lower()}"
                create.append(
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {side} TABLE AS changed "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION halle_search_changed_products();"
                )
                drop.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
        of = f" OF {columns}" if columns else ""
        if compared:
            when = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in compared.split(", "))
        else:
            when = "OLD.* IS DISTINCT FROM NEW.*"
        name = f"halle_search_{table}_update"
        create.append(
            f"CREATE TRIGGER {name} AFTER UPDATE{of} ON {table} FOR EACH ROW "
            f"WHEN ({when}) EXECUTE FUNCTION halle_search_row_changed();"
        )
        drop.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
    table = "catalogue_productattributevalue_value_multi_option"
    for event, side in (("INSERT", "NEW"), ("DELETE", "OLD")):
        name = f"halle_search_multi_option_{event.lower()}"
        create.append(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {side} TABLE AS changed "
            f"FOR EACH STATEMENT EXECUTE FUNCTION halle_search_changed_multi_options();"
        )
        drop.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
    return "\n".join(create), "\n".join(drop)


TRIGGERS_SQL, DROP_TRIGGERS_SQL = _trigger_sql()

# Every existing product: the update fires the product trigger with the new document.
REFRESH_SQL = "UPDATE catalogue_product SET search_vector = NULL;"

# Back to migration 0034's vector: title A, description B.
DROP_SQL = DROP_TRIGGERS_SQL + """
ALTER TEXT SEARCH CONFIGURATION french_unaccent
    ALTER MAPPING FOR numword, numhword, hword_numpart WITH simple;
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
UPDATE catalogue_product SET search_vector = NULL;
DROP FUNCTION IF EXISTS halle_search_row_changed();
DROP FUNCTION IF EXISTS halle_search_changed_multi_options();
DROP FUNCTION IF EXISTS halle_search_changed_products();
DROP FUNCTION IF EXISTS halle_products_search_refresh(integer[]);
DROP FUNCTION IF EXISTS halle_product_search_vector(integer, text, text, integer);
DROP FUNCTION IF EXISTS halle_trade_label(text);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_french_synonyms"),
        ("catalogue", "0035_product_page_signature_function"),
        ("partner", "0009_stockhold"),
        ("shops", "0006_owners_and_dashboard_access"),
    ]

    operations = [
        postgresql_function(create_sql=CREATE_SQL + TRIGGERS_SQL + REFRESH_SQL, drop_sql=DROP_SQL),
    ]
