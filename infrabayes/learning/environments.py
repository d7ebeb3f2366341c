r"""Bandits whose outcomes depend on the agent's policy: Newcomb, Transparent Newcomb, Death, traps.

Every round the agent commits to a policy :math:`\pi` (a mixed action), draws its action
:math:`a \sim \pi`, and the environment answers with an observation and a reward in [0, 1]
(:meth:`Environment.step`). In the predictor environments a predictor reads the **policy**, not
the sampled action: it samples a prediction from :math:`\pi` and errs with probability
:math:`\varepsilon` (:func:`~infrabayes.learning.laws.predictor_law`); a deterministic agent is
therefore predicted exactly (up to :math:`\varepsilon`), a randomising one only in distribution.

Each class documents its law and its exact expected reward per policy
(:meth:`Environment.expected_reward`, a quadratic form in :math:`\pi`), and
:meth:`Environment.best_policy` maximises it over the whole simplex exactly
(:func:`~infrabayes.learning.simplex.maximize`): the benchmark of the regret.

* :class:`NewcombBandit`: best to one-box; an agent that compares actions at its current policy
  finds two-boxing better in every round.
* :class:`TransparentNewcombBandit`: best to one-box on a full box; on a full box two-boxing
  earns more in that round.
* :class:`DeathInDamascusBandit`: best to toss a fair coin between the cities; a pure policy is
  caught (unless Death errs).
* :class:`PolicyDependentBandit`: any table of rewards against a predictor.
* :class:`TrapBandit`: no predictor; the tempting arm may end the run (the control case).

The environments are frozen (immutable, picklable) descriptions: the randomness is the generator
passed to :meth:`~Environment.step`, and nothing is remembered between rounds. The trap is
*absorbing*: :attr:`Environment.absorbing` names the observations after which every later
reward is 0 (:func:`~infrabayes.learning.experiments.run` stops the interaction there).

References: R. Nozick, "Newcomb's Problem and Two Principles of Choice" (1969); E. Yudkowsky and
N. Soares, "Functional Decision Theory" (arXiv:1710.05060, 2018) for Transparent Newcomb and
Death in Damascus; J. Bell, L. Linsefors, C. Oesterheld and J. Skalse, "Reinforcement Learning in
Newcomblike Environments" (NeurIPS 2021) for bandits whose predictor reads the policy; SPAR's
Project-Newcomb (2026) for the trap bandit and the policy-dependent bandit.

Examples
--------
>>> from fractions import Fraction as F
>>> import numpy as np
>>> env = NewcombBandit()
>>> env.expected_reward({"one-box": 1}), env.expected_reward({"two-box": 1})
(Fraction(9, 11), Fraction(2, 11))
>>> env.best_policy()
BestPolicy(one-box 1; expected reward 9/11 per round)
>>> env.step("one-box", {"one-box": F(1, 2), "two-box": F(1, 2)}, np.random.default_rng(1))
Feedback(observation='empty', reward=Fraction(0, 1))
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np

from infrabayes._numbers import Number, format_number, read_only, scalar
from infrabayes._table import table
from infrabayes.learning.laws import PredictorGame, check_probability, predictor_law, trap_law
from infrabayes.learning.model import Game, Law, build_game, read_action, read_policy
from infrabayes.learning.outcomes import absorbing_form, quadratic, reward_form
from infrabayes.learning.sampling import Sampler
from infrabayes.learning.simplex import maximize_unabsorbed

__all__ = [
    "PLANS",
    "BestPolicy",
    "DeathInDamascusBandit",
    "Environment",
    "Feedback",
    "NewcombBandit",
    "PolicyDependentBandit",
    "TransparentNewcombBandit",
    "TrapBandit",
]


@dataclass(frozen=True)
class Feedback:
    """What one round of an environment returns to the agent: the observation and the reward."""

    observation: Hashable
    reward: Number


@dataclass(frozen=True, eq=False)
class BestPolicy:
    """The best policy in hindsight and its expected reward per round.

    Attributes
    ----------
    policy : dict
        ``{action: probability}`` over the actions with positive probability.
    value : Fraction or float
        Its expected reward per round (for an absorbing environment, the long-run average).
    vector : ndarray
        The policy as a vector in the order of the actions (read-only).
    """

    policy: dict[Hashable, Number]
    value: Number
    vector: np.ndarray = field(repr=False)

    def __repr__(self) -> str:
        parts = ", ".join(f"{a} {format_number(p)}" for a, p in self.policy.items())
        return f"BestPolicy({parts}; expected reward {format_number(self.value)} per round)"


@dataclass(frozen=True, eq=False)
class _Compiled:
    game: Game
    law: Law
    predictor: PredictorGame | None
    form: np.ndarray
    form_float: np.ndarray
    rewards_float: np.ndarray
    sampler: Sampler
    absorbing: np.ndarray


def _unit(dollars: dict[str, Number]) -> dict[str, Number]:
    """Return ``(x - min) / (max - min)`` for every outcome (utilities in [0, 1])."""
    lo, hi = min(dollars.values()), max(dollars.values())
    if hi == lo:
        raise ValueError(f"all outcomes pay the same ({format_number(hi)}); nothing to learn")
    return {k: (x - lo) / (hi - lo) for k, x in dollars.items()}


def _money(value: Any, what: str, *, positive: bool = False) -> Number:
    x = scalar(value, what)
    if x < 0 or (positive and x == 0):
        raise ValueError(
            f"{what} is {format_number(x)}; it must be {'> 0' if positive else '>= 0'}"
        )
    return x


class Environment:
    """The interface of the environments (a base class; use one of the subclasses).

    Subclasses are frozen dataclasses of their parameters that implement ``_build`` (returning
    the game, the true law and the predictor structure, or None) and ``name``.
    """

    def _build(self) -> tuple[Game, Law, PredictorGame | None]:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def name(self) -> str:  # pragma: no cover - abstract
        """A short name for tables and plots."""
        raise NotImplementedError

    @property
    def absorbing(self) -> tuple[Hashable, ...]:
        """Observations after which the run is over (every later reward is 0)."""
        game = self.game
        return tuple(o for o, end in zip(game.observations, game.absorbing, strict=True) if end)

    @cached_property
    def _compiled(self) -> _Compiled:
        game, law, pg = self._build()
        form = reward_form(law, game)
        return _Compiled(
            game,
            law,
            pg,
            form,
            read_only(np.asarray(form, dtype=np.float64)),
            read_only(np.asarray(game.rewards, dtype=np.float64)),
            Sampler.of(law),
            game.absorbing,
        )

    @property
    def game(self) -> Game:
        """The actions, observations and rewards."""
        return self._compiled.game

    @property
    def law(self) -> Law:
        """The true law of the environment."""
        return self._compiled.law

    @property
    def predictor_game(self) -> PredictorGame | None:
        """The predictor structure (for hypotheses about a predictor); None without a predictor."""
        return self._compiled.predictor

    @property
    def actions(self) -> tuple[Hashable, ...]:
        """The action names."""
        return self.game.actions

    @property
    def reward_form(self) -> np.ndarray:
        r"""The matrix :math:`Q` of the expected reward :math:`\pi^\top Q \pi` (read-only)."""
        return self._compiled.form

    @property
    def reward_form_float(self) -> np.ndarray:
        """:attr:`reward_form` in float64 (read-only)."""
        return self._compiled.form_float

    @property
    def sampler(self) -> Sampler:
        """The true law's sampler (float64 arrays)."""
        return self._compiled.sampler

    @property
    def absorbing_mask(self) -> np.ndarray:
        """Per observation, whether it is absorbing (read-only)."""
        return self._compiled.absorbing

    @property
    def observations(self) -> tuple[Hashable, ...]:
        """The observation names."""
        return self.game.observations

    def step(self, action: Any, policy: Any, rng: np.random.Generator) -> Feedback:
        """Play one round: the predictor reads `policy`, then `action` meets the prediction.

        Parameters
        ----------
        action : hashable
            The action drawn from the policy (it must have positive probability under it).
        policy : mapping, array-like or action name
            The agent's policy for the round (see :func:`~infrabayes.learning.model.read_policy`).
        rng : numpy.random.Generator
            The environment's randomness (two uniform numbers per round).

        Returns
        -------
        Feedback

        Raises
        ------
        ValueError
            For an unknown action, an invalid policy, or an action the policy never plays.
        """
        a = read_action(self.game, action)
        pi = read_policy(self.game, policy)
        if pi[a] == 0:
            raise ValueError(
                f"action {action!r} has probability 0 under the policy; the action must be drawn "
                "from the policy the predictor reads"
            )
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator; got {type(rng).__name__}")
        _, o = self._compiled.sampler.draw(np.asarray(pi, dtype=np.float64), a, rng)
        reward = self.game.rewards[a, o]
        return Feedback(self.game.observations[o], reward if self.game.exact else float(reward))

    def expected_reward(self, policy: Any) -> Number:
        r"""Return the exact expected reward of one round under `policy`: :math:`\pi^\top Q \pi`.

        Exact when the environment and the policy are. For an absorbing environment, the reward
        of a round before the run is over.
        """
        return quadratic(self._compiled.form, read_policy(self.game, policy))

    def best_policy(self) -> BestPolicy:
        """Return the best policy in hindsight: the maximum of the long-run average reward.

        Without absorbing observations it is the expected reward per round, maximised over the
        whole simplex. With them, a stationary policy that can be absorbed averages 0 in the long
        run, so the maximum is over the policies that cannot (supports :math:`S` with
        :math:`(MT)_{SS} = 0`; :func:`~infrabayes.learning.outcomes.absorbing_form`), and 0 if
        there is none.
        """
        trap = absorbing_form(self.law, self.game)
        vec, value = maximize_unabsorbed(self._compiled.form, trap)
        return _best(self.game, vec, value)

    def __repr__(self) -> str:
        game = self.game
        head = (
            f"{self.name}: {len(game.actions)} actions, {len(game.observations)} observations "
            f"({'exact' if game.exact else 'float64'})"
        )
        rows = [
            [str(a), *(format_number(r) for r in game.rewards[i])]
            for i, a in enumerate(game.actions)
        ]
        lines = [head, "  rewards:", *table(["action", *map(str, game.observations)], rows, "    ")]
        lines.append(f"  best policy in hindsight: {self.best_policy()!r}")
        return "\n".join(lines)


