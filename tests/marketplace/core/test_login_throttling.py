"""Login throttling (django-axes) and sign-in without account enumeration."""
from __future__ import annotations

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory
from tests.support.pages import page_without_per_response_tokens

pytestmark = pytest.mark.django_db

PASSWORD = "mot-de-passe-de-test"
LOGIN = "/accounts/login/"


@pytest.fixture
def known(db):
    return UserFactory(username="connue", email="connue@halle.test")


def attempt(client, email: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        LOGIN, {"login-username": email, "login-password": password, "login_submit": "1"}, REMOTE_ADDR=ip
    )


def failure_text(response) -> str:
    return " ".join(str(e) for e in response.context["login_form"].non_field_errors())


def test_known_and_unknown_accounts_fail_alike(client, known):
    wrong = attempt(client, "connue@halle.test", "mauvais")
    unknown = attempt(client, "inconnue@halle.test", "mauvais")
    assert wrong.status_code == unknown.status_code == 200
    assert failure_text(wrong) == failure_text(unknown) != ""


def test_known_and_unknown_accounts_cost_the_same_password_hashing(client, known, monkeypatch):
    calls = []
    real_encode = MD5PasswordHasher.encode
    monkeypatch.setattr(MD5PasswordHasher, "encode", lambda self, *a, **k: calls.append(1) or real_encode(self, *a, **k))

    attempt(client, "connue@halle.test", "mauvais")
    known_cost, calls[:] = len(calls), []
    attempt(client, "inconnue@halle.test", "mauvais")

    assert known_cost == len(calls) >= 1


@pytest.mark.parametrize("email", ["connue@halle.test", "inconnue@halle.test"])
def test_after_n_failures_the_pair_is_locked_out_in_french_even_with_the_right_password(client, known, settings, email):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, email, "mauvais").status_code == 200
    locked = attempt(client, email, "mauvais")
    assert locked.status_code == 429
    assert "Trop de tentatives de connexion" in locked.content.decode()
    again = attempt(client, email, PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_message_is_the_same_for_known_and_unknown_accounts(client, known, settings):
    pages = []
    for email in ("connue@halle.test", "inconnue@halle.test"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            response = attempt(client, email, "mauvais")
        pages.append(page_without_per_response_tokens(response))
    assert pages[0] == pages[1]


def test_the_lockout_is_per_username_and_ip(client, known, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "connue@halle.test", "mauvais", ip="10.0.0.1")
    assert attempt(client, "connue@halle.test", PASSWORD, ip="10.0.0.1").status_code == 429
    assert attempt(client, "autre@halle.test", "mauvais", ip="10.0.0.1").status_code == 200
    assert attempt(client, "CONNUE@halle.test", PASSWORD, ip="10.0.0.1").status_code == 429  # case does not dodge it
    assert attempt(client, "connue@halle.test", PASSWORD, ip="10.0.0.2").status_code == 302


def test_a_success_clears_earlier_failures(client, known, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "connue@halle.test", "mauvais")
    assert attempt(client, "connue@halle.test", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "connue@halle.test", "mauvais").status_code == 200


def test_password_reset_does_not_tell_who_has_an_account(client, known):
    url = reverse("password-reset")
    known_reply = client.post(url, {"email": "connue@halle.test"})
    unknown_reply = client.post(url, {"email": "inconnue@halle.test"})
    assert known_reply.status_code == unknown_reply.status_code == 302
    assert known_reply["Location"] == unknown_reply["Location"]
    assert [m.to for m in mail.outbox] == [["connue@halle.test"]]
