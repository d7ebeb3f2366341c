r"""General static fault trees: gates over basic events, with common-cause failure groups.

Definitions
-----------
A *fault tree* has basic events (independent, each failing with a probability), house events
(Boolean constants) and gates, each defined by a formula over events and other gates:
``and``, ``or``, ``atleast k`` (at least ``k`` of the arguments), ``not``, ``nand``, ``nor``,
``xor``, ``iff`` (equivalence), ``imply`` and ``cardinality`` (between ``min`` and ``max`` of
the arguments), nested freely, over basic events, house events, constants and other gates;
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
Probabilities are exact, by weighted model counting on a BDD (:mod:`portfolios.ftengine`:
``dd.cudd`` when it imports, else ``dd.bdd``); house events and constants are propagated first,
and the variable order is the depth-first order of first appearance from the top gate (each
gate's arguments explored last to first by default; ``order="dfs"`` for first to last). The
probability of any set of gates comes from one diagram (:meth:`FaultTree.solve`). Minimal cut
sets are read off the BDD into a ZBDD (Rauzy's decomposition; a zero-suppressed BDD), with
an order limit and a probability cut-off, and counted without being listed; for a
non-coherent tree (checked on the function, not on the syntax: a ``not`` over a house event is
no negation once the house event is propagated) they are the prime implicants. Importance
measures are those of :mod:`portfolios.importance`, with every basic event independent,
computed from the BDD for all events at once.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from math import comb
from types import MappingProxyType
from typing import Any

import numpy as np

from . import _zbdd, ftengine, ftuncertainty, mefexpr
from ._arrays import readonly
from .cutsets import CutSet, CutSets
from .errors import ComputationLimitError, PortfolioError, UnknownIdError, did_you_mean
from .importance import Importance, assemble
from .structure import Event
from .substitutions import (
    Substitution,
    SubstitutionSolution,
    apply_to_cut_sets,
    check_substitutions,
    solution,
)

__all__ = [
    "CCF_MODELS",
    "MAX_FV_NODES",
    "MAX_LISTED_CUT_SETS",
    "ORDERS",
    "PHI_SUM_TOL",
    "CCFGroup",
    "FaultTree",
    "Formula",
    "NegatedEvent",
    "TreeSolution",
]

Uncertainty = ftuncertainty.Uncertainty

#: A formula: ``(op, args)`` for ``op`` in ``and``, ``or``, ``nand``, ``nor``, ``not`` (one
#: argument), ``xor``, ``iff``, ``imply`` (two); ``("atleast", k, args)``;
#: ``("cardinality", min, max, args)``; or a leaf ``("gate", name)``, ``("basic-event", name)``,
#: ``("house-event", name)``, ``("constant", bool)``. ``args`` is a tuple of formulas.
Formula = tuple[Any, ...]

#: The CCF models read.
CCF_MODELS = ("beta-factor", "MGL", "alpha-factor", "phi-factor")
#: Tolerance on phi factors summing to 1.
PHI_SUM_TOL = 1e-9
#: Largest ZBDD of minimal cut sets (nodes) from which :meth:`FaultTree.importance` computes
#: the Fussell-Vesely measure (one BDD of a union of cut sets per event).
MAX_FV_NODES = 2_000_000
#: The static variable orders (``FaultTree(order=...)``).
ORDERS = ("dfs-reversed", "dfs")
#: Default largest number of cut sets :meth:`FaultTree.minimal_cut_sets` lists.
MAX_LISTED_CUT_SETS = 1_000_000


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
        if not levels:
            raise PortfolioError(None, f"{where}: no factor given")
        if max(levels) > m:
            raise PortfolioError(
                None, f"{where}: factor level {max(levels)} is above the number of members ({m})"
            )
        if levels != expected:
            raise PortfolioError(None, f"{where}: factor levels {levels} must be {expected}")
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


_ARGS_AT = {"atleast": 2, "cardinality": 3}
#: Connectives whose arguments are a tuple at position 1.
_NARY = ("and", "or", "nand", "nor", "not", "xor", "iff", "imply")
#: Connectives that can make a tree non-coherent (before constants are propagated).
_NEGATING = ("not", "nand", "nor", "xor", "iff", "imply", "cardinality")
_LEAVES = ("gate", "basic-event", "house-event", "constant")
_TRUE, _FALSE = -1, -2


def _children(formula: Formula) -> tuple[Formula, ...]:
    kind = formula[0]
    if kind in _NARY:
        children: tuple[Formula, ...] = formula[1]
        return children
    if kind in _ARGS_AT:
        args: tuple[Formula, ...] = formula[_ARGS_AT[kind]]
        return args
    return ()


@dataclass(frozen=True, order=True)
class NegatedEvent(Event):
    """The literal "basic event ``id`` does *not* occur", in a prime implicant."""

    @property
    def label(self) -> str:
        """``not`` and the event's label."""
        return f"not {Event(self.kind, self.id).label}"


