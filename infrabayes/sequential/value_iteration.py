r"""Robust value iteration with the certified contraction bound (float64, vectorised).

Definitions
-----------
From :math:`V_0 = 0`, iterate :math:`V_{k+1} = T V_k` (or :math:`T^\pi V_k` for a fixed
policy), where :math:`T` is the robust Bellman operator of
:mod:`~infrabayes.sequential.bellman`. Because :math:`T` is a :math:`\gamma`-contraction in the
sup-norm with fixed point :math:`V^*`,

.. math:: \|V_{k+1} - V^*\|_\infty \le \frac{\gamma}{1 - \gamma} \|V_{k+1} - V_k\|_\infty

(Puterman 1994, section 6.3). In floating point each sweep computes :math:`T V_k` up to a
rounding error :math:`\delta`, and the same argument gives

.. math::

   \|V_{k+1} - V^*\|_\infty \le \frac{\gamma}{1 - \gamma} \|V_{k+1} - V_k\|_\infty
   + \frac{\delta}{1 - \gamma},
   \qquad \delta = c\,(S + 1)\,\varepsilon\,(\max_s |V_{k+1}(s)| + \max |r|),

with :math:`\varepsilon` the float64 machine epsilon and :math:`c` =
:data:`ROUNDING_FACTOR`, a generous allowance for the sums of at most :math:`S` terms in a
sweep (each summation errs by at most about :math:`S \varepsilon` times the sum of magnitudes).
Iteration stops at the first :math:`k` where this bound is at most ``tol`` times the width of
the value range, :math:`(hi - lo) / (1 - \gamma)` (``tol`` is relative to the scale of the
values), or when the contraction term has fallen below the rounding term (more sweeps cannot
help: ``converged`` is then False if the bound still exceeds the target). The bound is reported
with the values.

Each sweep solves Murphy's problem exactly for every state-action pair: interval pairs through
``IntervalSweeper`` (the sort-based solution, recomputed only
where the order of the values changed), vertex pairs by one matrix product and a minimum over
the vertices. Exact models are iterated in float64 (exact value iteration does not terminate);
use policy iteration or a finite horizon for exact values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from infrabayes.sequential._sweep import IntervalSweeper
from infrabayes.sequential.model import Model

__all__ = [
    "DEFAULT_MAX_ITERATIONS",
    "DEFAULT_TOLERANCE",
    "ROUNDING_FACTOR",
    "Iterate",
    "RowOperator",
    "rounding_allowance",
    "value_iteration",
]

#: The constant :math:`c` of the rounding allowance (see the module docstring).
ROUNDING_FACTOR = 32
#: Default accuracy, relative to the width of the value range.
DEFAULT_TOLERANCE = 1e-9
#: Default limit on the number of sweeps.
DEFAULT_MAX_ITERATIONS = 1_000_000


@dataclass(frozen=True)
class Iterate:
    """The outcome of value iteration: final values, sweeps, certified bound, convergence."""

    values: np.ndarray
    iterations: int
    error_bound: float
    converged: bool


def rounding_allowance(n_states: int, values: np.ndarray, rewards: np.ndarray) -> float:
    r"""Return :math:`\delta = c (S + 1) \varepsilon (\max |V| + \max |r|)`, per sweep."""
    scale = float(np.abs(values).max(initial=0.0)) + float(np.abs(rewards).max(initial=0.0))
    return ROUNDING_FACTOR * (n_states + 1) * float(np.finfo(np.float64).eps) * scale


class RowOperator:
    r"""Murphy's values :math:`\min_{p \in C(s, a)} p \cdot v` for fixed flat rows (float).

    Parameters
    ----------
    model : Model
        A float model.
    rows : ndarray of int
        Flat rows of available pairs; the output follows their order.
    """

    def __init__(self, model: Model, rows: np.ndarray) -> None:
        n = model.n_states * model.n_actions
        slot = np.full(n, -1, dtype=np.int64)
        slot[model.interval_rows] = np.arange(len(model.interval_rows))
        is_interval = slot[rows] >= 0
        self._interval_pos = np.flatnonzero(is_interval)
        self._vertex_pos = np.flatnonzero(~is_interval)
        sel = slot[rows[is_interval]]
        self._sweeper: IntervalSweeper | None = None
        if sel.size:
            if sel.size == len(model.interval_rows) and (sel == np.arange(sel.size)).all():
                lower, upper = model.lower, model.upper  # every interval row, in order: no copy
            else:
                lower, upper = model.lower[sel], model.upper[sel]
            self._sweeper = IntervalSweeper(lower, upper)
        vsel = np.searchsorted(model.vertex_rows, rows[~is_interval])
        self._vertices = model.vertices[vsel]
        self._size = len(rows)

    def __call__(self, values: np.ndarray) -> np.ndarray:
        """Return Murphy's value for every row at next-state values `values`."""
        out = np.empty(self._size)
        if self._sweeper is not None:
            out[self._interval_pos] = self._sweeper.values(values)
        if self._vertex_pos.size:
            out[self._vertex_pos] = (self._vertices @ values).min(axis=1)
        return out


def value_iteration(
    model: Model,
    tol: float = DEFAULT_TOLERANCE,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
    policy: np.ndarray | None = None,
) -> Iterate:
    r"""Iterate the robust Bellman operator (or :math:`T^\pi` for a `policy`) to `tol`.

    Parameters
    ----------
    model : Model
        A discounted model (no horizon); exact ones are converted to float64.
    tol : float
        Stop when the certified bound is at most ``tol * (hi - lo) / (1 - gamma)``.
    max_iterations : int
        Stop after this many sweeps even if the bound is not yet certified (then
        ``converged`` is False).
    policy : ndarray of int, shape (S,), optional
        Evaluate this stationary policy instead of optimising.
    """
    if not tol > 0:
        raise ValueError(f"tol must be positive; got {tol!r}")
    model = model.as_float()
    n_s, n_a = model.n_states, model.n_actions
    gamma = float(model.discount)
    rows = model.available_rows() if policy is None else np.arange(n_s) * n_a + policy
    operator = RowOperator(model, rows)
    rewards = model.rewards.reshape(-1)[rows]
    target = tol * float(model.value_scale)
    q_full = np.full(n_s * n_a, -np.inf)
    values = np.zeros(n_s)
    bound = np.inf
    for k in range(1, max_iterations + 1):
        q = rewards + gamma * operator(values)
        if policy is None:
            q_full[rows] = q
            new = q_full.reshape(n_s, n_a).max(axis=1)
        else:
            new = q
        change = float(np.abs(new - values).max())
        values = new
        contraction = gamma / (1 - gamma) * change
        rounding = rounding_allowance(n_s, values, rewards) / (1 - gamma)
        bound = contraction + rounding
        if bound <= target or contraction <= rounding:
            return Iterate(values, k, bound, bound <= target)
    return Iterate(values, max_iterations, bound, False)
