r"""The agent's technology: actions (an output distribution and a cost) on a finite output grid.

Carroll's model (Robustness and Linear Contracts, AER 2015). Output takes values in a finite set
:math:`Y = \{y_0 < y_1 < \dots < y_{n-1}\} \subset \mathbb{R}_{\ge 0}`. An *action* is a pair
:math:`(F, c)` of a distribution :math:`F \in \Delta(Y)` and a cost :math:`c \ge 0`. A
*technology* is a finite set of actions. The principal knows a set :math:`A_0` of actions (the
``known`` technology); the true technology is any :math:`A \supseteq A_0`.

Examples
--------
>>> from fractions import Fraction as F
>>> tech = Technology.from_arrays([0, 1, 2], [[F(1, 2), F(1, 4), F(1, 4)]], [F(1, 10)])
>>> tech
Technology: 3 outputs, 1 action
      y      0    1    2 |  cost  mean
  a0       1/2  1/4  1/4 |  1/10   3/4
>>> tech.means
(Fraction(3, 4),)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from . import _html
from ._numbers import (
    DIST_ATOL,
    Number,
    RealLike,
    VectorLike,
    as_float,
    as_scalar,
    as_vector,
    fmt,
    frozen,
    table,
    to_python,
)

__all__ = ["Action", "Technology", "check_outputs"]

#: Grids longer than this are summarised, not tabulated, in ``repr``.
_MAX_COLUMNS = 12


def check_outputs(outputs: Any, name: str = "outputs") -> np.ndarray:
    """Validate an output grid: non-empty, finite, non-negative, strictly increasing.

    Returns a read-only copy (exact object array for ints/Fractions, float64 otherwise).

    Examples
    --------
    >>> check_outputs([0, 2, 1])
    Traceback (most recent call last):
    ...
    ValueError: outputs must be strictly increasing (sorted, no duplicates): outputs[2] = 1 follows outputs[1] = 2
    """  # noqa: E501
    y = as_vector(outputs, name)
    if y.size == 0:
        raise ValueError(f"{name} must contain at least one output")
    neg = np.flatnonzero(y < 0)
    if neg.size:
        i = int(neg[0])
        raise ValueError(f"{name}[{i}] = {fmt(y[i])} is negative; outputs must be >= 0")
    steps = np.flatnonzero(~(y[1:] > y[:-1]))
    if steps.size:
        i = int(steps[0]) + 1
        raise ValueError(
            f"{name} must be strictly increasing (sorted, no duplicates): "
            f"{name}[{i}] = {fmt(y[i])} follows {name}[{i - 1}] = {fmt(y[i - 1])}"
        )
    return y


def _check_dist(dist: np.ndarray, name: str) -> None:
    neg = np.flatnonzero(dist < 0)
    if neg.size:
        i = int(neg[0])
        raise ValueError(f"{name}[{i}] = {fmt(dist[i])} is negative; probabilities must be >= 0")
    total = dist.sum()
    if dist.dtype == object:
        if total != 1:
            raise ValueError(f"{name} sums to {fmt(total)}; exact probabilities must sum to 1")
    elif abs(total - 1.0) > DIST_ATOL:
        msg = "probabilities must sum to 1 within"
        raise ValueError(f"{name} sums to {float(total):.12g}; {msg} {DIST_ATOL}")


def _check_cost(cost: Any, name: str) -> Number:
    c = as_scalar(cost, name)
    if c < 0:
        raise ValueError(f"{name} = {fmt(c)} is negative; costs must be >= 0")
    return c


@dataclass(frozen=True, eq=False, init=False)
class Action:
    """An action of the agent: an output distribution and its cost.

    Parameters
    ----------
    dist : array_like
        Probabilities over the output grid (non-negative, summing to 1: exactly for
        ints/Fractions, within ``DIST_ATOL = 1e-9`` for floats). The grid itself belongs to the
        :class:`Technology`.
    cost : number
        The agent's cost, ``>= 0``.

    Examples
    --------
    >>> Action([0.5, 0.5], 0.25)
    Action(dist=[0.5, 0.5], cost=0.25)
    >>> Action([0.5, 0.6], 0)
    Traceback (most recent call last):
    ...
    ValueError: dist sums to 1.1; probabilities must sum to 1 within 1e-09
    """

    dist: np.ndarray
    cost: Number

    def __init__(self, dist: VectorLike, cost: RealLike) -> None:
        d = as_vector(dist, "dist")
        _check_dist(d, "dist")
        object.__setattr__(self, "dist", d)
        object.__setattr__(self, "cost", _check_cost(cost, "cost"))

    @property
    def exact(self) -> bool:
        """True when the distribution and the cost are exact Fractions."""
        return self.dist.dtype == object and isinstance(self.cost, Fraction)

    def mean(self, outputs: Any) -> Number:
        """Return the expected output :math:`E_F[y]` on the grid ``outputs``."""
        y = check_outputs(outputs)
        if y.size != self.dist.size:
            raise ValueError(f"dist has {self.dist.size} entries but there are {y.size} outputs")
        if self.dist.dtype == object and y.dtype == object:
            return to_python(self.dist @ y)
        return float(as_float(self.dist, "dist") @ as_float(y, name="outputs"))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Action):
            return NotImplemented
        return bool(np.array_equal(self.dist, other.dist)) and self.cost == other.cost

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        probs = ", ".join(fmt(p) for p in self.dist)
        return f"Action(dist=[{probs}], cost={fmt(self.cost)})"


@dataclass(frozen=True, eq=False, init=False)
class Technology:
    """A finite set of actions on a common output grid.

    Parameters
    ----------
    outputs : array_like
        The output grid: finite, ``>= 0``, strictly increasing.
    actions : sequence of Action
        At least one action, each with one probability per output.

    Attributes
    ----------
    outputs : numpy.ndarray
        Read-only output grid (object array of Fractions when the technology is exact).
    dists : numpy.ndarray
        Read-only ``(k, n)`` matrix of the actions' distributions.
    costs : numpy.ndarray
        Read-only ``(k,)`` vector of costs.
    exact : bool
        True when outputs, distributions and costs are all exact; results are then Fractions.

    Notes
    -----
    Carroll's theorem assumes ``min(outputs) == 0``. With a lowest output ``y0 > 0`` everything
    here still works; the optimal robust contract is then ``alpha * (y - y0)`` (see
    :func:`contracts.optimal_linear`).
    """

    outputs: np.ndarray
    actions: tuple[Action, ...]
    dists: np.ndarray = field(init=False, repr=False)
    costs: np.ndarray = field(init=False, repr=False)
    exact: bool = field(init=False, repr=False)

    def __init__(self, outputs: VectorLike, actions: Sequence[Action]) -> None:
        y = check_outputs(outputs)
        if isinstance(actions, Action):
            raise TypeError("actions must be a sequence of Action, not a single Action")
        actions = tuple(actions)
        if not actions:
            raise ValueError("a technology needs at least one action (the known set is empty)")
        for i, a in enumerate(actions):
            if not isinstance(a, Action):
                raise TypeError(f"actions[{i}] must be an Action, got {type(a).__name__}")
            if a.dist.size != y.size:
                raise ValueError(
                    f"actions[{i}].dist has {a.dist.size} probabilities but there are "
                    f"{y.size} outputs"
                )
        exact = y.dtype == object and all(a.exact for a in actions)
        if exact:
            dists = np.empty((len(actions), y.size), dtype=object)
            costs = np.empty(len(actions), dtype=object)
            for i, a in enumerate(actions):
                dists[i], costs[i] = a.dist, a.cost
        else:
            y = frozen(as_float(y, "outputs").copy()) if y.dtype == object else y
            dists = np.array([as_float(a.dist) for a in actions], dtype=np.float64)
            costs = as_float(np.array([a.cost for a in actions], dtype=object), "costs")
        object.__setattr__(self, "outputs", y)
        object.__setattr__(self, "actions", actions)
        object.__setattr__(self, "dists", frozen(dists))
        object.__setattr__(self, "costs", frozen(costs))
        object.__setattr__(self, "exact", exact)

    @classmethod
    def from_arrays(cls, outputs: Any, dists: Any, costs: Any) -> Technology:
        """Build a technology from an output grid, a ``(k, n)`` distribution matrix and k costs.

        Errors name the offending row, e.g. ``dists[1] sums to 0.9``.

        Examples
        --------
        >>> Technology.from_arrays([0, 1], [[0.5, 0.5], [0.2, 0.7]], [0, 1])
        Traceback (most recent call last):
        ...
        ValueError: dists[1] sums to 0.9; probabilities must sum to 1 within 1e-09
        """
        y = check_outputs(outputs)
        d = as_vector(dists, "dists", ndim=2)
        c = as_vector(costs, "costs")
        if d.shape[1] != y.size:
            raise ValueError(f"dists has {d.shape[1]} columns but there are {y.size} outputs")
        if d.shape[0] != c.size:
            raise ValueError(f"dists has {d.shape[0]} rows but there are {c.size} costs")
        actions = []
        for i in range(d.shape[0]):
            _check_dist(d[i], f"dists[{i}]")
            _check_cost(c[i], f"costs[{i}]")
            actions.append(Action(d[i], c[i]))
        return cls(y, tuple(actions))

    def __len__(self) -> int:
        return len(self.actions)

    @property
    def means(self) -> tuple[Number, ...]:
        """Expected output :math:`E_F[y]` of each action (Python numbers)."""
        return tuple(to_python(m) for m in self.dists @ self.outputs)

    @property
    def lowest_output(self) -> Number:
        """The lowest output ``y0`` (0 in Carroll's normalisation)."""
        return to_python(self.outputs[0])

    def with_action(self, action: Action) -> Technology:
        """Return a new technology with ``action`` added (this one is unchanged)."""
        return Technology(self.outputs, (*self.actions, action))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Technology):
            return NotImplemented
        return bool(np.array_equal(self.outputs, other.outputs)) and self.actions == other.actions

    __hash__ = None  # type: ignore[assignment]

    def _repr_html_(self) -> str:
        n, k = self.outputs.size, len(self.actions)
        caption = f"Technology: {n} output{'s' * (n != 1)}, {k} action{'s' * (k != 1)}"
        means = self.means
        if n > _MAX_COLUMNS:  # as the text repr: the grid's range, each action's cost and mean
            caption += f"; outputs {fmt(self.outputs[0])} .. {fmt(self.outputs[-1])}"
            rows = [[f"a{i}", self.costs[i], means[i]] for i in range(k)]
            return _html.table(caption, ["action", "cost", "mean"], rows)
        header = ["y", *(fmt(v) for v in self.outputs), "cost", "mean"]
        rows = [[f"a{i}", *self.dists[i], self.costs[i], means[i]] for i in range(k)]
        return _html.table(caption, header, rows)

    def __repr__(self) -> str:
        n, k = self.outputs.size, len(self.actions)
        head = f"Technology: {n} output{'s' * (n != 1)}, {k} action{'s' * (k != 1)}"
        means = self.means
        if n > _MAX_COLUMNS:
            lines = [f"  outputs {fmt(self.outputs[0])} .. {fmt(self.outputs[-1])}"]
            lines += [f"  a{i}: cost {fmt(self.costs[i])}, mean {fmt(means[i])}" for i in range(k)]
            return "\n".join([head, *lines])
        rows = [["y", *(fmt(v) for v in self.outputs), "|", "cost", "mean"]]
        for i in range(k):
            probs = (fmt(p) for p in self.dists[i])
            rows.append([f"a{i}", *probs, "|", fmt(self.costs[i]), fmt(means[i])])
        return "\n".join([head, *table(rows)])
