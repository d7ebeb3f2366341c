r"""Event trees: initiating events, functional events, sequences, and their exact analysis.

Definitions
-----------
An *initiating event* (optionally with a frequency) starts an *event tree*. The tree declares
its *functional events* in an order, its *sequences* (end states; their names are global, as
in SCRAM: any tree may end in any sequence) and named *branches*, and has an *initial state*.
A *branch* is a list of instructions followed by a target: a *fork* on a functional event (one
*path* per state, each path a branch; the states of a fork are distinct), a *sequence* or a
named branch. Along every path the forks follow the declared order of the functional events.

The *instructions* (Open-PSA MEF, section "event tree layer"):

=========================  ======================================================================
instruction                effect on the path being walked
=========================  ======================================================================
``CollectFormula(f)``      the path's formula becomes ``formula AND f``; the fault-tree gates in
                           ``f`` are evaluated with the house events as set on the path so far
``CollectExpression(e)``   the path's value is multiplied by the expression ``e``
``SetHouseEvent(h, v)``    house event ``h`` is ``v`` in the formulas collected after it on
                           this path (and on the paths below it)
``IfThenElse(c, a, b)``    ``a`` if the expression ``c`` is not 0, else ``b`` (optional)
``Block(...)``             the instructions in order
``Rule(name)``             the instructions of the rule ``name`` (rules are global)
``Link(tree)``             (in a sequence) the path continues into the initial state of ``tree``;
                           the sequence itself is not an end state then
=========================  ======================================================================

Expressions (:mod:`portfolios.mefexpr`) may test where the path is: ``test-initiating-event``
(1 if the walk started from that initiating event) and ``test-functional-event`` (1 if the fork
on that functional event took that state on the path; 0 if it has not been forked on).

Analysis (exact)
----------------
For each initiating event, every path of its tree (through links) is walked as SCRAM does
(``src/event_tree_analysis.cc``): a sequence reached by the paths :math:`\pi_1, \dots, \pi_m`
is, in a tree that collects formulas, the formula

.. math:: S = \bigvee_j \bigwedge_{f \in \pi_j} f,

whose probability is computed exactly on one BDD (:meth:`FaultTree.solve
<portfolios.faulttree.FaultTree.solve>`; non-coherent formulas such as a collected ``not`` are
exact too); a path that collects no formula is ``true``. In a tree that collects expressions,
the sequence's probability is :math:`\sum_j \prod_{e \in \pi_j} e` (an empty product is 1).
As in SCRAM, a tree (with the trees it links to) may not collect both kinds (the result would
have no exact meaning), and there is no automatic complement: a success branch collects
``not X`` only if the model says so. The *frequency* of a sequence is the initiating event's
frequency times its probability.

Differences from SCRAM: SCRAM drops a path that collects nothing when other paths of the same
sequence collect something (here it is ``true``, or the factor 1); a sum of expressions above
1 is refused here; a link must be the last effect of a sequence here (SCRAM ignores the
instructions after it). Validation (before any walk) refuses undefined trees, sequences,
branches, functional events, rules and house events, cycles among branches, rules and links,
a fork out of the declared order or twice on one functional event, duplicate path states,
links outside sequences, and trees collecting both formulas and expressions.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

import numpy as np

from . import _html, ftuncertainty, mefexpr
from ._table import text_table
from .cutsets import CutSets
from .errors import ComputationLimitError, PortfolioError, UnknownIdError, did_you_mean
from .faulttree import (
    _ARGS_AT,
    _NARY,
    FaultTree,
    Formula,
    TreeSolution,
    _children,
    _choose_alignment,
)

__all__ = [
    "MAX_PATHS",
    "Block",
    "Branch",
    "BranchRef",
    "CollectExpression",
    "CollectFormula",
    "Consequence",
    "ConsequenceGroup",
    "ConsequenceResult",
    "EventTest",
    "EventTree",
    "EventTreeAnalysis",
    "EventTreeModel",
    "ExpressionNode",
    "Fork",
    "IfThenElse",
    "InitiatingEvent",
    "InitiatingEventGroup",
    "Link",
    "Origin",
    "Path",
    "Rule",
    "SequenceDefinition",
    "SequenceEnd",
    "SequencePhase",
    "SequencePhases",
    "SequenceResult",
    "SetHouseEvent",
]

#: Largest number of paths walked for one initiating event (named branches shared by many
#: forks can make the paths exponentially many); more is a ComputationLimitError.
MAX_PATHS = 1_000_000


@dataclass(frozen=True)
class Origin:
    """Where a definition or instruction was read: file, line, element and name."""

    file: str | None = None
    line: int | None = None
    element: str | None = None
    name: str | None = None

    def error(self, problem: str, cls: type[PortfolioError] = PortfolioError) -> PortfolioError:
        """Return an error placed here."""
        return cls(self.file, problem, section=self.element, entry=self.name, line=self.line)

    def __str__(self) -> str:
        where = self.file or "<model>"
        return where if self.line is None else f"{where}, line {self.line}"


_NOWHERE = Origin()


@dataclass(frozen=True)
class ExpressionNode:
    """An expression compiled into the ``program`` of an :class:`EventTreeModel` (its index)."""

    index: int


#: An expression: a constant or a compiled node.
Expression = float | ExpressionNode


@dataclass(frozen=True)
class EventTest:
    """A ``test-initiating-event`` (``state`` None) or ``test-functional-event`` node."""

    kind: str
    name: str
    state: str | None = None


@dataclass(frozen=True)
class SetHouseEvent:
    """Set house event ``name`` to ``state`` for the formulas collected after it."""

    name: str
    state: bool
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class CollectFormula:
    """AND ``formula`` (a :data:`~portfolios.faulttree.Formula`) into the path's formula."""

    formula: Formula
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class CollectExpression:
    """Multiply the path's value by ``expression``."""

    expression: Expression
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class IfThenElse:
    """Run ``then`` if ``condition`` is not 0, else ``otherwise`` (if any)."""

    condition: Expression
    then: Instruction
    otherwise: Instruction | None = None
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Block:
    """Run ``instructions`` in order."""

    instructions: tuple[Instruction, ...]
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Rule:
    """Run the instructions of the (global) rule ``name``."""

    name: str
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Link:
    """Continue the path into the initial state of ``event_tree`` (in a sequence only)."""

    event_tree: str
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)


#: An instruction.
Instruction = SetHouseEvent | CollectFormula | CollectExpression | IfThenElse | Block | Rule | Link


@dataclass(frozen=True)
class SequenceEnd:
    """The end of a branch in sequence ``name``."""

    name: str
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class BranchRef:
    """The end of a branch in the named branch ``name`` of the same tree."""

    name: str
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Path:
    """One state of a fork and the branch that follows it."""

    state: str
    branch: Branch
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Fork:
    """A fork on ``functional_event``: one path per state."""

    functional_event: str
    paths: tuple[Path, ...]
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Branch:
    """Instructions, then a fork, a sequence or a named branch."""

    instructions: tuple[Instruction, ...]
    target: Fork | SequenceEnd | BranchRef