@dataclass(frozen=True)
class TreeSolution:
    """Exact probabilities of some gates of a fault tree, with the evidence behind them.

    Attributes
    ----------
    probabilities : mapping of str to float
        The probability of each gate asked for.
    backend : str
        The BDD library that ran: ``"cudd"`` or ``"python"`` (``dd.bdd``).
    variables : int
        The basic (and CCF) events under those gates: the BDD's variables.
    nodes : int
        The nodes of the flattened BDD of all those gates (shared nodes counted once), and
        of their modules when solved by modules.
    nodes_built : int
        The peak number of live nodes in the BDD manager during the build (intermediate
        results included; the released ones are not live).
    compile_seconds, probability_seconds : float
        Wall-clock times of the build (with the flattening) and of the probability pass.
    modules : int
        The modules solved as functions of their own (``FaultTree(modularise=True)``; 0
        otherwise or when there is none).
    """

    probabilities: Mapping[str, float]
    backend: str
    variables: int
    nodes: int
    nodes_built: int
    compile_seconds: float
    probability_seconds: float
    modules: int = 0

    def __repr__(self) -> str:
        values = ", ".join(f"{g}: {p:.6g}" for g, p in self.probabilities.items())
        return (
            f"TreeSolution({values}; {self.variables} variables, {self.nodes} BDD nodes, "
            f"backend {self.backend!r})"
        )


@dataclass
class _Compilation:
    tops: tuple[str, ...]
    pdag: ftengine.Pdag
    roots: tuple[int, ...]
    order: list[int]  # order[i]: index in FaultTree.events of BDD variable i (-1: a module)
    compiled: ftengine.Compiled
    seconds: float
    derived: dict[int, int] | None = None  # a module's variable -> its root edge


#: The options of :meth:`FaultTree.with_options` that choose how the engine runs, not the model.
_ENGINE_OPTIONS = frozenset({"backend", "reorder", "max_nodes", "order", "modularise"})


