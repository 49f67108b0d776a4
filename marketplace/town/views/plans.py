"""``/gestion/commissions/``: create and edit commission plans, see which shop is on which,
move a shop to another plan from a date (orders keep the rate of their checkout)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from marketplace.core.manager import manager_view
from marketplace.payments import services as pay_services
from marketplace.payments.forms import CommissionPlanForm
from marketplace.payments.models import CommissionPlan, ShopPlanChange
from marketplace.town.forms.plans import PlanChangeForm, PlanCreateForm
from marketplace.town.selectors.plans import shops_plans_listed


def _page(request, *, create_form=None, change_form=None, edit_forms=None, status=200):
    plans, rows = shops_plans_listed()
    edit_forms = edit_forms or {}
    return render(request, "town/plans.html", {
        "plan_forms": [(plan, edit_forms.get(plan.pk) or CommissionPlanForm(instance=plan, prefix=f"plan{plan.pk}"))
                       for plan in plans],
        "rows": rows,
        "create_form": create_form or PlanCreateForm(prefix="new"),
        "change_form": change_form or PlanChangeForm(),
    }, status=status)


@manager_view
@require_http_methods(["GET", "POST"])
def plans(request):
    if request.method == "GET":
        return _page(request)
    action = request.POST.get("action")
    if action == "create":
        form = PlanCreateForm(request.POST, prefix="new")
        if form.is_valid():
            try:
                plan = pay_services.commission_plan_create(name=form.cleaned_data["name"], rate=form.cleaned_data["rate"])
            except ValidationError as error:
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"Plan « {plan.name} » créé.")
                return redirect("gestion:plans")
        return _page(request, create_form=form, status=400)
    if action == "change":
        form = PlanChangeForm(request.POST)
        if form.is_valid():
            try:
                change = pay_services.shop_plan_change_schedule(
                    shop=form.cleaned_data["shop"], plan=form.cleaned_data["plan"],
                    effective_from=form.effective_from(), by=request.user,
                )
            except ValidationError as error:
                form.add_error("day", error.messages)
            else:
                plan = change.plan or "plan par défaut"
                when = "dès maintenant" if change.applied_at else f"à partir du {form.cleaned_data['day']:%d/%m/%Y}"
                messages.success(request, f"« {change.shop.name} » : {plan} {when}.")
                return redirect("gestion:plans")
        return _page(request, change_form=form, status=400)
    messages.error(request, "Action inconnue : rechargez la page.")
    return redirect("gestion:plans")


@manager_view
@require_http_methods(["POST"])
def plan_edit(request, plan_pk: int):
    plan = get_object_or_404(CommissionPlan, pk=plan_pk)
    form = CommissionPlanForm(request.POST, instance=plan, prefix=f"plan{plan.pk}")
    if form.is_valid():
        try:
            pay_services.commission_plan_update(plan=plan, name=form.cleaned_data["name"], rate=form.cleaned_data["rate"])
        except ValidationError as error:
            form.add_error("rate", error.messages)
        else:
            messages.success(request, f"Plan « {plan.name} » enregistré : le taux vaut pour les prochaines commandes.")
            return redirect("gestion:plans")
    return _page(request, edit_forms={plan.pk: form}, status=400)


@manager_view
@require_http_methods(["POST"])
def plan_change_cancel(request, change_pk: int):
    change = get_object_or_404(ShopPlanChange.objects.select_related("shop"), pk=change_pk)
    if pay_services.shop_plan_change_cancel(change=change):
        messages.success(request, f"Changement de plan de « {change.shop.name} » annulé.")
    else:
        messages.error(request, "Ce changement est déjà appliqué ou annulé.")
    return redirect("gestion:plans")
