r"""The robust Bellman operator, the greedy policy and its ties.

Definitions
-----------
For values :math:`v` of the next states, the robust action value is

.. math:: Q_v(s, a) = r(s, a) + \gamma \min_{p \in C(s, a)} p \cdot v,

and the robust Bellman operator is :math:`(T v)(s) = \max_a Q_v(s, a)` over the available
actions (Iyengar 2005; Nilim and El Ghaoui 2005). It is a :math:`\gamma`-contraction in the
sup-norm, as the non-robust operator: a minimum of :math:`\gamma`-Lipschitz functions is
:math:`\gamma`-Lipschitz. For a fixed stationary policy :math:`\pi`,
:math:`(T^\pi v)(s) = Q_v(s, \pi(s))`.

**Ties.** Exact values tie when they are equal. For float values that are known only within
:math:`\varepsilon` of the true fixed point (the certified error bound), two actions whose
:math:`Q` differ by at most :math:`2 \gamma \varepsilon` cannot be told apart; an action is listed
as tied with the best when

.. math:: \max_b Q(s, b) - Q(s, a) \le 2 \gamma \varepsilon + \tau \max(|Q(s, a)|, \max_b |Q(s, b)|)

with :math:`\tau` = :data:`TIE_TOLERANCE` (relative, for rounding).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from infrabayes._numbers import Number
from infrabayes.sequential.model import Model
from infrabayes.sequential.murphy import worst_case_rows

__all__ = ["TIE_TOLERANCE", "greedy", "q_values"]

#: Relative tolerance on float action values for listing ties (see the module docstring).
TIE_TOLERANCE = 1e-10


def q_values(
    model: Model, values: np.ndarray, rows: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    r"""Return :math:`Q_v` (S, A) and Murphy's distributions (S, A, S).

    Unavailable pairs get ``nan`` (float) or ``None`` (exact) in both. With `rows` (flat rows),
    only those pairs are computed (the others are unavailable in the result).
    """
    n_s, n_a = model.n_states, model.n_actions
    if rows is None:
        rows = model.available_rows()
    value, kernel = worst_case_rows(model, values, rows)
    fill = None if model.exact else np.nan
    dtype = object if model.exact else np.float64
    q = np.full(n_s * n_a, fill, dtype=dtype)
    q[rows] = model.rewards.reshape(-1)[rows] + model.discount * value
    if len(rows) == n_s * n_a and (rows == np.arange(n_s * n_a)).all():  # every pair: no copy
        k = kernel
    else:
        k = np.full((n_s * n_a, n_s), fill, dtype=dtype)
        k[rows] = kernel
    return q.reshape(n_s, n_a), k.reshape(n_s, n_a, n_s)


def greedy(
    model: Model, q: np.ndarray, error: Number = 0
) -> tuple[np.ndarray, np.ndarray, tuple[tuple[int, ...], ...]]:
    """Return the best value per state, the first best action, and every tied action.

    `error` is the certified sup-norm error of the values behind `q` (0 when exact); see the
    module docstring for the tie rule.
    """
    best_value = []
    best_action = []
    ties = []
    for s in range(model.n_states):
        avail = np.flatnonzero(model.available[s])
        row = [q[s, a] for a in avail]
        top = max(row)
        if model.exact:
            tied = tuple(int(a) for a, v in zip(avail, row, strict=True) if v == top)
        else:
            slack = 2 * float(model.discount) * float(error)
            tied = tuple(
                int(a)
                for a, v in zip(avail, row, strict=True)
                if top - v <= slack + TIE_TOLERANCE * max(abs(v), abs(top))
            )
        best_value.append(top)
        best_action.append(next(int(a) for a, v in zip(avail, row, strict=True) if v == top))
        ties.append(tied)
    values = np.empty(model.n_states, dtype=object if model.exact else np.float64)
    values[:] = [Fraction(v) for v in best_value] if model.exact else best_value
    return values, np.array(best_action, dtype=np.int64), tuple(ties)
