"""Bad input to search and listings: a clear French answer, never a 500, nothing written.

Marked ``sqlite``: the FTS5 query syntax of the demo is as much a target as tsquery's.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.catalogue.models import Product
from tests.factories import CategoryFactory, ShopFactory
from tests.factories.search import product_on_sale

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

PARAMETERS = ("q", "shop", "category", "price_min", "price_max", "in_stock", "sort", "page")
# FTS5 (« " * NEAR : ^ + - ( ) AND OR NOT {col} ») and tsquery (« & | ! <-> :* ' ») syntax, SQL.
SYNTAX = [
    '"', '""', '"pain', "pain*", "*", "NEAR(pain chocolat)", "NEAR", "pain:", ":pain", "title:pain", "^pain",
    "pain^", "+pain", "(pain", "pain)", "pain AND", "OR pain", "NOT", "{title}:pain", "pain & chocolat",
    "pain | chocolat", "!pain", "!!", "pain <-> chocolat", "pain:*", "pain:A", "'pain'", "pain''", "\\",
    "%", "_", "pain; DROP TABLE catalogue_product; --", "1' OR '1'='1", "-", "--", "- -pain", '-"',
]


@pytest.fixture
def market():
    bakery = ShopFactory(name="Boulangerie Martin", slug="boulangerie-martin")
    bread = CategoryFactory(name="Pains et viennoiseries", slug="pains")
    product_on_sale(title="Pain de campagne", shop=bakery, price="3.80", categories=[bread])
    product_on_sale(title="Pains au chocolat", shop=bakery, price="1.20", categories=[bread])
    return {"bakery": bakery, "bread": bread}


def _ok(response) -> str:
    assert response.status_code == 200, response.status_code
    text = response.content.decode()
    assert "Traceback" not in text and "Erreur serveur" not in text
    return text


@pytest.mark.parametrize("query", SYNTAX)
def test_query_syntax_characters_never_break_the_search(client, market, query):
    _ok(client.get("/search/", {"q": query}))

    assert Product.objects.count() == 2


@pytest.mark.parametrize("query", ['pain"', "pain*", "pain:*", "(pain)", "pain & !", "pain | chocolat:", "^pain"])
def test_syntax_characters_around_a_word_still_find_it(client, market, query):
    response = client.get("/search/", {"q": query})

    _ok(response)
    assert "Pains au chocolat" in [p.title for p in response.context["products"]]


@pytest.mark.parametrize("page", ["-1", "0", "999999", "99999999999999999999999", "abc", "1.5", "1e3", "\x00"])
@pytest.mark.parametrize("url", ["/search/?q=pain", "/catalogue/", "category"])
def test_a_page_that_does_not_exist_shows_the_first_with_a_french_message(client, market, url, page):
    if url == "category":
        url = market["bread"].get_absolute_url() + "?"
    response = client.get(f"{url}&page={page}" if "?" in url else url, {} if "?" in url else {"page": page})

    text = _ok(response)
    assert response.context["page_obj"].number == 1
    assert "La page demandée n’existe pas : voici la première page." in text


def test_unknown_parameters_are_ignored(client, market):
    plain = client.get("/search/", {"q": "pain"})
    response = client.get("/search/", {"q": "pain", "couleur": "rouge", "q2": "x", "shop[]": "a", "utm_source": "z"})

    _ok(response)
    assert [p.pk for p in response.context["products"]] == [p.pk for p in plain.context["products"]]
    assert 'role="alert"' not in response.content.decode()


def test_a_repeated_parameter_uses_its_last_value(client, market):
    response = client.get("/search/?q=xylophone&q=pain")

    _ok(response)
    assert response.context["query"] == "pain"


def test_control_characters_are_removed_from_the_query(client, market):
    response = client.get("/search/", {"q": "pa\x01in\x7f \u200b\u202echocolat\x1b"})

    _ok(response)
    assert response.context["query"] == "pa in chocolat"


_values = st.one_of(
    st.sampled_from(SYNTAX),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["pain", "chocolat", "boulangerie-martin", "1", "12,50", "prix-croissant", "pertinence"]),
)
_params = st.dictionaries(
    st.one_of(st.sampled_from(PARAMETERS), st.text(min_size=1, max_size=12)),
    _values,
    max_size=len(PARAMETERS) + 2,
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=_params)
def test_fuzzed_search_and_listing_parameters_always_get_a_page(client, market, params):
    for url in ("/search/", market["bread"].get_absolute_url(), "/catalogue/"):
        _ok(client.get(url, params))
    assert Product.objects.count() == 2
