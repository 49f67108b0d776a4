"""Planning a window's courier rounds: bookings and shifts → routing problem → stored rounds.

Runs off the request path (the beat task ``delivery.rounds_plan_due`` once the cut-off has
passed, or the manager's « planifier maintenant », which queues the same task). Once per
window: the window's row is locked (``logistics.locks``) and ``planned_at`` set in the
transaction that stores the rounds, so a second run at the same time waits for the first
and then finds the window planned. Solving inside that transaction holds the window's lock
for the solver's budget; past the cut-off nobody else writes the window.

The solver is reached only through ``logistics.routing`` (``plan_solve``), and its plan is
stored only if the independent checker (``plan_check``) finds it feasible.

Times are whole seconds from the window's cut-off. Per booking, its zone's shape decides:
« depot »: one delivery job from the town point (capacitated VRP with time windows);
« shops »: one shipment per shop part, picked up at the shop and delivered at the address
(pickup and delivery with precedence). A multi-shop basket is then several shipments to
the same address; each is delivered after its own pickup (the routing problem has no
« all pickups of this basket first » constraint yet). One depot per window: the town point
of the first booking's zone (the demo and the tests have one).

A plan the checker refuses is not stored (``RuntimeError``): the window stays unplanned and
the next beat run tries again.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from logistics import locks
from logistics.delivery.models import DeliveryBooking, DeliveryWindow, Round, RoundShape, RoundStop, Shift, StopKind
from logistics.delivery.models.fleet import SPEED_KMH
from logistics.delivery.selectors import window_drop_at
from logistics.models import HoldStatus
from logistics.routing import plan_check, plan_solve
from logistics.routing.matrix import matrix_haversine
from logistics.routing.problem import (
    Delivery,
    Depot,
    Location,
    Objective,
    Plan,
    Problem,
    Shipment,
    Stop,
    TimeWindow,
    Vehicle,
    VisitKind,
)
from marketplace.order.models import ShopOrder, ShopOrderStatus

#: After the window ends, the courier has this long to be back at the depot.
RETURN_GRACE = dt.timedelta(hours=1)

REASONS_FR = {
    "capacity": "trop de colis pour les véhicules en service",
    "window": "fenêtre horaire impossible à tenir",
    "no_room": "aucune place dans les tournées (trop peu de coursiers ou fenêtre trop serrée)",
    "no_courier": "aucun coursier en service sur cette fenêtre",
    "no_location": "commerce sans coordonnées : collecte impossible à placer",
    "no_depot": "le point de départ des tournées n'a pas de coordonnées",
}


@dataclass
class PlanOutcome:
    window_id: int
    #: False when the window was already planned (by an earlier or a concurrent run).
    planned: bool
    rounds: list[Round] = field(default_factory=list)
    unplanned: list[dict] = field(default_factory=list)


@dataclass
class _Built:
    problem: Problem
    origin: dt.datetime
    #: job id → (booking, shop part or None)
    jobs: dict[str, tuple[DeliveryBooking, ShopOrder | None]]
    shifts: dict[str, Shift]
    unplanned: list[dict]


def _seconds(at: dt.datetime, origin: dt.datetime) -> int:
    return max(0, int((at - origin).total_seconds()))


def _point(lat, lon) -> Location:
    return Location(lat=float(lat), lon=float(lon))


def _problem_build(*, window: DeliveryWindow) -> _Built:
    """The routing problem of ``window``: its converted bookings, its shifts, one depot."""
    origin = window.cutoff_at
    service = int(getattr(settings, "HALLE_ROUND_STOP_SECONDS", 120))
    bookings = list(
        DeliveryBooking.objects.filter(window=window, status=HoldStatus.CONVERTED, order__isnull=False)
        .select_related("zone__depot", "order").order_by("pk")
    )
    parts_of: dict[int, list[ShopOrder]] = {}
    for part in (ShopOrder.objects.filter(order_id__in=[b.order_id for b in bookings])
                 .exclude(status=ShopOrderStatus.CANCELLED).select_related("shop").order_by("pk")):
        parts_of.setdefault(part.order_id, []).append(part)
    bookings = [b for b in bookings if parts_of.get(b.order_id)]
    shifts = list(window.shifts.filter(courier__is_active=True, vehicle__is_active=True)
                  .select_related("courier__user", "vehicle").order_by("pk"))
    depot_point = bookings[0].zone.depot if bookings else None
    unplanned: list[dict] = []
    if depot_point is not None and (depot_point.latitude is None or depot_point.longitude is None):
        unplanned = [{"order": b.order.number, "booking": b.pk, "reason": "no_depot", "detail": REASONS_FR["no_depot"]}
                     for b in bookings]
        bookings = []
    has_place = depot_point is not None and bookings
    locations: list[Location] = [_point(depot_point.latitude, depot_point.longitude) if has_place else
                                 Location(lat=0.0, lon=0.0)]
    index: dict[tuple, int] = {}

    def place(lat, lon) -> int:
        key = (lat, lon)
        if key not in index:
            index[key] = len(locations)
            locations.append(_point(lat, lon))
        return index[key]

    open_from, closes = _seconds(window.starts_at, origin), _seconds(window.ends_at, origin)
    jobs, built_jobs = {}, []
    for booking in bookings:
        there = Stop(location=place(booking.latitude, booking.longitude), window=TimeWindow(open_from, closes),
                     service=service)
        if booking.zone.round_shape == RoundShape.FROM_SHOPS:
            for part in parts_of[booking.order_id]:
                if part.shop.latitude is None or part.shop.longitude is None:
                    unplanned.append({"order": booking.order.number, "booking": booking.pk, "reason": "no_location",
                                      "detail": REASONS_FR["no_location"]})
                    continue
                job_id = f"s{part.pk}"
                pickup = Stop(location=place(part.shop.latitude, part.shop.longitude),
                              window=TimeWindow(0, closes), service=service)
                built_jobs.append(Shipment(id=job_id, pickup=pickup, delivery=there, amount=(1,)))
                jobs[job_id] = (booking, part)
        else:
            job_id = f"b{booking.pk}"
            built_jobs.append(Delivery(id=job_id, stop=there, demand=(booking.parcels,)))
            jobs[job_id] = (booking, None)

    leave = _seconds(window_drop_at(window), origin)
    back = _seconds(window.ends_at + RETURN_GRACE, origin)
    vehicles = tuple(
        Vehicle(id=f"v{shift.pk}", capacity=(shift.vehicle.capacity_parcels,), start_depot="depot",
                end_depot="depot", shift_start=leave, shift_end=back, profile=shift.vehicle.profile)
        for shift in shifts
    )
    profiles = {v.profile for v in vehicles} or {"cargo_bike"}
    matrices = {p: matrix_haversine(locations=locations, speed_kmh=SPEED_KMH[p]) for p in profiles}
    problem = Problem(depots=(Depot(id="depot", location=0),), vehicles=vehicles, jobs=tuple(built_jobs),
                      matrices=matrices, objective=Objective.HIERARCHICAL, locations=tuple(locations))
    return _Built(problem=problem, origin=origin, jobs=jobs, shifts={f"v{s.pk}": s for s in shifts},
                  unplanned=unplanned)


def _store(*, window: DeliveryWindow, built: _Built, plan: Plan) -> list[Round]:
    origin, depot_id = built.origin, None
    rounds = []
    for route in plan.routes:
        if not route.visits:
            continue
        shift = built.shifts[route.vehicle_id]
        first_booking = built.jobs[route.visits[0].job_id][0]
        depot_id = first_booking.zone.depot_id
        shapes = {built.jobs[v.job_id][1] is not None for v in route.visits}
        created = Round.objects.create(
            window=window, shift=shift, courier=shift.courier, vehicle=shift.vehicle, depot_id=depot_id,
            shape=RoundShape.FROM_SHOPS if True in shapes else RoundShape.FROM_DEPOT,
            departs_at=origin + dt.timedelta(seconds=route.departure),
            returns_at=origin + dt.timedelta(seconds=route.return_time), distance_m=route.distance,
        )
        stops = []
        for position, visit in enumerate(route.visits, start=1):
            booking, part = built.jobs[visit.job_id]
            job = built.problem.job(visit.job_id)
            stop = (job.pickup if visit.kind == VisitKind.PICKUP else job.delivery) if part is not None else job.stop
            stops.append(RoundStop(
                round=created, position=position,
                kind=StopKind.PICKUP if visit.kind == VisitKind.PICKUP else StopKind.DELIVERY,
                booking=booking, shop_order=part, arrives_at=origin + dt.timedelta(seconds=visit.arrival),
                window_start=origin + dt.timedelta(seconds=stop.window.start),
                window_end=origin + dt.timedelta(seconds=stop.window.end), load_after=visit.load_after[0],
            ))
        RoundStop.objects.bulk_create(stops)
        rounds.append(created)
    return rounds


def window_rounds_plan(*, window: DeliveryWindow | int, now: dt.datetime | None = None,
                       time_limit: float | None = None) -> PlanOutcome:
    """Plan ``window``'s rounds once; a window already planned is left as it is (``planned=False``)."""
    now = now or timezone.now()
    window_id = window if isinstance(window, int) else window.pk
    with transaction.atomic():
        locked = locks.delivery_windows_lock(window_ids=[window_id])[window_id]
        if locked.planned_at is not None:
            return PlanOutcome(window_id=window_id, planned=False)
        built = _problem_build(window=locked)
        unplanned = list(built.unplanned)
        if built.problem.jobs and not built.problem.vehicles:
            unplanned += [{"order": b.order.number, "booking": b.pk, "reason": "no_courier",
                           "detail": REASONS_FR["no_courier"]} for b, _part in built.jobs.values()]
            plan = Plan(routes=())
        elif built.problem.jobs:
            plan = plan_solve(problem=built.problem, time_limit=time_limit)
            check = plan_check(problem=built.problem, plan=plan)
            if not check.feasible:  # never store what the independent check refuses
                raise RuntimeError(f"window {window_id}: infeasible plan: {check.violations[:3]}")
            for item in plan.unassigned:
                booking, _part = built.jobs[item.job_id]
                unplanned.append({"order": booking.order.number, "booking": booking.pk, "reason": str(item.reason),
                                  "detail": REASONS_FR.get(str(item.reason), item.detail)})
        else:
            plan = Plan(routes=())
        rounds = _store(window=locked, built=built, plan=plan)
        locked.planned_at = now
        locked.plan_report = {"solver": plan.solver, "runtime_s": round(plan.runtime, 3),
                              "distance_m": sum(r.distance_m for r in rounds), "unplanned": unplanned}
        locked.save(update_fields=["planned_at", "plan_report"])
    return PlanOutcome(window_id=window_id, planned=True, rounds=rounds, unplanned=unplanned)


def windows_due_plan(*, now: dt.datetime | None = None) -> list[PlanOutcome]:
    """Plan every window whose cut-off has passed, not yet planned and not over (the beat task)."""
    now = now or timezone.now()
    due = list(DeliveryWindow.objects.filter(cutoff_at__lte=now, ends_at__gt=now, planned_at__isnull=True)
               .order_by("cutoff_at", "pk").values_list("pk", flat=True))
    return [window_rounds_plan(window=pk, now=now) for pk in due]
