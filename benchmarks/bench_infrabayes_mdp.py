"""Benchmark: robust value iteration on a large random interval infra-MDP.

Issue 17's target: robust value iteration on a random interval MDP with 1,000 states x 10
actions x 1,000 next states, to a certified sup-norm error of 1e-6, in under 10 s (float64,
vectorised).

The model: for every state-action pair a random distribution p over the 1,000 next states,
bounds ``p (1 - w)`` and ``min(p (1 + w), 1)`` with w uniform in [0, 1/2] per entry, rewards
uniform in [0, 1], discount 0.9. Values lie in [0, 10], so the certified absolute error 1e-6
is ``tol = 1e-7`` relative to the width of the value range.

Printed: the time to build (and check) the model, our value iteration's time, sweeps and
certified bound; then two baselines measured in the same run, on the same model, and scaled to
the same number of sweeps:

* a plain Python loop: per sweep, sort the states by value once, then for every state-action
  pair give each next state its lower bound and pour the rest in sorted order (timed on a
  sample of the pairs for two sweeps, scaled to all pairs and to our number of sweeps);
* the same sort-based solution vectorised with numpy but recomputed from scratch at every
  sweep (:func:`infrabayes.sequential.murphy.interval_worst`; timed for a few sweeps, scaled).

Run: ``.venv/bin/python benchmarks/bench_infrabayes_mdp.py`` (or ``make bench``).
"""

from __future__ import annotations

import time

import numpy as np

from infrabayes.sequential import InfraMDP
from infrabayes.sequential.murphy import interval_worst

#: Issue 17's target for the largest size, in seconds.
TARGET_SECONDS = 10.0
#: (states, actions); next states = states.
SIZES = [(100, 10), (300, 10), (1000, 10)]
DISCOUNT = 0.9
#: Certified absolute sup-norm error.
ACCURACY = 1e-6
#: Pairs timed in the Python-loop baseline (a sample, every k-th pair), and its sweeps.
BASELINE_PAIRS = 400
BASELINE_SWEEPS = 2
#: Sweeps timed for the vectorised recompute-every-sweep baseline.
RECOMPUTE_SWEEPS = 3


def random_model(n_states: int, n_actions: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    p = rng.random((n_states, n_actions, n_states))
    p /= p.sum(axis=2, keepdims=True)
    w = rng.random((n_states, n_actions, n_states)) * 0.5
    lower = p * (1 - w)
    upper = np.minimum(p * (1 + w), 1.0)
    rewards = rng.random((n_states, n_actions))
    return lower, upper, rewards


def python_loop_values(
    values: list[float], lower: list[list[float]], upper: list[list[float]]
) -> list[float]:
    """Murphy's interval value for each given pair: the textbook loop, in plain Python."""
    order = sorted(range(len(values)), key=values.__getitem__)
    out = []
    for lo, up in zip(lower, upper, strict=True):
        budget = 1.0 - sum(lo)
        total = 0.0
        for j in order:
            extra = min(up[j] - lo[j], budget) if budget > 0 else 0.0
            budget -= extra
            total += (lo[j] + extra) * values[j]
        out.append(total)
    return out


def run(n_states: int, n_actions: int, rng: np.random.Generator) -> None:
    lower, upper, rewards = random_model(n_states, n_actions, rng)
    start = time.perf_counter()
    mdp = InfraMDP.from_arrays(lower, upper, rewards, DISCOUNT)
    build = time.perf_counter() - start
    tol = ACCURACY * (1 - DISCOUNT)  # relative to the width 1 / (1 - gamma) of the value range
    start = time.perf_counter()
    sol = mdp.solve("value-iteration", tol=tol)
    ours = time.perf_counter() - start
    sweeps = sol.iterations
    assert sol.converged
    assert sol.error_bound <= ACCURACY

    # Baseline 1: the plain Python loop on a sample of pairs, at our final values.
    flat_lower = lower.reshape(-1, n_states)
    flat_upper = upper.reshape(-1, n_states)
    n_pairs = flat_lower.shape[0]
    step = max(1, n_pairs // BASELINE_PAIRS)
    sample = np.arange(0, n_pairs, step)
    lo_list, up_list = flat_lower[sample].tolist(), flat_upper[sample].tolist()
    values = [float(v) for v in sol.values]
    start = time.perf_counter()
    for _ in range(BASELINE_SWEEPS):
        loop_values = python_loop_values(values, lo_list, up_list)
    per_pair = (time.perf_counter() - start) / (BASELINE_SWEEPS * len(sample))
    loop_total = per_pair * n_pairs * sweeps
    direct, _ = interval_worst(flat_lower[sample], flat_upper[sample], sol.values)
    assert np.allclose(loop_values, direct, rtol=0, atol=1e-12), "the loop disagrees"

    # Baseline 2: vectorised sort-based solution, recomputed at every sweep.
    v = np.zeros(n_states)
    flat_rewards = rewards.reshape(-1)
    start = time.perf_counter()
    for _ in range(RECOMPUTE_SWEEPS):
        murphy, _ = interval_worst(flat_lower, flat_upper, v)
        v = (flat_rewards + DISCOUNT * murphy).reshape(n_states, n_actions).max(axis=1)
    recompute_total = (time.perf_counter() - start) / RECOMPUTE_SWEEPS * sweeps

    line = (
        f"{n_states:>5} states x {n_actions} actions x {n_states:>5} next states: build "
        f"{build:6.2f} s; value iteration {ours:6.2f} s ({sweeps} sweeps, certified error "
        f"{sol.error_bound:.2g}); Python loop ~{loop_total:9.1f} s (timed {BASELINE_SWEEPS} "
        f"sweeps on {len(sample)} pairs, scaled to {n_pairs} pairs x {sweeps} sweeps), ratio "
        f"{loop_total / ours:6.0f}x; numpy recomputing each sweep ~{recompute_total:6.2f} s "
        f"(timed {RECOMPUTE_SWEEPS} sweeps, scaled), ratio {recompute_total / ours:4.1f}x"
    )
    if (n_states, n_actions) == SIZES[-1]:
        met = "met" if ours < TARGET_SECONDS else "NOT met"
        line += f"; target < {TARGET_SECONDS:.0f} s: {met}"
    print(line)


def main() -> None:
    rng = np.random.default_rng(20261117)
    print(
        f"Robust value iteration, interval credal sets, discount {DISCOUNT}, certified "
        f"sup-norm error <= {ACCURACY:g}"
    )
    for size in SIZES:
        run(*size, rng)


if __name__ == "__main__":
    main()
