"""Benchmark the BDD engine (method="bdd") on published fault trees and on large portfolios.

Target (issue 7): a benchmark tree of about 60 basic events with tens of thousands of minimal
cut sets, exact, in under 5 s. The tree is the Aralia benchmark "baobab1" (61 basic events,
84 gates, 46,188 minimal cut sets; published exact probability 1.2823e-6, SCRAM's
``tests/bench_baobab1_tests.cc``), transcribed in ``tests/portfolios/aralia_trees.py``.

Baselines, measured in the same run:
- the classical cut-set route: enumerate every minimal cut set (here read off the same BDD)
  and sum their probabilities (rare-event approximation) -- what MOCUS-style tools report;
- the ``faultree`` package (PyPI; BDD through ``dd.autoref``, a reference implementation of
  BDD weighted model counting) on the same trees, when it is installed (it is not a
  dependency: ``pip install faultree``);
- for portfolios: the subset dynamic programme (``method="exact"``) and inclusion-exclusion on
  the same structures, where they run at all.

Run: ``python benchmarks/bench_portfolios_bdd.py`` (or ``make bench``).
"""

from __future__ import annotations

import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "portfolios"))

from aralia_trees import (
    BAOBAB1,
    BAOBAB1_P,
    BAOBAB1_PROBABILITY,
    CHINESE,
    CHINESE_P,
    CHINESE_PROBABILITY,
    aralia,
    mef,
)

from portfolios import Portfolio, openpsa
from portfolios.bdd import structure_bdd

TARGET_S = 5.0


def timed(f, repeat: int = 3):
    best, value = math.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = f()
        best = min(best, time.perf_counter() - t0)
    return best, value


def load_tree(text: str, probabilities: dict[str, float], directory: Path):
    path = directory / "tree.xml"
    path.write_text(mef(aralia(text), probabilities))
    return openpsa.load(path)


def faultree_tree(T, top: str) -> dict:
    """Return the same tree in faultree's JSON (shared gates and events by "ref").

    A formula nested inside a gate (``a OR (W AND b)``, as ``openpsa.dump`` writes an
    assumption that depends on a latent variable) becomes an anonymous faultree gate.
    faultree has no NOT gate: a tree with ``not``, house events or constants is refused.
    """
    seen: set[str] = set()

    def node(f):
        kind = f[0]
        if kind in ("gate", "basic-event"):
            name = f[1]
            if name in seen:
                return {"ref": name}
            seen.add(name)
            if kind == "basic-event":
                return {"id": name, "prob": T.basic_events[name]}
            return {"id": name, **gate(T.gates[name])}
        if kind in ("and", "or", "atleast"):
            return gate(f)
        raise ValueError(f"faultree has no equivalent of the formula {kind!r}")

    def gate(f):
        if f[0] == "atleast":
            return {"gate": "K_OF_N", "k": f[1], "children": [node(c) for c in f[2]]}
        return {"gate": f[0].upper(), "children": [node(c) for c in f[1]]}

    return node(("gate", top))


def faultree_probability(tree: dict) -> float:
    from faultree import builder

    compiled = builder.compile_tree(tree, include_expressions=False)
    probs = builder.var_probs_from_tree(compiled.tree)
    return float(builder.wmc(compiled.bdd, compiled.top, probs))


def bench_trees() -> None:
    try:
        import faultree  # noqa: F401

        have_faultree = True
    except ImportError:
        have_faultree = False
    print("Published fault trees: exact probability by BDD (compile + count, best of 3)")
    header = (
        f"{'tree':>8} {'events':>6} {'MCS':>6} {'bdd s':>7} {'P (ours)':>12} {'published':>10} "
        f"{'MCS+REA s':>9} {'REA':>10} {'faultree s':>10} {'ratio':>6}  target"
    )
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        for name, text, p, published in (
            ("chinese", CHINESE, CHINESE_P, CHINESE_PROBABILITY),
            ("baobab1", BAOBAB1, BAOBAB1_P, BAOBAB1_PROBABILITY),
        ):
            T = load_tree(text, p, Path(tmp))

            def ours(T=T):
                T._compiled.clear()  # time the compilation too
                return T.probability()

            t_bdd, value = timed(ours)
            t_mcs, cuts = timed(lambda T=T: T.minimal_cut_sets(), repeat=1)
            rea = math.fsum(c.probability for c in cuts)
            if have_faultree:
                tree = faultree_tree(T, "r1")
                t_ft, p_ft = timed(lambda tree=tree: faultree_probability(tree))
                assert abs(p_ft - value) <= 1e-12 * max(1.0, value) + 1e-300, (p_ft, value)
                ft = f"{t_ft:>10.3f} {t_ft / t_bdd:>6.1f}"
            else:
                ft = f"{'n/a':>10} {'':>6}"
            target = ""
            if name == "baobab1":
                target = f"exact < {TARGET_S:g} s: {'met' if t_bdd < TARGET_S else 'NOT met'}"
            print(
                f"{name:>8} {len(T.events):>6} {len(cuts):>6} {t_bdd:>7.3f} {value:>12.6g} "
                f"{published:>10.5g} {t_mcs:>9.2f} {rea:>10.4g} {ft}  {target}"
            )
    if not have_faultree:
        print("(faultree is not installed: pip install faultree to compare)")
    print("ratio = faultree time / ours; REA = rare-event approximation (sum over all MCS)")


