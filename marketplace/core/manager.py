"""Access to the town-centre manager's pages under ``/gestion/`` (staff only)."""
from __future__ import annotations

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse


def manager_view(func):
    """Anonymous visitors go to the login page; signed-in people who are not the town's
    staff (merchants, shoppers) get a 403."""

    @functools.wraps(func)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("customer:login"))
        if not request.user.is_staff:
            raise PermissionDenied("Réservé au manager du centre-ville.")
        return func(request, *args, **kwargs)

    return wrapper
