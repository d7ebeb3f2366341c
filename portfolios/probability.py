"""Exact and sampled probabilities that a set of cases (or assumptions) all fail.

Definitions
-----------
For targets ``T`` (case or assumption ids) with path sets ``path(t)`` (see
:mod:`portfolios.structure`), the probability that every target fails is

    P(T) = sum_w P(w) * P(AND_{t in T} OR_{u in path(t)} u  |  w),

a sum over the states ``w`` of the latent variables the paths depend on; given ``w`` the units
are independent. ``P(U(s))``, the probability that scenario ``s`` is unprotected, is ``P`` of
its covering cases; a case's failure probability is ``P`` of the case alone.

Methods
-------
``"auto"`` (default): ``"exact"`` when its table is within the limits (:data:`MAX_LATENT`
    latent variables, :data:`MAX_EXACT_CELLS` cells; the plan is sized before anything is
    computed), else ``"bdd"``, which has no such table: 25 covering cases sharing an assumption
    need :math:`2^{25}` cells, a diagram of about a hundred nodes. Both are exact; if the BDD is
    refused too, the error names ``"montecarlo"``.
``"exact"``: a subset dynamic programme inside each latent state.
    Units are grouped by their *signature* (the set of targets whose path contains them); a
    group fires with probability ``g = 1 - prod(1 - p_u)`` (computed as ``-expm1(sum(log1p(-p)))``
    so that small probabilities keep their digits). ``P(every target is hit)`` is then
    computed by a dynamic programme over the ``2^k`` subsets of targets hit so far, after
    dropping targets whose path contains another's (absorption) and splitting the targets into
    blocks that share no unit (independent given ``w``). Every term is a product or a sum of
    non-negative numbers, so the result keeps its relative accuracy however rare the event:
    inclusion-exclusion over 16 cases sums 65,536 terms of alternating sign whose magnitude
    can exceed the answer by many orders (cancellation), while this sums none. Cost
    ``O(2^k * G * 2^L)`` for a block of ``k`` targets, ``G`` groups and ``L`` latent variables.
``"inclusion-exclusion"``: the textbook formula over the targets, inside each latent state,
    ``P(all fail | w) = sum_{S subset T} (-1)^|S| prod_{u in union path(S)} (1 - p_u(w))``,
    summed with :func:`math.fsum`. Exact up to cancellation; refuses more than
    :data:`MAX_INCLUSION_EXCLUSION_TARGETS` targets. The terms are of order 1 whatever the
    answer: for a true ``1e-30`` the sum is rounding noise (about ``1e-16``, or 0). When the
    largest term exceeds the result by :data:`CANCELLATION_WARN_DIGITS` orders of magnitude or
    more (about half the 16 digits of a float lost), a
    :class:`~portfolios.errors.CancellationWarning` says how many digits were lost and names
    ``method='exact'``; a result that is 0 because every latent state makes some target
    impossible is exact and gives no warning.
``"enumerate"``: brute force over every joint state of the latent variables, the assumptions'
    own failures and the soundness errors involved, evaluating the file's definitions (an
    assumption fails if it or a required one fails; a case fails if its soundness error, an
    assumption or a case it rests on fails) directly. For tests; refuses more than
    :data:`MAX_ENUMERATE_EVENTS` events.
``"bdd"``: weighted model counting over a binary decision diagram of the cut-set model
    (:mod:`portfolios.bdd`): linear in the size of the diagram, not exponential in the number
    of covering cases, and exact for rare events (complemented edges are pushed into the
    children rather than computed as ``1 - r``). For structures the subset programme refuses
    (many covering cases sharing units) and for general fault trees (:mod:`portfolios.openpsa`).
``"montecarlo"``: vectorised sampling (``rng=`` keyword); returns a
    :class:`MonteCarloEstimate` with a Clopper-Pearson confidence interval (exact binomial
    tails: its coverage is at least the stated level for every true probability, also near 0
    and 1, where the Wilson score interval, kept as :func:`wilson_interval`, can cover far
    less than it claims). Past :data:`MAX_LATENT` latent variables it samples the latent
    states too instead of enumerating them: sampling needs no :math:`2^L` table.

The exact programme on arrays
-----------------------------
:func:`exact_plan` compiles the ``"exact"`` method's programme for some targets into plain,
picklable arrays (the units involved, their latent variables, their groups and blocks), and
:func:`state_probabilities` runs it on any array of unit probabilities, shape ``(..., n, 2)``,
returning ``P(every target fails | latent state)`` for each latent state and each leading
index: the same numbers as ``"exact"`` for one set of probabilities, and a whole sample of
parameter values in one call (:mod:`portfolios.uncertainty`, :mod:`portfolios.bounds`).
:func:`state_weights` gives the latent states' probabilities for arrays of latent ``p_fail``.

A probability that is an interval (:mod:`portfolios.values`) has no point value: every method
refuses a computation that depends on one (:func:`require_points`), and the error names
:func:`portfolios.bounds.bounds`.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np

from . import _html, bdd
from ._arrays import readonly
from .errors import (
    CancellationWarning,
    ComputationLimitError,
    PortfolioError,
    UnknownIdError,
    did_you_mean,
)
from .limits import (
    MAX_ENUMERATE_EVENTS,
    MAX_EXACT_CELLS,
    MAX_INCLUSION_EXCLUSION_TARGETS,
    MAX_LATENT,
)
from .structure import Structure, latent_states, minimal_sets

__all__ = [
    "CANCELLATION_WARN_DIGITS",
    "DEFAULT_SAMPLES",
    "MAX_ENUMERATE_EVENTS",
    "MAX_EXACT_CELLS",
    "MAX_INCLUSION_EXCLUSION_TARGETS",
    "MAX_LATENT",
    "METHODS",
    "ConfidenceInterval",
    "ExactPlan",
    "MonteCarloEstimate",
    "all_fail_probability",
    "auto_engine",
    "clopper_pearson_interval",
    "engine_label",
    "exact_plan",
    "interval_parameters",
    "require_points",
    "state_probabilities",
    "state_weights",
    "wilson_interval",
]

#: Inclusion-exclusion warns (:class:`~portfolios.errors.CancellationWarning`) when its largest
#: term exceeds the result by at least this many orders of magnitude: at most about
#: 16 - 8 = 8 significant digits can be left, and fewer once the terms' own rounding counts.
CANCELLATION_WARN_DIGITS = 8
#: Default number of Monte Carlo samples.
DEFAULT_SAMPLES = 100_000
_CHUNK = 1 << 16


@dataclass(frozen=True)
class ConfidenceInterval:
    """A confidence interval for a probability.

    Attributes
    ----------
    low, high : float
        The bounds.
    level : float
        The confidence level, e.g. 0.95.
    method : str
        How it was computed: ``"clopper-pearson"`` (exact binomial tails) or ``"wilson"``
        (the Wilson score interval).
    """

    low: float
    high: float
    level: float
    method: str = "clopper-pearson"

    def __contains__(self, value: float) -> bool:
        return self.low <= value <= self.high

    def __repr__(self) -> str:
        return f"ConfidenceInterval({self.low:.6g}, {self.high:.6g}, level={self.level})"


class MonteCarloEstimate(float):
    """A Monte Carlo estimate of a probability: a float carrying its confidence interval.

    It *is* a ``float``, equal to the point estimate ``value``: it compares, sorts, formats,
    serialises to JSON and enters arithmetic as that number (arithmetic returns plain floats:
    the interval does not propagate). The sampling error is in ``interval``: to decide against a
    limit, compare ``interval.high`` (or ``interval.low``), not the point estimate.

    Attributes
    ----------
    value : float
        The fraction of samples in which every target failed (``float(estimate)``).
    interval : ConfidenceInterval
        Clopper-Pearson interval at the requested level (:func:`clopper_pearson_interval`).
    n_samples, n_hits : int
        The number of samples, and of samples in which every target failed.

    Examples
    --------
    >>> est = MonteCarloEstimate(0.25, clopper_pearson_interval(25, 100, 0.95), 100, 25)
    >>> est < 0.3, est * 2, f"{est:.2f}", est.interval.low < est < est.interval.high
    (True, 0.5, '0.25', True)
    """

    __slots__ = ("interval", "n_hits", "n_samples")

    interval: ConfidenceInterval
    n_samples: int
    n_hits: int

    def __new__(
        cls, value: float, interval: ConfidenceInterval, n_samples: int, n_hits: int
    ) -> MonteCarloEstimate:
        """Return the estimate ``value`` with its interval and counts."""
        self = super().__new__(cls, value)
        object.__setattr__(self, "interval", interval)
        object.__setattr__(self, "n_samples", n_samples)
        object.__setattr__(self, "n_hits", n_hits)
        return self

    @property
    def value(self) -> float:
        """The point estimate, as a plain float."""
        return float(self)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"MonteCarloEstimate is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"MonteCarloEstimate is immutable: cannot delete {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (float(self), self.interval, self.n_samples, self.n_hits))

    def __repr__(self) -> str:
        return (
            f"MonteCarloEstimate(value={self.value:.6g}, interval=[{self.interval.low:.6g}, "
            f"{self.interval.high:.6g}] at {self.interval.level:g}, n_samples={self.n_samples})"
        )

    def _repr_html_(self) -> str:
        """Return the HTML table Jupyter shows: the estimate and its confidence interval."""
        i = self.interval
        items = [
            ("estimate", f"{self.value:.6g}"),
            (f"{100 * i.level:g}% interval ({i.method})", f"[{i.low:.6g}, {i.high:.6g}]"),
            ("samples in which every target failed", f"{self.n_hits} of {self.n_samples}"),
        ]
        return _html.document("Monte Carlo estimate of a probability", _html.pairs(items))


def clopper_pearson_interval(hits: int, n: int, level: float) -> ConfidenceInterval:
    r"""Return the Clopper-Pearson interval for ``hits`` successes in ``n`` trials.

    The bounds are the probabilities at which the binomial tails equal :math:`\alpha / 2`,
    :math:`\alpha = 1 - \text{level}`: ``low`` solves :math:`P(X \ge h) = \alpha/2` (0 if
    ``hits == 0``) and ``high`` solves :math:`P(X \le h) = \alpha/2` (1 if ``hits == n``),
    computed as beta quantiles (``scipy.special.betaincinv``). The coverage is at least
    ``level`` for every true probability (Clopper and Pearson, Biometrika 26, 1934); the
    price is width, which is what a worst-case user should pay near 0 and 1.

    Examples
    --------
    With no success in 100 trials the upper bound solves :math:`(1 - p)^{100} = 0.025`:

    >>> ci = clopper_pearson_interval(0, 100, 0.95)
    >>> ci.low, round(ci.high, 6), round(1 - 0.025 ** (1 / 100), 6)
    (0.0, 0.036217, 0.036217)
    """
    if not 0 <= hits <= n or n < 1:
        raise PortfolioError(None, f"need 0 <= hits <= n and n >= 1, got hits={hits}, n={n}")
    if not 0.0 < level < 1.0:
        raise PortfolioError(None, f"level must be in (0, 1), got {level!r}")
    from scipy.special import betaincinv

    tail = (1.0 - level) / 2.0
    low = 0.0 if hits == 0 else float(betaincinv(hits, n - hits + 1, tail))
    high = 1.0 if hits == n else float(betaincinv(hits + 1, n - hits, 1.0 - tail))
    return ConfidenceInterval(low, high, level, "clopper-pearson")


def wilson_interval(hits: int, n: int, level: float) -> ConfidenceInterval:
    r"""Return the Wilson score interval for ``hits`` successes in ``n`` trials.

    Narrower than :func:`clopper_pearson_interval`, but its coverage is only approximately
    ``level``, and far below it when the true probability is within about :math:`1/n` of 0
    or 1 (with :math:`p = 1 - 8 \cdot 10^{-6}` and 4000 trials the 1 - 1e-7 interval misses
    ``p`` about 3% of the time). Not used by the estimators; kept for comparison.

    Examples
    --------
    >>> ci = wilson_interval(0, 100, 0.95)
    >>> ci.low, round(ci.high, 4)
    (0.0, 0.037)
    """
    z = NormalDist().inv_cdf(0.5 + level / 2.0)
    p = hits / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return ConfidenceInterval(max(0.0, centre - half), min(1.0, centre + half), level, "wilson")


# --------------------------------------------------------------------------- shared pieces


def _paths(structure: Structure, targets: Sequence[str]) -> list[frozenset[int]]:
    if len(targets) == 0:
        raise PortfolioError(None, "need at least one target (a case or assumption id)")
    out = []
    for t in targets:
        if t not in structure.paths:
            hint = did_you_mean(t, structure.paths)
            raise UnknownIdError(None, f"unknown case or assumption {t!r}{hint}")
        out.append(structure.paths[t])
    return out


def _latent_table(structure: Structure, units: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(weights (S,), probs (len(units), S))`` over the latent states involved."""
    idx = np.asarray(units, dtype=np.intp)
    which = structure.unit_latent[idx]
    rel, bits, weights = latent_states(structure, which)
    position = {j: i for i, j in enumerate(rel)}
    col = np.zeros((len(idx), len(weights)), dtype=np.intp)
    for row, j in enumerate(which):
        if j >= 0:
            col[row] = bits[:, position[int(j)]]
    probs = np.take_along_axis(structure.unit_p[idx], col, axis=1)
    return weights, probs


