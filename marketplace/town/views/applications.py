"""``/gestion/candidatures/``: the manager reviews applications, asks for changes, approves
(the shop opens and its owner is invited) or declines with a reason."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from marketplace.core.manager import manager_view
from marketplace.town.forms.applications import ChangesRequestForm, DeclineForm
from marketplace.town.models import ApplicationStatus, ShopApplication
from marketplace.town.services import applications as services
from marketplace.town.validation import phone_display

PER_PAGE = 50


@manager_view
@require_http_methods(["GET"])
def applications(request):
    status = request.GET.get("statut", "ouvertes")
    rows = ShopApplication.objects.select_related("reviewed_by", "shop").order_by("-created_at", "-pk")
    if status == "ouvertes":
        rows = rows.filter(status__in=(ApplicationStatus.SUBMITTED, ApplicationStatus.CHANGES_REQUESTED))
    elif status in ApplicationStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "town/applications.html", {
        "page_obj": page, "status": status, "statuses": ApplicationStatus.choices,
    })


def _detail(request, application, *, changes_form=None, decline_form=None, status=200):
    return render(request, "town/application.html", {
        "application": application,
        "phone": phone_display(application.contact_phone),
        "changes_form": changes_form or ChangesRequestForm(),
        "decline_form": decline_form or DeclineForm(),
    }, status=status)


@manager_view
@require_http_methods(["GET", "POST"])
def application(request, application_pk: int):
    application = get_object_or_404(ShopApplication.objects.select_related("reviewed_by", "shop"), pk=application_pk)
    if request.method == "GET":
        return _detail(request, application)
    action = request.POST.get("action", "")
    try:
        if action == "approve":
            shop = services.application_approve(application=application, by=request.user)
            messages.success(request, f"« {shop.name} » est ouvert : l'invitation du gérant est envoyée à {application.contact_email}.")
            return redirect("gestion:shop", shop_pk=shop.pk)
        if action == "changes":
            form = ChangesRequestForm(request.POST)
            if not form.is_valid():
                return _detail(request, application, changes_form=form, status=400)
            services.application_changes_request(application=application, by=request.user, message=form.cleaned_data["message"])
            messages.success(request, f"Demande de modifications envoyée à {application.contact_email}.")
        elif action == "decline":
            form = DeclineForm(request.POST)
            if not form.is_valid():
                return _detail(request, application, decline_form=form, status=400)
            services.application_decline(application=application, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, f"Candidature refusée ; le motif est envoyé à {application.contact_email}.")
        else:
            messages.error(request, "Action inconnue : rechargez la page.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("gestion:application", application_pk=application.pk)
