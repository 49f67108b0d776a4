"""Search results and category pages: filters from the query string, facets, suggestions,
French messages for bad input, and a fixed number of SQL queries."""
from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.catalogue.models import Product
from tests.factories import CategoryFactory, ShopFactory, StockRecordFactory
from tests.factories.search import product_on_sale

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


def page(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def listed(response) -> list[str]:
    return [p.title for p in response.context["products"]]


@pytest.fixture
def market():
    bakery = ShopFactory(name="Boulangerie Martin", slug="boulangerie-martin")
    grocer = ShopFactory(name="Épicerie Lucas", slug="epicerie-lucas")
    food = CategoryFactory(name="Alimentation", slug="alimentation")
    bread = CategoryFactory(name="Pains et viennoiseries", slug="pains", parent=food)
    sweets = CategoryFactory(name="Chocolats", slug="chocolats", parent=food)
    product_on_sale(title="Pain de campagne", shop=bakery, price="3.80", categories=[bread])
    product_on_sale(title="Pains au chocolat", shop=bakery, price="1.20", categories=[bread])
    product_on_sale(title="Pain d'épices", shop=grocer, price="6.50", stock=0, categories=[sweets])
    product_on_sale(title="Chocolat noir", shop=grocer, price="4.00", categories=[sweets])
    return {"bakery": bakery, "grocer": grocer, "food": food, "bread": bread, "sweets": sweets}


# --- Search ------------------------------------------------------------------------------


def test_the_three_french_examples_are_found(client):
    for title in ("Chaussures de randonnée", "Crème fraîche épaisse", "Pains au chocolat", "Baguette"):
        product_on_sale(title=title)

    assert listed(client.get("/search/", {"q": "chaussure"})) == ["Chaussures de randonnée"]
    assert listed(client.get("/search/", {"q": "creme"})) == ["Crème fraîche épaisse"]
    assert listed(client.get("/search/", {"q": "pain"})) == ["Pains au chocolat"]


def test_search_results_are_ranked_title_first(client):
    product_on_sale(title="Sac à dos", description="Pour porter ses chaussures de rechange.")
    product_on_sale(title="Chaussures de randonnée")

    response = client.get("/search/", {"q": "chaussures"})

    assert listed(response) == ["Chaussures de randonnée", "Sac à dos"]
    assert 'value="pertinence" selected' in page(response)


def test_a_misspelt_search_shows_the_results_of_the_corrected_query_and_says_so(client, market):
    response = client.get("/search/", {"q": "chocolta"})

    text = page(response)
    # Pain d'épices is in the category « Chocolats ».
    assert set(listed(response)) == {"Chocolat noir", "Pains au chocolat", "Pain d'épices"}
    assert response.context["corrected_from"] == "chocolta"
    assert response.context["query"] == "chocolat"
    assert "Aucun résultat pour « chocolta » : voici les résultats pour une orthographe proche." in text
    assert "Résultats pour « chocolat »" in text


def test_a_correction_that_finds_nothing_gives_way_to_the_closest_categories(client, market):
    empty = CategoryFactory(name="Papeterie", slug="papeterie")

    response = client.get("/search/", {"q": "papetrie"})

    text = page(response)
    assert listed(response) == []
    assert response.context["corrected_from"] is None
    assert "Vouliez-vous dire" not in text
    assert "Aucun produit ne correspond." in text
    assert response.context["closest"].categories == [empty]
    assert "Vous cherchez peut-être" in text
    assert f'<a href="{empty.get_absolute_url()}">Papeterie</a>' in text


def test_a_search_finding_nothing_at_all_offers_no_correction(client, market):
    response = client.get("/search/", {"q": "xylophone"})

    assert listed(response) == []
    assert response.context["corrected_from"] is None
    assert not response.context["closest"]
    assert "Vous cherchez peut-être" not in page(response)


def test_no_correction_when_something_is_found(client, market):
    response = client.get("/search/", {"q": "chocolat"})

    assert response.context["corrected_from"] is None
    assert response.context["closest"] is None
    assert "orthographe proche" not in page(response)


def test_a_search_filtered_down_to_nothing_is_not_corrected(client, market):
    response = client.get("/search/", {"q": "chocolat", "price_min": "500"})

    assert listed(response) == []
    assert response.context["corrected_from"] is None
    assert "Essayez d’enlever un filtre." in page(response)


def test_a_search_naming_a_shop_shows_it_above_the_products(client, market):
    response = client.get("/search/", {"q": "boulangerie martin"})

    text = page(response)
    assert response.context["shops_found"] == [market["bakery"]]
    assert text.index("Boulangerie Martin</a></h3>") < text.index('class="product_pod"')
    assert set(listed(response)) == {"Pain de campagne", "Pains au chocolat"}


@pytest.mark.parametrize(
    "query",
    [
        "pain\x00",
        "\x00pain\x00\x00",
        "pain 😀",
        "pain ' OR 1=1 --",
        "pain\"",
        "pain \u202e\u200b",
        "pain ｐａｉｎ",
    ],
)
def test_odd_queries_are_cleaned_and_still_search(client, market, query):
    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert set(listed(response)) >= {"Pain de campagne"}
    assert Product.objects.count() == 4


@pytest.mark.parametrize("query", ["pain); DROP TABLE catalogue_product; --", "\x00", "😀😀", "''''", "--", "\\", "%", "_",
                                   "<script>alert(1)</script>"])
def test_queries_without_words_find_nothing_cleanly(client, market, query):
    response = client.get("/search/", {"q": query})

    text = page(response)
    assert listed(response) == []
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "Erreur" not in text


def test_too_long_query_gets_a_french_message(client, market):
    response = client.get("/search/", {"q": "pain " * 60})

    assert "La recherche est limitée à 200 caractères." in page(response)
    assert listed(response) == []


def test_nul_in_every_parameter_never_breaks_the_page(client, market):
    params = {k: "1\x00" for k in ("q", "shop", "category", "price_min", "price_max", "in_stock", "sort", "page")}

    response = client.get("/search/", params)
    category_response = client.get(market["food"].get_absolute_url(), params)

    assert response.status_code == 200
    assert category_response.status_code == 200
    assert "Ce commerce n'existe pas." in page(category_response)


# --- Filters and messages ----------------------------------------------------------------


def test_filters_from_the_query_string_on_search(client, market):
    base = {"q": "pain"}

    assert set(listed(client.get("/search/", base))) == {"Pain de campagne", "Pains au chocolat", "Pain d'épices"}
    assert set(listed(client.get("/search/", {**base, "shop": "boulangerie-martin"}))) == {
        "Pain de campagne",
        "Pains au chocolat",
    }
    assert listed(client.get("/search/", {**base, "category": market["sweets"].pk})) == ["Pain d'épices"]
    assert listed(client.get("/search/", {**base, "price_min": "2", "price_max": "5"})) == ["Pain de campagne"]
    assert "Pain d'épices" not in listed(client.get("/search/", {**base, "in_stock": "1"}))
    assert listed(client.get("/search/", {**base, "sort": "prix-croissant"})) == [
        "Pains au chocolat",
        "Pain de campagne",
        "Pain d'épices",
    ]
    assert listed(client.get("/search/", {**base, "sort": "prix-decroissant"}))[0] == "Pain d'épices"
    assert listed(client.get("/search/", {**base, "sort": "nom"})) == [
        "Pain d'épices",
        "Pain de campagne",
        "Pains au chocolat",
    ]


def test_filters_and_sorts_on_a_category_page(client, market):
    url = market["food"].get_absolute_url()

    assert listed(client.get(url)) == ["Chocolat noir", "Pain d'épices", "Pains au chocolat", "Pain de campagne"]
    assert listed(client.get(url, {"sort": "nouveautes"})) == listed(client.get(url))
    assert listed(client.get(url, {"shop": "epicerie-lucas", "in_stock": "1"})) == ["Chocolat noir"]
    assert listed(client.get(url, {"category": market["bread"].pk, "sort": "prix-decroissant"})) == [
        "Pain de campagne",
        "Pains au chocolat",
    ]
    assert listed(client.get(url, {"price_min": "4,00", "sort": "prix-croissant"})) == [
        "Chocolat noir",
        "Pain d'épices",
    ]


def test_unknown_sort_gives_the_default_order_and_no_message(client, market):
    url = market["food"].get_absolute_url()

    response = client.get(url, {"sort": "price; DROP TABLE x"})

    assert listed(response) == listed(client.get(url))
    assert 'role="alert"' not in page(response)
    assert 'value="nouveautes" selected' in page(response)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"price_min": "-3"}, "Le prix minimum doit être un nombre positif."),
        ({"price_min": "abc"}, "Le prix minimum doit être un nombre positif."),
        ({"price_max": "-0,01"}, "Le prix maximum doit être un nombre positif."),
        ({"price_max": "1e999"}, "Le prix maximum doit être un nombre positif."),
        ({"price_min": "10", "price_max": "2"}, "Le prix minimum doit être inférieur ou égal au prix maximum."),
        ({"category": "999999999999"}, "Ce rayon n'existe pas."),
        ({"shop": "pas un commerce !"}, "Ce commerce n'existe pas."),
    ],
)
def test_bad_filters_give_a_french_message_and_are_ignored(client, market, params, message):
    for url, query in (("/search/", {"q": "pain"}), (market["food"].get_absolute_url(), {})):
        plain = client.get(url, query)
        response = client.get(url, {**query, **params})

        assert message in page(response)
        assert 'role="alert"' in page(response)
        assert listed(response) == listed(plain)


