r"""The simplex of policies: grids of candidate policies, and the exact best policy.

:func:`grid` lists the policies whose probabilities are multiples of :math:`1/n` (the pure
policies first), the candidates among which an agent chooses.

:func:`maximize` returns the best policy in hindsight: a maximiser of a quadratic form
:math:`r(\pi) = \pi^\top Q \pi` over the whole simplex, exactly. A maximiser :math:`\pi^*` lies in
the relative interior of some face :math:`F_S = \{\pi : \pi_a = 0 \text{ for } a \notin S\}`,
where it is a stationary point of :math:`r` restricted to the face (Karush-Kuhn-Tucker):

.. math:: (Q + Q^\top)_{SS} \, \pi_S = \mu \mathbf 1, \qquad \mathbf 1^\top \pi_S = 1.

So it is enough to solve this linear system on every face (:math:`2^{|A|} - 1` of them) and keep
the best solution that is a policy. When the system of a face is singular, its stationary points
form an affine set on which :math:`r` is constant (if :math:`x, y` are stationary,
:math:`r(y) - r(x) = \nabla r(x) \cdot h + h^\top Q h = 0` for :math:`h = y - x`, which sums to
0), and that set meets the boundary of the face, so a smaller face holds a point of the same
value: skipping singular faces loses nothing. Vertices (pure policies) are faces of one action.
Exact ``Fraction`` arithmetic when :math:`Q` is exact; float64 otherwise.

Examples
--------
>>> from fractions import Fraction as F
>>> grid(2, 2)
array([[Fraction(1, 1), Fraction(0, 1)],
       [Fraction(0, 1), Fraction(1, 1)],
       [Fraction(1, 2), Fraction(1, 2)]], dtype=object)
>>> # Death reads your mixed policy and waits in a city drawn from it; you survive iff he
>>> # drew the other one: r(pi) = 2 pi_0 pi_1, best with a fair coin.
>>> policy, value = maximize([[0, 1], [1, 0]])
>>> list(policy), value
([Fraction(1, 2), Fraction(1, 2)], Fraction(1, 2))
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any

import numpy as np

from infrabayes._numbers import Number, is_exact, py_scalar, read_only, vector

__all__ = ["MAX_ACTIONS", "TIE_TOLERANCE", "grid", "maximize", "maximize_unabsorbed", "n_grid"]

#: :func:`maximize` enumerates the faces of the simplex: at most this many actions.
MAX_ACTIONS = 12

#: Float values within ``TIE_TOLERANCE * max(1, |best|)`` of the best are ties.
TIE_TOLERANCE = 1e-12


def n_grid(n_actions: int, n: int) -> int:
    """Return the number of policies of :func:`grid`: ``C(n + actions - 1, actions - 1)``."""
    return math.comb(n + n_actions - 1, n_actions - 1)


def grid(n_actions: int, n: int) -> np.ndarray:
    """Return the policies with probabilities in ``{0, 1/n, ..., 1}`` (exact, read-only).

    Rows: the pure policies in action order, then the mixed ones in decreasing lexicographic
    order. ``n = 1`` gives the pure policies only.
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"grid must be a positive int (1 = pure policies only); got {n!r}")
    if n_grid(n_actions, int(n)) > 100_000:
        raise ValueError(
            f"a grid of step 1/{n} over {n_actions} actions has {n_grid(n_actions, int(n))} "
            "policies; choose a coarser grid (at most 100,000 candidates)"
        )
    rows: list[tuple[int, ...]] = []

    def compose(prefix: tuple[int, ...], left: int, slots: int) -> None:
        if slots == 1:
            rows.append((*prefix, left))
            return
        for k in range(left, -1, -1):
            compose((*prefix, k), left - k, slots - 1)

    compose((), int(n), n_actions)
    pure = [r for r in rows if max(r) == n]
    pure.sort(key=lambda r: r.index(int(n)))
    mixed = [r for r in rows if max(r) < n]
    out = np.empty((len(rows), n_actions), dtype=object)
    for i, r in enumerate(pure + mixed):
        out[i] = [Fraction(k, int(n)) for k in r]
    return read_only(out)


def _solve_exact(a: list[list[Any]], b: list[Any]) -> list[Any] | None:
    """Gauss-Jordan elimination in Fractions; None if the matrix is singular."""
    n = len(b)
    m = [[Fraction(v) for v in row] + [Fraction(b[i])] for i, row in enumerate(a)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if m[r][col] != 0), None)
        if pivot is None:
            return None
        m[col], m[pivot] = m[pivot], m[col]
        p = m[col][col]
        m[col] = [v / p for v in m[col]]
        for r in range(n):
            if r != col and m[r][col] != 0:
                f = m[r][col]
                m[r] = [v - f * w for v, w in zip(m[r], m[col], strict=True)]
    return [m[i][n] for i in range(n)]


