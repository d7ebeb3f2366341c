r"""A Bayesian agent over the same hypotheses, deciding causally: the standard failure mode.

What it assumes: the world is one of finitely many **point hypotheses**, with a prior. They are
made from the infra-Bayesian hypotheses by replacing Knightian uncertainty with a uniform prior:
each generator of hypothesis :math:`k` becomes a point hypothesis of prior weight
:math:`\zeta_k / |G_k|`, and a generator's set of laws (Murphy's per-round choice) becomes their
uniform mixture (:func:`~infrabayes.learning.laws.mixture_law`). It learns by Bayes' rule with the
correct, policy-dependent likelihood :math:`P_j(o \mid \pi, a)`: it knows the predictor reads its
policy.

What it optimises: the expected reward of the next round's **action**, treating the action's
effect causally (CDT): it believes it follows the policy :math:`\sigma` it played last round
(uniform before the first round), holds the predictor's reading of :math:`\sigma` fixed, and
plays the action

.. math:: a_t = \arg\max_a \sum_j w_j \sum_o P_j(o \mid \sigma, a)\, r(a, o)
          = \arg\max_a \Big(\sigma \sum_j w_j Q_j\Big)_a,

as a pure policy (ties: the first action); an action that a law lets reach an absorbing
observation is worth its long-run average, 0, under that law. This is the expected-utility agent
of the reinforcement-learning literature whose policy is read by a predictor, and it fails in the
way that literature describes: in Newcomb's bandit two-boxing earns :math:`A/(A + B)` more than
one-boxing against every fixed prediction, so the agent two-boxes in every round (a ratifiable
policy; Bell, Linsefors, Oesterheld and Skalse 2021); in Death in Damascus each city looks safe
given the last one, so it alternates and is caught every round (CDT's instability; Yudkowsky and
Soares 2018, section 6).

NIRVANA has no place in an expected utility (it is worth :math:`+\infty`): hypotheses that can
emit it are rejected.

Examples
--------
>>> from fractions import Fraction as F
>>> from infrabayes.learning import NewcombBandit, predictor
>>> env = NewcombBandit()
>>> learner = BayesAgent([predictor(env, [F(1, 10)])], exact=True).start(0)
>>> learner.action_values()   # believing it plays uniformly: the box is full with probability 1/2
{'one-box': Fraction(5, 11), 'two-box': Fraction(6, 11)}
>>> learner.act()[1]
'two-box'
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from infrabayes._numbers import Number, format_number, py_scalar
from infrabayes.learning import _bayes
from infrabayes.learning.agent import as_generator
from infrabayes.learning.hypotheses import check_hypotheses, read_prior
from infrabayes.learning.laws import mixture_law
from infrabayes.learning.model import Game, Law

__all__ = ["BayesAgent", "BayesLearner"]


@dataclass(frozen=True, eq=False)
class BayesAgent:
    """The causal Bayesian agent (see the module docstring).

    Parameters
    ----------
    hypotheses : Hypothesis or sequence of Hypothesis
        Without NIRVANA.
    prior : sequence or mapping, optional
        Weights of the hypotheses (uniform by default), shared evenly by their generators.
    exact : bool, default False
    name : str, default "Bayes (CDT)"
    """

    hypotheses: Any
    prior: Any = None
    exact: bool = False
    name: str = "Bayes (CDT)"
    _laws: tuple[Law, ...] = field(init=False, repr=False)
    _weights: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        hyps = check_hypotheses(self.hypotheses)
        object.__setattr__(self, "hypotheses", hyps)
        for h in hyps:
            if h.has_nirvana:
                raise ValueError(
                    f"hypothesis {h.name!r} can emit NIRVANA, which is worth +inf: no expected "
                    "utility is defined; NIRVANA is a device of infra-Bayesian hypotheses"
                )
        prior = read_prior(self.prior, hyps)
        if self.exact and not all(law.exact for h in hyps for law in h.laws):
            raise ValueError("exact=True needs exact hypotheses (ints and Fractions)")
        game = hyps[0].game
        laws: list[Law] = []
        weights: list[Any] = []
        for h, zeta in zip(hyps, prior, strict=True):
            for gen in h.generators:
                laws.append(gen[0] if len(gen) == 1 else mixture_law(game, gen, name=h.name))
                weights.append(zeta / len(h.generators))
        w = np.array(weights, dtype=object)
        object.__setattr__(self, "_laws", tuple(laws))
        object.__setattr__(self, "_weights", w if self.exact else w.astype(np.float64))

    @property
    def game(self) -> Game:
        """The game of the hypotheses."""
        return self.hypotheses[0].game

    @property
    def actions(self) -> tuple[Hashable, ...]:
        """The action names."""
        return self.game.actions

    @property
    def observations(self) -> tuple[Hashable, ...]:
        """The observation names."""
        return self.game.observations

    def __repr__(self) -> str:
        names = ", ".join(repr(h.name) for h in self.hypotheses)
        return f"BayesAgent {self.name!r}: {len(self._laws)} point hypotheses from {names}"

    def start(self, rng: Any = None) -> BayesLearner:
        """Return a fresh learner with the prior (deterministic: `rng` is accepted and unused)."""
        as_generator(rng)
        return BayesLearner(self.game, self._laws, self._weights, self.exact)


class BayesLearner:
    """One run of the causal Bayesian agent: posterior weights and the believed policy."""

    def __init__(self, game: Game, laws: tuple[Law, ...], weights: np.ndarray, exact: bool):
        self.game = game
        self.exact = exact
        self._tables = _bayes.compile_tables(game, laws, exact)
        self.weights = weights.copy()
        n = len(game.actions)
        share = Fraction(1, n) if exact else 1.0 / n
        self.belief = np.array([share] * n, dtype=object if exact else np.float64)
        self._actions = {a: i for i, a in enumerate(game.actions)}
        self._observations = {o: i for i, o in enumerate(game.observations)}
        self.rounds = 0

    def action_values(self) -> dict[Hashable, Number]:
        r"""Return each action's causal expected reward :math:`(\sigma \sum_j w_j Q_j)_a`.

        Under a law in which the action can reach an absorbing observation (given the believed
        policy), its value is its long-run average, 0.
        """
        v = _bayes.action_values(self._tables, self.weights, self.belief)
        return {a: py_scalar(x) for a, x in zip(self.game.actions, v, strict=True)}

    def act(self) -> tuple[np.ndarray, Hashable]:
        """Return the pure policy on the action of largest causal value."""
        v = _bayes.action_values(self._tables, self.weights, self.belief)
        i = _bayes.best_action(v, self.exact)
        zero, one = (Fraction(0), Fraction(1)) if self.exact else (0.0, 1.0)
        policy = np.array([one if j == i else zero for j in range(len(v))], dtype=object)
        if not self.exact:
            policy = policy.astype(np.float64)
        return policy, self.game.actions[i]

    def observe(self, policy: Any, action: Hashable, observation: Hashable, reward: Any) -> None:
        """Apply Bayes' rule with the policy-dependent likelihood; believe in the played policy."""
        try:
            a = self._actions[action]
            o = self._observations[observation]
        except KeyError as err:
            raise ValueError(f"unknown action or observation {err.args[0]!r}") from None
        self.weights = _bayes.posterior(self._tables, self.weights, policy, a, o)
        self.belief = np.asarray(policy, dtype=object if self.exact else np.float64).copy()
        self.rounds += 1

    def __repr__(self) -> str:
        weights = ", ".join(format_number(w) for w in self.weights)
        return f"Bayes learner after {self.rounds} rounds: posterior {weights}"
