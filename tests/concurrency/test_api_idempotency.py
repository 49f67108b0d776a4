"""Two identical keyed requests of a till at once on PostgreSQL: the write runs once and both
get its answer (one of them marked as replayed)."""
from __future__ import annotations

import time

import pytest
from django.http.response import HttpResponseBase
from django.test import Client

from shops import stock
from shops.models import ApiIdempotentResponse
from tests.concurrency.threads import run_together, unexpected
from tests.factories import StockRecordFactory
from tests.factories.backoffice import api_token, merchant
from tests.shops.api.conftest import Till
from tests.shops.api.test_idempotency_and_rate import in_stock

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_identical_keyed_requests_at_once_write_once_and_answer_alike(monkeypatch):
    shop = merchant(username="gerant-concurrent", role="owner")[1]
    StockRecordFactory(shop=shop, partner_sku="PAIN", num_in_stock=10)
    secret = api_token(shop=shop)[1]
    calls = []
    original = stock.offers_bulk_update

    def slow_bulk_update(**kwargs):
        calls.append(kwargs)
        time.sleep(0.5)  # the second request arrives while the first is writing
        return original(**kwargs)

    monkeypatch.setattr(stock, "offers_bulk_update", slow_bulk_update)

    answers = run_together(2, lambda i: Till(Client(), secret).post(
        "stock-updates/", {"items": [{"sku": "PAIN", "stock": 42}]}, idempotency_key="meme-cle"))

    assert not unexpected(answers, HttpResponseBase)
    assert len(calls) == 1
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    assert sorted(a.has_header("Idempotent-Replayed") for a in answers) == [False, True]
    assert in_stock("PAIN") == 42
    assert ApiIdempotentResponse.objects.count() == 1
