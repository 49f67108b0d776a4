"""French full-text search on PostgreSQL: stemming, accents, ranking, the trigger, suggestions."""
from __future__ import annotations

import pytest
from django.db import connection

from marketplace.catalogue.models import Product
from marketplace.search.selectors import products_search, query_suggest
from marketplace.search.text import query_clean, text_fold, word_singular
from shops.models import ShopStatus
from tests.factories import ProductClassFactory, ShopFactory, StockRecordFactory
from tests.factories.search import product_on_sale

pytestmark = pytest.mark.django_db


def titles(qs):
    return [p.title for p in qs]


@pytest.fixture
def catalogue():
    """A few products of the demo town's kind, each sold by its own shop."""
    return {
        title: product_on_sale(title=title)
        for title in (
            "Chaussures de randonnée",
            "Crème fraîche épaisse",
            "Pains au chocolat",
            "Baguette tradition",
            "Bière blonde artisanale",
            "Œufs de poules élevées en plein air",
        )
    }


# --- French stemming and accent folding --------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("chaussure", "Chaussures de randonnée"),  # singular finds plural
        ("chaussures", "Chaussures de randonnée"),
        ("CHAUSSURE", "Chaussures de randonnée"),  # case
        ("randonnee", "Chaussures de randonnée"),  # no accent finds accent
        ("creme", "Crème fraîche épaisse"),
        ("crème", "Crème fraîche épaisse"),
        ("crèmes fraiches", "Crème fraîche épaisse"),  # plural finds singular, every word
        ("epaisse", "Crème fraîche épaisse"),
        ("pain", "Pains au chocolat"),
        ("chocolats", "Pains au chocolat"),
        ("biere", "Bière blonde artisanale"),
        ("bières", "Bière blonde artisanale"),
        ("oeufs", "Œufs de poules élevées en plein air"),  # œ ligature folded too
    ],
)
def test_french_stemming_and_accent_folding(catalogue, query, expected):
    assert titles(products_search(query=query)) == [expected]


def test_accented_query_finds_a_title_typed_without_accents():
    product_on_sale(title="Creme brulee maison")

    assert titles(products_search(query="crème brûlée")) == ["Creme brulee maison"]


def test_every_word_must_match(catalogue):
    assert titles(products_search(query="pain chocolat")) == ["Pains au chocolat"]
    assert titles(products_search(query="pain randonnée")) == []


def test_stop_words_alone_match_nothing(catalogue):
    assert titles(products_search(query="de la les")) == []


def test_websearch_syntax_phrase_and_exclusion(catalogue):
    product_on_sale(title="Chocolat noir 70 %")

    assert set(titles(products_search(query="chocolat"))) == {"Pains au chocolat", "Chocolat noir 70 %"}
    assert titles(products_search(query="chocolat -pain")) == ["Chocolat noir 70 %"]
    assert titles(products_search(query='"pains au chocolat"')) == ["Pains au chocolat"]


def test_description_is_searched_too():
    product_on_sale(title="Tome des Bauges", description="Fromage au lait cru de vache.")

    assert titles(products_search(query="fromages")) == ["Tome des Bauges"]


def test_html_tags_in_the_description_are_not_words():
    product_on_sale(title="Savon", description="<p><strong>Parfum</strong> lavande</p>")

    assert titles(products_search(query="lavande")) == ["Savon"]
    assert titles(products_search(query="strong")) == []


# --- Ranking -----------------------------------------------------------------------------


def test_a_title_match_ranks_above_a_description_only_match():
    # Created first so that "newest first" would put it on top if rank were ignored.
    description_only = product_on_sale(title="Sac à dos", description="Idéal avec des chaussures de marche.")
    in_title = product_on_sale(title="Chaussures de ville", description="Cuir pleine fleur.")

    results = list(products_search(query="chaussure").order_by("-rank"))

    assert results == [in_title, description_only]
    assert results[0].rank > results[1].rank


def test_a_title_match_ranks_above_even_when_created_last():
    in_title = product_on_sale(title="Chaussures de ville", description="Cuir pleine fleur.")
    description_only = product_on_sale(title="Sac à dos", description="Idéal avec des chaussures de marche.")

    results = list(products_search(query="chaussure").order_by("-rank"))

    assert results == [in_title, description_only]


# --- What is searched ---------------------------------------------------------------------


