r"""Robust policy iteration, with Murphy's own policy iteration as the exact evaluation.

Definitions
-----------
**Evaluation** of a stationary deterministic policy :math:`\pi`. With :math:`\pi` fixed, Murphy
faces an ordinary (minimising) MDP whose actions in state :math:`s` are the distributions of
:math:`C(s, \pi(s))`; a deterministic stationary choice of a vertex in every state is optimal for
him. Howard's policy iteration for Murphy: start from his best response to :math:`v = 0`; solve
:math:`v = (I - \gamma P)^{-1} r_\pi` exactly; switch, in every state where it is strictly
better for him, to the sort-based (or best-vertex) distribution at :math:`v`; repeat until no
state switches. Each switch strictly lowers :math:`v`, and there are finitely many vertex
choices, so this terminates with :math:`v = V^\pi`, the robust value of :math:`\pi`.

**Improvement.** Switch :math:`\pi` to a best robust action at :math:`V^\pi`, only in the
states where it is strictly better than :math:`\pi(s)`; stop when no state switches. The
robust values increase at every step (robust policy improvement: Iyengar 2005; Satia and Lave
1973 for the max-min formulation; Hoffman and Karp 1966 for stochastic games), so this
terminates with an optimal policy and :math:`V^*`.

Exact models are solved in ``Fraction`` s (an exact :math:`S \times S` solve per evaluation
step: keep such models small). Float models use :func:`numpy.linalg.solve`; "strictly better"
then means better by more than :data:`~infrabayes.sequential.bellman.TIE_TOLERANCE` relative
to the larger of the two values, so rounding cannot make the iteration cycle. The error bound
of a float result is the residual bound :math:`\|T V - V\|_\infty / (1 - \gamma)`, plus the
rounding allowance of :mod:`~infrabayes.sequential.value_iteration`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from infrabayes.sequential._linear import discounted_values
from infrabayes.sequential.bellman import TIE_TOLERANCE, q_values
from infrabayes.sequential.model import Model
from infrabayes.sequential.murphy import worst_case_rows

__all__ = ["DEFAULT_MAX_STEPS", "Evaluation", "Optimum", "evaluate_policy", "policy_iteration"]

#: Limit on improvement steps (of the agent, and of Murphy per evaluation).
DEFAULT_MAX_STEPS = 10_000


@dataclass(frozen=True)
class Evaluation:
    """A policy's robust values, Murphy's distributions (S, S), and his improvement steps."""

    values: np.ndarray
    kernel: np.ndarray
    steps: int


@dataclass(frozen=True)
class Optimum:
    """Optimal values and policy, the agent's steps and Murphy's steps summed."""

    values: np.ndarray
    policy: np.ndarray
    steps: int
    inner_steps: int


def _better(a: Any, b: Any, exact: bool) -> bool:
    """Whether `a` exceeds `b` strictly (floats: by more than the relative tolerance)."""
    if exact:
        return bool(a > b)
    x, y = float(a), float(b)
    return x - y > TIE_TOLERANCE * max(abs(x), abs(y))


def _row_dot(kernel: np.ndarray, values: np.ndarray) -> np.ndarray:
    out: np.ndarray = kernel @ values
    return out


def evaluate_policy(
    model: Model,
    policy: np.ndarray,
    kernel: np.ndarray | None = None,
    max_steps: int = DEFAULT_MAX_STEPS,
) -> Evaluation:
    """Return the robust value of a stationary policy by Murphy's policy iteration.

    Parameters
    ----------
    model : Model
        A discounted model; exact models give exact values.
    policy : ndarray of int, shape (S,)
    kernel : ndarray, shape (S, S), optional
        Murphy's starting distributions (each row in its credal set); default his best response
        to zero values.
    """
    n_s = model.n_states
    rows = np.arange(n_s) * model.n_actions + policy
    rewards = model.rewards.reshape(-1)[rows]
    if kernel is None:
        zeros = np.zeros(n_s, dtype=object if model.exact else np.float64)
        if model.exact:
            zeros[:] = [0 * model.discount] * n_s
        kernel = worst_case_rows(model, zeros, rows)[1]
    kernel = kernel.copy()
    for step in range(1, max_steps + 1):
        values = discounted_values(kernel, rewards, model.discount)
        best, response = worst_case_rows(model, values, rows)
        current = _row_dot(kernel, values)
        switch = [s for s in range(n_s) if _better(current[s], best[s], model.exact)]
        if not switch:
            return Evaluation(values, kernel, step)
        kernel[switch] = response[switch]
    raise RuntimeError(f"Murphy's policy iteration did not stop within {max_steps} steps")


def policy_iteration(model: Model, max_steps: int = DEFAULT_MAX_STEPS) -> Optimum:
    """Return an optimal stationary policy and :math:`V^*` by robust policy iteration.

    Starts from the greedy policy for the immediate reward. Exact models give exact values.
    """
    n_s = model.n_states
    rewards = model.rewards
    policy = np.array(
        [max(np.flatnonzero(model.available[s]), key=lambda a: rewards[s, a]) for s in range(n_s)],
        dtype=np.int64,
    )
    inner = 0
    kernel = None
    for step in range(1, max_steps + 1):
        evaluation = evaluate_policy(model, policy, kernel)
        inner += evaluation.steps
        values = evaluation.values
        q, _ = q_values(model, values)
        switched = False
        for s in range(n_s):
            avail = np.flatnonzero(model.available[s])
            best = max(avail, key=lambda a: q[s, a])
            if best != policy[s] and _better(q[s, best], q[s, policy[s]], model.exact):
                policy[s] = best
                switched = True
        if not switched:
            return Optimum(values, policy, step, inner)
        rows = np.arange(n_s) * model.n_actions + policy
        kernel = worst_case_rows(model, values, rows)[1]
    raise RuntimeError(f"robust policy iteration did not stop within {max_steps} steps")
