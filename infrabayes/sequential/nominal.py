r"""Nominal vs robust planning: what the plan for one believed kernel guarantees against Murphy.

Definitions
-----------
A **nominal** planner believes one kernel :math:`\hat P` and solves the ordinary MDP (a credal
set of one point per pair). The default :math:`\hat P` is the *midpoint* of each credal set:

* intervals: :math:`\ell + t (u - \ell)` with :math:`t = (1 - \sum \ell) / \sum (u - \ell)`,
  the point of the segment from :math:`\ell` to :math:`u` that sums to 1 (the midpoint
  :math:`(\ell + u) / 2` itself when that sums to 1; :math:`\ell` when :math:`\ell = u`);
* vertices: their average.

Both lie in the credal set. :func:`compare` solves the nominal and the robust problem and
evaluates each plan's policy under the other view: the nominal policy against Murphy (its
*guarantee*) and the robust policy under :math:`\hat P`. The robust policy's guarantee is never
below the nominal policy's, and the nominal policy's nominal value is never below the robust
policy's (up to the certified error of float results).
"""

from __future__ import annotations

import numpy as np

from infrabayes.sequential.model import Model, build
from infrabayes.sequential.results import Comparison, Solution
from infrabayes.sequential.solving import evaluate, solve
from infrabayes.sequential.value_iteration import DEFAULT_TOLERANCE

__all__ = ["compare", "nominal_kernel", "point_model"]


def nominal_kernel(model: Model) -> np.ndarray:
    """Return the midpoint kernel (S, A, S) of a model (rows of unavailable pairs are 0)."""
    n_s, n_a = model.n_states, model.n_actions
    dtype = object if model.exact else np.float64
    out = np.zeros((n_s * n_a, n_s), dtype=dtype)
    if model.exact:
        out[:] = 0 * model.discount  # Fraction zeros
    lower, upper = model.lower, model.upper
    if len(model.interval_rows):
        gaps = (upper - lower).sum(axis=1)
        free = 1 - lower.sum(axis=1)
        t = np.array(
            [f / g if g != 0 else 0 * g for f, g in zip(free, gaps, strict=True)], dtype=dtype
        )
        out[model.interval_rows] = lower + t[:, None] * (upper - lower)
    for i, row in enumerate(model.vertex_rows):
        k = int(model.vertex_counts[i])
        out[row] = model.vertices[i, :k].sum(axis=0) / k
    return out.reshape(n_s, n_a, n_s)


def point_model(model: Model, kernel: np.ndarray) -> Model:
    """Return the model whose credal sets are the single distributions of `kernel` (S, A, S)."""
    rows = model.available_rows()
    flat = kernel.reshape(model.n_states * model.n_actions, model.n_states)[rows]
    return build(
        states=model.states,
        actions=model.actions,
        available=model.available,
        rewards=model.rewards,
        discount=model.discount,
        horizon=model.horizon,
        reward_range=model.reward_range,
        interval_rows=rows,
        lower=flat,
        upper=flat,
        vertex_rows=np.zeros(0, dtype=np.int64),
        vertices=np.zeros((0, 1, model.n_states), dtype=flat.dtype),
        vertex_counts=np.zeros(0, dtype=np.int64),
    )


def _indices(model: Model, solution: Solution) -> np.ndarray:
    rules = solution.stage_policy if solution.stage_policy is not None else (solution.policy,)
    out = np.array([[model.actions.index(a) for a in rule] for rule in rules], dtype=np.int64)
    return out if solution.stage_policy is not None else out[0]


def compare(
    model: Model,
    kernel: np.ndarray | None = None,
    method: str | None = None,
    tol: float = DEFAULT_TOLERANCE,
) -> Comparison:
    """Return the nominal plan (for `kernel`, default the midpoint) against the robust plan."""
    if kernel is None:
        kernel = nominal_kernel(model)
    nominal_model = point_model(model, kernel)
    nominal = solve(nominal_model, method, tol)
    robust = solve(model, method, tol)
    return Comparison(
        states=model.states,
        actions=model.actions,
        nominal_kernel=_read_only_copy(nominal_model, kernel),
        nominal=nominal,
        robust=robust,
        nominal_guarantee=evaluate(model, _indices(model, nominal), method, tol),
        robust_under_nominal=evaluate(nominal_model, _indices(model, robust), method, tol),
    )


def _read_only_copy(model: Model, kernel: np.ndarray) -> np.ndarray:
    out = np.array(kernel, dtype=object if model.exact else np.float64, copy=True)
    out.flags.writeable = False
    return out
