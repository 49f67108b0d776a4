"""Two sign-ups of one address at once (a double click, two tabs) on PostgreSQL: one account,
the other submission refused with the French message, nobody signed in twice."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import RequestFactory

from marketplace.accounts.forms import RegistrationForm
from marketplace.accounts.services import EMAIL_TAKEN, account_register
from tests.concurrency.threads import run_together, unexpected

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Vitrine-du-marché-42"


def _sign_up(i: int):
    form = RegistrationForm(data={"email": "double@halle.test", "password1": PASSWORD, "password2": PASSWORD})
    assert form.is_valid(), form.errors  # both pass the form's check: no account yet
    request = RequestFactory().post("/accounts/register/", REMOTE_ADDR=f"10.3.0.{i + 1}")
    SessionMiddleware(lambda r: None).process_request(request)
    try:
        return account_register(request=request, form=form)
    except ValidationError as error:
        return error


def test_two_sign_ups_of_one_address_at_once_make_one_account():
    assert connection.vendor == "postgresql"

    results = run_together(4, _sign_up)

    users = [r for r in results if isinstance(r, get_user_model())]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert not unexpected(results, get_user_model(), ValidationError)
    assert len(users) == 1 and len(refused) == 3
    assert {tuple(r.message_dict["email"]) for r in refused} == {(EMAIL_TAKEN,)}
    assert get_user_model().objects.filter(email__iexact="double@halle.test").count() == 1
