r"""Uncertainty analysis of a fault tree: Monte Carlo over the parameters, exact per trial.

Definitions
-----------
The basic events' probabilities are expressions of uncertain parameters (the deviates of
:mod:`portfolios.mefexpr`). A *trial* draws every deviate once (a parameter shared by several
basic events is one draw for all of them: the state-of-knowledge correlation), evaluates every
basic event's probability, and computes the gate's probability *exactly* on the compiled BDD.
The BDD is compiled once; the trials are evaluated together, as columns of one bottom-up pass
(:func:`portfolios.ftengine.probability`), so a trial costs a few floating-point operations per
BDD node. CCF groups are recomputed per trial from their sampled distribution and factors.

Reproducibility: the trials are split into chunks of :data:`CHUNK` (fixed, whatever the number
of workers); chunk ``i`` draws from the ``i``-th child of one :class:`numpy.random.SeedSequence`.
``workers`` follows SciPy's convention: an int (processes; ``-1`` for all cores) or a map-like
callable; the result is the same for every choice.

The result reports the mean, the standard deviation (``ddof=1``), quantiles (numpy's default,
linear interpolation), a histogram, the point value (deviates at their means) and the samples
themselves.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _html, ftengine, mefexpr
from ._arrays import readonly
from .errors import PortfolioError

__all__ = ["CHUNK", "HISTOGRAM_BINS", "QUANTILES", "Uncertainty", "propagate"]

#: Trials per chunk (each chunk has its own child seed).
CHUNK = 4_096
#: The quantile levels reported.
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
#: Bins of the histogram.
HISTOGRAM_BINS = 20


@dataclass(frozen=True, eq=False)
class Uncertainty:
    """The distribution of a gate's probability over the parameters' uncertainty.

    Attributes
    ----------
    gate : str
    point : float
        The probability with every deviate at its mean.
    mean, std : float
        Of the sampled probabilities (``std`` with ``ddof=1``).
    quantile_levels, quantiles : ndarray
        :data:`QUANTILES` and the sampled probabilities' quantiles at them.
    histogram : (ndarray, ndarray)
        Counts and bin edges (:data:`HISTOGRAM_BINS` bins).
    samples : ndarray
        The probability of the gate in each trial (read-only).
    backend : str
    """

    gate: str
    point: float
    mean: float
    std: float
    quantile_levels: np.ndarray
    quantiles: np.ndarray
    histogram: tuple[np.ndarray, np.ndarray]
    samples: np.ndarray
    backend: str

    def __post_init__(self) -> None:
        for name in ("quantile_levels", "quantiles", "samples"):
            object.__setattr__(self, name, readonly(getattr(self, name), float))
        counts, edges = self.histogram
        object.__setattr__(self, "histogram", (readonly(counts, float), readonly(edges, float)))

    def quantile(self, level: float) -> float:
        """Return the sampled probabilities' quantile at ``level``."""
        return float(np.quantile(self.samples, level))

    def __repr__(self) -> str:
        q = ", ".join(
            f"{lv:g}: {v:.4g}" for lv, v in zip(self.quantile_levels, self.quantiles, strict=True)
        )
        return (
            f"Uncertainty({self.gate!r}: mean {self.mean:.4g}, std {self.std:.3g}, point "
            f"{self.point:.4g}, {len(self.samples)} trials; quantiles {q})"
        )

    def _repr_html_(self) -> str:
        """Return the HTML table Jupyter shows: point value, moments and quantiles."""
        items = [
            ("point value (deviates at their means)", f"{self.point:.4g}"),
            ("mean", f"{self.mean:.4g}"),
            ("std", f"{self.std:.4g}"),
            *(
                (f"{lv:g} quantile", f"{v:.4g}")
                for lv, v in zip(self.quantile_levels, self.quantiles, strict=True)
            ),
        ]
        title = f"Uncertainty of {self.gate}: {len(self.samples)} trials ({self.backend})"
        return _html.document(title, _html.pairs(items))


@dataclass(frozen=True)
class _Task:
    """Everything one chunk needs (picklable: workers may be processes)."""

    diagram: ftengine.Diagram
    root: int
    program: mefexpr.Program
    # per BDD variable: ("node", index) | ("const", p) | ("ccf", group index, level)
    sources: tuple[tuple[Any, ...], ...]
    # per CCF group: (model, m, distribution node, factor nodes, factor levels)
    groups: tuple[
        tuple[str, int, int | None, tuple[int, ...], tuple[int, ...], float, tuple[float, ...]], ...
    ]
    labels: tuple[str, ...]
    places: tuple[tuple[str | None, int | None], ...]


