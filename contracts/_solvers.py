r"""Solvers of nature's problem :math:`L = \min \{E_G[t] : G \in \Delta(Y), E_G[w] \ge V\}`.

Every solver returns ``(L, adversary, lambda_low, lambda_high)``: the value, an optimal
distribution with at most two support points, and the interval of valid multipliers of the
constraint (the slopes of the supporting lines :math:`t \ge L + \lambda (w - V)` of all points).
They assume the eligible case :math:`V < \max w`.

* :func:`solve_bridge` (the default of ``method="exact"``): O(n) per round, no sorting. If the
  lowest point already pays at least :math:`V` the constraint is slack. Otherwise the answer is
  the *bridge*: the lower-hull edge over :math:`x = V`, between a point ``a`` with
  :math:`w_a < V` and a point ``b`` with :math:`w_b \ge V`. We alternate: ``a`` = the left point
  of largest slope to ``b``, then ``b`` = the right point of smallest slope from ``a``. Each step
  minimises the interpolated value at :math:`V` over one endpoint, so it never increases; at a
  fixed point every left point lies above the line ``ab`` (``a`` has the largest slope to ``b``)
  and every right point too (``b`` has the smallest slope from ``a``): ``ab`` supports the whole
  set, so it is the bridge. On a convex chain it stops after two rounds; after ``MAX_ROUNDS`` it
  falls back to the full hull.
* :func:`solve_hull`: the full lower convex hull (O(n log n)), then the edge over :math:`V`.
* :func:`solve_lp`: the linear program in cvxpy (float64), purified to two support points.

The first two are exact on Fractions.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from ._cvx import solve
from ._hull import lower_hull
from ._numbers import Number, binary_exponent
from .tolerances import SUPPORT_ATOL

__all__ = ["MAX_ROUNDS", "point_mass", "solve_bridge", "solve_hull", "solve_lp"]

#: Alternation rounds of :func:`solve_bridge` before it falls back to :func:`solve_hull`.
MAX_ROUNDS = 64


def point_mass(n: int, i: int, exact: bool) -> np.ndarray:
    """Return the distribution putting all mass on point ``i`` (Fractions if ``exact``)."""
    if exact:
        g = np.full(n, Fraction(0), dtype=object)
        g[i] = Fraction(1)
    else:
        g = np.zeros(n)
        g[i] = 1.0
    return g


def _two_point(n: int, i: int, j: int, p_j: Number, exact: bool) -> np.ndarray:
    g = point_mass(n, i, exact)
    g[i] = 1 - p_j
    g[j] = p_j
    return g


def _pick(key: np.ndarray, w: np.ndarray, *, smallest: bool, largest_w: bool) -> int:
    """Return the position of the smallest (or largest) ``key``; among ties, the nearest ``V``.

    Closest means the largest payment ``w`` on the left of ``V``, the smallest on the right.
    One pass finds the first extreme position, a second looks for ties after it (the common
    case has none).
    """
    first = int(key.argmin() if smallest else key.argmax())
    best = key[first]
    if first + 1 == key.size or not (key[first + 1 :] == best).any():
        return first
    tied = np.flatnonzero(key == best)
    return int(tied[np.argmax(w[tied])] if largest_w else tied[np.argmin(w[tied])])


def _right_slope(w: np.ndarray, t: np.ndarray, b: int, V: Number) -> Number:
    """Smallest slope from point ``b`` (on ``x = V``) to the points right of ``V``."""
    right = np.flatnonzero(w > V)
    return ((t[right] - t[b]) / (w[right] - w[b])).min()


def solve_bridge(
    y: np.ndarray, w: np.ndarray, V: Number, t: np.ndarray | None = None
) -> tuple[Any, ...]:
    """Solve nature's problem by the alternating search for the bridge over ``x = V``.

    ``t`` is the principal's payoff ``y - w`` at each output, computed here unless given (the
    worst case passes the payments scaled by a power of 2 as ``w``, and ``t`` from the original
    payments: the multipliers are then slopes per unit of the scaled payments).
    """
    exact = y.dtype == object
    zero = Fraction(0) if exact else 0.0
    n = y.size
    t = y - w if t is None else t
    tmin = t.min()
    lowest = np.flatnonzero(t == tmin)
    m = int(lowest[np.argmax(w[lowest])])  # rightmost lowest point
    if w[m] >= V:
        high = _right_slope(w, t, m, V) if w[m] == V else zero
        return tmin, point_mass(n, m, exact), zero, high
    left, right = np.flatnonzero(w < V), np.flatnonzero(w >= V)
    wl, tl, wr, tr = w[left], t[left], w[right], t[right]
    j = _pick(tr, wr, smallest=True, largest_w=False)  # positions within left / right from here on
    for _ in range(MAX_ROUNDS):
        s_left = (tr[j] - tl) / (wr[j] - wl)
        i = _pick(s_left, wl, smallest=False, largest_w=True)
        s_right = (tr - tl[i]) / (wr - wl[i])
        j_next = _pick(s_right, wr, smallest=True, largest_w=False)
        if j_next == j:
            break
        j = j_next
    else:  # pragma: no cover - never seen; the hull is the safe, slower answer
        return solve_hull(y, w, V, t)
    a, b = int(left[i]), int(right[j])
    s = (t[b] - t[a]) / (w[b] - w[a])
    if w[b] == V:
        return t[b], point_mass(n, b, exact), s, _right_slope(w, t, b, V)
    p = (V - w[a]) / (w[b] - w[a])
    return t[a] + s * (V - w[a]), _two_point(n, a, b, p, exact), s, s


def solve_hull(
    y: np.ndarray, w: np.ndarray, V: Number, t: np.ndarray | None = None
) -> tuple[Any, ...]:
    """Solve nature's problem on the full lower convex hull of the points ``(w, y - w)``."""
    exact = y.dtype == object
    t = y - w if t is None else t
    hull = lower_hull(w, t)
    X, T = w[hull], t[hull]
    n = y.size
    tmin = T.min()
    km = int(np.flatnonzero(T == tmin)[-1])  # rightmost lowest vertex
    zero = Fraction(0) if exact else 0.0

    def slope(a: int, b: int) -> Number:
        return (T[b] - T[a]) / (X[b] - X[a])

    if X[km] >= V:
        high = slope(km, km + 1) if (X[km] == V and km + 1 < X.size) else zero
        return tmin, point_mass(n, int(hull[km]), exact), zero, high
    v: Any = V  # a Fraction for exact input: searchsorted compares objects exactly
    k = int(np.searchsorted(X, v, side="right")) - 1
    if X[k] == V:
        return T[k], point_mass(n, int(hull[k]), exact), slope(k - 1, k), slope(k, k + 1)
    s = slope(k, k + 1)
    p = (V - X[k]) / (X[k + 1] - X[k])
    L = T[k] + s * (V - X[k])
    return L, _two_point(n, int(hull[k]), int(hull[k + 1]), p, exact), s, s


