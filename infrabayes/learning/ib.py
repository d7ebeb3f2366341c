r"""The infra-Bayesian learning agent: credal hypotheses, the IB update, maximin over policies.

What it assumes: the world is described by one of finitely many **hypotheses**
(:mod:`~infrabayes.learning.hypotheses`), with a prior over them (Bayesian uncertainty), and
*within* each hypothesis by whichever of its laws is worst for the agent (Knightian uncertainty:
Murphy picks a generator once, and a law of its set every round). Laws may depend on the policy
(a predictor reads it) and may send a contradicted prediction to NIRVANA.

What it optimises: each round it commits to the candidate policy with the largest infra-Bayesian
value under its current belief,

.. math:: \pi_t = \arg\max_{\pi \in \Pi} \sum_k \zeta_k \min_{g \in k}
          \Big(\lambda_g \min_{e \in C_g} E_{e(\pi)}[r] + b_g\Big),

where :math:`E_{e(\pi)}[r]` is the expected reward per round of the stationary policy
:math:`\pi` under law :math:`e` (its long-run average: 0 if the law can send it to an absorbing
observation). Murphy chooses after seeing the policy (among all generators and laws, at the
policy); the candidates :math:`\Pi` form a grid (``grid=1``: the pure policies), and the agent
draws its action from the chosen policy.
It then updates its belief by the infra-Bayesian update with off-branch utility ``off_branch``
(default 1) and the infra-Bayes mixture rule (:mod:`infrabayes.learning._ib` states the formulas).
It is greedy with respect to its belief: it explores only when the maximin policy does, which
suffices when every policy's observations tell the hypotheses apart (as in the predictor
environments, where the observation shows the prediction).

Why it one-boxes in Newcomb's bandit: its hypotheses value a *policy* (the predictor's answer is
a function of the policy it reads), so one-boxing is worth :math:`(1 - \varepsilon) B` and
two-boxing :math:`\varepsilon B + A` (over :math:`A + B`) under a predictor hypothesis, while a
hypothesis in which the box ignores the policy (which one-boxing data cannot refute, but
two-boxing data would) favours two-boxing by only :math:`A` per round. The Nirvana-trick
hypothesis reaches the same values with ordinary environments: against a pure policy Murphy must
predict it or be caught.

Exact ``Fraction`` arithmetic with ``exact=True`` (every number of the hypotheses and the prior
must be exact; the numbers grow with the history, so this is for checking by hand), float64
otherwise.

Examples
--------
>>> from fractions import Fraction as F
>>> from infrabayes.learning import NewcombBandit, chance, predictor
>>> env = NewcombBandit()
>>> agent = IBAgent([predictor(env, [F(1, 10)]), chance(env, [[F(9, 10), F(1, 10)]])],
...                 exact=True)
>>> learner = agent.start(0)
>>> learner.values()
{'one-box 1': Fraction(9, 11), 'two-box 1': Fraction(6, 11)}
>>> policy, action = learner.act()
>>> action
'one-box'
>>> learner.observe(policy, action, "empty", 0)
>>> list(learner.weights().values())   # both hypotheses gave "empty" probability 1/10
[Fraction(1, 2), Fraction(1, 2)]
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from infrabayes._numbers import Number, format_number, is_exact, py_scalar
from infrabayes._table import table
from infrabayes.learning import _ib
from infrabayes.learning._text import policy_label
from infrabayes.learning.agent import as_generator, draw
from infrabayes.learning.hypotheses import check_hypotheses, read_prior
from infrabayes.learning.model import Game
from infrabayes.learning.simplex import grid as policy_grid
from infrabayes.nirvana import check_nirvana

__all__ = ["IBAgent", "IBLearner"]


@dataclass(frozen=True, eq=False)
class IBAgent:
    r"""The infra-Bayesian learning agent (see the module docstring).

    Parameters
    ----------
    hypotheses : Hypothesis or sequence of Hypothesis
        About one game (same actions, observations and rewards).
    prior : sequence or mapping, optional
        Weights of the hypotheses; uniform by default.
    grid : int, default 1
        The candidate policies have probabilities in multiples of ``1/grid``
        (:func:`~infrabayes.learning.simplex.grid`); 1 gives the pure policies.
    off_branch : {1, 0}, default 1
        The off-branch utility of the update: 1 lets the hypotheses learn (laws that explain the
        history badly lose Murphy's interest); 0 keeps the laws that explain it worst.
    nirvana : {math.inf, 1}, default math.inf
        The value of NIRVANA (``1`` needs ``off_branch=1``).
    exact : bool, default False
        Compute in Fractions (every input number must be exact).
    name : str, default "IB"

    Raises
    ------
    ValueError
        For inconsistent hypotheses or prior, and when some candidate policy reaches NIRVANA
        under every generator of a hypothesis (mixed policies under the Nirvana trick): such a
        policy would be worth :math:`+\infty`.
    """

    hypotheses: Any
    prior: Any = None
    grid: int = 1
    off_branch: int = 1
    nirvana: float = math.inf
    exact: bool = False
    name: str = "IB"
    _tables: _ib.Tables = field(init=False, repr=False)
    _prior: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        hyps = check_hypotheses(self.hypotheses)
        object.__setattr__(self, "hypotheses", hyps)
        if self.off_branch not in (0, 1) or isinstance(self.off_branch, bool):
            raise ValueError(
                f"off_branch must be 0 or 1 (the utility of the rounds that went otherwise); "
                f"got {self.off_branch!r}"
            )
        nirvana = check_nirvana(self.nirvana)
        if nirvana == 1 and self.off_branch == 0:
            raise ValueError(
                "nirvana=1 with off_branch=0 is not supported: a law's NIRVANA mass (worth 1) and "
                "its off-branch mass (worth 0) would no longer scale together"
            )
        if not isinstance(self.exact, bool):
            raise TypeError(f"exact must be a bool; got {self.exact!r}")
        prior = read_prior(self.prior, hyps)
        exact = self.exact
        if exact and not (is_exact(prior) and all(law.exact for h in hyps for law in h.laws)):
            raise ValueError(
                "exact=True needs exact hypotheses and prior (ints and Fractions, no floats)"
            )
        if not exact:
            prior = prior.astype(np.float64)
        candidates = policy_grid(len(hyps[0].game.actions), self.grid)
        tables = _ib.compile_tables(
            hyps, candidates, exact=exact, off_branch=self.off_branch, nirvana=nirvana
        )
        object.__setattr__(self, "_tables", tables)
        object.__setattr__(self, "_prior", prior)
        per = _ib.hypothesis_values(tables, _ib.initial_state(tables, prior))
        for k, c in zip(*np.nonzero(per == math.inf), strict=True):
            raise ValueError(
                f"hypothesis {hyps[k].name!r} sends the candidate policy "
                f"{policy_label(self.game.actions, candidates[c])} to NIRVANA under every "
                "generator, so it would be worth +inf; Nirvana-trick hypotheses value only "
                "deterministic policies (use grid=1)"
            )

    @property
    def game(self) -> Game:
        """The game of the hypotheses."""
        return self._tables.game

    def __repr__(self) -> str:
        names = ", ".join(repr(h.name) for h in self.hypotheses)
        kind = "exact" if self.exact else "float64"
        return (
            f"IBAgent {self.name!r}: hypotheses {names}; {len(self.candidates)} candidate "
            f"policies; off_branch {self.off_branch}, nirvana {self.nirvana} ({kind})"
        )

    @property
    def actions(self) -> tuple[Hashable, ...]:
        """The action names."""
        return self.game.actions

    @property
    def observations(self) -> tuple[Hashable, ...]:
        """The observation names the hypotheses are about."""
        return self.game.observations

    @property
    def candidates(self) -> np.ndarray:
        """The candidate policies, one per row (exact, read-only)."""
        return self._tables.candidates

    def start(self, rng: Any = None) -> IBLearner:
        """Return a fresh learner with the prior belief and its own generator."""
        return IBLearner(self._tables, _ib.initial_state(self._tables, self._prior), rng)


class IBLearner:
    """One run of the infra-Bayesian agent: the belief, updated round by round."""

    def __init__(self, tables: _ib.Tables, state: _ib.State, rng: Any) -> None:
        self._tables = tables
        self.state = state
        self.rng = as_generator(rng)
        self.rounds = 0
        cands = tables.candidates
        self._policies = cands if tables.exact else np.asarray(cands, dtype=np.float64)
        self._floats = np.asarray(cands, dtype=np.float64)
        self._lookup = {tuple(row): c for c, row in enumerate(self._floats.tolist())}
        # The action of each pure candidate (no randomness needed), -1 for mixed ones.
        self._pure = [int(np.argmax(row)) if row.max() == 1 else -1 for row in self._floats]
        self._actions = {a: i for i, a in enumerate(tables.game.actions)}
        self._observations = {o: i for i, o in enumerate(tables.game.observations)}
        self._last: tuple[int, np.ndarray] | None = None

    def act(self) -> tuple[np.ndarray, Hashable]:
        """Return the maximin candidate policy and an action drawn from it."""
        t = self._tables
        c = _ib.choose(_ib.values(t, self.state), t.exact)
        policy = self._policies[c]
        self._last = (c, policy)
        a = self._pure[c]
        if a < 0:
            a = draw(self._floats[c], self.rng)
        return policy, t.game.actions[a]

    def observe(self, policy: Any, action: Hashable, observation: Hashable, reward: Any) -> None:
        """Update the belief on the round (the policy must be one of the candidates)."""
        t = self._tables
        if self._last is not None and policy is self._last[1]:
            c = self._last[0]
        else:
            key = tuple(np.asarray(policy, dtype=np.float64).tolist())
            if key not in self._lookup:
                raise ValueError(
                    f"the policy {policy!r} is not one of the agent's candidates; the IB agent "
                    "learns from the policies it plays"
                )
            c = self._lookup[key]
        try:
            a = self._actions[action]
            o = self._observations[observation]
        except KeyError as err:
            raise ValueError(f"unknown action or observation {err.args[0]!r}") from None
        self.state = _ib.update(t, self.state, c, a, o)
        self.rounds += 1

    def values(self) -> dict[str, Number]:
        """Return the value of every candidate policy, labelled by the policy."""
        t = self._tables
        total = _ib.values(t, self.state)
        labels = [policy_label(t.game.actions, row) for row in t.candidates]
        return {label: py_scalar(v) for label, v in zip(labels, total, strict=True)}

    def weights(self) -> dict[str, Number]:
        """Return the weight of every hypothesis."""
        t = self._tables
        return {
            n: py_scalar(w) for n, w in zip(t.hypothesis_names, self.state.weights, strict=True)
        }

    def generators(self) -> list[tuple[str, str, Number, Number, bool]]:
        """Return ``(hypothesis, generator, scale, offset, alive)`` for every generator."""
        t, s = self._tables, self.state
        return [
            (
                t.hypothesis_names[k],
                t.generator_names[g],
                py_scalar(s.scale[g]),
                py_scalar(s.offset[g]),
                bool(s.alive[g]),
            )
            for g, k in enumerate(t.hypothesis_of.tolist())
        ]

    def __repr__(self) -> str:
        rows = [
            [h, g, format_number(lam), format_number(b), "" if alive else "dropped"]
            for h, g, lam, b, alive in self.generators()
        ]
        weights = ", ".join(f"{n} {format_number(w)}" for n, w in self.weights().items())
        head = f"IB learner after {self.rounds} round{'s' if self.rounds != 1 else ''}: {weights}"
        return "\n".join([head, *table(["hypothesis", "generator", "scale", "offset", ""], rows)])
