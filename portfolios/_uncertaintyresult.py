r"""The result of an uncertainty analysis, for portfolios and fault trees alike.

:class:`Uncertainty` is what :func:`portfolios.uncertainty.uncertainty` (a portfolio's
``P(unprotected)``) and :meth:`FaultTree.uncertainty
<portfolios.faulttree.FaultTree.uncertainty>` (a gate's probability) return: the sample of the
output, the draws of the uncertain parameters that enter it, the moments, quantiles, point
value and the sensitivity table of :func:`sensitivity`.

The sensitivity measures (Spearman's rank correlation and the first-order index estimated by
equal-count binning) are defined in :mod:`portfolios.uncertainty`, which re-exports this
module's public names.

Examples
--------
>>> import numpy as np
>>> x = np.random.default_rng(0).uniform(size=(1000, 2))
>>> rows = sensitivity(["a", "b"], x, x[:, 0] ** 2)  # b has no effect
>>> [(s.parameter, round(s.spearman, 2), round(s.first_order, 2)) for s in rows]
[('a', 1.0, 0.99), ('b', -0.06, 0.01)]
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
from ._table import text_table
from .errors import PortfolioError

__all__ = [
    "HISTOGRAM_BINS",
    "Sensitivity",
    "Uncertainty",
    "estimator",
    "sample_moments",
    "sensitivity",
]

#: Bins of :attr:`Uncertainty.histogram`.
HISTOGRAM_BINS = 20


@dataclass(frozen=True)
class Sensitivity:
    """How much one parameter's uncertainty drives the output (:mod:`portfolios.uncertainty`).

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
    """The distribution of an uncertain probability: a sample, its summary and sensitivity.

    For a portfolio the output is P(every target fails) (``P(unprotected)`` of ``scenario``);
    for a fault tree it is the probability of a gate, ``targets == (gate,)``, and the
    parameters are the model's deviates.

    Attributes
    ----------
    targets : tuple of str
        The case or assumption ids, or the fault tree's gate.
    scenario : str or None
        The portfolio's scenario (None for a fault tree or a joint analysis).
    samples : ndarray, shape (N,)
        The sample of the output, read-only.
    parameters : tuple of str
        The uncertain parameters that enter the computation: a portfolio's distribution
        parameters, or a fault tree's deviates (named by the parameter, basic event or CCF
        group that holds them).
    parameter_samples : ndarray, shape (N, len(parameters))
        Their draws, read-only.
    mean, std : float
        The sample mean and standard deviation (``ddof=1``) of the output.
    standard_error : float
        ``std / sqrt(N)``: the Monte Carlo error of ``mean``.
    point_value : float
        The output with every distribution at its mean (what ``p_unprotected`` or
        ``FaultTree.probability`` gives).
    quantiles : mapping of float to float
        Level -> quantile of the sample (numpy's default, linear interpolation).
    sensitivity : tuple of Sensitivity
        By decreasing first-order index.
    estimator : str
        How the first-order index was estimated.
    seed : int or tuple
        The entropy of the root ``SeedSequence`` (rerun with it to reproduce the sample).
    engine : str
        What computed each sample: ``"exact"`` (a portfolio's exact method) or the BDD
        library of a fault tree.
    quantity : str or None
        How the output is named in reports (default: ``P(unprotected) for`` the scenario or
        targets).

    Notes
    -----
    The fault tree's former result class had ``gate``, ``point``, ``backend``,
    ``quantile_levels`` and ``histogram``: they remain, as read-only aliases (properties).
    Its ``quantiles`` was an array in the order of ``quantile_levels``; it is now the
    mapping, and ``u.quantile(u.quantile_levels)`` gives that array.
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
    engine: str = "exact"
    quantity: str | None = None

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

    @property
    def histogram(self) -> tuple[np.ndarray, np.ndarray]:
        """The counts and bin edges of the sample in 20 equal bins (read-only).

        Any other binning: ``numpy.histogram(u.samples, bins)``.
        """
        counts, edges = np.histogram(self.samples, bins=HISTOGRAM_BINS)
        return readonly(counts), readonly(edges, float)

    @property
    def gate(self) -> str | None:
        """The single target (a fault tree's gate), or None if there are several."""
        return self.targets[0] if len(self.targets) == 1 else None

    @property
    def point(self) -> float:
        """Alias of ``point_value`` (the fault tree's former name)."""
        return self.point_value

    @property
    def backend(self) -> str:
        """Alias of ``engine`` (the fault tree's former name)."""
        return self.engine

    @property
    def quantile_levels(self) -> np.ndarray:
        """The levels of ``quantiles``, in order (read-only)."""
        return readonly(list(self.quantiles), float)

    def quantile(self, q: float | Sequence[float]) -> Any:
        """Return the sample quantile(s) at level(s) ``q`` (linear interpolation)."""
        levels = np.asarray(q, dtype=float)
        if not np.all((levels >= 0.0) & (levels <= 1.0)):
            raise PortfolioError(None, f"quantile levels must be in [0, 1], got {q!r}")
        out = np.quantile(self.samples, levels)
        return float(out) if out.ndim == 0 else out

    def _what(self) -> str:
        return self.scenario or ", ".join(self.targets)

    def _title(self) -> str:
        return self.quantity or f"P(unprotected) for {self._what()}"

    def _rows(self) -> list[list[str]]:
        return [
            [s.parameter, f"{s.first_order:.3f}", f"{s.spearman:+.3f}".replace("+nan", "nan")]
            for s in self.sensitivity
        ]

    def to_text(self) -> str:
        """Return a plain-text summary: the moments, quantiles and sensitivity table."""
        engine = "" if self.engine == "exact" else f" ({self.engine})"
        lines = [
            f"{self._title()}: {self.n_samples} samples{engine}",
            f"  mean {self.mean:.4g} (standard error {self.standard_error:.2g}), "
            f"std {self.std:.4g}, point value {self.point_value:.4g}",
            "  quantiles " + ", ".join(f"{100 * q:g}%: {v:.4g}" for q, v in self.quantiles.items()),
        ]
        if self.sensitivity:
            body = text_table(["parameter", "first order", "spearman"], self._rows(), [11, 8])
            lines += [f"  {line}" for line in body]
            lines.append(f"  first order: {self.estimator}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        q = ", ".join(f"{100 * k:g}%={v:.3g}" for k, v in self.quantiles.items())
        return (
            f"Uncertainty({self._what()}: mean={self.mean:.4g}, std={self.std:.3g}, {q}, "
            f"n_samples={self.n_samples})"
        )

    def _repr_html_(self) -> str:
        """Return the HTML tables Jupyter shows: moments and quantiles, then the sensitivity."""
        items = [
            ("mean", f"{self.mean:.4g}"),
            ("standard error of the mean", f"{self.standard_error:.2g}"),
            ("std", f"{self.std:.4g}"),
            ("point value", f"{self.point_value:.4g}"),
            *((f"{100 * q:g}% quantile", f"{v:.4g}") for q, v in self.quantiles.items()),
            ("engine", self.engine),
        ]
        parts = [_html.pairs(items)]
        if self.sensitivity:
            head = ["parameter", "first-order index", "Spearman"]
            parts.append(
                _html.table(head, self._rows(), "lrr", caption=f"first order: {self.estimator}")
            )
        return _html.document(f"{self._title()}: {self.n_samples} samples", *parts)


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


def _constant(y: np.ndarray) -> bool:
    """Whether every value of ``y`` is the same (then its variance is exactly 0)."""
    return len(y) == 0 or bool(np.all(y == y[0]))


def sample_moments(y: np.ndarray) -> tuple[float, float]:
    """Return the mean and standard deviation (``ddof=1``) of a sample of two or more values.

    A constant sample gives its value and exactly 0 (the mean's rounding would otherwise
    leave a spurious spread of order 1e-17).

    Examples
    --------
    >>> sample_moments(np.full(3, 0.1))
    (0.1, 0.0)
    >>> sample_moments(np.array([1.0, 3.0]))
    (2.0, 1.4142135623730951)
    """
    y = np.asarray(y, dtype=float)
    if len(y) < 2:
        raise PortfolioError(None, f"the moments need two or more values, got {len(y)}")
    if _constant(y):
        return float(y[0]), 0.0
    return float(np.mean(y)), float(np.std(y, ddof=1))


def _first_order(order: np.ndarray, y: np.ndarray, bins: int) -> float:
    """Between-bin variance of ``y`` over ``bins`` equal-count bins of ``order``, over Var(y)."""
    if _constant(y):
        return math.nan  # y - mean(y) is rounding noise, and noise over noise is no index
    centred = y - y.mean()
    total = float(np.sum(centred * centred))
    if total <= 0.0:
        return math.nan
    between = math.fsum(
        len(part) * float(part.mean()) ** 2 for part in np.array_split(centred[order], bins)
    )
    return between / total


def _bins(n: int) -> int:
    return max(2, round(n ** (1.0 / 3.0)))


def sensitivity(names: Sequence[str], draws: np.ndarray, y: np.ndarray) -> tuple[Sensitivity, ...]:
    """Return the sensitivity of ``y`` to each column of ``draws`` (:mod:`portfolios.uncertainty`).

    Parameters
    ----------
    names : sequence of str
        One per column of ``draws``.
    draws : ndarray, shape (N, len(names))
    y : ndarray, shape (N,)

    Returns
    -------
    tuple of Sensitivity
        By decreasing first-order index (nan last), then by name.
    """
    bins = _bins(len(y))
    ry, _ = _ranks(y)
    rows = []
    for i, name in enumerate(names):
        rx, order = _ranks(draws[:, i])
        rows.append(Sensitivity(name, _correlation(rx, ry), _first_order(order, y, bins)))

    def key(row: Sensitivity) -> tuple[float, str]:
        first = -1.0 if math.isnan(row.first_order) else row.first_order
        return (-first, row.parameter)

    return tuple(sorted(rows, key=key))


def estimator(n: int) -> str:
    """Return the description of the first-order estimator for ``n`` samples."""
    return (
        f"between-bin variance over {_bins(n)} equal-count bins of each parameter (given-data "
        "estimator; bias about (bins - 1) / N)"
    )
