"""Signing up: the account is created and the shopper signed in by the same request, or
nothing is written; bad input gets French messages. (Oscar's register_user 500'd under
django-axes, after writing the user.)"""
from __future__ import annotations

import html

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from marketplace.accounts import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Vitrine-du-marché-42"
User = get_user_model()


def _register_page(client, email="nouvelle@halle.test", password1=PASSWORD, password2=PASSWORD):
    return client.post(reverse("customer:register"), {"email": email, "password1": password1, "password2": password2})


def _login_page(client, email="nouvelle@halle.test", password1=PASSWORD, password2=PASSWORD):
    return client.post(reverse("customer:login"), {
        "registration-email": email, "registration-password1": password1, "registration-password2": password2,
        "registration_submit": "1",
    })


SUBMITS = [pytest.param(_register_page, id="page-inscription"), pytest.param(_login_page, id="page-connexion")]


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("submit", SUBMITS)
def test_signing_up_creates_the_account_and_signs_the_shopper_in(client, submit):
    response = submit(client)

    assert response.status_code == 302
    user = User.objects.get(email="nouvelle@halle.test")
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("customer:summary"), follow=True).status_code == 200


@pytest.mark.parametrize("submit", SUBMITS)
def test_the_new_shopper_can_sign_out_and_in_again_with_the_password(client, submit):
    submit(client)
    client.post(reverse("customer:logout"))
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("customer:login"), {
        "login-username": "Nouvelle@Halle.test", "login-password": PASSWORD, "login_submit": "1",
    }, REMOTE_ADDR="10.2.0.1")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email="nouvelle@halle.test").pk)


BAD_INPUT = [
    pytest.param({"email": "camille@halle.test"}, "Un compte existe déjà avec cette adresse e-mail", id="adresse-prise"),
    pytest.param({"email": "CAMILLE@halle.test"}, "Un compte existe déjà avec cette adresse e-mail", id="adresse-prise-majuscules"),
    pytest.param({"email": "pas-une-adresse"}, "Saisissez une adresse e-mail valide", id="adresse-invalide"),
    pytest.param({"password1": "court", "password2": "court"}, "Ce mot de passe est trop court", id="trop-court"),
    pytest.param({"password1": "motdepasse", "password2": "motdepasse"}, "Ce mot de passe est trop courant", id="trop-courant"),
    pytest.param({"password1": "83920174", "password2": "83920174"}, "Ce mot de passe est entièrement numérique", id="numerique"),
    pytest.param({"password2": PASSWORD + "!"}, "Les deux champs de mot de passe ne correspondent pas", id="differents"),
]


@pytest.mark.parametrize("submit", SUBMITS)
@pytest.mark.parametrize(("changes", "message"), BAD_INPUT)
def test_bad_input_gets_a_french_message_and_writes_nothing(client, submit, changes, message):
    UserFactory(username="camille", email="camille@halle.test")
    before = User.objects.count()

    response = submit(client, **changes)

    assert response.status_code == 200
    assert message in _text(response)
    assert User.objects.count() == before
    assert "_auth_user_id" not in client.session


def test_a_failure_while_signing_in_leaves_no_account_behind(client, monkeypatch):
    def broken_login(*args, **kwargs):
        raise RuntimeError("session store unavailable")

    monkeypatch.setattr(services, "login", broken_login)
    client.raise_request_exception = False

    response = _register_page(client)

    assert response.status_code == 500
    assert not User.objects.filter(email="nouvelle@halle.test").exists()


def test_an_address_taken_between_the_form_check_and_the_insert_is_refused_without_writing(rf, monkeypatch):
    from django.contrib.sessions.middleware import SessionMiddleware

    from marketplace.accounts.forms import RegistrationForm

    form = RegistrationForm(data={"email": "tard@halle.test", "password1": PASSWORD, "password2": PASSWORD})
    assert form.is_valid()
    UserFactory(username="premiere", email="Tard@halle.test")  # the other submission won
    request = rf.post("/accounts/register/")
    SessionMiddleware(lambda r: None).process_request(request)

    with pytest.raises(services.ValidationError) as caught:
        services.account_register(request=request, form=form)

    assert caught.value.message_dict == {"email": [services.EMAIL_TAKEN]}
    assert User.objects.filter(email__iexact="tard@halle.test").count() == 1
