"""Benchmark the BDD build of the exact fault-tree engine against its plain build (issue 15).

For a few large Aralia trees: ``FaultTree.solve`` with ``dd.cudd`` as the package runs it
(each gate's BDD released after its last user, CUDD collecting garbage rather than growing its
unique table, ``and``/``or`` arguments folded by increasing support size) against the baseline
measured in the same run: the same engine with ``release=False, order_arguments=False`` (every
intermediate BDD kept, arguments in the written order, CUDD's default table growth). Each
solve runs in a child process of its own (stopped after its budget): its CPU seconds (load,
build, flattening and probability), its largest resident set, the peak number of live BDD
nodes, and whether the two values are equal to the bit (a reduced ordered BDD is canonical,
so they must be).

The trees are fetched by ``benchmarks/aralia/fetch_aralia.py`` (they are CC BY-SA, not in this
repository); without them the script says so and stops.

Run: ``python benchmarks/bench_ftcompare.py [TREE ...] [--budget SECONDS]``.
"""

from __future__ import annotations

import argparse
import functools
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_faulttrees import run_with_budget  # noqa: E402

from portfolios import ftengine, openpsa  # noqa: E402

DATA = HERE / "aralia" / "data"
#: The trees compared by default: the largest published ones.
TREES = ("cea9601", "das9701", "edf9203", "edf9204", "edfpa14q")


def solve(path: str, plain: bool) -> tuple[float, float, int, float]:
    """Return ``(CPU s, max RSS MB, peak live nodes, P(top))`` of one solve, in this process."""
    if plain:  # the baseline: the same engine without release and argument order
        ftengine.compile_pdag = functools.partial(  # type: ignore[assignment]
            ftengine.compile_pdag, release=False, order_arguments=False
        )
    t0 = time.process_time()
    s = openpsa.load(path).with_options(backend="cudd").solve()
    cpu = time.process_time() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    return cpu, rss_mb, s.nodes_built, next(iter(s.probabilities.values()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("trees", nargs="*")
    parser.add_argument("--budget", type=float, default=180.0)
    args = parser.parse_args(argv)
    if not DATA.exists() or not any(DATA.glob("*.xml")):
        print(f"no Aralia trees in {DATA}: run benchmarks/aralia/fetch_aralia.py first; skipped")
        return
    names = args.trees or [t for t in TREES if (DATA / f"{t}.xml").exists()]
    import dd.cudd  # noqa: F401 - imported once here, not in every timed child

    print("Aralia fault trees, dd.cudd: released BDDs + argument order vs the plain build")
    print(
        f"{'tree':>9} {'plain s':>8} {'ours s':>7} {'ratio':>6} {'plain MB':>9} {'ours MB':>8} "
        f"{'plain peak':>11} {'ours peak':>10} {'same':>5}"
    )
    totals = [0.0, 0.0]
    for name in names:
        path = str(DATA / f"{name}.xml")
        results = []
        for plain in (True, False):
            status, result = run_with_budget(solve, (path, plain), args.budget)
            results.append(result if status == "ok" else f"{status}: {result}")
        if any(isinstance(r, str) for r in results):
            print(f"{name:>9} {' | '.join(str(r)[:60] for r in results)}", flush=True)
            continue
        (c0, m0, n0, v0), (c1, m1, n1, v1) = results  # type: ignore[misc]
        totals[0] += c0
        totals[1] += c1
        same = "yes" if v0 == v1 else "NO"
        print(
            f"{name:>9} {c0:8.2f} {c1:7.2f} {c0 / max(c1, 1e-9):6.2f} {m0:9.0f} {m1:8.0f} "
            f"{n0:11,d} {n1:10,d} {same:>5}",
            flush=True,
        )
    print(
        f"total CPU s: plain {totals[0]:.1f}, ours {totals[1]:.1f} "
        f"(ratio {totals[0] / max(totals[1], 1e-9):.2f}); MB: largest resident set of the "
        "child process; peak: most live BDD nodes during the build"
    )


if __name__ == "__main__":
    main()
