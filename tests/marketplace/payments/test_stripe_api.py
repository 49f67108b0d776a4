"""The real stripe-python, through our adapter, against the local Stripe server.

These check that our calls are the ones Stripe accepts and that our error
mapping holds; the local server enforces Stripe's limits on refunds, transfers,
reversals and idempotency keys (see marketplace/payments/devserver).
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid

import pytest
from django.test import override_settings

from marketplace.payments import stripe_api
from marketplace.payments.errors import (
    IdempotencyConflict,
    PaymentActionRequired,
    PaymentDeclined,
    PaymentError,
    PaymentUnavailable,
    WebhookSignatureInvalid,
)

pytestmark = pytest.mark.usefixtures("stripe_local")


def key(label: str = "op") -> str:
    return f"test-{label}-{uuid.uuid4().hex}"


def authorise(amount_cents=4000, group="ORDER_1", **kwargs):
    return stripe_api.payment_intent_create(
        amount_cents=amount_cents,
        currency="eur",
        transfer_group=group,
        idempotency_key=kwargs.pop("idempotency_key", key("pi")),
        payment_method=kwargs.pop("payment_method", "pm_card_visa"),
        metadata=kwargs.pop("metadata", {"order": "1"}),
    )


def captured(amount_cents=4000, capture_cents=None, group="ORDER_1"):
    intent = authorise(amount_cents, group)
    return stripe_api.payment_intent_capture(
        intent_id=intent.id, amount_cents=capture_cents or amount_cents, idempotency_key=key("capture")
    )


def shop_account(email="boulangerie@example.fr"):
    return stripe_api.account_create(email=email, idempotency_key=key("acct"))


# --- PaymentIntents ---------------------------------------------------------------------


def test_authorise_holds_the_amount_with_our_transfer_group_and_metadata():
    intent = authorise(4000, "ORDER_42", metadata={"order": "42"})
    assert intent.id.startswith("pi_")
    assert intent.status == "requires_capture"
    assert intent.amount_cents == 4000
    assert intent.transfer_group == "ORDER_42"
    assert intent.metadata == {"order": "42"}
    assert intent.latest_charge_id.startswith("ch_")
    assert stripe_api.payment_intent_retrieve(intent_id=intent.id).status == "requires_capture"


def test_intent_without_payment_method_waits_for_one():
    intent = authorise(payment_method=None)
    assert intent.status == "requires_payment_method"
    assert intent.client_secret


def test_partial_capture_releases_the_rest():
    intent = captured(4000, 3500)
    assert intent.status == "succeeded"
    # Only the 3500 captured can be refunded: the 500 was released at capture.
    with pytest.raises(PaymentError) as refused:
        stripe_api.refund_create(intent_id=intent.id, amount_cents=3501, idempotency_key=key("re"))
    assert refused.value.code == "amount_too_large"
    refund = stripe_api.refund_create(intent_id=intent.id, amount_cents=3500, idempotency_key=key("re"))
    assert refund.amount_cents == 3500


def test_capture_more_than_authorised_is_refused():
    intent = authorise(4000)
    with pytest.raises(PaymentError):
        stripe_api.payment_intent_capture(intent_id=intent.id, amount_cents=4001, idempotency_key=key("c"))


def test_cancel_releases_the_hold():
    intent = authorise(4000)
    canceled = stripe_api.payment_intent_cancel(intent_id=intent.id, idempotency_key=key("cancel"))
    assert canceled.status == "canceled"
    with pytest.raises(PaymentError) as refused:  # nothing left to capture
        stripe_api.payment_intent_capture(intent_id=intent.id, amount_cents=4000, idempotency_key=key("c"))
    assert refused.value.code == "payment_intent_unexpected_state"


def test_declined_card_raises_payment_declined_in_french():
    with pytest.raises(PaymentDeclined) as declined:
        authorise(payment_method="pm_card_chargeCustomerFail")
    assert declined.value.code == "card_declined"
    assert str(declined.value) == "Votre carte a été refusée. Essayez une autre carte ou contactez votre banque."


def test_stripes_ready_made_3d_secure_test_method_requires_action():
    with pytest.raises(PaymentActionRequired):
        authorise(payment_method="pm_card_authenticationRequired")


def test_3d_secure_card_requires_action():
    card = stripe_api_test_card_3ds()
    with pytest.raises(PaymentActionRequired) as action:
        authorise(payment_method=card)
    assert action.value.intent_id.startswith("pi_")
    assert action.value.client_secret.startswith(action.value.intent_id + "_secret_")
    assert stripe_api.payment_intent_retrieve(intent_id=action.value.intent_id).status == "requires_action"


def stripe_api_test_card_3ds() -> str:
    """A PaymentMethod for Stripe's 3-D Secure test card 4000 0027 6000 3184 (created on the
    local server; Stripe's test mode has it ready-made)."""
    import urllib.parse
    import urllib.request

    from django.conf import settings

    from tests.support.stripe_server import stripe_is_live

    if stripe_is_live():
        return "pm_card_authenticationRequired"

    body = urllib.parse.urlencode(
        {"type": "card", "card[number]": "4000002760003184", "card[exp_month]": "12", "card[exp_year]": "2034",
         "card[cvc]": "123"}
    ).encode()
    request = urllib.request.Request(
        settings.STRIPE_API_BASE + "/v1/payment_methods",
        data=body,
        headers={"Authorization": "Bearer " + settings.STRIPE_SECRET_KEY},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)["id"]


