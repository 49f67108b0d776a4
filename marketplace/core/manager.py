"""The town-centre manager's role and the access rule of their pages under ``/gestion/``.

The town manager is a signed-in, active user with ``is_staff`` (the town's own staff).
In Oscar's dashboard the role carries the permissions of the pages the manager still
works in (``TownManagerPermissionsBackend``). Being a superuser is something else:
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


#: What the town manager may do in Oscar's dashboard, by app label: the catalogue (the town's
#: categories, product types and every shop's products), the orders (search, detail, Oscar's
#: statistics and the orders report), offers, vouchers and ranges (the town's promotions),
#: partners (the shops' side of those pages) and Oscar's reports (``analytics``).
TOWN_MANAGER_APPS = ("catalogue", "order", "offer", "voucher", "partner", "analytics")
#: Single permissions outside those apps: reading the customers list (help a shopper).
TOWN_MANAGER_PERMISSIONS = frozenset({"auth.view_user"})
#: Never given by the role: the flag that makes a user a shop's (Oscar's partner dashboard).
NOT_THE_MANAGERS = frozenset({"partner.dashboard_access"})


class TownManagerPermissionsBackend:
    """Gives the town manager the model permissions of the dashboard pages their work uses.

    Oscar 4's dashboard asks for model permissions (``order.view_order``…), not only
    ``is_staff``: a manager who is staff but not a superuser (the Django admin is the
    superusers', ``marketplace.core.admin_site``) would get a 403 on every page but its
    home. The role is ``user_is_town_manager``; nothing is stored, so revoking staff
    takes every permission at once. Authenticates nobody.
    """

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if not user_is_town_manager(user_obj) or perm in NOT_THE_MANAGERS:
            return False
        return perm in TOWN_MANAGER_PERMISSIONS or perm.partition(".")[0] in TOWN_MANAGER_APPS

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        return user_is_town_manager(user_obj) and app_label in TOWN_MANAGER_APPS