def _groups(
    paths: list[frozenset[int]], structure: Structure
) -> tuple[list[int], np.ndarray, np.ndarray, np.ndarray]:
    """Group the units by signature; return (signatures, log-survival (G,S), g (G,S), weights)."""
    units = sorted(set().union(*paths))
    weights, probs = _latent_table(structure, units)
    signature: dict[int, int] = {}
    for u in units:
        signature[u] = sum(1 << i for i, path in enumerate(paths) if u in path)
    sigs = sorted(set(signature.values()))
    row = {s: i for i, s in enumerate(sigs)}
    log_survive = np.zeros((len(sigs), len(weights)))
    with np.errstate(divide="ignore"):
        for i, u in enumerate(units):
            log_survive[row[signature[u]]] += np.log1p(-probs[i])
    fire = -np.expm1(log_survive)
    return sigs, log_survive, fire, weights


def _minimal_paths(paths: list[frozenset[int]]) -> list[frozenset[int]]:
    # If path(a) is a subset of path(b), "a fails" implies "b fails": b adds nothing.
    return minimal_sets(paths, key=len)


def _blocks(sigs: list[int], k: int) -> list[list[int]]:
    """Split targets 0..k-1 into blocks linked by shared groups (union-find)."""
    parent = list(range(k))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for s in sigs:
        members = [i for i in range(k) if s >> i & 1]
        for m in members[1:]:
            parent[find(m)] = find(members[0])
    blocks: dict[int, list[int]] = {}
    for i in range(k):
        blocks.setdefault(find(i), []).append(i)
    return list(blocks.values())


