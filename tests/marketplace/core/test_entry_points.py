"""Where people arrive: /favicon.ico and /fr/ answer (no 404), and logging in without ``next``
takes each role to its own space (merchant, point staff, town staff), ``next`` still winning."""
from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

from tests.factories.accounts import UserFactory
from tests.factories.backoffice import merchant
from tests.factories.logistics import CollectionPointFactory
from tests.factories.pickup import point_staff_create

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-de-test"


def test_the_favicon_is_served_from_static(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301 and response["Location"] == "/static/favicon.ico"
    icon = finders.find("favicon.ico")
    assert icon
    with open(icon, "rb") as file:
        assert file.read(4) == b"\x00\x00\x01\x00"  # an ICO file


@pytest.mark.parametrize("path, target", [
    ("/fr/", "/"),
    ("/fr/commerces/", "/commerces/"),
    ("/fr/search/?q=pain", "/search/?q=pain"),
    ("/fr//ailleurs.example/", "/ailleurs.example/"),  # never another site
    ("/fr/\\\\ailleurs.example/", "/ailleurs.example/"),
])
def test_the_french_prefix_leads_to_the_same_page_without_it(client, path, target):
    response = client.get(path)

    assert response.status_code == 301 and response["Location"] == target


def test_fr_reaches_the_french_home_page(client):
    response = client.get("/fr/", follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/"
    assert '<html lang="fr"' in response.content.decode()


def _login(client, user, next_url: str | None = None) -> str:
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    data = {"login-username": user.email, "login-password": PASSWORD, "login_submit": "1"}
    if next_url:
        data["login-redirect_url"] = next_url
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0]


def _with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


def test_a_merchant_lands_in_their_shops_space(client):
    user, _ = merchant(role="owner")

    assert _login(client, _with_password(user)) == "/espace-commercant/"


def test_a_merchant_with_next_goes_there(client):
    user, _ = merchant(role="owner")

    assert _login(client, _with_password(user), next_url="/basket/") == "/basket/"


def test_point_staff_land_at_their_counter(client):
    point = CollectionPointFactory()
    user = _with_password(UserFactory())
    point_staff_create(point=point, user=user)

    assert _login(client, user) == f"/retrait/point/{point.pk}/"


def test_town_staff_land_in_their_space_gestion(client):
    assert _login(client, _with_password(UserFactory(is_staff=True))) == "/gestion/"


def test_a_shopper_lands_on_the_home_page(client):
    assert _login(client, _with_password(UserFactory())) == "/"
