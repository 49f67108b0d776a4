"""PyVRP behind the ``Solver`` protocol: the only module that imports ``pyvrp``.

PyVRP (0.14) is pre-1.0 and its API moves between releases, so it is pinned and kept
in this one file. The problem is given to PyVRP as ``ProblemData`` built from our
matrices directly (the ``Model`` helper would first turn each matrix cell into a Python
edge object: 40 000 of them for 200 places).

Modelling choices:
* identical vehicles (same depots, shift, capacity, cost, profile) form one PyVRP
  vehicle type with several vehicles, so the search does not waste time on permutations
  of interchangeable couriers;
* the hierarchical objective is a fixed cost per vehicle larger than any possible
  total distance, so one vehicle fewer always beats any distance saving. That bonus
  keeps the search busy trying to empty a route, at the expense of distance; so the
  last ``POLISH_SHARE`` of the budget caps the fleet at the vehicles the plan found so
  far uses, drops the bonus and polishes distance from that plan. In benchmark trials
  (10 s, shared machine, seeds 1-3) this took RC205 from 3-6 % above the best known to
  0.2-2.3 % and LRC201 from up to 12 % to 0.1 %, at the price of less time to remove
  vehicles (R105 sometimes keeps one more); see bench/README.md;
* jobs are optional with a prize larger than any vehicle and any distance: the solver
  serves every job it can, and when the fleet cannot serve them all it still returns
  a feasible plan and says which jobs are left (instead of an infeasible plan);
* jobs that no vehicle could ever do are set aside beforehand (``screen``).
"""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pyvrp
from pyvrp.stop import MaxRuntime

from logistics.routing.problem import (
    Delivery,
    Job,
    Location,
    Objective,
    Plan,
    Problem,
    Route,
    Shipment,
    Unassigned,
    UnassignedReason,
    Vehicle,
    Visit,
    VisitKind,
    job_amount,
    problem_validate,
)
from logistics.routing.screen import jobs_screen

#: Share of the time budget spent polishing distance with the fleet fixed (hierarchical).
POLISH_SHARE = 0.3

NO_ROOM = "no feasible place in any route found within the time limit (fleet too small or windows too tight)"


def solver_build() -> PyVrpSolver:
    return PyVrpSolver()


@dataclass
class _Built:
    """The PyVRP data and what its indices mean in our problem."""

    data: pyvrp.ProblemData
    deliveries: list[Delivery]
    shipments: list[Shipment]
    #: Per PyVRP vehicle type, our vehicles in the order routes take them.
    vehicle_ids: list[list[str]]


class PyVrpSolver:
    name = "pyvrp"

    def __init__(self, *, polish_share: float = POLISH_SHARE):
        if not 0 <= polish_share < 1:
            raise ValueError("polish_share must be in [0, 1).")
        self.polish_share = polish_share

    def solve(self, problem: Problem, *, time_limit: float, seed: int) -> Plan:
        started = time.perf_counter()
        problem_validate(problem=problem)
        routable, rejected = jobs_screen(problem=problem)
        if not routable or not problem.vehicles:
            left = [_no_room(job) for job in routable]
            return Plan(routes=(), unassigned=tuple(rejected + left), solver=self.name,
                        runtime=time.perf_counter() - started)
        built = _data_build(problem=problem, jobs=routable)
        share = self.polish_share if problem.objective is Objective.HIERARCHICAL else 0.0
        budget = max(0.01, time_limit - (time.perf_counter() - started))
        result = pyvrp.solve(built.data, stop=MaxRuntime(budget * (1 - share)), seed=seed,
                             collect_stats=False, display=False)
        best, iterations = result.best, result.num_iterations
        if share and best.is_feasible():
            capped = _fleet_capped(problem=problem, built=built, solution=best)
            remaining = max(0.01, time_limit - (time.perf_counter() - started))
            polished = pyvrp.solve(capped, stop=MaxRuntime(remaining), seed=seed, collect_stats=False,
                                   display=False, initial_solution=_solution_moved(data=capped, solution=best))
            iterations += polished.num_iterations
            if polished.best.is_feasible():
                built.data, best = capped, polished.best
        routes, dropped = _plan_read(problem=problem, built=built, solution=best)
        served = {visit.job_id for route in routes for visit in route.visits}
        left = [_no_room(job) for job in routable if job.id not in served]
        return Plan(
            routes=tuple(routes),
            unassigned=tuple(rejected + left),
            solver=self.name,
            runtime=time.perf_counter() - started,
            meta={"iterations": iterations, "infeasible_routes_dropped": dropped},
        )


