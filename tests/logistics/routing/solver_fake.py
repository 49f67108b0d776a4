"""A stand-in solver module, loaded through ``HALLE_ROUTING_SOLVER`` by the adapter tests."""
from __future__ import annotations

from logistics.routing.problem import Plan, Problem

calls: list[tuple[float, int]] = []


class FakeSolver:
    name = "fake"

    def solve(self, problem: Problem, *, time_limit: float, seed: int) -> Plan:
        calls.append((time_limit, seed))
        return Plan(routes=(), solver=self.name)


def solver_build() -> FakeSolver:
    return FakeSolver()
