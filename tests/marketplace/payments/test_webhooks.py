"""The webhook endpoint: signature over the raw body, each event once, in any order."""
from __future__ import annotations

import json
import time

import pytest
from django.test import Client, override_settings

from marketplace.payments.models import (
    EntryKind,
    LedgerEntry,
    Payment,
    PaymentStatus,
    ReconciliationIssue,
    ShopPaymentAccount,
    StripeCall,
    WebhookEvent,
)
from tests.factories.payments import ShopPaymentAccountFactory

pytestmark = [pytest.mark.django_db, pytest.mark.ledger_unsettled]
SECRET = "whsec_halle_tests"
URL = "/stripe/webhook/"


def event(type_: str, obj: dict, *, event_id: str = "evt_1", created: int | None = None) -> bytes:
    return json.dumps({
        "id": event_id, "object": "event", "type": type_, "created": created or int(time.time()),
        "api_version": "2026-01-01", "data": {"object": obj},
    }).encode()


def signature(payload: bytes, *, secret: str = SECRET, timestamp: int | None = None) -> str:
    import stripe  # to sign as Stripe does (tests may import it; the application may not)

    return stripe.WebhookSignature.generate_signature_header(payload.decode(), secret, timestamp=timestamp)


def deliver(client: Client, payload: bytes, sig: str | None = None):
    return client.post(URL, data=payload, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=signature(payload) if sig is None else sig)


@pytest.fixture(autouse=True)
def webhook_secret():
    with override_settings(STRIPE_WEBHOOK_SECRET=SECRET):
        yield


def payment_waiting_for_3ds(**fields) -> Payment:
    payment = Payment.objects.create(order_number=fields.pop("order_number", "800001"), amount_cents=4000,
                                     status=PaymentStatus.REQUIRES_ACTION, intent_id="pi_3ds", **fields)
    StripeCall.objects.create(payment=payment, operation="authorise", idempotency_key=f"k-{payment.pk}",
                              status=StripeCall.Status.SUCCEEDED, stripe_id="pi_3ds")
    return payment


AUTHORISED = {"id": "pi_3ds", "object": "payment_intent", "status": "requires_capture", "amount": 4000,
              "amount_capturable": 4000}


def snapshot() -> dict:
    return {
        "payments": list(Payment.objects.order_by("pk").values()),
        "entries": list(LedgerEntry.objects.order_by("pk").values()),
        "events": list(WebhookEvent.objects.order_by("pk").values()),
        "issues": list(ReconciliationIssue.objects.order_by("pk").values()),
        "accounts": list(ShopPaymentAccount.objects.order_by("pk").values()),
    }


def test_3d_secure_completed_in_the_browser_authorises_the_payment(client):
    payment = payment_waiting_for_3ds()
    response = deliver(client, event("payment_intent.amount_capturable_updated", AUTHORISED))
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.AUTHORISED and payment.amount_authorised_cents == 4000
    assert LedgerEntry.objects.get(payment=payment).kind == EntryKind.AUTHORISATION
    assert WebhookEvent.objects.get().processed_at is not None


