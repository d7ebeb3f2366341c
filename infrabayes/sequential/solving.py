r"""Solve a model or evaluate a policy: pick the algorithm, package the evidence as a result.

Methods
-------
``"value-iteration"``
    Discounted: robust value iteration in float64 to a certified relative tolerance
    (:mod:`~infrabayes.sequential.value_iteration`). With a horizon: backward induction
    (value iteration run for exactly :math:`H` steps), exact for exact models.
``"policy-iteration"``
    Discounted only: robust policy iteration with Murphy's policy iteration as the evaluation
    (:mod:`~infrabayes.sequential.policy_iteration`), exact for exact models.
``None`` (default)
    ``"policy-iteration"`` for an exact discounted model (exact numbers in, exact out),
    ``"value-iteration"`` otherwise.
"""

from __future__ import annotations

from collections.abc import Hashable
from fractions import Fraction
from typing import Any

import numpy as np

from infrabayes._numbers import Number, read_only
from infrabayes._table import did_you_mean
from infrabayes.sequential.backward import backward_evaluation, backward_induction
from infrabayes.sequential.bellman import greedy, q_values
from infrabayes.sequential.model import Model
from infrabayes.sequential.murphy import worst_case_rows
from infrabayes.sequential.policy_iteration import evaluate_policy, policy_iteration
from infrabayes.sequential.results import PolicyValue, Solution
from infrabayes.sequential.value_iteration import (
    DEFAULT_MAX_ITERATIONS,
    DEFAULT_TOLERANCE,
    rounding_allowance,
    value_iteration,
)

__all__ = ["METHODS", "evaluate", "solve"]

#: The accepted values of ``method``.
METHODS = ("value-iteration", "policy-iteration")


def _method(model: Model, method: str | None) -> str:
    if isinstance(method, str):
        method = method.lower()
    if method is not None and method not in METHODS:
        hint = did_you_mean(method, METHODS)
        raise ValueError(f"method must be one of {METHODS} or None; got {method!r}{hint}")
    if model.horizon is not None:
        if method == "policy-iteration":
            raise ValueError(
                "policy iteration is for the discounted infinite horizon; with a finite horizon "
                "the optimum is backward induction (method='value-iteration' or None)"
            )
        return "backward-induction"
    if method is None:
        return "policy-iteration" if model.exact else "value-iteration"
    return method


def _ro(arr: np.ndarray) -> np.ndarray:
    """Mark a freshly computed array (owned by the result alone) read-only."""
    return read_only(arr)


def _names(actions: tuple[Hashable, ...], indices: np.ndarray) -> tuple[Hashable, ...]:
    return tuple(actions[int(a)] for a in indices)


def _residual_bound(model: Model, values: np.ndarray, best: np.ndarray) -> Number:
    """Return ``max |T V - V| / (1 - gamma)``: exact for exact models, else plus rounding.

    For floats the residual is itself computed with rounding error: the allowance of
    :func:`~infrabayes.sequential.value_iteration.rounding_allowance` is added, divided by
    ``1 - gamma``.
    """
    residual = max(abs(b - v) for b, v in zip(best, values, strict=True))
    if model.exact:
        return Fraction(residual) / (1 - model.discount)
    rounding = rounding_allowance(model.n_states, values, model.rewards)
    return (float(residual) + rounding) / (1 - float(model.discount))


