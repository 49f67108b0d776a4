"""Histories of orders written as the workflow leaves them, rolled up, for the page tests."""
from __future__ import annotations

import datetime as dt
import itertools

import pytest

from marketplace.order.models import FulfilmentMode
from shops.models import Trade
from tests.factories.analytics import PlannedOrder, PlannedPart, World, event_apply, history_events
from tests.factories.logistics import PARIS, CollectionPointFactory
from tests.factories.shops import ShopFactory

FIRST_DAY = dt.date(2026, 3, 2)  # a Monday
_shop_numbers = itertools.count(1)


def plan_of(count: int, *, shops: int = 3) -> list[PlannedOrder]:
    """``count`` orders over two weeks: every third one in two shops, at the point on even days."""
    plan = []
    for i in range(count):
        parts = [PlannedPart(shop=i % shops, lines=((1 + i % 2, 400 + 10 * i),),
                             outcome=("collected", "collected", "no_show", "open")[i % 4])]
        if i % 3 == 0:
            parts.append(PlannedPart(shop=(i + 1) % shops, lines=((1, 250),)))
        plan.append(PlannedOrder(day=i % 13, minute=8 * 60 + (i * 37) % 600, shopper=i % 7,
                                 mode=FulfilmentMode.AT_POINT if i % 2 == 0 else FulfilmentMode.AT_SHOPS,
                                 parts=tuple(parts), slot_hour=10 + i % 8))
    return plan


@pytest.fixture
def history(db):
    """Call with a plan (and optional shops): writes it, rolls it up, returns the world."""

    def write(plan, *, shops=None):
        from marketplace.analytics.services.rollups import rollups_update

        trades = (Trade.BOULANGERIE, Trade.FROMAGERIE, Trade.BOULANGERIE)
        shops = shops or [ShopFactory(name=f"Commerce {next(_shop_numbers)}", trade=trades[n]) for n in range(3)]
        world = World(shops=shops, point=CollectionPointFactory(name="Point de la Halle"), first_day=FIRST_DAY)
        events = history_events(plan, FIRST_DAY)
        for event in events:
            event_apply(world, plan, event)
        rollups_update(now=dt.datetime.combine(FIRST_DAY + dt.timedelta(days=20), dt.time(12), tzinfo=PARIS))
        return world

    return write