# --- Refunds ------------------------------------------------------------------------------


def test_refunds_up_to_the_captured_amount_then_refused():
    intent = captured(2500)
    first = stripe_api.refund_create(intent_id=intent.id, amount_cents=1000, idempotency_key=key("re"))
    assert first.id.startswith("re_") and first.amount_cents == 1000 and first.status == "succeeded"
    with pytest.raises(PaymentError) as over:
        stripe_api.refund_create(intent_id=intent.id, amount_cents=99_999, idempotency_key=key("re"))
    assert over.value.code == "amount_too_large"
    stripe_api.refund_create(intent_id=intent.id, amount_cents=1500, idempotency_key=key("re"))
    with pytest.raises(PaymentError) as done:
        stripe_api.refund_create(intent_id=intent.id, amount_cents=1, idempotency_key=key("re"))
    assert done.value.code == "charge_already_refunded"


def test_refund_of_an_uncaptured_hold_is_refused():
    intent = authorise(2500)
    with pytest.raises(PaymentError) as refused:
        stripe_api.refund_create(intent_id=intent.id, amount_cents=100, idempotency_key=key("re"))
    assert refused.value.code == "charge_not_captured"


# --- Idempotency ----------------------------------------------------------------------------


def test_same_key_twice_gives_the_same_payment_intent():
    same = key("order-7-intent")
    first = authorise(4000, idempotency_key=same)
    second = authorise(4000, idempotency_key=same)
    assert second.id == first.id


def test_same_key_with_another_amount_is_an_error():
    same = key("order-7-intent")
    authorise(4000, idempotency_key=same)
    with pytest.raises(IdempotencyConflict):
        authorise(4100, idempotency_key=same)


def test_replayed_refund_is_not_refunded_twice():
    intent = captured(2500)
    same = key("order-7-refund")
    first = stripe_api.refund_create(intent_id=intent.id, amount_cents=2000, idempotency_key=same)
    again = stripe_api.refund_create(intent_id=intent.id, amount_cents=2000, idempotency_key=same)
    assert again.id == first.id
    # 500 left, so a second *real* refund of 2000 is refused.
    with pytest.raises(PaymentError):
        stripe_api.refund_create(intent_id=intent.id, amount_cents=2000, idempotency_key=key("re"))


def test_a_declined_attempt_is_replayed_as_declined():
    same = key("decline")
    for _ in range(2):
        with pytest.raises(PaymentDeclined):
            authorise(payment_method="pm_card_chargeCustomerFail", idempotency_key=same)


def test_writes_need_an_idempotency_key():
    with pytest.raises(ValueError):
        authorise(idempotency_key="")


# --- Connect ----------------------------------------------------------------------------------


