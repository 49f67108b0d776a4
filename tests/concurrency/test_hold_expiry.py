"""Two stock-hold expiry runs at once release each hold once."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.checkout.services import checkout_hold
from marketplace.order.models import FulfilmentMode
from marketplace.partner.models import StockHold, StockHoldStatus, StockRecord
from shops.stock import stock_holds_expire
from tests.concurrency.threads import run_together
from tests.factories.town import basket_of, town_built

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_expiry_runs_at_once_give_each_unit_back_once():
    town = town_built(shops=2, stock=100, capacity=100)
    past = timezone.now() - dt.timedelta(minutes=30)
    for _ in range(30):
        checkout_hold(basket=basket_of([(town.offers[0], 2), (town.offers[1], 1)]), mode=FulfilmentMode.AT_POINT,
                      point=town.point, choices={None: town.slot(town.point).pk}, now=past)

    results = run_together(2, lambda i: stock_holds_expire(batch_size=7))

    assert sum(results) == 60, results
    assert [StockRecord.objects.get(pk=o.pk).num_allocated for o in town.offers] == [0, 0]
    assert not StockHold.objects.filter(status=StockHoldStatus.HELD).exists()
