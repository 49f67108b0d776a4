"""The geocoding adapters: the local address table (default) and the national API on recorded answers."""
import json
from decimal import Decimal
from pathlib import Path

import pytest

from logistics.geo import AddressProblem, geocoder, text_normalised
from logistics.geo.ban_api import BanApiGeocoder
from logistics.geo.local import LocalGeocoder
from tests.factories.delivery import streets_loaded

RECORDED = Path(__file__).parent / "recorded"


def recorded(name):
    asked = []

    def fetch(url):
        asked.append(url)
        return json.loads((RECORDED / name).read_text(encoding="utf-8"))

    return fetch, asked


def test_the_local_table_is_the_default_geocoder():
    assert isinstance(geocoder(), LocalGeocoder)


def test_text_is_compared_without_case_accents_or_punctuation():
    assert text_normalised("Rue de l'Église — Saint-Étienne") == "rue de l eglise saint etienne"


@pytest.mark.django_db
def test_suggestions_match_every_word_typed_whatever_the_accents():
    streets_loaded(numbers=3, street="Rue de l'Église")
    streets_loaded(numbers=2, street="Rue de la Halle")
    labels = [a.label for a in LocalGeocoder().suggest(query="2 rue de l'eglise")]
    assert labels == ["2 Rue de l'Église, 45210 Beaumont-sur-Loing"]
    assert LocalGeocoder().suggest(query="ru") == []


@pytest.mark.django_db
def test_a_street_without_number_is_placed_at_its_middle():
    streets_loaded(numbers=3)
    place = LocalGeocoder().locate(street="rue de la halle", postcode="45210", town="beaumont-sur-loing")
    assert (place.street, place.town, place.latitude) == ("Rue de la Halle", "Beaumont-sur-Loing",
                                                          Decimal("48.100200"))


@pytest.mark.django_db
def test_a_postcode_of_another_commune_names_the_right_one():
    streets_loaded(numbers=1)
    streets_loaded(numbers=1, street="Grande Rue", postcode="77140", town="Nemours")
    with pytest.raises(AddressProblem) as refused:
        LocalGeocoder().locate(street="1 Grande Rue", postcode="45210", town="Nemours")
    assert refused.value.code == "postcode_mismatch"
    assert refused.value.message == "Le code postal de Nemours est 77140, pas 45210 : corrigez l'un ou l'autre."


def test_the_national_api_adapter_reads_a_recorded_answer():
    fetch, asked = recorded("ban_search_12_rue_de_la_halle.json")
    place = BanApiGeocoder(fetch=fetch).locate(street="12 rue de la Halle", postcode="45210",
                                               town="Beaumont-sur-Loing")
    assert (place.street, place.postcode, place.latitude, place.longitude, place.ban_id) == (
        "12 Rue de la Halle", "45210", Decimal("48.101234"), Decimal("2.700123"), "45210_0042_00012")
    assert asked[0].startswith("https://api-adresse.data.gouv.fr/search/?q=12+rue+de+la+Halle")


def test_the_national_api_adapter_refuses_a_low_score_and_a_wrong_postcode():
    fetch, _ = recorded("ban_search_nowhere.json")
    with pytest.raises(AddressProblem, match="Nous ne trouvons pas « impasse introuvable »"):
        BanApiGeocoder(fetch=fetch).locate(street="3 impasse introuvable", postcode="45210",
                                           town="Beaumont-sur-Loing")
    fetch, _ = recorded("ban_search_12_rue_de_la_halle.json")
    with pytest.raises(AddressProblem, match="Le code postal de Beaumont-sur-Loing est 45210, pas 45300"):
        BanApiGeocoder(fetch=fetch).locate(street="12 rue de la Halle", postcode="45300", town="Beaumont-sur-Loing")


def test_the_national_api_unreachable_is_said_in_french():
    def down(url):
        raise OSError("network unreachable")

    with pytest.raises(AddressProblem, match="ne répond pas"):
        BanApiGeocoder(fetch=down).suggest(query="12 rue de la Halle")
