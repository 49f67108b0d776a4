"""Two planning runs of one window at the same time (the beat task overlapping the manager's
button) on PostgreSQL: the window's row lock and ``planned_at`` make it one plan."""
from __future__ import annotations

import pytest
from django.db import connection

from logistics.delivery.models import Round, RoundStop
from logistics.delivery.services.rounds import PlanOutcome, window_rounds_plan
from tests.concurrency.threads import run_together, unexpected
from tests.logistics.delivery.rounds_helpers import town_with_orders

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_runs_at_once_plan_the_window_once():
    assert connection.vendor == "postgresql"
    _town, _zone, window, orders = town_with_orders(orders=4, parcels=3, couriers=2)

    results = run_together(2, lambda i: window_rounds_plan(window=window.pk))

    assert not unexpected(results, PlanOutcome)
    assert sorted(r.planned for r in results) == [False, True]
    assert RoundStop.objects.count() == len(orders)
    assert Round.objects.filter(window=window).count() == sum(len(r.rounds) for r in results)
