"""The owner's "Caisse et API" page: a token's secret is shown once, then only its prefix; revoking works."""
from __future__ import annotations

import re

import pytest
from django.urls import reverse

from shops.models import ApiToken
from tests.shops.api.conftest import Till

pytestmark = pytest.mark.django_db


def test_a_new_token_is_shown_once_and_works_until_revoked(client, logged_a, staff_a):
    response = logged_a.post(reverse("backoffice:api-tokens"), {"name": "Caisse du comptoir"})
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    secret = re.search(r'value="(halle_[\w-]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get(shop=staff_a[1])
    assert token.name == "Caisse du comptoir" and token.created_by == staff_a[0]
    assert Till(client, secret).get("shop/").status_code == 200

    listing = logged_a.get(reverse("backoffice:api-tokens")).content.decode()
    assert secret not in listing and token.prefix in listing

    assert logged_a.post(reverse("backoffice:api-token-revoke", args=[token.pk])).status_code == 302
    assert Till(client, secret).get("shop/").status_code == 401
    assert "révoqué le" in logged_a.get(reverse("backoffice:api-tokens")).content.decode()


@pytest.mark.parametrize(("name", "message"), [("", "Ce champ est obligatoire."), ("x" * 101, "100 caractères")])
def test_a_bad_token_name_is_a_form_error(logged_a, staff_a, name, message):
    response = logged_a.post(reverse("backoffice:api-tokens"), {"name": name})
    assert response.status_code == 200 and message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_active_tokens_are_capped(logged_a, staff_a):
    from shops.api.tokens import MAX_ACTIVE_PER_SHOP, api_token_create

    for i in range(MAX_ACTIVE_PER_SHOP):
        api_token_create(shop=staff_a[1], name=f"Caisse {i}")
    response = logged_a.post(reverse("backoffice:api-tokens"), {"name": "Une de trop"})
    assert "jetons actifs au maximum" in response.content.decode()
    assert ApiToken.objects.count() == MAX_ACTIVE_PER_SHOP
