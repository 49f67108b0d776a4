"""Jobs no vehicle could ever do, found before any solver runs.

A solver given a job that cannot fit anywhere either fails as a whole or drops it
without saying why. A job whose demand exceeds every vehicle, or whose window no
vehicle can reach (going straight from its depot at the start of its shift, back
before its shift ends), is set aside here with the reason a manager can act on.
The test is necessary, not sufficient: a job that passes may still find no room in a
busy round; the adapter reports those as ``NO_ROOM``.
"""
from __future__ import annotations

from logistics.routing.problem import (
    Job,
    Problem,
    Unassigned,
    UnassignedReason,
    Vehicle,
    job_amount,
    job_stops,
)


def jobs_screen(*, problem: Problem) -> tuple[list[Job], list[Unassigned]]:
    """Split the jobs into those worth giving a solver and those that cannot be done."""
    routable: list[Job] = []
    rejected: list[Unassigned] = []
    for job in problem.jobs:
        amount = job_amount(job=job)
        fitting = [v for v in problem.vehicles if _fits(amount=amount, vehicle=v)]
        if not fitting:
            rejected.append(Unassigned(
                job_id=job.id, reason=UnassignedReason.CAPACITY,
                detail=f"demand {amount} exceeds the capacity of every vehicle",
            ))
        elif not any(_reachable(problem=problem, job=job, vehicle=v) for v in fitting):
            rejected.append(Unassigned(
                job_id=job.id, reason=UnassignedReason.WINDOW,
                detail="no vehicle that can carry it reaches it within its time window "
                "and is back before the end of its shift",
            ))
        else:
            routable.append(job)
    return routable, rejected


def _fits(*, amount: tuple[int, ...], vehicle: Vehicle) -> bool:
    return len(amount) == len(vehicle.capacity) and all(a <= c for a, c in zip(amount, vehicle.capacity))


def _reachable(*, problem: Problem, job: Job, vehicle: Vehicle) -> bool:
    """Can this vehicle do this job alone, on a route with nothing else?"""
    matrix = problem.matrix_of(vehicle)
    start, end = problem.depot(vehicle.start_depot), problem.depot(vehicle.end_depot)
    time = max(vehicle.shift_start, start.window.start)
    here = start.location
    stops = job_stops(job=job)
    for stop in stops:
        time = max(time + matrix.duration[here][stop.location], stop.window.start)
        if time > stop.window.end:
            return False
        time += stop.service
        here = stop.location
    time += matrix.duration[here][end.location]
    return time <= min(vehicle.shift_end, end.window.end)