# --------------------------------------------------------------------------- exact


def _cover_dp(sigs: list[int], survive: np.ndarray, fire: np.ndarray, k: int) -> np.ndarray:
    """P(the fired groups' signatures cover all k targets), per latent state.

    ``D[s, m_{k-1}, ..., m_0]`` is the probability that the targets hit so far are exactly the
    set with bits ``m``; each group either stays silent (factor ``survive``) or fires and moves
    the mass of every set ``M`` to ``M | sig``.
    """
    n_states = survive.shape[1]
    shape = (n_states,) + (2,) * k
    D = np.zeros(shape)
    D[(slice(None),) + (0,) * k] = 1.0
    expand = (n_states,) + (1,) * k
    for sig, keep, hit in zip(sigs, survive, fire, strict=True):
        axes = tuple(1 + (k - 1 - b) for b in range(k) if sig >> b & 1)
        fired = D
        for ax in axes:  # sum over each axis as the sum of its two halves (faster than .sum)
            lo, hi = [slice(None)] * (k + 1), [slice(None)] * (k + 1)
            lo[ax], hi[ax] = slice(0, 1), slice(1, 2)
            fired = fired[tuple(lo)] + fired[tuple(hi)]
        D *= keep.reshape(expand)
        index = [slice(None)] * (k + 1)
        for ax in axes:
            index[ax] = slice(1, 2)
        D[tuple(index)] += hit.reshape(expand) * fired
    result: np.ndarray = D[(slice(None),) + (1,) * k]
    return result


