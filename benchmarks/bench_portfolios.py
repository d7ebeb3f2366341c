"""Benchmark portfolios: exact P(unprotected) and Monte Carlo sampling, against baselines.

Targets (issue 6): a scenario with 16 covering cases, 100 assumptions and 4 latent variables
exact in under 1 s; 10^6 Monte Carlo samples in under 2 s.

Baselines, measured in the same run:
- exact: the textbook inclusion-exclusion over the covering cases inside each latent state
  (``method="inclusion-exclusion"``), on the same scenarios; and brute-force enumeration
  (``method="enumerate"``) on smaller scenarios where 2^events is feasible (at most 22 events);
- Monte Carlo: a plain vectorised sampler that draws every latent variable, assumption and
  soundness error and evaluates each case's path, without the grouping of units by signature.

Run: ``python benchmarks/bench_portfolios.py`` (or ``make bench``).
"""

from __future__ import annotations

import math
import time

import numpy as np

from portfolios import Portfolio

EXACT_TARGET_S = 1.0
MC_TARGET_S = 2.0


def random_portfolio(
    n_cases: int, n_assumptions: int, n_latent: int, per_case: int, seed: int
) -> Portfolio:
    """All cases cover scenario S; each rests on ``per_case`` of the assumptions."""
    rng = np.random.default_rng(seed)
    latent = {f"W{j}": {"statement": "w", "p_fail": 0.2} for j in range(n_latent)}
    assumptions = {}
    for i in range(n_assumptions):
        q = float(rng.uniform(0.01, 0.3))
        if n_latent and rng.random() < 0.3:
            j = int(rng.integers(n_latent))
            p_fail = {f"W{j}": {"holds": q / 2, "fails": min(1.0, 3 * q)}}
        else:
            p_fail = q
        assumptions[f"A{i}"] = {"statement": "a", "p_fail": p_fail}
    cases = {}
    for c in range(n_cases):
        chosen = rng.choice(n_assumptions, size=min(per_case, n_assumptions), replace=False)
        cases[f"C{c}"] = {
            "statement": "c",
            "assumptions": [f"A{i}" for i in sorted(chosen)],
            "soundness_error": 0.02,
            "covers": ["S"],
        }
    return Portfolio.from_dict(
        {
            "latent": latent,
            "assumptions": assumptions,
            "cases": cases,
            "scenarios": {"S": {"statement": "s"}},
        }
        if latent
        else {"assumptions": assumptions, "cases": cases, "scenarios": {"S": {"statement": "s"}}}
    )


def best_of(f, repeat: int = 3) -> tuple[float, object]:
    best, value = math.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = f()
        best = min(best, time.perf_counter() - t0)
    return best, value


def plain_sampler(P: Portfolio, n_samples: int, seed: int) -> float:
    """Baseline Monte Carlo: draw every unit of every covering case, no grouping."""
    S = P.structure
    cases = P.covering_cases("S")
    units = sorted(set().union(*(S.paths[c] for c in cases)))
    col = {u: i for i, u in enumerate(units)}
    incidence = np.zeros((len(units), len(cases)), dtype=np.float32)
    for k, c in enumerate(cases):
        incidence[[col[u] for u in S.paths[c]], k] = 1.0
    rng = np.random.default_rng(seed)
    hits, chunk = 0, 1 << 16
    for start in range(0, n_samples, chunk):
        size = min(chunk, n_samples - start)
        latent = rng.random((size, len(S.latent))) < S.latent_p
        which = S.unit_latent[units]
        state = np.where(which >= 0, latent[:, np.maximum(which, 0)], False)
        p = np.where(state, S.unit_p[units, 1], S.unit_p[units, 0])
        failed = rng.random((size, len(units))) < p
        hit = failed.astype(np.float32) @ incidence
        hits += int(np.count_nonzero((hit > 0.5).all(axis=1)))
    return hits / n_samples


def main() -> None:
    print("portfolios benchmark: P(unprotected) of one scenario")
    print()
    print("exact (subset DP) vs inclusion-exclusion, 100 assumptions, 4 latent variables,")
    print("8 assumptions per case (best of 3)")
    header = f"{'cases':>5} {'exact s':>9} {'incl-excl s':>12} {'ratio':>7} {'|diff|':>9}  target"
    print(header)
    for k in (4, 8, 12, 16, 18):
        P = random_portfolio(k, 100, 4, 8, seed=k)
        t_exact, p_exact = best_of(lambda P=P: P.p_unprotected("S"))
        t_ie, p_ie = best_of(lambda P=P: P.p_unprotected("S", method="inclusion-exclusion"))
        target = ""
        if k == 16:
            met = "met" if t_exact < EXACT_TARGET_S else "NOT met"
            target = f"exact < {EXACT_TARGET_S:g} s: {met}"
        diff = abs(p_exact - p_ie)
        print(f"{k:>5} {t_exact:>9.4f} {t_ie:>12.4f} {t_ie / t_exact:>7.1f} {diff:>9.1e}  {target}")
    print()
    print("exact vs brute-force enumeration (small scenarios: 2 latent variables, 3 per case)")
    header = (
        f"{'cases':>5} {'events':>6} {'exact s':>9} {'enumerate s':>12} {'ratio':>7} {'|diff|':>9}"
    )
    print(header)
    for k, n_a in ((2, 6), (3, 9), (4, 12), (5, 15)):
        P = random_portfolio(k, n_a, 2, 3, seed=100 + k)
        events = 2 + n_a + k
        t_exact, p_exact = best_of(lambda P=P: P.p_unprotected("S"))
        t_en, p_en = best_of(lambda P=P: P.p_unprotected("S", method="enumerate"), repeat=1)
        diff = abs(p_exact - p_en)
        print(
            f"{k:>5} {events:>6} {t_exact:>9.4f} {t_en:>12.4f} {t_en / t_exact:>7.0f} {diff:>9.1e}"
        )
    print()
    print("Monte Carlo, 10^6 samples, 16 cases / 100 assumptions / 4 latent variables")
    P = random_portfolio(16, 100, 4, 8, seed=16)
    n = 10**6
    exact = P.p_unprotected("S")
    t_mc, est = best_of(lambda: P.p_unprotected("S", method="montecarlo", n_samples=n, rng=1))
    t_plain, p_plain = best_of(lambda: plain_sampler(P, n, seed=2))
    met = "met" if t_mc < MC_TARGET_S else "NOT met"
    print(f"{'sampler':>10} {'seconds':>9} {'estimate':>10} {'exact':>10}")
    print(f"{'ours':>10} {t_mc:>9.3f} {est.value:>10.6f} {exact:>10.6f}")
    print(f"{'plain':>10} {t_plain:>9.3f} {p_plain:>10.6f} {exact:>10.6f}")
    print(f"ratio plain/ours {t_plain / t_mc:.1f}; target < {MC_TARGET_S:g} s: {met}")
    print(f"95% interval of ours: [{est.interval.low:.6f}, {est.interval.high:.6f}]")


if __name__ == "__main__":
    main()
