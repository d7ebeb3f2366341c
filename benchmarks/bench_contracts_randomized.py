"""Benchmark the optimal randomised contract against baselines measured in the same run.

1. ``optimal_randomized`` with 3 known actions on 100 outputs and a 1,000-point grid of slopes
   (the whole call: Carroll's optimum, the principal's LP, nature's minimax LP for the upper
   bound, and the certificate, nature's LP against the returned lottery). Target (issue 16):
   under 2 s. Baseline: nature's minimax LP on the same slopes written as a user would in
   cvxpy, one scalar constraint at a time in a Python loop (the same adjacent incentive
   constraints; it gives the value only). The script checks that the values agree.
2. The formulation: the same minimax LP with *every* pairwise incentive constraint (N^2 rows,
   what the model states before the reduction to adjacent slopes), vectorised with sparse
   matrices, on smaller grids (it grows as N^2), against ``optimal_randomized`` on the same grid.

Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_contracts_randomized.py``. Times are
the best of a few calls after one warm-up call (cvxpy's import is not timed).
"""

from __future__ import annotations

import platform
import time

import numpy as np

from contracts import Technology, optimal_linear, optimal_randomized


def best_of(fn, repeat=3):
    """Return (best wall time of ``repeat`` calls, last result), after one warm-up call."""
    result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def instance(n=100, k=3, seed=0):
    rng = np.random.default_rng(seed)
    y = np.linspace(0.0, 10.0, n)
    dists = rng.random((k, n))
    dists /= dists.sum(axis=1, keepdims=True)
    return Technology.from_arrays(y, dists, rng.uniform(0.5, 3.0, k))


def slopes(known, cells):
    """Return the grid of ``optimal_randomized``: equal cells plus Carroll's optimal slopes."""
    extra = [float(s) for s in optimal_linear(known).slopes]
    return np.union1d(np.linspace(0.0, 1.0, cells + 1), extra)


def naive_loop(known, a):
    """Nature's minimax LP, one scalar cvxpy constraint at a time."""
    import cvxpy as cp

    y, mu, c = known.outputs, known.dists @ known.outputs, known.costs
    t = cp.Variable()
    U = [cp.Variable() for _ in a]
    m = [cp.Variable() for _ in a]
    cons = []
    for k, alpha in enumerate(a):
        cons += [
            t >= (1 - alpha) * m[k],
            U[k] >= np.max(alpha * mu - c),
            U[k] <= alpha * m[k],
            m[k] >= y[0],
            m[k] <= y[-1],
        ]
        if k + 1 < len(a):
            d = a[k + 1] - alpha
            cons += [U[k + 1] - U[k] >= d * m[k], U[k + 1] - U[k] <= d * m[k + 1]]
    problem = cp.Problem(cp.Minimize(t), cons)
    problem.solve(solver="HIGHS")
    return problem.value


def all_pairs(known, a):
    """Nature's minimax LP with every pairwise incentive constraint (sparse, vectorised)."""
    import cvxpy as cp
    import scipy.sparse as sp

    y, mu, c = known.outputs, known.dists @ known.outputs, known.costs
    K = a.size
    t, U, m = cp.Variable(), cp.Variable(K), cp.Variable(K)
    V = (np.outer(a, mu) - c).max(axis=1)
    J, L = np.meshgrid(np.arange(K), np.arange(K), indexing="ij")
    off = J != L
    J, L = J[off], L[off]
    r = np.arange(J.size)
    diff = sp.csr_matrix(
        (np.r_[np.ones(J.size), -np.ones(J.size)], (np.r_[r, r], np.r_[J, L])), shape=(J.size, K)
    )
    gain = sp.csr_matrix((a[J] - a[L], (r, L)), shape=(J.size, K))
    cons = [
        t >= cp.multiply(1 - a, m),
        U >= V,
        U <= cp.multiply(a, m),
        m >= y[0],
        m <= y[-1],
        diff @ U - gain @ m >= 0,  # U_j >= U_l + (a_j - a_l) m_l: action l is no better at a_j
    ]
    problem = cp.Problem(cp.Minimize(t), cons)
    problem.solve(solver="HIGHS")
    return problem.value


def verdict(ok):
    return "MET" if ok else "NOT MET"


def main():
    print(
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"python {platform.python_version()}, numpy {np.__version__}"
    )
    known = instance()
    print()
    print("1. optimal_randomized, 3 known actions, 100 outputs, 1,000 cells, vs a naive loop")
    t_ours, best = best_of(lambda: optimal_randomized(known, grid=1000))
    a = slopes(known, 1000)
    t_naive, naive = best_of(lambda: naive_loop(known, a), repeat=1)
    assert abs(naive - best.value) <= 1e-7 * float(known.outputs[-1]), (naive, best.value)
    print(
        f"ours {t_ours:.3f} s (value {best.value:.6f}, upper bound {best.upper_bound:.6f}, "
        f"certificate {best.certificate.value:.6f}, Carroll {best.carroll.value:.6f}); "
        f"naive loop {t_naive:.3f} s (value {naive:.6f}); ratio {t_naive / t_ours:.1f}x"
    )
    print(f"target: under 2 s -> {t_ours:.3f} s: {verdict(t_ours < 2.0)}")
    print()
    print("2. every pairwise incentive constraint (N^2 rows) vs optimal_randomized, same grid")
    print(f"{'cells':>6} {'ours [s]':>9} {'all pairs [s]':>14} {'ratio':>7} {'|diff|':>9}")
    for cells in (100, 200, 300):
        t_ours, best = best_of(lambda cells=cells: optimal_randomized(known, grid=cells))
        a = slopes(known, cells)
        t_pairs, value = best_of(lambda a=a: all_pairs(known, a), repeat=1)
        diff = abs(value - best.value)
        print(f"{cells:>6} {t_ours:9.3f} {t_pairs:14.3f} {t_pairs / t_ours:7.1f} {diff:9.1e}")


if __name__ == "__main__":
    main()
