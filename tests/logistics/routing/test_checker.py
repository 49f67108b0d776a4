"""The independent checker catches each kind of violation in hand-built plans."""
import pytest

from logistics.routing import plan_check
from logistics.routing.problem import Plan, Unassigned, UnassignedReason, VisitKind

from .builders import delivery, line_problem, route, shipment

D, P = VisitKind.DELIVERY, VisitKind.PICKUP


@pytest.fixture
def problem():
    # depot at 0; places at 10, 20, 30; vehicles of capacity 3.
    return line_problem(
        points=[0, 10, 20, 30],
        jobs=[
            delivery("d1", 1, demand=2, window=(0, 100), service=5),
            delivery("d2", 3, demand=1, window=(0, 35)),
            shipment("s1", pickup=2, drop=3, amount=2),
        ],
        vehicles=2,
        capacity=3,
        shift_end=200,
    )


def _violations(problem, *routes, unassigned=()):
    return plan_check(problem=problem, plan=Plan(routes=routes, unassigned=unassigned)).violations


def test_a_good_plan_passes_and_its_distance_is_recomputed(problem):
    check = plan_check(problem=problem, plan=Plan(routes=(
        route("v1", ("d1", D), ("d2", D)),
        route("v2", ("s1", P), ("s1", D)),
    )))
    assert check.violations == []
    assert check.feasible
    assert check.distance == 60 + 60  # 0-10-30-0 and 0-20-30-0
    assert check.vehicles_used == 2


def test_over_capacity_mid_route_because_of_a_pickup(problem):
    # Leaves with d1 (2 of 3) on board, fine; picking s1 up (2 more) before dropping d1 makes 4.
    violations = _violations(problem, route("v1", ("s1", P), ("d1", D), ("s1", D)), route("v2", ("d2", D)))
    assert any("after job s1 (pickup)" in v and "exceeds capacity" in v for v in violations), violations
    assert not any("leaving the depot" in v for v in violations), violations
    # Dropping d1 first leaves room for s1.
    assert _violations(problem, route("v1", ("d1", D), ("s1", P), ("s1", D)), route("v2", ("d2", D))) == []


def test_over_capacity_when_leaving_the_depot():
    problem = line_problem(points=[0, 1, 2], jobs=[delivery("a", 1, demand=2), delivery("b", 2, demand=2)], capacity=3)
    violations = _violations(problem, route("v1", ("a", D), ("b", D)))
    assert any("leaving the depot" in v and "exceeds capacity" in v for v in violations), violations


def test_late_arrival(problem):
    # d2's window closes at 35: d1 first (at 10, 5 of service), then d2 arrives at 35: on time.
    assert _violations(problem, route("v1", ("d1", D), ("d2", D)), route("v2", ("s1", P), ("s1", D))) == []
    # Going by s1's pickup at 20 first: d1 at 30, d2 at 55.
    violations = _violations(problem, route("v1", ("s1", P), ("d1", D), ("d2", D), ("s1", D)))
    assert any("late at job d2" in v for v in violations), violations
    assert not any("late at job d1" in v for v in violations), violations


def test_back_after_the_shift_ends():
    problem = line_problem(points=[0, 50], jobs=[delivery("far", 1)], shift_end=90)
    violations = _violations(problem, route("v1", ("far", D)))
    assert any("back at depot" in v for v in violations), violations


def test_delivery_before_pickup(problem):
    violations = _violations(
        problem, route("v1", ("d1", D), ("d2", D)), route("v2", ("s1", D), ("s1", P))
    )
    assert any("delivered before it is picked up" in v for v in violations), violations


def test_pickup_and_delivery_on_different_vehicles(problem):
    violations = _violations(problem, route("v1", ("d1", D), ("d2", D), ("s1", P)), route("v2", ("s1", D)))
    assert any("different vehicles" in v for v in violations), violations


def test_job_visited_twice(problem):
    violations = _violations(problem, route("v1", ("d1", D), ("d2", D)), route("v2", ("d1", D), ("s1", P), ("s1", D)))
    assert any("d1: delivery visited 2 times" in v for v in violations), violations


def test_job_missing_unless_declared_unassigned(problem):
    routes = (route("v1", ("d1", D)), route("v2", ("s1", P), ("s1", D)))
    violations = _violations(problem, *routes)
    assert any("d2: delivery missing" in v for v in violations), violations
    declared = (Unassigned(job_id="d2", reason=UnassignedReason.WINDOW, detail="test"),)
    assert _violations(problem, *routes, unassigned=declared) == []


def test_half_a_shipment_and_unknown_names(problem):
    violations = _violations(
        problem, route("v1", ("d1", D), ("d2", D), ("s1", P), ("ghost", D)), route("v9", ("s1", D))
    )
    assert any("s1: delivery missing" in v for v in violations), violations
    assert any("unknown vehicle 'v9'" in v for v in violations), violations
    assert any("ghost" in v for v in violations), violations
