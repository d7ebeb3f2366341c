r"""Convex cost bounds :math:`b` for the several-observables model: every action has :math:`c \ge b(E_F z)`.

A cost bound is any callable that maps a cvxpy expression of the mean signal vector (shape
``(k,)``) to a scalar **convex** cvxpy expression (checked by cvxpy's DCP rules, so a non-convex
bound is refused, never silently solved). Three built-ins also evaluate on numbers:

* :class:`LinearCost`: :math:`b(m) = a \cdot m + c_0`;
* :class:`QuadraticCost`: :math:`b(m) = \sum_j q_j m_j^2 + a \cdot m + c_0` with :math:`q \ge 0`;
* :class:`MaxAffineCost`: :math:`b(m) = \max_j (A_j \cdot m + d_j)`.

Examples
--------
>>> import numpy as np
>>> b = QuadraticCost([1.0, 0.0], linear=[0.0, 0.5])
>>> b.numeric(np.array([2.0, 1.0]))
4.5
>>> check_cost_bound(lambda m: -(m[0] ** 2), 2)
Traceback (most recent call last):
...
ValueError: the cost bound is not convex by cvxpy's DCP rules (got curvature CONCAVE); write it with convex atoms (for example cp.square, cp.maximum, cp.norm)
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._numbers import MatrixLike, RealLike, VectorLike, as_float, as_scalar, as_vector, fmt_seq

__all__ = [
    "CostBound",
    "LinearCost",
    "MaxAffineCost",
    "QuadraticCost",
    "check_cost_bound",
    "evaluate",
    "term_scale",
]

#: A cost bound: mean-signal expression -> scalar convex expression.
CostBound = Callable[[Any], Any]


def _vector(values: Any, name: str) -> np.ndarray:
    return as_float(as_vector(values, name))


@dataclass(frozen=True, eq=False, init=False)
class LinearCost:
    r""":math:`b(m) = a \cdot m + c_0`."""

    weights: np.ndarray
    constant: float

    def __init__(self, weights: VectorLike, constant: RealLike = 0.0) -> None:
        object.__setattr__(self, "weights", _vector(weights, "weights"))
        object.__setattr__(self, "constant", float(as_scalar(constant, "constant")))

    def __call__(self, m: Any) -> Any:
        """Return the cvxpy expression of the bound at the mean ``m``."""
        return self.weights @ m + self.constant

    def numeric(self, m: np.ndarray) -> float:
        """Evaluate at a numeric mean vector."""
        return float(self.weights @ m + self.constant)

    def term_scale(self, m: np.ndarray) -> float:
        """Return the magnitude of the terms of :meth:`numeric` at ``m`` (its rounding's scale)."""
        return float(np.abs(self.weights) @ np.abs(m) + abs(self.constant))

    def __repr__(self) -> str:
        return f"LinearCost(weights={fmt_seq(self.weights)}, constant={self.constant:g})"


@dataclass(frozen=True, eq=False, init=False)
class QuadraticCost:
    r""":math:`b(m) = \sum_j q_j m_j^2 + a \cdot m + c_0`, convex because :math:`q \ge 0`."""

    weights: np.ndarray
    linear: np.ndarray
    constant: float

    def __init__(
        self, weights: VectorLike, linear: VectorLike | None = None, constant: RealLike = 0.0
    ) -> None:
        q = _vector(weights, "weights")
        if (q < 0).any():
            i = int(np.flatnonzero(q < 0)[0])
            raise ValueError(
                f"weights[{i}] = {q[i]:g} is negative: the quadratic cost would not be convex"
            )
        lin = np.zeros_like(q) if linear is None else _vector(linear, "linear")
        if lin.shape != q.shape:
            raise ValueError(f"linear has {lin.size} entries but weights has {q.size}")
        object.__setattr__(self, "weights", q)
        object.__setattr__(self, "linear", lin)
        object.__setattr__(self, "constant", float(as_scalar(constant, "constant")))

    def __call__(self, m: Any) -> Any:
        """Return the cvxpy expression of the bound at the mean ``m``."""
        import cvxpy as cp

        return self.weights @ cp.square(m) + self.linear @ m + self.constant

    def numeric(self, m: np.ndarray) -> float:
        """Evaluate at a numeric mean vector."""
        return float(self.weights @ (m * m) + self.linear @ m + self.constant)

    def term_scale(self, m: np.ndarray) -> float:
        """Return the magnitude of the terms of :meth:`numeric` at ``m`` (its rounding's scale)."""
        return float(self.weights @ (m * m) + np.abs(self.linear) @ np.abs(m) + abs(self.constant))

    def __repr__(self) -> str:
        return (
            f"QuadraticCost(weights={fmt_seq(self.weights)}, linear={fmt_seq(self.linear)}, "
            f"constant={self.constant:g})"
        )


@dataclass(frozen=True, eq=False, init=False)
class MaxAffineCost:
    r""":math:`b(m) = \max_j (A_j \cdot m + d_j)`: any convex piecewise-linear bound."""

    slopes: np.ndarray
    intercepts: np.ndarray

    def __init__(self, slopes: MatrixLike, intercepts: VectorLike = (0.0,)) -> None:
        a = as_float(as_vector(slopes, "slopes", ndim=2))
        d = _vector(intercepts, "intercepts")
        if d.size != a.shape[0]:
            raise ValueError(f"slopes has {a.shape[0]} rows but there are {d.size} intercepts")
        object.__setattr__(self, "slopes", a)
        object.__setattr__(self, "intercepts", d)

    def __call__(self, m: Any) -> Any:
        """Return the cvxpy expression of the bound at the mean ``m``."""
        import cvxpy as cp

        return cp.max(self.slopes @ m + self.intercepts)

    def numeric(self, m: np.ndarray) -> float:
        """Evaluate at a numeric mean vector."""
        return float(np.max(self.slopes @ m + self.intercepts))

    def term_scale(self, m: np.ndarray) -> float:
        """Return the magnitude of the terms of :meth:`numeric` at ``m`` (its rounding's scale)."""
        return float(np.max(np.abs(self.slopes) @ np.abs(m) + np.abs(self.intercepts)))

    def __repr__(self) -> str:
        return f"MaxAffineCost({self.slopes.shape[0]} pieces on {self.slopes.shape[1]} signals)"


def check_cost_bound(cost_bound: CostBound, k: int) -> None:
    """Check that ``cost_bound`` builds a scalar convex cvxpy expression of a length-``k`` mean.

    Raises
    ------
    TypeError
        If it is not callable, or does not return a cvxpy expression.
    ValueError
        If the expression is not a scalar, or not convex under cvxpy's DCP rules.
    """
    import cvxpy as cp

    if not callable(cost_bound):
        raise TypeError(f"the cost bound must be callable, got {type(cost_bound).__name__}")
    m = cp.Variable(k)
    try:
        expr = cost_bound(m)
    except Exception as err:
        raise TypeError(
            f"the cost bound failed on a cvxpy variable of shape ({k},): {err}"
        ) from err
    if isinstance(expr, int | float | np.number):
        expr = cp.Constant(expr)
    if not isinstance(expr, cp.Expression):
        raise TypeError(f"the cost bound must return a cvxpy expression, got {type(expr).__name__}")
    if not expr.is_scalar():
        raise ValueError(
            f"the cost bound must return a scalar, got an expression of shape {expr.shape}"
        )
    if not expr.is_convex():
        raise ValueError(
            f"the cost bound is not convex by cvxpy's DCP rules (got curvature {expr.curvature});"
            " write it with convex atoms (for example cp.square, cp.maximum, cp.norm)"
        )


def evaluate(cost_bound: CostBound, m: np.ndarray) -> float:
    """Evaluate a cost bound at a numeric mean vector (built-ins directly, callables via cvxpy)."""
    numeric = getattr(cost_bound, "numeric", None)
    if numeric is not None:
        return float(numeric(m))
    import cvxpy as cp

    value = cost_bound(cp.Constant(m))
    if isinstance(value, cp.Expression):
        value = value.value
        if value is None:  # e.g. a cvxpy Parameter without a value inside the bound
            raise ValueError("the cost bound has no numeric value at a constant mean vector")
    return float(value)


def term_scale(cost_bound: CostBound, m: np.ndarray) -> float:
    """Return the magnitude of the bound's terms at ``m``: the scale of its rounding error.

    The built-ins sum the magnitudes of their terms; for a user's callable, whose terms are
    unknown, it is ``|b(m)|``.

    Examples
    --------
    >>> term_scale(LinearCost([1.0, -1.0]), np.array([2.0, 2.0]))  # b = 2 - 2 = 0, terms 2 and 2
    4.0
    """
    scale = getattr(cost_bound, "term_scale", None)
    if scale is not None:
        return float(scale(m))
    return abs(evaluate(cost_bound, m))
