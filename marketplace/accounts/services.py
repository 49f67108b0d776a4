"""Signing up a shopper: the account is created and its owner signed in, or nothing is.

Oscar's ``RegisterUserMixin.register_user`` saves the user, then calls
``authenticate()`` without the request; django-axes (first of our
authentication backends) refuses that with ``AxesBackendRequestParameterRequired``,
so the shopper got a 500 with an account already written and no session.
Here the account was created a moment ago with the password just typed, so there
is nothing to authenticate: the user is signed in with ``login()`` directly (axes
still hears of it through ``user_logged_in``), inside the same transaction as the
insert, so a failure anywhere leaves no account behind.

Two submissions of the same address at once (a double click) would both pass the
form's "address already used" check: on PostgreSQL a transaction-scoped advisory
lock on the normalised address makes the second wait for the first and then see
its account (``auth_user.email`` has no unique index to rely on).
"""
from __future__ import annotations

import zlib
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import HttpRequest
from oscar.apps.customer.forms import EmailUserCreationForm
from oscar.apps.customer.signals import user_registered
from oscar.apps.customer.utils import CustomerDispatcher, normalise_email

#: The backend the new shopper is signed in with (the one that finds them by e-mail next time).
SIGN_IN_BACKEND = "marketplace.core.auth_backends.EmailBackend"
#: First key of the advisory locks taken here (the second is the address's checksum).
_LOCK_NAMESPACE = 0x48414C  # "HAL"

EMAIL_TAKEN = (
    "Un compte existe déjà avec cette adresse e-mail : connectez-vous, ou choisissez "
    "« Mot de passe oublié ? » si vous ne vous en souvenez plus."
)


def account_email_lock(*, email: str) -> None:
    """Serialise, until the transaction ends, the sign-ups of one address (PostgreSQL only;
    SQLite, used by the demo alone, already lets one writer at a time)."""
    if connection.vendor != "postgresql":
        return
    key = zlib.crc32(email.lower().encode("utf-8")) - 2**31  # a signed 32-bit int
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, key])


def _welcome_send(*, user, request) -> None:
    CustomerDispatcher().send_registration_email_for_user(user, {"user": user, "request": request})


def account_register(*, request: HttpRequest, form: EmailUserCreationForm):
    """Create the account of a valid registration ``form`` and sign its owner in on ``request``.

    Raises ``ValidationError({"email": EMAIL_TAKEN})`` when the address got an account
    since the form was validated (then nothing is written).
    """
    User = get_user_model()
    email = normalise_email(form.cleaned_data["email"])
    with transaction.atomic():
        account_email_lock(email=email)
        if User._default_manager.filter(email__iexact=email).exists():
            raise ValidationError({"email": EMAIL_TAKEN}, code="email_taken")
        user = form.save()
        user_registered.send_robust(sender=account_register, request=request, user=user)
        if getattr(settings, "OSCAR_SEND_REGISTRATION_EMAIL", True):
            transaction.on_commit(partial(_welcome_send, user=user, request=request), robust=True)
        login(request, user, backend=SIGN_IN_BACKEND)
    return user
