"""Who may open the merchant back-office, for which shop: the decorator every back-office view wears.

Anonymous users are sent to the login page, users who are staff of no shop get a
403, and ``request.shop`` is the current shop, re-validated against
``shops_for_user`` on every request (the session only remembers which one was
picked). The town manager acting for a shop (assisted mode) goes through the same
door. Kept apart from the views so that other spaces (the point's drop page) wear
the decorator without importing the merchant's pages.
"""
from __future__ import annotations

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from shops import selectors
from shops.backoffice.assisted import (
    OWNER_PAGES,
    assisted_consent_for,
    assisted_refuse,
    assisted_write,
)
from shops.models import ShopRole, ShopStatus

SESSION_KEY = "backoffice_shop_id"


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SUSPENDED_MESSAGE = (
    "Votre commerce est suspendu par le centre-ville : vous pouvez consulter votre espace, "
    "mais aucune modification n'est possible. Contactez le centre-ville pour en savoir plus."
)
OWNER_ONLY_MESSAGE = "Cette page est réservée au gérant du commerce."


def backoffice_view(view=None, *, needs_shop: bool = True, owner_only: bool = False, read_only_ok: bool = False):
    """Login, shop staff membership and the current shop for ``view``.

    Sets ``request.shop`` and ``request.shop_role`` ("owner" or "staff"), and
    ``request.assisted``: the consent under which the town manager acts for the shop
    (assisted mode, ``shops.backoffice.assisted``), ``None`` for the shop's own staff.
    ``owner_only``: staff who are not the owner get a 403 (staff, API tokens,
    payment settings). Writes (any method but GET/HEAD/OPTIONS) to a suspended
    shop are refused with a 403 page saying why, unless ``read_only_ok`` (a view
    that changes nothing of the shop, such as picking which shop to work on).
    """

    def decorate(func):
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            from shops.staff.selectors import shop_role_get

            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("customer:login"))
            consent = assisted_consent_for(request)
            request.assisted = consent
            if consent is not None:
                return _assisted(request, consent, func, args, kwargs, owner_only=owner_only)
            if not selectors.shops_for_user(user=request.user).exists():
                raise PermissionDenied("Vous n'êtes membre d'aucun commerce.")
            request.shop = selectors.backoffice_shop_get(user=request.user, shop_id=request.session.get(SESSION_KEY))
            request.shop_role = None
            if request.shop is None:
                if needs_shop:
                    return redirect("backoffice:shop-choose")
            else:
                request.shop_role = shop_role_get(shop=request.shop, user=request.user)
                if owner_only and request.shop_role != ShopRole.OWNER:
                    return render(request, "backoffice/refused.html", {"message": OWNER_ONLY_MESSAGE}, status=403)
                if (
                    request.method not in SAFE_METHODS
                    and not read_only_ok
                    and request.shop.status == ShopStatus.SUSPENDED
                ):
                    return render(request, "backoffice/refused.html", {"message": SUSPENDED_MESSAGE}, status=403)
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def _assisted(request, consent, func, args, kwargs, *, owner_only: bool):
    """The town manager acting for ``consent.shop`` (see ``shops.backoffice.assisted``)."""
    request.shop, request.shop_role = consent.shop, None
    url_name = request.resolver_match.url_name if request.resolver_match else ""
    if url_name == "shop-choose":
        return redirect("backoffice:home")
    if owner_only and url_name not in OWNER_PAGES:
        return assisted_refuse(request, consent, url_name=url_name)
    if request.method in SAFE_METHODS:
        return func(request, *args, **kwargs)
    if request.shop.status == ShopStatus.SUSPENDED:
        return render(request, "backoffice/refused.html", {"message": SUSPENDED_MESSAGE}, status=403)
    return assisted_write(request, consent, func, args, kwargs)


def errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