def _best(game: Game, vec: np.ndarray, value: Number) -> BestPolicy:
    policy = {a: p for a, p in zip(game.actions, vec, strict=True) if p != 0}
    if not game.exact:
        policy = {a: float(p) for a, p in policy.items()}
        value = float(value)
    return BestPolicy(policy, value, read_only(np.array(vec, copy=True)))


def _newcomb_payoffs(small: Any, big: Any) -> dict[str, Number]:
    a, b = _money(small, "small"), _money(big, "big", positive=True)
    return _unit(
        {"full, one-box": b, "full, two-box": b + a, "empty, one-box": 0, "empty, two-box": a}
    )


@dataclass(frozen=True, eq=False, repr=False)
class NewcombBandit(Environment):
    r"""Newcomb's problem, repeated: box B is full iff the predictor predicted one-boxing.

    Actions ``"one-box"`` (take box B) and ``"two-box"`` (take A and B); observations
    ``"full"`` and ``"empty"`` (box B, seen after the choice). The predictor reads the policy:
    it predicts one-boxing with probability :math:`q = (1 - \varepsilon)\pi(\text{one}) +
    \varepsilon\,\pi(\text{two})`. Dollars: full and one-box `big`, full and two-box
    `big + small`, empty and one-box 0, empty and two-box `small`, divided by `big + small`.

    The expected reward is linear in :math:`x = \pi(\text{one-box})`:

    .. math:: r(\pi) = \frac{\varepsilon B + A + x\,((1 - 2\varepsilon) B - A)}{A + B},

    so one-boxing is best iff :math:`(1 - 2\varepsilon) B > A`. Yet for every policy, two-boxing
    earns :math:`A / (A + B)` more than one-boxing *in the same round* (the box is already filled),
    so a learner that compares actions at its current policy drifts to two-boxing: the only
    ratifiable policy (Bell et al. 2021).

    Parameters
    ----------
    epsilon : number in [0, 1], default 1/10
        The predictor's error.
    small, big : numbers, default 1 and 10
        The contents of box A and of a full box B (the ratio matters; Project-Newcomb uses 5
        and 10).
    """

    epsilon: Any = Fraction(1, 10)
    small: Any = 1
    big: Any = 10

    @property
    def name(self) -> str:
        """``"Newcomb's bandit"``."""
        return "Newcomb's bandit"

    def _build(self) -> tuple[Game, Law, PredictorGame | None]:
        u = _newcomb_payoffs(self.small, self.big)
        game = build_game(
            ["one-box", "two-box"],
            ["full", "empty"],
            {
                "one-box": {"full": u["full, one-box"], "empty": u["empty, one-box"]},
                "two-box": {"full": u["full, two-box"], "empty": u["empty, two-box"]},
            },
        )
        pg = PredictorGame.build(game, ["one-box", "two-box"], reads=[0, 1], signals=[0, 1])
        return game, predictor_law(pg, self.epsilon, "Newcomb's predictor"), pg