@pytest.mark.local_stripe
def test_account_and_onboarding_link():
    account = shop_account("fromagerie@example.fr")
    assert account.id.startswith("acct_")
    assert account.email == "fromagerie@example.fr"
    assert not account.charges_enabled and not account.details_submitted
    link = stripe_api.account_link_create(
        account_id=account.id, refresh_url="http://halle.test/refresh", return_url="http://halle.test/retour"
    )
    assert link.url.startswith("http") and link.expires_at > time.time()
    assert stripe_api.account_retrieve(account_id=account.id) == account

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(link.url, timeout=5)
    with redirect.value as response:  # the 302 holds the connection until closed
        assert response.code == 302
        assert response.headers["Location"] == "http://halle.test/retour"
    onboarded = stripe_api.account_retrieve(account_id=account.id)
    assert onboarded.charges_enabled and onboarded.payouts_enabled and onboarded.details_submitted


def test_account_link_for_unknown_account_is_refused():
    with pytest.raises(PaymentError) as refused:
        stripe_api.account_link_create(account_id="acct_nope", refresh_url="http://x/r", return_url="http://x/s")
    assert refused.value.code == "resource_missing"


def test_same_key_gives_the_same_account():
    same = key("shop-3-account")
    first = stripe_api.account_create(email="a@example.fr", idempotency_key=same)
    assert stripe_api.account_create(email="a@example.fr", idempotency_key=same).id == first.id


def test_transfers_from_a_captured_charge_grouped_by_order():
    intent = captured(4000, 3500, group="ORDER_9")
    bakery, cheese = shop_account("b@example.fr"), shop_account("c@example.fr")
    to_bakery = stripe_api.transfer_create(
        amount_cents=2000, destination=bakery.id, transfer_group="ORDER_9",
        source_transaction=intent.latest_charge_id, idempotency_key=key("tr"),
    )
    to_cheese = stripe_api.transfer_create(
        amount_cents=1200, destination=cheese.id, transfer_group="ORDER_9",
        source_transaction=intent.latest_charge_id, idempotency_key=key("tr"),
    )
    assert to_bakery.id.startswith("tr_")
    assert to_bakery.source_transaction == intent.latest_charge_id
    assert (to_bakery.destination, to_bakery.amount_cents) == (bakery.id, 2000)
    other = captured(1000, group="ORDER_10")
    stripe_api.transfer_create(
        amount_cents=500, destination=bakery.id, transfer_group="ORDER_10",
        source_transaction=other.latest_charge_id, idempotency_key=key("tr"),
    )
    listed = stripe_api.transfer_list(transfer_group="ORDER_9")
    assert {t.id for t in listed} == {to_bakery.id, to_cheese.id}


def test_over_transfer_from_the_source_charge_is_refused():
    intent = captured(4000, 3500)
    shop = shop_account()
    stripe_api.transfer_create(
        amount_cents=3000, destination=shop.id, transfer_group="ORDER_1",
        source_transaction=intent.latest_charge_id, idempotency_key=key("tr"),
    )
    with pytest.raises(PaymentError) as refused:  # 3500 captured, 3000 already transferred
        stripe_api.transfer_create(
            amount_cents=501, destination=shop.id, transfer_group="ORDER_1",
            source_transaction=intent.latest_charge_id, idempotency_key=key("tr"),
        )
    assert refused.value.code == "balance_insufficient"
    last = stripe_api.transfer_create(
        amount_cents=500, destination=shop.id, transfer_group="ORDER_1",
        source_transaction=intent.latest_charge_id, idempotency_key=key("tr"),
    )
    assert last.amount_cents == 500


def test_transfer_from_an_uncaptured_charge_or_to_an_unknown_account_is_refused():
    intent = authorise(4000)
    shop = shop_account()
    with pytest.raises(PaymentError):
        stripe_api.transfer_create(
            amount_cents=100, destination=shop.id, transfer_group="ORDER_1",
            source_transaction=intent.latest_charge_id, idempotency_key=key("tr"),
        )
    paid = captured(4000)
    with pytest.raises(PaymentError) as unknown:
        stripe_api.transfer_create(
            amount_cents=100, destination="acct_unknown", transfer_group="ORDER_1",
            source_transaction=paid.latest_charge_id, idempotency_key=key("tr"),
        )
    assert unknown.value.code == "resource_missing"


