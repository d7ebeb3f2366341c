"""One run of an agent in an environment: the task that sweeps ship to workers.

A :class:`Task` is plain, picklable data: the agent and environment descriptions (frozen
dataclasses), the number of steps, and the run's seed as the ``entropy`` and ``spawn_key`` of a
:class:`numpy.random.SeedSequence`. :func:`simulate` is a module-level function, so processes can
run it. The agent's generator comes from the spawn key extended by 0, the environment's by 1: the
two streams are independent, and the run depends on nothing but the task.

Each round: the learner returns a policy and an action (checked: a probability vector over the
actions within ``PROBABILITY_TOLERANCE``, and an action it plays with positive probability), the
environment draws the prediction from the policy and the observation, and the learner observes.
The expected reward of the round is the environment's exact expected reward of the played
policy (in float64). After an absorbing observation (the trap) the run is over: every later round
has reward 0, no action (``-1``) and no policy (``nan``).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np

from infrabayes.learning.environments import Environment
from infrabayes.learning.model import PROBABILITY_TOLERANCE

__all__ = ["Task", "Trajectory", "simulate"]


@dataclass(frozen=True)
class Task:
    """A run to simulate: plain data (see the module docstring)."""

    agent: Any
    env: Environment
    steps: int
    entropy: Any
    spawn_key: tuple[int, ...]

    def generators(self) -> tuple[np.random.Generator, np.random.Generator]:
        """Return the agent's and the environment's generators."""
        agent = np.random.SeedSequence(self.entropy, spawn_key=(*self.spawn_key, 0))
        env = np.random.SeedSequence(self.entropy, spawn_key=(*self.spawn_key, 1))
        return np.random.default_rng(agent), np.random.default_rng(env)


@dataclass(frozen=True, eq=False)
class Trajectory:
    """The arrays of one run (plain float64 / int64 arrays)."""

    rewards: np.ndarray
    expected: np.ndarray
    policies: np.ndarray
    actions: np.ndarray
    observations: np.ndarray
    absorbed_at: int


def _policy(policy: Any, n: int, name: str, t: int) -> np.ndarray:
    try:
        pf = np.asarray(policy, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name}, round {t}: the policy {policy!r} is not a vector") from None
    if pf.shape != (n,):
        raise ValueError(
            f"{name}, round {t}: the policy has shape {pf.shape}; expected one probability per "
            f"action ({n})"
        )
    total = pf.sum()
    if not (pf.min() >= 0 and abs(total - 1) <= PROBABILITY_TOLERANCE):  # nan fails both
        raise ValueError(
            f"{name}, round {t}: the policy {pf.tolist()} is not a probability vector (entries "
            f">= 0 summing to 1 within {PROBABILITY_TOLERANCE:g})"
        )
    return pf


def simulate(task: Task) -> Trajectory:
    """Run the task's agent in its environment for ``task.steps`` rounds; return the arrays."""
    agent_rng, env_rng = task.generators()
    env = task.env
    game = env.game
    n_a, steps = len(game.actions), task.steps
    sampler = env.sampler
    form = env.reward_form_float
    rewards_float = np.asarray(game.rewards, dtype=np.float64)
    absorbing = env.absorbing_mask
    index: dict[Hashable, int] = {a: i for i, a in enumerate(game.actions)}
    name = getattr(task.agent, "name", type(task.agent).__name__)
    learner = task.agent.start(agent_rng)

    rewards = np.zeros(steps)
    expected = np.zeros(steps)
    policies = np.full((steps, n_a), np.nan)
    actions = np.full(steps, -1, dtype=np.int64)
    observations = np.full(steps, -1, dtype=np.int64)
    absorbed_at = -1
    for t in range(steps):
        policy, action = learner.act()
        pf = _policy(policy, n_a, name, t)
        a = index.get(action, -1) if isinstance(action, Hashable) else -1
        if a < 0:
            raise ValueError(
                f"{name}, round {t}: unknown action {action!r}; the actions are {game.actions!r}"
            )
        if pf[a] <= 0:
            raise ValueError(
                f"{name}, round {t}: action {action!r} has probability 0 under its policy"
            )
        _, o = sampler.draw(pf, a, env_rng)
        rewards[t] = rewards_float[a, o]
        expected[t] = pf @ form @ pf
        policies[t] = pf
        actions[t] = a
        observations[t] = o
        learner.observe(policy, action, game.observations[o], game.rewards[a, o])
        if absorbing[o]:
            absorbed_at = t
            break
    return Trajectory(rewards, expected, policies, actions, observations, absorbed_at)
