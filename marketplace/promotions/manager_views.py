"""The manager's promotions pages (town staff only, ``manager_view``): list with spend
against budget, create and change a campaign, invite shops, codes, and the monthly
statement for the town's public accountant (printable page and CSV)."""
from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from marketplace.core.manager import manager_view
from marketplace.promotions import selectors
from marketplace.promotions.forms import (
    AmbassadorForm,
    CampaignForm,
    InviteForm,
    VoucherBatchForm,
    VoucherImportForm,
)
from marketplace.promotions.models import Campaign, VoucherBatch
from marketplace.promotions.services.ambassadors import AmbassadorInputError, ambassador_invite
from marketplace.promotions.services.campaigns import (
    AMOUNT,
    PERCENTAGE,
    CampaignInputError,
    campaign_save,
    campaign_shops_invite,
)
from marketplace.promotions.services.vouchers import (
    VoucherInputError,
    voucher_batch_csv,
    voucher_batch_generate,
    voucher_codes_import,
)


def _town_campaign(pk: int) -> Campaign:
    """A town campaign (a merchant's own offer is not the manager's to change here)."""
    return get_object_or_404(Campaign.objects.select_related("offer__benefit", "offer__condition"),
                             pk=pk, owner_shop__isnull=True)


def _errors_to_form(form, error: CampaignInputError) -> None:
    for name, message in error.errors.items():
        form.add_error(name if name in form.fields else None, message)


@manager_view
@require_http_methods(["GET"])
def campaigns(request):
    rows = list(selectors.campaigns_listed())
    return render(request, "promotions/manager_campaigns.html", {"campaigns": rows})


@manager_view
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_save(data=form.campaign_input(), user=request.user)
        except CampaignInputError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Campagne « %(name)s » créée : invitez maintenant les commerces.")
                             % {"name": campaign.offer.name})
            return redirect("promotions-manager:campaign", campaign.pk)
    return render(request, "promotions/manager_campaign_form.html", {"form": form, "campaign": None},
                  status=400 if request.method == "POST" else 200)


def _initial(campaign: Campaign) -> dict:
    offer, budget = campaign.offer, selectors.budget_of(campaign)
    benefit = offer.benefit
    return {
        "name": offer.name, "description": offer.description, "starts_at": offer.start_datetime,
        "ends_at": offer.end_datetime, "benefit": PERCENTAGE if benefit.type == benefit.PERCENTAGE else AMOUNT,
        "value": benefit.value, "minimum": offer.condition.value if offer.condition.type == offer.condition.VALUE else None,
        "budget_euros": budget.budget_cents / 100 if budget else None, "funder": campaign.funder,
        "town_share_percent": campaign.town_share_percent, "when_short": campaign.when_short,
        "first_order_only": campaign.first_order_only, "max_uses_per_customer": campaign.max_uses_per_customer,
        "max_uses": campaign.max_uses, "categories": list(benefit.range.included_categories.all()),
    }


