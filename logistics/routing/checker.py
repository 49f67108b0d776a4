"""An independent feasibility check of a plan.

A solver's own feasibility flag is the claim under test, so this module reads nothing
from the plan but which vehicle drives which visits in which order. It recomputes the
schedule from the problem's matrices (leaving as early as the shift and the depot
allow, waiting when early), the load at every point, the pairing of pickups and
deliveries, and the distance, in whatever number type the matrices hold: the benchmark
passes unrounded doubles to check plans the way the literature does.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from logistics.routing.problem import (
    Delivery,
    Job,
    Plan,
    Problem,
    Route,
    Shipment,
    Stop,
    Vehicle,
    VisitKind,
)


@dataclass
class PlanCheck:
    violations: list[str] = field(default_factory=list)
    #: Sum of the matrix distances along every route, depot to depot.
    distance: float = 0.0
    #: Routes with at least one visit.
    vehicles_used: int = 0

    @property
    def feasible(self) -> bool:
        return not self.violations


def plan_check(*, problem: Problem, plan: Plan, tolerance: float = 0.0) -> PlanCheck:
    """Every violation of the problem's rules by ``plan``, and its recomputed distance.

    ``tolerance`` absorbs rounding noise when the matrices hold floats (leave it at 0
    for integer problems). A job listed as unassigned may be absent from the routes;
    any other absent job is a violation.
    """
    check = PlanCheck()
    jobs = {job.id: job for job in problem.jobs}
    vehicles = {vehicle.id: vehicle for vehicle in problem.vehicles}
    #: (job id, kind) -> [(route index, position in route)]
    seen: dict[tuple[str, VisitKind], list[tuple[int, int]]] = defaultdict(list)
    drivers: set[str] = set()

    for index, route in enumerate(plan.routes):
        vehicle = vehicles.get(route.vehicle_id)
        if vehicle is None:
            check.violations.append(f"route {index + 1}: unknown vehicle {route.vehicle_id!r}")
            continue
        if vehicle.id in drivers:
            check.violations.append(f"vehicle {vehicle.id}: drives more than one route")
        drivers.add(vehicle.id)
        if not route.visits:
            continue
        check.vehicles_used += 1
        for position, visit in enumerate(route.visits):
            seen[(visit.job_id, visit.kind)].append((index, position))
        check.distance += _route_check(
            problem=problem, route=route, vehicle=vehicle, jobs=jobs, tolerance=tolerance,
            violations=check.violations,
        )

    unassigned = {item.job_id for item in plan.unassigned}
    for job in problem.jobs:
        _job_check(job=job, seen=seen, unassigned=unassigned, violations=check.violations)
    for job_id, kind in seen:
        if job_id not in jobs:
            check.violations.append(f"job {job_id}: not in the problem ({kind})")
    return check


def _route_check(
    *,
    problem: Problem,
    route: Route,
    vehicle: Vehicle,
    jobs: dict[str, Job],
    tolerance: float,
    violations: list[str],
) -> float:
    """Walk one route; append its violations; return its distance."""
    where = f"vehicle {vehicle.id}"
    matrix = problem.matrix_of(vehicle)
    start_depot = problem.depot(vehicle.start_depot)
    end_depot = problem.depot(vehicle.end_depot)

    stops: list[tuple[str, VisitKind, Stop, tuple[int, ...], int]] = []
    for visit in route.visits:
        job = jobs.get(visit.job_id)
        if job is None:
            continue  # reported once, by plan_check
        resolved = _stop_of(job=job, kind=visit.kind)
        if resolved is None:
            violations.append(f"{where}: job {job.id} has no {visit.kind} step")
            continue
        stop, amount, sign = resolved
        stops.append((job.id, visit.kind, stop, amount, sign))

    # Deliveries leave the depot on board; shipments board at their pickup.
    load = [0] * len(vehicle.capacity)
    for job_id, _kind, _stop, amount, _sign in stops:
        if isinstance(jobs[job_id], Delivery):
            load = [have + need for have, need in zip(load, amount)]
    _load_check(load=load, vehicle=vehicle, where=f"{where}: leaving the depot", violations=violations)

    time = max(vehicle.shift_start, start_depot.window.start)
    here = start_depot.location
    distance = 0.0
    for job_id, kind, stop, amount, sign in stops:
        time += matrix.duration[here][stop.location]
        distance += matrix.distance[here][stop.location]
        here = stop.location
        time = max(time, stop.window.start)
        if time > stop.window.end + tolerance:
            violations.append(
                f"{where}: late at job {job_id} ({kind}): service starts at {time}, "
                f"window ends at {stop.window.end}"
            )
        time += stop.service
        load = [have + sign * part for have, part in zip(load, amount)]
        _load_check(load=load, vehicle=vehicle, where=f"{where}: after job {job_id} ({kind})",
                    violations=violations)

    time += matrix.duration[here][end_depot.location]
    distance += matrix.distance[here][end_depot.location]
    closes = min(vehicle.shift_end, end_depot.window.end)
    if time > closes + tolerance:
        violations.append(f"{where}: back at depot {end_depot.id} at {time}, shift or depot ends at {closes}")
    return distance


def _stop_of(*, job: Job, kind: VisitKind) -> tuple[Stop, tuple[int, ...], int] | None:
    """The stop a visit means, the amount it moves and its sign (+1 boards, -1 leaves)."""
    if isinstance(job, Shipment):
        if kind is VisitKind.PICKUP:
            return job.pickup, job.amount, 1
        return job.delivery, job.amount, -1
    if kind is VisitKind.DELIVERY:
        return job.stop, job.demand, -1
    return None


def _load_check(*, load: list[int], vehicle: Vehicle, where: str, violations: list[str]) -> None:
    if any(have > limit for have, limit in zip(load, vehicle.capacity)):
        violations.append(f"{where}: load {tuple(load)} exceeds capacity {vehicle.capacity}")
    if any(have < 0 for have in load):
        violations.append(f"{where}: negative load {tuple(load)} (a delivery before its pickup?)")


def _job_check(
    *,
    job: Job,
    seen: dict[tuple[str, VisitKind], list[tuple[int, int]]],
    unassigned: set[str],
    violations: list[str],
) -> None:
    kinds = (VisitKind.PICKUP, VisitKind.DELIVERY) if isinstance(job, Shipment) else (VisitKind.DELIVERY,)
    places = {kind: seen.get((job.id, kind), []) for kind in kinds}
    if job.id in unassigned:
        if any(places.values()):
            violations.append(f"job {job.id}: listed as unassigned but visited")
        return
    for kind, where in places.items():
        if not where:
            violations.append(f"job {job.id}: {kind} missing")
        elif len(where) > 1:
            violations.append(f"job {job.id}: {kind} visited {len(where)} times")
    if isinstance(job, Shipment):
        pickups, deliveries = places[VisitKind.PICKUP], places[VisitKind.DELIVERY]
        if len(pickups) == 1 and len(deliveries) == 1:
            (p_route, p_pos), (d_route, d_pos) = pickups[0], deliveries[0]
            if p_route != d_route:
                violations.append(f"job {job.id}: picked up and delivered by different vehicles")
            elif d_pos < p_pos:
                violations.append(f"job {job.id}: delivered before it is picked up")