def wide_portfolio(n_cases: int, per_case: int, n_shared: int, n_latent: int) -> Portfolio:
    """Cases resting on private assumptions plus a few shared ones, some latent-dependent."""
    latent = {f"W{j}": {"statement": "w", "p_fail": 0.2} for j in range(n_latent)}
    assumptions = {}
    for i in range(n_shared):
        p_fail = {f"W{i % n_latent}": {"holds": 0.01, "fails": 0.3}} if n_latent else 0.02
        assumptions[f"S{i}"] = {"statement": "shared", "p_fail": p_fail}
    cases = {}
    for c in range(n_cases):
        names = [f"P{c}_{k}" for k in range(per_case)]
        for k, a in enumerate(names):
            assumptions[a] = {"statement": "private", "p_fail": 0.01 * (1 + (c + k) % 5)}
        shared = [f"S{(c + k) % n_shared}" for k in range(min(2, n_shared))]
        cases[f"C{c}"] = {
            "statement": "c",
            "assumptions": names + shared,
            "soundness_error": 0.01,
            "covers": ["S"],
        }
    return Portfolio.from_dict(
        {
            "latent": latent,
            "assumptions": assumptions,
            "cases": cases,
            "scenarios": {"S": {"statement": "s"}},
        }
    )


def chain(k: int) -> Portfolio:
    assumptions = {f"A{i}": {"statement": "a", "p_fail": 0.3} for i in range(k + 1)}
    cases = {
        f"C{i}": {"statement": "c", "assumptions": [f"A{i}", f"A{i + 1}"], "covers": ["S"]}
        for i in range(k)
    }
    return Portfolio.from_dict(
        {"assumptions": assumptions, "cases": cases, "scenarios": {"S": {"statement": "s"}}}
    )


def run(P: Portfolio, method: str):
    try:
        return timed(lambda: P.p_unprotected("S", method=method), repeat=1)
    except ValueError:
        return None, None


def bench_portfolios() -> None:
    print()
    print("Portfolios: P(unprotected) by BDD vs the subset programme and inclusion-exclusion")
    print(
        f"{'structure':>22} {'events':>6} {'MCS':>7} {'bdd s':>7} {'exact s':>8} "
        f"{'incl-excl s':>11} {'ratio':>6} {'|bdd-exact|':>11}"
    )
    rows = [
        (f"wide {c}x{m}+{s} shared", wide_portfolio(c, m, s, 2))
        for c, m, s in ((4, 12, 3), (5, 7, 3))
    ]
    rows += [(f"chain of {k} cases", chain(k)) for k in (16, 24, 40, 63)]
    for label, P in rows:
        events = len(P.structure.events)
        B, root, _ = structure_bdd(P.structure, P.covering_cases("S"))
        n_mcs = len(B.minimal_cut_sets(root)) if events <= 64 else "-"
        t_bdd, p_bdd = run(P, "bdd")
        t_ex, p_ex = run(P, "exact")
        t_ie, _ = run(P, "inclusion-exclusion")
        fmt = lambda t: "refused" if t is None else f"{t:.3f}"  # noqa: E731
        ratio = f"{t_ex / t_bdd:.1f}" if t_ex is not None else ""
        diff = f"{abs(p_bdd - p_ex):.1e}" if p_ex is not None else ""
        print(
            f"{label:>22} {events:>6} {n_mcs:>7} {t_bdd:>7.3f} {fmt(t_ex):>8} {fmt(t_ie):>11} "
            f"{ratio:>6} {diff:>11}"
        )
    print("ratio = exact time / bdd time; 'refused': the method's size limit")


def main() -> None:
    print("portfolios BDD benchmark")
    print()
    bench_trees()
    bench_portfolios()


if __name__ == "__main__":
    main()
