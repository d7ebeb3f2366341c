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

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from . import _html
from ._arrays import readonly
from ._parallel import Workers, check_workers, run_chunks, seed_sequence
from ._table import text_table
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


@dataclass(frozen=True)
class Sensitivity:
    """How much one parameter's uncertainty drives the output (module docstring).

    Attributes
    ----------
    parameter : str
    spearman : float
        Spearman's rank correlation with the output (nan if either is constant).
    first_order : float
        The estimated first-order index (nan if the output is constant).
    """

    parameter: str
    spearman: float
    first_order: float


@dataclass(frozen=True, eq=False)
class Uncertainty:
    """The distribution of P(every target fails) under uncertain parameters.

    Attributes
    ----------
    targets : tuple of str
    scenario : str or None
    samples : ndarray, shape (N,)
        The sample of P(U), read-only.
    parameters : tuple of str
        The distribution parameters that enter the computation.
    parameter_samples : ndarray, shape (N, len(parameters))
        Their draws, read-only.
    mean, std : float
        The sample mean and standard deviation (``ddof=1``) of P(U).
    standard_error : float
        ``std / sqrt(N)``: the Monte Carlo error of ``mean``.
    point_value : float
        P(U) with every distribution at its mean (what ``p_unprotected`` gives).
    quantiles : mapping of float to float
        Level -> quantile of the sample (numpy's default, linear interpolation).
    sensitivity : tuple of Sensitivity
        By decreasing first-order index.
    estimator : str
        How the first-order index was estimated.
    seed : int or tuple
        The entropy of the root ``SeedSequence`` (rerun with it to reproduce the sample).
    """

    targets: tuple[str, ...]
    scenario: str | None
    samples: np.ndarray
    parameters: tuple[str, ...]
    parameter_samples: np.ndarray
    mean: float
    std: float
    point_value: float
    quantiles: Mapping[float, float]
    sensitivity: tuple[Sensitivity, ...]
    estimator: str
    seed: Any

    def __post_init__(self) -> None:
        object.__setattr__(self, "samples", readonly(self.samples, float))
        object.__setattr__(self, "parameter_samples", readonly(self.parameter_samples, float))
        object.__setattr__(self, "quantiles", MappingProxyType(dict(self.quantiles)))

    @property
    def n_samples(self) -> int:
        """The number of samples."""
        return len(self.samples)

    @property
    def standard_error(self) -> float:
        """``std / sqrt(N)``."""
        return self.std / math.sqrt(self.n_samples)

    def quantile(self, q: float | Sequence[float]) -> Any:
        """Return the sample quantile(s) at level(s) ``q`` (linear interpolation)."""
        levels = np.asarray(q, dtype=float)
        if not np.all((levels >= 0.0) & (levels <= 1.0)):
            raise PortfolioError(None, f"quantile levels must be in [0, 1], got {q!r}")
        out = np.quantile(self.samples, levels)
        return float(out) if out.ndim == 0 else out

    def to_text(self) -> str:
        """Return a plain-text summary: the moments, quantiles and sensitivity table."""
        what = self.scenario or ", ".join(self.targets)
        lines = [
            f"P(unprotected) for {what}: {self.n_samples} samples",
            f"  mean {self.mean:.4g} (standard error {self.standard_error:.2g}), "
            f"std {self.std:.4g}, point value {self.point_value:.4g}",
            "  quantiles " + ", ".join(f"{100 * q:g}%: {v:.4g}" for q, v in self.quantiles.items()),
        ]
        if self.sensitivity:
            rows = [
                [s.parameter, f"{s.first_order:.3f}", f"{s.spearman:+.3f}"]
                for s in self.sensitivity
            ]
            body = text_table(["parameter", "first order", "spearman"], rows, [11, 8])
            lines += [f"  {line}" for line in body]
            lines.append(f"  first order: {self.estimator}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        what = self.scenario or ", ".join(self.targets)
        q = ", ".join(f"{100 * k:g}%={v:.3g}" for k, v in self.quantiles.items())
        return (
            f"Uncertainty({what}: mean={self.mean:.4g}, std={self.std:.3g}, {q}, "
            f"n_samples={self.n_samples})"
        )

    def _repr_html_(self) -> str:
        """Return the HTML tables Jupyter shows: moments and quantiles, then the sensitivity."""
        what = self.scenario or ", ".join(self.targets)
        items = [
            ("mean", f"{self.mean:.4g}"),
            ("standard error of the mean", f"{self.standard_error:.2g}"),
            ("std", f"{self.std:.4g}"),
            ("point value", f"{self.point_value:.4g}"),
            *((f"{100 * q:g}% quantile", f"{v:.4g}") for q, v in self.quantiles.items()),
        ]
        parts = [_html.pairs(items)]
        if self.sensitivity:
            rows = [
                [s.parameter, f"{s.first_order:.3f}", f"{s.spearman:+.3f}"]
                for s in self.sensitivity
            ]
            head = ["parameter", "first-order index", "Spearman"]
            parts.append(_html.table(head, rows, "lrr", caption=f"first order: {self.estimator}"))
        return _html.document(f"P(unprotected) for {what}: {self.n_samples} samples", *parts)


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


def _ranks(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the average ranks of ``x`` (ties share their mean rank) and its sorting order."""
    order = np.argsort(x)  # ties get their mean rank below, whatever their order here
    ordered = x[order]
    starts = np.concatenate([[0], np.flatnonzero(np.diff(ordered)) + 1])
    ends = np.concatenate([starts[1:], [len(x)]])
    ranks = np.empty(len(x))
    ranks[order] = np.repeat((starts + ends + 1) / 2.0, ends - starts)
    return ranks, order


def _correlation(rx: np.ndarray, ry: np.ndarray) -> float:
    """Pearson's correlation of two rank vectors (nan if either is constant)."""
    dx, dy = rx - rx.mean(), ry - ry.mean()  # numpy's pairwise sums, not BLAS (threads)
    denominator = math.sqrt(float(np.sum(dx * dx)) * float(np.sum(dy * dy)))
    return float(np.sum(dx * dy)) / denominator if denominator > 0 else math.nan


def _first_order(order: np.ndarray, y: np.ndarray, bins: int) -> float:
    """Between-bin variance of ``y`` over ``bins`` equal-count bins of ``order``, over Var(y)."""
    centred = y - y.mean()
    total = float(np.sum(centred * centred))
    if total <= 0.0:
        return math.nan
    between = math.fsum(
        len(part) * float(part.mean()) ** 2 for part in np.array_split(centred[order], bins)
    )
    return between / total


def _sensitivity(names: Sequence[str], draws: np.ndarray, y: np.ndarray) -> tuple[Sensitivity, ...]:
    bins = max(2, round(len(y) ** (1.0 / 3.0)))
    ry, _ = _ranks(y)
    rows = []
    for i, name in enumerate(names):
        rx, order = _ranks(draws[:, i])
        rows.append(Sensitivity(name, _correlation(rx, ry), _first_order(order, y, bins)))

    def key(row: Sensitivity) -> tuple[float, str]:
        first = -1.0 if math.isnan(row.first_order) else row.first_order
        return (-first, row.parameter)

    return tuple(sorted(rows, key=key))


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
    bins = max(2, round(samples ** (1.0 / 3.0)))
    sensitivity = _sensitivity(names, used, values)
    return Uncertainty(
        targets=tuple(targets),
        scenario=scenario,
        samples=values,
        parameters=names,
        parameter_samples=used,
        mean=float(np.mean(values)),
        std=float(np.std(values, ddof=1)),
        point_value=min(1.0, max(0.0, point)),
        quantiles={q: float(np.quantile(values, q)) for q in levels},
        sensitivity=sensitivity,
        estimator=(
            f"between-bin variance over {bins} equal-count bins of each parameter (given-data "
            "estimator; bias about (bins - 1) / N)"
        ),
        seed=root.entropy,
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