def solve(
    model: Model,
    method: str | None = None,
    tol: float = DEFAULT_TOLERANCE,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
) -> Solution:
    """Return the robust solution of a model (see the module docstring for `method`)."""
    how = _method(model, method)
    actions = model.actions
    common: dict[str, Any] = {
        "states": model.states,
        "actions": actions,
        "method": how,
        "discount": model.discount,
        "horizon": model.horizon,
        "reward_range": model.reward_range,
    }
    if how == "backward-induction":
        back = backward_induction(model)
        rules = tuple(_names(actions, rule) for rule in back.stage_policy)
        ties = tuple(
            tuple(tuple(actions[a] for a in tied) for tied in stage) for stage in back.stage_ties
        )
        return Solution(
            **common,
            values=_ro(back.stage_values[0]),
            q_values=_ro(back.stage_q[0]),
            policy=rules[0],
            ties=ties[0],
            kernel=_ro(back.stage_kernel[0]),
            iterations=int(model.horizon or 0),
            error_bound=Fraction(0) if model.exact else 0.0,
            tolerance=None,
            converged=True,
            exact=model.exact,
            stage_values=_ro(back.stage_values),
            stage_policy=rules,
            stage_ties=ties,
            stage_kernel=_ro(back.stage_kernel),
        )
    if how == "value-iteration":
        flt = model.as_float()
        run = value_iteration(flt, tol, max_iterations)
        values = run.values
        bound: Number = run.error_bound
        q, kernel = q_values(flt, values)
        _, rule, tied = greedy(flt, q, bound)
        iterations, inner, converged, exact, tolerance = (
            run.iterations,
            0,
            run.converged,
            False,
            tol,
        )
    else:
        opt = policy_iteration(model)
        values = opt.values
        q, kernel = q_values(model, values)
        best, _, _ = greedy(model, q)
        bound = _residual_bound(model, values, best)
        _, rule, tied = greedy(model, q, bound)
        iterations, inner, converged, exact, tolerance = (
            opt.steps,
            opt.inner_steps,
            True,
            model.exact,
            None,
        )
    return Solution(
        **common,
        values=_ro(values),
        q_values=_ro(q),
        policy=_names(actions, rule),
        ties=tuple(tuple(actions[a] for a in t) for t in tied),
        kernel=_ro(kernel),
        iterations=iterations,
        inner_iterations=inner,
        error_bound=bound,
        tolerance=tolerance,
        converged=converged,
        exact=exact,
    )


def evaluate(
    model: Model,
    policy: np.ndarray,
    method: str | None = None,
    tol: float = DEFAULT_TOLERANCE,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
) -> PolicyValue:
    """Return the robust value of a deterministic policy (action indices, (S,) or (H, S))."""
    how = _method(model, method)
    actions = model.actions
    policy = np.asarray(policy, dtype=np.int64)
    if policy.ndim == 2:
        names: tuple[object, ...] = tuple(_names(actions, rule) for rule in policy)
    else:
        names = _names(actions, policy)
    common: dict[str, Any] = {
        "states": model.states,
        "actions": actions,
        "policy": names,
        "method": how,
        "discount": model.discount,
        "horizon": model.horizon,
        "reward_range": model.reward_range,
    }
    if how == "backward-induction":
        stage_values, stage_kernel = backward_evaluation(model, policy)
        return PolicyValue(
            **common,
            values=_ro(stage_values[0]),
            kernel=_ro(stage_kernel[0]),
            iterations=int(model.horizon or 0),
            error_bound=Fraction(0) if model.exact else 0.0,
            tolerance=None,
            converged=True,
            exact=model.exact,
            stage_values=_ro(stage_values),
            stage_kernel=_ro(stage_kernel),
        )
    if policy.ndim != 1:
        raise ValueError("a discounted model takes a stationary policy (one action per state)")
    rows = np.arange(model.n_states) * model.n_actions + policy
    if how == "value-iteration":
        flt = model.as_float()
        run = value_iteration(flt, tol, max_iterations, policy=policy)
        _, kernel = worst_case_rows(flt, run.values, rows)
        return PolicyValue(
            **common,
            values=_ro(run.values),
            kernel=_ro(kernel),
            iterations=run.iterations,
            error_bound=run.error_bound,
            tolerance=tol,
            converged=run.converged,
            exact=False,
        )
    ev = evaluate_policy(model, policy)
    murphy, kernel = worst_case_rows(model, ev.values, rows)
    best = model.rewards.reshape(-1)[rows] + model.discount * murphy
    return PolicyValue(
        **common,
        values=_ro(ev.values),
        kernel=_ro(kernel),
        iterations=ev.steps,
        error_bound=_residual_bound(model, ev.values, best),
        tolerance=None,
        converged=True,
        exact=model.exact,
    )