class FaultTree:
    """A static fault tree with CCF groups (module docstring).

    Parameters
    ----------
    name : str
    gates : mapping of str to Formula
    basic_events : mapping of str to float or None
        Probabilities (None for members of a CCF group, whose group gives theirs, and for
        events without a probability: those allow a qualitative analysis only, as in SCRAM).
    house_events : mapping of str to bool
    ccf_groups : mapping of str to CCFGroup
    labels : mapping of str to str, optional
        Descriptions of gates and events.
    file : str, optional
    backend : {"auto", "cudd", "python"}
        The BDD library (:mod:`portfolios.ftengine`): ``"auto"`` takes ``dd.cudd`` when it
        imports, else ``dd.bdd``.
    reorder : bool or "auto"
        Sift the BDD's variables once after the build (or whenever it grows past
        :data:`portfolios.ftengine.REORDER_NODES`: ``"auto"``).
    max_nodes : int
        The BDD size limit (:data:`portfolios.ftengine.DEFAULT_MAX_NODES`).
    order : {"dfs-reversed", "dfs"}
        The static variable order: depth first from the top gate, in order of first
        appearance, exploring each gate's arguments last to first (the default: measured
        smaller on 30 of the 43 Aralia trees, up to 50 times on edf9202 and elf9601) or first
        to last.
    model : object, optional
        The probability model the values came from (:mod:`portfolios.mefexpr`), for
        :meth:`uncertainty`.
    modularise : bool
        Solve probabilities (:meth:`solve`, :meth:`probability`, :meth:`probabilities`) with
        each module (a gate whose sub-tree shares nothing with the rest) compiled as a
        function of its own and seen by its parents as one variable
        (:func:`portfolios.ftengine.modularise`); ``False``: one BDD over the events. Cut
        sets, importance and :meth:`uncertainty` always use the BDD over the events.
    substitutions : sequence of Substitution
        The model's substitutions (:mod:`portfolios.substitutions`), applied by
        :meth:`substitute` only; checked against the basic events and CCF groups.
    alignments : mapping of str to Alignment, optional
        The model's alignments (:mod:`portfolios.alignment`), analysed by :meth:`phases`.

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
        backend: str = "auto",
        reorder: bool | str = False,
        max_nodes: int = ftengine.DEFAULT_MAX_NODES,
        order: str = "dfs-reversed",
        model: Any = None,
        modularise: bool = True,
        substitutions: Sequence[Substitution] = (),
        alignments: Mapping[str, Any] | None = None,
    ) -> None:
        self.name, self.file = name, file
        self.gates: Mapping[str, Formula] = MappingProxyType(dict(gates))
        self.basic_events: Mapping[str, float | None] = MappingProxyType(dict(basic_events))
        self.house_events: Mapping[str, bool] = MappingProxyType(dict(house_events or {}))
        self.ccf_groups: Mapping[str, CCFGroup] = MappingProxyType(dict(ccf_groups or {}))
        self.labels: Mapping[str, str] = MappingProxyType(dict(labels or {}))
        self.substitutions: tuple[Substitution, ...] = tuple(substitutions)
        self.alignments: Mapping[str, Any] = MappingProxyType(dict(alignments or {}))
        self.backend, self.reorder, self.max_nodes = backend, reorder, max_nodes
        if order not in ORDERS:
            raise PortfolioError(
                None, f"unknown order {order!r}; choose one of {', '.join(ORDERS)}"
            )
        self.order = order
        self.model = model
        self.modularise = bool(modularise)
        self._validate()
        self._compiled: dict[tuple[str, ...], _Compilation] = {}
        self._compiled_modular: dict[tuple[str, ...], _Compilation] = {}

    def with_options(self, **options: Any) -> FaultTree:
        """Return the same tree with other engine options (``backend``, ``reorder``, ...).

        The engine options (``backend``, ``reorder``, ``max_nodes``, ``order``,
        ``modularise``) apply to the trees of the alignments' phases too, unless
        ``alignments`` is given.
        """
        engine = {k: v for k, v in options.items() if k in _ENGINE_OPTIONS}
        alignments = self.alignments
        if engine and self.alignments and "alignments" not in options:
            alignments = {k: a.with_options(**engine) for k, a in self.alignments.items()}
        settings = {
            "name": self.name,
            "gates": self.gates,
            "basic_events": self.basic_events,
            "house_events": self.house_events,
            "ccf_groups": self.ccf_groups,
            "labels": self.labels,
            "file": self.file,
            "backend": self.backend,
            "reorder": self.reorder,
            "max_nodes": self.max_nodes,
            "order": self.order,
            "model": self.model,
            "modularise": self.modularise,
            "substitutions": self.substitutions,
            "alignments": alignments,
        }
        settings.update(options)
        return FaultTree(**settings)

    # ------------------------------------------------------------------ checks

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
            if p is None or b in self._ccf_of:
                continue
            if not (isinstance(p, (int, float)) and math.isfinite(p) and 0.0 <= p <= 1.0):
                raise PortfolioError(None, f"basic event {b!r}: probability {p!r} is not in [0, 1]")
        kinds: dict[str, Mapping[str, Any]] = {
            "gate": self.gates,
            "basic-event": self.basic_events,
            "house-event": self.house_events,
        }
        for g, formula in self.gates.items():
            stack = [formula]
            while stack:
                f = stack.pop()
                kind = f[0]
                if kind in kinds:
                    if f[1] not in kinds[kind]:
                        raise PortfolioError(None, f"gate {g!r}: unknown {kind} {f[1]!r}")
                elif kind == "constant":
                    pass
                elif kind in _NARY or kind in _ARGS_AT:
                    self._check_arity(g, f)
                else:
                    raise PortfolioError(None, f"gate {g!r}: unknown connective {kind!r}")
                stack.extend(_children(f))
        self._check_cycles()
        check_substitutions(self.substitutions, self.basic_events, self._ccf_of)

    @staticmethod
    def _check_arity(g: str, f: Formula) -> None:
        kind, args = f[0], _children(f)
        n = len(args)
        if kind == "not" and n != 1:
            raise PortfolioError(None, f"gate {g!r}: 'not' takes one argument, got {n}")
        if kind in ("xor", "iff", "imply") and n != 2:
            raise PortfolioError(None, f"gate {g!r}: {kind!r} takes two arguments, got {n}")
        if kind in ("and", "or", "nand", "nor") and n == 0:
            raise PortfolioError(None, f"gate {g!r}: {kind!r} needs arguments")
        if kind == "atleast" and not (isinstance(f[1], int) and 0 <= f[1]):
            raise PortfolioError(None, f"gate {g!r}: atleast needs an integer min >= 0")
        if kind == "cardinality" and not (
            isinstance(f[1], int) and isinstance(f[2], int) and 0 <= f[1] <= f[2]
        ):
            raise PortfolioError(None, f"gate {g!r}: cardinality needs 0 <= min <= max")

    def _check_cycles(self) -> None:
        """Refuse a cycle among the gates (an iterative depth-first search)."""
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        for start in self.gates:
            if start in state:
                continue
            state[start] = 1
            path = [start]
            iterators = [iter(self._gate_refs(self.gates[start]))]
            while iterators:
                child = next(iterators[-1], None)
                if child is None:
                    state[path.pop()] = 2
                    iterators.pop()
                    continue
                if state.get(child) == 1:
                    cycle = [*path[path.index(child) :], child]
                    raise PortfolioError(None, f"gates form a cycle: {' -> '.join(cycle)}")
                if child not in state:
                    state[child] = 1
                    path.append(child)
                    iterators.append(iter(self._gate_refs(self.gates[child])))

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
            f"top {', '.join(self.top_gates) or 'none'}{self._extras()})"
        )

    def _extras(self) -> str:
        parts = []
        if self.substitutions:
            parts.append(f"{len(self.substitutions)} substitutions (see substitute())")
        if self.alignments:
            parts.append(f"alignments {', '.join(self.alignments)} (see phases())")
        return "".join(f"; {p}" for p in parts)

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
            raise UnknownIdError(None, f"unknown gate {gate!r}{did_you_mean(gate, self.gates)}")
        return gate

    @cached_property
    def events(self) -> tuple[Event, ...]:
        """The basic events after CCF expansion: kind ``"basic"`` or ``"ccf"``."""
        out = [Event("basic", b) for b in self.basic_events if b not in self._ccf_of]
        for group in self.ccf_groups.values():
            out += [Event("ccf", label) for label, _, _ in group.events()]
        return tuple(out)

    @cached_property
    def _expansion(self) -> dict[str, list[int]]:
        """Each basic event's variables: itself, or its CCF group's events containing it."""
        index = {(e.kind, e.id): i for i, e in enumerate(self.events)}
        expansion = {b: [index["basic", b]] for b in self.basic_events if b not in self._ccf_of}
        for g in self.ccf_groups.values():
            for m in g.members:
                expansion[m] = [index["ccf", lab] for lab, members, _ in g.events() if m in members]
        return expansion

    @cached_property
    def event_probability(self) -> np.ndarray:
        """The probabilities of :attr:`events` (read-only; nan for an event without one)."""
        p = {label: q for g in self.ccf_groups.values() for label, _, q in g.events()}
        values = []
        for e in self.events:
            if e.kind == "ccf":
                values.append(p[e.id])
            else:
                q = self.basic_events[e.id]
                values.append(math.nan if q is None else float(q))
        return readonly(values, float)

    @property
    def unquantified(self) -> tuple[str, ...]:
        """The basic events without a probability (read from MEF without one).

        With any, only the qualitative analysis (cut sets, prime implicants) is possible.

        Examples
        --------
        >>> T = FaultTree(name="t", gates={"top": ("basic-event", "A")}, basic_events={"A": None})
        >>> T.unquantified
        ('A',)
        """
        return tuple(
            e.label
            for e, q in zip(self.events, self.event_probability.tolist(), strict=True)
            if math.isnan(q)
        )

    def _quantified(self, order: Sequence[int], what: str) -> np.ndarray:
        p = np.asarray(self.event_probability, dtype=float)[list(order)]
        missing = [self.events[e].label for e, q in zip(order, p, strict=True) if math.isnan(q)]
        if missing:
            shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
            raise PortfolioError(
                self.file,
                f"{what} needs a probability for every basic event; {len(missing)} have "
                f"none ({shown}): only the qualitative analysis (cut sets) is possible",
            )
        return p

    # ------------------------------------------------------------------ compiling

    def _pdag(self, tops: Sequence[str]) -> tuple[ftengine.Pdag, list[int], list[int], list[str]]:
        """Return the propositional DAG of ``tops`` (constants propagated, variables DFS)."""
        expansion = self._expansion
        var_of: dict[int, int] = {}
        order: list[int] = []
        seen: set[str] = set()
        stack: list[Formula] = [("gate", t) for t in reversed(tops)]
        while stack:
            f = stack.pop()
            if f[0] == "gate":
                if f[1] not in seen:
                    seen.add(f[1])
                    stack.append(self.gates[f[1]])
            elif f[0] == "basic-event":
                for e in expansion[f[1]]:
                    if e not in var_of:
                        var_of[e] = len(order)
                        order.append(e)
            else:  # "dfs-reversed": the last argument is explored first
                children = _children(f)
                stack.extend(children if self.order == "dfs-reversed" else reversed(children))
        n = len(order)
        nodes: list[tuple[str, tuple[int, ...], int, int]] = []
        names: list[str] = []
        where = [""]

        def node(op: str, args: Sequence[int], k: int = 0, kmax: int = 0) -> int:
            nodes.append((op, tuple(args), k, kmax))
            names.append(where[0])
            return n + len(nodes) - 1

        def negate(a: int) -> int:
            if a in (_TRUE, _FALSE):
                return _FALSE if a == _TRUE else _TRUE
            return node("not", (a,))

        def junction(op: str, args: Sequence[int]) -> int:
            unit, zero = (_TRUE, _FALSE) if op == "and" else (_FALSE, _TRUE)
            if zero in args:
                return zero
            kept = list(dict.fromkeys(a for a in args if a != unit))
            if not kept:
                return unit
            return kept[0] if len(kept) == 1 else node(op, kept)

        def make(f: Formula, args: list[int]) -> int:
            kind = f[0]
            if kind in ("and", "or"):
                return junction(kind, args)
            if kind in ("nand", "nor"):
                return negate(junction("and" if kind == "nand" else "or", args))
            if kind == "not":
                return negate(args[0])
            if kind in ("xor", "iff"):
                a, b = args
                if a in (_TRUE, _FALSE) and b in (_TRUE, _FALSE):
                    value = (a == _TRUE) != (b == _TRUE)
                    return _TRUE if value == (kind == "xor") else _FALSE
                if b in (_TRUE, _FALSE):
                    a, b = b, a
                if a in (_TRUE, _FALSE):  # xor(true, b) = not b; iff(true, b) = b
                    return negate(b) if (a == _TRUE) == (kind == "xor") else b
                return node(kind, (a, b))
            if kind == "imply":
                return junction("or", [negate(args[0]), args[1]])
            rest = [a for a in args if a not in (_TRUE, _FALSE)]
            trues = sum(a == _TRUE for a in args)
            if kind == "atleast":
                k = int(f[1]) - trues
                if k <= 0:
                    return _TRUE
                if k > len(rest):
                    return _FALSE
                if k == 1:
                    return junction("or", rest)
                if k == len(rest):
                    return junction("and", rest)
                return node("atleast", rest, k)
            lo, hi = int(f[1]) - trues, int(f[2]) - trues  # cardinality
            lo = max(lo, 0)
            if hi < 0 or lo > len(rest) or lo > hi:
                return _FALSE
            if lo == 0 and hi >= len(rest):
                return _TRUE
            return node("cardinality", rest, lo, min(hi, len(rest)))

        leaf: dict[str, int] = {}
        gate_node: dict[str, int] = {}
        results: list[int] = []
        work: list[tuple[str, Any]] = [("visit", ("gate", t)) for t in reversed(tops)]
        while work:
            tag, f = work.pop()
            if tag == "gate-done":
                gate_node[f] = results[-1]
                continue
            if tag == "combine":
                k = len(_children(f))
                args = results[len(results) - k :]
                del results[len(results) - k :]
                results.append(make(f, args))
                continue
            kind = f[0]
            if kind == "gate":
                if f[1] in gate_node:
                    results.append(gate_node[f[1]])
                else:
                    where[0] = f[1]
                    work.append(("gate-done", f[1]))
                    work.append(("visit", self.gates[f[1]]))
            elif kind == "basic-event":
                if f[1] not in leaf:
                    vs = [var_of[e] for e in expansion[f[1]]]
                    leaf[f[1]] = vs[0] if len(vs) == 1 else node("or", vs)
                results.append(leaf[f[1]])
            elif kind == "house-event":
                results.append(_TRUE if self.house_events[f[1]] else _FALSE)
            elif kind == "constant":
                results.append(_TRUE if f[1] else _FALSE)
            else:
                work.append(("combine", f))
                work.extend(("visit", c) for c in reversed(_children(f)))
        roots = []
        for t in tops:
            r = gate_node[t]
            if r in (_TRUE, _FALSE):
                where[0] = t
                r = node("true" if r == _TRUE else "false", ())
            roots.append(r)
        return ftengine.Pdag(n, tuple(nodes)), roots, order, names

    def _compile(self, tops: Sequence[str], *, modular: bool = False) -> _Compilation:
        key = tuple(tops)
        if modular:
            return self._compile_modular(key)
        if key not in self._compiled:
            t0 = time.perf_counter()
            pdag, roots, order, names = self._pdag(key)
            compiled = ftengine.compile_pdag(
                pdag,
                roots,
                backend=self.backend,
                max_nodes=self.max_nodes,
                reorder=self.reorder,
                names=names,
            )
            compiled.diagram  # noqa: B018 - flatten now, so that the time counts it
            self._compiled[key] = _Compilation(
                key, pdag, tuple(roots), order, compiled, time.perf_counter() - t0
            )
        return self._compiled[key]

    def _compile_modular(self, key: tuple[str, ...]) -> _Compilation:
        if key not in self._compiled_modular:
            t0 = time.perf_counter()
            pdag, roots, order, _ = self._pdag(key)
            modular, new_roots, variables, derived = ftengine.modularise(pdag, roots)
            compiled = ftengine.compile_pdag(
                modular,
                new_roots,
                backend=self.backend,
                max_nodes=self.max_nodes,
                reorder=self.reorder,
            )
            diagram = compiled.diagram
            self._compiled_modular[key] = _Compilation(
                key,
                modular,
                tuple(new_roots),
                [order[v] if v >= 0 else -1 for v in variables],
                compiled,
                time.perf_counter() - t0,
                {v: diagram.roots[i] for v, i in derived.items()},
            )
        return self._compiled_modular[key]

    def compile(self, gate: str | None = None) -> tuple[ftengine.Diagram, int, list[int]]:
        """Return ``(diagram, root edge, order)`` for ``gate``.

        ``order[i]`` indexes :attr:`events`: the event of the diagram's variable ``i``.
        """
        c = self._compile([self._top(gate)])
        return c.compiled.diagram, c.compiled.diagram.roots[0], c.order

    # ------------------------------------------------------------------ probabilities

    def solve(self, gates: Sequence[str] | None = None) -> TreeSolution:
        """Return the exact probabilities of ``gates`` (default: the top gates) in one BDD."""
        chosen = tuple(self.top_gates if gates is None else (self._top(g) for g in gates))
        if not chosen:
            raise PortfolioError(self.file, "no gate to solve")
        c = self._compile(chosen, modular=self.modularise)
        t0 = time.perf_counter()
        events = [e for e in c.order if e >= 0]
        p = np.zeros(len(c.order))
        p[[i for i, e in enumerate(c.order) if e >= 0]] = self._quantified(events, "a probability")
        diagram = c.compiled.diagram
        values = ftengine.probability(diagram, p, diagram.roots[: len(chosen)], derived=c.derived)
        seconds = time.perf_counter() - t0
        return TreeSolution(
            probabilities=MappingProxyType(
                {g: float(v) for g, v in zip(chosen, values.tolist(), strict=True)}
            ),
            backend=c.compiled.backend,
            variables=len(events),
            nodes=len(c.compiled.diagram),
            nodes_built=c.compiled.nodes_built,
            compile_seconds=c.seconds,
            probability_seconds=seconds,
            modules=len(c.derived or {}),
        )

    def probability(self, gate: str | None = None) -> float:
        """Return the exact probability of ``gate`` (the single top gate by default)."""
        top = self._top(gate)
        return self.solve([top]).probabilities[top]

    def probabilities(self, gates: Sequence[str] | None = None) -> dict[str, float]:
        """Return the exact probability of every gate asked (default: every gate)."""
        chosen = list(self.gates if gates is None else gates)
        return dict(self.solve(chosen).probabilities)

    # ------------------------------------------------------------------ qualitative

    def coherent(self, gate: str | None = None) -> bool:
        """Return True if ``gate``'s function is monotone (the tree is coherent).

        Constants and house events are propagated first, so a ``not`` over them does not
        count; if a negation remains, the BDD is checked node by node
        (:func:`portfolios.ftengine.monotone`).
        """
        top = self._top(gate)
        pdag, roots, _, _ = self._pdag([top])
        n = pdag.n_vars
        stack, seen = [roots[0]], set()
        negating = False
        while stack and not negating:
            u = stack.pop()
            if u < n or u in seen:
                continue
            seen.add(u)
            op, args, _, _ = pdag.nodes[u - n]
            negating = op in _NEGATING
            stack.extend(args)
        if not negating:
            return True
        return ftengine.monotone(self._compile([top]).compiled, 0)

    def _cut_family(
        self, top: str, max_order: int | None, prime_implicants: bool = True
    ) -> tuple[_zbdd.Family, int, bool, _Compilation]:
        """Return the ZBDD of ``top``'s cut sets and whether its sets are positive only."""
        c = self._compile([top])
        family = _zbdd.Family()
        coherent = self.coherent(top)
        if coherent or not prime_implicants:
            z = ftengine.minimal_solutions(
                c.compiled.diagram,
                c.compiled.diagram.roots[0],
                family,
                max_order=max_order,
                monotone=coherent,
            )
            return family, z, True, c
        z = ftengine.prime_implicants(c.compiled, 0, family, max_order=max_order)
        return family, z, False, c

    def count_cut_sets(
        self,
        gate: str | None = None,
        *,
        max_order: int | None = None,
        prime_implicants: bool = True,
    ) -> dict[int, int]:
        """Return ``{order: number}`` of the minimal cut sets (prime implicants) of ``gate``.

        Counted on the ZBDD, without listing them (exact integers, however many there are);
        ``prime_implicants`` as in :meth:`minimal_cut_sets`.
        """
        top = self._top(gate)
        _check_order(max_order)
        family, z, _, _ = self._cut_family(top, max_order, prime_implicants)
        return {k: c for k, c in enumerate(family.count_by_order(z)) if c}

    def minimal_cut_sets(
        self,
        gate: str | None = None,
        *,
        max_order: int | None = None,
        cutoff: float = 0.0,
        limit: int = MAX_LISTED_CUT_SETS,
        prime_implicants: bool = True,
    ) -> CutSets:
        """Return the minimal cut sets of ``gate``, smallest first, most probable first.

        For a non-coherent tree (:meth:`coherent` is False) the *prime implicants* are
        returned: their literals are basic events and :class:`NegatedEvent` s ("``e`` does
        not occur"); a prime implicant's probability is the product over its literals. With
        ``prime_implicants=False`` a non-coherent tree gets, as in SCRAM's default analysis,
        its minimal true points instead: the minimal sets of events whose occurrence, every
        other event not occurring, makes the gate true, each with the product of its events'
        probabilities (faster than the prime implicants; their union is not the gate).

        Parameters
        ----------
        gate : str, optional
        max_order : int, optional
            List only the sets of at most this many events (SCRAM's ``--limit-order``).
        cutoff : float
            Drop the sets whose probability is below it (SCRAM's ``--cut-off``).
        limit : int
            Refuse (with the count by order) to list more sets than this.

        The unit cut set (the gate is certain, e.g. through a house event) is the empty set.
        A set holding an event without a probability (``unquantified``) has probability
        nan, listed after the others of its order.
        """
        top = self._top(gate)
        _check_order(max_order)
        if not (isinstance(cutoff, (int, float)) and 0.0 <= cutoff <= 1.0):
            raise PortfolioError(None, f"cutoff must be a probability, got {cutoff!r}")
        family, z, coherent, c = self._cut_family(top, max_order, prime_implicants)
        p = np.asarray(self.event_probability, dtype=float)[c.order]
        quantified = not np.isnan(p).any()
        if coherent:
            weights = p.tolist()
            literal = [self.events[e] for e in c.order]
        else:
            weights = [x for q in p.tolist() for x in (q, 1.0 - q)]
            literal = [
                x
                for e in c.order
                for x in (self.events[e], NegatedEvent(self.events[e].kind, self.events[e].id))
            ]
        if cutoff > 0.0 and not quantified:
            raise PortfolioError(self.file, "cutoff= needs a probability for every basic event")
        found: list[CutSet] = []
        for s in family.sets(
            z,
            weight=weights.__getitem__ if cutoff > 0.0 else None,
            cutoff=cutoff,
            max_order=max_order,
        ):
            if len(found) >= limit:
                counts = family.count_by_order(z)
                raise ComputationLimitError(
                    None,
                    f"more than limit = {limit:,} cut sets ({sum(counts):,} in all; by order "
                    f"{ {k: n for k, n in enumerate(counts) if n} }): pass max_order= or "
                    "cutoff=, or count them with count_cut_sets()",
                )
            events = tuple(sorted((literal[v] for v in s), key=lambda e: e.label))
            found.append(CutSet(events, math.prod(weights[v] for v in s)))  # nan: unquantified
        found.sort(
            key=lambda x: (
                x.order,
                math.isnan(x.probability),
                0.0 if math.isnan(x.probability) else -x.probability,
                x.labels,
            )
        )
        return CutSets((top,), tuple(found), max_order)

    # ------------------------------------------------------------------ substitutions

    def substitute(
        self,
        gate: str | None = None,
        *,
        max_order: int | None = None,
        limit: int = MAX_LISTED_CUT_SETS,
    ) -> SubstitutionSolution:
        """Return ``gate`` analysed with the substitutions (:mod:`portfolios.substitutions`).

        The declarative substitutions rewrite the function (``gate AND (NOT H OR T) ...``);
        its minimal true points are listed (up to ``max_order``), the non-declarative
        substitutions are applied to them, and the probability is exact: of the rewritten
        function, or (with a non-declarative substitution) of the union of the substituted
        cut sets; the rare-event and min-cut upper bound values are given too. The other
        methods (:meth:`probability`, :meth:`minimal_cut_sets`, ...) analyse the gates as
        drawn, without substitutions.

        Examples
        --------
        >>> b = lambda e: ("basic-event", e)
        >>> T = FaultTree(
        ...     name="two trains",
        ...     gates={"top": ("and", (("or", (b("V1"), b("P1"))), ("or", (b("V2"), b("P2")))))},
        ...     basic_events={"V1": 0.5, "V2": 0.5, "P1": 0.7, "P2": 0.7},
        ...     substitutions=[Substitution("exclusive", "and", ("V1", "V2"), target=False)],
        ... )
        >>> S = T.substitute()
        >>> [c.labels for c in S.cut_sets]
        [('P1', 'P2'), ('P1', 'V2'), ('P2', 'V1')]
        >>> round(S.probability, 12)  # 0.25 * 0.49 + 2 * 0.25 * 0.7 (V1 alone or V2 alone)
        0.4725
        """
        top = self._top(gate)
        _check_order(max_order)
        constraints = tuple(s.constraint for s in self.substitutions if s.declarative)
        tree, root = self, top
        if constraints:
            root = top + " (substituted)"
            while root in self.gates:
                root += "'"
            rewritten = ("and", (("gate", top), *constraints))
            tree = self.with_options(gates={**self.gates, root: rewritten}, substitutions=())
        c = tree._compile([root])
        diagram = c.compiled.diagram
        family = _zbdd.Family()
        z = ftengine.minimal_solutions(
            diagram, diagram.roots[0], family, max_order=max_order, monotone=False
        )
        counts = family.count_by_order(z)
        if sum(counts) > limit:
            raise ComputationLimitError(
                None,
                f"more than limit = {limit:,} cut sets ({sum(counts):,}): pass max_order=",
            )
        sets = [frozenset(self.events[c.order[v]] for v in s) for s in family.sets(z)]
        rewriting = [s for s in self.substitutions if not s.declarative]
        p = dict(zip(self.events, self.event_probability.tolist(), strict=True))
        if rewriting:
            sets = apply_to_cut_sets(sets, rewriting)
            exact = _union_probability(sets, p)
        elif any(math.isnan(p[self.events[e]]) for e in c.order):
            exact = math.nan
        else:
            exact = tree.solve([root]).probabilities[root]
        return solution(top, self.substitutions, sets, p, exact, max_order)

    # ------------------------------------------------------------------ alignments

    def phases(
        self,
        alignment: str | None = None,
        gates: Sequence[str] | None = None,
        *,
        substitutions: bool = False,
    ) -> Any:
        """Return the per-phase analysis of an alignment (:mod:`portfolios.alignment`).

        ``alignment`` may be omitted when the model defines one; ``gates`` default to the top
        gates; ``substitutions=True`` applies the model's substitutions in each phase
        (:meth:`substitute`). Returns an :class:`~portfolios.alignment.AlignmentSolution`.
        """
        name = _choose_alignment(self.alignments, alignment, self.file)
        return self.alignments[name].solve(gates, substitutions=substitutions)

    # ------------------------------------------------------------------ importance

    def importance(self, gate: str | None = None, *, fussell_vesely: bool = True) -> Importance:
        """Return the importance measures of the basic (and CCF) events under ``gate``.

        Every event is independent, so ``P(e and top) = P(e) P(top | e)``. The conditional
        probabilities come from the BDD for all events at once
        (:func:`portfolios.ftengine.conditional_probabilities`). The Fussell-Vesely measure
        (cut-set definition) is the probability of the union of the minimal cut sets that
        contain the event, from the ZBDD of the cut sets turned back into BDDs, without
        listing them; it needs a coherent tree (else nan).

        Conventions: when ``P(top) = 0`` the ratios are nan (SCRAM reports 0), and the RRW of
        an event in every cut set is ``inf`` (SCRAM reports 0: its issue 288).
        """
        top = self._top(gate)
        c = self._compile([top])
        diagram = c.compiled.diagram
        base = self._quantified(c.order, "importance")
        p_top, p1, p0 = ftengine.conditional_probabilities(diagram, base, diagram.roots[0])
        n = len(c.order)
        union = [math.nan] * n
        if fussell_vesely and n and self.coherent(top):
            union = self._cut_unions(c, base)
        return assemble(
            top=top,
            p_top=p_top,
            labels=[self.events[e].label for e in c.order],
            kinds=[self.events[e].kind for e in c.order],
            probability=base.tolist(),
            p_if_fails=p1.tolist(),
            p_if_holds=p0.tolist(),
            p_and_top=(base * p1).tolist(),
            p_and_top_if_holds=(base * p0).tolist(),
            p_cut_union=union,
            method=f"bdd ({c.compiled.backend})",
        )

    def _cut_unions(self, c: _Compilation, base: np.ndarray) -> list[float]:
        diagram = c.compiled.diagram
        family = _zbdd.Family()
        z = ftengine.minimal_solutions(diagram, diagram.roots[0], family)
        if family.size(z) > MAX_FV_NODES:
            raise ComputationLimitError(
                None,
                f"the ZBDD of the minimal cut sets has more than MAX_FV_NODES = {MAX_FV_NODES:,} "
                "nodes: pass fussell_vesely=False (knightian faulttree --no-fussell-vesely)",
            )
        m = c.compiled.manager
        memo: dict[int, Any] = {_zbdd.EMPTY: m.false, _zbdd.BASE: m.true}

        def to_bdd(u: int) -> _zbdd.Call:
            r = memo.get(u)
            if r is None:
                lo = yield to_bdd(family.lo[u])
                hi = yield to_bdd(family.hi[u])
                r = m.or_(lo, m.and_(m.var(family.var[u]), hi))
                memo[u] = r
            return r

        functions = []
        try:
            for v in range(diagram.n_vars):
                functions.append(_zbdd.run(to_bdd(family.onset(z, v))))
            flat = ftengine._flatten(m, functions)
        finally:  # the closure is a reference cycle: release the functions while m lives
            memo.clear()
            functions.clear()
        values = ftengine.probability(flat, base)
        return (base * values).tolist()

    # ------------------------------------------------------------------ uncertainty

    def uncertainty(
        self,
        gate: str | None = None,
        *,
        samples: int = 10_000,
        rng: int | np.random.SeedSequence | np.random.Generator | None = None,
        workers: int | Any = None,
        quantiles: Sequence[float] = ftuncertainty.QUANTILES,
    ) -> ftuncertainty.Uncertainty:
        """Return the distribution of ``gate``'s probability over the parameters' uncertainty.

        Each trial draws every deviate of the model once (a shared parameter is one draw for
        all its basic events) and computes the gate's probability exactly on the compiled BDD;
        the trials are evaluated together (:mod:`portfolios.ftuncertainty`).

        Parameters
        ----------
        gate : str, optional
        samples : int
        rng : int, SeedSequence or Generator, optional
            Seeds the trials (chunks get child seeds: the result does not depend on
            ``workers``). None (the default): fresh entropy, recorded in the result's ``seed``.
        workers : int or map-like callable, optional
            SciPy's convention: processes (``-1``: every core) or a ``map``.
        quantiles : sequence of float
            The levels to report (any more with :meth:`Uncertainty.quantile
            <portfolios.uncertainty.Uncertainty.quantile>`).

        Returns
        -------
        Uncertainty
            The portfolios' result type, with ``targets == (gate,)``, the deviates as
            ``parameters`` and their sensitivity table.
        """
        top = self._top(gate)
        return ftuncertainty.propagate(
            self._uncertainty_task(top),
            gate=top,
            point=self.probability(top),
            samples=samples,
            rng=rng,
            workers=1 if workers is None else workers,
            quantiles=quantiles,
        )

    def _uncertainty_task(self, top: str) -> ftuncertainty._Task:
        """Return what a chunk of :meth:`uncertainty`'s trials needs to evaluate ``top``."""
        c = self._compile([top])
        p = self._quantified(c.order, "an uncertainty analysis")
        model = self.model
        event_node = dict(model.basic_events) if model is not None else {}
        groups: list[Any] = []
        group_index: dict[str, int] = {}
        for g in self.ccf_groups.values():
            dist, factors = (None, ())
            if model is not None and g.name in model.ccf_groups:
                dist, factors = model.ccf_groups[g.name]
            levels = tuple(lv for lv, _ in g.factors)
            f_nodes = tuple(factors) if factors else tuple(-1 for _ in g.factors)
            group_index[g.name] = len(groups)
            groups.append(
                (
                    g.model,
                    len(g.members),
                    dist,
                    f_nodes,
                    levels,
                    g.probability,
                    tuple(v for _, v in g.factors),
                )
            )
        ccf_of_label = {
            label: (g.name, len(members))
            for g in self.ccf_groups.values()
            for label, members, _ in g.events()
        }
        sources: list[tuple[Any, ...]] = []
        places: list[tuple[str | None, int | None]] = []
        for e, q in zip(c.order, p.tolist(), strict=True):
            event = self.events[e]
            if event.kind == "ccf":
                name, k = ccf_of_label[event.id]
                sources.append(("ccf", group_index[name], k))
            elif event.id in event_node:
                sources.append(("node", event_node[event.id]))
            else:
                sources.append(("const", q))
            where = model.where.get(event.id) if model is not None else None
            places.append(where if where is not None else (self.file, None))
        return ftuncertainty._Task(
            diagram=c.compiled.diagram,
            root=c.compiled.diagram.roots[0],
            program=model.program if model is not None else mefexpr.Program(),
            sources=tuple(sources),
            groups=tuple(groups),
            labels=tuple(self.events[e].label for e in c.order),
            places=tuple(places),
        )


