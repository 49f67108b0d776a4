"""SQLite only: the demo's FTS5 index holds the French stems of each product's document, and
survives Django's table rebuilds. Run by test_on_sqlite.py (never collected on PostgreSQL:
the file name does not start with ``test_``)."""
from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from marketplace.search.selectors import products_search
from marketplace.search.sqlite_index import FTS_TABLE, TRIGGERS, fts_index_ensure
from marketplace.search.text import terms
from shops.models import Shop, Trade
from tests.factories import CategoryFactory, ShopFactory
from tests.factories.search import RangeFactory, product_on_sale

pytestmark = [pytest.mark.sqlite]


def _row(product_id: int) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT title, categories, shops, details, description FROM {FTS_TABLE} WHERE rowid = %s",
            [product_id],
        )
        row = cursor.fetchone()
    return dict(zip(("title", "categories", "shops", "details", "description"), row, strict=True))


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_fts_%'")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_the_index_row_holds_the_stems_of_each_field():
    vegetables = CategoryFactory(name="Légumes")
    soups = CategoryFactory(name="Soupes du jardin", parent=vegetables)
    shop = ShopFactory(name="Les Jardins de Léa", trade=Trade.PRIMEUR)
    product = product_on_sale(
        title="Velouté de potirons", shop=shop, categories=[soups],
        product_class=RangeFactory(name="Alimentaire"), description="<p>Fait maison &amp; bio</p>",
    )

    row = _row(product.pk)

    assert row["title"] == "velout potiron"
    assert row["title"] == " ".join(terms(product.title))
    assert set(row["categories"].split()) == set(terms("Légumes Soupes du jardin"))
    assert row["shops"].split() == terms("Les Jardins de Léa Primeur")
    assert row["details"].split() == terms("Alimentaire")
    assert row["description"].split() == terms("Fait maison bio")


@pytest.mark.django_db
def test_a_deleted_product_leaves_the_index():
    product = product_on_sale(title="Velouté de potirons")
    product_id = product.pk

    product.stockrecords.all().delete()
    product.delete()

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE rowid = %s", [product_id])
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
def test_ensure_does_nothing_when_everything_is_in_place():
    assert fts_index_ensure(connection) is False


@pytest.mark.django_db(transaction=True)
def test_a_django_rebuild_of_a_table_loses_its_triggers_and_migrate_puts_them_back():
    shop = ShopFactory(name="Cave Dupont", trade=Trade.CAVISTE)
    product_on_sale(title="Cidre brut", shop=shop)
    with connection.schema_editor() as editor:
        # What Django does to alter a column on SQLite: copy the table into a new one.
        editor._remake_table(Shop)
    lost = set(TRIGGERS) - _triggers()
    assert lost == {name for name, (table, _event, _body) in TRIGGERS.items() if table == "shops_shop"}

    call_command("migrate", verbosity=0)  # nothing to migrate; the post-migrate check runs

    assert _triggers() == set(TRIGGERS)
    Shop.objects.filter(pk=shop.pk).update(name="Cave Martin")
    assert [p.title for p in products_search(query="martin")] == ["Cidre brut"]
    assert [p.title for p in products_search(query="dupont")] == []
