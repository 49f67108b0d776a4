"""The one door to a route solver.

Callers (the round-planning task, the benchmark) ask ``solver_get()`` for a solver and
call ``solve``; they never import a solver library. The setting
``HALLE_ROUTING_SOLVER`` names the solver: ``"pyvrp"`` (the default) loads
``logistics.routing.pyvrp_solver``; a name ``"vroom"`` would load
``logistics.routing.vroom_solver``, and a dotted path loads that module. Swapping in
VROOM or OR-Tools is therefore one new module with a ``solver_build()`` function, and
nothing else changes.
"""
from __future__ import annotations

import importlib
import os
from typing import Any, Protocol, runtime_checkable

from logistics.routing.problem import Plan, Problem

SOLVER_DEFAULT = "pyvrp"
TIME_LIMIT_DEFAULT = 10.0


@runtime_checkable
class Solver(Protocol):
    #: Short name recorded in each plan.
    name: str

    def solve(self, problem: Problem, *, time_limit: float, seed: int) -> Plan:
        """Best plan found within ``time_limit`` seconds; the same seed gives the same plan
        for the same problem when the time limit is not what stops the search."""
        ...


def solver_get(*, name: str | None = None) -> Solver:
    """The configured solver (or the one named), built fresh."""
    name = name or str(_setting(name="HALLE_ROUTING_SOLVER", default=SOLVER_DEFAULT))
    module_name = name if "." in name else f"logistics.routing.{name}_solver"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise  # the module exists but its own import (the solver library) failed
        raise ValueError(f"No routing solver {name!r} (module {module_name} not found).") from None
    solver = module.solver_build()
    if not isinstance(solver, Solver):
        raise TypeError(f"{module_name}.solver_build() did not return a Solver.")
    return solver


def time_limit_get() -> float:
    """Seconds a planning run may take (``HALLE_ROUTING_TIME_LIMIT``, default 10)."""
    value = float(_setting(name="HALLE_ROUTING_TIME_LIMIT", default=TIME_LIMIT_DEFAULT))
    if value <= 0:
        raise ValueError("HALLE_ROUTING_TIME_LIMIT must be positive.")
    return value


def plan_solve(*, problem: Problem, time_limit: float | None = None, seed: int = 0) -> Plan:
    """Solve with the configured solver and time budget."""
    limit = time_limit_get() if time_limit is None else time_limit
    return solver_get().solve(problem, time_limit=limit, seed=seed)


def _setting(*, name: str, default: Any) -> Any:
    """A Django setting when Django is set up, else the default.

    Read at call time, never at import, so that this package stays usable from plain
    scripts (the benchmark) and follows ``override_settings`` in tests.
    """
    try:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured
    except ImportError:
        return default
    if not (settings.configured or os.environ.get("DJANGO_SETTINGS_MODULE")):
        return default
    try:
        return getattr(settings, name, default)
    except ImproperlyConfigured:
        return default