def _choose_alignment(alignments: Mapping[str, Any], name: str | None, file: str | None) -> str:
    """Return ``name``, or the model's one alignment when None; refuse an unknown one."""
    if not alignments:
        raise PortfolioError(file, "the model defines no alignment (define-alignment)")
    if name is None:
        if len(alignments) != 1:
            raise PortfolioError(
                file,
                f"the model has {len(alignments)} alignments ({', '.join(alignments)}); name "
                "one with alignment=",
            )
        return next(iter(alignments))
    if name not in alignments:
        raise UnknownIdError(None, f"unknown alignment {name!r}{did_you_mean(name, alignments)}")
    return name


def _union_probability(sets: Sequence[frozenset[Event]], p: Mapping[Event, float]) -> float:
    """Return the exact probability of the union of ``sets`` (independent events; BDD)."""
    events = sorted({e for s in sets for e in s}, key=lambda e: e.label)
    if any(math.isnan(p[e]) for e in events):
        return math.nan
    name = {e: f"e{i}" for i, e in enumerate(events)}
    terms = tuple(
        ("and", tuple(("basic-event", name[e]) for e in s)) if s else ("constant", True)
        for s in sets
    )
    union = FaultTree(
        name="union",
        gates={"union": ("or", terms or (("constant", False),))},
        basic_events={name[e]: p[e] for e in events},
    )
    return union.probability("union")


def _check_order(max_order: int | None) -> None:
    if max_order is not None and (
        isinstance(max_order, bool) or not isinstance(max_order, int) or max_order < 1
    ):
        raise PortfolioError(
            None, f"max_order must be a positive integer or None, got {max_order!r}"
        )
