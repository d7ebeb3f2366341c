r"""Policy-dependent bandits as plain data: the game, the laws of the world, and policies.

Definitions
-----------
A **game** (:class:`Game`) fixes finite actions :math:`A`, observations :math:`O` and a reward
:math:`r(a, o) \in [0, 1]` for every action and observation. Each round the agent commits to a
**policy** :math:`\pi \in \Delta(A)` (its mixed action for the round), then draws its action
:math:`a \sim \pi`.

A **law** (:class:`Law`) says how the world answers. A *predictor* reads the policy, not the
sampled action, and makes a prediction :math:`d` from a finite set :math:`D` with probability

.. math:: P(d \mid \pi) = (\pi M)_d = \sum_a \pi(a) M[a, d],

where row :math:`M[a]` is the prediction law when the policy is the pure action :math:`a` (so a
predictor that samples from the policy and errs with probability :math:`\varepsilon` has
:math:`M[a, a] = 1 - \varepsilon`). The action is drawn from :math:`\pi` independently of
:math:`d`, and the observation with probability :math:`K[d, a, o]`; the last column of
:math:`K` is :data:`~infrabayes.NIRVANA` (used only by hypotheses: an environment never emits
it). So :math:`P(d, a, o \mid \pi) = (\pi M)_d \, \pi(a) \, K[d, a, o]` and the expected reward
is a quadratic form in the policy:

.. math:: r(\pi) = \pi^\top Q \pi, \qquad Q = M R, \qquad R[d, b] = \sum_o K[d, b, o] \, r(b, o).

A law that ignores the policy has a single prediction (:math:`|D| = 1`), and the expected reward
is then linear in :math:`\pi`: an ordinary bandit.

Numbers are exact ``Fraction`` s when every input is an ``int`` or ``Fraction``, float64 otherwise
(``numbers.vector`` rules); arrays are read-only. :func:`build_game`, :func:`build_law` and
:func:`read_policy` check their input; the functions built on these objects never check again.

Tolerances
----------
Exact inputs are checked exactly. Float distributions (rows of :math:`M`, of :math:`K`, policies)
must sum to 1 within :data:`PROBABILITY_TOLERANCE`, relative to the total mass 1; no entry may
be negative.

Examples
--------
>>> from fractions import Fraction as F
>>> game = build_game(["left", "right"], ["win", "lose"], [[1, 0], [1, 0]])
>>> coin = build_law(game, emission=[[[F(1, 2), F(1, 2)], [F(1, 4), F(3, 4)]]], name="coins")
>>> coin
Law 'coins': 1 prediction, ignores the policy (exact)
>>> read_policy(game, {"left": F(1, 3), "right": F(2, 3)})
array([Fraction(1, 3), Fraction(2, 3)], dtype=object)
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from infrabayes._numbers import format_number, is_exact, read_only, vector

__all__ = [
    "PROBABILITY_TOLERANCE",
    "Game",
    "Law",
    "build_game",
    "build_law",
    "number_array",
    "read_action",
    "read_policy",
]

#: Float distributions must sum to 1 within this, relative to the total mass 1.
PROBABILITY_TOLERANCE = 1e-9


@dataclass(frozen=True, eq=False)
class Game:
    """Actions, observations and rewards: what environments and hypotheses share.

    Build with :func:`build_game`.

    Attributes
    ----------
    actions, observations : tuple of hashable
        The names; arrays follow their order.
    rewards : ndarray, shape (A, O)
        :math:`r(a, o)` in [0, 1] (read-only).
    exact : bool
        Whether the rewards are ``Fraction`` s.
    absorbing : ndarray of bool, shape (O,)
        The observations that end the run: every later reward is 0 (a trap).
    """

    actions: tuple[Hashable, ...]
    observations: tuple[Hashable, ...]
    rewards: np.ndarray
    exact: bool
    absorbing: np.ndarray

    def action_index(self, action: Any) -> int:
        """Return the index of an action name (a clear ValueError if unknown)."""
        return read_action(self, action)

    def observation_index(self, observation: Any) -> int:
        """Return the index of an observation name (a clear ValueError if unknown)."""
        try:
            return self.observations.index(observation)
        except ValueError:
            raise ValueError(
                f"unknown observation {observation!r}; the observations are {self.observations!r}"
            ) from None

    def same_names(self, other: Game) -> bool:
        """Return whether two games have the same actions and observations, in the same order."""
        return self.actions == other.actions and self.observations == other.observations


@dataclass(frozen=True, eq=False)
class Law:
    """A policy-dependent law of the world: a predictor reads the policy, then the outcome.

    Build with :func:`build_law` (or the families of :mod:`~infrabayes.learning.laws`).

    Attributes
    ----------
    name : str
    predictions : tuple of hashable
        The predictions :math:`D`.
    predictor : ndarray, shape (A, D)
        :math:`M`: row ``a`` is the prediction law when the policy is the pure action ``a``.
    emission : ndarray, shape (D, A, O + 1)
        :math:`K[d, a, o]`; the last column is NIRVANA.
    exact : bool
    """

    name: str
    predictions: tuple[Hashable, ...]
    predictor: np.ndarray
    emission: np.ndarray
    exact: bool

    @property
    def reads_policy(self) -> bool:
        """Whether the prediction law depends on the policy (rows of the predictor differ)."""
        return bool(np.any(self.predictor != self.predictor[0]))

    @property
    def has_nirvana(self) -> bool:
        """Whether some prediction and action lead to NIRVANA with positive probability."""
        return bool(np.any(self.emission[:, :, -1] != 0))

    def __repr__(self) -> str:
        n = len(self.predictions)
        kind = "reads the policy" if self.reads_policy else "ignores the policy"
        extra = ", NIRVANA on contradiction" if self.has_nirvana else ""
        number = "exact" if self.exact else "float64"
        label = f" {self.name!r}" if self.name else ""
        return f"Law{label}: {n} prediction{'s' if n != 1 else ''}, {kind}{extra} ({number})"


def _names(items: Any, what: str) -> tuple[Hashable, ...]:
    if isinstance(items, str | bytes) or not isinstance(items, Sequence):
        raise TypeError(f"{what} must be a sequence of names; got {items!r}")
    names = tuple(items)
    if not names:
        raise ValueError(f"{what} is empty; a game needs at least one")
    for x in names:
        if not isinstance(x, Hashable):
            raise TypeError(f"{what} must be hashable names; got {x!r}")
    if len(set(names)) != len(names):
        dup = next(x for x in names if names.count(x) > 1)
        raise ValueError(f"{what} name {dup!r} appears twice")
    return names


def number_array(values: Any, shape: tuple[int, ...], what: str) -> np.ndarray:
    """Return a fresh array of `shape`: Fractions if every entry is exact, else float64.

    Entries must be finite numbers (``numbers.vector`` rules); `what` names the array in errors.
    """
    arr = np.asarray(values, dtype=object)
    if arr.shape != shape:
        raise ValueError(f"{what} must have shape {shape}; got {arr.shape}")
    flat = vector(arr.reshape(-1), what) if arr.size else np.zeros(0)
    return flat.reshape(shape)


def _check_distributions(arr: np.ndarray, what: str, label: Any, columns: Any = None) -> None:
    """Check that the last axis of `arr` holds distributions.

    ``label(index)`` names a row ("" for none); ``columns`` names the entries of a row.
    """

    def where(idx: tuple[int, ...]) -> str:
        text = label(idx)
        return f"{what} {text}" if text else what

    negative = np.argwhere(arr < 0)
    if negative.size:
        idx = tuple(int(i) for i in negative[0])
        col = columns[idx[-1]] if columns is not None else idx[-1]
        raise ValueError(
            f"{where(idx[:-1])}: the probability of {col!r} is {format_number(arr[idx])} < 0"
        )
    sums = arr.sum(axis=-1)
    if is_exact(arr):
        bad = np.argwhere(sums != 1)
    else:
        bad = np.argwhere(np.abs(sums.astype(np.float64) - 1) > PROBABILITY_TOLERANCE)
    if bad.size:
        idx = tuple(int(i) for i in bad[0])
        tol = "" if is_exact(arr) else f" (tolerance {PROBABILITY_TOLERANCE:g})"
        raise ValueError(
            f"{where(idx)}: the probabilities sum to {format_number(sums[idx])}, not 1{tol}"
        )


def build_game(actions: Any, observations: Any, rewards: Any, absorbing: Any = ()) -> Game:
    """Check and return a :class:`Game`.

    Parameters
    ----------
    actions, observations : sequence of hashable
        Distinct names.
    rewards : array-like, shape (actions, observations), or mapping
        :math:`r(a, o)` in [0, 1]; a mapping ``{action: {observation: reward}}`` must give every
        pair.
    absorbing : collection of observation names, optional
        Observations after which the run is over (every later reward is 0).

    Raises
    ------
    ValueError
        For a duplicated or missing name, a wrong shape, or a reward outside [0, 1] (naming the
        action and the observation).
    """
    acts = _names(actions, "actions")
    obs = _names(observations, "observations")
    if isinstance(rewards, Mapping):
        rows = []
        for a in acts:
            if a not in rewards:
                raise ValueError(f"rewards: action {a!r} is missing")
            row = rewards[a]
            missing = [o for o in obs if o not in row]
            if missing:
                raise ValueError(f"rewards of action {a!r}: observation {missing[0]!r} is missing")
            rows.append([row[o] for o in obs])
        rewards = rows
    table = number_array(rewards, (len(acts), len(obs)), "rewards")
    bad = np.argwhere((table < 0) | (table > 1))
    if bad.size:
        i, j = (int(v) for v in bad[0])
        raise ValueError(
            f"reward of action {acts[i]!r} and observation {obs[j]!r} is "
            f"{format_number(table[i, j])}, outside [0, 1]; rescale rewards to [0, 1] (an "
            "infra-Bayesian utility lives there)"
        )
    ends = set(absorbing)
    unknown = [o for o in ends if o not in obs]
    if unknown:
        raise ValueError(f"absorbing names an unknown observation {unknown[0]!r}")
    mask = np.array([o in ends for o in obs], dtype=bool)
    return Game(acts, obs, read_only(table), is_exact(table), read_only(mask))


def build_law(
    game: Game,
    *,
    emission: Any,
    predictor: Any = None,
    predictions: Any = None,
    name: str = "",
) -> Law:
    """Check and return a :class:`Law` over the actions and observations of `game`.

    Parameters
    ----------
    game : Game
    emission : array-like, shape (D, A, O) or (D, A, O + 1)
        :math:`K[d, a, o]`; with ``O + 1`` columns the last is NIRVANA.
    predictor : array-like, shape (A, D), optional
        :math:`M`; default a single prediction (the law ignores the policy).
    predictions : sequence of hashable, optional
        Names of the predictions; default ``0, 1, ...``.
    name : str

    Raises
    ------
    ValueError
        For a wrong shape, a negative probability or a row that does not sum to 1 (naming the
        action and the prediction).
    """
    n_a, n_o = len(game.actions), len(game.observations)
    if predictor is None:
        predictor = [[1] for _ in range(n_a)]
    pred = np.asarray(predictor, dtype=object)
    if pred.ndim != 2 or pred.shape[0] != n_a or pred.shape[1] < 1:
        raise ValueError(
            f"predictor must have shape (actions, predictions) with {n_a} rows; got {pred.shape}"
        )
    n_d = pred.shape[1]
    names = tuple(range(n_d)) if predictions is None else _names(predictions, "predictions")
    if len(names) != n_d:
        raise ValueError(f"{len(names)} prediction names for {n_d} predictor columns")
    emit = np.asarray(emission, dtype=object)
    if emit.ndim == 3 and emit.shape[2] == n_o:
        emit = np.concatenate([emit, np.zeros((*emit.shape[:2], 1), dtype=object)], axis=2)
    label = f"law {name!r}" if name else "law"
    m = number_array(pred, (n_a, n_d), f"{label}: predictor")
    k = number_array(emit, (n_d, n_a, n_o + 1), f"{label}: emission")
    if not (is_exact(m) and is_exact(k)):
        m, k = m.astype(np.float64), k.astype(np.float64)
    _check_distributions(
        m,
        f"{label}: predictor",
        lambda i: f"row of pure action {game.actions[i[0]]!r}",
        columns=names,
    )
    _check_distributions(
        k,
        f"{label}: emission",
        lambda i: f"for prediction {names[i[0]]!r} and action {game.actions[i[1]]!r}",
        columns=(*game.observations, "NIRVANA"),
    )
    return Law(name, names, read_only(m), read_only(k), is_exact(m))


def read_action(game: Game, action: Any) -> int:
    """Return the index of an action name; raise a ValueError listing the actions if unknown."""
    try:
        return game.actions.index(action)
    except ValueError:
        raise ValueError(f"unknown action {action!r}; the actions are {game.actions!r}") from None


def read_policy(game: Game, policy: Any, what: str = "policy") -> np.ndarray:
    """Return a policy as a fresh probability vector over the actions of `game`.

    Parameters
    ----------
    game : Game
    policy : mapping, array-like or action name
        ``{action: probability}`` (missing actions get 0), a vector in the order of the actions,
        or an action name (the pure policy).
    what : str
        Names the policy in errors.

    Raises
    ------
    ValueError
        For an unknown action, a negative probability, a wrong length, or probabilities that do
        not sum to 1 (within :data:`PROBABILITY_TOLERANCE` for floats).
    """
    acts = game.actions
    if isinstance(policy, Mapping):
        for a in policy:
            read_action(game, a)
        values: Any = [policy.get(a, 0) for a in acts]
    elif isinstance(policy, str) or (
        isinstance(policy, Hashable) and not isinstance(policy, np.ndarray) and policy in acts
    ):
        values = [1 if a == policy else 0 for a in acts]
        read_action(game, policy)
    else:
        values = policy
    arr = np.asarray(values, dtype=object)
    if arr.ndim != 1 or arr.shape[0] != len(acts):
        raise ValueError(
            f"{what} must give one probability per action {acts!r}; got shape {arr.shape}"
        )
    vec = vector(arr, what, names=acts)
    _check_distributions(vec[None, :], what, lambda i: "", columns=acts)
    return vec
