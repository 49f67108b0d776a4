"""PostgreSQL's side of search: the configuration, the stored vector's weights, the triggers'
reach, and the parity of Python's French terms (the SQLite demo's index) with PostgreSQL's."""
from __future__ import annotations

import importlib
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation

from marketplace.catalogue.models import Product
from marketplace.demo import vocabulary as voc
from marketplace.partner.models import StockRecord
from marketplace.search.selectors import products_search
from marketplace.search.text import STOP_WORDS, terms
from shops import stock as shop_stock
from shops.services import stock_import as shop_imports
from shops.models import Trade
from tests.factories import CategoryFactory, ShopFactory
from tests.factories.search import RangeFactory, product_on_sale

pytestmark = pytest.mark.django_db

document = importlib.import_module("marketplace.search.migrations.0003_postgresql_product_document")


def _vector(product_id: int) -> dict[str, set[str]]:
    """Lexemes of the stored vector by weight."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme, w FROM catalogue_product, unnest(search_vector) AS u(lexeme, positions, weights), "
            "unnest(weights) AS w WHERE id = %s",
            [product_id],
        )
        rows = cursor.fetchall()
    result: dict[str, set[str]] = {}
    for lexeme, weight in rows:
        result.setdefault(weight, set()).add(lexeme)
    return result


def _pg_terms(words: list[str]) -> list[str]:
    """PostgreSQL's lexeme of each word (nothing for a stop word), in order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w.i, lexeme FROM unnest(%s::text[]) WITH ORDINALITY AS w(word, i), "
            "unnest(to_tsvector('french_unaccent', w.word)) AS v(lexeme) ORDER BY w.i",
            [words],
        )
        return [lexeme for _i, lexeme in cursor.fetchall()]


def _written_words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)


def test_search_configuration_folds_accents_and_stems():
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('french_unaccent', 'Crèmes Brûlées')::text")
        assert cursor.fetchone()[0] == "'brule':2 'crem':1"


def test_the_vector_weighs_title_a_categories_and_shops_b_class_c_description_d():
    top = CategoryFactory(name="Épicerie")
    jams = CategoryFactory(name="Confitures", parent=top)
    shop = ShopFactory(name="Chez Paulette", trade=Trade.FROMAGERIE)
    product = product_on_sale(
        title="Pot d'abricots", shop=shop, categories=[jams], product_class=RangeFactory(name="Alimentaire"),
        description="<p>Récolte du Roussillon</p>",
    )

    vector = _vector(product.pk)

    assert vector["A"] == {"pot", "abricot"}
    assert vector["B"] == {"epicer", "confitur", "chez", "paulet", "fromager"}
    assert vector["C"] == {"alimentair"}
    assert vector["D"] == {"recolt", "roussillon"}


def test_vector_cannot_be_overwritten_by_hand():
    product = product_on_sale(title="Cidre brut")

    Product.objects.filter(pk=product.pk).update(search_vector=None)

    assert [p.title for p in products_search(query="cidre")] == ["Cidre brut"]


def test_the_trade_labels_of_the_database_are_those_of_the_shops_app():
    """A new or renamed trade needs a migration replacing halle_trade_label()."""
    with translation.override("fr"):
        expected = {code: str(label) for code, label in Trade.choices}
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, halle_trade_label(code) FROM unnest(%s::text[]) AS code", [list(expected)])
        assert dict(cursor.fetchall()) == expected
    assert document.TRADE_LABELS == expected


def _xmin(product_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM catalogue_product WHERE id = %s", [product_id])
        return cursor.fetchone()[0]


def test_price_and_stock_writes_never_touch_the_product_row():
    """CSV imports and till batches write prices and stock only: no trigger rewrites products."""
    shop = ShopFactory(name="Chez Paulette")
    product = product_on_sale(title="Pot d'abricots", shop=shop)
    offer = product.stockrecords.get()
    before = _xmin(product.pk)

    shop_stock.offers_bulk_update(shop=shop, changes={offer.pk: (Decimal("4.50"), 7)})
    offer = StockRecord.objects.get(pk=offer.pk)
    offer.num_in_stock = 9
    offer.save()
    csv = f"sku;prix;stock\n{offer.partner_sku};4,20;3\n".encode()
    shop_imports.stock_import_apply(
        stock_import=shop_imports.stock_import_preview(shop=shop, user=None, file_name="s.csv", data=csv)
    )

    assert StockRecord.objects.get(pk=offer.pk).num_in_stock == 3
    assert _xmin(product.pk) == before


def test_a_change_that_leaves_the_document_as_it_was_does_not_rewrite_the_product():
    shop = ShopFactory(name="Chez Paulette")
    product = product_on_sale(title="Pot d'abricots", shop=shop)
    before = _xmin(product.pk)

    shop.description = "Une nouvelle description de la boutique."
    shop.save()  # the trigger fires (every column is in the UPDATE), the document is the same
    offer = product.stockrecords.get()
    offer.partner_sku = "NOUVEAU-SKU"
    offer.save()

    assert _xmin(product.pk) == before


def _demo_words() -> str:
    texts = [name for _top, _slug, children in voc.CATEGORIES for name, _s in children]
    texts += [top for top, _slug, _children in voc.CATEGORIES]
    texts += [name for name, _rate in voc.PRODUCT_CLASSES.values()]
    for spec in voc.TRADES:
        texts += [title for title, _sub, _price in spec.products] + list(spec.qualifiers) + list(spec.shop_names)
    texts += list(voc.SURNAMES + voc.FIRST_NAMES + voc.ADJECTIVES + voc.PLACES + voc.STREETS)
    with translation.override("fr"):
        texts += [str(label) for label in Trade.labels]
    return re.sub(r"\{\w+\}", " ", " ".join(texts))


def test_python_french_terms_are_postgresqls_on_the_demo_vocabulary():
    """The SQLite demo's index (Python's Snowball stemmer) holds the words PostgreSQL's would."""
    words = sorted(set(_written_words(_demo_words())))

    assert [t for w in words for t in terms(w)] == _pg_terms(words)


def test_python_stop_words_are_postgresqls():
    words = sorted(STOP_WORDS) + ["à", "les", "aux", "Été"]

    assert [t for w in words for t in terms(w)] == _pg_terms(words)


def test_words_mixing_letters_and_digits_are_folded_and_stemmed_like_python_does():
    words = ["Numéro1", "Zébulon0", "4x4", "B12", "Pâtisseries2026", "70", "2019"]

    assert [t for w in words for t in terms(w)] == _pg_terms(words)
