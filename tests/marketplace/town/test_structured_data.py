"""The home page publishes the town's marketplace: an Organization and a WebSite whose
SearchAction opens Halle's own search."""
from __future__ import annotations

import pytest
from django.conf import settings

from marketplace.town.models import TownPage
from tests.support.json_ld import json_ld_of_type

pytestmark = pytest.mark.django_db


def test_the_home_page_publishes_the_organization_and_its_search(client):
    TownPage.objects.create(pk=1, contact_email="centre-ville@example.test", address="Mairie, 45210 Beaumont")
    response = client.get("/")

    organization = json_ld_of_type(response, "Organization")
    site = json_ld_of_type(response, "WebSite")

    assert organization["name"] == f"{settings.OSCAR_SHOP_NAME} {settings.HALLE_TOWN_NAME}"
    assert organization["url"] == "http://testserver/"
    assert organization["email"] == "centre-ville@example.test"
    assert organization["areaServed"]["name"] == settings.HALLE_TOWN_NAME
    assert site["url"] == "http://testserver/" and site["publisher"]["@id"] == organization["@id"]
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"


def test_the_search_action_template_opens_the_search_page(client):
    site = json_ld_of_type(client.get("/"), "WebSite")
    url = site["potentialAction"]["target"]["urlTemplate"].replace("{search_term_string}", "pain")

    response = client.get(url.removeprefix("http://testserver"))

    assert response.status_code == 200 and response.context["query"] == "pain"


def test_the_home_page_without_a_town_page_publishes_no_contact_and_writes_nothing(client):
    organization = json_ld_of_type(client.get("/"), "Organization")

    assert "email" not in organization and "address" not in organization
    assert not TownPage.objects.exists()
