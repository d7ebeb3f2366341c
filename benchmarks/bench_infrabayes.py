"""Benchmark: Murphy's expectation E_H(f) = min_i m_i(f) + b_i over many generators.

Issue 4's target: the expectation of 10^3 utility functions over an infradistribution with 10^4
generators on 10^3 outcomes, in under 50 ms per function, on float inputs.

For growing sizes this prints our time per function (``H.expect(f)``: input checks plus one
matrix-vector product and a minimum), the time of a baseline measured in the same run (a plain
Python loop over the generators, one numpy dot product per generator, on a subset of the
functions), their ratio, and, for the issue's size, whether the target is met.

Run: ``.venv/bin/python benchmarks/bench_infrabayes.py`` (or ``make bench``).
"""

from __future__ import annotations

import time
from fractions import Fraction

import numpy as np

from infrabayes import Infradistribution

#: Issue 4's target, per utility function, at the largest size.
TARGET_SECONDS = 0.050
#: (generators, outcomes, utility functions); the last row is the issue's size.
SIZES = [(100, 100, 1000), (1000, 300, 1000), (10_000, 1000, 1000)]
#: Functions timed with the baseline (it is slow).
BASELINE_FUNCTIONS = 20


def baseline_expect(masses: np.ndarray, b: np.ndarray, f: np.ndarray) -> float:
    """Plain Python loop over generators: min_i m_i . f + b_i."""
    best = float("inf")
    for row, bi in zip(masses, b, strict=True):
        value = float(row @ f) + float(bi)
        best = min(best, value)
    return best


def run(generators: int, outcomes: int, functions: int, rng: np.random.Generator) -> None:
    masses = rng.random((generators, outcomes))
    masses /= masses.sum(axis=1, keepdims=True)  # probability measures ...
    b = rng.random(generators) * 0.1  # ... plus a little constant
    names = tuple(f"o{i}" for i in range(outcomes))
    h = Infradistribution.from_arrays(masses, b, outcomes=names)
    fs = rng.random((functions, outcomes))

    h.expect(fs[0])  # warm-up (builds the cached arrays)
    start = time.perf_counter()
    ours = [h.expect(f) for f in fs]
    per_function = (time.perf_counter() - start) / functions

    k = min(BASELINE_FUNCTIONS, functions)
    start = time.perf_counter()
    theirs = [baseline_expect(masses, b, f) for f in fs[:k]]
    baseline_per_function = (time.perf_counter() - start) / k
    assert np.allclose(ours[:k], theirs, rtol=0, atol=1e-12), "results differ from the baseline"

    line = (
        f"{generators:>7} generators x {outcomes:>5} outcomes, {functions} functions: "
        f"ours {per_function * 1e3:8.3f} ms/function, baseline (Python loop over generators, "
        f"{k} functions) {baseline_per_function * 1e3:8.3f} ms/function, "
        f"ratio {baseline_per_function / per_function:6.1f}x"
    )
    if (generators, outcomes, functions) == SIZES[-1]:
        met = "met" if per_function < TARGET_SECONDS else "NOT met"
        line += f"; target < {TARGET_SECONDS * 1e3:.0f} ms/function: {met}"
    print(line)


def run_exact(rng: np.random.Generator) -> None:
    """For information: the exact (Fraction) path the REPL uses, on a small case."""
    generators, outcomes, functions = 100, 20, 50
    masses = rng.integers(0, 10, (generators, outcomes))
    h = Infradistribution.from_arrays(masses, outcomes=tuple(f"o{i}" for i in range(outcomes)))
    fs = [[Fraction(int(v), 7) for v in rng.integers(0, 8, outcomes)] for _ in range(functions)]
    start = time.perf_counter()
    for f in fs:
        h.expect(f)
    per_function = (time.perf_counter() - start) / functions
    print(
        f"exact Fractions, {generators} generators x {outcomes} outcomes: "
        f"{per_function * 1e3:.3f} ms/function (no target; for information)"
    )


def main() -> None:
    rng = np.random.default_rng(20260823)
    print("Murphy's expectation, float64 (H.expect on one utility function at a time)")
    for size in SIZES:
        run(*size, rng)
    run_exact(rng)


if __name__ == "__main__":
    main()
