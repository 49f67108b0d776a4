"""Roll-ups: equal to the raw rows after any history, however often the update ran; idempotent."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace.analytics.facts import FACT_MODELS
from marketplace.analytics.models import DailyShopFact, DailyTownFact, HourlyShopFact, RollupState
from marketplace.analytics.services.rollups import rollups_rebuild, rollups_update
from marketplace.order.models import FulfilmentMode
from tests.factories.analytics import (
    OUTCOMES,
    SHOP_FIGURES,
    TOWN_FIGURES,
    PlannedOrder,
    PlannedPart,
    World,
    event_apply,
    expected_facts,
    history_events,
)
from tests.factories.logistics import PARIS, CollectionPointFactory
from tests.factories.shops import ShopFactory

pytestmark = pytest.mark.django_db

FIRST_DAY = dt.date(2026, 3, 2)  # a Monday; the history spans a week (the clocks change on 29 March)

parts = st.builds(
    PlannedPart,
    shop=st.integers(0, 2),
    lines=st.lists(st.tuples(st.integers(1, 3), st.integers(50, 5000)), min_size=1, max_size=2).map(tuple),
    outcome=st.sampled_from(OUTCOMES),
    prepared_delay=st.integers(-90, 60),
    collect_delay=st.integers(0, 120),
)
orders = st.builds(
    PlannedOrder,
    day=st.integers(0, 5),
    minute=st.integers(7 * 60, 21 * 60),
    shopper=st.integers(0, 4),
    mode=st.sampled_from([FulfilmentMode.AT_SHOPS, FulfilmentMode.AT_POINT]),
    parts=st.lists(parts, min_size=1, max_size=3, unique_by=lambda p: p.shop).map(tuple),
    slot_hour=st.integers(9, 18),
)


def world_make() -> World:
    shops = [ShopFactory(name=f"Commerce {i}") for i in range(3)]
    return World(shops=shops, point=CollectionPointFactory(name="Point de la Halle"), first_day=FIRST_DAY)


def snapshot() -> dict:
    """Every roll-up row, as comparable tuples."""
    result = {}
    for model in FACT_MODELS:
        names = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        result[model.__name__] = sorted(tuple(str(v) for v in row) for row in model.objects.values_list(*names))
    return result


def history_play(world, plan, update_minutes) -> dt.datetime:
    """Write the history in time order, running the incremental update at the given minutes
    after the first day's midnight; returns the end (a day after the last event)."""
    events = history_events(plan, FIRST_DAY)
    start = dt.datetime.combine(FIRST_DAY, dt.time(0), tzinfo=PARIS)
    runs = sorted(start + dt.timedelta(minutes=m) for m in update_minutes)
    for event in events:
        while runs and runs[0] < event.at:
            rollups_update(now=runs.pop(0))
        event_apply(world, plan, event)
    end = max(event.at for event in events) + dt.timedelta(days=1)
    for run in runs:
        rollups_update(now=min(run, end))
    rollups_update(now=end)
    return end


def shop_figures(world) -> dict:
    index = {shop.pk: i for i, shop in enumerate(world.shops)}
    rows = DailyShopFact.objects.values("day", "shop_id", *SHOP_FIGURES)
    return {(row["day"], index[row["shop_id"]]): {f: row[f] for f in SHOP_FIGURES} for row in rows
            if any(row[f] for f in SHOP_FIGURES)}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(plan=st.lists(orders, min_size=1, max_size=7),
       update_minutes=st.lists(st.integers(0, 10 * 24 * 60), max_size=4))
def test_after_any_history_the_updated_rollups_equal_the_raw_rows_and_a_rebuild(plan, update_minutes):
    with transaction.atomic():
        world = world_make()
        end = history_play(world, plan, update_minutes)
        last_day = end.astimezone(PARIS).date()
        updated = snapshot()

        expected_shops, expected_town, expected_hours = expected_facts(plan, FIRST_DAY, last_day)
        assert shop_figures(world) == {k: v for k, v in expected_shops.items() if any(v.values())}
        town = {row["day"]: {f: row[f] for f in TOWN_FIGURES}
                for row in DailyTownFact.objects.values("day", *TOWN_FIGURES) if row["orders"]}
        assert town == expected_town
        index = {shop.pk: i for i, shop in enumerate(world.shops)}
        hours = {(r.day, index[r.shop_id], r.hour): r.orders for r in HourlyShopFact.objects.all()}
        assert hours == expected_hours

        rollups_update(now=end)
        assert snapshot() == updated, "a second update changed the roll-ups"
        rollups_rebuild(now=end)
        assert snapshot() == updated, "the rebuild from the raw rows differs from the incremental roll-ups"
        transaction.set_rollback(True)


