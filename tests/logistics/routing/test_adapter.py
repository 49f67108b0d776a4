"""Choosing the solver and its time budget from settings."""
import pytest
from django.test import override_settings

from logistics.routing import Solver, plan_solve, solver_get, time_limit_get
from logistics.routing.problem import Plan

from . import solver_fake
from .builders import delivery, line_problem


def test_pyvrp_is_the_default(settings):
    del settings.HALLE_ROUTING_TIME_LIMIT  # the test settings give a short budget; here, no setting at all
    solver = solver_get()
    assert isinstance(solver, Solver)
    assert solver.name == "pyvrp"
    assert time_limit_get() == 10.0


@override_settings(HALLE_ROUTING_SOLVER="tests.logistics.routing.solver_fake", HALLE_ROUTING_TIME_LIMIT=3)
def test_the_setting_swaps_the_solver_and_its_budget():
    solver_fake.calls.clear()
    plan = plan_solve(problem=line_problem(points=[0, 1], jobs=[delivery("a", 1)]), seed=7)
    assert isinstance(plan, Plan) and plan.solver == "fake"
    assert solver_fake.calls == [(3.0, 7)]


def test_an_unknown_solver_is_named_in_the_error():
    with pytest.raises(ValueError, match="No routing solver 'gurobi'"):
        solver_get(name="gurobi")


@override_settings(HALLE_ROUTING_TIME_LIMIT=0)
def test_a_zero_budget_is_refused():
    with pytest.raises(ValueError, match="must be positive"):
        time_limit_get()
