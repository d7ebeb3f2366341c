"""Benchmark the known-technology landscape and combinatorial critical values (issue 16).

1. ``best_linear_known`` through the critical values (one sort of the actions and a pass of a
   stack, ``linear_breakpoints``) at 200 actions x 50 outputs (float64) and at 60 actions x 20
   outputs (exact Fractions), against two baselines measured in the same run: the route the
   function took before (every pairwise intersection in (0, 1] as a candidate, each checked by a
   best response), and one LP per action (scipy's HiGHS: the least share that makes the action
   agent-optimal, then the principal's payoff there). The script checks that all three agree.
2. Critical values of a combinatorial technology with n = 14 items (2^14 = 16,384 sets) and a
   gross-substitutes success function (a k-demand function, k = 5): the upper envelope of all
   the sets' lines, against the demand-oracle algorithm with the greedy demand (Dutting, Feldman
   and Gal-Tzur). Exact Fractions, and float64 with weights and costs that are multiples of
   2^-12 (so that the float table is the same gross-substitutes function: rounding a sum could
   break gross substitutes by a hair, and the greedy demand then contradicts itself). The script
   checks that both routes find the same critical values.

Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_contracts_landscape.py``. Times are
the best of a few calls after one warm-up call (the two slow baselines of part 1: one call).
"""

from __future__ import annotations

import platform
import time
from fractions import Fraction
from itertools import combinations

import numpy as np

from contracts import LinearContract, Technology, best_linear_known, best_response
from contracts.combinatorial import CombinatorialTechnology, critical_values, k_demand


def best_of(fn, repeat=3, warm_up=True):
    """Return (best wall time of ``repeat`` calls, last result), after one warm-up call."""
    result = fn() if warm_up else None
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def float_instance(k=200, n=50, seed=0):
    rng = np.random.default_rng(seed)
    y = np.linspace(0.0, 10.0, n)
    dists = rng.dirichlet(np.full(n, 0.5), size=k)
    means = dists @ y
    # costs rising with the mean (a convex-ish cost of output) so many actions are on the envelope
    costs = 0.5 * (means / 10.0) ** 2 * 10.0 + rng.uniform(0.0, 0.05, k)
    return Technology.from_arrays(y, dists, costs)


def exact_instance(k=60, n=20, seed=1):
    rng = np.random.default_rng(seed)
    y = list(range(n))
    dists = []
    for _ in range(k):
        w = [int(v) for v in rng.integers(0, 5, n)]
        w[int(rng.integers(0, n))] += 1
        total = sum(w)
        dists.append([Fraction(v, total) for v in w])
    means = [sum(p * v for p, v in zip(d, y, strict=True)) for d in dists]
    costs = [m * m / (2 * n) + Fraction(int(rng.integers(0, 8)), 100) for m in means]
    return Technology.from_arrays(y, dists, costs)


def pairwise(tech):
    """Run the former route: every pairwise intersection, each checked by a best response."""
    y0 = tech.outputs[0]
    means = list(tech.dists @ tech.outputs)
    costs = list(tech.costs)
    zero = Fraction(0) if tech.exact else 0.0
    candidates = {zero}
    for i, k in combinations(range(len(means)), 2):
        if means[i] != means[k]:
            alpha = (costs[i] - costs[k]) / (means[i] - means[k])
            if 0 < alpha <= 1:
                candidates.add(alpha)
    best = None
    for alpha in sorted(candidates):
        r = best_response(LinearContract(alpha, origin=y0), tech)
        if best is None or r.principal_value > best:
            best = r.principal_value
    return best


def lp_per_action(tech):
    """One LP per action: the least alpha in [0, 1] with alpha (R_i - R_k) >= c_i - c_k."""
    from scipy.optimize import linprog

    y0 = float(tech.outputs[0])
    means = np.asarray(tech.dists @ tech.outputs, dtype=float) - y0
    costs = np.asarray(tech.costs, dtype=float)
    best = -np.inf
    for i in range(len(means)):
        # -alpha (R_i - R_k) <= -(c_i - c_k)
        res = linprog(
            [1.0],
            A_ub=-(means[i] - means)[:, None],
            b_ub=-(costs[i] - costs),
            bounds=[(0.0, 1.0)],
            method="highs",
        )
        if res.status == 0:
            best = max(best, y0 + (1 - res.x[0]) * means[i])
    return best


def section_linear():
    print("1. best_linear_known: critical values vs the pairwise route vs one LP per action")
    rows = []
    for label, tech, repeat in (
        ("float, 200 actions x 50 outputs", float_instance(), 3),
        ("exact, 60 actions x 20 outputs", exact_instance(), 2),
    ):
        t_new, new = best_of(lambda tech=tech: best_linear_known(tech), repeat)
        # the slow baselines: one timed call each, no warm-up
        t_pair, old = best_of(lambda tech=tech: pairwise(tech), 1, warm_up=False)
        t_lp, lp = best_of(lambda tech=tech: lp_per_action(tech), 1, warm_up=False)
        if tech.exact:
            assert new.value == old, (new.value, old)
        else:
            assert abs(new.value - old) <= 1e-9 * max(1.0, abs(old)), (new.value, old)
        assert abs(float(new.value) - lp) <= 1e-6 * max(1.0, abs(lp)), (new.value, lp)
        k = len(best_linear_known(tech).candidates) - 1
        rows.append((label, k, t_new, t_pair, t_lp))
        print(
            f"   {label}: {k} critical values; breakpoints {t_new * 1e3:.2f} ms, pairwise "
            f"{t_pair * 1e3:.0f} ms ({t_pair / t_new:.0f}x), LP per action {t_lp * 1e3:.0f} ms "
            f"({t_lp / t_new:.0f}x); values agree"
        )
    return rows


def section_combinatorial(n=14, k=5, seed=2):
    print(
        f"2. combinatorial critical values, n = {n} ({1 << n} sets), k-demand (gross substitutes)"
    )
    rng = np.random.default_rng(seed)
    # multiples of 2^-12: every sum of them is exact in float64
    weights = [Fraction(int(v), 4096) for v in rng.integers(1, 4096 // k, n)]
    costs = [Fraction(int(v), 4096) for v in rng.integers(0, 200, n)]
    exact = k_demand(weights, k, costs)
    floats = CombinatorialTechnology(
        np.asarray(exact.values, dtype=float), np.asarray(exact.costs, dtype=float)
    )
    for label, tech in (("exact", exact), ("float", floats)):
        t_enum, enum = best_of(lambda tech=tech: critical_values(tech), 2)
        t_dem, dem = best_of(lambda tech=tech: critical_values(tech, method="demand"), 3)
        assert enum.breakpoints == dem.breakpoints
        print(
            f"   {label}: {len(enum.breakpoints)} critical values; enumeration "
            f"{t_enum * 1e3:.0f} ms, demand oracle {t_dem * 1e3:.2f} ms ({dem.queries} queries): "
            f"{t_enum / t_dem:.0f}x; same critical values"
        )


def main():
    print(f"Python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    section_linear()
    section_combinatorial()


if __name__ == "__main__":
    main()
