"""Result objects: a theory's solution, the theories side by side, a re-decision.

All are frozen, with read-only arrays, a readable repr, and the evidence behind each number.
Each keeps the problem it came from in ``problem`` (only to give it back: the results are
generic in its type) and reads what it shows of the problem through the problem's
``ProblemView`` (:mod:`infrabayes.problems._view`: names, information sets, actions, policies,
predictions, the row of a policy), which the problem passes in as ``_view``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import numpy as np

from infrabayes._html import Block, Table, html, text
from infrabayes._numbers import Number
from infrabayes._table import number
from infrabayes.infradistribution import Infradistribution
from infrabayes.problems._view import ProblemView
from infrabayes.problems.policy import Policy

__all__ = ["Comparison", "Redecision", "Solution"]

#: Reprs list at most this many policies (the optimal ones always among them).
MAX_ROWS = 16

# The type of the problem a result came from (stored and given back, never read).
P = TypeVar("P")

_THEORY_NAMES = {"ib": "IB", "udt": "UDT", "cdt": "CDT", "edt": "EDT"}


def _nirvana_text(nirvana: float | None) -> str:
    return "inf" if nirvana == math.inf else "1"


def setting_label(theory: str, encoding: str | None, nirvana: float | None) -> str:
    """Return e.g. ``IB, causal, nirvana=inf`` or ``CDT``."""
    if theory != "ib":
        return _THEORY_NAMES[theory]
    if encoding == "acausal":
        return "IB, acausal"
    return f"IB, causal, nirvana={_nirvana_text(nirvana)}"


def _policies_text(policies: tuple[Policy, ...]) -> str:
    return " / ".join(str(p) for p in policies) if policies else "none"


@dataclass(frozen=True, eq=False)
class Solution(Generic[P]):
    r"""What one decision theory makes of a problem.

    Attributes
    ----------
    problem : Problem
    theory : {"ib", "udt", "cdt", "edt"}
    encoding : {"causal", "acausal"} or None
        IB's hypothesis (None for the other theories).
    nirvana : {math.inf, 1} or None
        IB's value of NIRVANA (None for the other theories).
    policies : tuple of Policy
        Every deterministic policy, in the problem's order.
    values : ndarray
        What the theory ranks the policies by: Murphy's value :math:`E_{\Theta(\pi)}(U)` for IB,
        the expected utility for UDT. CDT and EDT do not rank policies (they decide at each
        information set): for them this is the expected utility each policy actually gets.
    expected_utilities : ndarray
        The expected utility of each policy in the true problem (predictors read the policy).
    optimal : tuple of Policy
        The chosen policies, all of them (ties shown). For CDT and EDT: the ratifiable ones; may
        be empty.
    status : str
        ``"optimal"``, or ``"no ratifiable policy"`` (CDT/EDT find no stable choice).
    murphy_index : tuple of tuples of int, or None
        IB: per policy, the indices (into ``problem.predictions``: the environments, i.e. the
        generators of the causal hypothesis) of the predictions Murphy picks; for the acausal
        hypothesis, the policy's own (the predictor reads the actual policy). :attr:`murphy`
        gives them as policies.
    action_values : ndarray or None
        CDT/EDT: ``(policies, information sets, actions)`` values of each action at each
        information set when the agent believes it follows the policy (``None`` entries: not
        reachable, or no such action).
    """

    problem: P = field(repr=False)
    _view: ProblemView = field(repr=False)
    theory: str
    encoding: str | None
    nirvana: float | None
    policies: tuple[Policy, ...]
    values: np.ndarray
    expected_utilities: np.ndarray
    optimal: tuple[Policy, ...]
    status: str
    murphy_index: tuple[tuple[int, ...], ...] | None = None
    action_values: np.ndarray | None = None

    @property
    def murphy(self) -> tuple[tuple[Policy, ...], ...] | None:
        """IB: per policy, the predictions Murphy picks (None for the other theories)."""
        if self.murphy_index is None:
            return None
        preds = self._view.predictions
        return tuple(tuple(preds[k] for k in row) for row in self.murphy_index)

    @property
    def value(self) -> Number | None:
        """The optimal value (IB: Murphy's guarantee; UDT: expected utility); None for CDT/EDT."""
        if self.theory in ("cdt", "edt") or not self.optimal:
            return None
        return self.value_of(self.optimal[0])

    def _row(self, policy: Any) -> int:
        return self._view.row(policy)

    def value_of(self, policy: Any) -> Number:
        """Return :attr:`values` at a policy (a Policy, a mapping, or its printed name)."""
        v = self.values[self._row(policy)]
        return v if not isinstance(v, np.floating) else float(v)

    def expected_utility_of(self, policy: Any) -> Number:
        """Return the expected utility of a policy in the true problem."""
        v = self.expected_utilities[self._row(policy)]
        return v if not isinstance(v, np.floating) else float(v)

    def murphy_of(self, policy: Any) -> tuple[Policy, ...]:
        """Return the predictions Murphy picks against a policy (IB only)."""
        if self.murphy_index is None:
            raise ValueError(f"Murphy chooses only under theory='ib'; this is {self.theory!r}")
        preds = self._view.predictions
        return tuple(preds[k] for k in self.murphy_index[self._row(policy)])

    def action_values_of(self, policy: Any) -> dict[str, dict[str, Number | None]]:
        """Return ``{infoset: {action: value}}`` for a policy (CDT and EDT only)."""
        if self.action_values is None:
            raise ValueError(
                f"action values are CDT's and EDT's (they decide at each information set); this "
                f"is {self.theory!r}"
            )
        s = self._row(policy)
        c = self._view.compiled
        return {
            infoset: {a: self.action_values[s, i, k] for k, a in enumerate(c.actions[i])}
            for i, infoset in enumerate(c.infosets)
        }

    def is_optimal(self, policy: Any) -> bool:
        """Whether the theory chooses the policy."""
        return self.policies[self._row(policy)] in self.optimal

    def _report(self) -> list[Block]:
        c = self._view.compiled
        n = len(self.policies)
        label = setting_label(self.theory, self.encoding, self.nirvana)
        head = f"{self._view.name} solved by {label}: {n} polic{'y' if n == 1 else 'ies'}"
        local = self.theory in ("cdt", "edt")
        header = ["policy"]
        if local:
            header += [
                f"{i}: {a}" for i, acts in zip(c.infosets, c.actions, strict=True) for a in acts
            ]
            header += ["ratifiable", "expected utility"]
        elif self.theory == "ib":
            header += (
                ["value"] + (["Murphy predicts"] if c.predicted else []) + ["expected utility"]
            )
        else:
            header += ["expected utility"]
        shown = _shown_rows(self)
        rows = []
        for s in shown:
            row = [str(self.policies[s])]
            if local:
                assert self.action_values is not None
                for i, acts in enumerate(c.actions):
                    row += [number(self.action_values[s, i, k]) for k in range(len(acts))]
                row += ["yes" if self.policies[s] in self.optimal else "no"]
                row += [number(self.expected_utilities[s])]
            elif self.theory == "ib":
                row += [number(self.values[s])]
                if c.predicted:  # no predictor: one environment, nothing for Murphy to choose
                    murphy = self.murphy_of(self.policies[s])
                    row += [" or ".join(str(q) for q in murphy)]
                row += [number(self.expected_utilities[s])]
            else:
                row += [number(self.values[s])]
            rows.append(row)
        lines: list[Block] = [head, Table(header, rows)]
        if len(shown) < n:
            lines.append(f"  ... ({n - len(shown)} more policies)")
        lines.append(_verdict(self))
        return lines

    def __repr__(self) -> str:
        return text(self._report())

    def _repr_html_(self) -> str:
        """Return the HTML table Jupyter shows (the repr's tables, fractions typeset)."""
        return html(self._report())


def _shown_rows(sol: Solution[Any]) -> list[int]:
    n = len(sol.policies)
    if n <= MAX_ROWS:
        return list(range(n))
    best = [sol._view.row(q) for q in sol.optimal[: MAX_ROWS // 2]]
    rest = [s for s in range(n) if s not in set(best)][: MAX_ROWS - len(best)]
    return sorted(best + rest)


def _verdict(sol: Solution[Any]) -> str:
    if sol.theory in ("cdt", "edt"):
        if not sol.optimal:
            return "chooses: nothing: no policy is ratifiable (no stable choice)"
        eus = ", ".join(number(sol.expected_utility_of(q)) for q in sol.optimal)
        return f"chooses: {_policies_text(sol.optimal)} (expected utility {eus})"
    tie = " (a tie)" if len(sol.optimal) > 1 else ""
    return f"optimal: {_policies_text(sol.optimal)}{tie}, value {number(sol.value)}"


@dataclass(frozen=True, eq=False)
class Comparison(Generic[P]):
    """The theories side by side on one problem (rows: ``(label, Solution)``)."""

    problem: P = field(repr=False)
    _view: ProblemView = field(repr=False)
    rows: tuple[tuple[str, Solution[P]], ...]

    def __getitem__(self, label: str) -> Solution[P]:
        for name, sol in self.rows:
            if name == label:
                return sol
        raise KeyError(f"{label!r}; the rows are {[name for name, _ in self.rows]}")

    def _report(self) -> list[Block]:
        body = []
        for label, sol in self.rows:
            eus = ", ".join(number(sol.expected_utility_of(q)) for q in sol.optimal) or "-"
            body.append([label, _policies_text(sol.optimal), number(sol.value), eus])
        header = ["theory", "chooses", "value", "expected utility"]
        return [f"{self._view.name}: what each theory chooses", Table(header, body)]

    def __repr__(self) -> str:
        return text(self._report())

    def _repr_html_(self) -> str:
        """Return the HTML table Jupyter shows (the repr's tables, fractions typeset)."""
        return html(self._report())


@dataclass(frozen=True, eq=False)
class Redecision(Generic[P]):
    r"""Re-deciding at an information set after observing it: the IB update vs naive conditioning.

    The agent continues an ex-ante policy :math:`\pi^*` everywhere else and picks the action at
    the observed information set :math:`I`; continuation :math:`a` is the policy
    :math:`\pi_a = \pi^*[I \mapsto a]`.

    Attributes
    ----------
    problem : Problem
    infoset : str
    theory, encoding, nirvana
        The settings (``theory`` is ``"ib"`` or ``"udt"``, which is IB with the acausal hypothesis).
    policy : Policy
        :math:`\pi^*`, the ex-ante policy continued (by default the first ex-ante optimal one).
    ex_ante : tuple of Policy
        The ex-ante optimal policies under the same settings.
    actions : tuple of str
        The actions at ``infoset``; the arrays below follow this order.
    event : frozenset of str
        The outcomes after ``infoset`` (the observation :math:`L`).
    prior_values : tuple
        :math:`E_{\Theta(\pi_a)}(U)` per action.
    raw_values : tuple
        :math:`E_{\Theta(\pi_a)}(U \star_L g)` with :math:`g = U` off :math:`L`: the raw update's
        value (the off-branch utility stays in :math:`b`).
    probability : Fraction, float or None
        The shared normaliser :math:`P = \max_a E(1 \star_L g) - \min_a E(0 \star_L g)`; None
        when it is 0 (the update is undefined: Murphy can make the observation irrelevant).
    updated_values : tuple
        :math:`(E_{raw,a}(U) - \min_a E_{raw,a}(0)) / P` per action (None if undefined).
    naive_values : tuple
        Naive conditioning: every Nirvana-free environment conditioned on reaching ``infoset`` by
        Bayes' rule (environments giving it probability 0 dropped), then Murphy's minimum (None if
        no environment reaches it).
    updated_choice, naive_choice : tuple of str
        The best actions under each (empty if undefined).
    earlier : tuple of str
        Information sets observed before ``infoset`` (``problem.after("a").after("b")``): the
        observation :math:`L` is then the outcomes after all of them (empty for one observation).
    """

    problem: P = field(repr=False)
    _view: ProblemView = field(repr=False)
    infoset: str
    theory: str
    encoding: str
    nirvana: float
    policy: Policy
    ex_ante: tuple[Policy, ...]
    actions: tuple[str, ...]
    event: frozenset[str]
    prior_values: tuple[Number, ...]
    raw_values: tuple[Number, ...]
    probability: Number | None
    updated_values: tuple[Number | None, ...]
    naive_values: tuple[Number | None, ...]
    updated_choice: tuple[str, ...]
    naive_choice: tuple[str, ...]
    _posteriors: Mapping[str, Infradistribution] | None = field(default=None, repr=False)
    earlier: tuple[str, ...] = ()

    @property
    def ex_ante_action(self) -> str:
        r""":math:`\pi^*(I)`: the action the ex-ante policy takes at the information set."""
        return self.policy[self.infoset]

    @property
    def consistent(self) -> bool | None:
        """Whether the IB update keeps the ex-ante action (None when the update is undefined)."""
        if self.probability is None:
            return None
        return self.ex_ante_action in self.updated_choice

    @property
    def naive_consistent(self) -> bool | None:
        """Whether naive conditioning keeps the ex-ante action (None when undefined)."""
        if not self.naive_choice:
            return None
        return self.ex_ante_action in self.naive_choice

    def posterior(self, action: str) -> Infradistribution:
        """Return the updated hypothesis of continuation `action` (shared normalisation)."""
        if self._posteriors is None:
            raise ValueError(
                f"the update at {self.infoset!r} is undefined (P = 0), so there is no posterior"
            )
        if action not in self._posteriors:
            raise KeyError(f"{action!r} is not an action at {self.infoset!r}: {self.actions}")
        return self._posteriors[action]

    def _report(self) -> list[Block]:
        label = setting_label("ib", self.encoding, self.nirvana)
        seen = f" after observing {', '.join(map(repr, self.earlier))}" if self.earlier else ""
        head = (
            f"{self._view.name} at {self.infoset!r}{seen} ({label}), from the ex-ante policy "
            f"{self.policy}"
        )
        rows = [
            [a, number(pv), number(rv), number(uv), number(nv)]
            for a, pv, rv, uv, nv in zip(
                self.actions,
                self.prior_values,
                self.raw_values,
                self.updated_values,
                self.naive_values,
                strict=True,
            )
        ]
        header = ["action", "ex ante", "raw update", "IB update", "naive conditioning"]
        lines: list[Block] = [head, Table(header, rows)]
        lines.append(f"  ex ante: {self.ex_ante_action}")
        if self.probability is None:
            lines.append(
                "  IB update: undefined: P = 0, Murphy can make the observation irrelevant "
                "(every continuation has the same worst case)"
            )
        else:
            kept = "keeps" if self.consistent else "changes"
            lines.append(
                f"  IB update (P = {number(self.probability)}): {' / '.join(self.updated_choice)} "
                f"({kept} the ex-ante decision)"
            )
        if not self.naive_choice:
            lines.append("  naive conditioning: undefined (no environment reaches the observation)")
        else:
            kept = "keeps" if self.naive_consistent else "changes"
            lines.append(
                f"  naive conditioning: {' / '.join(self.naive_choice)} ({kept} the ex-ante "
                "decision)"
            )
        return lines

    def __repr__(self) -> str:
        return text(self._report())

    def _repr_html_(self) -> str:
        """Return the HTML table Jupyter shows (the repr's tables, fractions typeset)."""
        return html(self._report())
