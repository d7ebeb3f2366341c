r"""Finite horizon: robust backward induction, exact in ``Fraction`` s for exact models.

Definitions
-----------
With :math:`H` decisions, :math:`V_H = 0` and, for :math:`t = H - 1, \dots, 0`,

.. math:: V_t(s) = \max_a \; r(s, a) + \gamma \min_{p \in C(s, a)} p \cdot V_{t+1},

the maximum taken at :math:`a = \pi_t(s)` for a fixed Markov policy. The discount may be 1.
Murphy chooses at every visit, knowing the stage: (s, a)-rectangularity over stages too. The
optimal policy is Markov (one decision rule per stage), in general not stationary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from infrabayes.sequential.bellman import greedy, q_values
from infrabayes.sequential.model import Model
from infrabayes.sequential.murphy import worst_case_rows

__all__ = ["Backward", "backward_evaluation", "backward_induction"]


@dataclass(frozen=True)
class Backward:
    """Stage values (H + 1, S), Q-values (H, S, A), kernels (H, S, A, S), rules and ties."""

    stage_values: np.ndarray
    stage_q: np.ndarray
    stage_kernel: np.ndarray
    stage_policy: np.ndarray
    stage_ties: tuple[tuple[tuple[int, ...], ...], ...]


def _zeros(model: Model, n: int) -> np.ndarray:
    if model.exact:
        out = np.empty(n, dtype=object)
        out[:] = [0 * model.discount] * n
        return out
    return np.zeros(n)


def _horizon(model: Model) -> int:
    if model.horizon is None:
        raise ValueError("backward induction needs a finite horizon")
    return model.horizon


def backward_induction(model: Model) -> Backward:
    """Return the robust optimum of a finite-horizon model, stage by stage."""
    horizon = _horizon(model)
    n_s = model.n_states
    values = [_zeros(model, n_s)]
    qs, kernels, rules, ties = [], [], [], []
    for _ in range(horizon):
        q, kernel = q_values(model, values[-1])
        best, rule, tied = greedy(model, q)
        values.append(best)
        qs.append(q)
        kernels.append(kernel)
        rules.append(rule)
        ties.append(tied)
    return Backward(
        stage_values=np.stack(values[::-1]),
        stage_q=np.stack(qs[::-1]),
        stage_kernel=np.stack(kernels[::-1]),
        stage_policy=np.stack(rules[::-1]),
        stage_ties=tuple(ties[::-1]),
    )


def backward_evaluation(model: Model, policy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return a Markov policy's robust stage values (H + 1, S) and Murphy's kernels (H, S, S).

    `policy` has shape (S,) (the same rule at every stage) or (H, S).
    """
    horizon = _horizon(model)
    n_s, n_a = model.n_states, model.n_actions
    rules = np.broadcast_to(policy, (horizon, n_s))
    values = [_zeros(model, n_s)]
    kernels = []
    for t in range(horizon - 1, -1, -1):
        rows = np.arange(n_s) * n_a + rules[t]
        murphy, kernel = worst_case_rows(model, values[-1], rows)
        values.append(model.rewards.reshape(-1)[rows] + model.discount * murphy)
        kernels.append(kernel)
    return np.stack(values[::-1]), np.stack(kernels[::-1])
