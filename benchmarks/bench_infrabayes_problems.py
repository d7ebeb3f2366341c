"""Benchmark: solving a decision problem with 2^12 deterministic policies under IB.

Issue 5's target: a problem with 2^12 policies solved (``problem.solve()``: IB, causal hypothesis,
Nirvana infinite, exact arithmetic) in under 2 s.

The problem: "n rooms". A fair die picks one of n rooms; room k is a Parfit's Hitchhiker whose
driver reads information set "room k" (error 1/10; fare 1/1000). There are 2^n policies and, for
the Nirvana trick, 2^n hard-coded predictions per policy: at n = 12, 4096 x 4096 = 16.8 million
generator values, every one of them needed (Murphy's minimum, exactly).

For growing n this prints our time (vectorised: the tree flattened into leaves, two matrix products
for all policies and predictions, exact through integer scaling), the time of a baseline measured
in the same run (a plain loop: for each policy, walk the tree once per prediction with Fractions,
build the policy's Infradistribution and take the core's expectation; timed on a few policies and
scaled to all of them), the ratio, and whether the target is met. UDT, CDT and EDT are timed too,
for information, and the float64 path.

Run: ``.venv/bin/python benchmarks/bench_infrabayes_problems.py`` (or ``make bench``).
"""

from __future__ import annotations

import itertools
import time
from fractions import Fraction

from infrabayes import NIRVANA, Infradistribution
from infrabayes.problems import Chance, Decision, Outcome, Predictor, Problem

#: Issue 5's target for ``solve()`` with 2^12 policies.
TARGET_SECONDS = 2.0
#: Room counts (2^n policies); the last one is the issue's size.
SIZES = [4, 8, 12]
#: Policies timed with the baseline (it is slow), scaled to all policies.
BASELINE_POLICIES = 4


def rooms(n: int, exact: bool = True) -> Problem:
    eps = Fraction(1, 10) if exact else 0.1
    fare = Fraction(1, 1000) if exact else 0.001
    share = Fraction(1, n) if exact else 1 / n
    branches = {}
    for k in range(n):
        infoset = f"room {k}"
        town = Decision(
            infoset, {"pay": Outcome(f"{k}: pay", 1 - fare), "refuse": Outcome(f"{k}: refuse", 1)}
        )
        driver = Predictor(
            infoset, {"pay": town, "refuse": Outcome(f"{k}: desert", 0)}, epsilon=eps
        )
        branches[infoset] = (share, driver)
    return Problem(Chance(branches, name="die"), name=f"{n} rooms")


def baseline_value(problem: Problem, policy: dict[str, str]) -> Fraction:
    """Plain loop: one tree walk per hard-coded prediction, then the core's expectation."""
    predicted = problem.predicted
    rows = []
    for combo in itertools.product(*(problem.actions[i] for i in predicted)):
        prediction = dict(zip(predicted, combo, strict=True))
        masses: dict = {}

        def walk(node, p, prediction=prediction, masses=masses):
            if isinstance(node, Outcome):
                masses[node.name] = masses.get(node.name, 0) + p
            elif isinstance(node, Chance):
                for q, child in node.branches.values():
                    walk(child, p * q)
            elif isinstance(node, Decision):
                a = policy[node.infoset]
                if prediction.get(node.infoset, a) != a:
                    masses[NIRVANA] = masses.get(NIRVANA, 0) + p
                else:
                    walk(node.branches[a], p)
            else:
                guess = prediction[node.infoset]
                for b, child in node.branches.items():
                    q = 1 - node.epsilon if b == guess else node.epsilon / (len(node.branches) - 1)
                    walk(child, p * q)

        walk(problem.root, Fraction(1))
        rows.append(masses)
    h = Infradistribution(rows, outcomes=(*problem.outcomes, NIRVANA))
    return h.expect(dict(problem.utilities))


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def run(n: int) -> None:
    problem = rooms(n)
    sol, ours = timed(problem.solve)
    k = min(BASELINE_POLICIES, len(problem.policies))
    chosen = problem.policies[:: max(1, len(problem.policies) // k)][:k]
    values, base = timed(lambda: [baseline_value(problem, dict(q)) for q in chosen])
    assert values == [sol.value_of(q) for q in chosen], "results differ from the baseline"
    baseline = base / k * len(problem.policies)
    pairs = len(problem.policies) * len(problem.predictions)
    line = (
        f"n = {n:>2}: {len(problem.policies):>5} policies x {len(problem.predictions):>5} "
        f"predictions ({pairs:>10,} generator values): ours {ours:7.3f} s, baseline (plain loop, "
        f"{k} policies timed, scaled) {baseline:9.1f} s, ratio {baseline / ours:8.0f}x"
    )
    if n == SIZES[-1]:
        met = "met" if ours < TARGET_SECONDS else "NOT met"
        line += f"; target < {TARGET_SECONDS:.0f} s: {met}"
    print(line)
    if n == SIZES[-1]:
        print(f"        optimal: {', '.join(map(str, sol.optimal))}; value {sol.value}")
        for theory in ("udt", "cdt", "edt"):
            fresh = rooms(n)
            _, t = timed(lambda th=theory, f=fresh: f.solve(th))
            print(f"        {theory.upper()} on the same problem (exact): {t:.3f} s")
        fresh = rooms(n)
        _, t = timed(lambda f=fresh: f.solve("ib", 1))
        print(f"        IB with nirvana = 1 (exact): {t:.3f} s")
        floats = rooms(n, exact=False)
        _, t = timed(floats.solve)
        print(f"        IB, float64 inputs: {t:.3f} s")


def main() -> None:
    print("Decision problems: solve() under IB (causal hypothesis, Nirvana infinite, exact)")
    for n in SIZES:
        run(n)


if __name__ == "__main__":
    main()