@dataclass(frozen=True, eq=False)
class ExactPlan:
    """The ``"exact"`` programme for some targets, as plain (picklable) arrays.

    Attributes
    ----------
    targets : tuple of str
        The targets (before absorption).
    variables : tuple of int
        The latent variables the units depend on (indices into ``Structure.latent``), sorted;
        latent state ``s`` has variable ``variables[i]`` failed when bit ``i`` of ``s`` is 1.
    units : ndarray of int, shape (n,)
        The units involved (indices into ``Structure.units``), sorted.
    unit_state : ndarray of int, shape (n,)
        For each unit, the position in ``variables`` of its latent variable, or -1.
    column : ndarray of int, shape (n, 2^r)
        Which probability of each unit applies in each latent state: 1 when its latent
        variable fails in that state, else 0.
    groups : tuple of ndarray
        The units (positions in ``units``) of each group: units with the same signature.
    blocks : tuple of (tuple of int, tuple of int, int)
        For each block of targets that share groups: its groups, their signatures over the
        block's ``k`` targets, and ``k``.
    """

    targets: tuple[str, ...]
    variables: tuple[int, ...]
    units: np.ndarray
    unit_state: np.ndarray
    column: np.ndarray
    groups: tuple[np.ndarray, ...]
    blocks: tuple[tuple[tuple[int, ...], tuple[int, ...], int], ...]

    @property
    def n_states(self) -> int:
        """The number of latent states, ``2^len(variables)``."""
        return 1 << len(self.variables)

    @property
    def cells(self) -> int:
        """Cells of the largest dynamic-programming table per set of probabilities."""
        return max((1 << k for _, _, k in self.blocks), default=1) * self.n_states


def exact_plan(structure: Structure, targets: Sequence[str]) -> ExactPlan:
    """Compile the ``"exact"`` programme for ``targets`` (see :class:`ExactPlan`).

    Raises :class:`~portfolios.errors.ComputationLimitError` past :data:`MAX_LATENT` latent
    variables or :data:`MAX_EXACT_CELLS` cells.

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.Portfolio.from_dict({
    ...     "assumptions": {"A": {"statement": "a", "p_fail": 0.1},
    ...                     "B": {"statement": "b", "p_fail": 0.2},
    ...                     "C": {"statement": "c", "p_fail": 0.3}},
    ...     "cases": {"X": {"statement": "x", "assumptions": ["A", "B"], "covers": ["S"]},
    ...               "Y": {"statement": "y", "assumptions": ["A", "C"], "covers": ["S"]}},
    ...     "scenarios": {"S": {"statement": "s"}},
    ... })
    >>> plan = exact_plan(P.structure, ["X", "Y"])
    >>> [[P.structure.units[plan.units[i]].label for i in g] for g in plan.groups]
    [['C', 'soundness(Y)'], ['B', 'soundness(X)'], ['A']]
    >>> unit_p = P.structure.unit_p[plan.units]
    >>> state_probabilities(plan, unit_p).round(12).tolist()  # 0.1 + 0.9 * 0.2 * 0.3
    [0.154]
    >>> halved = unit_p / 2  # 0.05 + 0.95 * 0.1 * 0.15
    >>> state_probabilities(plan, np.stack([unit_p, halved])).round(12).tolist()  # two sets
    [[0.154], [0.06425]]
    """
    paths = _minimal_paths(_paths(structure, targets))
    units = sorted(set().union(*paths))
    which = [int(j) for j in structure.unit_latent[units]]
    variables = sorted({j for j in which if j >= 0})
    if len(variables) > MAX_LATENT:
        raise ComputationLimitError(
            None,
            f"this computation depends on {len(variables)} latent variables; at most "
            f"{MAX_LATENT} are supported (2^L latent states are summed over)",
        )
    position = {j: i for i, j in enumerate(variables)}
    signature = [sum(1 << i for i, path in enumerate(paths) if u in path) for u in units]
    sigs = sorted(set(signature))
    groups = tuple(
        np.array([i for i, g in enumerate(signature) if g == sig], dtype=np.intp) for sig in sigs
    )
    n_states = 1 << len(variables)
    blocks = []
    for block in _blocks(sigs, len(paths)):
        k = len(block)
        if (1 << k) * n_states > MAX_EXACT_CELLS:
            raise ComputationLimitError(
                None,
                f"exact: {k} targets share units, so the table has 2^{k} x {n_states} "
                f"cells, more than MAX_EXACT_CELLS = {MAX_EXACT_CELLS}; use method='bdd' "
                "(also exact; method='auto' switches to it by itself) or 'montecarlo'",
            )
        rows = tuple(i for i, s in enumerate(sigs) if any(s >> b & 1 for b in block))
        local = tuple(sum(1 << j for j, b in enumerate(block) if sigs[i] >> b & 1) for i in rows)
        blocks.append((rows, local, k))
    unit_state = np.array([position.get(j, -1) for j in which], dtype=np.intp)
    column = np.zeros((len(units), n_states), dtype=np.intp)
    bits = _bits(len(variables))
    for i, p in enumerate(unit_state):
        if p >= 0:
            column[i] = bits[:, p]
    return ExactPlan(
        targets=tuple(targets),
        variables=tuple(variables),
        units=np.array(units, dtype=np.intp),
        unit_state=unit_state,
        column=column,
        groups=groups,
        blocks=tuple(blocks),
    )