def _facts_of(world, day, shop_index=0):
    return DailyShopFact.objects.filter(day=day, shop=world.shops[shop_index]).first()


def test_a_slot_day_still_ahead_at_one_run_is_rolled_up_once_it_comes_due_even_if_runs_were_sparse():
    world = world_make()
    plan = [
        # Placed Monday for a Tuesday slot at the point, never dropped: due, late.
        PlannedOrder(day=0, minute=9 * 60, shopper=0, mode=FulfilmentMode.AT_POINT,
                     parts=(PlannedPart(shop=0, lines=((1, 1000),), outcome="open"),)),
        # Something on Friday, so the last run is far from Tuesday.
        PlannedOrder(day=4, minute=10 * 60, shopper=1, mode=FulfilmentMode.AT_SHOPS,
                     parts=(PlannedPart(shop=1, lines=((1, 500),)),)),
    ]
    # Runs: Monday 12:00 (a rebuild: first run) and Monday 18:00, then only the end (Sunday).
    history_play(world, plan, [12 * 60, 18 * 60])

    tuesday = FIRST_DAY + dt.timedelta(days=1)
    fact = _facts_of(world, tuesday)
    assert (fact.drops_due, fact.drops_on_time) == (1, 0)


def test_a_refund_lowers_the_day_it_happened_not_the_day_of_the_sale():
    world = world_make()
    plan = [PlannedOrder(day=0, minute=10 * 60, shopper=0, mode=FulfilmentMode.AT_SHOPS, slot_hour=10,
                         parts=(PlannedPart(shop=0, lines=((2, 1250),), outcome="no_show"),))]
    history_play(world, plan, [])

    sale_day, slot_day = FIRST_DAY, FIRST_DAY + dt.timedelta(days=1)
    refund_day = slot_day + dt.timedelta(days=2)
    sale, refund = _facts_of(world, sale_day), _facts_of(world, refund_day)
    assert (sale.captured_cents, sale.refunded_cents, sale.orders) == (2500, 0, 1)
    assert (refund.captured_cents, refund.refunded_cents, refund.no_shows, refund.orders) == (0, 2500, 1, 0)
    assert sale.commission_cents == 138 and refund.commission_cents == -138  # 5.5 % of 25,00 €, rounded half up
    assert _facts_of(world, slot_day).ready_due == 1


def test_running_the_update_twice_changes_nothing_and_keeps_the_watermark_moving():
    world = world_make()
    plan = [PlannedOrder(day=0, minute=11 * 60, shopper=0, mode=FulfilmentMode.AT_POINT,
                         parts=(PlannedPart(shop=0, lines=((1, 990),)), PlannedPart(shop=2, lines=((3, 120),))))]
    end = history_play(world, plan, [])
    before = snapshot()

    rollups_update(now=end + dt.timedelta(minutes=5))
    rollups_update(now=end + dt.timedelta(minutes=5))

    assert snapshot() == before
    assert RollupState.objects.get().watermark == end + dt.timedelta(minutes=5)
    town = DailyTownFact.objects.get(day=FIRST_DAY)
    assert (town.orders, town.multi_shop_orders, town.ordered_cents) == (1, 1, 990 + 360)


def test_the_rebuild_command_rewrites_every_day_and_says_how_many():
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    world = world_make()
    plan = [PlannedOrder(day=0, minute=600, shopper=0, mode=FulfilmentMode.AT_SHOPS,
                         parts=(PlannedPart(shop=1, lines=((1, 1500),)),))]
    for event in history_events(plan, FIRST_DAY):
        event_apply(world, plan, event)
    DailyShopFact.objects.create(day=FIRST_DAY, shop=world.shops[0], orders=99)  # a stale row

    out = StringIO()
    call_command("analytics_rebuild", stdout=out)

    days = (timezone.localdate() - FIRST_DAY).days + 1
    assert f"Agrégats reconstruits : {days} jours" in out.getvalue()
    assert not DailyShopFact.objects.filter(shop=world.shops[0]).exists()
    assert DailyShopFact.objects.get(day=FIRST_DAY, shop=world.shops[1]).ordered_cents == 1500
