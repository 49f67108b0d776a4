"""The town's synonyms: what they find, how they are checked, where the town edits them."""
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from marketplace.search.models import SearchSynonym
from marketplace.search.selectors import products_search
from marketplace.search.services import synonyms_defaults_load
from marketplace.search.synonyms_fr import FRENCH_SYNONYMS
from tests.factories import CategoryFactory, UserFactory
from tests.factories.search import SynonymFactory, product_on_sale

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def found(query: str) -> list[str]:
    return sorted(p.title for p in products_search(query=query))


@pytest.fixture
def shoes():
    SearchSynonym.objects.all().delete()
    category = CategoryFactory(name="Chaussures")
    product_on_sale(title="Derbies noires", categories=[category])
    product_on_sale(title="Souliers vernis")
    product_on_sale(title="Bouquin ancien")


def test_a_synonym_widens_the_word_typed(shoes):
    assert found("soulier") == ["Souliers vernis"]

    SynonymFactory(word="soulier", searches_for="chaussure")

    assert found("soulier") == ["Derbies noires", "Souliers vernis"]
    assert found("souliers") == ["Derbies noires", "Souliers vernis"]  # the stem is what matches
    assert found("SOULIERS noires") == ["Derbies noires"]


def test_a_synonym_works_one_way_only(shoes):
    SynonymFactory(word="soulier", searches_for="chaussure")

    assert found("chaussure") == ["Derbies noires"]


def test_a_synonym_may_search_several_expressions(shoes):
    SynonymFactory(word="godasse", searches_for="chaussures, souliers vernis")

    assert found("godasses") == ["Derbies noires", "Souliers vernis"]


def test_a_synonym_does_not_widen_a_quoted_phrase_or_an_excluded_word(shoes):
    SynonymFactory(word="soulier", searches_for="chaussure")

    assert found('"souliers vernis"') == ["Souliers vernis"]
    assert found("soulier -derbies") == ["Souliers vernis"]


@pytest.mark.parametrize(
    ("word", "searches_for", "field", "message"),
    [
        ("deux mots", "chaussure", "word", "Indiquez un seul mot (sans espace ni trait d’union)."),
        ("", "chaussure", "word", "Indiquez un seul mot (sans espace ni trait d’union)."),
        ("des", "chaussure", "word", "« des » est un mot trop courant pour la recherche : il est ignoré."),
        ("soulier", " , ,", "searches_for", "Indiquez au moins un mot à chercher."),
        ("soulier", "de, la", "searches_for", "« de » ne contient que des mots ignorés par la recherche."),
        ("soulier", ",".join(f"mot{n}" for n in range(11)), "searches_for", "10 expressions au plus."),
    ],
)
def test_a_bad_synonym_gets_a_french_message(word, searches_for, field, message):
    synonym = SearchSynonym(word=word, searches_for=searches_for)

    with pytest.raises(ValidationError) as error:
        synonym.full_clean()

    assert message in error.value.message_dict[field]


def test_two_words_with_the_same_stem_are_one_synonym():
    SearchSynonym.objects.all().delete()
    SynonymFactory(word="soulier", searches_for="chaussure")

    with pytest.raises(ValidationError) as error:
        SearchSynonym(word="Souliers", searches_for="botte").full_clean()

    assert error.value.message_dict["word"] == [
        "« Souliers » a le même radical que « soulier », déjà dans la liste : complétez plutôt celui-là."
    ]


def test_expressions_are_cleaned_on_validation():
    SearchSynonym.objects.all().delete()
    synonym = SearchSynonym(word="Bouquin", searches_for=" livre ,  roman   policier, Livre ")

    synonym.full_clean()

    assert synonym.searches_for == "livre, roman policier"


def test_the_default_french_list_loads_once_and_keeps_the_towns_edits():
    SearchSynonym.objects.all().delete()
    SynonymFactory(word="soulier", searches_for="chaussure, botte")

    added = synonyms_defaults_load()

    assert added == len(FRENCH_SYNONYMS) - 1
    assert SearchSynonym.objects.get(word="soulier").searches_for == "chaussure, botte"
    assert synonyms_defaults_load() == 0
    for synonym in SearchSynonym.objects.all():
        synonym.full_clean()  # the default list passes the admin's checks


def test_the_default_list_is_in_the_database_after_migrate():
    # Loaded by search migration 0002 (tests that flush tables may remove it: load it again).
    synonyms_defaults_load()

    assert SearchSynonym.objects.filter(word="bouquin", searches_for="livre").exists()


def test_the_town_edits_synonyms_in_the_admin(client):
    SearchSynonym.objects.all().delete()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        "/admin/search/searchsynonym/add/", {"word": "pompes", "searches_for": "chaussure, basket"}
    )
    refused = client.post("/admin/search/searchsynonym/add/", {"word": "deux mots", "searches_for": "x"})

    assert response.status_code == 302
    assert SearchSynonym.objects.get().searches_for == "chaussure, basket"
    assert refused.status_code == 200
    assert "Indiquez un seul mot" in refused.content.decode()
    assert client.get("/admin/search/searchsynonym/").status_code == 200
