"""Benchmark: IB on decision problems whose predictions factorise, against the old enumeration.

Issue 18's target: a problem with 2^16 deterministic policies solved under IB (causal hypothesis,
Nirvana infinite, exact arithmetic) in under 10 s, problem construction included.

The problem is "n rooms" (as in ``bench_infrabayes_problems.py``): a die picks one of n rooms, each
a Parfit's Hitchhiker whose driver reads "room k" (error 1/10, fare 1/1000): 2^n policies and 2^n
hard-coded predictions. Each driver reads only his room, so the predictions split into n
independent components and Murphy's minimum is a sum of n per-room minima
(``infrabayes.problems._factored``).

"Old" is the enumeration ``solve()`` used before, measured in the same run on a fresh copy of
the same problem: every policy against every prediction by two matrix products (the direct route,
forced by disabling the factorised one). At n = 14 it exceeds ``MAX_CAUSAL_PRODUCTS`` (2^33),
which this script raises for the measurement; at n = 16 (2^16 x 2^16 x 80 = 3.4e11 multiply-adds)
it is not run: its time is extrapolated from n = 14 by the ratio of the multiply-adds (x 18.3),
and marked so. The values of the two routes are checked equal (exactly) wherever both run.

Run: ``.venv/bin/python benchmarks/bench_problems.py`` (``--quick`` skips the old route at n = 14,
which takes about 10-20 s).
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from infrabayes import limits
from infrabayes.problems import _factored as factored

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_infrabayes_problems import rooms

#: Issue 18's target for 2^16 policies (construction and solve("ib")).
TARGET_SECONDS = 10.0
SIZES = [10, 12, 14, 16]
#: The old route is run up to this n (the next size is extrapolated).
OLD_UP_TO = 14


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def old_solve(n: int, workers=1):
    """solve('ib') by the direct products (the factorised route disabled, the limit raised)."""
    saved = (factored.worthwhile, limits.MAX_CAUSAL_PRODUCTS)
    factored.worthwhile = lambda c, parts: False
    limits.MAX_CAUSAL_PRODUCTS = 2**40
    try:
        return timed(lambda: rooms(n).solve(workers=workers))
    finally:
        factored.worthwhile, limits.MAX_CAUSAL_PRODUCTS = saved


def main() -> None:
    quick = "--quick" in sys.argv
    up_to = OLD_UP_TO - 2 if quick else OLD_UP_TO
    print("IB (causal, Nirvana infinite, exact): Problem(...) + solve(), n rooms = 2^n policies")
    old_times: dict[int, float] = {}
    for n in SIZES:
        sol, ours = timed(lambda n=n: rooms(n).solve())
        leaves = 5 * n
        products = 2**n * 2**n * leaves
        line = f"n = {n:>2}: {2**n:>6} policies x {2**n:>6} predictions: ours {ours:6.2f} s"
        if n <= up_to:
            old, t_old = old_solve(n)
            assert list(old.values) == list(sol.values), "the routes disagree"
            assert old.murphy_index == sol.murphy_index, "Murphy's choices disagree"
            old_times[n] = t_old
            line += f", old {t_old:7.2f} s (measured), ratio {t_old / ours:6.0f}x"
        else:
            last = max(old_times)
            scale = products / (2**last * 2**last * 5 * last)
            guess = old_times[last] * scale
            line += f", old {guess:7.1f} s (extrapolated from n = {last}, x {scale:.1f})"
            line += f", ratio {guess / ours:6.0f}x"
        if n == SIZES[-1]:
            met = "met" if ours < TARGET_SECONDS else "NOT met"
            line += f"; target < {TARGET_SECONDS:.0f} s: {met}"
        print(line)
    n = SIZES[-1]
    for label, make in [
        ("UDT, exact", lambda: rooms(n).solve("udt")),
        ("IB with nirvana = 1, exact", lambda: rooms(n).solve("ib", 1)),
        ("IB, float64 inputs", lambda: rooms(n, exact=False).solve()),
    ]:
        _, t = timed(make)
        print(f"        n = {n}, {label}: {t:.2f} s")
    _, serial = old_solve(12)
    with ThreadPoolExecutor(2) as pool:
        _, threads = old_solve(12, workers=pool.map)
    print(
        f"        old route at n = 12: workers=1 {serial:.2f} s, "
        f"workers=ThreadPoolExecutor(2).map {threads:.2f} s"
    )


if __name__ == "__main__":
    main()