def test_bad_and_good_filters_together(client, market):
    response = client.get("/search/", {"q": "pain", "price_min": "abc", "shop": "boulangerie-martin"})

    assert "Le prix minimum doit être un nombre positif." in page(response)
    assert set(listed(response)) == {"Pain de campagne", "Pains au chocolat"}


def test_a_shop_nobody_knows_lists_nothing(client, market):
    response = client.get("/search/", {"q": "pain", "shop": "inconnu"})

    assert listed(response) == []
    assert 'role="alert"' not in page(response)


def test_category_page_with_an_out_of_range_id_is_not_found(client):
    assert client.get("/catalogue/category/x_99999999999999999999/").status_code == 404


# --- Facets in the page ------------------------------------------------------------------


def test_search_page_shows_shop_and_category_facets_with_counts_and_links(client, market):
    response = client.get("/search/", {"q": "pain"})

    text = page(response)
    left = text.split('aria-labelledby="facets-heading"')[1].split("</nav>")[0]
    assert re.search(r'href="\?q=pain&shop=boulangerie-martin">Boulangerie Martin\s*<span[^>]*>\(2', left)
    assert re.search(r'href="\?q=pain&shop=epicerie-lucas">Épicerie Lucas\s*<span[^>]*>\(1', left)
    category = market["bread"].pk
    assert re.search(rf'href="\?q=pain&category={category}">Pains et viennoiseries\s*<span[^>]*>\(2', left)
    assert '<label for="id_price_min">Prix minimum (€)</label>' in left
    assert '<label class="form-check-label" for="id_in_stock">En stock uniquement</label>' in left
    assert "Tous les commerces" not in left


