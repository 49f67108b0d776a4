"""Idempotency-Key replays the first answer (also under concurrency); a token's rate is limited."""
from __future__ import annotations


import pytest

from marketplace.partner.models import StockRecord
from shops import stock
from shops.api.idempotency import idempotent_responses_purge
from shops.models import ApiIdempotentResponse
from tests.factories.backoffice import api_token
from tests.shops.api.conftest import Till


def in_stock(sku: str) -> int:
    return StockRecord.objects.get(partner_sku=sku).num_in_stock


@pytest.mark.django_db
def test_the_same_key_replays_the_first_answer_without_writing_again(till, offers):
    first = till.patch("offers/PAIN/", {"stock": 5}, idempotency_key="cle-1")
    stock.offer_update(offer=offers["PAIN"], num_in_stock=9)  # the shop changes it meanwhile

    again = till.patch("offers/PAIN/", {"stock": 5}, idempotency_key="cle-1")

    assert again.status_code == first.status_code == 200
    assert again.json() == first.json() and again.json()["stock"] == 5
    assert again["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert in_stock("PAIN") == 9


@pytest.mark.django_db
def test_the_body_is_compared_parsed(till, offers):
    till.call("PATCH", "offers/PAIN/", raw=b'{"stock": 5, "price": "2.00"}', idempotency_key="k")
    replay = till.call("PATCH", "offers/PAIN/", raw=b'{ "price":"2.00","stock":5 }', idempotency_key="k")
    assert replay["Idempotent-Replayed"] == "true"


@pytest.mark.django_db
def test_a_refused_change_is_replayed_too(till, offers):
    first = till.patch("offers/CROISSANT/", {"stock": 1}, idempotency_key="refus")
    again = till.patch("offers/CROISSANT/", {"stock": 1}, idempotency_key="refus")
    assert first.status_code == again.status_code == 400
    assert again.json() == first.json()


@pytest.mark.django_db
@pytest.mark.parametrize("other", [
    ("PATCH", "offers/PAIN/", {"stock": 6}),
    ("PATCH", "offers/CROISSANT/", {"stock": 5}),
    ("POST", "stock-updates/", {"items": [{"sku": "PAIN", "stock": 5}]}),
], ids=["autre corps", "autre SKU", "autre adresse"])
def test_the_same_key_with_another_request_is_a_422(till, offers, other):
    till.patch("offers/PAIN/", {"stock": 5}, idempotency_key="cle-2")
    method, path, body = other
    response = till.call(method, path, body, idempotency_key="cle-2")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_conflict"
    assert in_stock("PAIN") == 5 and in_stock("CROISSANT") == 20


@pytest.mark.django_db
def test_keys_belong_to_one_token(client, shop, offers):
    one, two = Till(client, api_token(shop=shop)[1]), Till(client, api_token(shop=shop, name="Caisse 2")[1])
    one.patch("offers/PAIN/", {"stock": 5}, idempotency_key="partagee")
    response = two.patch("offers/PAIN/", {"stock": 6}, idempotency_key="partagee")
    assert response.status_code == 200 and not response.has_header("Idempotent-Replayed")
    assert in_stock("PAIN") == 6


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "x" * 256, "clé-accentuée", "deux mots"])
def test_a_bad_key_is_a_400(till, offers, key):
    response = till.patch("offers/PAIN/", {"stock": 5}, idempotency_key=key)
    assert (response.status_code, response.json()["code"]) == (400, "bad_idempotency_key")
    assert in_stock("PAIN") == 10


@pytest.mark.django_db
def test_stored_answers_are_forgotten_after_a_day(till, offers):
    import datetime as dt

    from django.utils import timezone

    till.patch("offers/PAIN/", {"stock": 5}, idempotency_key="vieille")
    assert idempotent_responses_purge() == 0
    assert idempotent_responses_purge(now=timezone.now() + dt.timedelta(hours=25)) == 1
    assert not ApiIdempotentResponse.objects.exists()



@pytest.mark.django_db
def test_a_token_is_rate_limited_with_retry_after(client, shop, offers, settings):
    settings.HALLE_API_RATE_LIMIT = 3
    settings.HALLE_API_RATE_WINDOW = 60
    till, other = Till(client, api_token(shop=shop)[1]), Till(client, api_token(shop=shop, name="Autre")[1])
    assert [till.get("offers/PAIN/").status_code for _ in range(3)] == [200, 200, 200]

    refused = till.patch("offers/PAIN/", {"stock": 1})

    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert f"réessayez dans {refused['Retry-After']} s" in refused.json()["detail"]
    assert in_stock("PAIN") == 10
    assert other.get("offers/PAIN/").status_code == 200  # per token


@pytest.mark.django_db
def test_the_window_resets(client, shop, offers, settings, monkeypatch):
    settings.HALLE_API_RATE_LIMIT = 1
    settings.HALLE_API_RATE_WINDOW = 60
    clock = [1_000_040.0]  # 20 s into a window that began at 1_000_020
    monkeypatch.setattr("marketplace.core.rate_window.time.time", lambda: clock[0])
    till = Till(client, api_token(shop=shop)[1])
    assert till.get("shop/").status_code == 200
    refused = till.get("shop/")
    assert (refused.status_code, refused["Retry-After"]) == (429, "40")
    clock[0] += 40
    assert till.get("shop/").status_code == 200
