"""Small hand-made problems and routes for the routing tests."""
from __future__ import annotations

from logistics.routing.matrix import matrix_euclidean
from logistics.routing.problem import (
    PROFILE_DEFAULT,
    Delivery,
    Depot,
    Objective,
    PlanarLocation,
    Problem,
    Route,
    Shipment,
    Stop,
    TimeWindow,
    Vehicle,
    Visit,
    VisitKind,
)


def line_problem(
    *,
    points: list[float],
    jobs: list[Delivery | Shipment],
    vehicles: int = 1,
    capacity: int = 10,
    shift_end: int = 10_000,
    fixed_cost: int = 0,
    objective: Objective = Objective.HIERARCHICAL,
) -> Problem:
    """Locations on a line (index 0 the depot at ``points[0]``); travel time = distance."""
    locations = tuple(PlanarLocation(x=x, y=0.0) for x in points)
    return Problem(
        depots=(Depot(id="d", location=0),),
        vehicles=tuple(
            Vehicle(id=f"v{i + 1}", capacity=(capacity,), start_depot="d", end_depot="d",
                    shift_end=shift_end, fixed_cost=fixed_cost)
            for i in range(vehicles)
        ),
        jobs=tuple(jobs),
        matrices={PROFILE_DEFAULT: matrix_euclidean(locations=locations)},
        objective=objective,
        locations=locations,
    )


def delivery(job_id: str, location: int, demand: int = 1, window: tuple[int, int] | None = None,
             service: int = 0) -> Delivery:
    return Delivery(id=job_id, stop=Stop(location=location, window=TimeWindow(*window) if window else TimeWindow(),
                                         service=service), demand=(demand,))


def shipment(job_id: str, pickup: int, drop: int, amount: int = 1) -> Shipment:
    return Shipment(id=job_id, pickup=Stop(location=pickup), delivery=Stop(location=drop), amount=(amount,))


def route(vehicle_id: str, *steps: tuple[str, VisitKind]) -> Route:
    """A hand-built route: only the order counts for the checker."""
    return Route(
        vehicle_id=vehicle_id,
        visits=tuple(Visit(job_id=j, kind=k, arrival=0, start=0, load_after=()) for j, k in steps),
        departure=0, return_time=0, distance=0,
    )
