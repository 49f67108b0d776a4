"""The PyVRP adapter, end to end on small problems, judged by the independent checker."""
import pytest

from logistics.routing import plan_check, solver_get
from logistics.routing.matrix import matrix_haversine
from logistics.routing.problem import (
    Delivery,
    Depot,
    Location,
    Objective,
    Problem,
    Shipment,
    Stop,
    TimeWindow,
    UnassignedReason,
    Vehicle,
    VisitKind,
)

from .builders import delivery, line_problem

LIMIT = 0.5  # seconds: these problems are solved to optimality in milliseconds
NINE = 9 * 3600
#: Annecy: the depot near the town hall and eight addresses within about 1.5 km.
TOWN = [
    Location(45.8992, 6.1294),
    Location(45.9031, 6.1402), Location(45.9058, 6.1321), Location(45.9010, 6.1180), Location(45.8965, 6.1231),
    Location(45.8930, 6.1335), Location(45.8905, 6.1250), Location(45.8951, 6.1405), Location(45.9002, 6.1460),
]
SERVICE = 120


def _solve(problem):
    plan = solver_get().solve(problem, time_limit=LIMIT, seed=1)
    check = plan_check(problem=problem, plan=plan)
    assert check.violations == [], check.violations
    return plan, check


def _town_problem(*, jobs, vehicles=2, capacity=6, objective=Objective.HIERARCHICAL):
    return Problem(
        depots=(Depot(id="hall", location=0, window=TimeWindow(NINE - 1800, NINE + 4 * 3600)),),
        vehicles=tuple(
            Vehicle(id=f"bike{i + 1}", capacity=(capacity,), start_depot="hall", end_depot="hall",
                    shift_start=NINE, shift_end=NINE + 3 * 3600, profile="cargo_bike")
            for i in range(vehicles)
        ),
        jobs=tuple(jobs),
        matrices={"cargo_bike": matrix_haversine(locations=TOWN, profile="cargo_bike")},
        objective=objective,
        locations=tuple(TOWN),
    )


def _tight_deliveries():
    """Eight deliveries with 10-minute windows around a schedule known to work (two rounds)."""
    duration = matrix_haversine(locations=TOWN, profile="cargo_bike").duration
    jobs = []
    for stops in ((1, 2, 3, 4), (5, 6, 7, 8)):
        time, here = NINE, 0
        for place in stops:
            time += duration[here][place]
            jobs.append(Delivery(
                id=f"order{place}",
                stop=Stop(location=place, window=TimeWindow(time - 300, time + 300), service=SERVICE),
                demand=(1 + place % 2,),
            ))
            time += SERVICE
            here = place
    return jobs


def test_eight_tight_deliveries_two_bikes():
    problem = _town_problem(jobs=_tight_deliveries())
    plan, check = _solve(problem)
    assert plan.unassigned == ()
    assert sorted(v.job_id for r in plan.routes for v in r.visits) == sorted(j.id for j in problem.jobs)
    assert plan.distance == check.distance  # the solver's distances are the matrix's
    for route in plan.routes:
        for visit in route.visits:
            window = problem.job(visit.job_id).stop.window
            assert window.start <= visit.start <= window.end
            assert visit.arrival <= visit.start
        assert route.visits[-1].load_after == (0,)
        assert route.departure >= NINE


def test_shipments_keep_pickup_before_delivery_on_one_bike():
    # Three shops (1, 2, 3) each send a parcel to a customer (8, 7, 6); two home deliveries.
    # Capacity 2: the bike cannot collect everything first.
    jobs = [
        Shipment(id=f"parcel{shop}", pickup=Stop(location=shop, service=60),
                 delivery=Stop(location=home, service=SERVICE), amount=(1,))
        for shop, home in ((1, 8), (2, 7), (3, 6))
    ] + [Delivery(id=f"order{place}", stop=Stop(location=place), demand=(1,)) for place in (4, 5)]
    problem = _town_problem(jobs=jobs, vehicles=1, capacity=2)
    plan, _ = _solve(problem)
    assert plan.unassigned == ()
    (route,) = plan.routes
    order = [(v.job_id, v.kind) for v in route.visits]
    for shop in (1, 2, 3):
        assert order.index((f"parcel{shop}", VisitKind.PICKUP)) < order.index((f"parcel{shop}", VisitKind.DELIVERY))
    assert max(v.load_after[0] for v in route.visits) <= 2


def test_impossible_jobs_are_unassigned_with_their_reason():
    jobs = _tight_deliveries()[:4] + [
        # 2 km out and due 2 minutes after the bikes leave: no bike gets there in time.
        Delivery(id="too_soon", stop=Stop(location=8, window=TimeWindow(NINE, NINE + 120)), demand=(1,)),
        Delivery(id="too_big", stop=Stop(location=5), demand=(50,)),
    ]
    plan, _ = _solve(_town_problem(jobs=jobs))
    reasons = {u.job_id: u.reason for u in plan.unassigned}
    assert reasons == {"too_soon": UnassignedReason.WINDOW, "too_big": UnassignedReason.CAPACITY}
    assert all(u.detail for u in plan.unassigned)
    assert len([v for r in plan.routes for v in r.visits]) == 4


def test_a_job_without_room_is_reported_not_forced():
    # One bike, room for two parcels, three orders: each fits alone, not all together.
    jobs = [Delivery(id=f"order{p}", stop=Stop(location=p), demand=(1,)) for p in (1, 2, 3)]
    plan, _ = _solve(_town_problem(jobs=jobs, vehicles=1, capacity=2))
    assert [u.reason for u in plan.unassigned] == [UnassignedReason.NO_ROOM]
    assert sum(len(r.visits) for r in plan.routes) == 2


def _two_or_one(**kwargs):
    # A (+10, due at 10-12) and B (+11, 100-110) lie east, C (-10, 30-35) west. One vehicle
    # must go A, C, B (62 units); two vehicles do A, B and C for 42.
    return line_problem(
        points=[0, 10, 11, -10],
        jobs=[delivery("A", 1, window=(10, 12)), delivery("B", 2, window=(100, 110)),
              delivery("C", 3, window=(30, 35))],
        vehicles=2,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("objective", "fixed_cost", "routes", "distance"),
    [
        (Objective.COST, 0, 2, 42),  # distance alone: two vehicles
        (Objective.COST, 100, 1, 62),  # a vehicle costs more than the 20 it saves
        (Objective.HIERARCHICAL, 0, 1, 62),  # fewest vehicles first, whatever the distance
    ],
)
def test_fixed_cost_makes_one_vehicle_preferred_when_it_suffices(objective, fixed_cost, routes, distance):
    plan, check = _solve(_two_or_one(objective=objective, fixed_cost=fixed_cost))
    assert check.vehicles_used == routes
    assert check.distance == distance
    assert plan.unassigned == ()


def test_no_vehicle_means_everything_unassigned():
    problem = line_problem(points=[0, 5], jobs=[delivery("a", 1)], vehicles=0)
    plan = solver_get().solve(problem, time_limit=LIMIT, seed=1)
    assert plan.routes == ()
    assert [u.job_id for u in plan.unassigned] == ["a"]


def test_an_inconsistent_problem_is_refused_before_solving():
    problem = line_problem(points=[0, 5], jobs=[delivery("a", 7)])
    with pytest.raises(ValueError, match="Job a: location 7 outside the matrices"):
        solver_get().solve(problem, time_limit=LIMIT, seed=1)
