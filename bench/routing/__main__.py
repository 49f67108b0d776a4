"""Benchmark Halle's routing adapter on Solomon VRPTW or Li & Lim PDPTW instances.

    .venv/bin/python -m bench.routing ../shared/data/vrptw --time-limit 10 \
        --objective hierarchical --out /tmp/routing-vrptw

Any folder of ``*.txt`` instances works; a ``bks.csv`` beside them (columns
``instance,vehicles,distance`` and optionally ``dist_only_vehicles,dist_only_distance``)
gives the best-known solutions to compare with. The solver is the configured one
(``HALLE_ROUTING_SOLVER``, default PyVRP).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from bench.routing.run import folder_run
from logistics.routing.problem import Objective

OBJECTIVES = {"hierarchical": Objective.HIERARCHICAL, "distance": Objective.COST}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.routing", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+", type=Path, help="folders of instance files")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance")
    parser.add_argument("--objective", choices=sorted(OBJECTIVES), default="hierarchical",
                        help="hierarchical: fewest vehicles, then distance; distance: distance only")
    parser.add_argument("--out", type=Path, default=None, help="folder for the .sol files")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=int, default=1000,
                        help="integer scaling of coordinates and times given to the solver")
    parser.add_argument("--only", default="", help="comma-separated instance names")
    args = parser.parse_args(argv)
    only = {name.strip().lower() for name in args.only.split(",") if name.strip()} or None
    for folder in args.folders:
        if not folder.is_dir():
            parser.error(f"{folder} is not a folder")
        folder_run(folder=folder, objective=OBJECTIVES[args.objective], time_limit=args.time_limit,
                   seed=args.seed, scale=args.scale, out=args.out, only=only,
                   label=args.objective)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