#: The plans of Transparent Newcomb: ``"x|y"`` takes x on seeing box B full and y on seeing it
#: empty.
PLANS = ("one-box|one-box", "one-box|two-box", "two-box|one-box", "two-box|two-box")


@dataclass(frozen=True, eq=False, repr=False)
class TransparentNewcombBandit(Environment):
    r"""Transparent Newcomb, repeated: box B is visible, full iff one-boxing *on full* is predicted.

    The agent sees box B before choosing, so its actions are **plans** (:data:`PLANS`):
    ``"one-box|two-box"`` one-boxes on a full box and two-boxes on an empty one. The predictor
    reads the policy over plans and predicts what the agent does on seeing B full: one-boxing
    with probability :math:`q = (1 - \varepsilon) y + \varepsilon (1 - y)`, :math:`y` the
    policy's probability of the plans that one-box on full. Observations ``"full"``,
    ``"empty"``; the reward is Newcomb's for the box and the plan's choice there.

    With :math:`z` the probability of the plans that one-box on empty,

    .. math:: r(\pi) = \frac{q\,(B + (1 - y) A) + (1 - q)(1 - z) A}{A + B},

    quadratic in :math:`y`. The best plan (with the defaults) is ``"one-box|two-box"``; on a full
    box two-boxing always earns :math:`A` more in that round, which is what CDT and EDT see
    (Yudkowsky and Soares 2018, section 6).

    Parameters
    ----------
    epsilon : number in [0, 1], default 1/10
    small, big : numbers, default 1 and 10
    """

    epsilon: Any = Fraction(1, 10)
    small: Any = 1
    big: Any = 10

    @property
    def name(self) -> str:
        """``"Transparent Newcomb bandit"``."""
        return "Transparent Newcomb bandit"

    def _build(self) -> tuple[Game, Law, PredictorGame | None]:
        u = _newcomb_payoffs(self.small, self.big)
        rewards = {
            plan: {
                "full": u["full, " + plan.split("|")[0]],
                "empty": u["empty, " + plan.split("|")[1]],
            }
            for plan in PLANS
        }
        game = build_game(PLANS, ["full", "empty"], rewards)
        reads = [0 if plan.startswith("one-box|") else 1 for plan in PLANS]
        tested = [[True] * len(PLANS), [False] * len(PLANS)]  # only a full box tests the plan
        pg = PredictorGame.build(
            game, ["one-box", "two-box"], reads=reads, signals=[0, 1], tested=tested
        )
        return game, predictor_law(pg, self.epsilon, "Omega"), pg