def test_products_not_on_sale_are_not_found():
    product_on_sale(title="Miel de lavande", is_public=False)
    product_on_sale(title="Miel de châtaignier", shop=ShopFactory(status=ShopStatus.SUSPENDED))
    product_on_sale(title="Miel de forêt", shop=ShopFactory(vacation_mode=True))
    product_on_sale(title="Miel d'acacia")

    assert titles(products_search(query="miel")) == ["Miel d'acacia"]


@pytest.mark.parametrize("query", ["", "   ", "😀", "'; DROP TABLE catalogue_product; --", "\"", "-", "!!!"])
def test_odd_queries_find_nothing_without_error(catalogue, query):
    assert titles(products_search(query=query)) == []
    assert Product.objects.count() == len(catalogue)


# --- The trigger keeps the vector up to date ----------------------------------------------


def test_vector_written_on_insert_and_on_title_change():
    product = product_on_sale(title="Confiture de fraises")
    assert titles(products_search(query="fraise")) == ["Confiture de fraises"]

    product.title = "Confiture d'abricots"
    product.save()

    assert titles(products_search(query="fraise")) == []
    assert titles(products_search(query="abricot")) == ["Confiture d'abricots"]


def test_vector_written_by_bulk_create_and_queryset_update():
    product_class = ProductClassFactory()
    created = Product.objects.bulk_create(
        [
            Product(title="Gâteau basque", slug="gateau-basque", product_class=product_class, upc="BULK1"),
            Product(title="Galette des rois", slug="galette", product_class=product_class, upc="BULK2"),
        ]
    )
    for product in created:
        StockRecordFactory(product=product)

    assert titles(products_search(query="gateaux")) == ["Gâteau basque"]

    Product.objects.filter(upc="BULK2").update(title="Galette frangipane")

    assert titles(products_search(query="frangipane")) == ["Galette frangipane"]
    assert titles(products_search(query="rois")) == []


def test_vector_cannot_be_overwritten_by_hand():
    product = product_on_sale(title="Cidre brut")

    Product.objects.filter(pk=product.pk).update(search_vector=None)

    assert titles(products_search(query="cidre")) == ["Cidre brut"]


def test_search_configuration_folds_accents_and_stems():
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('french_unaccent', 'Crèmes Brûlées')::text")
        assert cursor.fetchone()[0] == "'brule':2 'crem':1"


# --- Suggestions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("chocolta", "chocolat"),
        ("chaussurres", "chaussures"),
        ("pains au chocolta", "pains au chocolat"),
        ("baguetet tradition", "baguette tradition"),
    ],
)
def test_suggestion_corrects_a_misspelt_word(catalogue, query, expected):
    assert titles(products_search(query=query)) == []

    assert query_suggest(query=query) == expected


def test_suggestion_leads_to_results(catalogue):
    suggestion = query_suggest(query="chocolta")

    assert titles(products_search(query=suggestion)) == ["Pains au chocolat"]


@pytest.mark.parametrize("query", ["xylophone", "😀", "", "zzzzzzzz", "Pains au chocolat"])
def test_no_suggestion_when_nothing_is_close_or_nothing_to_correct(catalogue, query):
    assert query_suggest(query=query) is None


def test_suggestion_never_comes_from_a_product_not_on_sale():
    product_on_sale(title="Chocolat caché", is_public=False)

    assert query_suggest(query="chocolta") is None


def test_suggestion_costs_one_query(catalogue, django_assert_num_queries):
    with django_assert_num_queries(1):
        query_suggest(query="chocolta")


# --- Text helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  pain  au\tchocolat ", "pain au chocolat"),
        ("pain\x00au\x00chocolat", "pain au chocolat"),
        ("\x00", ""),
        ("ｃｈｏｃｏｌａｔ", "chocolat"),  # full-width letters
        ("cre\u0300me", "crème"),  # decomposed accent recomposed
        ("pain\u200bau", "pain au"),  # zero-width space
        ("café 😀", "café 😀"),
    ],
)
def test_query_clean(raw, clean):
    assert query_clean(raw) == clean


def test_text_fold_and_singular():
    assert text_fold("Crème BRÛLÉE, Œuf") == "creme brulee, oeuf"
    assert text_fold(None) is None
    assert [word_singular(w) for w in ("chaussures", "gâteaux", "pas", "riz")] == [
        "chaussure",
        "gâteau",
        "pas",
        "riz",
    ]