@dataclass(frozen=True)
class EventTree:
    """An event tree (module docstring)."""

    name: str
    functional_events: tuple[str, ...]
    sequences: tuple[str, ...]
    branches: Mapping[str, Branch]
    initial_state: Branch
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class SequenceDefinition:
    """A sequence: its name and the instructions run when a path ends in it."""

    name: str
    instructions: tuple[Instruction, ...] = ()
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class InitiatingEvent:
    """An initiating event: its event tree (optional) and frequency (optional)."""

    name: str
    event_tree: str | None = None
    frequency: Expression | None = None
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class InitiatingEventGroup:
    """A named group of initiating events and groups: a tree for several initiating events.

    ``members`` are ``("event" | "group", name)`` pairs. A member without an event tree of its
    own takes the group's (the nearest group's that names one); an initiating event is used in
    one tree only, so a member whose own tree, or another group's, differs is refused.
    ``<test-initiating-event name=G>`` of a group is true for each of its members.
    """

    name: str
    members: tuple[tuple[str, str], ...]
    event_tree: str | None = None
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Consequence:
    """A named end state: a sequence reached from an initiating event."""

    name: str
    initiating_event: str
    sequence: str
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class ConsequenceGroup:
    """A named group of consequences and groups (``("consequence" | "group", name)``)."""

    name: str
    members: tuple[tuple[str, str], ...]
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class SequenceResult:
    """The exact result of one sequence reached from one initiating event.

    Attributes
    ----------
    initiating_event, sequence : str
    probability : float
        Its probability given the initiating event.
    frequency : float or None
        The initiating event's frequency times ``probability`` (None: the initiating event
        has no frequency).
    paths : int
        The paths of the walk that end in it.
    kind : {"formula", "expression"}
        What the walk collected.
    gate : str or None
        The gate of its formula (kind "formula") in the ``fault_tree`` of the
        :class:`EventTreeAnalysis`.
    """

    initiating_event: str
    sequence: str
    probability: float
    frequency: float | None
    paths: int
    kind: str
    gate: str | None = None

    def __repr__(self) -> str:
        freq = "" if self.frequency is None else f", frequency {self.frequency:.6g}"
        return (
            f"SequenceResult({self.initiating_event} -> {self.sequence}: P = "
            f"{self.probability:.6g}{freq}; {self.paths} path{'s' * (self.paths != 1)}, "
            f"{self.kind})"
        )

    def _repr_html_(self) -> str:
        """Return the HTML table Jupyter shows."""
        items = [
            ("initiating event", self.initiating_event),
            ("sequence", self.sequence),
            ("P", _fmt(self.probability)),
            ("frequency", _fmt(self.frequency)),
            ("paths", str(self.paths)),
            ("kind", self.kind),
        ]
        return _html.document("Sequence (exact)", _html.pairs(items))


@dataclass(frozen=True)
class ConsequenceResult:
    """The frequency of a consequence or a group of consequences.

    Attributes
    ----------
    name : str
    kind : {"consequence", "group"}
    members : tuple of (str, str)
        The (initiating event, sequence) pairs it bins, each once.
    probability : float or None
        A consequence's probability given its initiating event (None for a group).
    frequency : float or None
        The sum of the members' frequencies (None if an initiating event has none).
    """

    name: str
    kind: str
    members: tuple[tuple[str, str], ...]
    probability: float | None
    frequency: float | None

    def __repr__(self) -> str:
        return (
            f"ConsequenceResult({self.kind} {self.name!r}: frequency {_fmt(self.frequency)}, "
            f"{len(self.members)} sequence{'s' * (len(self.members) != 1)})"
        )


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.6g}"


@dataclass(frozen=True, eq=False)
class EventTreeAnalysis:
    """The sequences of every initiating event, exact (module docstring).

    Attributes
    ----------
    sequences : tuple of SequenceResult
        By initiating event (in definition order), then sequence (in definition order).
    fault_tree : FaultTree
        The model's fault tree with one gate per formula sequence (and the gates cloned
        under the house-event settings of the paths): ask it for cut sets, importance.
    solution : TreeSolution or None
        The BDD that gave the formula sequences' probabilities (None if there is none).
    model : EventTreeModel or None
        The model analysed.
    """

    sequences: tuple[SequenceResult, ...]
    fault_tree: FaultTree = field(repr=False)
    solution: TreeSolution | None = field(default=None, repr=False)
    model: EventTreeModel | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.sequences)

    def __iter__(self) -> Iterator[SequenceResult]:
        return iter(self.sequences)

    def get(self, sequence: str, initiating_event: str | None = None) -> SequenceResult:
        """Return the result of ``sequence`` (from ``initiating_event``, needed if several)."""
        found = [
            r
            for r in self.sequences
            if r.sequence == sequence
            and (initiating_event is None or r.initiating_event == initiating_event)
        ]
        if not found:
            names = [r.sequence for r in self.sequences]
            raise UnknownIdError(
                None, f"no result for sequence {sequence!r}{did_you_mean(sequence, names)}"
            )
        if len(found) > 1:
            raise PortfolioError(
                None,
                f"sequence {sequence!r} is reached from several initiating events "
                f"({', '.join(r.initiating_event for r in found)}): name one",
            )
        return found[0]

    def probabilities(self) -> dict[tuple[str, str], float]:
        """Return ``{(initiating event, sequence): probability}``."""
        return {(r.initiating_event, r.sequence): r.probability for r in self.sequences}

    def minimal_cut_sets(
        self, sequence: str, initiating_event: str | None = None, **options: Any
    ) -> CutSets:
        """Return the minimal cut sets (prime implicants if non-coherent) of a sequence.

        ``options`` go to :meth:`FaultTree.minimal_cut_sets
        <portfolios.faulttree.FaultTree.minimal_cut_sets>` (``max_order``, ``cutoff``,
        ``limit``). Only a sequence of kind "formula" has them.
        """
        r = self.get(sequence, initiating_event)
        if r.gate is None:
            raise PortfolioError(
                None,
                f"sequence {sequence!r} collects expressions, not formulas: it has no cut sets",
            )
        return self.fault_tree.minimal_cut_sets(r.gate, **options)

    def uncertainty(
        self,
        sequence: str,
        initiating_event: str | None = None,
        *,
        frequency: bool = True,
        samples: int = 10_000,
        rng: int | np.random.SeedSequence | np.random.Generator | None = None,
        workers: int | Any = None,
        quantiles: Sequence[float] = ftuncertainty.QUANTILES,
    ) -> ftuncertainty.Uncertainty:
        """Return the distribution of a formula sequence's frequency (or probability).

        Each trial draws every deviate of the model once, the initiating event's frequency
        and the basic events' probabilities alike (a parameter they share is one draw: the
        state-of-knowledge correlation), and multiplies the frequency by the sequence's exact
        probability (:meth:`FaultTree.uncertainty
        <portfolios.faulttree.FaultTree.uncertainty>`, whose options these are). With
        ``frequency=False``, or when the initiating event has no frequency, the probability
        given the initiating event is sampled.

        Raises
        ------
        PortfolioError
            For a sequence collecting expressions, a frequency that tests the path, or a
            frequency compiled into another program than the fault tree's.

        Examples
        --------
        >>> T = FaultTree(name="ft", gates={"pump": ("or", (("basic-event", "P"),))},
        ...               basic_events={"P": 0.1})
        >>> fork = Fork("Pump", (
        ...     Path("ok", Branch((CollectFormula(("not", (("gate", "pump"),))),),
        ...                       SequenceEnd("Safe"))),
        ...     Path("fails", Branch((CollectFormula(("gate", "pump")),), SequenceEnd("Melt"))),
        ... ))
        >>> tree = EventTree("LOCA-tree", ("Pump",), ("Safe", "Melt"), {}, Branch((), fork))
        >>> M = EventTreeModel(T, [InitiatingEvent("LOCA", "LOCA-tree", 0.01)], [tree],
        ...                    [SequenceDefinition("Safe"), SequenceDefinition("Melt")])
        >>> u = M.analyse().uncertainty("Melt", samples=100, rng=1)
        >>> u.quantity, round(u.mean, 12), round(u.std, 12)  # no deviate: a point mass
        ('frequency(LOCA -> Melt)', 0.001, 0.0)
        """
        r = self.get(sequence, initiating_event)
        if r.gate is None:
            raise PortfolioError(
                None,
                f"sequence {r.sequence!r} collects expressions, not formulas: its uncertainty "
                "is not sampled (uncertainty is for formula sequences)",
            )
        tree = self.fault_tree
        task = tree._uncertainty_task(r.gate)
        model = self.model
        ie = model.initiating_events[r.initiating_event] if model is not None else None
        freq = ie.frequency if ie is not None and frequency else None
        quantity = f"P({r.sequence} | {r.initiating_event})"
        point: float | None = r.probability
        if model is not None and ie is not None and freq is not None:
            place = (ie.origin.file, ie.origin.line, r.initiating_event)
            if isinstance(freq, ExpressionNode):
                if tree.model is None or tree.model.program is not model.program:
                    raise ie.origin.error(
                        "the frequency is compiled into another program than the fault "
                        "tree's: it cannot be sampled with the basic events"
                    )
                if model._tests_under(freq.index):
                    raise ie.origin.error("a frequency that tests the path is not sampled")
                task = replace(task, factor=freq.index, factor_place=place)
            else:
                task = replace(task, scale=float(freq))
            quantity = f"frequency({r.initiating_event} -> {r.sequence})"
            point = r.frequency
        return ftuncertainty.propagate(
            task,
            gate=r.gate,
            point=float(point if point is not None else math.nan),
            samples=samples,
            rng=rng,
            workers=1 if workers is None else workers,
            quantiles=quantiles,
            quantity=quantity,
        )

    def consequences(self) -> tuple[ConsequenceResult, ...]:
        """Return the frequency of every consequence, then of every consequence group.

        A group's frequency is the sum over the distinct (initiating event, sequence) pairs of
        its consequences (subgroups included) of their frequencies; a pair no path reaches
        counts 0.
        """
        model = self.model
        if model is None:
            return ()
        found = {(r.initiating_event, r.sequence): r for r in self.sequences}
        out = []
        for kind, names in (
            ("consequence", model.consequences),
            ("group", model.consequence_groups),
        ):
            for name in names:
                pairs = model.consequence_members(name)
                freqs: list[float | None] = []
                for pair in pairs:
                    r = found.get(pair)
                    ie = model.initiating_events[pair[0]]
                    if ie.frequency is None:
                        freqs.append(None)
                    else:
                        freqs.append(r.frequency if r is not None else 0.0)
                probability = None
                if kind == "consequence":
                    r = found.get(pairs[0])
                    probability = r.probability if r is not None else 0.0
                out.append(ConsequenceResult(name, kind, pairs, probability, _sum_or_none(freqs)))
        return tuple(out)

    def _rows(self) -> list[list[str]]:
        return [
            [
                r.initiating_event,
                r.sequence,
                _fmt(r.probability),
                _fmt(r.frequency),
                str(r.paths),
                r.kind,
            ]
            for r in self.sequences
        ]

    _HEAD = ("initiating event", "sequence", "P", "frequency", "paths", "kind")

    def __repr__(self) -> str:
        lines = [f"EventTreeAnalysis({len(self.sequences)} sequences)"]
        rows = [[f"{r[0]} -> {r[1]}", *r[2:]] for r in self._rows()]
        if rows:
            head = ["initiating event -> sequence", *self._HEAD[2:]]
            lines += [f"  {x}" for x in text_table(head, rows, [10, 12, 6, 10])]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """Return the HTML table Jupyter shows."""
        title = f"Event tree analysis: {len(self.sequences)} sequences (exact)"
        return _html.document(title, _html.table(list(self._HEAD), self._rows(), "llrrrl"))