def _data_build(*, problem: Problem, jobs: list[Job]) -> _Built:
    profiles = list(problem.matrices)
    size = problem.matrices[profiles[0]].size
    locations = [_location(problem=problem, index=i) for i in range(size)]
    depot_index = {depot.id: i for i, depot in enumerate(problem.depots)}
    depots = [
        pyvrp.Depot(location=d.location, tw_early=d.window.start, tw_late=d.window.end, name=d.id)
        for d in problem.depots
    ]

    stops = sum(2 if isinstance(job, Shipment) else 1 for job in jobs)
    longest = max(max(max(row) for row in m.distance) for m in problem.matrices.values())
    #: No plan of these jobs can travel more than this.
    distance_bound = (stops + len(problem.vehicles)) * longest + 1
    vehicle_bonus = distance_bound if problem.objective is Objective.HIERARCHICAL else 0
    fixed_max = max(v.fixed_cost for v in problem.vehicles) + vehicle_bonus
    prize = fixed_max + distance_bound + 1

    groups: dict[tuple, list[Vehicle]] = defaultdict(list)
    for vehicle in problem.vehicles:
        groups[_vehicle_key(vehicle)].append(vehicle)
    vehicle_types = []
    vehicle_ids = []
    for members in groups.values():
        v = members[0]
        start, end = problem.depot(v.start_depot), problem.depot(v.end_depot)
        vehicle_types.append(pyvrp.VehicleType(
            num_available=len(members),
            capacity=list(v.capacity),
            start_depot=depot_index[v.start_depot],
            end_depot=depot_index[v.end_depot],
            fixed_cost=v.fixed_cost + vehicle_bonus,
            tw_early=max(v.shift_start, start.window.start),
            tw_late=min(v.shift_end, end.window.end),
            profile=profiles.index(v.profile),
            name=",".join(m.id for m in members),
        ))
        vehicle_ids.append([m.id for m in members])

    deliveries = [job for job in jobs if isinstance(job, Delivery)]
    shipments = [job for job in jobs if isinstance(job, Shipment)]
    clients = [
        pyvrp.Client(
            location=job.stop.location, delivery=list(job.demand),
            service_duration=job.stop.service,
            tw_early=job.stop.window.start, tw_late=job.stop.window.end,
            required=False, prize=prize, name=job.id,
        )
        for job in deliveries
    ]
    pyvrp_shipments = [
        pyvrp.Shipment(
            pickup_location=job.pickup.location, delivery_location=job.delivery.location,
            pickup_tw_early=job.pickup.window.start, pickup_tw_late=job.pickup.window.end,
            pickup_service_duration=job.pickup.service,
            delivery_tw_early=job.delivery.window.start, delivery_tw_late=job.delivery.window.end,
            delivery_service_duration=job.delivery.service,
            amount=list(job.amount), required=False, prize=prize, name=job.id,
        )
        for job in shipments
    ]
    data = pyvrp.ProblemData(
        locations=locations,
        clients=clients,
        depots=depots,
        vehicle_types=vehicle_types,
        distance_matrices=[np.asarray(problem.matrices[p].distance, dtype=np.int64) for p in profiles],
        duration_matrices=[np.asarray(problem.matrices[p].duration, dtype=np.int64) for p in profiles],
        groups=[],
        shipments=pyvrp_shipments,
    )
    return _Built(data=data, deliveries=deliveries, shipments=shipments, vehicle_ids=vehicle_ids)


