"""Shops named by a query, corrections of misspelt queries, the closest categories and shops."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.search.selectors import products_search, search_plan, shops_search
from marketplace.search.suggestions import closest_get, query_correct
from shops.models import ShopStatus, Trade
from tests.factories import CategoryFactory, ShopFactory, StockRecordFactory
from tests.factories.search import SynonymFactory, product_on_sale

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def town():
    muller = ShopFactory(name="Maison Muller", trade=Trade.BOULANGERIE)
    mie = ShopFactory(name="La Mie Dorée", trade=Trade.BOULANGERIE)
    cacao = ShopFactory(name="Maison du Cacao", trade=Trade.CHOCOLATIER)
    louise = ShopFactory(name="Les Fromages de Louise", trade=Trade.FROMAGERIE)
    marius = ShopFactory(name="Les Fromages de Marius", trade=Trade.FROMAGERIE)
    bread = CategoryFactory(name="Pains et viennoiseries")
    product_on_sale(title="Croissants au beurre", shop=muller, categories=[bread])
    product_on_sale(title="Baguette tradition", shop=mie, categories=[bread])
    product_on_sale(title="Guimauves maison", shop=cacao)
    comte = product_on_sale(title="Comté 18 mois", shop=louise)
    StockRecordFactory(product=comte, shop=marius)
    product_on_sale(title="Camembert de Normandie", shop=marius)
    return {"muller": muller, "mie": mie, "cacao": cacao, "louise": louise, "marius": marius, "bread": bread}


def shops_for(query: str) -> list[str]:
    plan = search_plan(query=query)
    return [hit.shop.name for hit in shops_search(query=plan, products=products_search(query=plan))]


# --- Shops a query names ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "shops"),
    [
        ("boulangerie", ["La Mie Dorée", "Maison Muller"]),  # the trade
        ("pâtisserie", ["La Mie Dorée", "Maison Muller"]),  # « Boulangerie-pâtisserie »
        ("maison muller", ["Maison Muller"]),  # the name
        ("MULLER", ["Maison Muller"]),
        ("fromages de louise", ["Les Fromages de Louise"]),  # not every « Fromages de … »
        ("fromages", ["Les Fromages de Louise", "Les Fromages de Marius"]),
        ("croissants muller", ["Maison Muller"]),  # a product and its shop
        ("guimauves maison", ["Maison du Cacao"]),  # « maison »: only the one selling guimauves
        ("comté", []),
        ("boulangerie -muller", ["La Mie Dorée"]),
    ],
)
def test_the_shops_a_query_names(town, query, shops):
    assert shops_for(query) == shops


def test_a_shop_that_does_not_sell_now_is_not_named(town):
    ShopFactory(name="Boulangerie Fermée", status=ShopStatus.SUSPENDED)
    ShopFactory(name="Boulangerie en Congés", vacation_mode=True)

    assert shops_for("boulangerie") == ["La Mie Dorée", "Maison Muller"]


def test_a_synonym_names_shops_too(town):
    SynonymFactory(word="boulanger", searches_for="boulangerie")

    assert shops_for("boulanger") == ["La Mie Dorée", "Maison Muller"]


def test_the_search_page_lists_the_named_shops_above_the_products_and_links_to_the_others(client, town):
    for n in range(5):
        ShopFactory(name=f"Fournil {n}", trade=Trade.BOULANGERIE)

    response = client.get("/search/", {"q": "boulangerie"})

    text = response.content.decode()
    assert len(response.context["shops_found"]) == 4
    assert response.context["shops_more"] == 3
    assert "Et 3 autres commerces : voir la liste" in text
    assert 'href="/commerces/?metier=boulangerie"' in text or "?metier=boulangerie" in text
    assert text.index('id="shops-found-heading"') < text.index('class="product_pod"')


def test_the_named_shops_are_only_on_the_first_page(client, town):
    for n in range(30):
        product_on_sale(title=f"Pain numéro {n}", shop=town["muller"])

    first = client.get("/search/", {"q": "muller"})
    second = client.get("/search/", {"q": "muller", "page": "2"})

    assert [s.name for s in first.context["shops_found"]] == ["Maison Muller"]
    assert second.context["shops_found"] == []


# --- Corrections --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "corrected"),
    [
        ("croisants", "croissants"),
        ("camenbert", "camembert"),
        ("muler", "muller"),  # a shop's name
        ("boulangrie", "boulangerie"),  # a trade
        ("viennoisries", "viennoiseries"),  # a category
        ("croisants au beure", "croissants beurre"),
    ],
)
def test_a_misspelt_word_is_corrected_from_the_catalogue(town, query, corrected):
    assert query_correct(plan=search_plan(query=query)) == corrected


@pytest.mark.parametrize(
    "query",
    # « baguete » and « viennoiseris » have the stems of « baguette » and « viennoiseries »: found as typed.
    ["xylophone", "zzzzzzzz", "croissants", "baguete", "viennoiseris", "😀", "", "vim"],
)
def test_no_correction_when_nothing_is_close_or_nothing_is_wrong(town, query):
    assert query_correct(plan=search_plan(query=query)) is None


def test_a_correction_never_comes_from_a_product_not_on_sale(town):
    product_on_sale(title="Chouquettes caramel", is_public=False)

    assert query_correct(plan=search_plan(query="chouqettes")) is None


def test_a_correction_costs_a_fixed_number_of_queries(town, django_assert_max_num_queries):
    plan = search_plan(query="croisants")
    with django_assert_max_num_queries(3):
        query_correct(plan=plan)


# --- The closest categories and shops -------------------------------------------------------


def test_the_closest_categories_and_shops(town):
    closest = closest_get(query="fromagez")

    assert [s.name for s in closest.shops][:2] == ["Les Fromages de Louise", "Les Fromages de Marius"]

    closest = closest_get(query="viennoiserie")
    assert closest.categories == [town["bread"]]


def test_nothing_close_to_gibberish(town):
    assert not closest_get(query="zzqqxx")
    assert not closest_get(query="")


def test_closest_costs_two_queries(town):
    with CaptureQueriesContext(connection) as queries:
        closest_get(query="fromagez")
    assert len(queries) == 2
