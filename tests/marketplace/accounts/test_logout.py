"""Signing out is a POST: a GET (old link, bookmark, ``<img src>`` on another site) signs nobody
out, and no page links to the sign-out address."""
from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories.backoffice import merchant

pytestmark = pytest.mark.django_db

LOGOUT = "/accounts/logout/"


def test_a_get_to_the_sign_out_address_signs_nobody_out_and_offers_the_button(client):
    user = UserFactory()
    client.force_login(user)

    response = client.get(LOGOUT)

    assert response.status_code == 200
    assert client.session["_auth_user_id"] == str(user.pk)
    page = response.content.decode()
    assert re.search(rf'<form method="post" action="{LOGOUT}"', page)
    assert "Se déconnecter" in page


def test_a_post_signs_out_and_goes_home(client):
    client.force_login(UserFactory())

    response = client.post(LOGOUT)

    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session


def test_a_cross_site_post_without_the_csrf_token_signs_nobody_out():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    user = UserFactory()
    client.force_login(user)

    assert client.post(LOGOUT).status_code == 403
    assert client.session["_auth_user_id"] == str(user.pk)


def _pages_of_signed_in_people():
    shopper = UserFactory(username="acheteuse")
    owner, _shop = merchant(username="gerant", role="owner")
    return [(shopper, reverse("home")), (shopper, reverse("customer:profile-view")),
            (owner, reverse("backoffice:home")), (owner, reverse("backoffice:orders"))]


def test_no_page_links_to_the_sign_out_address_every_one_has_the_post_button(client):
    for user, url in _pages_of_signed_in_people():
        client.force_login(user)
        page = client.get(url).content.decode()
        assert not re.search(rf'<a\b[^>]*href="[^"]*{LOGOUT}', page), url
        assert re.search(rf'<form method="post" action="{LOGOUT}"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken"', page), url