@dataclass(frozen=True, eq=False, repr=False)
class DeathInDamascusBandit(Environment):
    r"""Death in Damascus, repeated: Death waits where he predicts you will be.

    Actions ``"Damascus"`` (stay) and ``"Aleppo"`` (flee); observations ``"Death in Damascus"``
    and ``"Death in Aleppo"``. Death reads the policy: he waits in Damascus with probability
    :math:`q = (1 - \varepsilon) x + \varepsilon (1 - x)`, :math:`x = \pi(\text{Damascus})`.
    You survive iff you are in the other city. Dollars: survive 1 (minus `fee` in Aleppo), die
    0 (minus `fee` in Aleppo), normalised to [0, 1].

    With no fee, the survival probability is :math:`x(1 - q) + (1 - x) q`, maximised by the fair
    coin :math:`x = 1/2` at :math:`1/2` (for :math:`\varepsilon < 1/2`); a pure policy survives
    only with probability :math:`\varepsilon`. A deterministic learner is therefore caught almost
    every round, and a causal reasoner has no stable choice (Yudkowsky and Soares 2018,
    section 6).

    Parameters
    ----------
    epsilon : number in [0, 1], default 0
        Death's error.
    fee : number in [0, 1), default 0
        The cost of fleeing, in units of the value of surviving.
    """

    epsilon: Any = 0
    fee: Any = 0

    @property
    def name(self) -> str:
        """``"Death in Damascus bandit"``."""
        return "Death in Damascus bandit"

    def _build(self) -> tuple[Game, Law, PredictorGame | None]:
        f = check_probability(self.fee, "fee")
        if f == 1:
            raise ValueError("fee is 1: fleeing would cost as much as surviving is worth")
        one = Fraction(1) if isinstance(f, Fraction) else 1.0
        u = _unit({"stay, live": one, "stay, die": 0 * one, "flee, live": one - f, "flee, die": -f})
        game = build_game(
            ["Damascus", "Aleppo"],
            ["Death in Damascus", "Death in Aleppo"],
            {
                "Damascus": {
                    "Death in Damascus": u["stay, die"],
                    "Death in Aleppo": u["stay, live"],
                },
                "Aleppo": {"Death in Damascus": u["flee, live"], "Death in Aleppo": u["flee, die"]},
            },
        )
        pg = PredictorGame.build(game, ["Damascus", "Aleppo"], reads=[0, 1], signals=[0, 1])
        return game, predictor_law(pg, self.epsilon, "Death"), pg