def _stationary(h: np.ndarray, support: tuple[int, ...], exact: bool) -> np.ndarray | None:
    """Return the stationary point of the face `support` (a policy), or None."""
    s = len(support)
    sub = h[np.ix_(support, support)]
    if exact:
        a = [[*list(sub[i]), Fraction(-1)] for i in range(s)] + [[Fraction(1)] * s + [Fraction(0)]]
        sol = _solve_exact(a, [Fraction(0)] * s + [Fraction(1)])
        if sol is None:
            return None
        x = np.array(sol[:s], dtype=object)
        if any(v < 0 for v in x):
            return None
    else:
        a_f = np.zeros((s + 1, s + 1))
        a_f[:s, :s] = sub
        a_f[:s, s] = -1.0
        a_f[s, :s] = 1.0
        rhs = np.zeros(s + 1)
        rhs[s] = 1.0
        try:
            sol_f = np.linalg.solve(a_f, rhs)
        except np.linalg.LinAlgError:
            return None
        x = sol_f[:s]
        # Probabilities (scale 1): a float solution a rounding error below 0 is still a policy.
        if not np.all(np.isfinite(x)) or np.any(x < -1e-12):
            return None
        x = np.maximum(x, 0.0)
        x = x / x.sum()
    out = np.zeros(h.shape[0], dtype=object if exact else np.float64)
    if exact:
        out[:] = Fraction(0)
    out[list(support)] = x
    return out


def maximize(form: Any) -> tuple[np.ndarray, Number]:
    r"""Return a policy maximising :math:`\pi^\top Q \pi` over the simplex, and the maximum.

    Parameters
    ----------
    form : array-like, shape (A, A)
        :math:`Q` (exact Fractions give an exact answer).

    Returns
    -------
    policy : ndarray, shape (A,)
        A maximiser (read-only): the first found in the order of faces (pure policies first,
        then faces of two actions, ...), so pure policies win exact ties.
    value : Fraction or float

    Raises
    ------
    ValueError
        With more than :data:`MAX_ACTIONS` actions (the faces are enumerated).
    """
    q = np.asarray(form, dtype=object)
    if q.ndim != 2 or q.shape[0] != q.shape[1] or q.shape[0] < 1:
        raise ValueError(f"the form must be a square matrix; got shape {q.shape}")
    n = q.shape[0]
    if n > MAX_ACTIONS:
        raise ValueError(
            f"{n} actions: the exact best policy enumerates 2^{n} faces; at most {MAX_ACTIONS}"
        )
    flat = vector(q.reshape(-1), "form")
    exact = is_exact(flat)
    q = flat.reshape(n, n)
    h = q + q.T
    best: np.ndarray | None = None
    best_value: Any = None
    for size in range(1, n + 1):
        for support in itertools.combinations(range(n), size):
            x = _stationary(h, support, exact)
            if x is None:
                continue
            value = x @ q @ x
            if best is None:
                better = True
            elif exact:
                better = value > best_value
            else:
                better = value > best_value + TIE_TOLERANCE * max(1.0, abs(float(best_value)))
            if better:
                best, best_value = x, value
    assert best is not None  # the vertices are always candidates
    return read_only(best), py_scalar(best_value)


def maximize_unabsorbed(form: Any, trap: Any) -> tuple[np.ndarray, Number]:
    r"""Return the best stationary policy by long-run average reward, and that average.

    A policy under which an absorbing observation has positive probability,
    :math:`\pi^\top T \pi > 0` (entries of :math:`T` nonnegative), is absorbed eventually and
    averages 0. So the maximum of :math:`\pi^\top Q \pi` is taken over the supports :math:`S`
    with :math:`T_{SS} = 0` (each face by :func:`maximize`); if there is none, every policy averages
    0 and the first maximiser of :math:`Q` is returned with the value 0.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> # Arm 1 pays more but can be absorbed: the best stationary policy is arm 0.
    >>> policy, value = maximize_unabsorbed([[F(1, 2), F(3, 4)], [F(1, 2), F(3, 4)]],
    ...                                     [[0, F(1, 10)], [0, F(1, 10)]])
    >>> list(policy), value
    ([Fraction(1, 1), Fraction(0, 1)], Fraction(1, 2))
    """
    q = np.asarray(form, dtype=object)
    t = np.asarray(trap, dtype=object)
    n = q.shape[0]
    if not np.any(t != 0):
        return maximize(q)
    best: tuple[np.ndarray, Any] | None = None
    for size in range(1, n + 1):
        for support in itertools.combinations(range(n), size):
            idx = list(support)
            if np.any(t[np.ix_(idx, idx)] != 0):
                continue
            sub, value = maximize(q[np.ix_(idx, idx)])
            if best is None or value > best[1]:
                vec = np.empty(n, dtype=object if isinstance(value, Fraction) else np.float64)
                vec[:] = 0 * value
                vec[idx] = sub
                best = (vec, value)
    if best is None:  # every policy is absorbed eventually: each averages 0
        vec, value = maximize(q)
        return vec, 0 * value
    return read_only(best[0]), best[1]
