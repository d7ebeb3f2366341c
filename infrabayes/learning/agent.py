"""The common interface of the learning agents.

An **agent** (:class:`Agent`) is a frozen, picklable description: its parameters
and hypotheses. :meth:`Agent.start` makes a **learner** for one run, holding the agent's state
and its own seeded :class:`numpy.random.Generator`. Every learner has two methods:

``act()``
    Return ``(policy, action)``: the policy the agent commits to for the round (a probability
    vector over the actions; the predictors of the environments read it) and the action drawn
    from it with the learner's generator.
``observe(policy, action, observation, reward)``
    Learn from the round: the policy and action played, what was observed, the reward.

Names are the game's action and observation names. :func:`as_generator` reads what ``start``
accepts as randomness.

Examples
--------
>>> from infrabayes.learning.ucb import UCB1
>>> learner = UCB1(["left", "right"]).start(0)
>>> learner.act()
(array([1., 0.]), 'left')
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Protocol

import numpy as np

__all__ = ["Agent", "Learner", "as_generator", "check_actions", "draw", "one_hot"]


class Learner(Protocol):
    """One run of an agent: ``act`` then ``observe``, round after round."""

    def act(self) -> tuple[np.ndarray, Hashable]:
        """Return the policy for the round and the action drawn from it."""
        ...

    def observe(self, policy: Any, action: Hashable, observation: Hashable, reward: Any) -> None:
        """Learn from the round's policy, action, observation and reward."""
        ...


class Agent(Protocol):
    """What :func:`~infrabayes.learning.experiments.run` needs of an agent description.

    The agents of this package are frozen dataclasses with these members; any object with them
    can be run.
    """

    @property
    def name(self) -> str:
        """A short name for tables and plots."""
        ...

    @property
    def actions(self) -> tuple[Hashable, ...]:
        """The action names the agent chooses among."""
        ...

    @property
    def observations(self) -> tuple[Hashable, ...] | None:
        """The observation names the agent expects; None if it ignores observations."""
        ...

    def start(self, rng: Any = None) -> Learner:
        """Return a fresh learner with its own generator (see :func:`as_generator`)."""
        ...


def as_generator(rng: Any) -> np.random.Generator:
    """Return a :class:`numpy.random.Generator`: given one, or built from a seed.

    Accepts a Generator (used as is), an int seed or a :class:`numpy.random.SeedSequence`, or
    None (fresh entropy: not reproducible).
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, np.random.SeedSequence):
        return np.random.default_rng(rng)
    if isinstance(rng, bool) or not isinstance(rng, int | np.integer) or rng < 0:
        raise TypeError(
            f"rng must be a numpy.random.Generator, a SeedSequence, a non-negative int seed or "
            f"None; got {rng!r}"
        )
    return np.random.default_rng(int(rng))


def draw(policy: np.ndarray, rng: np.random.Generator) -> int:
    """Return an action index drawn from a float policy (no randomness used if it is pure)."""
    support = np.flatnonzero(policy > 0)
    if support.size == 1:
        return int(support[0])
    cum = np.cumsum(policy)
    i = int(np.searchsorted(cum, rng.random() * cum[-1], side="right"))
    i = min(i, len(cum) - 1)
    while policy[i] <= 0:  # only reached through rounding at the top
        i -= 1
    return i


def check_actions(actions: Any) -> tuple[Hashable, ...]:
    """Return the action names as a tuple: at least one, hashable, distinct."""
    if isinstance(actions, str) or not hasattr(actions, "__iter__"):
        raise TypeError(f"actions must be a sequence of names; got {actions!r}")
    names = tuple(actions)
    if not names:
        raise ValueError("actions is empty; an agent needs at least one action")
    if len(set(names)) != len(names):
        raise ValueError(f"actions {names!r} name an action twice")
    return names


def one_hot(n: int, i: int) -> np.ndarray:
    """Return the pure policy on action ``i`` of ``n`` (float64)."""
    out = np.zeros(n)
    out[i] = 1.0
    return out
