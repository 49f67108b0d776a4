"""Bad parameters get a French 400 naming each one, never a 500, and change nothing.

Marked ``sqlite``: ``test_on_sqlite.py`` runs them again on the embedded demo's database,
whose FTS5 query syntax is as much a target as tsquery's.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.catalogue.models import Product

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
API = "/api/v1/public/"
ENDPOINTS = ("products/", "search/", "shops/", "collection-points/", "categories/")
PARAMETERS = ("q", "category", "shop", "in_stock", "price_min", "price_max", "sort", "page", "page_size", "trade",
              "open_now", "kind")


def _refused(response, field: str) -> str:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid_parameters" and body["detail"].startswith("Paramètres refusés")
    (message,) = [e["message"] for e in body["errors"] if e["field"] == field]
    return message


@pytest.mark.parametrize("page", ["-1", "0", "10001", "99999999999999999999999", "abc", "1.5", "1e3", "\x00", ""])
def test_a_bad_page_number_is_refused(client, town, page):
    message = _refused(client.get(API + "products/", {"page": page}), "page")

    assert "page" in message and "1 et 10000" in message


@pytest.mark.parametrize("size", ["0", "101", "-5", "tout"])
def test_a_bad_page_size_is_refused(client, town, size):
    assert "1 et 100" in _refused(client.get(API + "products/", {"page_size": size}), "page_size")


def test_an_unknown_filter_is_refused_with_the_accepted_ones(client, town):
    message = _refused(client.get(API + "products/", {"couleur": "rouge"}), "couleur")

    assert message.startswith("Paramètre inconnu : « couleur »") and "price_min" in message


def test_every_bad_parameter_is_named_at_once(client, town):
    response = client.get(API + "products/", {"page": "-1", "price_min": "abc", "sort": "hasard", "x": "1"})

    assert {e["field"] for e in response.json()["errors"]} == {"page", "price_min", "sort", "x"}


@pytest.mark.parametrize("query", ['"pain', "pain*", "NEAR(pain:x)", "pain & chocolat", "pain | x", "!pain", "(pain)",
                                   "title:pain", "^pain", "{title}", "a\\b", "<->"])
def test_search_syntax_characters_are_refused_in_french(client, town, query):
    message = _refused(client.get(API + "search/", {"q": query}), "q")

    assert "caractères de syntaxe de recherche" in message


@pytest.mark.parametrize("query", ["pain\x00", "pain\x1b[31m", "pain\u200b"])
def test_control_characters_are_refused(client, town, query):
    assert "caractères de contrôle" in _refused(client.get(API + "products/", {"q": query}), "q")


def test_an_over_long_query_is_refused(client, town):
    assert "200 caractères" in _refused(client.get(API + "search/", {"q": "pain " * 50}), "q")


@pytest.mark.parametrize(("params", "field"), [
    ({"q": "   "}, "q"), ({}, "q"), ({"q": "a", "sort": "inconnu"}, "sort"), ({"q": "a", "category": "999999"}, "category"),
    ({"q": "a", "shop": "Pas un slug"}, "shop"), ({"q": "a", "shop": "suspendue"}, "shop"),
    ({"q": "a", "in_stock": "peut-etre"}, "in_stock"),
    ({"q": "a", "price_min": "-1"}, "price_min"), ({"q": "a", "price_max": "NaN"}, "price_max"),
    ({"q": "a", "price_min": "9", "price_max": "2"}, "price_min"), ({"q": "a", "page": ["1", "2"]}, "page"),
])
def test_search_parameters_are_checked(client, town, params, field):
    assert _refused(client.get(API + "search/", params), field)


def test_words_with_apostrophes_hyphens_and_accents_are_searched(client, town):
    response = client.get(API + "search/", {"q": "croissant l'été pur-beurre É"})

    assert response.status_code == 200


_text = st.text(st.characters(codec="utf-8"), max_size=60) | st.sampled_from(
    ['"', "*", "NEAR", ":", "&", "|", "!", "-1", "0", "10001", "1e308", "NaN", "pertinence", "boulangerie", "maison-muller"]
)
_params = st.dictionaries(st.sampled_from(PARAMETERS) | st.text(max_size=8), _text, max_size=5)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(endpoint=st.sampled_from(ENDPOINTS), params=_params)
def test_fuzzed_parameters_get_an_answer_never_a_500(client, town, endpoint, params):
    response = client.get(API + endpoint, params)

    assert response.status_code in (200, 400, 404), (response.status_code, params)
    body = response.json()
    if response.status_code != 200:
        assert body["detail"] and body["code"]
    assert Product.objects.count() == 4
