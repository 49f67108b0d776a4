"""The merchant's money pages: the shop's Stripe account (onboarding) and its sales,
refunds, commission and transfers per period, with a CSV export.

Same rules as the rest of the back-office (``backoffice_view``): only ``request.shop``'s
money is ever read, whatever the URL or form says; the shop's owner only (its staff
prepare orders, they do not see the money or open the account).
"""
from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from marketplace.payments import selectors as pay_selectors
from marketplace.payments import services as pay_services
from marketplace.payments.errors import PaymentError
from marketplace.payments.forms import PeriodForm
from marketplace.payments.money import ENTRY_HEADER, LABELS, csv_response, movement_rows
from shops.backoffice.access import backoffice_view

ENTRIES_PER_PAGE = 50


@backoffice_view(owner_only=True)
@require_http_methods(["GET"])
def payments(request):
    """Where the shop's Stripe account stands, and the button to open or complete it.

    The button's form is answered by a redirect to Stripe's onboarding page: this page's
    Content-Security-Policy lets forms lead there (``form-action``), else the browser stops."""
    response = render(request, "backoffice/payments.html", {
        "account": pay_selectors.shop_payment_account_get(shop=request.shop),
        "can_sell": pay_selectors.shop_can_receive_payments(shop=request.shop),
    })
    response._csp_update = {"form-action": [pay_services.shop_account_onboarding_origin()]}
    return response


@backoffice_view(owner_only=True)
@require_http_methods(["POST"])
def payments_onboard(request):
    """Create the account if needed and send the merchant to Stripe's onboarding page."""
    back = request.build_absolute_uri(reverse("backoffice:payments-return"))
    again = request.build_absolute_uri(reverse("backoffice:payments"))
    try:
        url = pay_services.shop_account_onboarding_link(shop=request.shop, refresh_url=again, return_url=back)
    except PaymentError as error:
        messages.error(request, f"{error} Le compte de paiement n’a pas pu être ouvert ; réessayez dans un instant.")
        return redirect("backoffice:payments")
    return redirect(url)


@backoffice_view(owner_only=True)
@require_http_methods(["GET"])
def payments_return(request):
    """Back from Stripe: ask it where the account stands now."""
    try:
        account = pay_services.shop_account_refresh(shop=request.shop)
    except PaymentError as error:
        messages.error(request, f"{error} L’état du compte sera mis à jour plus tard.")
    else:
        if account.is_usable:
            messages.success(request, "Votre compte de paiement est prêt : vos produits peuvent être vendus.")
        else:
            messages.warning(request, "Votre dossier Stripe n’est pas encore complet : reprenez-le pour pouvoir vendre.")
    return redirect("backoffice:payments")


def _period(request):
    form = PeriodForm(request.GET or None)
    start, end, first_day, last_day = form.bounds()
    return form, start, end, first_day, last_day


@backoffice_view(owner_only=True)
@require_http_methods(["GET"])
def money(request):
    """The period's summary (it adds up: net sales + the town's discounts − commission = net
    transfers + what is still to come) and its movements, one line per order and kind."""
    form, start, end, first_day, last_day = _period(request)
    movements = pay_selectors.money_movements(start=start, end=end, shop=request.shop)
    page = Paginator(movements, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "backoffice/money.html", {
        "form": form, "first_day": first_day, "last_day": last_day, "page_obj": page,
        "summary": pay_selectors.money_summary(start=start, end=end, shop=request.shop),
        "labels": LABELS, "query": query.urlencode(),
    })


@backoffice_view(owner_only=True)
@require_http_methods(["GET"])
def money_export(request):
    """The page's movements, same lines and amounts (one per order and kind)."""
    _form, start, end, first_day, last_day = _period(request)
    movements = pay_selectors.money_movements(start=start, end=end, shop=request.shop)
    references = pay_selectors.money_references(start=start, end=end, shop=request.shop)
    return csv_response(f"argent-{request.shop.slug}-{first_day:%Y%m%d}-{last_day:%Y%m%d}.csv",
                        ENTRY_HEADER, movement_rows(movements, references))