@functools.cache
def _bits(r: int) -> np.ndarray:
    """``bits[s, i]``: bit ``i`` of ``s``, for the ``2^r`` states of ``r`` variables."""
    return readonly((np.arange(1 << r)[:, None] >> np.arange(r)[None, :]) & 1)


def state_probabilities(plan: ExactPlan, unit_p: np.ndarray) -> np.ndarray:
    """Return ``P(every target fails | latent state)`` for arrays of unit probabilities.

    Parameters
    ----------
    plan : ExactPlan
    unit_p : array, shape (..., n, 2)
        The probabilities of the plan's units (``n = len(plan.units)``) when their latent
        variable holds and fails (both columns equal for a unit without one), for any number
        of leading indices (samples, vertices).

    Returns
    -------
    ndarray, shape (..., 2^r)
        For each leading index and latent state of ``plan.variables``; weighted by
        :func:`state_weights` and summed, it is the probability that every target fails.
        Computed as the ``"exact"`` method does (module docstring): products and sums of
        non-negative numbers, so small probabilities keep their relative accuracy.
    """
    unit_p = np.asarray(unit_p, dtype=float)
    n = len(plan.units)
    if unit_p.shape[-2:] != (n, 2):
        raise PortfolioError(
            None, f"unit_p must have shape (..., {n}, 2) for this plan, got {unit_p.shape}"
        )
    batch = unit_p.shape[:-2]
    n_states = plan.n_states
    # probs[..., i, s]: unit i's probability in latent state s
    probs = unit_p[..., np.arange(n)[:, None], plan.column]
    m = math.prod(batch) * n_states
    with np.errstate(divide="ignore"):
        logs = np.log1p(-probs)
    # each group's log-survival, summed in one vectorised pass (no Python loop over units:
    # a group of 990 units, as under a `requires` chain, cost 990 array operations per call)
    order = np.concatenate(plan.groups) if plan.groups else np.zeros(0, np.intp)
    starts = np.cumsum([0] + [len(g) for g in plan.groups[:-1]])
    sums = np.add.reduceat(logs[..., order, :], starts, axis=-2) if len(order) else logs
    log_survive = np.moveaxis(sums, -2, 0).reshape(len(plan.groups), m)
    survive, fire = np.exp(log_survive), -np.expm1(log_survive)
    result = np.ones(m)
    for rows, local, k in plan.blocks:
        result *= _cover_dp(list(local), survive[list(rows)], fire[list(rows)], k)
    return result.reshape(*batch, n_states)


def state_weights(latent_p: np.ndarray) -> np.ndarray:
    """Return the latent states' probabilities for arrays of latent ``p_fail``.

    ``latent_p`` has shape ``(..., r)`` (the plan's variables, in order); the result has shape
    ``(..., 2^r)``: state ``s`` has variable ``i`` failed when bit ``i`` of ``s`` is 1, and the
    variables are independent.

    Examples
    --------
    >>> state_weights(np.array([0.1, 0.25])).round(12).tolist()  # 0.9 * 0.75, 0.1 * 0.75, ...
    [0.675, 0.075, 0.225, 0.025]
    """
    p = np.asarray(latent_p, dtype=float)
    r = p.shape[-1]
    bits = _bits(r) == 1
    weights = np.ones((*p.shape[:-1], 1 << r))
    for i in range(r):
        q = p[..., i : i + 1]
        weights *= np.where(bits[:, i], q, 1.0 - q)
    return weights


def interval_parameters(structure: Structure, targets: Sequence[str]) -> list[str]:
    """Return the interval parameters that P(every target fails) depends on (file order).

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.Portfolio.from_dict({
    ...     "assumptions": {"A": {"statement": "a", "p_fail": [0.1, 0.2]},
    ...                     "B": {"statement": "b", "p_fail": 0.3}},
    ...     "cases": {"X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]},
    ...               "Y": {"statement": "y", "assumptions": ["B"], "covers": ["T"]}},
    ...     "scenarios": {"S": {"statement": "s"}, "T": {"statement": "t"}},
    ... })
    >>> interval_parameters(P.structure, ["X"]), interval_parameters(P.structure, ["Y"])
    (['A'], [])
    """
    params = structure.parameters
    if not params.intervals:
        return []
    units = sorted(set().union(*_paths(structure, targets)))
    slots = {int(i) for i in params.unit_slot[units].ravel()}
    slots |= {int(params.latent_slot[j]) for j in structure.unit_latent[units] if j >= 0}
    return [params.names[i] for i in params.intervals if i in slots]


