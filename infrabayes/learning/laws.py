r"""Families of laws: a predictor that reads the policy, chance that ignores it, the Nirvana trick.

A **predictor game** (:class:`PredictorGame`) is a game in which a predictor predicts, each round,
one item of a finite set :math:`D` (an action, or what the agent would do somewhere), and the
observation shows the prediction (box B full or empty, where Death waited). It records

* ``reads[a]``: the prediction that is right about the pure action ``a``;
* ``signals[d]``: the observation that prediction ``d`` produces;
* ``tested[d, a]``: whether, under prediction ``d``, playing ``a`` reveals whether the prediction
  was right (in Transparent Newcomb only a full box puts the prediction to the test).

The families (all exact when their parameters are):

:func:`predictor_law`
    The predictor reads the policy: it predicts :math:`d` with probability
    :math:`\sum_a \pi(a) M[a, d]`, :math:`M[a, \text{reads}[a]] = 1 - \varepsilon` and the error
    :math:`\varepsilon` spread evenly over the other predictions. The law is
    *policy-dependent*: no ordinary (causal) environment has it.
:func:`chance_law`
    The prediction is drawn from a fixed distribution whatever the policy: an ordinary
    environment.
:func:`nirvana_laws`
    The **Nirvana trick** (Diffractor, "Belief Functions and Decision Theory", 2020): one
    ordinary environment :math:`e_p` per hard-coded prediction :math:`p` (drawn with the same
    error :math:`\varepsilon`), which emits NIRVANA whenever the agent's action is tested and
    contradicts :math:`p`. Murphy, who minimises, never picks an environment that reaches
    NIRVANA (worth :math:`+\infty`), so against a pure policy he must predict it: the set of
    ordinary environments then values each pure policy as the policy-dependent law does.
:func:`mixture_law`
    A mixture of laws as one law (the predictions are concatenated).

Examples
--------
>>> from fractions import Fraction as F
>>> from infrabayes.learning.model import build_game
>>> game = build_game(["one-box", "two-box"], ["full", "empty"],
...                   [[F(10, 11), 0], [1, F(1, 11)]])
>>> newcomb = PredictorGame.build(game, ["one-box", "two-box"], reads=[0, 1], signals=[0, 1])
>>> predictor_law(newcomb, F(1, 10)).predictor
array([[Fraction(9, 10), Fraction(1, 10)],
       [Fraction(1, 10), Fraction(9, 10)]], dtype=object)
>>> [law.name for law in nirvana_laws(newcomb, 0)]
['predicts one-box', 'predicts two-box']
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from infrabayes._numbers import Number, format_number, read_only, scalar
from infrabayes.learning.model import Game, Law, build_law, number_array

__all__ = [
    "PredictorGame",
    "chance_law",
    "check_probability",
    "mixture_law",
    "nirvana_laws",
    "predictor_law",
    "trap_law",
]


def check_probability(value: Any, what: str) -> Number:
    """Return `value` as a number in [0, 1] (exact if given exactly); a ValueError otherwise."""
    x = scalar(value, what)
    if not 0 <= x <= 1:
        raise ValueError(f"{what} is {format_number(x)}, outside [0, 1]")
    return x


@dataclass(frozen=True, eq=False)
class PredictorGame:
    """The structure of a game with a predictor (see the module docstring).

    Attributes
    ----------
    game : Game
    predictions : tuple of hashable
    reads : tuple of int
        Per action, the index of the prediction that is right about it.
    signals : tuple of int
        Per prediction, the index of the observation it produces.
    tested : ndarray of bool, shape (D, A)
        Whether playing ``a`` under prediction ``d`` shows whether the prediction was right.
    """

    game: Game
    predictions: tuple[Hashable, ...]
    reads: tuple[int, ...]
    signals: tuple[int, ...]
    tested: np.ndarray

    @classmethod
    def build(
        cls,
        game: Game,
        predictions: Sequence[Hashable],
        *,
        reads: Sequence[int],
        signals: Sequence[int],
        tested: Any = None,
    ) -> PredictorGame:
        """Check and return the structure (``tested`` defaults to always)."""
        preds = tuple(predictions)
        n_a, n_d, n_o = len(game.actions), len(preds), len(game.observations)
        if n_d < 2:
            raise ValueError("a predictor game needs at least two predictions")
        if len(reads) != n_a or any(not 0 <= int(r) < n_d for r in reads):
            raise ValueError(f"reads must give, per action, a prediction index in 0..{n_d - 1}")
        if len(signals) != n_d or any(not 0 <= int(s) < n_o for s in signals):
            raise ValueError(
                f"signals must give, per prediction, an observation index in 0..{n_o - 1}"
            )
        test = np.ones((n_d, n_a), dtype=bool) if tested is None else np.array(tested, dtype=bool)
        if test.shape != (n_d, n_a):
            raise ValueError(f"tested must have shape {(n_d, n_a)}; got {test.shape}")
        return cls(
            game,
            preds,
            tuple(int(r) for r in reads),
            tuple(int(s) for s in signals),
            read_only(test),
        )


def _prediction_rows(n_d: int, centre: int, epsilon: Number) -> list[Number]:
    """Return the prediction law that is right (``centre``) with probability ``1 - epsilon``."""
    other = epsilon / (n_d - 1)
    return [1 - epsilon if d == centre else other for d in range(n_d)]


def _signal_emission(pg: PredictorGame) -> list[list[list[int]]]:
    """K[d, a, o] = 1 iff o is the signal of d (no NIRVANA)."""
    n_a, n_o = len(pg.game.actions), len(pg.game.observations)
    rows = [
        [1 if o == pg.signals[d] else 0 for o in range(n_o + 1)] for d in range(len(pg.predictions))
    ]
    return [[list(rows[d]) for _ in range(n_a)] for d in range(len(pg.predictions))]


def predictor_law(pg: PredictorGame, epsilon: Any, name: str | None = None) -> Law:
    r"""Return the law of a predictor that reads the policy and errs with probability `epsilon`."""
    eps = check_probability(epsilon, "the predictor's error epsilon")
    n_d = len(pg.predictions)
    predictor = [_prediction_rows(n_d, r, eps) for r in pg.reads]
    label = f"predictor errs {format_number(eps)}" if name is None else name
    return build_law(
        pg.game,
        predictor=predictor,
        emission=_signal_emission(pg),
        predictions=pg.predictions,
        name=label,
    )


def chance_law(pg: PredictorGame, distribution: Any, name: str | None = None) -> Law:
    """Return the law in which the prediction is drawn from `distribution`, whatever the policy.

    `distribution` gives one probability per prediction (a sequence, or a mapping from
    prediction names).
    """
    preds = pg.predictions
    if isinstance(distribution, dict):
        unknown = [d for d in distribution if d not in preds]
        if unknown:
            raise ValueError(f"unknown prediction {unknown[0]!r}; the predictions are {preds!r}")
        distribution = [distribution.get(d, 0) for d in preds]
    row = number_array(distribution, (len(preds),), "the chance distribution")
    label = (
        "predicts by chance: "
        + ", ".join(f"{d} {format_number(p)}" for d, p in zip(preds, row, strict=True))
        if name is None
        else name
    )
    return build_law(
        pg.game,
        predictor=[list(row) for _ in pg.game.actions],
        emission=_signal_emission(pg),
        predictions=preds,
        name=label,
    )


def nirvana_laws(pg: PredictorGame, epsilon: Any) -> tuple[Law, ...]:
    """Return the Nirvana trick: one ordinary environment per hard-coded prediction.

    Environment ``e_p`` predicts ``p`` (erring with probability `epsilon` as the predictor does)
    whatever the policy, and emits NIRVANA when the action is tested and ``reads[action] != p``.
    """
    eps = check_probability(epsilon, "the predictor's error epsilon")
    game = pg.game
    n_a, n_o, n_d = len(game.actions), len(game.observations), len(pg.predictions)
    laws = []
    for p in range(n_d):
        emission = []
        for d in range(n_d):
            rows = []
            for a in range(n_a):
                row = [0] * (n_o + 1)
                if pg.tested[d, a] and pg.reads[a] != p:
                    row[n_o] = 1  # the prediction p is put to the test and contradicted
                else:
                    row[pg.signals[d]] = 1
                rows.append(row)
            emission.append(rows)
        laws.append(
            build_law(
                game,
                predictor=[_prediction_rows(n_d, p, eps) for _ in range(n_a)],
                emission=emission,
                predictions=pg.predictions,
                name=f"predicts {pg.predictions[p]}",
            )
        )
    return tuple(laws)


def mixture_law(game: Game, laws: Sequence[Law], weights: Any = None, name: str = "") -> Law:
    """Return the mixture of `laws` (uniform by default) as one law.

    The predictions are concatenated: prediction ``(i, d)`` has probability ``w_i (pi M_i)_d``
    and emits as law ``i`` does, so every policy gets the mixture of the laws' outcome laws.
    """
    laws = list(laws)
    if not laws:
        raise ValueError("a mixture needs at least one law")
    if weights is None:
        share = Fraction(1, len(laws)) if all(law.exact for law in laws) else 1 / len(laws)
        weights = [share] * len(laws)
    w = number_array(weights, (len(laws),), "mixture weights")
    parts = [wi * law.predictor for wi, law in zip(w, laws, strict=True)]
    predictor = np.concatenate(parts, axis=1)
    emission = np.concatenate([law.emission for law in laws], axis=0)
    names = tuple((i, d) for i, law in enumerate(laws) for d in law.predictions)
    return build_law(game, predictor=predictor, emission=emission, predictions=names, name=name)


def trap_law(game: Game, safe: Any, risky: Any, trap: Any, name: str | None = None) -> Law:
    """Return the law of a two-armed trap bandit (actions safe, risky; outcomes win, loss, trap).

    The safe arm wins with probability `safe`; the risky arm springs the trap with probability
    `trap` and otherwise wins with probability `risky`.
    """
    s = check_probability(safe, "safe")
    r = check_probability(risky, "risky")
    c = check_probability(trap, "trap")
    emission = [[[s, 1 - s, 0, 0], [(1 - c) * r, (1 - c) * (1 - r), c, 0]]]
    label = f"trap {format_number(c)}" if name is None else name
    return build_law(game, emission=emission, name=label)
