"""The Stripe webhook endpoint and the shopper's 3-D Secure step (the manager's money
pages are in ``manager_views``, the card form in ``checkout_step``)."""
from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import services
from .checkout_step import SESSION_KEY, stripe_elements_enabled
from .errors import PaymentActionRequired, PaymentError, PaymentUnavailable, WebhookSignatureInvalid
from .models import Payment, PaymentStatus

logger = logging.getLogger(__name__)

MAX_BODY = 512 * 1024  # Stripe's events are a few kilobytes


@csrf_exempt  # authenticated by Stripe's signature over the raw body instead
@require_POST
def stripe_webhook(request):
    if len(request.body) > MAX_BODY:
        return JsonResponse({"error": "Événement trop volumineux."}, status=400)
    try:
        outcome = services.webhook_receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except WebhookSignatureInvalid as error:
        logger.warning("Stripe webhook refused: %s (%s)", error.detail, error.code)
        return JsonResponse({"error": str(error)}, status=400)
    return HttpResponse(outcome, content_type="text/plain; charset=utf-8")


# --- 3-D Secure during checkout ------------------------------------------------------------


def _pending_payment(request, order_number: str) -> Payment:
    """The payment this browser is confirming (its session says so), else 404."""
    if str(request.session.get(SESSION_KEY, "")) != order_number:
        raise Http404("Aucun paiement à confirmer.")
    return get_object_or_404(Payment, order_number=order_number)


@require_GET
def action(request, order_number: str):
    """The bank asks the shopper to confirm (3-D Secure): send them to its page."""
    payment = _pending_payment(request, order_number)
    back = request.build_absolute_uri(reverse("payments:action-return", kwargs={"order_number": order_number}))
    if payment.status == PaymentStatus.AUTHORISED:
        return redirect(back)
    if payment.status != PaymentStatus.REQUIRES_ACTION:
        messages.error(request, "Ce paiement n’attend plus de confirmation : choisissez à nouveau votre carte.")
        return redirect("checkout:preview")
    context = {"payment": payment, "return_url": back, "stripe_elements": stripe_elements_enabled(),
               "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY}
    if not stripe_elements_enabled() and settings.STRIPE_TEST_BANK_PAGE:  # the demo's and the tests' server
        path = settings.STRIPE_TEST_BANK_PAGE.format(intent_id=payment.intent_id)
        context["bank_url"] = f"{settings.STRIPE_API_BASE}{path}?" + urlencode(
            {"client_secret": payment.client_secret, "return_url": back}
        )
    return render(request, "payments/action.html", context)


@require_GET
def action_return(request, order_number: str):
    """Back from the bank: if it confirmed, one click places the order."""
    payment = _pending_payment(request, order_number)
    try:
        payment = services.payment_action_complete(order_number=order_number)
    except PaymentActionRequired:
        return redirect("payments:action", order_number=order_number)
    except PaymentUnavailable as error:
        return render(request, "payments/action_done.html", {"payment": payment, "error": str(error)})
    except PaymentError as error:
        request.session.pop(SESSION_KEY, None)
        messages.error(request, str(error))
        return redirect("checkout:preview")
    return render(request, "payments/action_done.html", {"payment": payment})
