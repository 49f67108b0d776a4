"""The Stripe webhook endpoint (the manager's money pages are in ``manager_views``)."""
from __future__ import annotations

import logging

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services
from .errors import WebhookSignatureInvalid

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
