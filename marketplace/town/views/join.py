"""« Rejoindre Halle »: the public application form (linked from every storefront page's
footer) and the applicant's edit page, opened from the e-mailed link without an account."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from marketplace.town.forms.applications import ApplicationForm, JoinForm
from marketplace.town.services import applications as services


def _errors_to_form(form, error: ValidationError) -> None:
    errors = error.error_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, messages in errors.items():
        form.add_error(field if field in form.fields else None, messages)


@require_http_methods(["GET", "POST"])
def join(request):
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(data=form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            return redirect("town:join-thanks")
    return render(request, "town/public/join.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET"])
def join_thanks(request):
    return render(request, "town/public/join_thanks.html")


@never_cache
@require_http_methods(["GET", "POST"])
def join_edit(request, token: str):
    try:
        application = services.application_from_token(token=token)
    except services.ApplicationLinkInvalid as error:
        return render(request, "town/public/join_link_invalid.html", {"message": error.message}, status=404)
    if not application.is_open:
        return render(request, "town/public/join_link_invalid.html", {
            "message": f"Cette candidature a déjà été traitée ({application.get_status_display().lower()}) : "
                       "elle ne se modifie plus.",
        }, status=410)
    form = ApplicationForm(request.POST or None, initial=ApplicationForm.initial_from(application))
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_update(application=application, data=form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            saved = True
    return render(request, "town/public/join_edit.html", {
        "form": form, "application": application, "saved": saved,
    }, status=400 if form.errors else 200)
