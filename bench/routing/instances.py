"""Solomon VRPTW and Li & Lim PDPTW instance files, and the routing problems they describe.

Both formats list node 0 (the depot) then the customers with coordinates, demand, time
window and service time; travel time is the Euclidean distance. Solomon files have a
``VEHICLE`` / ``CUSTOMER`` header; Li & Lim files start with ``K Q speed`` and give each
node the index of its pickup or delivery sibling. The speed field is ignored (as the
literature does): travel time equals distance.
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from logistics.routing.matrix import matrix_euclidean, matrix_euclidean_exact
from logistics.routing.problem import (
    PROFILE_DEFAULT,
    Delivery,
    Depot,
    Job,
    Objective,
    Plan,
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

SOLOMON = "solomon"
LI_LIM = "li_lim"


@dataclass(frozen=True)
class Node:
    id: int
    x: float
    y: float
    demand: int
    ready: int
    due: int
    service: int
    #: Li & Lim only: index of the pickup of this delivery, of the delivery of this pickup.
    pickup: int = 0
    delivery: int = 0


@dataclass(frozen=True)
class Instance:
    name: str
    format: str
    vehicles: int
    capacity: int
    nodes: tuple[Node, ...]

    @property
    def depot(self) -> Node:
        return self.nodes[0]


@dataclass(frozen=True)
class Reference:
    """A best-known solution from ``bks.csv``."""

    vehicles: int | None
    distance: float | None


def instance_read(*, path: Path) -> Instance:
    """Parse one instance file; the format is recognised from its first line."""
    lines = [line.split() for line in path.read_text().splitlines()]
    lines = [fields for fields in lines if fields]
    if not lines:
        raise ValueError(f"{path}: empty file")
    if any(fields[0].upper() == "VEHICLE" for fields in lines[:5]):
        return _solomon_parse(name=path.stem, lines=lines)
    if len(lines[0]) == 3 and all(_is_number(field) for field in lines[0]):
        return _li_lim_parse(name=path.stem, lines=lines)
    raise ValueError(f"{path}: neither a Solomon nor a Li & Lim instance")


def instances_list(*, folder: Path) -> list[Path]:
    """The ``*.txt`` instance files of a folder, by name (notes and solutions are elsewhere)."""
    return sorted((p for p in folder.glob("*.txt") if p.is_file()), key=lambda p: p.name.lower())


def references_read(*, path: Path, objective: Objective) -> dict[str, Reference]:
    """Best-known solutions by instance name (lower case).

    For the distance objective the ``dist_only_*`` columns are used where the file has
    them filled in; elsewhere, and for the hierarchical objective, ``vehicles`` and
    ``distance`` (fewest vehicles, then distance).
    """
    if not path.exists():
        return {}
    references: dict[str, Reference] = {}
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            vehicles, distance = row.get("vehicles"), row.get("distance")
            if objective is Objective.COST and row.get("dist_only_distance"):
                vehicles, distance = row.get("dist_only_vehicles"), row["dist_only_distance"]
            references[row["instance"].lower()] = Reference(
                vehicles=int(vehicles) if vehicles else None,
                distance=float(distance) if distance else None,
            )
    return references


def instance_problem(*, instance: Instance, objective: Objective, scale: int | None) -> Problem:
    """The routing problem of an instance.

    With an integer ``scale`` every time and distance is multiplied by it and travel
    times are rounded up (what the solver gets). With ``scale=None`` the matrices hold
    unrounded doubles in the instance's own unit: the problem the checker verifies
    plans against, as the literature computes them.
    """
    factor = 1 if scale is None else scale
    locations = tuple(PlanarLocation(x=node.x, y=node.y) for node in instance.nodes)
    if scale is None:
        matrix = matrix_euclidean_exact(locations=locations)
    else:
        matrix = matrix_euclidean(locations=locations, scale=scale)
    depot_node = instance.depot
    depot = Depot(id="depot", location=0, window=_window(node=depot_node, factor=factor))
    vehicles = tuple(
        Vehicle(
            id=f"v{i + 1}", capacity=(instance.capacity,), start_depot=depot.id, end_depot=depot.id,
            shift_start=depot_node.ready * factor, shift_end=depot_node.due * factor,
        )
        for i in range(instance.vehicles)
    )
    return Problem(
        depots=(depot,),
        vehicles=vehicles,
        jobs=tuple(_jobs(instance=instance, factor=factor)),
        matrices={PROFILE_DEFAULT: matrix},
        objective=objective,
        locations=locations,
    )


def job_nodes(*, instance: Instance) -> dict[str, tuple[int, ...]]:
    """Node ids of each job's stops, in visiting order (to write solutions in node ids)."""
    return {job_id: nodes for job_id, nodes in _job_node_pairs(instance=instance)}