def require_points(structure: Structure, targets: Sequence[str]) -> None:
    """Raise if ``P(every target fails)`` depends on an interval probability.

    An interval has no point value (:mod:`portfolios.values`): the error names the interval
    parameters involved and :func:`portfolios.bounds.bounds`, which gives the tightest
    interval instead.
    """
    names = interval_parameters(structure, targets)
    if names:
        raise PortfolioError(
            None,
            f"the probability that {', '.join(targets)} all fail depends on interval "
            f"probabilities ({', '.join(names)}), which have no point value: use bounds "
            "(P.bounds(scenario), portfolios.bounds.bounds) for its tightest interval",
        )


def _exact(structure: Structure, targets: Sequence[str]) -> float:
    return _run_plan(structure, exact_plan(structure, targets))


def _auto(structure: Structure, targets: Sequence[str]) -> float:
    try:
        plan = exact_plan(structure, targets)  # sized before anything is computed
    except ComputationLimitError as exact_err:
        try:
            return float(bdd.structure_probability(structure, targets))
        except ComputationLimitError as bdd_err:
            raise ComputationLimitError(
                None,
                f"auto: the exact programme is refused ({exact_err.problem}) and so is the BDD "
                f"({bdd_err.problem}); use method='montecarlo'",
            ) from bdd_err
    return _run_plan(structure, plan)


def auto_engine(structure: Structure, targets: Sequence[str]) -> str:
    """Return the engine ``method="auto"`` runs for ``targets``: ``"exact"`` or ``"bdd"``.

    ``"exact"`` when the exact programme's plan is within its limits (sized, not run), else
    ``"bdd"``. Results computed with ``"auto"`` record it (:func:`engine_label`).

    Examples
    --------
    >>> import portfolios
    >>> def shared(k):  # k cases on a private assumption each and one shared by all
    ...     return portfolios.Portfolio.from_dict({
    ...         "assumptions": {"SH": {"statement": "s", "p_fail": 0.1},
    ...                         **{f"A{i}": {"statement": "a", "p_fail": 0.1} for i in range(k)}},
    ...         "cases": {f"C{i}": {"statement": "c", "assumptions": [f"A{i}", "SH"],
    ...                             "covers": ["S"]} for i in range(k)},
    ...         "scenarios": {"S": {"statement": "s"}}})
    >>> P, Q = shared(3), shared(25)  # the exact table: 2^3 cells; 2^25, past MAX_EXACT_CELLS
    >>> [auto_engine(R.structure, R.covering_cases("S")) for R in (P, Q)]
    ['exact', 'bdd']
    """
    try:
        exact_plan(structure, targets)
    except ComputationLimitError:
        return "bdd"
    return "exact"


def engine_label(method: str, engines: Iterable[str]) -> str:
    """Return how a result was computed: ``method``, or for ``"auto"`` the engines it ran.

    Examples
    --------
    >>> engine_label("auto", ["exact"]), engine_label("auto", ["bdd", "exact", "bdd"])
    ('auto (exact)', 'auto (exact, bdd)')
    >>> engine_label("bdd", ["bdd"])
    'bdd'
    """
    if method != "auto":
        return method
    ran = [e for e in ("exact", "bdd") if e in set(engines)]
    return f"auto ({', '.join(ran)})" if ran else "auto"


def _run_plan(structure: Structure, plan: ExactPlan) -> float:
    per_state = state_probabilities(plan, structure.unit_p[plan.units])
    _, _, weights = latent_states(structure, plan.variables)
    return min(1.0, max(0.0, math.fsum(weights * per_state)))


# --------------------------------------------------------------------------- inclusion-exclusion


def _inclusion_exclusion(structure: Structure, targets: Sequence[str]) -> float:
    paths = _paths(structure, targets)
    k = len(paths)
    if k > MAX_INCLUSION_EXCLUSION_TARGETS:
        raise ComputationLimitError(
            None,
            f"inclusion-exclusion over {k} targets sums 2^{k} terms; at most "
            f"{MAX_INCLUSION_EXCLUSION_TARGETS} targets are allowed (use method='exact')",
        )
    units = sorted(set().union(*paths))
    weights, probs = _latent_table(structure, units)
    column = {u: i for i, u in enumerate(units)}
    union = np.zeros((1, len(units)), dtype=bool)
    for path in paths:  # doubling: subsets without, then with, this target
        member = np.zeros(len(units), dtype=bool)
        member[[column[u] for u in path]] = True
        union = np.concatenate([union, union | member])
    certain = probs >= 1.0
    with np.errstate(divide="ignore"):
        log_survive = np.where(certain, 0.0, np.log1p(-probs))
    as_float = union.astype(float)
    holds = np.exp(as_float @ log_survive)  # P(every target in the subset holds | w)
    holds[(as_float @ certain.astype(float)) > 0] = 0.0
    sizes = np.array([bin(i).count("1") for i in range(1 << k)])
    sign = np.where(sizes % 2 == 0, 1.0, -1.0)
    terms = (sign[:, None] * holds * weights[None, :]).ravel()
    result = math.fsum(terms.tolist())
    # a state where some target cannot fail (every unit of its path has p = 0) adds exactly 0
    can_fail = np.ones(len(weights), dtype=bool)
    for path in paths:
        can_fail &= (probs[[column[u] for u in path]] > 0.0).any(axis=0)
    if np.any(can_fail & (weights > 0.0)):
        _warn_cancellation("inclusion-exclusion", result, float(np.max(np.abs(terms))))
    return min(1.0, max(0.0, result))