@dataclass(frozen=True, eq=False)
class SequencePhase:
    """The sequences in one phase of an alignment (:meth:`EventTreeModel.phases`).

    Attributes
    ----------
    phase : str
    time_fraction : float
    mission_time : float or None
        The phase's mission time (None when the model was not read from MEF).
    house_events : mapping of str to bool
        The phase's ``set-house-event`` instructions (the paths' own start from them).
    analysis : EventTreeAnalysis
        The sequences as drawn.
    probabilities : mapping of (str, str) to float
        ``{(initiating event, sequence): P}``: the analysis's, or with the substitutions
        applied to the formula sequences (``SequencePhases.substituted``).
    frequencies : mapping of (str, str) to float or None
        The initiating event's frequency in the phase times ``probabilities``.
    """

    phase: str
    time_fraction: float
    mission_time: float | None
    house_events: Mapping[str, bool]
    analysis: EventTreeAnalysis
    probabilities: Mapping[tuple[str, str], float]
    frequencies: Mapping[tuple[str, str], float | None]

    def __repr__(self) -> str:
        return (
            f"SequencePhase({self.phase!r}, time fraction {self.time_fraction:g}; "
            f"{len(self.analysis)} sequences)"
        )


@dataclass(frozen=True, eq=False)
class SequencePhases:
    """The sequences in each phase of an alignment, and their time-weighted means.

    Attributes
    ----------
    alignment : str
    phases : tuple of SequencePhase
    time_average : mapping of (str, str) to float
        ``{(initiating event, sequence): sum over the phases of time fraction x P}`` (a
        sequence a phase does not reach counts 0 there).
    frequency_average : mapping of (str, str) to float or None
        The same mean of the frequencies (None where the initiating event has none).
    substituted : bool
        Whether the model's substitutions were applied to the formula sequences.
    """

    alignment: str
    phases: tuple[SequencePhase, ...]
    time_average: Mapping[tuple[str, str], float]
    frequency_average: Mapping[tuple[str, str], float | None]
    substituted: bool = False

    def rows(self) -> list[list[str]]:
        """Return one row per sequence: its name, P in each phase, the time-weighted mean."""
        by_phase = [p.probabilities for p in self.phases]
        return [
            [f"{ie} -> {seq}", *(_fmt(d.get((ie, seq), 0.0)) for d in by_phase), _fmt(mean)]
            for (ie, seq), mean in self.time_average.items()
        ]

    def _head(self) -> list[str]:
        return ["initiating event -> sequence", *(p.phase for p in self.phases), "mean"]

    def __repr__(self) -> str:
        fractions = ", ".join(f"{p.phase} {p.time_fraction:g}" for p in self.phases)
        how = ", with substitutions" if self.substituted else ""
        lines = [f"SequencePhases({self.alignment!r}: {fractions}; P and time-weighted mean{how})"]
        head = self._head()
        lines += [f"  {x}" for x in text_table(head, self.rows(), [10] * (len(head) - 1))]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """Return the HTML table Jupyter shows."""
        head = self._head()
        title = f"Alignment {self.alignment}: sequences in each phase (exact)"
        return _html.document(title, _html.table(head, self.rows(), "l" + "r" * (len(head) - 1)))


# --------------------------------------------------------------------------- the model

_LEAVES = ("gate", "basic-event", "house-event", "constant")


def _rebuild(f: Formula, args: tuple[Formula, ...]) -> Formula:
    if f[0] in _NARY:
        return (f[0], args)
    return (*f[: _ARGS_AT[f[0]]], args)