@manager_view
@require_http_methods(["GET", "POST"])
def campaign_edit(request, campaign_pk: int):
    campaign = _town_campaign(campaign_pk)
    form = CampaignForm(request.POST or None, initial=_initial(campaign), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            campaign_save(data=form.campaign_input(), campaign=campaign, user=request.user)
        except CampaignInputError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Campagne enregistrée."))
            return redirect("promotions-manager:campaign", campaign.pk)
    return render(request, "promotions/manager_campaign_form.html", {"form": form, "campaign": campaign},
                  status=400 if request.method == "POST" else 200)


def _campaign_page(request, campaign, *, invite_form=None, batch_form=None, import_form=None, ambassador_form=None,
                   status=200):
    today = timezone.localdate()
    return render(request, "promotions/manager_campaign.html", {
        "campaign": campaign, "report": selectors.campaign_report(campaign=campaign),
        "participations": campaign.participations.select_related("shop"),
        "batches": campaign.voucher_batches.all(),
        "vouchers": campaign.offer.vouchers.filter(quota__batch__isnull=True).select_related("quota"),
        "invite_form": invite_form or InviteForm(prefix="inv"), "batch_form": batch_form or VoucherBatchForm(prefix="lot"),
        "import_form": import_form or VoucherImportForm(prefix="import"), "year": today.year, "month": today.month,
        "ambassador_form": ambassador_form or AmbassadorForm(prefix="amb"),
        "ambassadors": campaign.ambassadors.select_related("voucher"),
        "uses_codes": campaign.offer.offer_type == campaign.offer.VOUCHER,
    }, status=status)


@manager_view
@require_http_methods(["GET"])
def campaign(request, campaign_pk: int):
    return _campaign_page(request, _town_campaign(campaign_pk))


@manager_view
@require_http_methods(["POST"])
def campaign_invite(request, campaign_pk: int):
    campaign = _town_campaign(campaign_pk)
    form = InviteForm(request.POST, prefix="inv")
    if not form.is_valid():
        return _campaign_page(request, campaign, invite_form=form, status=400)
    added = campaign_shops_invite(campaign=campaign, shops=form.cleaned_data["shops"])
    messages.success(request, ngettext("%(n)s commerce invité.", "%(n)s commerces invités.", added) % {"n": added})
    return redirect("promotions-manager:campaign", campaign.pk)


@manager_view
@require_http_methods(["POST"])
def voucher_batch_create(request, campaign_pk: int):
    campaign = _town_campaign(campaign_pk)
    form = VoucherBatchForm(request.POST, prefix="lot")
    if form.is_valid():
        try:
            batch = voucher_batch_generate(campaign=campaign, name=form.cleaned_data["name"],
                                           count=form.cleaned_data["count"], prefix=form.cleaned_data["prefix"],
                                           max_uses=form.cleaned_data["max_uses"], user=request.user)
        except VoucherInputError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Lot « %(name)s » créé.") % {"name": batch.name})
            return redirect("promotions-manager:campaign", campaign.pk)
    return _campaign_page(request, campaign, batch_form=form, status=400)


@manager_view
@require_http_methods(["POST"])
def voucher_import(request, campaign_pk: int):
    campaign = _town_campaign(campaign_pk)
    form = VoucherImportForm(request.POST, request.FILES, prefix="import")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 2_000_000:
            form.add_error("file", _("Le fichier dépasse 2 Mo."))
        else:
            try:
                imported = voucher_codes_import(campaign=campaign, name=form.cleaned_data["name"], data=upload.read(),
                                                max_uses=form.cleaned_data["max_uses"], user=request.user)
            except VoucherInputError as error:
                for message in error.messages[:50]:
                    form.add_error(None, message)
            else:
                messages.success(request, _("%(n)s codes importés.") % {"n": imported.count})
                return redirect("promotions-manager:campaign", campaign.pk)
    return _campaign_page(request, campaign, import_form=form, status=400)


@manager_view
@require_http_methods(["GET"])
def voucher_batch_export(request, batch_pk: int):
    batch = get_object_or_404(VoucherBatch.objects.select_related("campaign__offer"), pk=batch_pk)
    response = HttpResponse(voucher_batch_csv(batch=batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="codes-lot-{batch.pk}.csv"'
    return response


def _statement(campaign_pk, year, month):
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404(_("Mois inconnu."))
    campaign = _town_campaign(campaign_pk)
    start, end = selectors.month_bounds(year, month)
    rows = selectors.campaign_statement(campaign=campaign, start=start, end=end)
    return campaign, start, rows


def _total(rows, name) -> int:
    return sum(getattr(row, name) for row in rows)


@manager_view
@require_http_methods(["GET"])
def statement(request, campaign_pk: int, year: int, month: int):
    campaign, start, rows = _statement(campaign_pk, year, month)
    return render(request, "promotions/manager_statement.html", {
        "campaign": campaign, "start": start, "rows": rows, "year": year, "month": month,
        "totals": {name: _total(rows, name) for name in
                   ("discount_cents", "town_cents", "shop_cents", "refunded_cents", "town_now_cents")},
    })


def _euros(cents: int) -> str:
    return f"{cents / 100:.2f}".replace(".", ",")


@manager_view
@require_http_methods(["GET"])
def statement_csv(request, campaign_pk: int, year: int, month: int):
    campaign, _start, rows = _statement(campaign_pk, year, month)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("campagne"), _("commande"), _("date"), _("commerce"), _("ligne"), _("remise"), _("financeur"),
                     _("part ville"), _("part commerce"), _("remise rendue"), _("part ville due")])
    for row in rows:
        writer.writerow([campaign.offer.name, row.order_number, timezone.localtime(row.placed_at).strftime("%d/%m/%Y"),
                         row.shop_name, row.line_title, _euros(row.discount_cents), row.funder, _euros(row.town_cents),
                         _euros(row.shop_cents), _euros(row.refunded_cents), _euros(row.town_now_cents)])
    writer.writerow([_("total"), "", "", "", "", _euros(_total(rows, "discount_cents")), "",
                     _euros(_total(rows, "town_cents")), _euros(_total(rows, "shop_cents")),
                     _euros(_total(rows, "refunded_cents")), _euros(_total(rows, "town_now_cents"))])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="releve-campagne-{campaign.pk}-{year}-{month:02d}.csv"'
    return response


@manager_view
@require_http_methods(["POST"])
def ambassador_create(request, campaign_pk: int):
    campaign = _town_campaign(campaign_pk)
    form = AmbassadorForm(request.POST, prefix="amb")
    if form.is_valid():
        data = form.cleaned_data
        try:
            ambassador = ambassador_invite(campaign=campaign, email=data["email"], display_name=data["display_name"],
                                           reward_euros=data["reward_euros"], code=data["code"], invited_by=request.user)
        except AmbassadorInputError as error:
            for name, message in error.errors.items():
                form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, _("%(name)s est ambassadeur, code %(code)s.")
                             % {"name": ambassador.display_name, "code": ambassador.voucher.code})
            return redirect("promotions-manager:campaign", campaign.pk)
    return _campaign_page(request, campaign, ambassador_form=form, status=400)
