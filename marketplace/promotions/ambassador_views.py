"""The ambassador's own page (counts and amounts of their referrals, their rewards — no
shopper's personal data) and the public page of an ambassador's link."""
from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from marketplace.promotions.models import Ambassador, ReferralStatus


@require_http_methods(["GET"])
def ambassador_page(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("customer:login"))
    rows = list(Ambassador.objects.filter(user=request.user).select_related("campaign__offer", "voucher").annotate(
        pending=Count("referrals", filter=Q(referrals__status=ReferralStatus.PENDING)),
        earned=Count("referrals", filter=Q(referrals__status=ReferralStatus.EARNED)),
        lost=Count("referrals", filter=Q(referrals__status=ReferralStatus.LOST)),
        orders_cents=Sum("referrals__order_cents", filter=~Q(referrals__status=ReferralStatus.LOST)),
        rewards_cents=Sum("referrals__reward_cents", filter=Q(referrals__status=ReferralStatus.EARNED)),
    ))
    if not rows:
        raise PermissionDenied(_("Cette page est réservée aux ambassadeurs du centre-ville."))
    for row in rows:
        row.link = request.build_absolute_uri(reverse("promotions-ambassador:link", args=[row.voucher.code]))
        row.rewards = list(row.referrals.filter(status=ReferralStatus.EARNED, reward_voucher__isnull=False)
                           .select_related("reward_voucher").values_list("reward_voucher__code", "reward_cents"))
    return render(request, "promotions/ambassador.html", {"ambassadorships": rows})


@require_http_methods(["GET"])
def ambassador_link(request, code: str):
    """What the link shows: the campaign and a button adding the code to the basket (a GET changes nothing)."""
    ambassador = (Ambassador.objects.select_related("campaign__offer", "voucher")
                  .filter(voucher__code=code.upper()).first())
    if ambassador is None:
        raise Http404(_("Ce lien d'ambassadeur n'existe pas."))
    return render(request, "promotions/ambassador_link.html", {"ambassador": ambassador})
