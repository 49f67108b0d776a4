"""Oscar's sign-in/sign-up page, sign-up page and sign-out, corrected.

- Sign-up goes through ``account_register`` (account created and shopper signed in,
  in one transaction) instead of Oscar's ``register_user``, which 500s under django-axes.
- Signing in without ``next`` leads every role to its own space (not Oscar's dashboard
  for staff).
- Signing out changes state, so it is a POST (a form button in the header): a GET
  (an old bookmark, an ``<img src>`` planted on another site) only shows a page
  with that button, and signs nobody out. Oscar's other account views that write on
  a GET get the same treatment (``post_only``).

Routed in front of Oscar's own URLs (``marketplace/config/urls.py``), at the same
addresses, so ``{% url 'customer:login' %}`` and friends still point here.
"""
from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from oscar.apps.customer.views import AccountAuthView as OscarAccountAuthView
from oscar.apps.customer.views import AccountRegistrationView as OscarAccountRegistrationView
from oscar.apps.customer.wishlists.views import (
    WishListMoveProductToAnotherWishList as OscarWishListMove,
)

from marketplace.accounts.forms import RegistrationForm
from marketplace.accounts.services import account_register


class _RegisterWithSignIn:
    """Replaces Oscar's ``RegisterUserMixin.register_user``; a race on the address comes
    back as the form's error (the page is shown again, nothing is written)."""

    def register_user(self, form):
        return account_register(request=self.request, form=form)

    def _registered(self, form) -> bool:
        try:
            self.register_user(form)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return False
        return True


@method_decorator(never_cache, name="dispatch")
class AccountAuthView(_RegisterWithSignIn, OscarAccountAuthView):
    registration_form_class = RegistrationForm

    def get_login_success_url(self, form):
        """Oscar sends staff to its dashboard; every role goes to its own space instead
        (``after-login``: the town's staff to ``/gestion/``), a ``next`` still winning."""
        return form.cleaned_data["redirect_url"] or settings.LOGIN_REDIRECT_URL

    def validate_registration_form(self):
        form = self.get_registration_form(bind_data=True)
        if form.is_valid() and self._registered(form):
            messages.success(self.request, self.get_registration_success_message(form))
            return redirect(self.get_registration_success_url(form))
        return self.render_to_response(self.get_context_data(registration_form=form))


@method_decorator(never_cache, name="dispatch")
class AccountRegistrationView(_RegisterWithSignIn, OscarAccountRegistrationView):
    form_class = RegistrationForm

    def form_valid(self, form):
        if self._registered(form):
            return redirect(form.cleaned_data["redirect_url"])
        return self.form_invalid(form)


SIGNED_OUT = "Déconnexion effectuée. À bientôt !"


@method_decorator([csrf_protect, never_cache], name="dispatch")
class LogoutView(View):
    """POST signs out (and drops Oscar's basket and recently-viewed cookies); GET shows the button."""

    template_name = "halle/logout.html"

    def get(self, request):
        if not request.user.is_authenticated:
            return redirect("home")
        return render(request, self.template_name)

    def post(self, request):
        logout(request)
        messages.success(request, SIGNED_OUT)
        response = redirect("home")
        for cookie in settings.OSCAR_COOKIES_DELETE_ON_LOGOUT:
            response.delete_cookie(cookie)
        return response


def post_only(view, *, title: str, button: str):
    """Oscar's views that change something on a GET (an address made the default, a product
    added to or moved between wish lists, a stock alert confirmed or cancelled): the GET now
    only shows what the POST will do, with the button; the POST (CSRF-checked) does it.

    A link planted in another site, or opened by a mail client's link checker, changes
    nothing. Oscar's ``RedirectView`` subclasses already do on POST what they did on GET.
    """

    @functools.wraps(view)
    @never_cache
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            return view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "POST"])
        return render(request, "halle/confirm_action.html", {"title": title, "button": button})

    return wrapper


class WishListMoveProductToAnotherWishList(OscarWishListMove):
    """Oscar's moves the line on GET only; here the POST does it (``post_only``)."""

    def post(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
