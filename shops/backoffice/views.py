"""The merchant back-office at /espace-commercant/: one shop at a time, only its own objects.

This module: home, shop choice, profile, hours, closures, photos; the catalogue is in
``views_catalogue``, CSV imports and exports in ``views_imports``, the access rules in ``access``.

Every view goes through ``backoffice_view``: anonymous users are sent to the login
page, users who are staff of no shop get a 403, and ``request.shop`` is the
current shop, re-validated against ``shops_for_user`` on every request (the
session only remembers which one was picked). Objects in URLs are always looked
up *within* ``request.shop``: another shop's id is a 404.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from marketplace.order import selectors as order_selectors
from shops import selectors
from shops.backoffice import forms

# SESSION_KEY and backoffice_view are still imported from here by older code.
from shops.backoffice.access import SESSION_KEY, backoffice_view, errors_to_form  # noqa: F401
from shops.models import Closure, ShopPhoto, ShopRole
from shops.services import profile as shop_profile


@backoffice_view
@require_http_methods(["GET"])
def home(request):
    from shops.onboarding import shop_onboarding_get

    shop = request.shop
    return render(request, "backoffice/home.html", {
        "onboarding": shop_onboarding_get(shop=shop),
        # Its steps lead to the owner's pages (payments, team): links for the owner and the town only.
        "onboarding_links": request.shop_role == ShopRole.OWNER or request.assisted is not None,
        "open_orders_count": order_selectors.shop_orders_open_count(shop=shop),
        "low_stock_count": selectors.shop_offers_low_stock(shop=shop).count(),
        "offer_count": selectors.shop_offers_listed(shop=shop).count(),
        "several_shops": selectors.shops_for_user(user=request.user).count() > 1,
    })


@backoffice_view(needs_shop=False, read_only_ok=True)
@require_http_methods(["GET", "POST"])
def shop_choose(request):
    shops = selectors.shops_for_user(user=request.user).order_by("name")
    if request.method == "POST":
        form = forms.ShopChooseForm(request.POST)
        if not form.is_valid():
            raise Http404("Commerce inconnu.")
        shop = get_object_or_404(shops, pk=form.cleaned_data["shop"])
        request.session[SESSION_KEY] = shop.pk
        messages.success(request, f"Vous gérez maintenant « {shop.name} ».")
        return redirect("backoffice:home")
    return render(request, "backoffice/shop_choose.html", {"shops": shops})


@backoffice_view
@require_http_methods(["GET", "POST"])
def profile(request):
    shop = request.shop
    form = forms.ShopProfileForm(request.POST or None, instance=shop)
    if request.method == "POST" and form.is_valid():
        try:
            shop_profile.shop_profile_update(shop=shop, **{name: form.cleaned_data[name] for name in form.Meta.fields})
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, "Profil enregistré.")
            return redirect("backoffice:profile")
    shop.refresh_from_db()
    return render(request, "backoffice/profile.html", {"form": form})


@backoffice_view
@require_http_methods(["GET", "POST"])
def hours(request):
    shop = request.shop
    if request.method == "POST":
        formset = forms.OpeningHoursFormSet(request.POST, prefix="h")
        if formset.is_valid():
            try:
                shop_profile.shop_opening_hours_set(shop=shop, periods=formset.periods())
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)
            else:
                messages.success(request, "Horaires enregistrés.")
                return redirect("backoffice:hours")
    else:
        initial = [{"weekday": p.weekday, "opens": p.opens, "closes": p.closes} for p in shop.opening_periods.all()]
        formset = forms.OpeningHoursFormSet(initial=initial, prefix="h")
    return render(request, "backoffice/hours.html", {"formset": formset})


@backoffice_view
@require_http_methods(["GET", "POST"])
def closures(request):
    shop = request.shop
    form = forms.ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shop_profile.shop_closure_add(shop=shop, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, "Fermeture ajoutée.")
            return redirect("backoffice:closures")
    return render(request, "backoffice/closures.html", {
        "form": form, "closures": shop.closures.order_by("-starts_at")[:50],
    })


@backoffice_view
def closure_delete(request, closure_pk: int):
    closure = get_object_or_404(Closure, pk=closure_pk, shop=request.shop)
    if request.method != "POST":  # the object is looked up first: another shop's id is a 404
        return HttpResponseNotAllowed(["POST"])
    shop_profile.shop_closure_delete(closure=closure)
    messages.success(request, "Fermeture supprimée.")
    return redirect("backoffice:closures")


@backoffice_view
@require_http_methods(["GET", "POST"])
def photos(request):
    shop = request.shop
    form = forms.PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            shop_profile.shop_photo_add(shop=shop, upload=form.cleaned_data["image"], alt_text=form.cleaned_data["alt_text"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                errors_to_form(form, error)
            else:
                form.add_error("image", error)
        else:
            messages.success(request, "Photo ajoutée.")
            return redirect("backoffice:photos")
    return render(request, "backoffice/photos.html", {"form": form, "photos": shop.photos.all()})


@backoffice_view
def photo_delete(request, photo_pk: int):
    photo = get_object_or_404(ShopPhoto, pk=photo_pk, shop=request.shop)
    if request.method != "POST":  # the object is looked up first: another shop's id is a 404
        return HttpResponseNotAllowed(["POST"])
    shop_profile.shop_photo_delete(photo=photo)
    messages.success(request, "Photo supprimée.")
    return redirect("backoffice:photos")