def test_selected_facet_is_marked_and_can_be_removed(client, market):
    response = client.get("/search/", {"q": "pain", "shop": "epicerie-lucas", "page": "1"})

    text = page(response)
    assert 'aria-current="true"><strong>Épicerie Lucas</strong>' in text
    assert '<a href="?q=pain">Tous les commerces</a>' in text
    # The other shop stays on offer, with its count within the other filters.
    assert "Boulangerie Martin" in text
    assert "Effacer les filtres" in text


def test_category_page_facets_are_its_sub_categories(client, market):
    response = client.get(market["food"].get_absolute_url())

    facets = response.context["category_facets"]
    assert [(f.name, f.count) for f in facets] == [("Chocolats", 2), ("Pains et viennoiseries", 2)]
    assert [(f.name, f.count) for f in response.context["shop_facets"]] == [
        ("Boulangerie Martin", 2),
        ("Épicerie Lucas", 2),
    ]


def test_sort_form_keeps_the_filters(client, market):
    response = client.get("/search/", {"q": "pain", "shop": "boulangerie-martin", "in_stock": "1", "price_max": "5"})

    sort_form = page(response).split('<label for="id_sort"')[0].rsplit("<form", 1)[1]
    assert '<input type="hidden" name="q" value="pain">' in sort_form
    assert '<input type="hidden" name="shop" value="boulangerie-martin">' in sort_form
    assert '<input type="hidden" name="in_stock" value="1">' in sort_form
    assert '<input type="hidden" name="price_max" value="5">' in sort_form


