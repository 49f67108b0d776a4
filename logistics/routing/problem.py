"""Solver-independent description of a courier-round problem and of its answer (a plan).

Everything here is plain data: the solver adapters translate it to their own model and
back, the checker reads it, the benchmark builds it from public instance files. Times
and durations are integers in one unit chosen by whoever builds the problem (seconds
for Halle, thousandths of the instance unit for the benchmarks), so that solvers that
want integers get them and every component agrees on what a number means.

Matrix rows and columns are *location indices*: a depot or a stop names the index of
its place, several stops may share one.
"""
from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

#: A window end when nothing closes: far beyond any working day in any unit we use,
#: far below the integer limits of the solvers.
TIME_HORIZON = 10**12

#: The profile used when a problem has a single matrix.
PROFILE_DEFAULT = "default"


@dataclass(frozen=True)
class Location:
    """A place on Earth, in decimal degrees (WGS 84)."""

    lat: float
    lon: float


@dataclass(frozen=True)
class PlanarLocation:
    """A place on a plane (benchmark instances give x, y coordinates)."""

    x: float
    y: float


@dataclass(frozen=True)
class TimeWindow:
    """Service may *start* from ``start`` to ``end`` inclusive; arriving earlier means waiting."""

    start: int = 0
    end: int = TIME_HORIZON

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"Time window ends ({self.end}) before it starts ({self.start}).")


@dataclass(frozen=True)
class Stop:
    """Where and when a vehicle must be for one step of a job, and how long it stays."""

    location: int
    window: TimeWindow = TimeWindow()
    service: int = 0


@dataclass(frozen=True)
class Depot:
    id: str
    location: int
    #: When the depot is open: vehicles leave no earlier than its start, are back by its end.
    window: TimeWindow = TimeWindow()


@dataclass(frozen=True)
class Vehicle:
    """One courier with one vehicle for one shift.

    ``capacity`` is a vector (e.g. parcels, then litres of cold box) of the same length
    as every job's demand. ``fixed_cost`` is paid once if the vehicle is used, in the
    unit of the distance matrix. ``profile`` names the travel matrices it uses
    (``Problem.matrices``): a cargo bike and a van do not take the same time.
    """

    id: str
    capacity: tuple[int, ...]
    start_depot: str
    end_depot: str
    shift_start: int = 0
    shift_end: int = TIME_HORIZON
    fixed_cost: int = 0
    profile: str = PROFILE_DEFAULT


@dataclass(frozen=True)
class Delivery:
    """Goods loaded at the vehicle's start depot and dropped at ``stop``."""

    id: str
    stop: Stop
    demand: tuple[int, ...]


@dataclass(frozen=True)
class Shipment:
    """Goods collected at ``pickup`` (a shop) and dropped at ``delivery`` by the same vehicle."""

    id: str
    pickup: Stop
    delivery: Stop
    amount: tuple[int, ...]


Job = Delivery | Shipment


class Objective(enum.StrEnum):
    #: Fewest vehicles first, then the shortest distance (couriers cost more than kilometres).
    HIERARCHICAL = "hierarchical"
    #: Distance plus each used vehicle's own ``fixed_cost``, nothing more.
    COST = "cost"


@dataclass(frozen=True)
class TravelMatrix:
    """Integer distance and duration between location indices, for one travel profile."""

    distance: tuple[tuple[int, ...], ...]
    duration: tuple[tuple[int, ...], ...]

    @property
    def size(self) -> int:
        return len(self.distance)


@dataclass(frozen=True)
class Problem:
    depots: tuple[Depot, ...]
    vehicles: tuple[Vehicle, ...]
    jobs: tuple[Job, ...]
    #: One matrix per profile named by the vehicles.
    matrices: Mapping[str, TravelMatrix]
    objective: Objective = Objective.HIERARCHICAL
    #: Optional, for display and for solvers that like coordinates; never used to route.
    locations: tuple[Location | PlanarLocation, ...] = ()

    def depot(self, depot_id: str) -> Depot:
        for depot in self.depots:
            if depot.id == depot_id:
                return depot
        raise KeyError(depot_id)

    def vehicle(self, vehicle_id: str) -> Vehicle:
        for vehicle in self.vehicles:
            if vehicle.id == vehicle_id:
                return vehicle
        raise KeyError(vehicle_id)

    def job(self, job_id: str) -> Job:
        for job in self.jobs:
            if job.id == job_id:
                return job
        raise KeyError(job_id)

    def matrix_of(self, vehicle: Vehicle) -> TravelMatrix:
        return self.matrices[vehicle.profile]