def _map_leaves(f: Formula, leaf: Callable[[Formula], Formula]) -> Formula:
    """Return ``f`` with every leaf ``x`` replaced by ``leaf(x)`` (an explicit stack)."""
    out: list[Formula] = []
    work: list[tuple[bool, Formula]] = [(False, f)]
    while work:
        done, g = work.pop()
        if g[0] in _LEAVES:
            out.append(leaf(g))
            continue
        kids = _children(g)
        if done:
            args = tuple(out[len(out) - len(kids) :])
            del out[len(out) - len(kids) :]
            out.append(_rebuild(g, args))
        else:
            work.append((True, g))
            work.extend((False, k) for k in reversed(kids))
    return out[0]


def _leaves(f: Formula) -> Iterable[Formula]:
    stack = [f]
    while stack:
        g = stack.pop()
        if g[0] in _LEAVES:
            yield g
        stack.extend(_children(g))


def _sub_instructions(ins: Instruction) -> tuple[Instruction, ...]:
    if isinstance(ins, Block):
        return ins.instructions
    if isinstance(ins, IfThenElse):
        return (ins.then,) if ins.otherwise is None else (ins.then, ins.otherwise)
    return ()


def _find_cycle(graph: Mapping[str, Sequence[str]]) -> list[str] | None:
    """Return a cycle of ``graph`` (its nodes, the first repeated last) or None."""
    state: dict[str, int] = {}
    for start in graph:
        if start in state:
            continue
        state[start] = 1
        path = [start]
        iterators = [iter(graph.get(start, ()))]
        while iterators:
            child = next(iterators[-1], None)
            if child is None:
                state[path.pop()] = 2
                iterators.pop()
            elif state.get(child) == 1:
                return [*path[path.index(child) :], child]
            elif child not in state:
                state[child] = 1
                path.append(child)
                iterators.append(iter(graph.get(child, ())))
    return None


