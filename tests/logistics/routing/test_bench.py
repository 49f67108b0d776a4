"""The benchmark's parsers on the real shared instance files, and one short run of each kind."""
import pytest

from bench.routing.instances import (
    LI_LIM,
    SOLOMON,
    instance_problem,
    instance_read,
    references_read,
    solution_read,
)
from bench.routing.run import folder_run, instance_run
from logistics.routing import plan_check
from logistics.routing.problem import Objective, Shipment


@pytest.fixture(scope="module")
def data(shared_dir):
    return shared_dir / "data"


def test_solomon_file_is_parsed(data):
    instance = instance_read(path=data / "vrptw" / "C101.txt")
    assert (instance.format, instance.vehicles, instance.capacity) == (SOLOMON, 25, 200)
    assert len(instance.nodes) == 101
    assert (instance.depot.x, instance.depot.y, instance.depot.due) == (40, 50, 1236)
    assert instance.nodes[1] == instance.nodes[1].__class__(id=1, x=45, y=68, demand=10, ready=912, due=967, service=90)


def test_li_lim_file_is_parsed_into_paired_shipments(data):
    instance = instance_read(path=data / "pdptw" / "lc101.txt")
    assert (instance.format, instance.vehicles, instance.capacity) == (LI_LIM, 25, 200)
    problem = instance_problem(instance=instance, objective=Objective.HIERARCHICAL, scale=1000)
    assert len(problem.jobs) == 53 and all(isinstance(job, Shipment) for job in problem.jobs)
    first = problem.job("3-75")  # node 3 picks up 10 that node 75 receives
    assert (first.pickup.location, first.delivery.location, first.amount) == (3, 75, (10,))
    assert first.pickup.window.start == 65 * 1000 and first.pickup.service == 90 * 1000


@pytest.mark.parametrize(("folder", "name", "distance"), [("vrptw", "C101", 828.9369), ("pdptw", "lc101", 828.9369)])
def test_published_best_routes_pass_the_checker(data, folder, name, distance):
    instance = instance_read(path=data / folder / f"{name}.txt")
    plan = solution_read(path=data / folder / "bks_routes" / f"{name}.sol", instance=instance)
    for scale in (None, 1000):  # in doubles, and in the solver's rounded-up integers
        problem = instance_problem(instance=instance, objective=Objective.HIERARCHICAL, scale=scale)
        check = plan_check(problem=problem, plan=plan, tolerance=1e-9 if scale is None else 0)
        assert check.violations == []
    assert check.vehicles_used == 10
    double = plan_check(problem=instance_problem(instance=instance, objective=Objective.HIERARCHICAL, scale=None),
                        plan=plan)
    assert double.distance == pytest.approx(distance, abs=1e-4)


def test_references_follow_the_objective(data):
    hierarchical = references_read(path=data / "vrptw" / "bks.csv", objective=Objective.HIERARCHICAL)
    distance = references_read(path=data / "vrptw" / "bks.csv", objective=Objective.COST)
    assert (hierarchical["r101"].vehicles, hierarchical["r101"].distance) == (19, 1645.79)
    assert (distance["r101"].vehicles, distance["r101"].distance) == (20, 1642.8769)
    li_lim = references_read(path=data / "pdptw" / "bks.csv", objective=Objective.COST)
    assert li_lim["lr201"].distance == 1253.234  # no distance-only column: hierarchical reference


def test_one_solomon_instance_solved_in_one_second(data, tmp_path, capsys):
    (outcome,) = folder_run(folder=data / "vrptw", objective=Objective.HIERARCHICAL, time_limit=1, seed=1,
                            scale=1000, out=tmp_path, only={"c101"})
    assert outcome.violations == []
    assert outcome.vehicles >= 10 and outcome.gap is not None
    printed = capsys.readouterr().out
    assert "| C101 | " in printed and "gap %: mean" in printed
    # The written solution reads back and passes the checker with the same distance.
    instance = instance_read(path=data / "vrptw" / "C101.txt")
    plan = solution_read(path=tmp_path / "C101.sol", instance=instance)
    check = plan_check(problem=instance_problem(instance=instance, objective=Objective.HIERARCHICAL, scale=None),
                       plan=plan, tolerance=1e-9)
    assert check.violations == []
    assert check.distance == pytest.approx(outcome.distance)
    assert (tmp_path / "C101.sol").read_text().splitlines()[-1] == f"Cost {outcome.distance:.4f}"


def test_one_li_lim_instance_solved_in_one_second(data):
    outcome = instance_run(path=data / "pdptw" / "lr105.txt", objective=Objective.HIERARCHICAL, time_limit=1,
                           seed=1, scale=1000, out=None, reference=None)
    assert outcome.violations == []
    assert outcome.vehicles >= 14
