r"""Credal hypotheses about a policy-dependent world, and the standard families.

Definitions
-----------
A **hypothesis** (:class:`Hypothesis`) is a finite list of **generators**; each generator is a
finite set of laws (:class:`~infrabayes.learning.model.Law`). Murphy, the adversary of
infra-Bayesian decision theory, answers every policy of the agent in two moves:

* **once**, for the whole run, he picks a generator (which hidden parameter is true: how often
  the predictor errs, how likely the box is full by chance);
* **every round**, he picks one law of that generator's set (the set is *rectangular* across
  rounds, as the credal transitions of :mod:`infrabayes.sequential`); this is how the Nirvana
  trick's hard-coded predictions are re-drawn each round.

So the hypothesis is the infradistribution over histories spanned by the generators'
(rectangular) sets. A generator of a single law is an ordinary precise possibility; a generator of
several laws is Knightian noise Murphy controls round by round. A **prior** over hypotheses
(Bayesian uncertainty between hypotheses, Knightian within) makes the agent's belief their
mixture (:class:`~infrabayes.learning.ib.IBAgent`).

The families below build hypotheses about the environments of
:mod:`~infrabayes.learning.environments` (from the environment's predictor structure, not from its
true law):

=========================  =================================================================
:func:`predictor`          "a predictor reads my policy": one generator per error rate
:func:`chance`             "the prediction ignores my policy": one generator per distribution
:func:`nirvana_trick`      ordinary environments with hard-coded predictions and NIRVANA on
                           contradiction (per error rate: Murphy re-picks the prediction each
                           round); values only deterministic policies
:func:`trap`               the trap bandit: one generator per trap probability
=========================  =================================================================

Examples
--------
>>> from fractions import Fraction as F
>>> from infrabayes.learning.environments import NewcombBandit
>>> env = NewcombBandit()
>>> predictor(env, errors=[0, F(1, 10)])
Hypothesis 'a predictor reads my policy': 2 generators (Murphy picks one for the whole run)
  generator 0: predictor errs 0
  generator 1: predictor errs 1/10
>>> nirvana_trick(env, errors=[F(1, 10)])
Hypothesis 'Nirvana trick': 1 generator (Murphy picks one for the whole run)
  generator 0: each round one of predicts one-box, predicts two-box
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from infrabayes._numbers import format_number, is_exact, vector
from infrabayes.learning.environments import Environment, TrapBandit
from infrabayes.learning.laws import (
    PredictorGame,
    chance_law,
    check_probability,
    nirvana_laws,
    predictor_law,
    trap_law,
)
from infrabayes.learning.model import PROBABILITY_TOLERANCE, Game, Law

__all__ = [
    "Hypothesis",
    "chance",
    "check_hypotheses",
    "hypothesis",
    "nirvana_trick",
    "predictor",
    "read_prior",
    "trap",
]


@dataclass(frozen=True, eq=False)
class Hypothesis:
    """A credal hypothesis: generators (picked once), each a set of laws (picked every round).

    Build with :func:`hypothesis` or a family (see the module docstring).

    Attributes
    ----------
    name : str
    game : Game
        The actions, observations and rewards the laws are about.
    generators : tuple of tuple of Law
    """

    name: str
    game: Game
    generators: tuple[tuple[Law, ...], ...]

    @property
    def laws(self) -> tuple[Law, ...]:
        """Every law of every generator, generator by generator."""
        return tuple(law for gen in self.generators for law in gen)

    @property
    def has_nirvana(self) -> bool:
        """Whether some law can emit NIRVANA."""
        return any(law.has_nirvana for law in self.laws)

    def __repr__(self) -> str:
        k = len(self.generators)
        lines = [
            f"Hypothesis {self.name!r}: {k} generator{'s' if k != 1 else ''} (Murphy picks one "
            "for the whole run)"
        ]
        for i, gen in enumerate(self.generators[:12]):
            if len(gen) == 1:
                lines.append(f"  generator {i}: {gen[0].name or 'law'}")
            else:
                names = ", ".join(law.name or f"law {j}" for j, law in enumerate(gen))
                lines.append(f"  generator {i}: each round one of {names}")
        if k > 12:
            lines.append(f"  ... ({k - 12} more generators)")
        return "\n".join(lines)


def hypothesis(name: str, game: Game, generators: Iterable[Any]) -> Hypothesis:
    """Check and return a :class:`Hypothesis`.

    Parameters
    ----------
    name : str
    game : Game
    generators : iterable
        Each item is a :class:`~infrabayes.learning.model.Law` (a precise generator) or a
        nonempty sequence of laws (Murphy picks one of them every round).

    Raises
    ------
    ValueError
        With no generator, an empty generator, or a law whose shape does not fit `game`.
    """
    gens: list[tuple[Law, ...]] = []
    for i, item in enumerate(generators):
        laws = (item,) if isinstance(item, Law) else tuple(item)
        if not laws:
            raise ValueError(f"hypothesis {name!r}: generator {i} has no law")
        for law in laws:
            if not isinstance(law, Law):
                raise TypeError(f"hypothesis {name!r}: generator {i} holds {law!r}, not a Law")
            n_a, n_o = len(game.actions), len(game.observations)
            if law.predictor.shape[0] != n_a or law.emission.shape[1:] != (n_a, n_o + 1):
                raise ValueError(
                    f"hypothesis {name!r}: law {law.name!r} of generator {i} is not about the "
                    f"game's {n_a} actions and {n_o} observations"
                )
        gens.append(laws)
    if not gens:
        raise ValueError(f"hypothesis {name!r} has no generator")
    return Hypothesis(name, game, tuple(gens))


def _predictor_game(env: Environment | PredictorGame) -> PredictorGame:
    if isinstance(env, PredictorGame):
        return env
    pg = env.predictor_game
    if pg is None:
        raise ValueError(f"{env.name} has no predictor; use a family for its laws (e.g. trap())")
    return pg


def _errors(errors: Sequence[Any]) -> list[Any]:
    errs = list(errors)
    if not errs:
        raise ValueError("errors is empty; give at least one error rate")
    return [check_probability(e, "an error rate") for e in errs]


def predictor(
    env: Environment | PredictorGame,
    errors: Sequence[Any] = (0,),
    name: str = "a predictor reads my policy",
) -> Hypothesis:
    """Return the hypothesis that a predictor reads the policy, with an unknown error rate.

    One generator per error rate in `errors` (:func:`~infrabayes.learning.laws.predictor_law`):
    Murphy picks the rate once. The laws are policy-dependent: they value mixed policies too.
    """
    pg = _predictor_game(env)
    return hypothesis(name, pg.game, [predictor_law(pg, e) for e in _errors(errors)])


def chance(
    env: Environment | PredictorGame,
    distributions: Sequence[Any],
    name: str = "chance: the prediction ignores my policy",
) -> Hypothesis:
    """Return the hypothesis that the prediction is drawn by chance, whatever the policy.

    One generator per distribution over the predictions (a sequence or a mapping of
    probabilities; :func:`~infrabayes.learning.laws.chance_law`). These are ordinary
    environments: in them, the action does not change what was predicted.
    """
    pg = _predictor_game(env)
    dists = list(distributions)
    if not dists:
        raise ValueError("distributions is empty; give at least one")
    return hypothesis(name, pg.game, [chance_law(pg, d) for d in dists])


def nirvana_trick(
    env: Environment | PredictorGame,
    errors: Sequence[Any] = (0,),
    name: str = "Nirvana trick",
) -> Hypothesis:
    """Return the Nirvana-trick hypothesis: ordinary environments with hard-coded predictions.

    One generator per error rate; its set holds one environment per prediction
    (:func:`~infrabayes.learning.laws.nirvana_laws`), and Murphy picks the prediction afresh
    every round. Under a pure policy he must predict it (any other prediction is contradicted and
    reaches NIRVANA); a mixed policy reaches NIRVANA under every prediction, so only deterministic
    policies can be valued (as in "Belief Functions and Decision Theory", where all policies are
    deterministic).
    """
    pg = _predictor_game(env)
    return hypothesis(name, pg.game, [nirvana_laws(pg, e) for e in _errors(errors)])


def trap(
    env: TrapBandit, traps: Sequence[Any] | None = None, name: str = "is the risky arm trapped?"
) -> Hypothesis:
    """Return the hypothesis that the risky arm traps with one of the probabilities `traps`.

    Default ``(0, env.trap)``: Knightian uncertainty between the safe and the trapped world. The
    win probabilities are the environment's.
    """
    if not isinstance(env, TrapBandit):
        raise TypeError(f"trap() builds hypotheses about a TrapBandit; got {type(env).__name__}")
    values = (0, env.trap) if traps is None else tuple(traps)
    if not values:
        raise ValueError("traps is empty; give at least one trap probability")
    game = env.game
    return hypothesis(name, game, [trap_law(game, env.safe, env.risky, c) for c in values])


def check_hypotheses(hypotheses: Any) -> tuple[Hypothesis, ...]:
    """Return the hypotheses as a tuple: at least one, all about the same game."""
    hyps = (hypotheses,) if isinstance(hypotheses, Hypothesis) else tuple(hypotheses)
    if not hyps:
        raise ValueError("hypotheses is empty; the agent needs at least one")
    for h in hyps:
        if not isinstance(h, Hypothesis):
            raise TypeError(f"hypotheses must be Hypothesis objects; got {h!r}")
    game = hyps[0].game
    for h in hyps[1:]:
        same = h.game is game or (
            h.game.same_names(game)
            and np.array_equal(
                np.asarray(h.game.rewards, dtype=np.float64),
                np.asarray(game.rewards, dtype=np.float64),
            )
        )
        if not same:
            raise ValueError(
                f"hypothesis {h.name!r} is about another game than {hyps[0].name!r} (actions, "
                "observations or rewards differ)"
            )
    names = [h.name for h in hyps]
    if len(set(names)) != len(names):
        raise ValueError(f"two hypotheses share a name: {names!r}")
    return hyps


def read_prior(prior: Any, hypotheses: tuple[Hypothesis, ...]) -> np.ndarray:
    """Return the prior over hypotheses: uniform by default, else checked weights summing to 1.

    A mapping gives weights by hypothesis name; a sequence in hypothesis order.
    """
    n = len(hypotheses)
    if prior is None:
        return np.array([Fraction(1, n)] * n, dtype=object)
    if isinstance(prior, Mapping):
        names = [h.name for h in hypotheses]
        unknown = [k for k in prior if k not in names]
        if unknown:
            raise ValueError(f"prior names an unknown hypothesis {unknown[0]!r}; known: {names!r}")
        prior = [prior.get(k, 0) for k in names]
    arr = np.asarray(prior, dtype=object)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(f"prior must give one weight per hypothesis ({n}); got shape {arr.shape}")
    w = vector(arr, "prior", names=[h.name for h in hypotheses])
    if np.any(w < 0):
        raise ValueError("prior weights must be >= 0")
    total = w.sum()
    if (total != 1) if is_exact(w) else abs(float(total) - 1) > PROBABILITY_TOLERANCE:
        raise ValueError(f"prior weights sum to {format_number(total)}, not 1")
    return w