class EventTreeModel:
    """A fault tree with initiating events, event trees, sequences and rules.

    :func:`portfolios.mefeventtree.load` reads one from Open-PSA MEF files; the constructor
    validates it (module docstring), each error naming the file, line, element and name the
    parts were read from.

    Parameters
    ----------
    fault_tree : FaultTree
        The gates, basic events and house events the formulas refer to.
    initiating_events : sequence of InitiatingEvent
    event_trees : sequence of EventTree
    sequences : sequence of SequenceDefinition
        Every sequence of every tree (names are global).
    rules : mapping of str to tuple of Instruction, optional
    program : mefexpr.Program, optional
        The compiled expressions :class:`ExpressionNode` s refer to.
    tests : mapping of int to EventTest, optional
        The nodes of ``program`` that test the initiating event or a functional event.
    initiating_event_groups : sequence of InitiatingEventGroup, optional
        Members without a tree of their own take their group's.
    consequences, consequence_groups : sequence, optional
        Named (initiating event, sequence) pairs and groups of them:
        :meth:`EventTreeAnalysis.consequences` gives their frequencies.
    phase_models : mapping of str to sequence of EventTreeModel, optional
        For an alignment of ``fault_tree``, the model in each of its phases (in order): what
        :meth:`phases` analyses. By default each phase's model is this one on the phase's
        tree (its house events and basic events), with this model's expressions;
        :func:`portfolios.mefeventtree.load` gives the phases their own expressions (compiled
        with the phase's mission time).

    Examples
    --------
    A pump ``P`` fails on demand; the tree forks on it, collecting ``not P`` on success:

    >>> T = FaultTree(name="ft", gates={"pump": ("or", (("basic-event", "P"),))},
    ...               basic_events={"P": 0.1})
    >>> ok = CollectFormula(("not", (("gate", "pump"),)))
    >>> fork = Fork("Pump", (
    ...     Path("ok", Branch((ok,), SequenceEnd("Safe"))),
    ...     Path("fails", Branch((CollectFormula(("gate", "pump")),), SequenceEnd("Melt"))),
    ... ))
    >>> tree = EventTree("LOCA-tree", ("Pump",), ("Safe", "Melt"), {}, Branch((), fork))
    >>> M = EventTreeModel(T, [InitiatingEvent("LOCA", "LOCA-tree", 0.01)], [tree],
    ...                    [SequenceDefinition("Safe"), SequenceDefinition("Melt")])
    >>> for r in M.analyse():
    ...     print(r.sequence, round(r.probability, 12), round(r.frequency, 12))
    Safe 0.9 0.009
    Melt 0.1 0.001
    """

    def __init__(
        self,
        fault_tree: FaultTree,
        initiating_events: Sequence[InitiatingEvent],
        event_trees: Sequence[EventTree],
        sequences: Sequence[SequenceDefinition],
        rules: Mapping[str, tuple[Instruction, ...]] | None = None,
        program: mefexpr.Program | None = None,
        tests: Mapping[int, EventTest] | None = None,
        phase_models: Mapping[str, Sequence[EventTreeModel]] | None = None,
        *,
        initiating_event_groups: Sequence[InitiatingEventGroup] = (),
        consequences: Sequence[Consequence] = (),
        consequence_groups: Sequence[ConsequenceGroup] = (),
    ) -> None:
        self.fault_tree = fault_tree
        self.initiating_event_groups = MappingProxyType(
            _unique(initiating_event_groups, "initiating-event group")
        )
        given = _unique(initiating_events, "initiating event")
        #: The initiating events of each group, its subgroups' included.
        self.group_members: Mapping[str, frozenset[str]] = MappingProxyType(
            _group_members(self.initiating_event_groups, given)
        )
        self.initiating_events = MappingProxyType(
            _inherit_trees(given, self.initiating_event_groups)
        )
        self.consequences = MappingProxyType(_unique(consequences, "consequence"))
        self.consequence_groups = MappingProxyType(_unique(consequence_groups, "consequence group"))
        self.event_trees = MappingProxyType(_unique(event_trees, "event tree"))
        self.sequences = MappingProxyType(_unique(sequences, "sequence"))
        self.rules: Mapping[str, tuple[Instruction, ...]] = MappingProxyType(dict(rules or {}))
        self.program = program if program is not None else mefexpr.Program()
        self.tests: Mapping[int, EventTest] = MappingProxyType(dict(tests or {}))
        self._validate()
        self._check_consequences()
        self.phase_models: Mapping[str, tuple[EventTreeModel, ...]] = MappingProxyType(
            self._phase_models(phase_models or {})
        )

    def __repr__(self) -> str:
        return (
            f"EventTreeModel({len(self.initiating_events)} initiating events, "
            f"{len(self.event_trees)} event trees, {len(self.sequences)} sequences; "
            f"{self.fault_tree!r})"
        )

    # ------------------------------------------------------------------ validation

    def _validate(self) -> None:
        for ie in self.initiating_events.values():
            if ie.event_tree is not None and ie.event_tree not in self.event_trees:
                raise ie.origin.error(
                    f"undefined event tree {ie.event_tree!r}"
                    f"{did_you_mean(ie.event_tree, self.event_trees)}"
                )
        rule_graph: dict[str, list[str]] = {}
        places: dict[tuple[str, str], Origin] = {}  # (from, to) -> the reference
        for name, body in self.rules.items():
            rule_graph[name] = []
            for ins in self._instructions(body):
                self._check_instruction(ins)
                if isinstance(ins, Rule):
                    rule_graph[name].append(ins.name)
                    places.setdefault((name, ins.name), ins.origin)
        cycle = _find_cycle(rule_graph)
        if cycle:
            raise places[cycle[-2], cycle[-1]].error(f"rules form a cycle: {' -> '.join(cycle)}")
        for seq in self.sequences.values():
            for ins in self._instructions(seq.instructions):
                self._check_instruction(ins)
        link_graph: dict[str, list[str]] = {}
        links: dict[tuple[str, str], Origin] = {}
        for tree in self.event_trees.values():
            self._check_tree(tree)
            link_graph[tree.name] = []
            for s in self._ends(tree):
                for ins in self._instructions(self.sequences[s].instructions, rules=True):
                    if isinstance(ins, Link):
                        link_graph[tree.name].append(ins.event_tree)
                        links.setdefault((tree.name, ins.event_tree), ins.origin)
        cycle = _find_cycle(link_graph)
        if cycle:
            raise links[cycle[-2], cycle[-1]].error(
                f"event-tree links form a cycle: {' -> '.join(cycle)}"
            )
        self._check_collections(link_graph)

    def _check_collections(self, link_graph: Mapping[str, Sequence[str]]) -> None:
        """Refuse a tree (with the trees it links to) collecting formulas and expressions."""
        own: dict[str, list[Origin | None]] = {}
        for tree in self.event_trees.values():
            bodies = [b.instructions for b in self._branches_of(tree)]
            bodies += [self.sequences[s].instructions for s in self._ends(tree)]
            found: list[Origin | None] = [None, None]  # first formula, first expression
            for body in bodies:
                for ins in self._instructions(body, rules=True):
                    if isinstance(ins, CollectFormula) and found[0] is None:
                        found[0] = ins.origin
                    if isinstance(ins, CollectExpression) and found[1] is None:
                        found[1] = ins.origin
            own[tree.name] = found
        for name in self.event_trees:  # with the trees it reaches through links (no cycle)
            found = list(own[name])
            stack, seen = list(link_graph[name]), {name}
            while stack:
                other = stack.pop()
                if other not in seen:
                    seen.add(other)
                    found = [f or g for f, g in zip(found, own[other], strict=True)]
                    stack.extend(link_graph[other])
            formula, expression = found
            if formula is not None and expression is not None:
                raise expression.error(
                    f"event tree {name!r} collects both formulas (first at {formula}) and "
                    "expressions (first here): a sequence is either a formula or a product "
                    "of expressions (SCRAM refuses the mix too)"
                )

    def _instructions(
        self, body: Sequence[Instruction], *, rules: bool = False
    ) -> list[Instruction]:
        """Return the instructions of ``body`` and inside them (through rules if asked)."""
        out: list[Instruction] = []
        stack = list(reversed(body))
        seen: set[str] = set()
        while stack:
            ins = stack.pop()
            out.append(ins)
            stack.extend(reversed(_sub_instructions(ins)))
            if rules and isinstance(ins, Rule) and ins.name not in seen:
                seen.add(ins.name)
                stack.extend(reversed(self.rules[ins.name]))
        return out

    def _check_instruction(self, ins: Instruction) -> None:
        if isinstance(ins, Rule) and ins.name not in self.rules:
            raise ins.origin.error(
                f"undefined rule {ins.name!r}{did_you_mean(ins.name, self.rules)}"
            )
        if isinstance(ins, Link) and ins.event_tree not in self.event_trees:
            raise ins.origin.error(
                f"undefined event tree {ins.event_tree!r}"
                f"{did_you_mean(ins.event_tree, self.event_trees)}"
            )
        if isinstance(ins, SetHouseEvent) and ins.name not in self.fault_tree.house_events:
            raise ins.origin.error(
                f"undefined house event {ins.name!r}"
                f"{did_you_mean(ins.name, self.fault_tree.house_events)}"
            )
        if isinstance(ins, CollectFormula):
            kinds: dict[str, Mapping[str, Any]] = {
                "gate": self.fault_tree.gates,
                "basic-event": self.fault_tree.basic_events,
                "house-event": self.fault_tree.house_events,
            }
            for leaf in _leaves(ins.formula):
                if leaf[0] in kinds and leaf[1] not in kinds[leaf[0]]:
                    raise ins.origin.error(f"undefined {leaf[0]} {leaf[1]!r}")

    def _check_no_link(self, body: Sequence[Instruction], where: str) -> None:
        for ins in self._instructions(body, rules=True):
            if isinstance(ins, Link):
                raise ins.origin.error(
                    f"a link to event tree {ins.event_tree!r} in {where}: links end a path, "
                    "so they belong in a sequence's instructions"
                )

    def _branches_of(self, tree: EventTree) -> list[Branch]:
        """Every branch of ``tree``: the initial state, named branches and paths."""
        out: list[Branch] = []
        stack = [tree.initial_state, *tree.branches.values()]
        while stack:
            b = stack.pop()
            out.append(b)
            if isinstance(b.target, Fork):
                stack.extend(p.branch for p in b.target.paths)
        return out

    def _ends(self, tree: EventTree) -> list[str]:
        return list(
            dict.fromkeys(
                b.target.name for b in self._branches_of(tree) if isinstance(b.target, SequenceEnd)
            )
        )

    def _check_tree(self, tree: EventTree) -> None:
        order = {f: i for i, f in enumerate(tree.functional_events)}
        if len(order) != len(tree.functional_events):
            raise tree.origin.error("a functional event is declared twice")
        branch_graph: dict[str, list[str]] = {}
        for b in self._branches_of(tree):
            for ins in self._instructions(b.instructions):
                self._check_instruction(ins)
            self._check_no_link(b.instructions, f"a branch of event tree {tree.name!r}")
            t = b.target
            if isinstance(t, SequenceEnd) and t.name not in self.sequences:
                raise t.origin.error(
                    f"undefined sequence {t.name!r}{did_you_mean(t.name, self.sequences)}"
                )
            if isinstance(t, BranchRef) and t.name not in tree.branches:
                raise t.origin.error(
                    f"undefined branch {t.name!r} in event tree {tree.name!r}"
                    f"{did_you_mean(t.name, tree.branches)}"
                )
            if isinstance(t, Fork):
                if t.functional_event not in order:
                    raise t.origin.error(
                        f"undefined functional event {t.functional_event!r} in event tree "
                        f"{tree.name!r}{did_you_mean(t.functional_event, order)}"
                    )
                states = [p.state for p in t.paths]
                if not states:
                    raise t.origin.error("a fork needs at least one path")
                for p in t.paths:
                    if states.count(p.state) > 1:
                        raise p.origin.error(
                            f"state {p.state!r} appears twice in the fork on {t.functional_event!r}"
                        )
        for name, b in tree.branches.items():
            branch_graph[name] = self._refs(b)
        cycle = _find_cycle(branch_graph)
        if cycle:
            raise tree.origin.error(f"named branches form a cycle: {' -> '.join(cycle)}")
        # Forks follow the declared order, through named branches too.
        seen: set[tuple[int, int]] = set()
        starts = [(tree.initial_state, -1), *((b, -1) for b in tree.branches.values())]
        stack = list(starts)
        while stack:
            b, last = stack.pop()
            if (id(b), last) in seen:
                continue
            seen.add((id(b), last))
            t = b.target
            if isinstance(t, Fork):
                k = order[t.functional_event]
                if k <= last:
                    previous = tree.functional_events[last]
                    problem = (
                        f"a second fork on functional event {t.functional_event!r} on one path"
                        if k == last
                        else f"the fork on {t.functional_event!r} comes after a fork on "
                        f"{previous!r}, against the declared order "
                        f"({', '.join(tree.functional_events)})"
                    )
                    raise t.origin.error(problem)
                stack.extend((p.branch, k) for p in t.paths)
            elif isinstance(t, BranchRef):
                stack.append((tree.branches[t.name], last))

    @staticmethod
    def _refs(b: Branch) -> list[str]:
        out, stack = [], [b]
        while stack:
            x = stack.pop()
            if isinstance(x.target, BranchRef):
                out.append(x.target.name)
            elif isinstance(x.target, Fork):
                stack.extend(p.branch for p in x.target.paths)
        return out

    # ------------------------------------------------------------------ analysis

    def analyse(self) -> EventTreeAnalysis:
        """Return the exact probability and frequency of every sequence (module docstring)."""
        return _Analysis(self).run()

    def _check_consequences(self) -> None:
        for c in self.consequences.values():
            ie = self.initiating_events.get(c.initiating_event)
            if ie is None:
                raise c.origin.error(
                    f"undefined initiating event {c.initiating_event!r}"
                    f"{did_you_mean(c.initiating_event, self.initiating_events)}"
                )
            if c.sequence not in self.sequences:
                raise c.origin.error(
                    f"undefined sequence {c.sequence!r}{did_you_mean(c.sequence, self.sequences)}"
                )
        graph: dict[str, list[str]] = {}
        for g in self.consequence_groups.values():
            if g.name in self.consequences:
                raise g.origin.error(
                    f"{g.name!r} is already a consequence "
                    f"({self.consequences[g.name].origin}): a group needs a name of its own"
                )
            graph[g.name] = []
            for kind, name in g.members:
                known = self.consequences if kind == "consequence" else self.consequence_groups
                if name not in known:
                    what = "consequence" if kind == "consequence" else "consequence group"
                    raise g.origin.error(f"undefined {what} {name!r}{did_you_mean(name, known)}")
                if kind == "group":
                    graph[g.name].append(name)
        cycle = _find_cycle(graph)
        if cycle:
            raise self.consequence_groups[cycle[0]].origin.error(
                f"consequence groups form a cycle: {' -> '.join(cycle)}"
            )

    def consequence_members(self, name: str) -> tuple[tuple[str, str], ...]:
        """Return the (initiating event, sequence) pairs of a consequence or group, each once."""
        if name in self.consequences:
            c = self.consequences[name]
            return ((c.initiating_event, c.sequence),)
        if name not in self.consequence_groups:
            known = [*self.consequences, *self.consequence_groups]
            raise UnknownIdError(
                None, f"unknown consequence or group {name!r}{did_you_mean(name, known)}"
            )
        out: dict[tuple[str, str], None] = {}
        stack = [name]
        while stack:
            g = self.consequence_groups[stack.pop()]
            for kind, member in reversed(g.members):
                if kind == "group":
                    stack.append(member)
                else:
                    c = self.consequences[member]
                    out[c.initiating_event, c.sequence] = None
        ies = {name: i for i, name in enumerate(self.initiating_events)}
        seqs = {name: i for i, name in enumerate(self.sequences)}
        return tuple(sorted(out, key=lambda pair: (ies[pair[0]], seqs[pair[1]])))

    def _tests_under(self, index: int) -> bool:
        """Whether the expression node ``index`` depends on a test of the path."""
        return not self.tests.keys().isdisjoint(_cone(self.program, index))

    def _phase_models(
        self, given: Mapping[str, Sequence[EventTreeModel]]
    ) -> dict[str, tuple[EventTreeModel, ...]]:
        out = {}
        for name, alignment in self.fault_tree.alignments.items():
            models = tuple(given.get(name, ()))
            if not models:
                models = tuple(self._on(p.tree) for p in alignment.phases)
            if len(models) != len(alignment.phases):
                raise PortfolioError(
                    self.fault_tree.file,
                    f"alignment {name!r} has {len(alignment.phases)} phases but "
                    f"{len(models)} phase models are given",
                )
            out[name] = models
        unknown = sorted(set(given) - set(out))
        if unknown:
            raise UnknownIdError(
                self.fault_tree.file, f"phase models for unknown alignments {unknown}"
            )
        return out

    def _on(self, tree: FaultTree) -> EventTreeModel:
        return EventTreeModel(
            tree,
            list(self.initiating_events.values()),
            list(self.event_trees.values()),
            list(self.sequences.values()),
            self.rules,
            self.program,
            self.tests,
            initiating_event_groups=list(self.initiating_event_groups.values()),
            consequences=list(self.consequences.values()),
            consequence_groups=list(self.consequence_groups.values()),
        )

    def phases(
        self, alignment: str | None = None, *, substitutions: bool = False
    ) -> SequencePhases:
        """Return the sequences in each phase of an alignment and their time-weighted means.

        Each phase is the model with the phase's house events set (the paths' own
        ``set-house-event`` start from them) and, read from MEF, the phase's mission time, as
        SCRAM analyses an event tree in each phase. ``alignment`` may be omitted when the
        model defines one. ``substitutions=True`` applies the model's substitutions to each
        formula sequence in each phase (:meth:`FaultTree.substitute
        <portfolios.faulttree.FaultTree.substitute>`).

        Examples
        --------
        >>> T = FaultTree(name="ft", gates={"pump": ("or", (("basic-event", "P"),
        ...                                                  ("house-event", "out")))},
        ...               basic_events={"P": 0.1}, house_events={"out": False})
        >>> from portfolios.alignment import Alignment, Phase
        >>> year = Alignment("year", (Phase("normal", 0.9, {}, T),
        ...     Phase("maintenance", 0.1, {"out": True},
        ...           T.with_options(house_events={"out": True}))))
        >>> fork = Fork("Pump", (
        ...     Path("ok", Branch((CollectFormula(("not", (("gate", "pump"),))),),
        ...                       SequenceEnd("Safe"))),
        ...     Path("fails", Branch((CollectFormula(("gate", "pump")),), SequenceEnd("Melt"))),
        ... ))
        >>> tree = EventTree("LOCA-tree", ("Pump",), ("Safe", "Melt"), {}, Branch((), fork))
        >>> M = EventTreeModel(T.with_options(alignments={"year": year}),
        ...                    [InitiatingEvent("LOCA", "LOCA-tree", 0.01)], [tree],
        ...                    [SequenceDefinition("Safe"), SequenceDefinition("Melt")])
        >>> R = M.phases()
        >>> {k: round(v, 12) for k, v in R.time_average.items()}  # Melt: 0.9 * 0.1 + 0.1 * 1
        {('LOCA', 'Safe'): 0.81, ('LOCA', 'Melt'): 0.19}
        """
        aligned = self.fault_tree.alignments
        alignment = _choose_alignment(aligned, alignment, self.fault_tree.file)
        phases = tuple(
            _phase(p, m, substitutions)
            for p, m in zip(aligned[alignment].phases, self.phase_models[alignment], strict=True)
        )
        keys: dict[tuple[str, str], None] = {}
        for ph in phases:
            keys.update(dict.fromkeys(ph.probabilities))
        average, frequency = {}, {}
        for key in keys:
            average[key] = math.fsum(
                f.time_fraction * f.probabilities.get(key, 0.0) for f in phases
            )
            frequency[key] = _sum_or_none(
                _times(ph.time_fraction, ph.frequencies.get(key, 0.0)) for ph in phases
            )
        return SequencePhases(
            alignment=alignment,
            phases=phases,
            time_average=MappingProxyType(average),
            frequency_average=MappingProxyType(frequency),
            substituted=substitutions,
        )


