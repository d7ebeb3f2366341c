r"""UCB1 (Auer, Cesa-Bianchi and Fischer 2002): optimism in the face of uncertainty, deterministic.

What it assumes: each action has a fixed mean reward in [0, 1], whatever the agent does (a
stochastic bandit). What it optimises: the sum of rewards, by playing every action once and then
the action with the largest index

.. math:: \bar r_a + \sqrt{\frac{2 \ln t}{n_a}},

:math:`\bar r_a` the mean reward of action :math:`a` over its :math:`n_a` plays, :math:`t` the
number of rounds so far (ties: the first action). Its expected regret against the best action is
at most :math:`\sum_{a: \Delta_a > 0} 8 \ln T / \Delta_a + (1 + \pi^2/3) \Delta_a` (their
Theorem 1).

Its policy is always **pure**, so a predictor that reads the policy reads the action. In
Newcomb's bandit the one-box arm then pays :math:`(1 - \varepsilon) B` on average and the two-box
arm :math:`\varepsilon B + A`: an ordinary bandit, which UCB1 solves by one-boxing. Where the best
policy randomises (Death in Damascus) a deterministic agent is caught every round.

Examples
--------
>>> learner = UCB1(["a", "b"]).start(0)
>>> for reward in (0.0, 1.0, 1.0):
...     policy, action = learner.act()
...     learner.observe(policy, action, None, reward)
>>> learner.act()[1], learner.means()
('b', {'a': 0.0, 'b': 1.0})
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np

from infrabayes.learning.agent import as_generator, check_actions, one_hot

__all__ = ["UCB1", "UCB1Learner"]


@dataclass(frozen=True, eq=False)
class UCB1:
    """UCB1 over the given actions (see the module docstring)."""

    actions: tuple[Hashable, ...]
    name: str = "UCB1"

    def __post_init__(self) -> None:
        object.__setattr__(self, "actions", check_actions(self.actions))

    @property
    def observations(self) -> None:
        """UCB1 ignores observations."""
        return None

    def start(self, rng: Any = None) -> UCB1Learner:
        """Return a fresh learner (UCB1 is deterministic: `rng` is accepted and unused)."""
        as_generator(rng)
        return UCB1Learner(self.actions)


class UCB1Learner:
    """One run of UCB1: play counts and reward sums."""

    def __init__(self, actions: tuple[Hashable, ...]) -> None:
        self.actions = actions
        self._index = {a: i for i, a in enumerate(actions)}
        self.counts = np.zeros(len(actions), dtype=np.int64)
        self.sums = np.zeros(len(actions))

    def act(self) -> tuple[np.ndarray, Hashable]:
        """Return the pure policy on the action of largest index (unplayed actions first)."""
        unplayed = np.flatnonzero(self.counts == 0)
        if unplayed.size:
            i = int(unplayed[0])
        else:
            t = int(self.counts.sum())
            index = self.sums / self.counts + np.sqrt(2.0 * math.log(t) / self.counts)
            i = int(np.argmax(index))
        return one_hot(len(self.actions), i), self.actions[i]

    def observe(self, policy: Any, action: Hashable, observation: Hashable, reward: Any) -> None:
        """Add the reward to the played action's statistics."""
        i = self._index[action]
        self.counts[i] += 1
        self.sums[i] += float(reward)

    def means(self) -> dict[Hashable, float]:
        """Return the mean reward of each played action."""
        return {
            a: float(self.sums[i] / self.counts[i])
            for i, a in enumerate(self.actions)
            if self.counts[i]
        }
