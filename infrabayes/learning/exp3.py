r"""EXP3 (Auer, Cesa-Bianchi, Freund and Schapire 2002): exponential weights against an adversary.

What it assumes: nothing about where the rewards come from; an adversary may choose each round's
reward vector :math:`x_t \in [0, 1]^A` (obliviously). What it optimises: regret against the best
*fixed action in hindsight*, :math:`\max_a \sum_t x_t(a) - \sum_t x_t(a_t)`, by playing

.. math:: \pi_t = (1 - \gamma) \frac{w_t}{\sum_a w_t(a)} + \frac{\gamma}{|A|}, \qquad
          w_{t+1}(a_t) = w_t(a_t) \exp\Big(\frac{\gamma}{|A|} \frac{r_t}{\pi_t(a_t)}\Big),

with expected regret at most :math:`(e - 1)\gamma G_{\max} + |A| \ln |A| / \gamma` (their
Theorem 3.1), :math:`\le 2.63 \sqrt{T |A| \ln |A|}` for the tuned :math:`\gamma`
(:meth:`EXP3.tuned`, their Corollary 3.2).

In Newcomb's bandit the counterfactual reward vector of a round has the prediction fixed, so
two-boxing beats one-boxing by :math:`A / (A + B)` in *every* round: no-regret against fixed
actions means converging to two-boxing, the wrong benchmark when the predictor reads the policy.

Examples
--------
>>> agent = EXP3(["a", "b"], gamma=0.5)
>>> learner = agent.start(0)
>>> policy, action = learner.act()
>>> policy
array([0.5, 0.5])
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np

from infrabayes.learning.agent import as_generator, check_actions, draw

__all__ = ["EXP3", "EXP3Learner"]


@dataclass(frozen=True, eq=False)
class EXP3:
    r"""EXP3 over the given actions with exploration rate :math:`\gamma \in (0, 1]`."""

    actions: tuple[Hashable, ...]
    gamma: float = 0.1
    name: str = "EXP3"

    def __post_init__(self) -> None:
        object.__setattr__(self, "actions", check_actions(self.actions))
        g = self.gamma
        if isinstance(g, bool) or not isinstance(g, int | float) or not 0 < g <= 1:
            raise ValueError(f"gamma must be a number in (0, 1]; got {g!r}")
        object.__setattr__(self, "gamma", float(g))

    @classmethod
    def tuned(cls, actions: Any, horizon: int, name: str = "EXP3") -> EXP3:
        r"""Return EXP3 with :math:`\gamma = \min(1, \sqrt{|A| \ln |A| / ((e - 1) T)})`."""
        acts = check_actions(actions)
        if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
            raise ValueError(f"horizon must be a positive int; got {horizon!r}")
        k = len(acts)
        gamma = min(1.0, math.sqrt(k * math.log(max(k, 2)) / ((math.e - 1) * horizon)))
        return cls(acts, gamma, name)

    @property
    def observations(self) -> None:
        """EXP3 ignores observations."""
        return None

    def start(self, rng: Any = None) -> EXP3Learner:
        """Return a fresh learner with its own generator."""
        return EXP3Learner(self.actions, self.gamma, as_generator(rng))


class EXP3Learner:
    """One run of EXP3: log-weights per action."""

    def __init__(self, actions: tuple[Hashable, ...], gamma: float, rng: np.random.Generator):
        self.actions = actions
        self._index = {a: i for i, a in enumerate(actions)}
        self.gamma = gamma
        self.log_weights = np.zeros(len(actions))
        self.rng = rng

    def policy(self) -> np.ndarray:
        """Return the current policy (exponential weights mixed with uniform exploration)."""
        w = np.exp(self.log_weights - self.log_weights.max())
        k = len(self.actions)
        return (1 - self.gamma) * w / w.sum() + self.gamma / k

    def act(self) -> tuple[np.ndarray, Hashable]:
        """Return the policy and an action drawn from it."""
        pi = self.policy()
        return pi, self.actions[draw(pi, self.rng)]

    def observe(self, policy: Any, action: Hashable, observation: Hashable, reward: Any) -> None:
        """Add the importance-weighted reward to the played action's log-weight."""
        i = self._index[action]
        p = float(np.asarray(policy, dtype=np.float64)[i])
        self.log_weights[i] += self.gamma / len(self.actions) * float(reward) / p