def _phase(p: Any, model: EventTreeModel, substitutions: bool) -> SequencePhase:
    """Return the sequences of ``model`` in phase ``p`` (substituted if asked)."""
    analysis = model.analyse()
    evaluator = _Analysis(model)
    rates: dict[str, float] = {}  # each initiating event's frequency in the phase, once
    probabilities, frequencies = {}, {}
    for r in analysis:
        key = (r.initiating_event, r.sequence)
        probability, frequency = r.probability, r.frequency
        if substitutions and r.gate is not None and analysis.fault_tree.substitutions:
            probability = analysis.fault_tree.substitute(r.gate).probability
            ie = model.initiating_events[r.initiating_event]
            if ie.frequency is not None:
                if ie.name not in rates:
                    rates[ie.name] = evaluator.value(ie.frequency, ie.name, {}, ie.origin)
                frequency = rates[ie.name] * probability
        probabilities[key], frequencies[key] = probability, frequency
    return SequencePhase(
        phase=p.name,
        time_fraction=p.time_fraction,
        mission_time=p.mission_time,
        house_events=MappingProxyType(dict(p.house_events)),
        analysis=analysis,
        probabilities=MappingProxyType(probabilities),
        frequencies=MappingProxyType(frequencies),
    )


def _cone(program: mefexpr.Program, index: int) -> set[int]:
    """Return the expression nodes under ``index`` (itself included)."""
    cone: set[int] = set()
    stack = [index]
    while stack:
        u = stack.pop()
        if u not in cone:
            cone.add(u)
            stack.extend(program.nodes[u][1])
    return cone