def test_the_same_event_three_times_changes_things_once(client):
    payment = payment_waiting_for_3ds()
    payload = event("payment_intent.amount_capturable_updated", AUTHORISED)
    answers = [deliver(client, payload) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[1].content.decode().startswith("déjà traité")
    assert LedgerEntry.objects.filter(payment=payment).count() == 1
    assert WebhookEvent.objects.count() == 1



def captured_payment() -> Payment:
    payment = Payment.objects.create(
        order_number="800002", amount_cents=4000, status=PaymentStatus.CAPTURED, intent_id="pi_done",
        charge_id="ch_done", amount_authorised_cents=4000, amount_captured_cents=4000, amount_refunded_cents=1000,
    )
    return payment


def test_events_out_of_order_never_move_a_payment_back(client):
    captured_payment()
    before = snapshot()["payments"]
    refunded = {"id": "ch_done", "object": "charge", "payment_intent": "pi_done", "amount": 4000,
                "amount_captured": 4000, "amount_refunded": 1000}
    late_success = {"id": "pi_done", "object": "payment_intent", "status": "succeeded", "amount_received": 4000}
    older_hold = {"id": "pi_done", "object": "payment_intent", "status": "requires_capture", "amount": 4000}
    for number, (type_, obj) in enumerate([
        ("charge.refunded", refunded),
        ("payment_intent.succeeded", late_success),
        ("payment_intent.amount_capturable_updated", older_hold),
        ("payment_intent.payment_failed", {"id": "pi_done", "object": "payment_intent"}),
    ]):
        assert deliver(client, event(type_, obj, event_id=f"evt_{number}")).status_code == 200

    assert snapshot()["payments"] == before
    assert not LedgerEntry.objects.exists() and not ReconciliationIssue.objects.exists()
    assert WebhookEvent.objects.filter(processed_at__isnull=False).count() == 4


def test_a_refund_made_outside_halle_is_flagged_for_the_manager(client):
    payment = captured_payment()
    refunded = {"id": "ch_done", "object": "charge", "payment_intent": "pi_done", "amount": 4000,
                "amount_captured": 4000, "amount_refunded": 2500}
    deliver(client, event("charge.refunded", refunded))
    assert ReconciliationIssue.objects.get(payment=payment).code == "refund_elsewhere"


def test_a_hold_stripe_released_by_itself_is_recorded_and_flagged(client):
    payment = Payment.objects.create(order_number="800003", amount_cents=4000, status=PaymentStatus.AUTHORISED,
                                     intent_id="pi_old", amount_authorised_cents=4000)
    deliver(client, event("payment_intent.canceled", {"id": "pi_old", "object": "payment_intent",
                                                     "status": "canceled"}))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.RELEASED
    assert LedgerEntry.objects.get(payment=payment).kind == EntryKind.RELEASE


def test_account_updates_apply_in_the_order_stripe_made_them_not_the_order_they_arrive(client):
    account = ShopPaymentAccountFactory(stripe_account_id="acct_shop", details_submitted=False,
                                        transfers_active=False)
    now = int(time.time())
    complete = {"id": "acct_shop", "object": "account", "details_submitted": True, "payouts_enabled": True,
                "capabilities": {"transfers": "active"}}
    pending = {"id": "acct_shop", "object": "account", "details_submitted": False, "payouts_enabled": False,
               "capabilities": {"transfers": "inactive"}}
    deliver(client, event("account.updated", complete, event_id="evt_new", created=now))
    deliver(client, event("account.updated", pending, event_id="evt_old", created=now - 60))
    account.refresh_from_db()
    assert account.is_usable


def test_unknown_events_are_acknowledged_and_ignored(client):
    before = snapshot()
    response = deliver(client, event("customer.created", {"id": "cus_1", "object": "customer"}))
    assert response.status_code == 200 and response.content.decode() == "ignoré"
    after = snapshot()
    assert after["payments"] == before["payments"] and len(after["events"]) == 1


@pytest.mark.parametrize("case", ["bad-signature", "wrong-secret", "too-old", "no-signature", "malformed-json",
                                  "not-an-event", "tampered"])
def test_bad_deliveries_get_400_and_change_nothing(client, case):
    payment_waiting_for_3ds()
    payload = event("payment_intent.amount_capturable_updated", AUTHORISED)
    sig = None
    if case == "bad-signature":
        sig = "t=%d,v1=%s" % (int(time.time()), "0" * 64)
    elif case == "wrong-secret":
        sig = signature(payload, secret="whsec_other")
    elif case == "too-old":
        sig = signature(payload, timestamp=int(time.time()) - 301)
    elif case == "no-signature":
        sig = ""
    elif case == "malformed-json":
        payload = b'{"id": "evt_1", "type": '
    elif case == "not-an-event":
        payload = b'["a", "list"]'
    elif case == "tampered":
        sig = signature(payload)
        payload = payload.replace(b"4000", b"1")
    before = snapshot()

    response = deliver(client, payload, sig)

    assert response.status_code == 400
    assert "Signature du webhook Stripe invalide" in response.json()["error"]
    assert snapshot() == before


def test_only_post_is_accepted(client):
    assert client.get(URL).status_code == 405


def test_an_oversized_body_is_refused(client):
    payload = event("customer.created", {"id": "cus_1", "filler": "x" * 600_000})
    assert deliver(client, payload).status_code == 400
    assert not WebhookEvent.objects.exists()


def test_the_webhook_needs_no_csrf_token():
    payload = event("customer.created", {"id": "cus_1"})
    assert deliver(Client(enforce_csrf_checks=True), payload).status_code == 200
