"""The same Stripe event delivered three times at once on PostgreSQL is applied once."""
from __future__ import annotations

import pytest
from django.test import Client, override_settings

from marketplace.payments.models import LedgerEntry, Payment, PaymentStatus, WebhookEvent
from tests.concurrency.threads import run_together, unexpected
from tests.marketplace.payments.test_webhooks import AUTHORISED, SECRET, deliver, event, payment_waiting_for_3ds

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(STRIPE_WEBHOOK_SECRET=SECRET)
def test_the_same_event_delivered_three_times_concurrently_is_applied_once():
    payment = payment_waiting_for_3ds()
    payload = event("payment_intent.amount_capturable_updated", AUTHORISED)

    results = run_together(3, lambda i: deliver(Client(), payload).status_code)

    assert not unexpected(results, int)
    assert results == [200, 200, 200]
    assert WebhookEvent.objects.count() == 1
    assert LedgerEntry.objects.filter(payment=payment).count() == 1
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.AUTHORISED
