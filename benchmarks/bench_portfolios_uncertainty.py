"""Benchmark uncertainty propagation (P.uncertainty) on the shipped ASL-4 example.

Target (issue 13): 10^5 samples of the shipped example in a few seconds. Every probability of
``portfolios/data/asl4_portfolio.yaml`` (latent ``p_fail``, assumption ``p_fail`` and each
entry of a conditional one, soundness errors) is replaced by a Beta distribution with the same
mean and a "prior sample size" ``a + b = 20`` (a 0 or 1 stays a number), and the whole
scenario set is propagated: P(unprotected) of each scenario, 10^5 samples each, the exact
probability for every draw (vectorised over samples on the compiled structure).

Baselines, measured in the same run on fewer samples and scaled linearly to 10^5:
- a per-sample loop over the same exact engine: for each draw, the structure with the drawn
  probabilities (``dataclasses.replace`` of its arrays) and ``all_fail_probability`` (the
  cheapest loop a user can write with the public API);
- a per-sample loop that rebuilds the portfolio from a dict and calls ``p_unprotected`` (what
  a user without this feature would write).

Also timed: the same propagation on 2 worker processes (``workers=2``; identical results).

Run: ``python benchmarks/bench_portfolios_uncertainty.py``.
"""

from __future__ import annotations

import copy
import dataclasses
import time

import numpy as np

import portfolios
from portfolios.probability import all_fail_probability

SAMPLES = 100_000
LOOP_SAMPLES = 1_000
DICT_LOOP_SAMPLES = 100
PRIOR = 20.0


def beta(p):
    if p in (0.0, 1.0):
        return p
    return {"beta": [PRIOR * p, PRIOR * (1.0 - p)]}


def uncertain_example() -> dict:
    data = portfolios.load(portfolios.EXAMPLE_PATH).to_dict()
    for entry in data.get("latent", {}).values():
        entry["p_fail"] = beta(entry["p_fail"])
    for entry in data["assumptions"].values():
        p = entry["p_fail"]
        if isinstance(p, dict):
            ((w, t),) = p.items()
            entry["p_fail"] = {w: {"holds": beta(t["holds"]), "fails": beta(t["fails"])}}
        else:
            entry["p_fail"] = beta(p)
    for entry in data["cases"].values():
        if "soundness_error" in entry:
            entry["soundness_error"] = beta(entry["soundness_error"])
    return data


def draws_as_points(data: dict, names: tuple[str, ...], row: np.ndarray) -> dict:
    """Return the dict with every Beta replaced by the drawn value (names as in Parameters).

    A parameter that does not enter the scenario was not reported; any value serves (0.5).
    """
    drawn = dict(zip(names, row.tolist(), strict=True))

    class _Values(dict):
        def __missing__(self, key):
            return 0.5

    value = _Values(drawn)
    out = copy.deepcopy(data)
    for key, entry in out.get("latent", {}).items():
        if isinstance(entry["p_fail"], dict):
            entry["p_fail"] = value[key]
    for key, entry in out["assumptions"].items():
        p = entry["p_fail"]
        if isinstance(p, dict) and "beta" in p:
            entry["p_fail"] = value[key]
        elif isinstance(p, dict):
            ((w, t),) = p.items()
            entry["p_fail"] = {
                w: {
                    s: value[f"{key}[{w} {s}]"] if isinstance(t[s], dict) else t[s]
                    for s in ("holds", "fails")
                }
            }
    for key, entry in out["cases"].items():
        if isinstance(entry.get("soundness_error"), dict):
            entry["soundness_error"] = value[f"soundness({key})"]
    return out


def main() -> None:
    data = uncertain_example()
    P = portfolios.Portfolio.from_dict(data)
    S = P.structure
    params = S.parameters
    print(f"{P!r}: {len(params)} Beta parameters, {SAMPLES} samples per scenario")
    total = 0.0
    results, times = {}, {}
    for s in P.scenarios:
        t0 = time.perf_counter()
        u = P.uncertainty(s, samples=SAMPLES, rng=2024)
        elapsed = time.perf_counter() - t0
        total += elapsed
        results[s], times[s] = u, elapsed
        print(
            f"  {s:<24} {elapsed:6.2f} s  mean {u.mean:.4g} (point {u.point_value:.4g}), "
            f"5% {u.quantiles[0.05]:.3g}, 95% {u.quantiles[0.95]:.3g}, "
            f"top driver {u.sensitivity[0].parameter} ({u.sensitivity[0].first_order:.2f})"
        )
    print(f"  all {len(P.scenarios)} scenarios: {total:.2f} s")

    s = "weight_exfiltration"
    t0 = time.perf_counter()
    parallel = P.uncertainty(s, samples=SAMPLES, rng=2024, workers=2)
    t_parallel = time.perf_counter() - t0
    assert np.array_equal(parallel.samples, results[s].samples)
    print(f"  {s} on 2 processes: {t_parallel:.2f} s (identical samples)")

    # ---- baseline 1: per-sample loop over the exact engine on a structure with new arrays
    u = results[s]
    cases = list(S.covering[s])
    full = P.uncertainty(s, samples=LOOP_SAMPLES, rng=2024)
    drawn = {n: full.parameter_samples[:, i] for i, n in enumerate(full.parameters)}
    t0 = time.perf_counter()
    loop = np.empty(LOOP_SAMPLES)
    for k in range(LOOP_SAMPLES):
        unit_p = np.array(S.unit_p)
        latent_p = np.array(S.latent_p)
        for slot, name in enumerate(params.names):
            if name in drawn:
                unit_p[params.unit_slot == slot] = drawn[name][k]
                latent_p[params.latent_slot == slot] = drawn[name][k]
        T = dataclasses.replace(S, unit_p=unit_p, latent_p=latent_p)
        loop[k] = all_fail_probability(T, cases)
    t_loop = (time.perf_counter() - t0) * SAMPLES / LOOP_SAMPLES
    assert np.allclose(loop, full.samples, rtol=1e-12, atol=0)
    one = times[s]
    print(
        f"  per-sample loop over the exact engine ({LOOP_SAMPLES} samples, scaled): "
        f"{t_loop:.1f} s for {SAMPLES}; vectorised (sensitivity included): {one:.2f} s: "
        f"{t_loop / one:.0f}x"
    )

    # ---- baseline 2: rebuild the portfolio from a dict for every draw
    t0 = time.perf_counter()
    for k in range(DICT_LOOP_SAMPLES):
        Q = portfolios.Portfolio.from_dict(
            draws_as_points(data, full.parameters, full.parameter_samples[k])
        )
        value = Q.p_unprotected(s)
        assert abs(value - full.samples[k]) <= 1e-12 * value
    t_dict = (time.perf_counter() - t0) * SAMPLES / DICT_LOOP_SAMPLES
    print(
        f"  per-sample loop rebuilding the portfolio ({DICT_LOOP_SAMPLES} samples, scaled): "
        f"{t_dict:.1f} s for {SAMPLES}: {t_dict / one:.0f}x"
    )


if __name__ == "__main__":
    main()
