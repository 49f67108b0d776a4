"""« Aide du centre-ville »: the owner lets the town act for the shop for a while (or stops
it), and every member of the team reads what the town did (the audit trail)."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from shops.backoffice.access import backoffice_view
from shops.models import ShopRole

ENTRIES_PER_PAGE = 30


class ConsentForm(forms.Form):
    hours = forms.TypedChoiceField(label="Pour combien de temps ?", coerce=int, widget=forms.Select(attrs={"class": "form-control"}),
                                   error_messages={"invalid_choice": "Choisissez une durée dans la liste.",
                                                   "required": "Choisissez une durée."})
    note = forms.CharField(label="Pour quoi (facultatif)", required=False, max_length=200,
                           widget=forms.TextInput(attrs={"class": "form-control"}),
                           help_text="Par exemple « mettre en ligne mes premiers produits ».",
                           error_messages={"max_length": "200 caractères au plus."})

    def __init__(self, *args, **kwargs):
        from marketplace.town.services.assist import DURATIONS

        super().__init__(*args, **kwargs)
        self.fields["hours"].choices = list(DURATIONS.items())


@backoffice_view
@require_http_methods(["GET", "POST"])
def assist(request):
    from marketplace.town.models import AssistAuditEntry
    from marketplace.town.services import assist as services

    shop = request.shop
    form = ConsentForm(request.POST or None)
    if request.method == "POST":
        if request.shop_role != ShopRole.OWNER:
            raise PermissionDenied(services.NOT_OWNER)
        if request.POST.get("action") == "revoke":
            services.assist_consent_revoke(shop=shop, by=request.user)
            messages.success(request, "Le centre-ville ne peut plus agir pour votre commerce.")
            return redirect("backoffice:assist")
        if form.is_valid():
            try:
                consent = services.assist_consent_grant(
                    shop=shop, by=request.user, hours=form.cleaned_data["hours"], note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                until = timezone.localtime(consent.expires_at)
                messages.success(request, f"Le centre-ville peut agir pour votre commerce jusqu'au {until:%d/%m/%Y à %H:%M}.")
                return redirect("backoffice:assist")
    entries = AssistAuditEntry.objects.filter(shop=shop).select_related("actor").order_by("-at", "-pk")
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "backoffice/assist.html", {
        "form": form, "consent": services.assist_consent_active(shop=shop), "page_obj": page,
        "is_owner": request.shop_role == ShopRole.OWNER,
    })
