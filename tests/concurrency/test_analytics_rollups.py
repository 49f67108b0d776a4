"""Roll-up writers at once on PostgreSQL: they queue on one lock, and the rows are the rebuild's."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from marketplace.analytics.services.rollups import rollups_rebuild, rollups_update
from marketplace.order.models import FulfilmentMode
from tests.concurrency.threads import run_together, unexpected
from tests.factories.analytics import PlannedOrder, PlannedPart, World, event_apply, history_events
from tests.factories.logistics import CollectionPointFactory
from tests.factories.shops import ShopFactory
from tests.marketplace.analytics.test_rollups import FIRST_DAY, snapshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_updates_and_rebuilds_running_at_once_all_finish_and_leave_the_rebuilds_rows():
    assert connection.vendor == "postgresql"
    world = World(shops=[ShopFactory(), ShopFactory(), ShopFactory()], point=CollectionPointFactory(),
                  first_day=FIRST_DAY)
    plan = [
        PlannedOrder(day=d, minute=600 + 7 * d, shopper=d % 3, mode=FulfilmentMode.AT_POINT,
                     parts=(PlannedPart(shop=d % 3, lines=((1, 700 + d),)), PlannedPart(shop=(d + 1) % 3, lines=((2, 300),))))
        for d in range(6)
    ]
    for event in history_events(plan, FIRST_DAY):
        event_apply(world, plan, event)
    end = dt.datetime.combine(FIRST_DAY + dt.timedelta(days=10), dt.time(12), tzinfo=dt.UTC)
    rollups_update(now=end - dt.timedelta(days=1))  # the first run rebuilds; the others update

    results = run_together(6, lambda i: (rollups_rebuild if i % 3 == 0 else rollups_update)(now=end).days)

    assert all(isinstance(r, int) for r in results), unexpected(results, int)
    after_race = snapshot()
    rollups_rebuild(now=end)
    assert snapshot() == after_race
    assert after_race["DailyShopFact"], "the history left no roll-up rows"
