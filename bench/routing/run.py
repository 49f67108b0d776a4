"""Solve each instance of a folder through Halle's routing adapter and compare with the best known.

The solver is whatever ``solver_get()`` returns, called exactly as the round planner
calls it. Every plan is then verified twice by the independent checker: against the
integer problem the solver saw, and against the instance in unrounded double precision
(the literature's convention); the distance reported is the double-precision one.
Figures are printed, never asserted.
"""
from __future__ import annotations

import csv
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from bench.routing.instances import (
    Instance,
    Reference,
    instance_problem,
    instance_read,
    instances_list,
    job_nodes,
    references_read,
)
from logistics.routing import plan_check, solver_get
from logistics.routing.problem import Objective, Plan, VisitKind

#: Double-precision sums of square roots: a schedule exactly on a window edge may be a
#: few ulps late; a thousandth of an ulp of a day is not lateness.
CHECK_TOLERANCE = 1e-9


@dataclass
class Outcome:
    name: str
    vehicles: int
    distance: float
    seconds: float
    #: CPU seconds of this process during the solve: far below ``seconds`` means the
    #: machine was shared and the solver got fewer iterations than its budget suggests.
    cpu: float
    reference: Reference | None
    violations: list[str] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return not self.violations

    @property
    def gap(self) -> float | None:
        if self.reference is None or not self.reference.distance:
            return None
        return 100.0 * (self.distance - self.reference.distance) / self.reference.distance

    @property
    def vehicles_over(self) -> int | None:
        if self.reference is None or self.reference.vehicles is None:
            return None
        return self.vehicles - self.reference.vehicles


def folder_run(
    *,
    folder: Path,
    objective: Objective,
    time_limit: float,
    seed: int,
    scale: int,
    out: Path | None,
    only: set[str] | None = None,
    label: str | None = None,
    stream: TextIO | None = None,
) -> list[Outcome]:
    """Run every instance of ``folder``, printing one table row as each one finishes."""
    stream = stream or sys.stdout
    references = references_read(path=folder / "bks.csv", objective=objective)
    paths = [p for p in instances_list(folder=folder) if not only or p.stem.lower() in only]
    solver = solver_get()
    print(f"# {folder} -- solver {solver.name}, objective {label or objective}, {time_limit:g} s per "
          f"instance, seed {seed}, scale {scale}", file=stream)
    print(_row(("instance", "veh", "bks veh", "+veh", "distance", "bks dist", "gap %", "time s",
                "cpu s", "feasible")), file=stream)
    print(_row(("---",) * 10), file=stream)
    outcomes = []
    for path in paths:
        outcome = instance_run(path=path, objective=objective, time_limit=time_limit, seed=seed,
                               scale=scale, out=out, reference=references.get(path.stem.lower()))
        outcomes.append(outcome)
        print(_outcome_row(outcome), file=stream, flush=True)
        for violation in outcome.violations[:5]:
            print(f"    ! {violation}", file=stream)
    print(summary_text(outcomes=outcomes), file=stream, flush=True)
    if out is not None:
        _results_write(path=out / f"results_{folder.name}_{objective}.csv", outcomes=outcomes)
    return outcomes


def instance_run(
    *,
    path: Path,
    objective: Objective,
    time_limit: float,
    seed: int,
    scale: int,
    out: Path | None,
    reference: Reference | None,
) -> Outcome:
    instance = instance_read(path=path)
    problem = instance_problem(instance=instance, objective=objective, scale=scale)
    started, cpu_started = time.perf_counter(), time.process_time()
    plan = solver_get().solve(problem, time_limit=time_limit, seed=seed)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started

    exact = plan_check(problem=instance_problem(instance=instance, objective=objective, scale=None),
                       plan=plan, tolerance=CHECK_TOLERANCE)
    integer = plan_check(problem=problem, plan=plan)
    violations = [f"double: {v}" for v in exact.violations]
    violations += [f"integer: {v}" for v in integer.violations]
    if plan.unassigned:
        violations.append(f"{len(plan.unassigned)} jobs unassigned: "
                          + ", ".join(u.job_id for u in plan.unassigned[:10]))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        solution_write(path=out / f"{instance.name}.sol", instance=instance, plan=plan,
                       distance=exact.distance)
    return Outcome(name=instance.name, vehicles=exact.vehicles_used, distance=exact.distance,
                   seconds=seconds, cpu=cpu, reference=reference, violations=violations)


