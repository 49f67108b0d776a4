"""The demo's past weeks of orders: idempotent, money that balances, figures that show."""
from __future__ import annotations

import datetime as dt

import pytest

from marketplace.analytics.models import DailyShopFact
from marketplace.analytics.services.rollups import rollups_rebuild
from marketplace.demo.history import history_seed
from marketplace.demo.town import town_seed
from marketplace.order.models import Order
from marketplace.payments.models import Payment
from marketplace.payments.services.reconciliation import payment_check

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 20)


def test_two_weeks_of_history_balance_their_ledger_and_a_second_run_adds_nothing():
    town_seed(shops=4, products=40, seed=3, images=False, today=TODAY)

    created = history_seed(weeks=2, seed=3, today=TODAY)

    assert created == Order.objects.filter(number__startswith="H3-").count() > 20
    assert history_seed(weeks=2, seed=3, today=TODAY) == 0
    problems = {p.order_number: payment_check(payment=p, with_stripe=False) for p in Payment.objects.all()}
    assert not {number: found for number, found in problems.items() if found}

    rollups_rebuild(now=dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC))
    facts = DailyShopFact.objects.filter(day__lt=TODAY)
    assert sum(f.orders for f in facts) >= created and sum(f.no_shows for f in facts) >= 0
    assert sum(f.captured_cents for f in facts) > 0

