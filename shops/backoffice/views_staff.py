"""The shop's team: the owner invites staff by e-mail and removes them; invitees accept a link.

Managing the team is for owners only (``owner_only``); accepting an invitation
is open to anyone holding a valid link (it is how a new member gets an account).
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from shops.backoffice import forms
from shops.backoffice.access import SESSION_KEY, backoffice_view, errors_to_form
from shops.models import ShopInvitation
from shops.staff import selectors as staff_selectors
from shops.staff import services as staff_services
from shops.staff.services import InvitationInvalid


@backoffice_view(owner_only=True)
@require_http_methods(["GET", "POST"])
def team(request):
    shop = request.shop
    form = forms.InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = staff_services.invitation_create(shop=shop, email=form.cleaned_data["email"], invited_by=request.user)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, f"Invitation envoyée à {invitation.email}.")
            return redirect("backoffice:team")
    return render(request, "backoffice/team.html", {
        "form": form,
        "staff": staff_selectors.shop_staff_listed(shop=shop),
        "invitations": staff_selectors.shop_invitations_pending(shop=shop),
    })


@backoffice_view(owner_only=True)
def team_member_remove(request, staff_user_pk: int):
    user = get_object_or_404(get_user_model(), pk=staff_user_pk, partners=request.shop.partner)
    if request.method != "POST":  # the object is looked up first: another shop's id is a 404
        return HttpResponseNotAllowed(["POST"])
    try:
        staff_services.shop_staff_remove(shop=request.shop, user=user, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{user.get_full_name() or user.email} ne fait plus partie de l'équipe.")
    return redirect("backoffice:team")


@backoffice_view(owner_only=True)
def invitation_cancel(request, invitation_pk: int):
    invitation = get_object_or_404(ShopInvitation, pk=invitation_pk, shop=request.shop)
    if request.method != "POST":  # the object is looked up first: another shop's id is a 404
        return HttpResponseNotAllowed(["POST"])
    staff_services.invitation_cancel(invitation=invitation)
    messages.success(request, f"Invitation de {invitation.email} annulée.")
    return redirect("backoffice:team")


def _invalid(request, error: InvitationInvalid):
    status = 404 if error.message == staff_services.INVALID else 410
    return render(request, "backoffice/invitation_invalid.html", {"message": error.message}, status=status)


@never_cache  # a secret link showing the invitee's address: no copy kept
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    """Join a shop's staff from an e-mailed link: sign in (existing account) or create an account."""
    try:
        invitation = staff_services.invitation_from_token(token=token)
    except InvitationInvalid as error:
        return _invalid(request, error)
    User = get_user_model()
    user = request.user if request.user.is_authenticated else None
    has_account = user is None and User.objects.filter(email__iexact=invitation.email).exists()
    wrong_account = user is not None and user.email.lower() != invitation.email.lower()
    form = forms.InvitationAccountForm(request.POST or None) if user is None and not has_account else None
    error_message = ""
    if request.method == "POST" and not has_account and not wrong_account and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        try:
            member = staff_services.invitation_accept(
                token=token, user=user, password=data.get("password", ""),
                first_name=data.get("first_name", ""), last_name=data.get("last_name", ""),
            )
        except InvitationInvalid as error:
            return _invalid(request, error)
        except ValidationError as error:
            if form is not None and hasattr(error, "error_dict"):
                errors_to_form(form, error)
            else:
                error_message = " ".join(error.messages)
        else:
            if user is None:
                login(request, member, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_KEY] = invitation.shop_id
            messages.success(request, f"Bienvenue dans l'équipe de « {invitation.shop.name} ».")
            return redirect("backoffice:home")
    return render(request, "backoffice/invitation_accept.html", {
        "invitation": invitation,
        "form": form,
        "has_account": has_account,
        "wrong_account": wrong_account,
        "error_message": error_message,
        "login_url": f"{reverse('customer:login')}?next={request.path}",
    })
