r"""The causal Bayesian agent's computations on plain arrays: its action values and Bayes' rule.

With point laws :math:`j` (forms :math:`Q_j = M_j R_j`, absorbing forms :math:`M_j T_j`),
posterior weights :math:`w_j` and the believed policy :math:`\sigma`:

* the causal value of action :math:`a` is :math:`\sum_j w_j (\sigma Q_j)_a`, with the term of a
  law under which :math:`a` can reach an absorbing observation (given :math:`\sigma`) replaced by
  its long-run average, 0 (:func:`action_values`);
* Bayes' rule multiplies :math:`w_j` by :math:`P_j(o \mid \pi, a) = (\pi M_j) K_j[\cdot, a, o]`
  and renormalises (:func:`posterior`).

Exact when every input is; see :mod:`infrabayes.learning.bayes` for the agent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from infrabayes.learning.model import Game, Law
from infrabayes.learning.outcomes import absorbing_form, reward_form
from infrabayes.learning.simplex import TIE_TOLERANCE

__all__ = ["Tables", "action_values", "best_action", "compile_tables", "posterior"]


@dataclass(frozen=True, eq=False)
class Tables:
    """The point laws' arrays: forms ``(J, A, A)``, absorbing forms, predictors and emissions."""

    forms: np.ndarray
    traps: np.ndarray
    predictors: tuple[np.ndarray, ...]
    emissions: tuple[np.ndarray, ...]
    exact: bool


def compile_tables(game: Game, laws: tuple[Law, ...], exact: bool) -> Tables:
    """Return the arrays of the point laws (float64 unless `exact`)."""

    def conv(a: np.ndarray) -> np.ndarray:
        return a if exact else np.asarray(a, dtype=np.float64)

    return Tables(
        forms=np.stack([conv(reward_form(law, game)) for law in laws]),
        traps=np.stack([conv(absorbing_form(law, game)) for law in laws]),
        predictors=tuple(conv(law.predictor) for law in laws),
        emissions=tuple(conv(law.emission) for law in laws),
        exact=exact,
    )


def action_values(tables: Tables, weights: np.ndarray, belief: np.ndarray) -> np.ndarray:
    r"""Return each action's causal value :math:`\sum_j w_j (\sigma Q_j)_a` (see the module)."""
    per_law = np.einsum("b,jba->ja", belief, tables.forms)
    trapped = np.einsum("b,jba->ja", belief, tables.traps) > 0
    per_law = np.where(trapped, 0 * per_law, per_law)
    values: np.ndarray = weights @ per_law
    return values


def best_action(values: np.ndarray, exact: bool) -> int:
    """Return the first action of largest value (floats: ties within ``TIE_TOLERANCE``)."""
    best = values.max()
    if exact:
        return int(np.argmax(values == best))
    tol = TIE_TOLERANCE * max(1.0, abs(float(best)))
    return int(np.argmax(values.astype(np.float64) >= float(best) - tol))


def posterior(
    tables: Tables, weights: np.ndarray, policy: Any, action: int, observation: int
) -> np.ndarray:
    """Return the posterior weights after a round; raise a ValueError if every law excludes it."""
    dtype: Any = object if tables.exact else np.float64
    pi = np.asarray(policy, dtype=dtype)
    lik = np.array(
        [
            (pi @ m) @ k[:, action, observation]
            for m, k in zip(tables.predictors, tables.emissions, strict=True)
        ],
        dtype=dtype,
    )
    post = weights * lik
    total = post.sum()
    if total == 0:
        raise ValueError(
            "every point hypothesis gives the round probability 0: the Bayesian posterior is "
            "undefined (the truth is outside the hypotheses)"
        )
    result: np.ndarray = post / total
    return result