def _times(weight: float, x: float | None) -> float | None:
    return None if x is None else weight * x


def _sum_or_none(values: Iterable[float | None]) -> float | None:
    """Return the exact sum (``math.fsum``) of ``values``, None if any is None (unknown)."""
    known = list(values)
    return None if any(x is None for x in known) else math.fsum(x for x in known if x is not None)


def _group_members(
    groups: Mapping[str, InitiatingEventGroup], events: Mapping[str, InitiatingEvent]
) -> dict[str, frozenset[str]]:
    """Return each group's initiating events (its subgroups' included); refuse bad members."""
    graph: dict[str, list[str]] = {}
    for g in groups.values():
        if g.name in events:
            raise g.origin.error(f"{g.name!r} is already an initiating event")
        graph[g.name] = []
        for kind, m in g.members:
            if kind not in ("event", "group"):
                raise g.origin.error(f"member {m!r}: kind {kind!r} is not 'event' or 'group'")
            if m not in events and m not in groups:
                known = [*events, *groups]
                raise g.origin.error(
                    f"undefined initiating event or group {m!r}{did_you_mean(m, known)}"
                )
            if kind == "event" and m in groups:
                raise g.origin.error(
                    f"<initiating-event> {m!r} names a group: use <initiating-event-group "
                    f"name={m!r}/>"
                )
            if kind == "group" and m in events:
                raise g.origin.error(
                    f"<initiating-event-group> {m!r} names an initiating event: use "
                    f"<initiating-event name={m!r}/>"
                )
            if kind == "group":
                graph[g.name].append(m)
    cycle = _find_cycle(graph)
    if cycle:
        raise groups[cycle[0]].origin.error(
            f"initiating-event groups form a cycle: {' -> '.join(cycle)}"
        )
    out: dict[str, frozenset[str]] = {}
    for name in groups:  # a post-order with an explicit stack: groups nest to any depth
        stack = [name]
        while stack:
            top = stack[-1]
            if top in out:
                stack.pop()
                continue
            pending = [m for m in graph[top] if m not in out]
            if pending:
                stack.extend(pending)
                continue
            found: set[str] = set()
            for kind, m in groups[top].members:
                found |= out[m] if kind == "group" else {m}
            out[top] = frozenset(found)
            stack.pop()
    return out


def _inherit_trees(
    events: Mapping[str, InitiatingEvent], groups: Mapping[str, InitiatingEventGroup]
) -> dict[str, InitiatingEvent]:
    """Give each initiating event without a tree its group's; refuse two trees for one."""
    parent: dict[str, str] = {}  # member -> the group holding it (one per member)
    for g in groups.values():
        for _, m in g.members:
            if m in parent:
                raise g.origin.error(
                    f"{m!r} is already a member of group {parent[m]!r} (a member is in one "
                    "group; an initiating event is used in one tree)"
                )
            parent[m] = g.name
    out = dict(events)
    for name, ie in events.items():
        tree, holder = ie.event_tree, None
        up = parent.get(name)
        while up is not None:
            own = groups[up].event_tree
            if own is not None:
                if tree is None:
                    tree, holder = own, up
                elif own != tree:
                    where = f"group {holder!r}" if holder else "its own definition"
                    raise groups[up].origin.error(
                        f"initiating event {name!r} would be used in two trees: {tree!r} (from "
                        f"{where}) and {own!r} (group {up!r})"
                    )
            up = parent.get(up)
        if tree != ie.event_tree:
            out[name] = replace(ie, event_tree=tree)
    return out