def test_reversals_up_to_the_transferred_amount():
    intent = captured(4000)
    shop = shop_account()
    transfer = stripe_api.transfer_create(
        amount_cents=3000, destination=shop.id, transfer_group="ORDER_1",
        source_transaction=intent.latest_charge_id, idempotency_key=key("tr"),
    )
    reversal = stripe_api.transfer_reversal_create(
        transfer_id=transfer.id, amount_cents=1000, idempotency_key=key("trr")
    )
    assert reversal.id.startswith("trr_")
    assert (reversal.transfer_id, reversal.amount_cents) == (transfer.id, 1000)
    with pytest.raises(PaymentError) as over:
        stripe_api.transfer_reversal_create(transfer_id=transfer.id, amount_cents=2001, idempotency_key=key("trr"))
    assert over.value.code == "amount_too_large"
    stripe_api.transfer_reversal_create(transfer_id=transfer.id, amount_cents=2000, idempotency_key=key("trr"))
    [listed] = stripe_api.transfer_list(transfer_group="ORDER_1")
    assert listed.amount_reversed_cents == 3000


@pytest.mark.local_stripe
def test_reset_wipes_connect_state_too(stripe_server):
    from tests.marketplace.payments.conftest import _reset

    shop = shop_account()
    _reset(stripe_server)
    with pytest.raises(PaymentError):
        stripe_api.account_retrieve(account_id=shop.id)


# --- Failures of the service ----------------------------------------------------------------


def test_unreachable_server_is_payment_unavailable():
    with socket_closed_port() as port, override_settings(
        STRIPE_API_BASE=f"http://127.0.0.1:{port}", STRIPE_MAX_NETWORK_RETRIES=1
    ):
        with pytest.raises(PaymentUnavailable) as unavailable:
            authorise(4000)
    assert str(unavailable.value) == "Paiement indisponible, réessayez dans un instant."


class socket_closed_port:
    """A loopback port nothing listens on (bound, never listening, for the test's duration)."""

    def __enter__(self):
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return self.sock.getsockname()[1]

    def __exit__(self, *exc):
        self.sock.close()


# --- Webhooks ------------------------------------------------------------------------------------


def signed(payload: bytes, secret: str = "whsec_halle_local", timestamp: int | None = None) -> str:
    import stripe  # only to sign, as Stripe does (tests may; application code may not)

    return stripe.WebhookSignature.generate_signature_header(payload.decode(), secret, timestamp=timestamp)


EVENT = json.dumps(
    {
        "id": "evt_1", "object": "event", "type": "payment_intent.succeeded", "created": 1_790_000_000,
        "api_version": "2026-01-01", "data": {"object": {"id": "pi_1", "object": "payment_intent", "amount": 4000}},
    }
).encode()


@override_settings(STRIPE_WEBHOOK_SECRET="whsec_halle_local")
def test_signed_webhook_verifies():
    event = stripe_api.webhook_event_construct(payload=EVENT, signature=signed(EVENT))
    assert (event.id, event.type, event.object["id"], event.object["amount"]) == (
        "evt_1", "payment_intent.succeeded", "pi_1", 4000
    )


@override_settings(STRIPE_WEBHOOK_SECRET="whsec_halle_local")
@pytest.mark.parametrize(
    "payload, signature",
    [
        (EVENT.replace(b"4000", b"9000"), signed(EVENT)),  # tampered body
        (EVENT, signed(EVENT, secret="whsec_other")),  # wrong secret
        (EVENT, signed(EVENT, timestamp=int(time.time()) - 3600)),  # replayed an hour later
        (EVENT, ""),  # no signature
    ],
    ids=["tampered", "wrong-secret", "too-old", "missing"],
)
def test_bad_webhook_is_refused(payload, signature):
    with pytest.raises(WebhookSignatureInvalid):
        stripe_api.webhook_event_construct(payload=payload, signature=signature)