def solution_write(*, path: Path, instance: Instance, plan: Plan, distance: float) -> None:
    """``Route #k: n1 n2 ...`` in the instance's node numbers, then ``Cost <distance>``."""
    nodes = job_nodes(instance=instance)
    lines = []
    for route in (r for r in plan.routes if r.visits):
        ids = [nodes[v.job_id][-1 if v.kind is VisitKind.DELIVERY else 0] for v in route.visits]
        lines.append(f"Route #{len(lines) + 1}: " + " ".join(str(i) for i in ids))
    lines.append(f"Cost {distance:.4f}")
    path.write_text("\n".join(lines) + "\n")


def summary_text(*, outcomes: list[Outcome]) -> str:
    gaps = [o.gap for o in outcomes if o.gap is not None]
    over = [o.vehicles_over for o in outcomes if o.vehicles_over is not None]
    lines = [
        f"instances: {len(outcomes)}, infeasible: {sum(not o.feasible for o in outcomes)}",
    ]
    if gaps:
        lines.append(f"gap %: mean {statistics.fmean(gaps):.2f}, worst {max(gaps):.2f}")
    if over:
        lines.append(
            f"vehicles vs best known: {sum(1 for v in over if v > 0)} above, "
            f"{sum(1 for v in over if v < 0)} below, mean {statistics.fmean(over):+.2f}"
        )
    at_bks = [o.gap for o in outcomes if o.gap is not None and o.vehicles_over == 0]
    if at_bks and len(at_bks) != len(gaps):
        lines.append(f"gap % on the {len(at_bks)} instances at the best-known vehicle count: "
                     f"mean {statistics.fmean(at_bks):.2f}")
    if outcomes:
        lines.append(f"time s: mean {statistics.fmean(o.seconds for o in outcomes):.1f}, "
                     f"max {max(o.seconds for o in outcomes):.1f}; "
                     f"cpu s: mean {statistics.fmean(o.cpu for o in outcomes):.1f}")
    return "\n".join(lines)


def _outcome_row(outcome: Outcome) -> str:
    ref = outcome.reference
    return _row((
        outcome.name,
        str(outcome.vehicles),
        _or_dash(ref.vehicles if ref else None),
        _or_dash(outcome.vehicles_over, signed=True),
        f"{outcome.distance:.2f}",
        _or_dash(ref.distance if ref else None, digits=2),
        _or_dash(outcome.gap, digits=2),
        f"{outcome.seconds:.1f}",
        f"{outcome.cpu:.1f}",
        "yes" if outcome.feasible else "NO",
    ))


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(cells) + " |"


def _or_dash(value: float | None, *, digits: int | None = None, signed: bool = False) -> str:
    if value is None:
        return "-"
    if digits is not None:
        return f"{value:.{digits}f}"
    return f"{value:+d}" if signed else str(value)


def _results_write(*, path: Path, outcomes: list[Outcome]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["instance", "vehicles", "distance", "bks_vehicles", "bks_distance",
                         "gap_pct", "seconds", "cpu_seconds", "feasible", "violations"])
        for o in outcomes:
            ref = o.reference
            writer.writerow([
                o.name, o.vehicles, f"{o.distance:.4f}", ref.vehicles if ref else "",
                ref.distance if ref else "", "" if o.gap is None else f"{o.gap:.3f}",
                f"{o.seconds:.2f}", f"{o.cpu:.2f}", o.feasible, " | ".join(o.violations),
            ])
