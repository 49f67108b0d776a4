"""The town-centre manager's role and the access rule of their pages under ``/gestion/``.

The town manager is a signed-in, active user with ``is_staff`` (the town's own staff,
as Oscar's dashboard already understands it). Being a superuser is something else:
the Django admin is reserved to superusers (``marketplace.core.admin_site``), so the
demo's manager is staff, not superuser. Merchants, point staff and shoppers are never
staff.
"""
from __future__ import annotations

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

REFUSED = "Réservé au manager du centre-ville."


def user_is_town_manager(user) -> bool:
    """Whether ``user`` may work in ``/gestion/`` (and act for a shop in assisted mode)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def manager_view(func):
    """Anonymous visitors go to the login page; signed-in people who are not the town's
    staff (merchants, point staff, shoppers) get a 403."""

    @functools.wraps(func)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("customer:login"))
        if not user_is_town_manager(request.user):
            raise PermissionDenied(REFUSED)
        return func(request, *args, **kwargs)

    return wrapper