def _fleet_capped(*, problem: Problem, built: _Built, solution: pyvrp.Solution) -> pyvrp.ProblemData:
    """The same data with each used vehicle type capped at the vehicles ``solution`` uses
    and paying only its own fixed cost; unused types keep the bonus, so they stay unused
    unless nothing else can serve a job."""
    used = [0] * built.data.num_vehicle_types
    for route in solution.routes():
        used[route.vehicle_type()] += 1
    types = []
    for index, vehicle_type in enumerate(built.data.vehicle_types()):
        if used[index]:
            own = problem.vehicle(built.vehicle_ids[index][0]).fixed_cost
            vehicle_type = vehicle_type.replace(num_available=used[index], fixed_cost=own)
        types.append(vehicle_type)
    return built.data.replace(vehicle_types=types)


def _solution_moved(*, data: pyvrp.ProblemData, solution: pyvrp.Solution) -> pyvrp.Solution:
    """``solution`` rebuilt on ``data`` (same clients, shipments and vehicle types)."""
    return pyvrp.Solution(data, [
        pyvrp.Route(data, [pyvrp.Activity(a.type, a.idx) for a in route.schedule() if not a.is_depot()],
                    route.vehicle_type())
        for route in solution.routes()
    ])


def _plan_read(*, problem: Problem, built: _Built, solution: pyvrp.Solution) -> tuple[list[Route], int]:
    """Our routes from PyVRP's; routes PyVRP could not make feasible are dropped (counted)."""
    free = [list(ids) for ids in built.vehicle_ids]
    routes: list[Route] = []
    dropped = 0
    for pyvrp_route in solution.routes():
        if not pyvrp_route.is_feasible():
            dropped += 1
            continue
        vehicle = problem.vehicle(free[pyvrp_route.vehicle_type()].pop(0))
        steps: list[tuple[Job, VisitKind, int, int]] = []
        for activity in pyvrp_route.schedule():
            if activity.is_depot():
                continue
            if activity.is_client():
                job: Job = built.deliveries[activity.idx]
                kind = VisitKind.DELIVERY
            else:
                job = built.shipments[activity.idx]
                kind = VisitKind.PICKUP if activity.is_pickup() else VisitKind.DELIVERY
            arrival = activity.start_time - activity.wait_duration
            steps.append((job, kind, arrival, activity.start_time))
        routes.append(Route(
            vehicle_id=vehicle.id,
            visits=_visits_loaded(vehicle=vehicle, steps=steps),
            departure=pyvrp_route.start_time(),
            return_time=pyvrp_route.end_time(),
            distance=pyvrp_route.distance(),
        ))
    return routes, dropped


def _visits_loaded(*, vehicle: Vehicle, steps: list[tuple[Job, VisitKind, int, int]]) -> tuple[Visit, ...]:
    """Visits with the load on board after each one (deliveries start on board)."""
    load = [0] * len(vehicle.capacity)
    for job, _kind, _arrival, _start in steps:
        if isinstance(job, Delivery):
            load = [a + b for a, b in zip(load, job.demand)]
    visits = []
    for job, kind, arrival, start in steps:
        sign = 1 if kind is VisitKind.PICKUP else -1
        load = [a + sign * b for a, b in zip(load, job_amount(job=job))]
        visits.append(Visit(job_id=job.id, kind=kind, arrival=arrival, start=start, load_after=tuple(load)))
    return tuple(visits)


def _vehicle_key(vehicle: Vehicle) -> tuple:
    return (vehicle.capacity, vehicle.start_depot, vehicle.end_depot, vehicle.shift_start,
            vehicle.shift_end, vehicle.fixed_cost, vehicle.profile)


def _location(*, problem: Problem, index: int) -> pyvrp.Location:
    """Coordinates are only for PyVRP's plots; routing uses the matrices."""
    if index < len(problem.locations):
        place = problem.locations[index]
        if isinstance(place, Location):
            return pyvrp.Location(x=place.lon, y=place.lat)
        return pyvrp.Location(x=place.x, y=place.y)
    return pyvrp.Location(x=0, y=0)


def _no_room(job: Job) -> Unassigned:
    return Unassigned(job_id=job.id, reason=UnassignedReason.NO_ROOM, detail=NO_ROOM)
