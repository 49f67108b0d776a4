"""The owner's page for till/POS API tokens: create (the secret is shown once), list, revoke."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from shops.api import tokens
from shops.backoffice import forms
from shops.backoffice.access import backoffice_view, errors_to_form
from shops.models import ApiToken


@never_cache
@backoffice_view(owner_only=True)
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    form = forms.ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = tokens.api_token_create(shop=request.shop, name=form.cleaned_data["name"], created_by=request.user)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            created = {"token": token, "raw": raw}
            form = forms.ApiTokenForm()
    return render(request, "backoffice/api_tokens.html", {
        "form": form,
        "created": created,
        "tokens": tokens.shop_api_tokens_listed(shop=request.shop),
        "api_base": request.build_absolute_uri(reverse("api:shop")),
        "docs_url": reverse("api:docs"),
    })


@backoffice_view(owner_only=True)
def api_token_revoke(request, token_pk: int):
    token = get_object_or_404(ApiToken, pk=token_pk, shop=request.shop)
    if request.method != "POST":  # the object is looked up first: another shop's id is a 404
        return HttpResponseNotAllowed(["POST"])
    tokens.api_token_revoke(token=token)
    messages.success(request, f"Jeton « {token.name} » révoqué : la caisse qui l'utilisait n'a plus accès.")
    return redirect("backoffice:api-tokens")
