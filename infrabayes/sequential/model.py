r"""The compiled infra-MDP: checked plain arrays that every solver reads.

Definitions
-----------
A **crisp infra-MDP** has finite states :math:`S`, actions :math:`A` (``available[s, a]`` says
which actions a state offers), rewards :math:`r(s, a)` in a stated range :math:`[lo, hi]`
(default :math:`[0, 1]`), a discount :math:`\gamma` and, per available state-action pair, a
**credal set** :math:`C(s, a)` of next-state distributions, given either by

* **intervals**: :math:`C(s, a) = \{p : \ell \le p \le u, \sum_j p_j = 1\}` (a
  "bounded-parameter" pair; Givan, Leach and Dean 2000), or
* **vertices**: :math:`C(s, a) = \operatorname{conv}\{v_1, \dots, v_K\}` (a polytope).

The sets are **(s, a)-rectangular**: the whole model is the product of the sets :math:`C(s, a)`,
and Murphy, the adversary, picks a distribution from :math:`C(s, a)` afresh at every visit of
:math:`(s, a)`, knowing the visit (see :mod:`infrabayes.sequential.hidden` for the contrast).

:class:`Model` is plain data: tuples of names and read-only numpy arrays, exact (dtype object
holding ``Fraction`` s) when every input number is an ``int`` or ``Fraction``, float64 otherwise.
Rows of state-action pairs are numbered ``s * n_actions + a`` (*flat rows*).
:func:`build` checks everything and is the only way in; the solvers never check again.

Tolerances
----------
Exact models are checked exactly. Float models accept sums of probabilities within
:data:`SUM_TOLERANCE` of 1, relative to the total mass 1: a vertex must sum to 1 within it,
and intervals need :math:`\sum_j \ell_j \le 1 + \text{tol}` and :math:`\sum_j u_j \ge
1 - \text{tol}`. No other tolerance is applied on input.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from infrabayes._numbers import Number, format_number, read_only

__all__ = ["SUM_TOLERANCE", "Model", "build", "horizon_weight"]

#: Float models: a vertex sums to 1 and interval bounds admit a distribution within this
#: tolerance, relative to the total mass 1.
SUM_TOLERANCE = 1e-9


@dataclass(frozen=True, eq=False)
class Model:
    r"""A checked crisp infra-MDP as plain arrays (see the module docstring).

    Attributes
    ----------
    states, actions : tuple of hashable
        The names; arrays follow their order.
    available : ndarray of bool, shape (S, A)
        Which actions each state offers (every state offers at least one).
    rewards : ndarray, shape (S, A)
        :math:`r(s, a)`; 0 where the action is not available.
    discount : Fraction or float
        :math:`\gamma`, in [0, 1) (in [0, 1] with a finite horizon).
    horizon : int or None
        The number of decisions of a finite-horizon problem; None for the discounted infinite
        horizon.
    reward_range : tuple
        ``(lo, hi)``: every reward lies in it.
    interval_rows : ndarray of int, shape (n_i,)
        The flat rows given by intervals, ascending; ``lower``/``upper`` follow this order.
    lower, upper : ndarray, shape (n_i, S)
        The interval bounds.
    vertex_rows : ndarray of int, shape (n_v,)
        The flat rows given by vertices, ascending.
    vertices : ndarray, shape (n_v, K, S)
        The vertices of each such row; a row with fewer than ``K`` vertices repeats its first.
    vertex_counts : ndarray of int, shape (n_v,)
        How many vertices each row was given.
    exact : bool
        Whether the arrays hold ``Fraction`` s (dtype object).
    """

    states: tuple[Hashable, ...]
    actions: tuple[Hashable, ...]
    available: np.ndarray
    rewards: np.ndarray
    discount: Number
    horizon: int | None
    reward_range: tuple[Number, Number]
    interval_rows: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    vertex_rows: np.ndarray
    vertices: np.ndarray
    vertex_counts: np.ndarray
    exact: bool

    @property
    def n_states(self) -> int:
        """The number of states."""
        return len(self.states)

    @property
    def n_actions(self) -> int:
        """The number of actions (over all states)."""
        return len(self.actions)

    @property
    def horizon_weight(self) -> Number:
        r"""The total weight :math:`G` of the rewards: :math:`\sum_t \gamma^t`.

        :math:`1 / (1 - \gamma)` for the discounted infinite horizon, :math:`\sum_{t < H}
        \gamma^t` for a horizon :math:`H`. Values lie in :math:`[lo \cdot G, hi \cdot G]`.
        """
        return horizon_weight(self.discount, self.horizon)

    @property
    def value_scale(self) -> Number:
        r"""The width of the range of values, :math:`(hi - lo) \cdot G`.

        Tolerances on values are relative to it.
        """
        lo, hi = self.reward_range
        return (hi - lo) * self.horizon_weight

    def row(self, state: int, action: int) -> int:
        """Return the flat row of a state-action pair (indices)."""
        return state * len(self.actions) + action

    def pair(self, row: int) -> tuple[Hashable, Hashable]:
        """Return the names ``(state, action)`` of a flat row."""
        s, a = divmod(int(row), len(self.actions))
        return self.states[s], self.actions[a]

    def available_rows(self) -> np.ndarray:
        """Return the flat rows of the available pairs, ascending."""
        return np.flatnonzero(self.available.reshape(-1))

    def credal_set(self, row: int) -> tuple[str, np.ndarray, np.ndarray | None]:
        """Return ``("interval", lower, upper)`` or ``("vertices", vertices, None)`` of a row."""
        i = np.searchsorted(self.interval_rows, row)
        if i < len(self.interval_rows) and self.interval_rows[i] == row:
            return "interval", self.lower[i], self.upper[i]
        j = np.searchsorted(self.vertex_rows, row)
        if j < len(self.vertex_rows) and self.vertex_rows[j] == row:
            return "vertices", self.vertices[j, : self.vertex_counts[j]], None
        state, action = self.pair(row)
        raise ValueError(f"action {action!r} is not available in state {state!r}")

    def as_float(self) -> Model:
        """Return the model with float64 arrays (itself if already float)."""
        if not self.exact:
            return self
        lo, hi = self.reward_range
        return Model(
            states=self.states,
            actions=self.actions,
            available=self.available,
            rewards=_ro(self.rewards.astype(np.float64)),
            discount=float(self.discount),
            horizon=self.horizon,
            reward_range=(float(lo), float(hi)),
            interval_rows=self.interval_rows,
            lower=_ro(self.lower.astype(np.float64)),
            upper=_ro(self.upper.astype(np.float64)),
            vertex_rows=self.vertex_rows,
            vertices=_ro(self.vertices.astype(np.float64)),
            vertex_counts=self.vertex_counts,
            exact=False,
        )


def horizon_weight(discount: Number, horizon: int | None) -> Number:
    r"""Return :math:`\sum_t \gamma^t`: :math:`1/(1-\gamma)`, or :math:`\sum_{t<H} \gamma^t`.

    Examples
    --------
    >>> horizon_weight(Fraction(1, 2), None), horizon_weight(Fraction(1, 2), 3)
    (Fraction(2, 1), Fraction(7, 4))
    """
    if horizon is None:
        return 1 / (1 - discount)
    one: Number = Fraction(1) if isinstance(discount, Fraction) else 1.0
    return sum((discount**t for t in range(horizon)), one * 0)


def _ro(arr: np.ndarray) -> np.ndarray:
    return read_only(arr)


def _name_pair(states: Sequence[Hashable], actions: Sequence[Hashable], row: Any) -> str:
    s, a = divmod(int(row), len(actions))
    return f"(state {states[s]!r}, action {actions[a]!r})"


def build(
    *,
    states: tuple[Hashable, ...],
    actions: tuple[Hashable, ...],
    available: np.ndarray,
    rewards: np.ndarray,
    discount: Number,
    horizon: int | None,
    reward_range: tuple[Number, Number],
    interval_rows: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    vertex_rows: np.ndarray,
    vertices: np.ndarray,
    vertex_counts: np.ndarray,
) -> Model:
    """Check the arrays and return the :class:`Model` (the arrays are copied, never modified).

    Number arrays are dtype object (``Fraction`` s) or float64, as read by
    ``infrabayes._numbers.vector``; if any of them (or the discount or the reward range) is
    float, everything is converted to float64.

    Raises
    ------
    ValueError
        Naming the state, the action and, for bounds, the next state: a discount outside
        [0, 1) ([0, 1] with a horizon), a horizon that is not a positive int, a reward outside
        the range, bounds outside [0, 1] or with lower > upper, bounds that admit no
        distribution, a vertex that is not a distribution, an available pair without a credal
        set (or an unavailable one with one), a state without actions.
    """
    n_s, n_a = len(states), len(actions)
    lo, hi = reward_range
    numbers = [rewards, lower, upper, vertices]
    exact = (
        all(arr.dtype == object for arr in numbers)
        and isinstance(discount, Fraction)
        and isinstance(lo, Fraction)
        and isinstance(hi, Fraction)
    )
    if not exact:
        rewards, lower, upper, vertices = (np.asarray(a, dtype=np.float64) for a in numbers)
        discount, lo, hi = float(discount), float(lo), float(hi)
    rewards, lower, upper, vertices = (a.copy() for a in (rewards, lower, upper, vertices))
    available = np.array(available, dtype=bool)
    interval_rows = np.array(interval_rows, dtype=np.int64).reshape(-1)
    vertex_rows = np.array(vertex_rows, dtype=np.int64).reshape(-1)
    vertex_counts = np.array(vertex_counts, dtype=np.int64).reshape(-1)

    _check_shapes(n_s, n_a, available, rewards, interval_rows, lower, upper, vertex_rows, vertices)
    _check_horizon(discount, horizon)
    if not lo < hi:
        raise ValueError(f"reward_range {(lo, hi)!r} must have lo < hi")
    _check_rows(states, actions, available, interval_rows, vertex_rows)
    _check_rewards(states, actions, available, rewards, lo, hi)
    tol = 0 if exact else SUM_TOLERANCE
    _check_intervals(states, actions, interval_rows, lower, upper, tol)
    _check_vertices(states, actions, vertex_rows, vertices, vertex_counts, tol)
    rewards[~available] = Fraction(0) if exact else 0.0
    return Model(
        states=tuple(states),
        actions=tuple(actions),
        available=_ro(available),
        rewards=_ro(rewards),
        discount=discount,
        horizon=horizon,
        reward_range=(lo, hi),
        interval_rows=_ro(interval_rows),
        lower=_ro(lower),
        upper=_ro(upper),
        vertex_rows=_ro(vertex_rows),
        vertices=_ro(vertices),
        vertex_counts=_ro(vertex_counts),
        exact=exact,
    )


def _check_shapes(
    n_s: int,
    n_a: int,
    available: np.ndarray,
    rewards: np.ndarray,
    interval_rows: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    vertex_rows: np.ndarray,
    vertices: np.ndarray,
) -> None:
    if available.shape != (n_s, n_a) or rewards.shape != (n_s, n_a):
        raise ValueError(
            f"rewards must have shape (states, actions) = {(n_s, n_a)}; got {rewards.shape}"
        )
    n_i = len(interval_rows)
    for name, arr in (("lower", lower), ("upper", upper)):
        if arr.shape != (n_i, n_s):
            raise ValueError(f"{name} must have shape {(n_i, n_s)}; got {arr.shape}")
    if vertices.ndim != 3 or vertices.shape[0] != len(vertex_rows) or vertices.shape[2] != n_s:
        raise ValueError(
            f"vertices must have shape ({len(vertex_rows)}, K, {n_s}); got {vertices.shape}"
        )


def _check_horizon(discount: Number, horizon: int | None) -> None:
    if horizon is not None:
        if isinstance(horizon, bool) or not isinstance(horizon, int | np.integer) or horizon < 1:
            raise ValueError(f"horizon must be a positive int (or None); got {horizon!r}")
        if not 0 <= discount <= 1:
            raise ValueError(
                f"discount is {format_number(discount)}; with a finite horizon it must lie in "
                "[0, 1]"
            )
    elif not 0 <= discount < 1:
        raise ValueError(
            f"discount is {format_number(discount)}; it must lie in [0, 1) (the infinite-horizon "
            "value is a sum of discounted rewards; discount 1 needs horizon=...)"
        )


def _check_rows(
    states: Sequence[Hashable],
    actions: Sequence[Hashable],
    available: np.ndarray,
    interval_rows: np.ndarray,
    vertex_rows: np.ndarray,
) -> None:
    n_a = len(actions)
    for s, name in enumerate(states):
        if not available[s].any():
            raise ValueError(f"state {name!r} has no available action")
    given = np.concatenate([interval_rows, vertex_rows])
    flat = available.reshape(-1)
    if given.size and (given.min() < 0 or given.max() >= flat.size):
        raise ValueError("a credal-set row is outside the state-action table")
    counts = np.bincount(given, minlength=flat.size)
    for row in np.flatnonzero(counts > 1):
        raise ValueError(f"{_name_pair(states, actions, row)} has two credal sets")
    for row in np.flatnonzero(flat & (counts == 0)):
        raise ValueError(
            f"{_name_pair(states, actions, row)} has no transitions; every available action "
            "needs a credal set of next-state distributions"
        )
    for row in np.flatnonzero(~flat & (counts == 1)):
        s, a = divmod(int(row), n_a)
        raise ValueError(
            f"{_name_pair(states, actions, row)} has transitions, but action {actions[a]!r} "
            f"is not available in state {states[s]!r}"
        )
    for name, rows in (("interval_rows", interval_rows), ("vertex_rows", vertex_rows)):
        if rows.size > 1 and (np.diff(rows) <= 0).any():
            raise ValueError(f"{name} must be ascending")


def _first(mask: np.ndarray) -> tuple[int, ...] | None:
    """Return the index of the first True entry of `mask` (row-major), or None."""
    hits = np.argwhere(np.asarray(mask, dtype=bool))
    return tuple(int(v) for v in hits[0]) if hits.size else None


def _check_finite(arr: np.ndarray, what: str) -> tuple[int, ...] | None:
    if arr.dtype == object or arr.size == 0:
        return None
    return _first(~np.isfinite(arr))


def _check_rewards(
    states: Sequence[Hashable],
    actions: Sequence[Hashable],
    available: np.ndarray,
    rewards: np.ndarray,
    lo: Number,
    hi: Number,
) -> None:
    bad = _check_finite(np.where(available, rewards, 0), "reward")
    if bad is not None:
        s, a = bad
        raise ValueError(f"reward of {_pair(states, actions, s, a)} is {rewards[s, a]}")
    bad = _first(available & ((rewards < lo) | (rewards > hi)))
    if bad is not None:
        s, a = bad
        raise ValueError(
            f"reward of {_pair(states, actions, s, a)} is {format_number(rewards[s, a])}, outside "
            f"the reward range [{format_number(lo)}, {format_number(hi)}] (pass reward_range=(lo, "
            "hi) to state another range; values are then reported in its units)"
        )


def _pair(states: Sequence[Hashable], actions: Sequence[Hashable], s: int, a: int) -> str:
    return f"(state {states[s]!r}, action {actions[a]!r})"


def _check_intervals(
    states: Sequence[Hashable],
    actions: Sequence[Hashable],
    rows: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    tol: float,
) -> None:
    if not rows.size:
        return

    def where(i: int) -> str:
        return _name_pair(states, actions, rows[i])

    for arr in (lower, upper):
        bad = _check_finite(arr, "bound")
        if bad is not None:
            i, j = bad
            raise ValueError(f"{where(i)}: the bounds of next state {states[j]!r} are not finite")
    bad = _first((lower < 0) | (upper > 1))
    if bad is not None:
        i, j = bad
        raise ValueError(
            f"{where(i)}: the bounds of next state {states[j]!r} are [{format_number(lower[i, j])}"
            f", {format_number(upper[i, j])}], outside [0, 1]"
        )
    bad = _first(lower > upper)
    if bad is not None:
        i, j = bad
        raise ValueError(
            f"{where(i)}: next state {states[j]!r} has lower bound "
            f"{format_number(lower[i, j])} > upper bound {format_number(upper[i, j])}"
        )
    low, high = lower.sum(axis=1), upper.sum(axis=1)
    bad = _first(low > 1 + tol)
    if bad is not None:
        (i,) = bad
        raise ValueError(
            f"{where(i)}: the lower bounds sum to {format_number(low[i])} > 1, so no distribution "
            f"lies within them{_tolerance_note(tol)}"
        )
    bad = _first(high < 1 - tol)
    if bad is not None:
        (i,) = bad
        raise ValueError(
            f"{where(i)}: the upper bounds sum to {format_number(high[i])} < 1, so no "
            f"distribution lies within them{_tolerance_note(tol)}"
        )


def _tolerance_note(tol: float) -> str:
    return f" (tolerance {tol:g}, relative to the total mass 1)" if tol else ""


def _check_vertices(
    states: Sequence[Hashable],
    actions: Sequence[Hashable],
    rows: np.ndarray,
    vertices: np.ndarray,
    counts: np.ndarray,
    tol: float,
) -> None:
    if counts.shape != rows.shape:
        raise ValueError("vertex_counts must have one entry per vertex row")
    if not rows.size:
        return

    def where(i: int) -> str:
        return _name_pair(states, actions, rows[i])

    for i in range(len(rows)):
        if not 1 <= counts[i] <= vertices.shape[1]:
            raise ValueError(f"{where(i)}: needs at least one vertex")
        vertices[i, counts[i] :] = vertices[i, 0]
    bad = _check_finite(vertices, "vertex")
    if bad is not None:
        i, v, j = bad
        raise ValueError(
            f"{where(i)}: vertex {v} gives next state {states[j]!r} a non-finite value"
        )
    bad = _first(vertices < 0)
    if bad is not None:
        i, v, j = bad
        raise ValueError(
            f"{where(i)}: vertex {v} gives next state {states[j]!r} the probability "
            f"{format_number(vertices[i, v, j])} < 0; a vertex is a probability distribution"
        )
    totals = vertices.sum(axis=2)
    bad = _first(abs(totals - 1) > tol)
    if bad is not None:
        i, v = bad
        raise ValueError(
            f"{where(i)}: vertex {v} sums to {format_number(totals[i, v])}, not 1; a vertex is a "
            f"probability distribution{_tolerance_note(tol)}"
        )
