"""French full-text search: stemming, accents, query syntax, ranking by field, what is found.

Marked ``sqlite``: the same tests run on the SQLite demo's FTS5 index (test_on_sqlite.py).
"""
from __future__ import annotations

import pytest

from marketplace.catalogue.models import Product
from marketplace.search.selectors import products_search
from shops.models import ShopStatus, Trade
from tests.factories import CategoryFactory, ShopFactory
from tests.factories.search import RangeFactory, product_on_sale

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def titles(qs):
    return [p.title for p in qs]


def ranked(query):
    return titles(products_search(query=query).order_by("-rank", "pk"))


@pytest.fixture
def catalogue():
    """A few products of the demo town's kind, each sold by its own stall."""
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


def test_phrase_exclusion_and_alternatives(catalogue):
    product_on_sale(title="Chocolat noir 70 %")

    assert set(titles(products_search(query="chocolat"))) == {"Pains au chocolat", "Chocolat noir 70 %"}
    assert titles(products_search(query="chocolat -pain")) == ["Chocolat noir 70 %"]
    assert titles(products_search(query='"pains au chocolat"')) == ["Pains au chocolat"]
    assert titles(products_search(query='chocolat -"pains au chocolat"')) == ["Chocolat noir 70 %"]
    assert set(titles(products_search(query="baguette ou bière"))) == {
        "Baguette tradition", "Bière blonde artisanale"}
    assert set(titles(products_search(query="baguette OR bière"))) == {
        "Baguette tradition", "Bière blonde artisanale"}


def test_a_quoted_phrase_needs_its_words_in_order(catalogue):
    assert titles(products_search(query='"chocolat pains"')) == []


def test_a_query_of_exclusions_only_finds_nothing(catalogue):
    assert titles(products_search(query="-pain -baguette")) == []


def test_description_is_searched_too():
    product_on_sale(title="Tome des Bauges", description="Fromage au lait cru de vache.")

    assert titles(products_search(query="fromages")) == ["Tome des Bauges"]


def test_html_tags_and_entities_in_the_description_are_not_words():
    product_on_sale(title="Savon", description="<p><strong>Parfum</strong> lavande &amp; miel</p>")

    assert titles(products_search(query="lavande")) == ["Savon"]
    assert titles(products_search(query="strong")) == []
    assert titles(products_search(query="amp")) == []


# --- Categories, shops, class: found and weighted ------------------------------------------


def test_a_product_is_found_by_its_category_and_the_category_ancestors():
    mode = CategoryFactory(name="Mode")
    shoes = CategoryFactory(name="Souliers de ville", parent=mode)
    product_on_sale(title="Derbies noires", categories=[shoes])

    assert titles(products_search(query="souliers")) == ["Derbies noires"]
    assert titles(products_search(query="mode")) == ["Derbies noires"]


def test_a_hidden_category_does_not_make_a_product_findable():
    hidden = CategoryFactory(name="Destockage interne", is_public=False)
    product_on_sale(title="Derbies noires", categories=[hidden])

    assert titles(products_search(query="destockage")) == []


def test_a_product_is_found_by_the_name_and_trade_of_every_shop_selling_it():
    cellar = ShopFactory(name="Le Cellier du Pont", trade=Trade.CAVISTE)
    grocer = ShopFactory(name="Comptoir Lucas", trade=Trade.EPICERIE)
    product = product_on_sale(title="Cidre brut", shop=cellar)
    product.stockrecords.create(partner=grocer.partner, partner_sku="X1", price="4.00", num_in_stock=3)

    for query in ("cellier", "caviste", "comptoir lucas", "épicerie fine", "cidre cellier"):
        assert titles(products_search(query=query)) == ["Cidre brut"], query


def test_a_shop_that_does_not_sell_makes_nothing_findable():
    product_on_sale(title="Cidre brut", shop=ShopFactory(name="Cave Fermée", status=ShopStatus.SUSPENDED))
    product_on_sale(title="Poiré", shop=ShopFactory(name="Cave en Congés", vacation_mode=True))

    assert titles(products_search(query="cave")) == []


def test_a_product_is_found_by_its_product_class():
    product_on_sale(title="Sancerre blanc", product_class=RangeFactory(name="Boissons alcoolisées"))

    assert titles(products_search(query="alcoolisées")) == ["Sancerre blanc"]


def test_title_ranks_above_category_and_shop_above_class_above_description():
    category = CategoryFactory(name="Miels")
    in_description = product_on_sale(title="Pain d'épices", description="Au miel de fleurs.")
    in_class = product_on_sale(title="Pot de lavande", product_class=RangeFactory(name="Miel et confitures"))
    in_category = product_on_sale(title="Pot d'acacia", categories=[category])
    in_shop = product_on_sale(title="Pot de forêt", shop=ShopFactory(name="Le Miel de Jules"))
    in_title = product_on_sale(title="Miel de châtaignier")

    found = ranked("miel")

    assert found[0] == in_title.title
    assert set(found[1:3]) == {in_category.title, in_shop.title}
    assert found[3:] == [in_class.title, in_description.title]


def test_a_title_match_ranks_above_a_description_only_match_created_later():
    in_title = product_on_sale(title="Chaussures de ville", description="Cuir pleine fleur.")
    description_only = product_on_sale(title="Sac à dos", description="Idéal avec des chaussures de marche.")

    results = list(products_search(query="chaussure").order_by("-rank"))

    assert results == [in_title, description_only]
    assert results[0].rank > results[1].rank


# --- What is searched ---------------------------------------------------------------------


def test_products_not_on_sale_are_not_found():
    product_on_sale(title="Miel de lavande", is_public=False)
    product_on_sale(title="Miel de châtaignier", shop=ShopFactory(status=ShopStatus.SUSPENDED))
    product_on_sale(title="Miel de forêt", shop=ShopFactory(vacation_mode=True))
    product_on_sale(title="Miel d'acacia")

    assert titles(products_search(query="miel")) == ["Miel d'acacia"]


@pytest.mark.parametrize(
    "query",
    ["", "   ", "😀", "'; DROP TABLE catalogue_product; --", '"', "-", "!!!", "*", "NEAR(", "^:", "&|!", ":*"],
)
def test_odd_queries_find_nothing_without_error(catalogue, query):
    assert titles(products_search(query=query)) == []
    assert Product.objects.count() == len(catalogue)


@pytest.mark.parametrize(
    "query",
    [
        'pain"', "pain*", "pain:*", "pain^", "pain ^", "(pain", "pain)", "pain & !", "pain | chocolat:",
        'pain "', "pain +", "pain -", "pain:chocolat", "{pain}", "pain; --",
    ],
)
def test_fts_and_tsquery_syntax_characters_are_plain_separators(catalogue, query):
    assert "Pains au chocolat" in titles(products_search(query=query))
