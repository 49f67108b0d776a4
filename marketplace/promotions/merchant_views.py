"""The merchant's promotions: answer the town's invitations (with what co-funding costs the
shop), and its own offers on its own products only.

``backoffice_view`` sets ``request.shop``; every row read or written here is looked up
through it, so another shop's campaign or offer ids give a 404.
"""
from __future__ import annotations

from django.contrib import messages
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from marketplace.promotions import selectors
from marketplace.promotions.forms import ShopOfferForm
from marketplace.promotions.models import Campaign, CampaignShop, LineDiscountFunding
from marketplace.promotions.services.campaigns import (
    CampaignInputError,
    campaign_participation_set,
    campaign_save,
)
from shops.backoffice.access import backoffice_view


def _page(request, *, form=None, status=200):
    invitations = selectors.shop_invitations(shop=request.shop)
    paid = dict(LineDiscountFunding.objects.filter(shop=request.shop, campaign__in=[i.campaign_id for i in invitations])
                .values("campaign_id").annotate(total=Sum("shop_cents")).values_list("campaign_id", "total"))
    for invitation in invitations:
        invitation.shop_paid_cents = paid.get(invitation.campaign_id, 0)
        invitation.shop_share = 100 - invitation.campaign.town_share_percent
    return render(request, "promotions/merchant_promotions.html", {
        "invitations": invitations, "offers": selectors.shop_own_offers(shop=request.shop),
        "form": form or ShopOfferForm(shop=request.shop), "name": "promotions",
    }, status=status)


@backoffice_view
@require_http_methods(["GET"])
def promotions(request):
    return _page(request)


@backoffice_view
@require_http_methods(["POST"])
def participation(request, campaign_pk: int):
    get_object_or_404(CampaignShop, campaign_id=campaign_pk, shop=request.shop)
    campaign = Campaign.objects.select_related("offer").get(pk=campaign_pk)
    opted_in = request.POST.get("choice") == "in"
    campaign_participation_set(campaign=campaign, shop=request.shop, opted_in=opted_in, user=request.user)
    messages.success(request, (_("Vous participez à « %(name)s ».") if opted_in
                               else _("Vous ne participez pas à « %(name)s ».")) % {"name": campaign.offer.name})
    return redirect("backoffice-promotions:promotions")


@backoffice_view
@require_http_methods(["GET", "POST"])
def offer_create(request):
    form = ShopOfferForm(request.POST or None, shop=request.shop)
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign = campaign_save(data=form.campaign_input(), user=request.user)
            except CampaignInputError as error:
                for name, message in error.errors.items():
                    form.add_error(name if name in form.fields else None, message)
            else:
                messages.success(request, _("Offre « %(name)s » créée.") % {"name": campaign.offer.name})
                return redirect("backoffice-promotions:promotions")
        return _page(request, form=form, status=400)
    return _page(request, form=form)


@backoffice_view
@require_http_methods(["POST"])
def offer_stop(request, campaign_pk: int):
    campaign = get_object_or_404(Campaign.objects.select_related("offer"), pk=campaign_pk, owner_shop=request.shop)
    offer = campaign.offer
    offer.end_datetime = min(offer.end_datetime or timezone.now(), timezone.now())
    offer.save(update_fields=["end_datetime"])
    messages.success(request, _("Offre « %(name)s » arrêtée.") % {"name": offer.name})
    return redirect("backoffice-promotions:promotions")
