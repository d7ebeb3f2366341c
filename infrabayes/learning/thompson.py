r"""Thompson sampling with Beta-Bernoulli posteriors: probability matching, a randomising agent.

What it assumes: each action has a fixed probability of success, whatever the agent does, with a
uniform prior (:math:`\mathrm{Beta}(1, 1)`). A reward :math:`r \in [0, 1]` counts as a success
with probability :math:`r` (Agrawal and Goyal 2012's Bernoulli trick; a reward of 0 or 1 uses no
randomness). What it optimises: it plays each action with the posterior probability that the
action is the best,

.. math:: \pi_t(a) = P(\theta_a = \max_b \theta_b \mid \text{history}),

the policy of Thompson (1933) made explicit (the environments' predictors read it). It is
computed by quadrature (:mod:`infrabayes.learning._beta`), and the action is drawn from it.

Because it randomises, a predictor that reads its policy cannot read its action. In Newcomb's
bandit each action's statistics then mix rounds at different policies: two-boxing looks better
than one-boxing at every fixed policy, and the agent's success rates record the policies it had
when it played each arm.

Examples
--------
>>> learner = ThompsonSampling(["a", "b"]).start(0)
>>> learner.act()[0]
array([0.5, 0.5])
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np

from infrabayes.learning._beta import prob_best
from infrabayes.learning.agent import as_generator, check_actions, draw

__all__ = ["ThompsonLearner", "ThompsonSampling"]


@dataclass(frozen=True, eq=False)
class ThompsonSampling:
    """Thompson sampling over the given actions (see the module docstring)."""

    actions: tuple[Hashable, ...]
    name: str = "Thompson sampling"

    def __post_init__(self) -> None:
        object.__setattr__(self, "actions", check_actions(self.actions))

    @property
    def observations(self) -> None:
        """Thompson sampling ignores observations."""
        return None

    def start(self, rng: Any = None) -> ThompsonLearner:
        """Return a fresh learner with its own generator."""
        return ThompsonLearner(self.actions, as_generator(rng))


class ThompsonLearner:
    """One run of Thompson sampling: Beta posteriors ``alpha``, ``beta`` per action."""

    def __init__(self, actions: tuple[Hashable, ...], rng: np.random.Generator) -> None:
        self.actions = actions
        self._index = {a: i for i, a in enumerate(actions)}
        self.alpha = np.ones(len(actions))
        self.beta = np.ones(len(actions))
        self.rng = rng

    def policy(self) -> np.ndarray:
        """Return the posterior probability that each action is the best."""
        return prob_best(self.alpha, self.beta)

    def act(self) -> tuple[np.ndarray, Hashable]:
        """Return the Thompson policy and an action drawn from it."""
        pi = self.policy()
        return pi, self.actions[draw(pi, self.rng)]

    def observe(self, policy: Any, action: Hashable, observation: Hashable, reward: Any) -> None:
        """Count a success with probability `reward`."""
        i = self._index[action]
        r = float(reward)
        success = r if r in (0.0, 1.0) else float(self.rng.random() < r)
        self.alpha[i] += success
        self.beta[i] += 1.0 - success
