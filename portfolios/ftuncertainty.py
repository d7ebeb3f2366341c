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
of workers); chunk ``i`` draws from the ``i``-th child of one :class:`numpy.random.SeedSequence`
(made from ``rng`` as for a portfolio, :func:`portfolios.uncertainty.joint_uncertainty`, and
recorded in the result's ``seed``). A chunk always draws :data:`CHUNK` trials and keeps the
first ones it needs, so the first ``n`` trials of a longer run with the same ``rng`` are the
same. The expressions are checked on every trial drawn: a value that is not a finite number,
or a deviate's parameter out of its range, in any of a chunk's :data:`CHUNK` trials refuses the
model (with the place), even when fewer trials are asked, since a longer run would meet it;
the sampled probabilities are checked to be in [0, 1] on the trials kept. ``workers`` follows
SciPy's convention: an int (processes; ``-1`` for all cores) or a
map-like callable; the result is the same for every choice.

The result is the portfolios' :class:`~portfolios.uncertainty.Uncertainty`, with
``targets == (gate,)``: the samples, the mean, the standard deviation (``ddof=1``), quantiles
(numpy's default, linear interpolation; :data:`QUANTILES` by default), a histogram, the point
value (deviates at their means), the draws of the deviates the gate depends on
(:func:`deviates` names them) and the sensitivity of the gate's probability to each
(Spearman's rank correlation and the first-order index, as for a portfolio).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import ftengine, mefexpr
from ._parallel import Workers, check_workers, run_chunks, seed_sequence
from ._uncertaintyresult import HISTOGRAM_BINS as HISTOGRAM_BINS  # the former name
from ._uncertaintyresult import Uncertainty, estimator, sample_moments, sensitivity
from .errors import PortfolioError

# Uncertainty (the result, documented in portfolios.uncertainty) and HISTOGRAM_BINS (its
# histogram's bins) stay importable from here, as before.
__all__ = ["CHUNK", "QUANTILES", "deviates", "propagate"]

#: Trials per chunk (each chunk has its own child seed).
CHUNK = 4_096
#: The quantile levels reported by default.
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


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
    # a node whose value multiplies the probability in each trial (an initiating event's
    # frequency), and its place; a constant multiplying it too (a frequency given as a number)
    factor: int | None = None
    factor_place: tuple[str | None, int | None, str | None] = (None, None, None)
    scale: float = 1.0


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


def _run(args: tuple[_Task, np.random.SeedSequence, int, tuple[int, ...]]) -> Any:
    """Return the gate's probability and the deviates' draws in one chunk of trials."""
    task, seed, n, nodes = args
    p, values = _chunk((task, seed, n))
    draws = np.empty((n, len(nodes)))
    for j, i in enumerate(nodes):
        draws[:, j] = values[i]
    return p, draws


def _chunk(args: tuple[_Task, np.random.SeedSequence, int]) -> tuple[np.ndarray, list[Any]]:
    """Return the gate's probability in ``n`` trials and every node's values in them."""
    task, seed, n = args
    rng = np.random.default_rng(seed)
    # a whole chunk's draws, cut to n: the first trials do not depend on the number asked
    values = [v[:n] if isinstance(v, np.ndarray) else v for v in task.program.sample(rng, CHUNK)]
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
    if task.factor is not None:
        factor = np.broadcast_to(np.asarray(values[task.factor], float), (n,))
        if (factor < 0).any():
            file, line, owner = task.factor_place
            raise PortfolioError(
                file,
                f"a sampled frequency {float(factor[factor < 0][0])!r} is negative (a deviate's "
                "range exceeds it: bound it, or use a log-normal or gamma deviate)",
                section="define-initiating-event",
                entry=owner,
                line=line,
            )
        result = result * factor
    if task.scale != 1.0:
        result = result * task.scale
    return result, values


def deviates(task: _Task) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Return the deviate nodes the task's probabilities depend on, and their names.

    A deviate is named by the parameter, basic event or CCF group whose expression holds it;
    an owner with several deviates numbers them, ``owner[1]``, ``owner[2]``, ... in the order
    of the model.
    """
    nodes = task.program.nodes
    needed = np.zeros(len(nodes), bool)
    for source in task.sources:
        if source[0] == "node":
            needed[source[1]] = True
        elif source[0] == "ccf":
            _, _, dist, factors, _, _, _ = task.groups[source[1]]
            for i in (dist, *factors):
                if i is not None and i >= 0:
                    needed[i] = True
    if task.factor is not None:
        needed[task.factor] = True
    for i in range(len(nodes) - 1, -1, -1):  # arguments come before their users
        if needed[i]:
            needed[list(nodes[i][1])] = True
    found = [i for i, (op, _, _, _) in enumerate(nodes) if needed[i] and op in mefexpr.DEVIATES]
    owners = []
    for i in found:
        where = nodes[i][3]
        owners.append(where.owner if where is not None and where.owner else f"<{nodes[i][0]}>")
    count = Counter(owners)
    seen: dict[str, int] = {}
    names = []
    for o in owners:
        seen[o] = seen.get(o, 0) + 1
        names.append(o if count[o] == 1 else f"{o}[{seen[o]}]")
    return tuple(found), tuple(names)


def propagate(
    task: _Task,
    *,
    gate: str,
    point: float,
    samples: int,
    rng: Any,
    workers: Workers,
    quantiles: Sequence[float] = QUANTILES,
    quantity: str | None = None,
) -> Uncertainty:
    """Run the trials of ``task`` (see the module docstring) and summarise them.

    ``quantity`` names what is sampled (default ``P(gate)``).
    """
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 2:
        raise PortfolioError(None, f"samples must be an integer >= 2, got {samples!r}")
    levels = tuple(float(q) for q in quantiles)
    if not all(0.0 <= q <= 1.0 for q in levels):
        raise PortfolioError(None, f"quantile levels must be in [0, 1], got {quantiles!r}")
    workers = check_workers(workers)
    root = seed_sequence(rng)
    nodes, names = deviates(task)
    sizes = [min(CHUNK, samples - a) for a in range(0, samples, CHUNK)]
    children = root.spawn(len(sizes))
    tasks = [(task, s, n, nodes) for s, n in zip(children, sizes, strict=True)]
    parts = run_chunks(_run, tasks, workers)
    values = np.concatenate([p for p, _ in parts])
    draws = np.concatenate([d for _, d in parts])
    mean, std = sample_moments(values)
    return Uncertainty(
        targets=(gate,),
        scenario=None,
        samples=values,
        parameters=names,
        parameter_samples=draws,
        mean=mean,
        std=std,
        point_value=point,
        quantiles={q: float(np.quantile(values, q)) for q in levels},
        sensitivity=sensitivity(names, draws, values),
        estimator=estimator(samples),
        seed=root.entropy,
        engine=task.diagram.backend,
        quantity=quantity or f"P({gate})",
    )