def _warn_cancellation(what: str, result: float, largest: float) -> None:
    """Warn when ``largest / |result|`` reaches :data:`CANCELLATION_WARN_DIGITS` decades."""
    if largest == 0.0:
        return
    lost = math.inf if result == 0.0 else math.log10(largest / abs(result))
    if lost >= CANCELLATION_WARN_DIGITS:
        shown = "all" if lost >= 15.95 else f"about {lost:.0f}"
        warnings.warn(
            CancellationWarning(
                f"{what}: the result {result:.3g} is a sum of terms of alternating sign as "
                f"large as {largest:.3g}, so {shown} of the 16 significant digits were lost "
                "to cancellation (the result may be rounding noise); use method='exact' or "
                "'bdd', which sum no terms of opposite sign",
                lost,
            ),
            stacklevel=4,
        )


# --------------------------------------------------------------------------- enumeration


def _enumerate(structure: Structure, targets: Sequence[str]) -> float:
    _paths(structure, targets)  # validates the ids
    cases: list[str] = []
    assumptions: list[str] = []

    def add_assumption(a: str) -> None:
        if a not in assumptions:
            for r in structure.requires[a]:
                add_assumption(r)
            assumptions.append(a)  # after its requirements: a topological order

    def add_case(c: str) -> None:
        if c not in cases:
            for other in structure.rests_on[c]:
                add_case(other)
            for a in structure.case_assumptions[c]:
                add_assumption(a)
            cases.append(c)

    for t in targets:
        (add_case if t in structure.case_assumptions else add_assumption)(t)
    unit_of = {(e.kind, e.id): i for i, e in enumerate(structure.units)}
    a_units = [unit_of["assumption", a] for a in assumptions]
    c_units = [unit_of["soundness", c] for c in cases]
    latent = sorted(
        {int(structure.unit_latent[u]) for u in a_units if structure.unit_latent[u] >= 0}
    )
    n = len(latent) + len(a_units) + len(c_units)
    if n > MAX_ENUMERATE_EVENTS:
        raise ComputationLimitError(
            None,
            f"enumerate: {n} events ({len(latent)} latent variables, {len(a_units)} "
            f"assumptions, {len(c_units)} soundness errors) would need 2^{n} states; at most "
            f"{MAX_ENUMERATE_EVENTS} events are enumerated (use method='exact')",
        )
    total = []
    for start in range(0, 1 << n, _CHUNK):
        config = np.arange(start, min(1 << n, start + _CHUNK))
        bit = (config[:, None] >> np.arange(n)[None, :]) & 1 == 1
        weight = np.ones(len(config))
        state = {}
        for i, j in enumerate(latent):
            state[j] = bit[:, i]
            p = structure.latent_p[j]
            weight *= np.where(bit[:, i], p, 1.0 - p)
        failed: dict[str, np.ndarray] = {}
        for i, (a, u) in enumerate(zip(assumptions, a_units, strict=True)):
            own = bit[:, len(latent) + i]
            j = int(structure.unit_latent[u])
            q = structure.unit_p[u, 0] if j < 0 else np.where(state[j], *structure.unit_p[u, ::-1])
            weight *= np.where(own, q, 1.0 - q)
            f = own.copy()
            for r in structure.requires[a]:
                f |= failed[r]
            failed[a] = f
        offset = len(latent) + len(assumptions)
        for i, (c, u) in enumerate(zip(cases, c_units, strict=True)):
            eps = bit[:, offset + i]
            q = structure.unit_p[u, 0]
            weight *= np.where(eps, q, 1.0 - q)
            f = eps.copy()
            for a in structure.case_assumptions[c]:
                f |= failed[a]
            for other in structure.rests_on[c]:
                f |= failed[other]
            failed[c] = f
        top = np.logical_and.reduce([failed[t] for t in targets])
        total.append(math.fsum(weight[top].tolist()))
    return min(1.0, math.fsum(total))


# --------------------------------------------------------------------------- Monte Carlo


def _montecarlo(
    structure: Structure,
    targets: Sequence[str],
    *,
    n_samples: int = DEFAULT_SAMPLES,
    rng: np.random.Generator | int | None = None,
    level: float = 0.95,
) -> MonteCarloEstimate:
    if isinstance(n_samples, bool) or not isinstance(n_samples, int) or n_samples < 1:
        raise PortfolioError(None, f"n_samples must be a positive integer, got {n_samples!r}")
    if not 0.0 < level < 1.0:
        raise PortfolioError(None, f"level must be in (0, 1), got {level!r}")
    generator = np.random.default_rng(rng)
    paths = _minimal_paths(_paths(structure, targets))
    units = sorted(set().union(*paths))
    if len({int(j) for j in structure.unit_latent[units] if j >= 0}) > MAX_LATENT:
        hits = _montecarlo_latent_sampled(structure, paths, units, n_samples, generator)
        return MonteCarloEstimate(
            value=hits / n_samples,
            interval=clopper_pearson_interval(hits, n_samples, level),
            n_samples=n_samples,
            n_hits=hits,
        )
    sigs, _, fire, weights = _groups(paths, structure)
    k = len(paths)
    incidence = np.array([[s >> i & 1 for i in range(k)] for s in sigs], dtype=np.float32)
    cumulative = np.cumsum(weights)
    cumulative[-1] = 1.0
    hits = 0
    for start in range(0, n_samples, _CHUNK):
        size = min(_CHUNK, n_samples - start)
        if len(weights) > 1:
            state = np.searchsorted(cumulative, generator.random(size), side="right")
        else:
            state = np.zeros(size, dtype=np.intp)
        fired = generator.random((size, len(sigs))) < fire[:, state].T
        hit = fired.astype(np.float32) @ incidence  # how many fired groups hit each target
        hits += int(np.count_nonzero((hit > 0.5).all(axis=1)))
    return MonteCarloEstimate(
        value=hits / n_samples,
        interval=clopper_pearson_interval(hits, n_samples, level),
        n_samples=n_samples,
        n_hits=hits,
    )


