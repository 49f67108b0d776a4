"""Signing in without telling who has an account.

- ``EmailBackend``: Oscar's e-mail login, but an unknown address costs the
  same password hashing as a known one with a wrong password (Oscar's returns
  at once when no account matches, which a stopwatch can tell apart).
- django-axes locks a username + IP pair out after too many failures, known
  account or not; ``lockout_response`` says so in French, the same way for all.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.shortcuts import render
from oscar.apps.customer.auth_backends import EmailBackend as OscarEmailBackend
from oscar.apps.customer.utils import normalise_email


class EmailBackend(OscarEmailBackend):
    def _authenticate(self, request, email=None, password=None, *args, **kwargs):
        address = normalise_email(email if email is not None else kwargs.get("username") or "")
        if "@" not in address or password is None:
            return None
        users = list(get_user_model().objects.filter(email__iexact=address))
        if not users:
            get_user_model()().set_password(password)  # the hashing a wrong password would have cost
            return None
        matches = [user for user in users if user.check_password(password) and self.user_can_authenticate(user)]
        if len(matches) > 1:
            raise get_user_model().MultipleObjectsReturned("Plusieurs comptes avec cet e-mail et ce mot de passe.")
        return matches[0] if matches else None


def login_username(request, credentials) -> str | None:
    """The name axes counts failures for: what was typed in the login form, case-folded.

    The form's value comes first so that a success (whose signal only carries the
    account's username, not the e-mail typed) clears the failures it follows.
    """
    value = None
    data = getattr(request, "POST", None) or {}
    value = data.get("login-username") or data.get("username")
    if not value and credentials:
        value = credentials.get("username") or credentials.get("email")
    return value.strip().lower() if isinstance(value, str) else value


LOCKOUT_MESSAGE = (
    "Trop de tentatives de connexion infructueuses : par sécurité, la connexion est bloquée "
    "pendant {minutes} minutes pour cet identifiant depuis cet appareil. Vous pouvez aussi "
    "réinitialiser votre mot de passe."
)


def lockout_response(request, credentials=None, *args, **kwargs):
    from django.conf import settings

    minutes = int(round(float(settings.AXES_COOLOFF_TIME) * 60)) if settings.AXES_COOLOFF_TIME else 15
    return render(
        request, "halle/login_locked.html", {"message": LOCKOUT_MESSAGE.format(minutes=minutes)}, status=429
    )
