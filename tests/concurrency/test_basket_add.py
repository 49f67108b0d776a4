"""Shoppers adding the same product at once on PostgreSQL (real threads): every add succeeds."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from oscar.apps.analytics.models import ProductRecord

from marketplace.basket.models import Line
from tests.concurrency.threads import run_together, unexpected
from tests.factories import ProductFactory, StockRecordFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_first_adds_of_a_product_at_once_all_succeed():
    # Before the fix, the analytics counter's insert ran inside the add's transaction: two
    # first adds of a product racing on it made the loser's whole add fail with a 500.
    assert connection.vendor == "postgresql"
    offer = StockRecordFactory(product=ProductFactory(title="Galette des rois"), num_in_stock=100)
    assert not ProductRecord.objects.filter(product=offer.product).exists()

    def add(_):
        return Client(raise_request_exception=False).post(
            f"/basket/add/{offer.product_id}/", {"quantity": 1, "stockrecord": offer.pk}
        ).status_code

    statuses = run_together(20, add)

    assert statuses == [302] * 20, unexpected(statuses, int)
    assert Line.objects.filter(stockrecord=offer).count() == 20
    assert ProductRecord.objects.get(product=offer.product).num_basket_additions == 20