def solve_lp(
    y: np.ndarray,
    w: np.ndarray,
    V: float,
    solver: str,
    solver_options: dict[str, Any] | None,
    t: np.ndarray | None = None,
) -> tuple[Any, ...]:
    """Solve nature's problem as a cvxpy LP (float64); the multiplier is the constraint's dual.

    The LP is normalised first: payments and ``V`` by the power of 2 nearest the largest payment,
    the objective by the one nearest its largest coefficient, so the solver's absolute
    tolerances are relative to the data (payments of 10^-12 or outputs of 10^15 solve as well as
    numbers near 1). A ``V`` of ``-inf`` (every known action's cost beyond the float range of the
    payments) makes the constraint void.
    """
    import cvxpy as cp

    t = y - w if t is None else t
    ew = binary_exponent(np.max(w))
    et = binary_exponent(np.max(np.abs(t)))
    x, tn, v = np.ldexp(w, -ew), np.ldexp(t, -et), float(np.ldexp(V, -ew))
    g = cp.Variable(y.size, nonneg=True)
    constraints = [cp.sum(g) == 1]
    if np.isfinite(v):
        constraints.append(x @ g >= v)
    problem = cp.Problem(cp.Minimize(tn @ g), constraints)
    solve(problem, solver, solver_options, what="the worst-case LP")
    lam = max(0.0, float(constraints[1].dual_value)) if len(constraints) > 1 else 0.0
    value = float(np.ldexp(float(problem.value), et))
    adversary = _purify(np.asarray(g.value, dtype=np.float64), x, v, lam)
    lam = float(np.ldexp(lam, et - ew))  # d(y - w) / dw: back to the caller's units
    return value, adversary, lam, lam


def _purify(g: np.ndarray, x: np.ndarray, V: float, lam: float) -> np.ndarray:
    """Turn an optimal LP distribution into an optimal one with at most two support points.

    Every support point of an optimal ``g`` lies on the supporting line
    ``t = value + lam * (x - V)``. With ``lam == 0`` each support point is optimal alone if its
    payment reaches ``V`` (the largest one does, since ``E_g[x] >= V``); with ``lam > 0``,
    ``E_g[x] = V`` and the support points nearest ``V`` on either side mix to mean ``V``. The
    payments ``x`` are normalised (the largest in [1/2, 1)), so ``SUPPORT_ATOL`` on them is
    relative.
    """
    n = x.size
    support = np.flatnonzero(g > SUPPORT_ATOL)
    xs = x[support]
    on_v = support[np.abs(xs - V) <= SUPPORT_ATOL * float(np.max(x))]
    if lam == 0.0 or on_v.size:
        i = int(on_v[0]) if on_v.size else int(support[np.argmax(xs)])
        return point_mass(n, i, exact=False)
    below, above = support[xs < V], support[xs > V]
    if not (below.size and above.size):  # E_g[x] = V only up to the solver's tolerance
        closest = support[np.argmin(np.abs(xs - V))]
        return point_mass(n, int(closest), exact=False)
    i = int(below[np.argmax(x[below])])
    j = int(above[np.argmin(x[above])])
    return _two_point(n, i, j, float((V - x[i]) / (x[j] - x[i])), exact=False)