@dataclass(frozen=True, eq=False, repr=False)
class PolicyDependentBandit(Environment):
    r"""A bandit against a predictor: the reward depends on the prediction and the action.

    A predictor reads the policy and predicts an action (erring with probability
    :math:`\varepsilon`, spread evenly over the other actions); the observation is the prediction
    (``"predicted <action>"``) and the reward is ``table[prediction][action]``. This generalises
    both an ordinary bandit (all rows equal) and Newcomb-like problems (Project-Newcomb's
    policy-dependent bandit draws the table at random; :meth:`random`).

    Parameters
    ----------
    table : array-like, shape (K, K)
        Rewards in [0, 1]: ``table[d][a]`` when ``d`` was predicted and ``a`` played.
    epsilon : number in [0, 1], default 0
    names : sequence of hashable, optional
        The actions; default ``"a0", "a1", ...``.
    """

    table: Any = ((1, 0), (0, 1))
    epsilon: Any = 0
    names: Any = None

    @classmethod
    def random(
        cls, n_actions: int, rng: np.random.Generator, epsilon: Any = 0
    ) -> PolicyDependentBandit:
        """Return a bandit whose table has independent uniform rewards in [0, 1) (float64)."""
        if isinstance(n_actions, bool) or not isinstance(n_actions, int) or n_actions < 2:
            raise ValueError(f"n_actions must be an int >= 2; got {n_actions!r}")
        values = rng.random((n_actions, n_actions))
        return cls(tuple(tuple(float(v) for v in row) for row in values), epsilon)

    @property
    def name(self) -> str:
        """``"policy-dependent bandit"``."""
        return "policy-dependent bandit"

    def _build(self) -> tuple[Game, Law, PredictorGame | None]:
        rows = np.asarray(self.table, dtype=object)
        if rows.ndim != 2 or rows.shape[0] != rows.shape[1] or rows.shape[0] < 2:
            raise ValueError(f"table must be a square matrix of size >= 2; got shape {rows.shape}")
        k = rows.shape[0]
        names = tuple(f"a{i}" for i in range(k)) if self.names is None else tuple(self.names)
        if len(names) != k:
            raise ValueError(f"{len(names)} action names for a table of size {k}")
        observations = [f"predicted {a}" for a in names]
        game = build_game(names, observations, rows.T)
        pg = PredictorGame.build(game, names, reads=list(range(k)), signals=list(range(k)))
        return game, predictor_law(pg, self.epsilon, "predictor"), pg


@dataclass(frozen=True, eq=False, repr=False)
class TrapBandit(Environment):
    r"""A two-armed bandit with a trap: the tempting arm may end the run.

    Actions ``"safe"`` and ``"risky"``; observations ``"win"`` (reward 1), ``"loss"`` (0) and
    ``"trap"`` (0, absorbing). The safe arm wins with probability `safe`. The risky arm, in the
    trapped world, springs the trap with probability `trap` and otherwise wins with probability
    `risky`; in the safe world (``trapped=False``) it never traps. After the trap every reward
    is 0. No predictor: the law does not depend on the policy (the control case).

    Expected reward of a round before the trap: :math:`\pi(\text{safe}) s + \pi(\text{risky})
    (1 - c) r`. The best policy in hindsight is judged by the long-run average reward: in the
    trapped world any policy that plays the risky arm is trapped eventually and averages 0, so
    the best is the safe arm (average `safe`); in the safe world it is the better arm.

    Parameters
    ----------
    safe, risky, trap : probabilities, default 1/2, 3/4, 1/10
    trapped : bool, default True
        Whether the risky arm is trapped.
    """

    safe: Any = Fraction(1, 2)
    risky: Any = Fraction(3, 4)
    trap: Any = Fraction(1, 10)
    trapped: bool = True

    @property
    def name(self) -> str:
        """``"trap bandit"``."""
        return "trap bandit" if self.trapped else "trap bandit (safe world)"

    def _build(self) -> tuple[Game, Law, PredictorGame | None]:
        if not isinstance(self.trapped, bool):
            raise TypeError(f"trapped must be a bool; got {self.trapped!r}")
        game = trap_game()
        c = self.trap if self.trapped else 0
        law = trap_law(game, self.safe, self.risky, c, "trapped" if self.trapped else "safe")
        return game, law, None


def trap_game() -> Game:
    """Return the game of :class:`TrapBandit`: safe/risky, win 1, loss 0, trap 0."""
    return build_game(
        ["safe", "risky"],
        ["win", "loss", "trap"],
        {"safe": {"win": 1, "loss": 0, "trap": 0}, "risky": {"win": 1, "loss": 0, "trap": 0}},
        absorbing=["trap"],
    )
