"""``/gestion/commerces/``: every shop with its onboarding, the shop's page for the manager
(team, plan, consent, audit trail), suspend and reactivate, assisted mode."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from marketplace.core.manager import manager_view
from marketplace.town.models import AssistAuditEntry, AssistConsent
from marketplace.town.selectors.shops import shop_for_manager_get, shops_for_manager
from marketplace.town.services import assist as assist_services
from shops.backoffice.assisted import SESSION_KEY as ASSIST_SESSION_KEY
from shops.models import Shop, ShopStatus

AUDIT_PER_PAGE = 50


@manager_view
@require_http_methods(["GET"])
def shops(request):
    query = request.GET.get("q", "")
    status = request.GET.get("statut", "")
    onboarding_only = request.GET.get("integration") == "1"
    return render(request, "town/shops.html", {
        "checklists": shops_for_manager(query=query, status=status, onboarding_only=onboarding_only),
        "query": query.strip()[:100], "status": status, "statuses": ShopStatus.choices,
        "onboarding_only": onboarding_only,
    })


def _shop_or_404(shop_pk: int) -> Shop:
    try:
        return shop_for_manager_get(shop_pk=shop_pk)
    except Shop.DoesNotExist:
        raise Http404("Commerce inconnu.") from None


@manager_view
@require_http_methods(["GET", "POST"])
def shop_create(request):
    """A shop the town opens itself (no application): its Partner, its Shop and its owner's
    invitation, exactly as the dashboard's « Nouveau commerce »."""
    from django.db import transaction

    from shops.services import profile as shop_profile
    from shops.dashboard.forms import ShopCreateForm
    from shops.models import ShopRole
    from shops.staff.services import invitation_create

    form = ShopCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner_email = data.pop("owner_email")
        try:
            with transaction.atomic():
                shop = shop_profile.shop_create(**data)
                invitation_create(shop=shop, email=owner_email, invited_by=request.user, role=ShopRole.OWNER)
        except ValidationError as error:
            for field, errors in getattr(error, "error_dict", {None: error.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Commerce « {shop.name} » créé ; invitation envoyée à {owner_email}.")
            return redirect("gestion:shop", shop_pk=shop.pk)
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", "form-control")
    return render(request, "town/shop_create.html", {"form": form}, status=400 if form.errors else 200)


@manager_view
@require_http_methods(["GET"])
def shop(request, shop_pk: int):
    from marketplace.payments.selectors import commission_plans_for, shop_plan_changes_upcoming
    from shops.onboarding import shop_onboarding_get
    from shops.staff.selectors import shop_invitations_pending, shop_staff_listed

    shop = _shop_or_404(shop_pk)
    return render(request, "town/shop.html", {
        "shop": shop,
        "checklist": shop_onboarding_get(shop=shop),
        "staff": shop_staff_listed(shop=shop),
        "invitations": list(shop_invitations_pending(shop=shop)),
        "consent": assist_services.assist_consent_active(shop=shop),
        "entries": AssistAuditEntry.objects.filter(shop=shop).select_related("actor").order_by("-at", "-pk")[:10],
        "plan": commission_plans_for(shop_ids=[shop.pk])[shop.pk],
        "plan_changes": shop_plan_changes_upcoming(shop=shop),
        "application": getattr(shop, "application", None),
    })


@manager_view
@require_http_methods(["POST"])
def shop_status(request, shop_pk: int):
    from shops.services import profile as shop_profile

    shop = _shop_or_404(shop_pk)
    suspended = request.POST.get("action") == "suspend"
    shop_profile.shop_suspend(shop=shop, suspended=suspended)
    if suspended:
        messages.success(request, f"« {shop.name} » est suspendu : ses produits ne sont plus en vente et son espace est en lecture seule.")
    else:
        messages.success(request, f"« {shop.name} » est de nouveau actif.")
    return redirect("gestion:shop", shop_pk=shop.pk)


@manager_view
@require_http_methods(["GET"])
def shop_audit(request, shop_pk: int):
    shop = _shop_or_404(shop_pk)
    entries = AssistAuditEntry.objects.filter(shop=shop).select_related("actor").order_by("-at", "-pk")
    page = Paginator(entries, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "town/shop_audit.html", {"shop": shop, "page_obj": page})


@manager_view
@require_http_methods(["POST"])
def assist_start(request, shop_pk: int):
    shop = _shop_or_404(shop_pk)
    try:
        consent = assist_services.assist_session_start(shop=shop, manager=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("gestion:shop", shop_pk=shop.pk)
    request.session[ASSIST_SESSION_KEY] = {"shop": shop.pk, "consent": consent.pk}
    messages.success(request, f"Vous agissez maintenant pour « {shop.name} ».")
    return redirect("backoffice:home")


@manager_view
@require_http_methods(["POST"])
def assist_stop(request):
    data = request.session.pop(ASSIST_SESSION_KEY, None) or {}
    consent = AssistConsent.objects.filter(pk=data.get("consent"), shop_id=data.get("shop")).first()
    if consent is None:
        return redirect("gestion:shops")
    assist_services.assist_session_end(consent=consent, manager=request.user)
    messages.success(request, f"Vous n'agissez plus pour « {consent.shop.name} ».")
    return redirect("gestion:shop", shop_pk=consent.shop_id)