def solution_read(*, path: Path, instance: Instance) -> Plan:
    """A solution file (``Route #1: 3 7 12`` or ``Route 1 : 3 7 12`` lines) as a plan.

    Only the visit order matters (the checker recomputes everything else), so times and
    loads are left at zero. Vehicles are numbered in the order of the routes.
    """
    visit_of: dict[int, tuple[str, VisitKind]] = {}
    for job_id, ids in _job_node_pairs(instance=instance):
        kinds = (VisitKind.DELIVERY,) if len(ids) == 1 else (VisitKind.PICKUP, VisitKind.DELIVERY)
        for node_id, kind in zip(ids, kinds):
            visit_of[node_id] = (job_id, kind)
    routes = []
    for line in path.read_text().splitlines():
        head, _, tail = line.partition(":")
        if not head.strip().lower().startswith("route") or not tail.strip():
            continue
        visits = tuple(
            Visit(job_id=visit_of[int(n)][0], kind=visit_of[int(n)][1], arrival=0, start=0, load_after=())
            for n in tail.split()
        )
        routes.append(Route(vehicle_id=f"v{len(routes) + 1}", visits=visits, departure=0,
                            return_time=0, distance=0))
    return Plan(routes=tuple(routes))


def _jobs(*, instance: Instance, factor: int) -> list[Job]:
    nodes = instance.nodes
    jobs: list[Job] = []
    for job_id, ids in _job_node_pairs(instance=instance):
        stops = [Stop(location=i, window=_window(node=nodes[i], factor=factor),
                      service=nodes[i].service * factor) for i in ids]
        if len(stops) == 1:
            jobs.append(Delivery(id=job_id, stop=stops[0], demand=(nodes[ids[0]].demand,)))
        else:
            jobs.append(Shipment(id=job_id, pickup=stops[0], delivery=stops[1],
                                 amount=(nodes[ids[0]].demand,)))
    return jobs


def _job_node_pairs(*, instance: Instance) -> list[tuple[str, tuple[int, ...]]]:
    customers = instance.nodes[1:]
    if instance.format == SOLOMON:
        return [(str(node.id), (node.id,)) for node in customers]
    return [(f"{node.id}-{node.delivery}", (node.id, node.delivery)) for node in customers if node.delivery]


def _window(*, node: Node, factor: int) -> TimeWindow:
    return TimeWindow(start=node.ready * factor, end=node.due * factor)


def _solomon_parse(*, name: str, lines: list[list[str]]) -> Instance:
    heads = [i for i, fields in enumerate(lines) if fields[0].upper() in {"VEHICLE", "CUSTOMER"}]
    if len(heads) != 2:
        raise ValueError(f"{name}: Solomon file without VEHICLE and CUSTOMER sections")
    vehicle_rows = [f for f in lines[heads[0] + 1:heads[1]] if all(_is_number(x) for x in f)]
    count, capacity = (int(v) for v in vehicle_rows[0][:2])
    nodes = []
    for fields in lines[heads[1] + 1:]:
        if len(fields) < 7 or not all(_is_number(x) for x in fields[:7]):
            continue  # the column titles
        i, x, y, demand, ready, due, service = fields[:7]
        nodes.append(Node(id=int(i), x=float(x), y=float(y), demand=int(demand),
                          ready=_int(ready), due=_int(due), service=_int(service)))
    return _instance_make(name=name, fmt=SOLOMON, vehicles=count, capacity=capacity, nodes=nodes)


def _li_lim_parse(*, name: str, lines: list[list[str]]) -> Instance:
    count, capacity = int(lines[0][0]), int(lines[0][1])
    nodes = []
    for fields in lines[1:]:
        if len(fields) < 9:
            raise ValueError(f"{name}: node row with {len(fields)} fields, 9 expected: {fields}")
        i, x, y, demand, ready, due, service, pickup, delivery = fields[:9]
        nodes.append(Node(id=int(i), x=float(x), y=float(y), demand=int(demand), ready=_int(ready),
                          due=_int(due), service=_int(service), pickup=int(pickup),
                          delivery=int(delivery)))
    instance = _instance_make(name=name, fmt=LI_LIM, vehicles=count, capacity=capacity, nodes=nodes)
    for node in instance.nodes[1:]:
        if node.delivery:
            sibling = instance.nodes[node.delivery]
            if sibling.pickup != node.id or node.demand <= 0 or sibling.demand != -node.demand:
                raise ValueError(f"{name}: pickup {node.id} and delivery {sibling.id} do not pair up")
        elif not node.pickup:
            raise ValueError(f"{name}: node {node.id} is neither a pickup nor a delivery")
    return instance


def _instance_make(*, name: str, fmt: str, vehicles: int, capacity: int, nodes: list[Node]) -> Instance:
    if not nodes or any(node.id != i for i, node in enumerate(nodes)):
        raise ValueError(f"{name}: nodes must be numbered 0, 1, 2... with the depot first")
    return Instance(name=name, format=fmt, vehicles=vehicles, capacity=capacity, nodes=tuple(nodes))


def _int(text: str) -> int:
    """Times are integers in both formats; refuse quietly truncating anything else."""
    value = float(text)
    if not math.isclose(value, round(value)):
        raise ValueError(f"non-integer time {text!r}")
    return round(value)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
