"""The town-centre manager's money page (staff only): every shop's sales, refunds,
commission and transfers per period, the commission total, open reconciliation
issues, shops that cannot be paid, and the commission plans."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from marketplace.core.manager import manager_view

from . import selectors, services
from .forms import CommissionPlanForm, PeriodForm, ShopPlanForm
from .models import CommissionPlan, ReconciliationIssue
from .money import ENTRY_HEADER, LABELS, csv_response, csv_text, euros, movement_rows, shown_cents

SHOPS_WITHOUT_ACCOUNT_SHOWN = 50


def _period(request):
    form = PeriodForm(request.GET or None)
    return (form, *form.bounds())


@manager_view
@require_http_methods(["GET"])
def money(request):
    form, start, end, first_day, last_day = _period(request)
    unable = selectors.shops_without_usable_account()
    plans = list(CommissionPlan.objects.order_by("rate"))
    query = request.GET.copy()
    return render(request, "payments/manager_money.html", {
        "form": form, "first_day": first_day, "last_day": last_day, "query": query.urlencode(),
        "summary": selectors.money_summary(start=start, end=end),
        "by_shop": selectors.money_by_shop(start=start, end=end),
        "issues": selectors.open_issues()[:100],
        "unable_count": unable.count(), "unable": unable[:SHOPS_WITHOUT_ACCOUNT_SHOWN],
        "plan_forms": [(plan, CommissionPlanForm(instance=plan, prefix=f"plan{plan.pk}")) for plan in plans],
        "plans": plans, "labels": LABELS, "shop_plan_form": ShopPlanForm(),
    })


@manager_view
@require_http_methods(["GET"])
def money_export(request):
    _form, start, end, first_day, last_day = _period(request)
    if request.GET.get("par") == "commerce":
        rows = (
            [csv_text(row["name"]), *(euros(shown_cents(kind, row[kind])) for kind in selectors.MONEY_KINDS),
             euros(row["summary"].to_transfer)]
            for row in selectors.money_by_shop(start=start, end=end)
        )
        return csv_response(f"argent-commerces-{first_day:%Y%m%d}-{last_day:%Y%m%d}.csv",
                            ["commerce", *(LABELS[kind] for kind in selectors.MONEY_KINDS), "Reste à virer"], rows)
    movements = selectors.money_movements(start=start, end=end)
    references = selectors.money_references(start=start, end=end)
    return csv_response(f"argent-ville-{first_day:%Y%m%d}-{last_day:%Y%m%d}.csv", ENTRY_HEADER,
                        movement_rows(movements, references))


@manager_view
def plan_update(request, plan_pk: int):
    plan = get_object_or_404(CommissionPlan, pk=plan_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = CommissionPlanForm(request.POST, instance=plan, prefix=f"plan{plan.pk}")
    if form.is_valid():
        try:
            services.commission_plan_update(plan=plan, name=form.cleaned_data["name"], rate=form.cleaned_data["rate"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Plan « {plan.name} » enregistré : {euros_rate(plan.rate)} % pour les prochaines commandes.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("payments-manager:money")


def euros_rate(rate) -> str:
    return f"{rate.normalize():f}".replace(".", ",")


@manager_view
@require_http_methods(["POST"])
def shop_plan(request):
    form = ShopPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors) or "Formulaire invalide.")
        return redirect("payments-manager:money")
    shop = form.cleaned_data["shop"]
    services.shop_commission_plan_set(shop=shop, plan=form.cleaned_data["plan"])
    messages.success(request, f"« {shop.name} » : {form.cleaned_data['plan'] or 'plan par défaut'}.")
    return redirect("payments-manager:money")


@manager_view
def issue_resolve(request, issue_pk: int):
    issue = get_object_or_404(ReconciliationIssue, pk=issue_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.reconciliation_issue_resolve(issue=issue)
    messages.success(request, f"Anomalie de la commande {issue.payment.order_number} marquée comme traitée.")
    return redirect("payments-manager:money")
