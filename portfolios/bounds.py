r"""Bounds on P(every covering case fails): interval probabilities and unknown dependence.

Definitions
-----------
Given the latent states ``w``, a scenario is unprotected when every covering case fails, and a
case fails when one of the *units* of its path set fails (:mod:`portfolios.structure`): an
assumption failing on its own, with probability ``q_a(w)``, or a soundness error ``e_c``. The
file's model says more: the latent variables fail independently with probability ``p_j``, and
*given the latent states the units fail independently*. This module drops what a reviewer
does not know.

``dependence="independent"`` (interval probabilities, the file's dependence)
    Some probabilities are intervals (:mod:`portfolios.values`). ``P(U)`` is then a function
    of the parameters: it is **non-decreasing** in every unit's probability (given ``w`` the
    structure is monotone and the units are independent; an increase coupled to the old
    failure event only adds failures), so in every assumption ``p_fail``, every ``holds`` and
    ``fails`` entry of a conditional ``p_fail`` (each is a unit's probability in some latent
    states) and every soundness error; and it is **affine in each latent variable's**
    ``p_j`` taken alone (``P(U) = (1 - p_j) P(U | j holds) + p_j P(U | j fails)``), so
    multilinear in the latent ``p`` jointly. Hence the exact bounds: the units' parameters at
    their lower (upper) ends, and the latent parameters at the vertex of their box that
    minimises (maximises) the multilinear function. The vertices are not enumerated one by
    one: the per-latent-state probabilities ``P(U | w)`` are computed once per end
    (:func:`portfolios.probability.state_probabilities`) and contracted, one latent variable
    at a time, with ``[[1 - lo, lo], [1 - hi, hi]]`` (an interval) or ``[1 - p, p]`` (a
    number): ``O(L 2^L)`` operations give the values at all ``2^m`` vertices of the ``m``
    interval latent variables (at most :data:`~portfolios.structure.MAX_LATENT` = 16 latent
    variables, the exact engine's limit; more are refused with a message saying so). A latent
    interval shared (``{param: NAME}``) with any other probability is refused: ``P(U)`` is
    then a polynomial of higher degree in it, and its extremes need not be at the ends.

``dependence="unknown"`` (Boole-Fréchet-Hailperin bounds)
    Nothing is assumed about how the units fail together *inside each latent state*; the
    latent structure the file states is kept: the latent variables are independent with
    their ``p_fail``, and given the latent states every unit fails with its stated
    probability (an assumption's ``holds`` or ``fails`` entry, which depends on its one latent
    variable and on no other; a soundness error's ``soundness_error``). The joint law of
    the units given ``w`` is otherwise arbitrary, and may differ between latent states. The
    bounds are the tightest over every such law. Because the constraints bind each latent
    state separately, ``min P(U) = sum_w P(w) min_{Q_w} Q_w(U)`` (and the same for the
    maximum): one problem per latent state, combined as above (units at their ends by
    monotonicity, which holds for the tightest bounds too; latent parameters at the vertices).

    Inside a latent state the problem is Hailperin's linear programme over the *atoms* of the
    events that matter. It is reduced exactly twice. (1) Units with the same *signature* (the
    set of covering cases whose path contains them) act only through their union, the
    *group*: a group's probability ``g`` can be anything in ``[max_u q_u, min(1, sum_u
    q_u)]`` (every coupling of its units gives such a ``g``; conversely an event of
    probability ``g`` is covered exactly by events of probabilities ``q_u <= g`` with
    ``sum q_u >= g``, laid end to end around it). (2) Blocks of cases that share no group are
    joined by the two-event Fréchet rule, which is exact for events over disjoint units. For
    a block of ``G`` groups covering ``k`` cases the programme is

    .. math::

        \min / \max \sum_{S \text{ covers every case}} x_S
        \quad\text{s.t.}\quad \sum_{S \ni i} x_S \in [a_i, b_i]\ (i \le G),
        \quad \sum_{S \ne \emptyset} x_S \le 1, \quad x \ge 0,

    with one variable per non-empty set ``S`` of groups (the atom "exactly the groups of ``S``
    fail"; the empty atom takes the rest of the mass), ``a_i = max_u q_u`` and
    ``b_i = min(1, sum_u q_u)`` over the group's units. It is solved with
    :func:`scipy.optimize.linprog`, ``method="highs-ds"`` (HiGHS's dual simplex), after
    scaling each atom's variable by its largest possible value ``min_{i in S} b_i`` and the
    objective by the Fréchet upper bound, so that probabilities of ``1e-9`` are not below
    the solver's tolerances. The solver works to its feasibility and optimality tolerances
    (``1e-9`` here, on the scaled programme): the bounds are exact to about ``1e-9`` relative
    to the block's largest group probability. At most :data:`MAX_LP_ATOMS` atoms per
    programme and :data:`MAX_LP_CELLS` atoms over all programmes of one bound; past that the
    method refuses and names ``method="frechet"``.

``method="frechet"`` (unknown dependence, any size)
    The Fréchet intervals propagated gate by gate through the compiled two-level structure:
    each case is an OR of the units of its path set, ``[max q, min(1, sum q)]``, and the
    scenario an AND of its cases, ``[max(0, sum lo - (k - 1)), min hi]``, in each latent
    state, then weighted by the latent states as above. Valid for every joint law, and
    *tight* when no unit is shared between two covering cases (every gate then reads
    disjoint events); otherwise it can be looser than the programme, because the AND gate
    does not know that its inputs share units. Past :data:`~portfolios.structure.MAX_LATENT`
    latent variables it drops the latent structure (each unit at its marginal probability,
    over the latent parameters' ranges): still valid, looser.

The smallest case where the two differ: cases ``X`` on assumptions ``A, B`` and ``Y`` on
``A, C``, with ``P(A) = a``, ``P(B) = b``, ``P(C) = c``. ``X and Y`` fail together exactly when
``A or (B and C)`` does, so the programme gives
``[a + max(0, (b - a)^+ + (c - a)^+ - (1 - a)), a + min(b, c, 1 - a)]``, while the gates give
``[max(0, max(a, b) + max(a, c) - 1), min(a + b, a + c, 1)]``: for ``a, b, c = 0.2, 0.3, 0.4``,
``[0.2, 0.5]`` against ``[0, 0.5]`` (and ``0.2 + 0.8 * 0.12 = 0.296`` if independent).

Examples
--------
>>> import portfolios
>>> P = portfolios.Portfolio.from_dict({
...     "assumptions": {"A": {"statement": "a", "p_fail": 0.2},
...                     "B": {"statement": "b", "p_fail": 0.3},
...                     "C": {"statement": "c", "p_fail": 0.4}},
...     "cases": {"X": {"statement": "x", "assumptions": ["A", "B"], "covers": ["S"]},
...               "Y": {"statement": "y", "assumptions": ["A", "C"], "covers": ["S"]}},
...     "scenarios": {"S": {"statement": "s"}},
... })
>>> bounds(P.structure, "S", dependence="unknown")
Bounds(S: [0.2, 0.5], unknown dependence, lp, tight)
>>> bounds(P.structure, "S", dependence="unknown", method="frechet")
Bounds(S: [0, 0.5], unknown dependence, frechet, not tight)
>>> bounds(P.structure, "S")  # all numbers: the interval is the point 0.2 + 0.8 * 0.3 * 0.4
Bounds(S: [0.296, 0.296], independent, vertices, tight)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from . import _html
from .errors import ComputationLimitError, PortfolioError, UnknownIdError, did_you_mean
from .limits import MAX_LATENT, MAX_LP_ATOMS, MAX_LP_CELLS
from .probability import ExactPlan, exact_plan, state_probabilities
from .structure import Structure, covering_cases, minimal_sets
from .values import Interval

__all__ = [
    "DEPENDENCE",
    "LP_TOLERANCE",
    "MAX_LP_ATOMS",
    "MAX_LP_CELLS",
    "Bounds",
    "bounds",
    "joint_bounds",
    "parameter_ends",
]

#: The dependence assumptions of :func:`bounds` and their methods (the first is the default).
DEPENDENCE: dict[str, tuple[str, ...]] = {
    "independent": ("vertices",),
    "unknown": ("lp", "frechet"),
}
#: HiGHS's primal and dual feasibility tolerances on the scaled programme.
LP_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Bounds:
    """The tightest interval for a probability, and how it was obtained.

    Attributes
    ----------
    targets : tuple of str
        The cases (or assumptions) that all fail.
    lower, upper : float
        The bounds.
    dependence : str
        ``"independent"`` (the file's conditional independence, interval probabilities) or
        ``"unknown"`` (any joint law of the units inside each latent state).
    method : str
        ``"vertices"``, ``"lp"`` (Hailperin's programme, HiGHS dual simplex) or
        ``"frechet"`` (gate-by-gate Fréchet intervals).
    tight : bool
        True when ``lower`` and ``upper`` are attained (best possible) under the dependence
        assumption; False for Fréchet intervals that may be loose.
    lower_at, upper_at : mapping of str to float
        The values of the interval parameters involved at which each end is attained
        (:mod:`portfolios.parameters` names them); a distribution counts as its mean. For
        Fréchet intervals without the latent structure (past ``MAX_LATENT`` latent
        variables) only the units' parameters are listed.
    latent_states : int
        The number of latent states summed over (1 when the latent structure was dropped).
    atoms : int
        The largest number of atoms of one linear programme (0 for other methods).
    scenario : str or None
        The scenario, when the targets are its covering cases.
    """

    targets: tuple[str, ...]
    lower: float
    upper: float
    dependence: str
    method: str
    tight: bool
    lower_at: Mapping[str, float]
    upper_at: Mapping[str, float]
    latent_states: int = 1
    atoms: int = 0
    scenario: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lower_at", MappingProxyType(dict(self.lower_at)))
        object.__setattr__(self, "upper_at", MappingProxyType(dict(self.upper_at)))

    @property
    def width(self) -> float:
        """``upper - lower``."""
        return self.upper - self.lower

    @property
    def is_point(self) -> bool:
        """True when ``lower == upper``."""
        return self.lower == self.upper

    def __contains__(self, value: float) -> bool:
        return self.lower <= value <= self.upper

    def to_dict(self) -> dict[str, Any]:
        """Return plain data: the fields, with the mappings as dicts."""
        return {
            "lower": self.lower,
            "upper": self.upper,
            "dependence": self.dependence,
            "method": self.method,
            "tight": self.tight,
            "lower_at": dict(self.lower_at),
            "upper_at": dict(self.upper_at),
        }

    def __repr__(self) -> str:
        what = self.scenario or ", ".join(self.targets)
        dependence = "unknown dependence" if self.dependence == "unknown" else "independent"
        tight = "tight" if self.tight else "not tight"
        return (
            f"Bounds({what}: [{self.lower:.6g}, {self.upper:.6g}], {dependence}, "
            f"{self.method}, {tight})"
        )

    def _repr_html_(self) -> str:
        """Return the HTML tables Jupyter shows: the interval, then where each end is attained."""
        what = self.scenario or ", ".join(self.targets)
        items = [
            ("lower", f"{self.lower:.6g}"),
            ("upper", f"{self.upper:.6g}"),
            ("dependence", self.dependence),
            ("method", self.method),
            ("tight", "yes" if self.tight else "no (may be loose)"),
        ]
        names = list(dict.fromkeys([*self.lower_at, *self.upper_at]))
        rows = [
            [
                n,
                f"{self.lower_at[n]:.6g}" if n in self.lower_at else "-",
                f"{self.upper_at[n]:.6g}" if n in self.upper_at else "-",
            ]
            for n in names
        ]
        parts = [_html.pairs(items)]
        if rows:
            head = ["parameter", "value at the lower end", "value at the upper end"]
            parts.append(_html.table(head, rows, "lrr"))
        return _html.document(f"Bounds on P(all of {what} fail)", *parts)


# --------------------------------------------------------------------------- parameters


def parameter_ends(structure: Structure) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return the ends of every probability: ``(unit_lo, unit_hi, latent_lo, latent_hi)``.

    ``unit_*`` have the shape of ``structure.unit_p`` and ``latent_*`` that of
    ``structure.latent_p``: an interval's ends, a distribution's mean at both ends, a number
    at both ends.
    """
    params = structure.parameters
    lo = np.array([v.lo if isinstance(v, Interval) else v.mean for v in params.values] + [0.0])
    hi = np.array([v.hi if isinstance(v, Interval) else v.mean for v in params.values] + [0.0])
    unit_lo = np.where(params.unit_slot >= 0, lo[params.unit_slot], structure.unit_p)
    unit_hi = np.where(params.unit_slot >= 0, hi[params.unit_slot], structure.unit_p)
    latent_lo = np.where(params.latent_slot >= 0, lo[params.latent_slot], structure.latent_p)
    latent_hi = np.where(params.latent_slot >= 0, hi[params.latent_slot], structure.latent_p)
    return unit_lo, unit_hi, latent_lo, latent_hi


def _interval_latents(structure: Structure, variables: Sequence[int]) -> list[int]:
    """Positions (in ``variables``) of the latent variables with an interval; refuse sharing."""
    params = structure.parameters
    out = []
    for i, j in enumerate(variables):
        slot = int(params.latent_slot[j])
        if slot < 0 or not isinstance(params.values[slot], Interval):
            continue
        if params.uses(slot) > 1:
            raise PortfolioError(
                None,
                f"bounds: the interval parameter {params.names[slot]!r} sets latent variable "
                f"{structure.latent[j]!r} and {params.uses(slot) - 1} other probabilities; the "
                "probability is then a polynomial of higher degree in it and its extremes need "
                "not be at the ends of the interval: give the latent variable its own interval",
            )
        out.append(i)
    return out


def _vertex_values(
    per_state: np.ndarray, lo: np.ndarray, hi: np.ndarray, free: Sequence[int]
) -> np.ndarray:
    """Contract per-latent-state values with the latent probabilities; keep vertex axes.

    ``per_state`` has shape ``(2^r,)`` (bit ``i`` of the state: variable ``i`` failed); the
    result has one axis of length 2 per variable in ``free`` (0: at ``lo``, 1: at ``hi``),
    in order, and no axis for the others (at ``lo == hi``).
    """
    r = len(lo)
    T = per_state.reshape((2,) * r).T if r else per_state.reshape(())
    for i in range(r):  # axis 0 is always variable i: contracted axes leave, choices go last
        if i in free:
            M = np.array([[1.0 - lo[i], lo[i]], [1.0 - hi[i], hi[i]]])
            T = np.tensordot(T, M, axes=([0], [1]))
        else:
            T = np.tensordot(T, np.array([1.0 - lo[i], lo[i]]), axes=([0], [0]))
    return np.asarray(T, dtype=float)


def _attained(
    structure: Structure,
    plan: ExactPlan,
    free: Sequence[int],
    vertex: tuple[int, ...],
    end: str,
) -> dict[str, float]:
    """Return the interval parameters' values at one end: units at ``end``, latent at ``vertex``."""
    params = structure.parameters
    out: dict[str, float] = {}
    intervals = set(params.intervals)
    for slot in sorted({int(s) for s in params.unit_slot[plan.units].ravel()} & intervals):
        value = params.values[slot]
        assert isinstance(value, Interval)
        out[params.names[slot]] = value.lo if end == "lo" else value.hi
    for position, choice in zip(free, vertex, strict=True):
        slot = int(params.latent_slot[plan.variables[position]])
        value = params.values[slot]
        assert isinstance(value, Interval)
        out[params.names[slot]] = value.hi if choice else value.lo
    return out


def _combine(
    structure: Structure,
    plan: ExactPlan,
    low_states: np.ndarray,
    high_states: np.ndarray,
) -> tuple[float, float, dict[str, float], dict[str, float]]:
    """Weight per-state lower and upper values by the latent states at the extreme vertices."""
    _, _, latent_lo, latent_hi = parameter_ends(structure)
    variables = list(plan.variables)
    free = _interval_latents(structure, variables)
    lo, hi = latent_lo[variables], latent_hi[variables]
    low = _vertex_values(low_states, lo, hi, free)
    high = _vertex_values(high_states, lo, hi, free)
    v_low = np.unravel_index(int(np.argmin(low)), low.shape) if low.ndim else ()
    v_high = np.unravel_index(int(np.argmax(high)), high.shape) if high.ndim else ()
    lower = min(1.0, max(0.0, float(low[v_low])))
    upper = min(1.0, max(0.0, float(high[v_high])))
    at_low = _attained(structure, plan, free, tuple(int(x) for x in v_low), "lo")
    at_high = _attained(structure, plan, free, tuple(int(x) for x in v_high), "hi")
    return lower, upper, at_low, at_high


# --------------------------------------------------------------------------- unknown dependence


def _group_ranges(plan: ExactPlan, unit_p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per group and latent state: ``[max q, min(1, sum q)]`` of its units, shape (G, 2^r)."""
    n = len(plan.units)
    probs = unit_p[np.arange(n)[:, None], plan.column]  # (n, 2^r)
    low = np.array([probs[members].max(axis=0) for members in plan.groups])
    high = np.array([np.minimum(1.0, probs[members].sum(axis=0)) for members in plan.groups])
    return low.reshape(len(plan.groups), -1), high.reshape(len(plan.groups), -1)


def _lp_block(sigs: tuple[int, ...], k: int, a: np.ndarray, b: np.ndarray, sense: str) -> float:
    """Hailperin's programme for one block in one latent state (module docstring)."""
    from scipy.optimize import linprog

    full = (1 << k) - 1
    live = [i for i in range(len(sigs)) if b[i] > 0.0]
    if not live or _union(sigs, live) != full:  # some case cannot fail in this state
        return 0.0
    frechet_upper = min(
        min(1.0, math.fsum(b[i] for i in live if sigs[i] >> t & 1)) for t in range(k)
    )
    if frechet_upper == 0.0:
        return 0.0
    g = len(live)
    atoms = np.arange(1, 1 << g)
    member = (atoms[:, None] >> np.arange(g)[None, :]) & 1 == 1  # (atoms, g)
    live_b = np.array([b[i] for i in live])
    live_a = np.array([a[i] for i in live])
    scale = np.where(member, live_b[None, :], np.inf).min(axis=1)  # largest x_S
    covered = np.zeros(len(atoms), dtype=np.int64)
    for pos, i in enumerate(live):
        covered |= np.where(member[:, pos], sigs[i], 0)
    # a covering atom contains a group of every case: its scale is at most the Fréchet bound
    objective = np.where(covered == full, scale, 0.0) / frechet_upper
    rows = np.zeros((g, len(atoms)))  # row i, scaled by 1 / b_i: x_S / b_i <= 1 for i in S
    np.divide(np.broadcast_to(scale, rows.shape), live_b[:, None], out=rows, where=member.T)
    A_ub = np.vstack([rows, -rows, scale[None, :]])
    b_ub = np.concatenate([np.ones(g), -live_a / live_b, [1.0]])
    sign = 1.0 if sense == "min" else -1.0
    result = linprog(
        sign * objective,
        A_ub=A_ub,
        b_ub=b_ub,
        bounds=(0.0, 1.0),
        method="highs-ds",
        options={
            "primal_feasibility_tolerance": LP_TOLERANCE,
            "dual_feasibility_tolerance": LP_TOLERANCE,
        },
    )
    if result.status != 0:
        raise PortfolioError(
            None, f"the linear programme of the unknown-dependence bound failed: {result.message}"
        )
    value = float(sign * result.fun) * frechet_upper
    return min(frechet_upper, max(0.0, value))


def _union(sigs: Sequence[int], rows: Sequence[int]) -> int:
    out = 0
    for i in rows:
        out |= sigs[i]
    return out


def _lp_states(plan: ExactPlan, unit_p: np.ndarray, sense: str) -> tuple[np.ndarray, int]:
    """Per latent state: the programme's optimum for the whole target set, and atoms used."""
    low, high = _group_ranges(plan, unit_p)
    n_states = plan.n_states
    cells = sum(((1 << len(rows)) - 1) for rows, _, _ in plan.blocks) * n_states
    largest = max((((1 << len(rows)) - 1) for rows, _, _ in plan.blocks), default=0)
    if largest > MAX_LP_ATOMS or cells > MAX_LP_CELLS:
        raise ComputationLimitError(
            None,
            f"lp: the unknown-dependence programmes would have {largest} atoms each and "
            f"{cells} in all ({n_states} latent states); at most MAX_LP_ATOMS = "
            f"{MAX_LP_ATOMS} and MAX_LP_CELLS = {MAX_LP_CELLS}: use method='frechet'",
        )
    cache: dict[tuple[Any, ...], float] = {}
    out = np.empty(n_states)
    for s in range(n_states):
        per_block = []
        for rows, local, k in plan.blocks:
            a, b = low[list(rows), s], high[list(rows), s]
            key = (local, k, a.tobytes(), b.tobytes(), sense)
            if key not in cache:
                cache[key] = _lp_block(local, k, a, b, sense)
            per_block.append(cache[key])
        out[s] = _frechet_and(per_block, sense)
    return out, largest


def _frechet_and(values: Sequence[float], sense: str) -> float:
    """Fréchet's AND of events over disjoint units with these lower (or upper) values."""
    if sense == "max":
        return min(values, default=1.0)
    return max(0.0, math.fsum(values) - (len(values) - 1))


# --------------------------------------------------------------------------- Fréchet gates


def _frechet(structure: Structure, targets: Sequence[str]) -> Bounds:
    paths = minimal_sets([structure.paths[t] for t in targets], key=len)
    units = sorted(set().union(*paths))
    unit_lo, unit_hi, latent_lo, latent_hi = parameter_ends(structure)
    which = [int(j) for j in structure.unit_latent[units]]
    variables = sorted({j for j in which if j >= 0})
    position = {j: i for i, j in enumerate(variables)}
    member = np.array([[u in path for u in units] for path in paths])  # (k, n)
    shared = bool((member.sum(axis=0) > 1).any())
    kept = len(variables) <= MAX_LATENT  # else the latent structure is dropped
    if kept:
        r = len(variables)
        bits = (np.arange(1 << r)[:, None] >> np.arange(r)[None, :]) & 1
        column = np.zeros((len(units), 1 << r), dtype=np.intp)
        for i, j in enumerate(which):
            if j >= 0:
                column[i] = bits[:, position[j]]
        q_lo = unit_lo[units][np.arange(len(units))[:, None], column]
        q_hi = unit_hi[units][np.arange(len(units))[:, None], column]
        states = 1 << r
    else:  # drop the latent structure: each unit at its marginal, over the latent ranges
        q_lo, q_hi = np.empty((len(units), 1)), np.empty((len(units), 1))
        for i, (u, j) in enumerate(zip(units, which, strict=True)):
            if j < 0:
                q_lo[i], q_hi[i] = unit_lo[u, 0], unit_hi[u, 0]
                continue
            ends = (latent_lo[j], latent_hi[j])
            q_lo[i] = min((1 - p) * unit_lo[u, 0] + p * unit_lo[u, 1] for p in ends)
            q_hi[i] = max((1 - p) * unit_hi[u, 0] + p * unit_hi[u, 1] for p in ends)
        states = 1
    k = len(paths)
    case_lo = np.array([np.where(member[t][:, None], q_lo, 0.0).max(axis=0) for t in range(k)])
    case_hi = np.array(
        [np.minimum(1.0, np.where(member[t][:, None], q_hi, 0.0).sum(axis=0)) for t in range(k)]
    )
    low_states = np.maximum(0.0, case_lo.sum(axis=0) - (k - 1))
    high_states = case_hi.min(axis=0)
    if not kept:
        lower, upper = float(low_states[0]), float(high_states[0])
        at_low = _frechet_attained(structure, units, "lo")
        at_high = _frechet_attained(structure, units, "hi")
    else:
        plan = _frechet_plan(structure, targets, units, variables)
        lower, upper, at_low, at_high = _combine(structure, plan, low_states, high_states)
    return Bounds(
        targets=tuple(targets),
        lower=min(1.0, max(0.0, lower)),
        upper=min(1.0, max(0.0, upper)),
        dependence="unknown",
        method="frechet",
        tight=kept and not shared,
        lower_at=at_low,
        upper_at=at_high,
        latent_states=states,
    )


def _frechet_plan(
    structure: Structure, targets: Sequence[str], units: list[int], variables: list[int]
) -> ExactPlan:
    """Return a plan carrying only what :func:`_combine` reads (units and latent variables)."""
    return ExactPlan(
        targets=tuple(targets),
        variables=tuple(variables),
        units=np.array(units, dtype=np.intp),
        unit_state=np.full(len(units), -1, dtype=np.intp),
        column=np.zeros((len(units), 1), dtype=np.intp),
        groups=(),
        blocks=(),
    )


def _frechet_attained(structure: Structure, units: list[int], end: str) -> dict[str, float]:
    params = structure.parameters
    out: dict[str, float] = {}
    slots = {int(s) for s in params.unit_slot[units].ravel()}  # the latent ends vary by unit
    for slot in sorted(slots & set(params.intervals)):
        value = params.values[slot]
        assert isinstance(value, Interval)
        out[params.names[slot]] = value.lo if end == "lo" else value.hi
    return out


# --------------------------------------------------------------------------- entry points


def joint_bounds(
    structure: Structure,
    targets: Sequence[str],
    *,
    dependence: str = "independent",
    method: str | None = None,
    scenario: str | None = None,
) -> Bounds:
    """Return the bounds on P(every target fails) (module docstring).

    Parameters
    ----------
    structure : Structure
        The compiled portfolio (``Portfolio.structure``).
    targets : sequence of str
        Case or assumption ids.
    dependence : {"independent", "unknown"}
    method : str, optional
        ``"vertices"`` for ``"independent"``; ``"lp"`` (default) or ``"frechet"`` for
        ``"unknown"``.
    scenario : str, optional
        Recorded in the result.

    Returns
    -------
    Bounds
    """
    if dependence not in DEPENDENCE:
        raise PortfolioError(
            None,
            f"unknown dependence {dependence!r}{did_you_mean(dependence, DEPENDENCE)}; choose one "
            f"of {', '.join(DEPENDENCE)}",
        )
    methods = DEPENDENCE[dependence]
    method = methods[0] if method is None else method
    if method not in methods:
        raise PortfolioError(
            None,
            f"method {method!r} does not go with dependence={dependence!r}"
            f"{did_you_mean(method, methods)}; choose one of {', '.join(methods)}",
        )
    if isinstance(targets, str) or len(targets) == 0:
        raise PortfolioError(None, "need a non-empty sequence of case or assumption ids")
    for t in targets:
        if t not in structure.paths:
            hint = did_you_mean(t, structure.paths)
            raise UnknownIdError(None, f"unknown case or assumption {t!r}{hint}")
    if method == "frechet":
        return _with_scenario(_frechet(structure, targets), scenario)
    plan = exact_plan(structure, targets)
    unit_lo, unit_hi, _, _ = parameter_ends(structure)
    lo_u, hi_u = unit_lo[plan.units], unit_hi[plan.units]
    atoms = 0
    if dependence == "independent":
        low_states = state_probabilities(plan, lo_u)
        high_states = state_probabilities(plan, hi_u)
    else:
        low_states, atoms = _lp_states(plan, lo_u, "min")
        high_states, _ = _lp_states(plan, hi_u, "max")
    lower, upper, at_low, at_high = _combine(structure, plan, low_states, high_states)
    return Bounds(
        targets=tuple(targets),
        lower=lower,
        upper=upper,
        dependence=dependence,
        method=method,
        tight=True,
        lower_at=at_low,
        upper_at=at_high,
        latent_states=plan.n_states,
        atoms=atoms,
        scenario=scenario,
    )


def _with_scenario(b: Bounds, scenario: str | None) -> Bounds:
    if scenario is None:
        return b
    return Bounds(
        targets=b.targets,
        lower=b.lower,
        upper=b.upper,
        dependence=b.dependence,
        method=b.method,
        tight=b.tight,
        lower_at=b.lower_at,
        upper_at=b.upper_at,
        latent_states=b.latent_states,
        atoms=b.atoms,
        scenario=scenario,
    )


def bounds(
    structure: Structure,
    scenario: str,
    *,
    dependence: str = "independent",
    method: str | None = None,
) -> Bounds:
    """Return the bounds on P(``scenario`` is unprotected) (module docstring).

    Parameters
    ----------
    structure : Structure
        The compiled portfolio (``Portfolio.structure``).
    scenario : str
    dependence : {"independent", "unknown"}
        ``"independent"``: the file's model, with every interval probability anywhere in its
        interval (exact: monotonicity and vertices). ``"unknown"``: any joint law of the
        units inside each latent state.
    method : str, optional
        For ``"unknown"``: ``"lp"`` (default; exact, refused past :data:`MAX_LP_ATOMS` /
        :data:`MAX_LP_CELLS`) or ``"frechet"`` (valid for any size, possibly loose).

    Returns
    -------
    Bounds
    """
    cases = covering_cases(structure, scenario)
    return joint_bounds(structure, cases, dependence=dependence, method=method, scenario=scenario)
