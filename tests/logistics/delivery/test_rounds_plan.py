"""Planning a window's rounds from its bookings (through the routing adapter, checked independently)."""
from __future__ import annotations

import pytest
from django.conf import settings

from logistics.delivery.models import DeliveryWindow, Vehicle, Round, RoundShape, RoundStop
from logistics.delivery.services.rounds import _problem_build, window_rounds_plan, windows_due_plan
from logistics.delivery.tasks import delivery_rounds_plan_due_task
from logistics.routing import plan_check
from tests.logistics.delivery.rounds_helpers import after, plan_of_stored_rounds, town_with_orders

pytestmark = pytest.mark.django_db


def test_five_bookings_for_two_bikes_of_three_are_planned_feasibly_in_two_rounds():
    _town, _zone, window, orders = town_with_orders(orders=5, parcels=3, couriers=2)
    outcome = window_rounds_plan(window=window)
    assert outcome.planned and not outcome.unplanned
    rounds = list(Round.objects.filter(window=window))
    assert len(rounds) == 2
    stops = list(RoundStop.objects.filter(round__window=window))
    assert sorted(s.booking.order_id for s in stops) == sorted(o.pk for o in orders)
    for round_ in rounds:
        assert round_.shape == RoundShape.FROM_DEPOT
        assert all(s.load_after <= round_.vehicle.capacity_parcels for s in round_.stops.all())
        for stop in round_.stops.all():
            assert stop.arrives_at <= window.ends_at
    built = _problem_build(window=DeliveryWindow.objects.get(pk=window.pk))
    check = plan_check(problem=built.problem, plan=plan_of_stored_rounds(window=window, built=built))
    assert check.feasible, check.violations


def test_collect_at_shops_plans_each_pickup_before_its_delivery_in_the_same_round():
    _town, zone, window, orders = town_with_orders(orders=2, parcels=10, couriers=1, multi_shop=True,
                                                   round_shape=RoundShape.FROM_SHOPS)
    window_rounds_plan(window=window)
    (round_,) = Round.objects.filter(window=window)
    assert round_.shape == RoundShape.FROM_SHOPS
    stops = list(round_.stops.all())
    assert len(stops) == 2 * 2 * 2  # two orders, two shops each: a pickup and a delivery per part
    for stop in stops:
        if stop.kind == "delivery":
            pickup = next(s for s in stops if s.kind == "pickup" and s.shop_order_id == stop.shop_order_id)
            assert pickup.position < stop.position
    built = _problem_build(window=DeliveryWindow.objects.get(pk=window.pk))
    assert plan_check(problem=built.problem, plan=plan_of_stored_rounds(window=window, built=built)).feasible


def test_a_window_already_planned_is_not_planned_again():
    _town, _zone, window, _orders = town_with_orders(orders=3)
    assert window_rounds_plan(window=window).planned
    first = list(RoundStop.objects.values_list("pk", flat=True))
    again = window_rounds_plan(window=window)
    assert not again.planned and list(RoundStop.objects.values_list("pk", flat=True)) == first


def test_orders_beyond_the_fleet_are_listed_for_the_manager_with_a_reason_never_dropped():
    _town, _zone, window, orders = town_with_orders(orders=4, parcels=4, couriers=1)
    Vehicle.objects.update(capacity_parcels=2)  # the bike swapped for a smaller one after the bookings
    outcome = window_rounds_plan(window=window)
    planned = set(RoundStop.objects.values_list("booking__order_id", flat=True))
    listed = {item["order"] for item in outcome.unplanned}
    assert len(planned) == 2 and len(listed) == 2
    assert planned | {o.pk for o in orders if o.number in listed} == {o.pk for o in orders}
    window.refresh_from_db()
    assert window.planned_at is not None and len(window.plan_report["unplanned"]) == 2
    assert all(item["detail"] for item in window.plan_report["unplanned"])


def test_the_beat_task_plans_windows_past_their_cutoff_only(monkeypatch):
    _town, _zone, window, _orders = town_with_orders(orders=2)
    assert windows_due_plan(now=after(window, -1)) == []
    assert not Round.objects.exists()
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: after(window))
    assert delivery_rounds_plan_due_task() == 1
    assert Round.objects.filter(window=window).exists()
    assert delivery_rounds_plan_due_task() == 0


def test_the_beat_schedule_runs_the_round_planning():
    assert {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()} >= {"delivery.rounds_plan_due"}


def test_the_solver_budget_comes_from_the_setting(settings, monkeypatch):
    from logistics.routing import adapter

    seen = []
    real = adapter.solver_get

    class Spy:
        name = "spy"

        def solve(self, problem, *, time_limit, seed):
            seen.append(time_limit)
            return real().solve(problem, time_limit=time_limit, seed=seed)

    monkeypatch.setattr(adapter, "solver_get", lambda **kw: Spy())
    settings.HALLE_ROUTING_TIME_LIMIT = 0.2
    _town, _zone, window, _orders = town_with_orders(orders=2)
    window_rounds_plan(window=window)
    assert seen == [0.2]
