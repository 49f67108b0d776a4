"""The Django admin, for superusers only.

Django lets any ``is_staff`` user into its admin; here the town manager is staff
(Oscar's dashboard and ``/gestion/`` need it) but must not have users, groups and
login locks at hand. The admin site therefore asks for ``is_superuser``: a staff
user who is not a superuser meets the admin's login page, like any other visitor.
"""
from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class SuperuserAdminSite(AdminSite):
    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser


class HalleAdminConfig(AdminConfig):
    """Replaces ``django.contrib.admin`` in ``INSTALLED_APPS`` (Django's documented way
    to change the default admin site)."""

    default_site = "marketplace.core.admin_site.SuperuserAdminSite"
