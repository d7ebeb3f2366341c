"""Benchmark modularisation in the exact fault-tree engine on the 43 Aralia trees (issue 15).

For each tree, ``FaultTree.solve`` with ``modularise=True`` (each module compiled as a function
of its own, seen by its parents as one variable) and with ``modularise=False`` (one BDD over the
events), each in a child process stopped after its budget: build + flattening and probability
times, the flattened BDD's node count, the number of modules, and whether the two values agree
(relative difference at most 1e-12).

The trees are fetched by ``benchmarks/aralia/fetch_aralia.py`` (they are CC BY-SA, not in this
repository); without them the script says so and stops.

Run: ``python benchmarks/bench_ftmodules.py [TREE ...] [--budget SECONDS]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_faulttrees import run_with_budget  # noqa: E402

from portfolios import openpsa  # noqa: E402

DATA = HERE / "aralia" / "data"


def solve(path: str, modularise: bool) -> tuple[float, float, int, int, float]:
    T = openpsa.load(path).with_options(modularise=modularise)
    s = T.solve()
    top = next(iter(s.probabilities))
    return s.compile_seconds, s.probability_seconds, s.nodes, s.modules, s.probabilities[top]


def timed_solve(path: str, modularise: bool, budget: float) -> tuple[str, object]:
    """Solve ``path`` in a child process, killed after ``budget`` seconds."""
    return run_with_budget(solve, (path, modularise), budget)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("trees", nargs="*")
    parser.add_argument("--budget", type=float, default=60.0)
    args = parser.parse_args(argv)
    if not DATA.exists() or not any(DATA.glob("*.xml")):
        print(f"no Aralia trees in {DATA}: run benchmarks/aralia/fetch_aralia.py first")
        return
    names = args.trees or sorted(p.stem for p in DATA.glob("*.xml"))
    import dd.cudd  # noqa: F401 - imported once here, not in every timed child

    print("Aralia fault trees: compile + probability with and without modules (dd.cudd)")
    print(
        f"{'tree':>9} {'modules':>7} {'mod s':>7} {'mod nodes':>10} {'flat s':>7} "
        f"{'flat nodes':>10} {'same':>5}"
    )
    for name in names:
        path = str(DATA / f"{name}.xml")
        cells = []
        values = []
        modules = ""
        for modularise in (True, False):
            status, result = timed_solve(path, modularise, args.budget)
            if status != "ok":
                cells.append(f"{status:>7} {str(result)[:10]:>10}")
                values.append(None)
                continue
            compile_s, prob_s, nodes, count, value = result  # type: ignore[misc]
            if modularise:
                modules = str(count)
            cells.append(f"{compile_s + prob_s:7.2f} {nodes:10,d}")
            values.append(value)
        a, b = values
        same = "" if a is None or b is None else "yes" if abs(a - b) <= 1e-12 * max(a, b) else "NO"
        print(f"{name:>9} {modules:>7} {cells[0]} {cells[1]} {same:>5}", flush=True)


if __name__ == "__main__":
    main()
