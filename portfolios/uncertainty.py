"""Second-order uncertainty: distributions on the probabilities, propagated by Monte Carlo.

Definitions
-----------
When probabilities are distributions (:mod:`portfolios.values`: elicited beliefs with
spread), ``P(U)``, the probability that every covering case fails, is itself uncertain: a
function of the uncertain parameters. :func:`uncertainty` draws the parameters, computes
``P(U)`` *exactly* for every draw (the ``"exact"`` method, run once on the whole array of
draws: :func:`portfolios.probability.state_probabilities`), and returns the sample of
``P(U)`` with its mean, standard deviation, quantiles and a sensitivity table.

* A parameter named by several probabilities (``{param: NAME}``) is drawn **once** per sample
  and serves them all: the state-of-knowledge correlation of probabilistic safety
  assessment. Two cases resting on assumptions with the same Beta parameter ``p`` have
  ``E[P(U)] = E[p^2] = var(p) + mean(p)^2``, more than ``mean(p)^2``, which is what the point
  value (every distribution at its mean) gives.
* Every distribution parameter of the portfolio is drawn, in the order of
  :class:`~portfolios.parameters.Parameters`, whether or not it enters this scenario, so that
  one seed gives the same parameter draws for every scenario (common random numbers).
* An interval is not a distribution (it says nothing about which values are likelier):
  :func:`uncertainty` refuses a computation that depends on one and names
  :func:`portfolios.bounds.bounds`, or ``{uniform: [lo, hi]}`` for a uniform belief.

Sampling and reproducibility
----------------------------
The samples come in blocks of :data:`BLOCK` draws; block ``i`` uses the ``i``-th child of
``numpy.random.SeedSequence(rng).spawn(n_blocks)`` with the PCG64 generator. A block's draws
depend only on its seed, so the result is bitwise identical whatever the ``workers``
(serial, threads or processes), and the first ``n`` samples of a
larger run with the same ``rng`` are the same.

Sensitivity
-----------
For each parameter ``X`` that enters the computation, with ``Y = P(U)``:

``spearman``
    Spearman's rank correlation of ``X`` and ``Y`` over the samples (average ranks for ties;
    ``nan`` when either is constant): the direction and monotone strength of the effect.
``first_order``
    The first-order (Sobol') index ``Var(E[Y | X]) / Var(Y)``: the share of the output's
    variance that ``X`` alone explains. Estimated from the given sample, without extra model
    runs, by *equal-count binning*: the samples sorted by ``X`` are split into
    ``M = max(2, round(N^(1/3)))`` bins of (nearly) equal size, and the estimate is the
    between-bin variance of ``Y`` over its total variance (the given-data estimator of
    Plischke, Borgonovo and Smith, "Global sensitivity measures from given data", European
    Journal of Operational Research 226, 2013). Its bias is about ``(M - 1) / N`` upwards
    for a parameter without effect (0.002 for ``N = 10,000``), plus a downward
    discretisation error of order ``1 / M^2`` for a smooth effect.

The result, :class:`Uncertainty`, is also what a fault tree's uncertainty analysis returns
(:meth:`FaultTree.uncertainty <portfolios.faulttree.FaultTree.uncertainty>`: the probability
of a gate over the model's deviates, with the same sensitivity table).

Examples
--------
>>> import portfolios
>>> P = portfolios.Portfolio.from_dict({
...     "assumptions": {"A": {"statement": "a", "p_fail": {"beta": [2, 8]}}},
...     "cases": {"X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]}},
...     "scenarios": {"S": {"statement": "s"}},
... })
>>> u = uncertainty(P.structure, "S", samples=20_000, rng=1)
>>> round(u.mean, 2), round(u.quantiles[0.5], 2)  # Beta(2, 8): mean 0.2, median 0.18
(0.2, 0.18)
>>> u.sensitivity[0].parameter, round(u.sensitivity[0].spearman, 6)
('A', 1.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._parallel import Workers, check_workers, run_chunks, seed_sequence
from ._uncertaintyresult import (
    Sensitivity,
    Uncertainty,
    estimator,
    sample_moments,
    sensitivity,
)
from .errors import PortfolioError, UnknownIdError, did_you_mean
from .probability import ExactPlan, exact_plan, state_probabilities, state_weights
from .structure import Structure, covering_cases
from .values import Distribution, Interval

__all__ = [
    "BLOCK",
    "DEFAULT_QUANTILES",
    "Sensitivity",
    "Uncertainty",
    "joint_uncertainty",
    "uncertainty",
]

#: Samples per seeded block (the unit of reproducibility and of parallel work).
BLOCK = 8192
#: The quantile levels reported by default.
DEFAULT_QUANTILES = (0.05, 0.5, 0.95)
#: Cells of the dynamic programme evaluated at once (memory per worker: 8 bytes each).
_CELLS_AT_ONCE = 2**21


@dataclass(frozen=True, eq=False)
class _Payload:
    """What one block needs (picklable: sent to worker processes)."""

    plan: ExactPlan
    unit_p: np.ndarray  # (n, 2) point values of the plan's units
    unit_column: np.ndarray  # (n, 2) draw column setting each, or -1
    latent_p: np.ndarray  # (r,) point values of the plan's latent variables
    latent_column: np.ndarray  # (r,)
    distributions: tuple[Distribution, ...]  # every distribution parameter, in table order
    rows_at_once: int


def _draws(payload: _Payload, seed: np.random.SeedSequence) -> np.ndarray:
    generator = np.random.Generator(np.random.PCG64(seed))
    out = np.empty((BLOCK, len(payload.distributions)))
    for i, d in enumerate(payload.distributions):
        out[:, i] = d.sample(generator, BLOCK)
    return out


def _run_block(task: tuple[_Payload, np.random.SeedSequence, int]) -> tuple[np.ndarray, np.ndarray]:
    """Return P(U) and the parameter draws of one block (the first ``size`` samples)."""
    payload, seed, size = task
    draws = _draws(payload, seed)[:size]
    n, r = len(payload.unit_p), len(payload.latent_p)
    unit_p = np.empty((size, n, 2))
    unit_p[:] = payload.unit_p
    rows, cols = np.nonzero(payload.unit_column >= 0)
    unit_p[:, rows, cols] = draws[:, payload.unit_column[rows, cols]]
    latent_p = np.empty((size, r))
    latent_p[:] = payload.latent_p
    (which,) = np.nonzero(payload.latent_column >= 0)
    latent_p[:, which] = draws[:, payload.latent_column[which]]
    out = np.empty(size)
    step = payload.rows_at_once
    for start in range(0, size, step):
        stop = min(size, start + step)
        per_state = state_probabilities(payload.plan, unit_p[start:stop])
        weights = state_weights(latent_p[start:stop])
        out[start:stop] = np.sum(weights * per_state, axis=1)
    return np.clip(out, 0.0, 1.0), draws


def joint_uncertainty(
    structure: Structure,
    targets: Sequence[str],
    *,
    samples: int = 10_000,
    rng: Any = 0,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
    workers: Workers = 1,
    scenario: str | None = None,
) -> Uncertainty:
    """Propagate the distributions to P(every target fails) (module docstring).

    Parameters
    ----------
    structure : Structure
        The compiled portfolio (``Portfolio.structure``).
    targets : sequence of str
        Case or assumption ids.
    samples : int
        The number of samples.
    rng : int, SeedSequence, Generator or None
        The root seed: an int (or ints), a ``SeedSequence`` (the same one gives the same
        sample), None (fresh entropy) or a ``Generator`` (a seed is drawn from it, advancing
        it); the result records the root's entropy in ``seed``.
    quantiles : sequence of float
        The levels to report (any more with :meth:`Uncertainty.quantile`).
    workers : int or map-like callable
        SciPy's convention: ``1`` (default) in this process, ``n`` processes, ``-1`` one per
        CPU, or ``workers(func, iterable)`` (threads, a process pool, a cluster's executor).
        The result does not depend on it.
    scenario : str, optional
        Recorded in the result.

    Returns
    -------
    Uncertainty
    """
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 2:
        raise PortfolioError(None, f"samples must be an integer >= 2, got {samples!r}")
    levels = tuple(float(q) for q in quantiles)
    if not all(0.0 <= q <= 1.0 for q in levels):
        raise PortfolioError(None, f"quantile levels must be in [0, 1], got {quantiles!r}")
    workers = check_workers(workers)
    root = seed_sequence(rng)
    if isinstance(targets, str) or len(targets) == 0:
        raise PortfolioError(None, "need a non-empty sequence of case or assumption ids")
    for t in targets:
        if t not in structure.paths:
            hint = did_you_mean(t, structure.paths)
            raise UnknownIdError(None, f"unknown case or assumption {t!r}{hint}")
    plan = exact_plan(structure, targets)
    params = structure.parameters
    variables = list(plan.variables)
    unit_slot = params.unit_slot[plan.units]
    latent_slot = params.latent_slot[variables]
    slots = {int(s) for s in unit_slot.ravel()} | {int(s) for s in latent_slot}
    involved = sorted(slots - {-1})
    intervals = [params.names[i] for i in involved if isinstance(params.values[i], Interval)]
    if intervals:
        raise PortfolioError(
            None,
            f"uncertainty propagates distributions, and {', '.join(intervals)} "
            "(an interval) has none: an interval says nothing about which values are likelier. "
            "Use bounds (P.bounds(scenario)) for it, or write {uniform: [lo, hi]} if every "
            "value of the range is equally likely",
        )
    drawn = params.distributions
    column = np.full(len(params) + 1, -1, dtype=np.intp)  # index -1 (a number) stays -1
    column[list(drawn)] = np.arange(len(drawn))
    distributions = tuple(params.values[i] for i in drawn)
    assert all(isinstance(d, Distribution) for d in distributions)
    payload = _Payload(
        plan=plan,
        unit_p=np.asarray(structure.unit_p[plan.units], dtype=float),
        unit_column=column[unit_slot],
        latent_p=np.asarray(structure.latent_p[variables], dtype=float),
        latent_column=column[latent_slot],
        distributions=distributions,  # type: ignore[arg-type]
        rows_at_once=max(1, _CELLS_AT_ONCE // plan.cells),
    )
    n_blocks = -(-samples // BLOCK)
    seeds = root.spawn(n_blocks)
    sizes = [min(BLOCK, samples - i * BLOCK) for i in range(n_blocks)]
    results = run_chunks(
        _run_block, [(payload, s, n) for s, n in zip(seeds, sizes, strict=True)], workers
    )
    values = np.concatenate([r[0] for r in results])
    draws = np.concatenate([r[1] for r in results])
    names = tuple(params.names[i] for i in involved)
    used = draws[:, column[list(involved)]] if involved else np.empty((samples, 0))
    point_states = state_probabilities(plan, payload.unit_p)
    point = float(np.sum(state_weights(payload.latent_p) * point_states))
    mean, std = sample_moments(values)
    return Uncertainty(
        targets=tuple(targets),
        scenario=scenario,
        samples=values,
        parameters=names,
        parameter_samples=used,
        mean=mean,
        std=std,
        point_value=min(1.0, max(0.0, point)),
        quantiles={q: float(np.quantile(values, q)) for q in levels},
        sensitivity=sensitivity(names, used, values),
        estimator=estimator(samples),
        seed=root.entropy,
        engine="exact",
    )


def uncertainty(
    structure: Structure,
    scenario: str,
    *,
    samples: int = 10_000,
    rng: Any = 0,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
    workers: Workers = 1,
) -> Uncertainty:
    """Propagate the distributions to P(``scenario`` is unprotected) (module docstring).

    Keywords as :func:`joint_uncertainty`.
    """
    return joint_uncertainty(
        structure,
        covering_cases(structure, scenario),
        samples=samples,
        rng=rng,
        quantiles=quantiles,
        workers=workers,
        scenario=scenario,
    )