def test_pagination_keeps_the_filters(client):
    shop = ShopFactory(slug="fournil")
    for n in range(30):
        product_on_sale(title=f"Pain numéro {n}", shop=shop)

    response = client.get("/search/", {"q": "pain", "shop": "fournil", "sort": "nom"})
    second = client.get("/search/", {"q": "pain", "shop": "fournil", "sort": "nom", "page": "2"})

    assert response.context["paginator"].num_pages == 2
    assert "shop=fournil" in page(response).split('class="pagination')[1]
    assert len(listed(second)) == 6
    assert not set(listed(second)) & set(listed(response))


# --- A fixed number of queries -----------------------------------------------------------


def _town(size: int, word: str):
    """``size`` products with ``word`` in their title, in a sub-category, sold by two
    shops each (one dearer), plus a shop on holiday."""
    top = CategoryFactory(name=f"Rayon {word}")
    sub = CategoryFactory(name=f"Sous-rayon {word}", parent=top)
    first, second, away = ShopFactory(), ShopFactory(), ShopFactory(vacation_mode=True)
    for n in range(size):
        product = product_on_sale(title=f"{word} {n}", shop=first, price=Decimal("2.00") + n, categories=[sub])
        StockRecordFactory(product=product, shop=second, price=Decimal("3.00") + n)
        StockRecordFactory(product=product, shop=away, price=Decimal("1.00"))
    return top, first


def _queries(client, url, params, expected) -> int:
    """Queries of the second hit of ``url``, not counting sorl-thumbnail's key-value store.

    The store reads the database on a cache miss; the test Redis is shared with
    other test sessions on the machine, whose ``cache.clear()`` can empty it
    between the warm-up and the measure. (Cards here have no picture: all share
    Oscar's "missing image" thumbnail, one key whatever the number of products.)
    """
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert len(listed(response)) == expected
    return sum(1 for q in queries.captured_queries if '"thumbnail_kvstore"' not in q["sql"])


@pytest.mark.parametrize(
    "extra",
    [{}, {"sort": "prix-croissant", "in_stock": "1", "price_min": "1", "price_max": "900"}],
    ids=["plain", "filtered"],
)
def test_search_and_category_query_counts_do_not_grow_with_the_products(client, extra):
    counts = {}
    for size in (5, 20):
        word = f"Fouace{size}"
        top, shop = _town(size, word)
        params = {**extra, "shop": shop.slug} if extra else {}
        counts[("search", size)] = _queries(client, "/search/", {"q": word, **params}, size)
        counts[("category", size)] = _queries(client, top.get_absolute_url(), params, size)
        on_first_page = size if params else min(24, Product.objects.count())
        counts[("browse", size)] = _queries(client, "/catalogue/", params, on_first_page)
    print(f"\nSQL queries ({'filtered' if extra else 'plain'}): {counts}")

    for kind in ("search", "category", "browse"):
        assert counts[(kind, 5)] == counts[(kind, 20)], kind
        assert counts[(kind, 20)] < MAX_QUERIES, kind


def test_query_counts_of_a_shop_search_and_of_a_corrected_search_do_not_grow_with_the_products(client):
    counts = {}
    for size in (5, 20):
        word = f"Fouace{size}"
        _top, shop = _town(size, word)
        typo = word[:-3] + word[-2] + word[-3] + word[-1]  # « Fouace5 » -> « Fouaec5 »
        counts[("shop", size)] = _queries(client, "/search/", {"q": shop.name}, size)
        counts[("corrected", size)] = _queries(client, "/search/", {"q": typo.lower()}, size)
        counts[("nothing", size)] = _queries(client, "/search/", {"q": "xylophone"}, 0)
    print(f"\nSQL queries: {counts}")

    for kind in ("shop", "corrected", "nothing"):
        assert counts[(kind, 5)] == counts[(kind, 20)], kind
    assert counts[("shop", 20)] < MAX_QUERIES
    assert counts[("corrected", 20)] < 2 * MAX_QUERIES
