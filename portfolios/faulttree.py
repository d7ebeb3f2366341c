r"""General static fault trees: gates over basic events, with common-cause failure groups.

Definitions
-----------
A *fault tree* has basic events (independent, each failing with a probability), house events
(Boolean constants) and gates, each defined by a formula over events and other gates:
``and``, ``or``, ``atleast k`` (at least ``k`` of the arguments) and ``not``, nested freely;
gates form a DAG. A gate with no parent is a *top* gate. :mod:`portfolios.openpsa` reads them
from the Open-PSA Model Exchange Format and writes portfolios in it; a portfolio is the special
case "scenario = AND of cases, case = OR of what it rests on".

Common-cause failure (CCF) groups
---------------------------------
A CCF group of ``m`` members sharing the total failure probability ``Q`` replaces each member by
the OR of the CCF events of every combination of members it belongs to, up to the group's
largest level; a combination of ``k`` members fails with probability ``Q_k`` (the formulas of
SCRAM's ``src/ccf_group.cc``, with ``C(n, r)`` the binomial coefficient):

=============  ==========================================================================
model          ``Q_k``
=============  ==========================================================================
beta-factor    ``(1 - beta) Q`` for single members, ``beta Q`` for all ``m`` together (only
               those two levels)
MGL            ``prod_{i <= k} rho_i (1 - rho_{k+1}) Q / C(m-1, k-1)``, with ``rho_1 = 1``,
               ``rho_2, rho_3, ...`` the factors of levels 2, 3, ... and ``rho = 0`` past the
               last level
alpha-factor   ``k alpha_k Q / (C(m-1, k-1) sum_j j alpha_j)``
phi-factor     ``phi_k Q`` (the factors sum to 1)
=============  ==========================================================================

A CCF event is labelled like SCRAM's: the sorted member names in brackets, ``[P1 P2]``.

Analysis
--------
Probabilities are exact, by weighted model counting on a BDD (:mod:`portfolios.bdd`); the
variable order is the depth-first order of first appearance from the top gate. Minimal cut sets
are read off the BDD (Rauzy's decomposition) and need a coherent tree (no ``not``). Importance
measures are those of :mod:`portfolios.importance`, with every basic event independent.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from math import comb
from types import MappingProxyType
from typing import Any

import numpy as np

from ._arrays import readonly
from .bdd import BDD
from .cutsets import CutSet, CutSets
from .errors import ComputationLimitError, PortfolioError, UnknownIdError
from .importance import Importance, assemble
from .structure import Event

__all__ = ["CCF_MODELS", "MAX_FV_CUT_SETS", "PHI_SUM_TOL", "CCFGroup", "FaultTree", "Formula"]

#: A formula: ``("and", args)``, ``("or", args)``, ``("atleast", k, args)``, ``("not", (arg,))``
#: or a leaf ``("gate", name)``, ``("basic-event", name)``, ``("house-event", name)``,
#: ``("constant", bool)``; ``args`` is a tuple of formulas.
Formula = tuple[Any, ...]

#: The CCF models read.
CCF_MODELS = ("beta-factor", "MGL", "alpha-factor", "phi-factor")
#: Tolerance on phi factors summing to 1.
PHI_SUM_TOL = 1e-9
#: Largest number of minimal cut sets for which :meth:`FaultTree.importance` computes the
#: Fussell-Vesely measure (one BDD of a union of cut sets per event).
MAX_FV_CUT_SETS = 20_000


@dataclass(frozen=True)
class CCFGroup:
    """A common-cause failure group (module docstring).

    Parameters
    ----------
    name : str
    model : {"beta-factor", "MGL", "alpha-factor", "phi-factor"}
    members : tuple of str
        The basic events of the group (at least 2).
    probability : float
        ``Q``, the total failure probability of each member.
    factors : tuple of (int, float)
        ``(level, value)`` pairs: beta-factor one pair at level ``m``; MGL levels 2, 3, ...;
        alpha- and phi-factor levels 1, 2, ...
    """

    name: str
    model: str
    members: tuple[str, ...]
    probability: float
    factors: tuple[tuple[int, float], ...]

    def __post_init__(self) -> None:
        m, levels = len(self.members), [lv for lv, _ in self.factors]
        where = f"CCF group {self.name!r} ({self.model})"
        if self.model not in CCF_MODELS:
            raise PortfolioError(
                None, f"{where}: unknown model; expected one of {', '.join(CCF_MODELS)}"
            )
        if m < 2 or len(set(self.members)) != m:
            raise PortfolioError(None, f"{where}: needs at least 2 distinct members")
        if not 0.0 <= self.probability <= 1.0:
            raise PortfolioError(
                None, f"{where}: the probability {self.probability!r} is not in [0, 1]"
            )
        for level, value in self.factors:
            if not (math.isfinite(value) and 0.0 <= value <= 1.0):
                raise PortfolioError(
                    None, f"{where}: factor of level {level} = {value!r} not in [0, 1]"
                )
        if self.model == "beta-factor":
            expected = [m]
        elif self.model == "MGL":
            expected = list(range(2, 2 + len(levels)))
        else:
            expected = list(range(1, 1 + len(levels)))
        if not levels or levels != expected or max(levels) > m:
            raise PortfolioError(
                None,
                f"{where}: factor levels {levels} must be {expected if levels else 'given'} "
                f"and at most the number of members ({m})",
            )
        if self.model == "phi-factor":
            total = math.fsum(v for _, v in self.factors)
            if abs(total - 1.0) > PHI_SUM_TOL:
                raise PortfolioError(None, f"{where}: phi factors sum to {total!r}, not 1")
        if self.model == "alpha-factor" and math.fsum(v for _, v in self.factors) <= 0.0:
            raise PortfolioError(None, f"{where}: alpha factors are all zero")

    def level_probabilities(self) -> dict[int, float]:
        """Return ``{k: Q_k}``, the probability of each combination of ``k`` members."""
        m, Q = len(self.members), self.probability
        values = [v for _, v in self.factors]
        if self.model == "beta-factor":
            return {1: (1.0 - values[0]) * Q, m: values[0] * Q}
        if self.model == "phi-factor":
            return {level: v * Q for level, v in self.factors}
        if self.model == "alpha-factor":
            total = math.fsum(level * v for level, v in self.factors)
            return {
                k: k * v * Q / (comb(m - 1, k - 1) * total)
                for k, v in ((lv, v) for lv, v in self.factors)
            }
        rho = [1.0, *values]  # MGL: rho_1 = 1, rho_2 = beta, ...
        out = {}
        for k in range(1, len(rho) + 1):
            tail = 1.0 - rho[k] if k < len(rho) else 1.0
            out[k] = math.prod(rho[:k]) * tail * Q / comb(m - 1, k - 1)
        return out

    def events(self) -> list[tuple[str, tuple[str, ...], float]]:
        """Return the CCF events ``(label, members, probability)``."""
        out = []
        for k, q in self.level_probabilities().items():
            for combo in itertools.combinations(sorted(self.members), k):
                out.append((f"[{' '.join(combo)}]", combo, q))
        return out


def _children(formula: Formula) -> tuple[Formula, ...]:
    if formula[0] in ("and", "or", "not"):
        children: tuple[Formula, ...] = formula[1]
        return children
    if formula[0] == "atleast":
        return formula[2]
    return ()


class FaultTree:
    """A static fault tree with CCF groups (module docstring).

    Parameters
    ----------
    name : str
    gates : mapping of str to Formula
    basic_events : mapping of str to float or None
        Probabilities (None for members of a CCF group, whose group gives theirs).
    house_events : mapping of str to bool
    ccf_groups : mapping of str to CCFGroup
    labels : mapping of str to str, optional
        Descriptions of gates and events.
    file : str, optional

    Examples
    --------
    >>> T = FaultTree(
    ...     name="vote",
    ...     gates={"top": ("atleast", 2, (("basic-event", "A"), ("basic-event", "B"),
    ...                                   ("basic-event", "C")))},
    ...     basic_events={"A": 0.1, "B": 0.2, "C": 0.3},
    ... )
    >>> round(T.probability(), 12)  # SCRAM's atleast benchmark: 0.098
    0.098
    >>> [c.labels for c in T.minimal_cut_sets()]  # most probable first
    [('B', 'C'), ('A', 'C'), ('A', 'B')]
    """

    def __init__(
        self,
        *,
        name: str,
        gates: Mapping[str, Formula],
        basic_events: Mapping[str, float | None],
        house_events: Mapping[str, bool] | None = None,
        ccf_groups: Mapping[str, CCFGroup] | None = None,
        labels: Mapping[str, str] | None = None,
        file: str | None = None,
    ) -> None:
        self.name, self.file = name, file
        self.gates: Mapping[str, Formula] = MappingProxyType(dict(gates))
        self.basic_events: Mapping[str, float | None] = MappingProxyType(dict(basic_events))
        self.house_events: Mapping[str, bool] = MappingProxyType(dict(house_events or {}))
        self.ccf_groups: Mapping[str, CCFGroup] = MappingProxyType(dict(ccf_groups or {}))
        self.labels: Mapping[str, str] = MappingProxyType(dict(labels or {}))
        self._validate()
        self._compiled: dict[str, tuple[BDD, int, list[int]]] = {}

    def _validate(self) -> None:
        self._ccf_of: dict[str, CCFGroup] = {}
        for group in self.ccf_groups.values():
            for m in group.members:
                if m not in self.basic_events:
                    raise PortfolioError(
                        None, f"CCF group {group.name!r}: unknown basic event {m!r}"
                    )
                if m in self._ccf_of:
                    raise PortfolioError(
                        None,
                        f"basic event {m!r} is in two CCF groups: {self._ccf_of[m].name!r} "
                        f"and {group.name!r}",
                    )
                self._ccf_of[m] = group
        for b, p in self.basic_events.items():
            if b in self._ccf_of:
                continue
            if p is None:
                raise PortfolioError(None, f"basic event {b!r} has no probability")
            if not (math.isfinite(p) and 0.0 <= p <= 1.0):
                raise PortfolioError(None, f"basic event {b!r}: probability {p!r} is not in [0, 1]")
        kinds = {"gate": self.gates, "basic-event": self.basic_events}
        kinds["house-event"] = self.house_events
        for g, formula in self.gates.items():
            stack = [formula]
            while stack:
                f = stack.pop()
                if f[0] in kinds and f[1] not in kinds[f[0]]:
                    raise PortfolioError(None, f"gate {g!r}: unknown {f[0]} {f[1]!r}")
                stack.extend(_children(f))
        state: dict[str, int] = {}

        def visit(g: str, path: list[str]) -> None:
            state[g] = 1
            for child in self._gate_refs(self.gates[g]):
                if state.get(child) == 1:
                    cycle = [*path[path.index(child) :], child]
                    raise PortfolioError(None, f"gates form a cycle: {' -> '.join(cycle)}")
                if child not in state:
                    visit(child, [*path, child])
            state[g] = 2

        for g in self.gates:
            if g not in state:
                visit(g, [g])

    @staticmethod
    def _gate_refs(formula: Formula) -> list[str]:
        out, stack = [], [formula]
        while stack:
            f = stack.pop()
            if f[0] == "gate":
                out.append(f[1])
            stack.extend(_children(f))
        return out

    def __repr__(self) -> str:
        return (
            f"FaultTree({self.name!r}: {len(self.gates)} gates, {len(self.basic_events)} basic "
            f"events, {len(self.house_events)} house events, {len(self.ccf_groups)} CCF groups; "
            f"top {', '.join(self.top_gates) or 'none'})"
        )

    @cached_property
    def top_gates(self) -> tuple[str, ...]:
        """The gates that no other gate references, in definition order."""
        referenced = {c for f in self.gates.values() for c in self._gate_refs(f)}
        return tuple(g for g in self.gates if g not in referenced)

    def _top(self, gate: str | None) -> str:
        if gate is None:
            if len(self.top_gates) != 1:
                raise PortfolioError(
                    None,
                    f"the tree has {len(self.top_gates)} top gates "
                    f"({', '.join(self.top_gates)}); name one with gate=",
                )
            return self.top_gates[0]
        if gate not in self.gates:
            raise UnknownIdError(None, f"unknown gate {gate!r}")
        return gate

    @cached_property
    def events(self) -> tuple[Event, ...]:
        """The basic events after CCF expansion: kind ``"basic"`` or ``"ccf"``."""
        out = [Event("basic", b) for b in self.basic_events if b not in self._ccf_of]
        for group in self.ccf_groups.values():
            out += [Event("ccf", label) for label, _, _ in group.events()]
        return tuple(out)

    @cached_property
    def event_probability(self) -> np.ndarray:
        """The probabilities of :attr:`events` (read-only)."""
        p = {label: q for g in self.ccf_groups.values() for label, _, q in g.events()}
        values = [  # a basic event outside CCF groups has a probability (checked by _validate)
            p[e.id] if e.kind == "ccf" else float(self.basic_events[e.id])  # type: ignore[arg-type]
            for e in self.events
        ]
        return readonly(values, float)

    def coherent(self, gate: str | None = None) -> bool:
        """Return True if no ``not`` is reachable from the gate (then the tree is monotone)."""
        stack: list[Formula] = [self.gates[self._top(gate)]]
        seen: set[str] = set()
        while stack:
            f = stack.pop()
            if f[0] == "not":
                return False
            if f[0] == "gate" and f[1] not in seen:
                seen.add(f[1])
                stack.append(self.gates[f[1]])
            stack.extend(_children(f))
        return True

    def compile(self, gate: str | None = None) -> tuple[BDD, int, list[int]]:
        """Return ``(BDD, root, events)`` for ``gate``; ``events[i]`` indexes :attr:`events`."""
        top = self._top(gate)
        if top in self._compiled:
            return self._compiled[top]
        index = {(e.kind, e.id): i for i, e in enumerate(self.events)}
        # each basic event is its own event, or the OR of its CCF group's events containing it
        expansion = {b: [index["basic", b]] for b in self.basic_events if b not in self._ccf_of}
        for g in self.ccf_groups.values():
            for m in g.members:
                expansion[m] = [index["ccf", lab] for lab, members, _ in g.events() if m in members]
        order: list[int] = []

        def visit_order(f: Formula, seen: set[str]) -> None:
            if f[0] == "gate":
                if f[1] not in seen:
                    seen.add(f[1])
                    visit_order(self.gates[f[1]], seen)
            elif f[0] == "basic-event":
                order.extend(e for e in expansion[f[1]] if e not in order)
            for child in _children(f):
                visit_order(child, seen)

        visit_order(("gate", top), set())
        column = {e: i for i, e in enumerate(order)}
        B = BDD(len(order))
        memo: dict[str, int] = {}

        def build(f: Formula) -> int:
            kind = f[0]
            if kind == "gate":
                if f[1] not in memo:
                    memo[f[1]] = build(self.gates[f[1]])
                return memo[f[1]]
            if kind == "basic-event":
                return B.or_(*(B.var(column[e]) for e in expansion[f[1]]))
            if kind == "house-event":
                return B.true if self.house_events[f[1]] else B.false
            if kind == "constant":
                return B.true if f[1] else B.false
            args = [build(c) for c in _children(f)]
            if kind == "and":
                return B.and_(*args)
            if kind == "or":
                return B.or_(*args)
            if kind == "not":
                return B.not_(args[0])
            return B.atleast(int(f[1]), args)

        root = build(("gate", top))
        self._compiled[top] = (B, root, order)
        return self._compiled[top]

    def probability(self, gate: str | None = None) -> float:
        """Return the exact probability of ``gate`` (the single top gate by default)."""
        B, root, order = self.compile(gate)
        if root in (1, -1):
            return 1.0 if root == 1 else 0.0
        return min(1.0, max(0.0, float(B.probability(root, self.event_probability[order]))))

    def minimal_cut_sets(self, gate: str | None = None, *, max_order: int | None = None) -> CutSets:
        """Return the minimal cut sets of ``gate`` (a coherent tree), smallest first.

        The unit cut set (the gate is certain, e.g. through a house event) is the empty set.
        """
        top = self._top(gate)
        if max_order is not None and (isinstance(max_order, bool) or max_order < 1):
            raise PortfolioError(
                None, f"max_order must be a positive integer or None, got {max_order!r}"
            )
        if not self.coherent(top):
            raise PortfolioError(
                None,
                f"gate {top!r} reaches a 'not': minimal cut sets are defined for coherent trees "
                "only (prime implicants are not computed)",
            )
        B, root, order = self.compile(top)
        p = self.event_probability
        found = []
        for mask in B.minimal_cut_sets(root, max_order):
            idx = [order[i] for i in range(mask.bit_length()) if mask >> i & 1]
            events = tuple(sorted((self.events[e] for e in idx), key=lambda e: e.label))
            found.append(CutSet(events, math.prod(float(p[e]) for e in idx)))
        found.sort(key=lambda c: (c.order, -c.probability, c.labels))
        return CutSets((top,), tuple(found), max_order)

    def importance(self, gate: str | None = None, *, fussell_vesely: bool = True) -> Importance:
        """Return the importance measures of the basic (and CCF) events under ``gate``.

        Every event is independent, so ``P(e and top) = P(e) P(top | e)``; the
        Fussell-Vesely measure needs the minimal cut sets (a coherent tree), else it is nan.
        """
        top = self._top(gate)
        B, root, order = self.compile(top)
        n = len(order)
        base = np.asarray(self.event_probability[order], dtype=float)
        columns = np.repeat(base[:, None], 2 * n + 1, axis=1)
        for i in range(n):
            columns[i, 1 + i] = 1.0
            columns[i, 1 + n + i] = 0.0
        if root in (1, -1):
            values = np.full(2 * n + 1, 1.0 if root == 1 else 0.0)
        else:
            values = B.probability(root, columns)
        p_top, p1, p0 = float(values[0]), values[1 : n + 1], values[n + 1 :]
        union = [math.nan] * n
        if fussell_vesely and self.coherent(top) and n:
            masks = B.minimal_cut_sets(root)
            if len(masks) > MAX_FV_CUT_SETS:
                raise ComputationLimitError(
                    None,
                    f"{len(masks)} minimal cut sets, more than MAX_FV_CUT_SETS = "
                    f"{MAX_FV_CUT_SETS}: pass fussell_vesely=False",
                )
            for i in range(n):
                terms = [m for m in masks if m >> i & 1]
                f = B.or_(*(B.and_(*(B.var(j) for j in _bits(m))) for m in terms))
                union[i] = 0.0 if f == -1 else float(B.probability(f, base))
        return assemble(
            top=top,
            p_top=p_top,
            labels=[self.events[e].label for e in order],
            kinds=[self.events[e].kind for e in order],
            probability=base.tolist(),
            p_if_fails=p1.tolist(),
            p_if_holds=p0.tolist(),
            p_and_top=(base * p1).tolist(),
            p_and_top_if_holds=(base * p0).tolist(),
            p_cut_union=union,
            method="bdd",
        )


def _bits(mask: int) -> Sequence[int]:
    return [i for i in range(mask.bit_length()) if mask >> i & 1]