def _level_probabilities(
    model: str, m: int, Q: np.ndarray, levels: Sequence[int], values: Sequence[np.ndarray]
) -> dict[int, np.ndarray]:
    """Vectorised :meth:`portfolios.faulttree.CCFGroup.level_probabilities`."""
    if model == "beta-factor":
        return {1: (1.0 - values[0]) * Q, m: values[0] * Q}
    if model == "phi-factor":
        return {lv: v * Q for lv, v in zip(levels, values, strict=True)}
    if model == "alpha-factor":
        total = sum(lv * v for lv, v in zip(levels, values, strict=True))
        return {
            k: k * v * Q / (math.comb(m - 1, k - 1) * total)
            for k, v in zip(levels, values, strict=True)
        }
    rho = [np.ones_like(Q), *values]  # MGL
    out = {}
    for k in range(1, len(rho) + 1):
        tail = 1.0 - rho[k] if k < len(rho) else 1.0
        out[k] = np.prod(rho[:k], axis=0) * tail * Q / math.comb(m - 1, k - 1)
    return out


def _chunk(args: tuple[_Task, np.random.SeedSequence, int]) -> np.ndarray:
    task, seed, n = args
    rng = np.random.default_rng(seed)
    values = task.program.sample(rng, n)
    ccf: list[dict[int, np.ndarray]] = []
    for model, m, dist, factors, levels, q0, f0 in task.groups:
        Q = np.broadcast_to(values[dist] if dist is not None else q0, (n,))
        fs = [
            np.broadcast_to(values[i] if i >= 0 else f, (n,))
            for i, f in zip(factors, f0, strict=True)
        ]
        ccf.append(_level_probabilities(model, m, Q, levels, fs))
    p = np.empty((task.diagram.n_vars, n))
    for v, source in enumerate(task.sources):
        if source[0] == "node":
            p[v] = values[source[1]]
        elif source[0] == "const":
            p[v] = source[1]
        else:
            p[v] = ccf[source[1]][source[2]]
    bad = ~((p >= 0.0) & (p <= 1.0))
    if bad.any():
        v = int(np.flatnonzero(bad.any(axis=1))[0])
        file, line = task.places[v]
        trial = float(p[v][bad[v]][0])
        raise PortfolioError(
            file,
            f"a sampled probability {trial!r} is not in [0, 1] (a deviate's range exceeds it: "
            "bound it, or use a beta or log-normal deviate)",
            section="define-basic-event",
            entry=task.labels[v],
            line=line,
        )
    result: np.ndarray = ftengine.probability(task.diagram, p, [task.root])[0]
    return result


def _mapper(workers: int | Callable[..., Iterable[Any]] | None) -> tuple[Callable[..., Any], Any]:
    if workers is None or workers == 1:
        return map, None
    if callable(workers):
        return workers, None
    if not isinstance(workers, int) or isinstance(workers, bool) or workers == 0 or workers < -1:
        raise PortfolioError(
            None, f"workers must be a positive int, -1 or a map-like callable, got {workers!r}"
        )
    count = os.cpu_count() or 1 if workers == -1 else workers
    pool = multiprocessing.get_context("fork" if os.name == "posix" else "spawn").Pool(count)
    return pool.map, pool


def propagate(
    task: _Task,
    *,
    gate: str,
    point: float,
    samples: int,
    rng: int | np.random.SeedSequence | np.random.Generator | None,
    workers: int | Callable[..., Iterable[Any]] | None,
) -> Uncertainty:
    """Run the trials of ``task`` (see the module docstring) and summarise them."""
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 2:
        raise PortfolioError(None, f"samples must be an integer >= 2, got {samples!r}")
    seed: np.random.SeedSequence
    if isinstance(rng, np.random.Generator):
        inner = rng.bit_generator.seed_seq
        seed = inner if isinstance(inner, np.random.SeedSequence) else np.random.SeedSequence()
    elif isinstance(rng, np.random.SeedSequence):
        seed = rng
    else:
        seed = np.random.SeedSequence(rng)
    sizes = [min(CHUNK, samples - a) for a in range(0, samples, CHUNK)]
    children = seed.spawn(len(sizes))
    mapper, pool = _mapper(workers)
    try:
        parts = list(mapper(_chunk, [(task, s, n) for s, n in zip(children, sizes, strict=True)]))
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    values = np.concatenate(parts)
    counts, edges = np.histogram(values, bins=HISTOGRAM_BINS)
    levels = np.array(QUANTILES)
    return Uncertainty(
        gate=gate,
        point=point,
        mean=float(values.mean()),
        std=float(values.std(ddof=1)),
        quantile_levels=levels,
        quantiles=np.quantile(values, levels),
        histogram=(counts.astype(float), edges),
        samples=values,
        backend=task.diagram.backend,
    )