def _unique(items: Sequence[Any], what: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for x in items:
        if x.name in out:
            raise x.origin.error(f"{what} {x.name!r} is already defined ({out[x.name].origin})")
        out[x.name] = x
    return out


@dataclass
class _State:
    """A path being walked."""

    formulas: list[Formula]
    expressions: list[float]
    house: dict[str, bool]
    context: dict[str, str]

    def copy(self) -> _State:
        return _State(
            list(self.formulas),
            list(self.expressions),
            dict(self.house),
            dict(self.context),
        )


class _Analysis:
    def __init__(self, model: EventTreeModel) -> None:
        self.model = model
        self.tree = model.fault_tree
        self.point: list[Any] | None = None
        self.gates: dict[str, Formula] = {}  # the cloned gates and the sequence gates
        self.clones: dict[tuple[str, tuple[tuple[str, bool], ...]], str] = {}
        self._houses: dict[str, frozenset[str]] = {}

    # ------------------------------------------------------------------ expressions

    def value(self, e: Expression, ie: str, context: Mapping[str, str], origin: Origin) -> float:
        if not isinstance(e, ExpressionNode):
            v = float(e)
        else:
            v = self._node(e.index, ie, context, origin)
        if not math.isfinite(v):
            raise origin.error(f"the expression's value {v!r} is not a finite number")
        return v

    def _node(self, index: int, ie: str, context: Mapping[str, str], origin: Origin) -> float:
        program, tests = self.model.program, self.model.tests
        if self.point is None:
            self.point = program.point()
        if not tests:
            return float(self.point[index])
        values: dict[int, Any] = {}
        for u in sorted(_cone(program, index)):
            op, args, _, _ = program.nodes[u]
            if u in tests:
                t = tests[u]
                if t.state is not None:
                    hit = context.get(t.name) == t.state
                else:
                    hit = ie == t.name or ie in self.model.group_members.get(t.name, ())
                values[u] = 1.0 if hit else 0.0
            elif any(a in values for a in args):
                if op not in mefexpr.OPERATIONS:
                    raise origin.error(f"<{op}> over a test of the path is not evaluated")
                a = [values.get(i, self.point[i]) for i in args]
                with np.errstate(all="ignore"):
                    values[u] = float(np.asarray(mefexpr.OPERATIONS[op][1](*a), float))
        return float(values.get(index, self.point[index]))

    # ------------------------------------------------------------------ house events

    def houses_under(self, gate: str) -> frozenset[str]:
        """Return the house events in ``gate``'s cone (memoized; an explicit post-order)."""
        if gate in self._houses:
            return self._houses[gate]
        gates = self.tree.gates
        stack: list[tuple[str, bool]] = [(gate, False)]
        while stack:
            g, done = stack.pop()
            if g in self._houses:
                continue
            subgates = [x[1] for x in _leaves(gates[g]) if x[0] == "gate"]
            if done:
                own = {x[1] for x in _leaves(gates[g]) if x[0] == "house-event"}
                for s in subgates:
                    own |= self._houses[s]
                self._houses[g] = frozenset(own)
            else:
                stack.append((g, True))
                stack.extend((s, False) for s in subgates if s not in self._houses)
        return self._houses[gate]

    def clone(self, formula: Formula, house: Mapping[str, bool]) -> Formula:
        """Return ``formula`` with the house events of ``house`` set (gates cloned)."""
        default = self.tree.house_events
        changed = {h: v for h, v in house.items() if v != default[h]}
        if not changed:
            return formula
        key = tuple(sorted(changed.items()))
        label = ", ".join(f"{h}={'true' if v else 'false'}" for h, v in key)

        def gate_name(g: str) -> str:
            return self.clones[g, key]

        def needs(g: str) -> bool:
            return not self.houses_under(g).isdisjoint(changed)

        def leaf(x: Formula) -> Formula:
            if x[0] == "house-event" and x[1] in changed:
                return ("constant", changed[x[1]])
            if x[0] == "gate" and needs(x[1]):
                return ("gate", gate_name(x[1]))
            return x

        roots = [x[1] for x in _leaves(formula) if x[0] == "gate" and needs(x[1])]
        stack = [(g, False) for g in roots]
        while stack:  # clone the gates under the formula, children first
            g, done = stack.pop()
            if (g, key) in self.clones and not done:
                continue
            if done:
                name = f"{g} [{label}]"
                while name in self.tree.gates or name in self.gates:
                    name += "'"
                self.clones[g, key] = name
                self.gates[name] = _map_leaves(self.tree.gates[g], leaf)
                continue
            self.clones[g, key] = ""  # in progress (gates form a DAG: no cycle)
            stack.append((g, True))
            for x in _leaves(self.tree.gates[g]):
                if x[0] == "gate" and needs(x[1]) and (x[1], key) not in self.clones:
                    stack.append((x[1], False))
        return _map_leaves(formula, leaf)

    # ------------------------------------------------------------------ the walk

    def run_instructions(
        self, body: Sequence[Instruction], state: _State, ie: str, *, in_sequence: bool = False
    ) -> Link | None:
        """Run ``body`` on the path ``state``; return the link it meets (in a sequence)."""
        stack = list(reversed(body))
        link: Link | None = None
        while stack:
            ins = stack.pop()
            if link is not None and not isinstance(ins, (Block, IfThenElse, Rule)):
                raise ins.origin.error(
                    f"an instruction after the link at {link.origin}: a link must be the last "
                    "effect of a sequence"
                )
            if isinstance(ins, SetHouseEvent):
                state.house[ins.name] = ins.state
            elif isinstance(ins, CollectFormula):
                state.formulas.append(self.clone(ins.formula, state.house))
            elif isinstance(ins, CollectExpression):
                state.expressions.append(self.value(ins.expression, ie, state.context, ins.origin))
            elif isinstance(ins, IfThenElse):
                if self.value(ins.condition, ie, state.context, ins.origin) != 0.0:
                    stack.append(ins.then)
                elif ins.otherwise is not None:
                    stack.append(ins.otherwise)
            elif isinstance(ins, Block):
                stack.extend(reversed(ins.instructions))
            elif isinstance(ins, Rule):
                stack.extend(reversed(self.model.rules[ins.name]))
            elif isinstance(ins, Link):
                assert in_sequence  # validated: links only in sequences
                link = ins
        return link

    def walk(self, ie: InitiatingEvent) -> dict[str, list[_State]]:
        """Return the paths ending in each sequence (an explicit stack: any depth)."""
        model = self.model
        ends: dict[str, list[_State]] = {}
        paths = 0
        assert ie.event_tree is not None
        first = model.event_trees[ie.event_tree]
        work: list[tuple[Branch, EventTree, _State]] = [
            (first.initial_state, first, _State([], [], {}, {}))
        ]
        while work:
            b, tree, state = work.pop()
            self.run_instructions(b.instructions, state, ie.name)
            t = b.target
            if isinstance(t, Fork):
                for p in reversed(t.paths):
                    s = state.copy()
                    s.context[t.functional_event] = p.state
                    work.append((p.branch, tree, s))
                continue
            if isinstance(t, BranchRef):
                work.append((tree.branches[t.name], tree, state))
                continue
            link = self.run_instructions(
                model.sequences[t.name].instructions, state, ie.name, in_sequence=True
            )
            if link is not None:  # the path goes on in the linked tree, its own states
                target = model.event_trees[link.event_tree]
                state.context = {}
                work.append((target.initial_state, target, state))
                continue
            paths += 1
            if paths > MAX_PATHS:
                raise ie.origin.error(
                    f"more than MAX_PATHS = {MAX_PATHS:,} paths in the walk of its event tree",
                    ComputationLimitError,
                )
            ends.setdefault(t.name, []).append(state)
        return ends

    def run(self) -> EventTreeAnalysis:
        model = self.model
        pending: list[tuple[InitiatingEvent, str, int, str, Any, float | None]] = []
        for ie in model.initiating_events.values():
            if ie.event_tree is None:
                continue
            frequency = None
            if ie.frequency is not None:
                frequency = self.value(ie.frequency, ie.name, {}, ie.origin)
                if frequency < 0:
                    raise ie.origin.error(f"the frequency {frequency!r} is negative")
            ends = self.walk(ie)
            states = [s for paths in ends.values() for s in paths]
            expression_kind = any(s.expressions for s in states)  # never mixed (validated)
            for name in model.sequences:
                if name not in ends:
                    continue
                paths = ends[name]
                if expression_kind:
                    total = math.fsum(math.prod(s.expressions) for s in paths)
                    if not (0.0 <= total <= 1.0 + 1e-12):
                        raise model.sequences[name].origin.error(
                            f"the collected expressions of its {len(paths)} paths from "
                            f"initiating event {ie.name!r} sum to {total:.12g}, not a probability"
                        )
                    pending.append((ie, name, len(paths), "expression", min(total, 1.0), frequency))
                    continue
                terms = tuple(
                    ("constant", True)
                    if not s.formulas
                    else s.formulas[0]
                    if len(s.formulas) == 1
                    else ("and", tuple(s.formulas))
                    for s in paths
                )
                gate = f"{ie.name} -> {name}"
                while gate in self.tree.gates or gate in self.gates:
                    gate += "'"
                self.gates[gate] = terms[0] if len(terms) == 1 else ("or", terms)
                pending.append((ie, name, len(paths), "formula", gate, frequency))
        tree = (
            self.tree.with_options(gates={**self.tree.gates, **self.gates})
            if self.gates
            else (self.tree)
        )
        formula_gates = [g for _, _, _, kind, g, _ in pending if kind == "formula"]
        solution = tree.solve(formula_gates) if formula_gates else None
        results = []
        for ie, name, n, kind, x, frequency in pending:
            p = solution.probabilities[x] if kind == "formula" and solution else float(x)
            results.append(
                SequenceResult(
                    initiating_event=ie.name,
                    sequence=name,
                    probability=p,
                    frequency=None if frequency is None else frequency * p,
                    paths=n,
                    kind=kind,
                    gate=x if kind == "formula" else None,
                )
            )
        return EventTreeAnalysis(tuple(results), tree, solution, model)
