"""Courier-round planning: the problem, one adapter to the solver, an independent checker.

Plain Python (no models): ``logistics`` services build a ``Problem`` from shifts and
orders, call ``plan_solve`` in a background task, check the plan with ``plan_check``
and store it. Only ``pyvrp_solver`` imports a solver library.
"""
from logistics.routing.adapter import Solver, plan_solve, solver_get, time_limit_get
from logistics.routing.checker import PlanCheck, plan_check

__all__ = ["PlanCheck", "Solver", "plan_check", "plan_solve", "solver_get", "time_limit_get"]