class VisitKind(enum.StrEnum):
    #: A shipment's pickup step.
    PICKUP = "pickup"
    #: A ``Delivery`` job, or a shipment's delivery step.
    DELIVERY = "delivery"


@dataclass(frozen=True)
class Visit:
    job_id: str
    kind: VisitKind
    #: Planned arrival, and start of service (later when the vehicle is early).
    arrival: int
    start: int
    #: Load on board when the vehicle leaves this stop.
    load_after: tuple[int, ...]


@dataclass(frozen=True)
class Route:
    vehicle_id: str
    visits: tuple[Visit, ...]
    #: Leaves the start depot, is back at the end depot.
    departure: int
    return_time: int
    #: Sum of the matrix distances along the route (the solver's integer view).
    distance: int


class UnassignedReason(enum.StrEnum):
    CAPACITY = "capacity"
    WINDOW = "window"
    NO_ROOM = "no_room"


@dataclass(frozen=True)
class Unassigned:
    job_id: str
    reason: UnassignedReason
    detail: str


@dataclass(frozen=True)
class Plan:
    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...] = ()
    solver: str = ""
    #: Wall-clock seconds spent solving.
    runtime: float = 0.0
    meta: Mapping[str, object] = field(default_factory=dict)

    @property
    def distance(self) -> int:
        return sum(route.distance for route in self.routes)


def problem_validate(*, problem: Problem) -> None:
    """Raise ``ValueError`` on an inconsistent problem, before any solver sees it.

    A solver fed duplicate ids or a matrix too small fails later with a message about
    its own internals; here the message names the faulty depot, vehicle or job.
    """
    depot_ids = [d.id for d in problem.depots]
    if len(set(depot_ids)) != len(depot_ids):
        raise ValueError("Duplicate depot id.")
    _ids_unique(ids=[v.id for v in problem.vehicles], what="vehicle")
    _ids_unique(ids=[j.id for j in problem.jobs], what="job")
    dims = {len(v.capacity) for v in problem.vehicles}
    dims |= {len(_job_amount(job)) for job in problem.jobs}
    if len(dims) > 1:
        raise ValueError(f"Capacities and demands do not all have the same length: {sorted(dims)}.")
    for name, matrix in problem.matrices.items():
        _matrix_check(matrix=matrix, name=name)
    size = min((m.size for m in problem.matrices.values()), default=0)
    for depot in problem.depots:
        if not 0 <= depot.location < size:
            raise ValueError(f"Depot {depot.id}: location {depot.location} outside the matrices.")
    for vehicle in problem.vehicles:
        if vehicle.profile not in problem.matrices:
            raise ValueError(f"Vehicle {vehicle.id}: no matrix for profile {vehicle.profile!r}.")
        if vehicle.start_depot not in depot_ids or vehicle.end_depot not in depot_ids:
            raise ValueError(f"Vehicle {vehicle.id}: unknown depot.")
        if vehicle.shift_end < vehicle.shift_start:
            raise ValueError(f"Vehicle {vehicle.id}: shift ends before it starts.")
        if any(c < 0 for c in vehicle.capacity):
            raise ValueError(f"Vehicle {vehicle.id}: negative capacity.")
    for job in problem.jobs:
        if any(a < 0 for a in _job_amount(job)):
            raise ValueError(f"Job {job.id}: negative demand.")
        for stop in job_stops(job=job):
            if not 0 <= stop.location < size:
                raise ValueError(f"Job {job.id}: location {stop.location} outside the matrices.")
            if stop.service < 0:
                raise ValueError(f"Job {job.id}: negative service time.")


def job_stops(*, job: Job) -> tuple[Stop, ...]:
    """The stops of a job in the order they must be visited."""
    if isinstance(job, Shipment):
        return (job.pickup, job.delivery)
    return (job.stop,)


def job_amount(*, job: Job) -> tuple[int, ...]:
    return _job_amount(job)


def _job_amount(job: Job) -> tuple[int, ...]:
    return job.amount if isinstance(job, Shipment) else job.demand


def _ids_unique(*, ids: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"Duplicate {what} id {item!r}.")
        seen.add(item)


def _matrix_check(*, matrix: TravelMatrix, name: str) -> None:
    size = matrix.size
    for label, rows in (("distance", matrix.distance), ("duration", matrix.duration)):
        if len(rows) != size or any(len(row) != size for row in rows):
            raise ValueError(f"Profile {name!r}: the {label} matrix is not {size}x{size}.")
        if any(value < 0 for row in rows for value in row):
            raise ValueError(f"Profile {name!r}: negative {label}.")