def _montecarlo_latent_sampled(
    structure: Structure,
    paths: list[frozenset[int]],
    units: list[int],
    n_samples: int,
    generator: np.random.Generator,
) -> int:
    """Hits of Monte Carlo that samples the latent variables too (no 2^L enumeration)."""
    idx = np.asarray(units, dtype=np.intp)
    which = structure.unit_latent[idx]
    variables = sorted({int(j) for j in which if j >= 0})
    position = {j: i for i, j in enumerate(variables)}
    column = np.array([position.get(int(j), -1) for j in which], dtype=np.intp)
    latent_p = structure.latent_p[variables]
    k = len(paths)
    signature = [sum(1 << i for i, path in enumerate(paths) if u in path) for u in units]
    sigs = sorted(set(signature))
    members = [np.array([i for i, s in enumerate(signature) if s == g]) for g in sigs]
    incidence = np.array([[s >> i & 1 for i in range(k)] for s in sigs], dtype=np.float32)
    hits = 0
    for start in range(0, n_samples, _CHUNK):
        size = min(_CHUNK, n_samples - start)
        failed = generator.random((size, len(variables))) < latent_p  # (size, r)
        state = np.where(column >= 0, failed[:, np.maximum(column, 0)], False)  # (size, n)
        probs = np.where(state, structure.unit_p[idx, 1], structure.unit_p[idx, 0])
        with np.errstate(divide="ignore"):
            log_survive = np.log1p(-probs)
        log_survive[probs >= 1.0] = -np.inf
        group_log = np.stack([log_survive[:, m].sum(axis=1) for m in members], axis=1)
        fire = -np.expm1(group_log)  # (size, G)
        fired = generator.random((size, len(sigs))) < fire
        hit = fired.astype(np.float32) @ incidence
        hits += int(np.count_nonzero((hit > 0.5).all(axis=1)))
    return hits


#: The methods of :func:`all_fail_probability`, by name: ``f(structure, targets) -> float``
#: (``"montecarlo"`` also takes its keywords). A new engine registers itself here.
METHODS: dict[str, Callable[..., Any]] = {
    "auto": _auto,
    "exact": _exact,
    "inclusion-exclusion": _inclusion_exclusion,
    "enumerate": _enumerate,
    "bdd": bdd.structure_probability,  # imports dd on first use only
    "montecarlo": _montecarlo,
}


def all_fail_probability(
    structure: Structure,
    targets: Sequence[str],
    *,
    method: str = "auto",
    n_samples: int = DEFAULT_SAMPLES,
    rng: np.random.Generator | int | None = None,
    level: float = 0.95,
) -> float:
    """Return the probability that every target (case or assumption) fails.

    Parameters
    ----------
    structure : Structure
        The compiled portfolio (``Portfolio.structure``).
    targets : sequence of str
        Case or assumption ids.
    method : {"auto", "exact", "inclusion-exclusion", "enumerate", "bdd", "montecarlo"}
        See the module docstring (``"auto"``: ``"exact"``, or ``"bdd"`` past its limits).
    n_samples, rng, level
        For ``"montecarlo"`` only: the number of samples, the random generator (or seed) and
        the level of the confidence interval.

    Returns
    -------
    float
        A Python float; for ``"montecarlo"`` a :class:`MonteCarloEstimate`, a float subclass
        equal to the point estimate that carries its confidence interval.

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.Portfolio.from_dict({
    ...     "assumptions": {"A": {"statement": "a", "p_fail": 0.1},
    ...                     "B": {"statement": "b", "p_fail": 0.2},
    ...                     "C": {"statement": "c", "p_fail": 0.3}},
    ...     "cases": {"X": {"statement": "x", "assumptions": ["A", "B"], "covers": ["S"]},
    ...               "Y": {"statement": "y", "assumptions": ["A", "C"], "covers": ["S"]}},
    ...     "scenarios": {"S": {"statement": "s"}},
    ... })
    >>> round(all_fail_probability(P.structure, ["X", "Y"]), 12)  # 0.1 + 0.9 * 0.2 * 0.3
    0.154
    """
    if method not in METHODS:
        hint = did_you_mean(method, METHODS)
        raise PortfolioError(
            None, f"unknown method {method!r}{hint}; choose one of {', '.join(METHODS)}"
        )
    require_points(structure, targets)
    if method == "montecarlo":
        return _montecarlo(structure, targets, n_samples=n_samples, rng=rng, level=level)
    if rng is not None:
        raise PortfolioError(None, f"rng= is only used by method='montecarlo', not {method!r}")
    return float(METHODS[method](structure, targets))
