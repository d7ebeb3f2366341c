r"""What a law does to a policy: the prediction, the observation, the expected reward.

With the notation of :mod:`~infrabayes.learning.model` (predictor :math:`M`, emission :math:`K`,
rewards :math:`r`):

* the prediction law of a policy is :math:`\pi M`;
* the observation law after the action :math:`a` is :math:`(\pi M) K[\cdot, a, \cdot]` (last
  entry: NIRVANA);
* the expected reward is :math:`r(\pi) = \pi^\top Q \pi` with :math:`Q = M R`,
  :math:`R[d, b] = \sum_o K[d, b, o] r(b, o)` (:func:`reward_form`), and the probability of
  NIRVANA is :math:`\pi^\top (M N) \pi` with :math:`N[d, b] = K[d, b, \text{NIRVANA}]`;
* the probability of an absorbing observation (a trap) in a round is :math:`\pi^\top (M T) \pi`
  with :math:`T[d, b] = \sum_{o \text{ absorbing}} K[d, b, o]` (:func:`absorbing_form`). A
  stationary policy under which it is positive is absorbed eventually, so its **long-run
  average reward** is 0; otherwise it is :math:`r(\pi)` (:func:`long_run_reward`). The entries
  are nonnegative, so the probability is 0 exactly when :math:`(MT)_{ab} = 0` for all actions
  :math:`a, b` the policy plays.

Everything is exact when the law, the game and the policy are.

Examples
--------
>>> from fractions import Fraction as F
>>> from infrabayes.learning.model import build_game, build_law
>>> game = build_game(["a", "b"], ["hit", "miss"], [[1, 0], [1, 0]])
>>> # A predictor that reads the policy perfectly; the action hits iff it was predicted.
>>> law = build_law(game, predictor=[[1, 0], [0, 1]],
...                 emission=[[[1, 0], [0, 1]], [[0, 1], [1, 0]]])
>>> expected_reward(law, game, [F(1, 2), F(1, 2)])   # (1/2)^2 + (1/2)^2
Fraction(1, 2)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from infrabayes._numbers import Number, as_float_array, is_exact, py_scalar, read_only
from infrabayes.learning.model import Game, Law

__all__ = [
    "absorbing_form",
    "expected_reward",
    "long_run_reward",
    "nirvana_form",
    "nirvana_probability",
    "observation_law",
    "prediction_law",
    "quadratic",
    "reward_form",
]


def _kind(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    if all(is_exact(a) for a in arrays):
        return arrays
    return tuple(as_float_array(a) for a in arrays)


def prediction_law(law: Law, policy: Any) -> np.ndarray:
    r"""Return :math:`\pi M`, the law of the prediction under `policy` (a checked vector)."""
    pi, m = _kind(np.asarray(policy), law.predictor)
    return pi @ m


def observation_law(law: Law, policy: Any, action: int) -> np.ndarray:
    r"""Return :math:`(\pi M) K[\cdot, a, \cdot]`, the observation's law after `a` (+ NIRVANA)."""
    pi, m, k = _kind(np.asarray(policy), law.predictor, law.emission)
    return (pi @ m) @ k[:, action, :]


def reward_form(law: Law, game: Game) -> np.ndarray:
    r"""Return :math:`Q = M R` with :math:`R[d, b] = \sum_o K[d, b, o] r(b, o)` (read-only).

    :math:`r(\pi) = \pi^\top Q \pi`; NIRVANA earns nothing here (see :func:`nirvana_form`).
    """
    m, k, r = _kind(law.predictor, law.emission, game.rewards)
    per_prediction = np.einsum("dbo,bo->db", k[:, :, :-1], r)
    return read_only(m @ per_prediction)


def nirvana_form(law: Law) -> np.ndarray:
    r"""Return :math:`M N`: the probability of NIRVANA is :math:`\pi^\top (M N) \pi` (read-only)."""
    m, k = _kind(law.predictor, law.emission)
    return read_only(m @ k[:, :, -1])


def quadratic(form: np.ndarray, policy: Any) -> Number:
    r"""Return :math:`\pi^\top Q \pi` (exact when both are)."""
    pi, q = _kind(np.asarray(policy), form)
    return py_scalar(pi @ q @ pi)


def expected_reward(law: Law, game: Game, policy: Any) -> Number:
    r"""Return :math:`r(\pi) = \pi^\top Q \pi`, the expected reward of a checked policy vector."""
    return quadratic(reward_form(law, game), policy)


def nirvana_probability(law: Law, policy: Any) -> Number:
    r"""Return the probability of NIRVANA under a checked policy vector."""
    return quadratic(nirvana_form(law), policy)


def absorbing_form(law: Law, game: Game) -> np.ndarray:
    r"""Return :math:`M T`: an absorbing observation has probability :math:`\pi^\top (M T) \pi`."""
    m, k = _kind(law.predictor, law.emission)
    t = k[:, :, :-1][:, :, game.absorbing].sum(axis=2)
    return read_only(m @ t)


def long_run_reward(law: Law, game: Game, policy: Any) -> Number:
    """Return the long-run average reward of a stationary policy: 0 if it can be absorbed."""
    if quadratic(absorbing_form(law, game), policy) > 0:
        return 0 * quadratic(reward_form(law, game), policy)
    return expected_reward(law, game, policy)
