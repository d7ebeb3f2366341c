r"""The result of learning runs: reward and regret trajectories over seeds, and sweeps of them.

**Regret** is measured against the best policy in hindsight, policy dependence included
(:meth:`~infrabayes.learning.environments.Environment.best_policy`, the exact maximum of the
expected reward per round over all mixed policies), from the environment's exact expected reward
of each policy played (the *pseudo-regret*, free of the noise of the realised rewards):

.. math:: \mathrm{Regret}_T = \sum_{t \le T} \big(r^* - r(\pi_t)\big),

with :math:`r(\pi_t) = 0` after an absorbing observation (the trap). The realised rewards are
kept too. Arrays are float64 and read-only, one row per seed.

The **confidence band** of the mean over :math:`n` seeds is :math:`\bar x \pm z \, s / \sqrt n`,
:math:`s` the sample standard deviation and :math:`z` the normal quantile of the level
(``statistics.NormalDist``), an approximate interval for the expected value of a run.
"""

from __future__ import annotations

import statistics
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np

from infrabayes._html import Block, Table, html, text
from infrabayes._numbers import format_number
from infrabayes.learning._text import name, policy_label
from infrabayes.learning.environments import BestPolicy

__all__ = ["RunResult", "Sweep", "band"]


def band(values: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(mean, low, high)`` over axis 0: the mean and its normal confidence band.

    With one row, the band is the mean itself.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must lie in (0, 1); got {level!r}")
    n = values.shape[0]
    mean = values.mean(axis=0)
    if n < 2:
        return mean, mean.copy(), mean.copy()
    z = statistics.NormalDist().inv_cdf(0.5 + level / 2)
    half = z * values.std(axis=0, ddof=1) / np.sqrt(n)
    return mean, mean - half, mean + half


def _ro(arr: np.ndarray) -> np.ndarray:
    arr.flags.writeable = False
    return arr


@dataclass(frozen=True, eq=False)
class RunResult:
    """Learning runs of one agent in one environment, over several seeds.

    Attributes
    ----------
    agent, environment : str
        Their names.
    actions, observations : tuple
        The names; ``policies`` and the codes in ``played`` and ``seen`` follow their order.
    steps, seeds : int
        Rounds per run and number of runs.
    seed : object
        The root seed the runs' seeds were spawned from (None if the runs' seeds were given).
    best : BestPolicy
        The benchmark: the best policy in hindsight and its expected reward per round.
    rewards : ndarray, shape (seeds, steps)
        Realised rewards.
    expected : ndarray, shape (seeds, steps)
        The exact expected reward of the policy played each round.
    regret : ndarray, shape (seeds, steps)
        Cumulative regret after each round (see the module docstring).
    policies : ndarray, shape (seeds, steps, actions)
        The policy played each round (``nan`` after the run is over).
    played, seen : ndarray of int, shape (seeds, steps)
        Action and observation indices (``-1`` after the run is over).
    absorbed_at : ndarray of int, shape (seeds,)
        The round of the absorbing observation, ``-1`` if none.
    """

    agent: str
    environment: str
    actions: tuple[Hashable, ...]
    observations: tuple[Hashable, ...]
    steps: int
    seeds: int
    seed: Any
    best: BestPolicy
    rewards: np.ndarray
    expected: np.ndarray
    regret: np.ndarray
    policies: np.ndarray
    played: np.ndarray
    seen: np.ndarray
    absorbed_at: np.ndarray

    @classmethod
    def assemble(
        cls,
        agent: str,
        environment: str,
        actions: tuple[Hashable, ...],
        observations: tuple[Hashable, ...],
        seed: Any,
        best: BestPolicy,
        trajectories: list[Any],
    ) -> RunResult:
        """Stack per-seed trajectories (from :func:`~infrabayes.learning.episode.simulate`)."""
        rewards = np.stack([t.rewards for t in trajectories])
        expected = np.stack([t.expected for t in trajectories])
        regret = np.cumsum(float(best.value) - expected, axis=1)
        return cls(
            agent=agent,
            environment=environment,
            actions=actions,
            observations=observations,
            steps=rewards.shape[1],
            seeds=rewards.shape[0],
            seed=seed,
            best=best,
            rewards=_ro(rewards),
            expected=_ro(expected),
            regret=_ro(regret),
            policies=_ro(np.stack([t.policies for t in trajectories])),
            played=_ro(np.stack([t.actions for t in trajectories])),
            seen=_ro(np.stack([t.observations for t in trajectories])),
            absorbed_at=_ro(np.array([t.absorbed_at for t in trajectories], dtype=np.int64)),
        )

    @property
    def mean_regret(self) -> np.ndarray:
        """The cumulative regret after each round, averaged over seeds, shape (steps,)."""
        return self.regret.mean(axis=0)

    @property
    def final_regret(self) -> np.ndarray:
        """The regret after the last round, per seed, shape (seeds,)."""
        return self.regret[:, -1]

    @property
    def average_reward(self) -> np.ndarray:
        """The running average of the realised rewards, per seed, shape (seeds, steps)."""
        return np.cumsum(self.rewards, axis=1) / np.arange(1, self.steps + 1)

    def regret_band(self, level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return ``(mean, low, high)`` of the cumulative regret over seeds (see :func:`band`)."""
        return band(self.regret, level)

    def frequencies(self, last: int | None = None) -> dict[Hashable, float]:
        """Return the mean probability of each action over the rounds played (the `last` ones).

        Averaged over seeds and rounds; rounds after an absorbing observation are left out
        (``nan`` if no round is left).
        """
        pol = self.policies if last is None else self.policies[:, -last:]
        return {
            a: float(np.nanmean(pol[:, :, i])) if np.isfinite(pol[:, :, i]).any() else float("nan")
            for i, a in enumerate(self.actions)
        }

    def _report(self) -> list[Block]:
        tail = max(1, self.steps // 10)
        avg = self.rewards[:, -tail:].mean(axis=1)
        exp = self.expected[:, -tail:].mean(axis=1)
        head = (
            f"{self.agent} in {self.environment}: {self.seeds} seed{'s' if self.seeds != 1 else ''}"
            f" x {self.steps} steps"
        )
        freq = self.frequencies(tail)
        sd = (lambda x: float(np.std(x, ddof=1))) if self.seeds > 1 else (lambda x: 0.0)
        rows = [
            ["best policy in hindsight", policy_label(self.actions, self.best.vector)],
            ["its expected reward per round", format_number(self.best.value)],
            [
                f"reward per round, last {tail} rounds",
                f"{float(avg.mean()):.4g} ± {sd(avg):.2g} (expected {float(exp.mean()):.4g})",
            ],
            [
                f"regret after {self.steps} rounds",
                f"{float(self.final_regret.mean()):.4g} ± {sd(self.final_regret):.2g}",
            ],
            [
                f"policy, last {tail} rounds",
                ", ".join(f"{name(a)} {'-' if p != p else f'{p:.3f}'}" for a, p in freq.items()),
            ],
        ]
        trapped = int((self.absorbed_at >= 0).sum())
        if trapped:
            rows.append(["runs ended by an absorbing observation", f"{trapped} of {self.seeds}"])
        lines: list[Block] = [head, Table(["", "(mean ± sd over seeds)"], rows, left=2)]
        return lines

    def __repr__(self) -> str:
        return text(self._report())

    def _repr_html_(self) -> str:
        """Return the HTML table Jupyter shows (the repr's tables, fractions typeset)."""
        return html(self._report())


@dataclass(frozen=True, eq=False)
class Sweep:
    """Runs of several agents in several environments (from :func:`~infrabayes.learning.sweep`).

    Attributes
    ----------
    results : dict
        ``{(agent name, environment name): RunResult}``, in the order of the agents, then the
        environments.
    """

    results: dict[tuple[str, str], RunResult]

    def __getitem__(self, key: tuple[str, str]) -> RunResult:
        return self.results[key]

    def table(self) -> list[list[Any]]:
        """Return rows ``[agent, environment, mean reward per round, mean final regret]``."""
        rows = []
        for (agent, env), r in self.results.items():
            rows.append([agent, env, float(r.rewards.mean()), float(r.final_regret.mean())])
        return rows

    def _report(self) -> list[Block]:
        first = next(iter(self.results.values()))
        head = f"Sweep: {len(self.results)} runs of {first.seeds} seeds x {first.steps} steps"
        rows = [[a, e, f"{reward:.4g}", f"{regret:.4g}"] for a, e, reward, regret in self.table()]
        header = ["agent", "environment", "reward per round", "final regret"]
        return [head, Table(header, rows, left=2)]

    def __repr__(self) -> str:
        return text(self._report())

    def _repr_html_(self) -> str:
        """Return the HTML table Jupyter shows (the repr's tables, fractions typeset)."""
        return html(self._report())
