"""Benchmark the exact fault-tree engine on the 43 Aralia trees (issue 15).

For each tree: load, compile (BDD build + flattening) and probability with ``dd.cudd`` and, where
it finishes within its budget, with ``dd.bdd`` (pure Python), in wall-clock and CPU seconds (the
CPU time of the child process that solved it, load included: on a shared machine, the steadier
figure); the BDD's node count; our value against XFTA's own log
(``benchmarks/aralia/published.py``). Target: every tree solved exactly,
each under 10 s, the whole set under 2 minutes, on the 2-core machine.

The trees are fetched by ``benchmarks/aralia/fetch_aralia.py`` (they are CC BY-SA, not in this
repository); without them the script says so and stops.

Run: ``python benchmarks/bench_faulttrees.py [TREE ...] [--python-budget SECONDS]``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "aralia"))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import published  # noqa: E402

from portfolios import openpsa  # noqa: E402

DATA = HERE / "aralia" / "data"
TARGET_TREE_S = 10.0
TARGET_TOTAL_S = 120.0


def solve(path: str, backend: str) -> tuple[float, float, float, int, str, float]:
    c0 = time.process_time()
    t0 = time.perf_counter()
    T = openpsa.load(path)
    t1 = time.perf_counter()
    if backend == "faultree":  # the faultree package, on the same tree (no NOT gate there)
        from bench_portfolios_bdd import faultree_probability, faultree_tree

        tree = faultree_tree(T, T.top_gates[0])
        t2 = time.perf_counter()
        value = faultree_probability(tree)
        cpu = time.process_time() - c0
        return t1 - t0, time.perf_counter() - t2, 0.0, 0, repr(value), cpu
    s = T.with_options(backend=backend).solve()
    top = next(iter(s.probabilities))
    cpu = time.process_time() - c0
    value = repr(s.probabilities[top])
    return t1 - t0, s.compile_seconds, s.probability_seconds, s.nodes, value, cpu


def _child(queue: multiprocessing.Queue, func: Callable[..., object], args: tuple) -> None:  # type: ignore[type-arg]
    try:
        queue.put(("ok", func(*args)))
    except Exception as err:  # report any failure, with its type
        queue.put(("error", f"{type(err).__name__}: {str(err)[:120]}"))


def run_with_budget(func: Callable[..., object], args: tuple, budget: float) -> tuple[str, object]:
    """Return ``("ok", func(*args))`` run in a child process, killed after ``budget`` seconds.

    Otherwise ``("timeout", text)`` or ``("error", text)`` (the exception's type and message).
    """
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    p = ctx.Process(target=_child, args=(queue, func, args))
    p.start()
    p.join(budget)
    if p.is_alive():
        p.kill()
        p.join()
        return "timeout", f"> {budget:g} s"
    return queue.get() if not queue.empty() else ("error", f"exit code {p.exitcode}")


def timed_solve(path: str, backend: str, budget: float) -> tuple[str, object]:
    """Solve ``path`` with ``backend`` in a child process, killed after ``budget`` seconds."""
    return run_with_budget(solve, (path, backend), budget)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("trees", nargs="*")
    parser.add_argument("--cudd-budget", type=float, default=60.0)
    parser.add_argument("--python-budget", type=float, default=20.0)
    parser.add_argument("--faultree-budget", type=float, default=20.0)
    args = parser.parse_args(argv)
    if not DATA.exists() or not any(DATA.glob("*.xml")):
        print(f"no Aralia trees in {DATA}: run benchmarks/aralia/fetch_aralia.py first")
        return
    names = args.trees or sorted(p.stem for p in DATA.glob("*.xml"))
    try:
        import faultree  # noqa: F401

        have_faultree = True
    except ImportError:
        have_faultree = False
    import dd.cudd  # noqa: F401 - imported once here, not in every timed child

    print("Aralia fault trees: exact top-event probability (load + compile + probability)")
    print(
        f"{'tree':>9} {'load s':>7} {'cudd s':>8} {'p s':>6} {'cpu s':>7} {'nodes':>9} "
        f"{'P (ours)':>13} {'XFTA log':>12} {'match':>5} {'dd.bdd s':>9} {'bdd cpu':>8} "
        f"{'ratio':>6} {'faultree s':>10}"
    )
    total, total_cpu, solved, under = 0.0, 0.0, 0, 0
    for name in names:
        path = str(DATA / f"{name}.xml")
        status, result = timed_solve(path, "cudd", args.cudd_budget)
        xfta = published.XFTA_LOG.get(name, "")
        if status != "ok":
            total += args.cudd_budget if status == "timeout" else 0.0
            print(f"{name:>9} {status}: {result}")
            continue
        load_s, compile_s, prob_s, nodes, value, cpu_s = result  # type: ignore[misc]
        seconds = load_s + compile_s + prob_s
        total += seconds
        total_cpu += cpu_s
        solved += 1
        under += seconds < TARGET_TREE_S
        match = ""
        if xfta or published.README_TABLE.get(name, ("", "unknown"))[1] != "unknown":
            ok, source = published.matches(name, float(value))
            match = ("yes" if source == "XFTA log" else "table") if ok else "NO"
        py_status, py = timed_solve(path, "python", args.python_budget)
        if py_status == "ok":
            py_s = py[1] + py[2]  # type: ignore[index]
            py_text, ratio = f"{py_s:9.2f}", f"{py_s / max(compile_s + prob_s, 1e-9):6.1f}"
            py_text += f" {py[5]:8.2f}"  # type: ignore[index]
        else:
            py_text, ratio = (
                f"{'>' + str(int(args.python_budget)) if py_status == 'timeout' else 'error':>9}"
                f" {'':>8}",
                "",
            )
        ft_text = "n/a"
        if have_faultree:
            ft_status, ft = timed_solve(path, "faultree", args.faultree_budget)
            if ft_status == "ok":
                same = abs(float(ft[4]) - float(value)) <= 1e-9 * float(value) + 1e-300  # type: ignore[index]
                ft_text = f"{ft[1]:.2f}" + ("" if same else " (differs)")  # type: ignore[index]
            elif ft_status == "timeout":
                ft_text = f">{args.faultree_budget:g}"
            else:
                unreadable = "equivalent" in str(ft) or "Unsupported gate" in str(ft)
                ft_text = "unreadable" if unreadable else "error"
        print(
            f"{name:>9} {load_s:7.2f} {compile_s:8.2f} {prob_s:6.2f} {cpu_s:7.2f} {nodes:9d} "
            f"{float(value):13.6g} {xfta:>12} {match:>5} {py_text} {ratio:>6} {ft_text:>10}"
        )
    print(
        f"solved {solved} of {len(names)}; {under} under {TARGET_TREE_S:g} s; total "
        f"{total:.1f} s (target {TARGET_TOTAL_S:g} s; a timeout counts its budget); CPU "
        f"{total_cpu:.1f} s over the solved trees"
    )
    print("cudd s: build + flattening with dd.cudd; p s: the probability pass; cpu s, bdd cpu:")
    print("CPU seconds of the whole solve (load included) with dd.cudd, dd.bdd; dd.bdd s: the")
    print("same with the pure-Python dd.bdd (ratio = dd.bdd / dd.cudd); faultree s: the faultree")
    print("package (compile + model count); unreadable: a NOT or XOR gate, which it lacks")
    if not have_faultree:
        print("(faultree is not installed: pip install faultree to compare)")


if __name__ == "__main__":
    main()
