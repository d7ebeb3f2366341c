r"""Open-PSA MEF substitutions: delete terms, recovery rules and exchange events.

Definitions
-----------
A *substitution* (``<define-substitution>``) has a *hypothesis* ``H`` (a basic event, or an
``and``, ``or`` or ``atleast`` of distinct basic events), an optional *source* (distinct basic
events) and a *target* (a basic event, or a Boolean constant). Two kinds, as in SCRAM (whose
semantics and checks these are):

*declarative* (no source)
    a rewriting of the model: the function analysed for gate ``g`` becomes
    ``g AND (NOT H OR T)`` over every declarative substitution, ``T`` its target (``NOT H``
    for the constant ``false``). "Delete terms" with ``H = atleast 2 of (A, B, C)`` and target
    ``false`` makes ``A``, ``B``, ``C`` mutually exclusive; "recovery rule" with ``H = A and
    B`` and target ``R`` keeps ``A and B`` only with the recovery failure ``R``. The
    probability is exact (BDD), of the rewritten function.
*non-declarative* (a source)
    applied to the minimal cut sets: each cut set that contains ``H`` (every event of an
    ``and``, one event of an ``or``: the original cut set is tested against every
    substitution) loses the source events and gains the target (none for the constant
    ``true``); the results are minimised. An "exchange event" replaces one event of ``H`` by
    the target, a non-declarative recovery rule replaces all of ``H``.

The cut sets of a rewritten (non-coherent) function are its *minimal true points*: the
minimal sets of events whose occurrence, the other events not occurring, fails the gate
(SCRAM's products without prime implicants; for a coherent function, the minimal cut sets).

Probability. Without non-declarative substitutions, ``SubstitutionSolution.probability``
is the exact probability of the rewritten function. With them the function is no longer
defined (only its cut sets are): the probability is then that of the union of the substituted
cut sets, exact (events independent), and SCRAM's approximations from the same cut sets are
given too: the rare-event sum (capped at 1, as SCRAM reports it) and the min-cut upper bound
``1 - prod (1 - P(K))``.

Validation (SCRAM's, with its messages in plain words): hypothesis and source events are
distinct basic events; a declarative hypothesis is ``and``, ``or``, ``atleast`` or a single
event and its target is not ``true`` (no effect); a non-declarative hypothesis is ``and``,
``or`` or a single event, its target is not ``false`` (then the source is irrelevant), and
none of its events is in a CCF group; among non-declarative substitutions no target is a
source (its own included) and no target or source is in another's hypothesis (so the order
of application does not matter). A declared ``type`` must be the deduced one: delete-terms
(declarative, target ``false``, ``H`` an ``and`` of two events or an ``atleast 2``),
recovery-rule (declarative with an ``and`` and an event target, or non-declarative with the
source equal to ``H``'s events) or exchange-event (non-declarative, one source event, in
``H``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import _html
from .cutsets import CutSet, CutSets
from .errors import PortfolioError
from .structure import Event

__all__ = [
    "CONNECTIVES",
    "SUBSTITUTION_TYPES",
    "Substitution",
    "SubstitutionSolution",
    "apply_to_cut_sets",
    "check_substitutions",
    "solution",
]

#: The traditional types a ``type=`` attribute may declare.
SUBSTITUTION_TYPES = ("delete-terms", "recovery-rule", "exchange-event")
#: The hypothesis connectives (``null``: a single event).
CONNECTIVES = ("null", "and", "or", "atleast")


@dataclass(frozen=True)
class Substitution:
    """One ``<define-substitution>`` (module docstring).

    Parameters
    ----------
    name : str
    connective : {"null", "and", "or", "atleast"}
        The hypothesis' connective (``null``: one event).
    hypothesis : tuple of str
        The basic events of the hypothesis.
    source : tuple of str
        Empty for a declarative substitution.
    target : str or bool
        A basic event, or a constant.
    min : int, optional
        The ``atleast`` threshold.
    declared_type : str, optional
        The ``type=`` attribute (checked against :attr:`type`).
    file, line : optional
        Where it was read (for the errors).

    Examples
    --------
    >>> s = Substitution("ExclusiveValves", "and", ("V1", "V2"), target=False)
    >>> s.declarative, s.type, s.constraint
    (True, 'delete-terms', ('not', (('and', (('basic-event', 'V1'), ('basic-event', 'V2'))),)))
    >>> Substitution("X", "and", ("A", "B"), ("B",), "C").type
    'exchange-event'
    """

    name: str
    connective: str
    hypothesis: tuple[str, ...]
    source: tuple[str, ...] = ()
    target: str | bool = False
    min: int | None = None
    declared_type: str | None = None
    file: str | None = None
    line: int | None = None

    def error(self, problem: str, field: str | None = None) -> PortfolioError:
        """Return a :class:`PortfolioError` placed at this substitution."""
        return PortfolioError(
            self.file,
            problem,
            section="define-substitution",
            entry=self.name,
            field=field,
            line=self.line,
        )

    def __post_init__(self) -> None:
        if self.connective not in CONNECTIVES:
            raise self.error(
                f"the hypothesis must be a basic event or <and>, <or>, <atleast> of basic "
                f"events (coherent, not nested), got <{self.connective}>"
            )
        n = len(self.hypothesis)
        if n == 0 or (self.connective == "null" and n != 1):
            raise self.error("the hypothesis needs basic events")
        for what, events in (("hypothesis", self.hypothesis), ("source", self.source)):
            repeated = sorted({e for e in events if events.count(e) > 1})
            if repeated:
                raise self.error(f"{what} event {repeated[0]!r} appears twice", what)
        if self.connective == "atleast" and not (isinstance(self.min, int) and 1 <= self.min <= n):
            raise self.error(f"atleast min={self.min!r} must be between 1 and {n}", "hypothesis")
        if self.declarative:
            if self.target is True:
                raise self.error("the substitution has no effect (declarative, target true)")
        else:
            if self.connective == "atleast":
                raise self.error(
                    "a non-declarative hypothesis (with a source) is a basic event, <and> or "
                    "<or>, not <atleast>",
                    "hypothesis",
                )
            if self.target is False:
                raise self.error(
                    "the source is irrelevant with target false (make it declarative: a "
                    "delete-terms substitution without a source)",
                    "target",
                )
        if self.declared_type is not None:
            if self.declared_type not in SUBSTITUTION_TYPES:
                raise self.error(
                    f"unknown type {self.declared_type!r}; the types are "
                    f"{', '.join(SUBSTITUTION_TYPES)}",
                    "type",
                )
            if self.declared_type != self.type:
                raise self.error(
                    f"the declared type {self.declared_type!r} is not the deduced one "
                    f"({self.type or 'none of ' + ', '.join(SUBSTITUTION_TYPES)})",
                    "type",
                )

    @property
    def declarative(self) -> bool:
        """True without a source: a rewriting of the model, not of its cut sets."""
        return not self.source

    @property
    def type(self) -> str | None:
        """The deduced traditional type (None: a general substitution)."""
        c, h, s, t = self.connective, self.hypothesis, self.source, self.target
        if not s:
            if t is False:
                exclusive = (c == "and" and len(h) == 2) or (c == "atleast" and self.min == 2)
                return "delete-terms" if exclusive else None
            return "recovery-rule" if isinstance(t, str) and c == "and" else None
        if not isinstance(t, str) or c not in ("and", "null"):
            return None
        if len(s) == len(h) and set(s) <= set(h):
            return "recovery-rule"
        if len(s) == 1 and s[0] in h:
            return "exchange-event"
        return None

    @property
    def hypothesis_formula(self) -> tuple[Any, ...]:
        """The hypothesis as a :data:`~portfolios.faulttree.Formula`."""
        args = tuple(("basic-event", e) for e in self.hypothesis)
        if self.connective == "null":
            return args[0]
        if self.connective == "atleast":
            return ("atleast", self.min, args)
        return (self.connective, args)

    @property
    def constraint(self) -> tuple[Any, ...]:
        """``NOT H OR T`` (``NOT H`` for target false): the declarative rewriting's factor."""
        negated = ("not", (self.hypothesis_formula,))
        if isinstance(self.target, str):
            return ("or", (negated, ("basic-event", self.target)))
        return negated

    def events(self) -> tuple[str, ...]:
        """Every basic event it names: hypothesis, source, then target."""
        target = (self.target,) if isinstance(self.target, str) else ()
        return (*self.hypothesis, *self.source, *target)


def check_substitutions(
    substitutions: Sequence[Substitution],
    basic_events: Iterable[str],
    ccf_members: Iterable[str] = (),
) -> None:
    """Check substitutions against a model and each other (module docstring).

    Raises
    ------
    PortfolioError
        On an unknown or repeated name, an unknown basic event, a CCF member in a
        non-declarative substitution, or non-declarative substitutions whose order would
        matter.

    Examples
    --------
    >>> one = Substitution("R", "and", ("A", "B"), ("A", "B"), "C")
    >>> two = Substitution("X", "and", ("C", "D"), ("D",), "E")
    >>> try:
    ...     check_substitutions([one, two], "ABCDE")
    ... except PortfolioError as err:
    ...     print(err.problem)
    the target 'C' of a non-declarative substitution is in the hypothesis of 'X'
    """
    known, members = set(basic_events), set(ccf_members)
    seen: dict[str, Substitution] = {}
    for s in substitutions:
        if s.name in seen:
            where = seen[s.name].line
            raise s.error(f"the substitution is defined twice (first at line {where})")
        seen[s.name] = s
        for e in s.events():
            if e not in known:
                raise s.error(f"unknown basic event {e!r}")
        if not s.declarative:
            for e in s.events():
                if e in members:
                    raise s.error(
                        f"basic event {e!r} is in a CCF group: a non-declarative substitution "
                        "cannot name one"
                    )
    rewriting = [s for s in substitutions if not s.declarative]
    for s in rewriting:
        for other in rewriting:
            if isinstance(s.target, str) and s.target in other.source:
                whose = "its own source" if other is s else f"the source of {other.name!r}"
                raise s.error(
                    f"the target {s.target!r} of a non-declarative substitution is in {whose}"
                )
            if other is s:
                continue
            if isinstance(s.target, str) and s.target in other.hypothesis:
                raise s.error(
                    f"the target {s.target!r} of a non-declarative substitution is in the "
                    f"hypothesis of {other.name!r}"
                )
            shared = [e for e in s.source if e in other.hypothesis]
            if shared:
                raise s.error(
                    f"the source event {shared[0]!r} of a non-declarative substitution is in "
                    f"the hypothesis of {other.name!r}"
                )


def _minimal(sets: Iterable[frozenset[Event]]) -> list[frozenset[Event]]:
    kept: list[frozenset[Event]] = []
    for s in sorted(set(sets), key=len):
        if not any(k <= s for k in kept):
            kept.append(s)
    return kept


def apply_to_cut_sets(
    cut_sets: Iterable[frozenset[Event]], substitutions: Sequence[Substitution]
) -> list[frozenset[Event]]:
    """Apply non-declarative substitutions to cut sets; return the minimal results.

    Each cut set is tested against every substitution's hypothesis as it was; the sources of
    those that apply are removed and their targets added (module docstring).

    Examples
    --------
    >>> b = lambda *ids: frozenset(Event("basic", i) for i in ids)
    >>> swap = Substitution("S", "and", ("V1", "V2"), ("V2",), "V3")
    >>> out = apply_to_cut_sets([b("V1", "V2"), b("V1", "P2")], [swap])
    >>> sorted(sorted(e.id for e in s) for s in out)
    [['P2', 'V1'], ['V1', 'V3']]
    """
    rules = []
    for s in substitutions:
        if s.declarative:
            raise PortfolioError(
                s.file, f"{s.name!r} is declarative: it rewrites the model, not the cut sets"
            )
        groups = [s.hypothesis] if s.connective in ("and", "null") else [(e,) for e in s.hypothesis]
        target = {Event("basic", s.target)} if isinstance(s.target, str) else set()
        for group in groups:
            rules.append(
                ({Event("basic", e) for e in group}, {Event("basic", e) for e in s.source}, target)
            )
    out = []
    for cut in cut_sets:
        removed: set[Event] = set()
        added: set[Event] = set()
        for hypothesis, source, target in rules:
            if hypothesis <= cut:
                removed |= source
                added |= target
        out.append(frozenset((cut - removed) | added))
    return _minimal(out)


def _fmt(x: float) -> str:
    return "nan" if math.isnan(x) else f"{x:.6g}"


@dataclass(frozen=True)
class SubstitutionSolution:
    """A gate analysed with the model's substitutions (module docstring).

    Attributes
    ----------
    gate : str
    substitutions : tuple of str
        The substitutions applied (declarative ones first).
    cut_sets : CutSets
        The minimal true points of the rewritten function, substituted by the
        non-declarative substitutions; sorted by order, then decreasing probability.
    probability : float
        Exact: of the rewritten function when every substitution is declarative (``exact_of``
        is ``"function"``), else of the union of ``cut_sets`` (``"cut sets"``); nan
        without probabilities.
    exact_of : {"function", "cut sets"}
    rare_event : float
        The sum of the cut sets' probabilities, capped at 1 (SCRAM's rare-event value).
    mcub : float
        The min-cut upper bound ``1 - prod (1 - P(K))``.
    """

    gate: str
    substitutions: tuple[str, ...]
    cut_sets: CutSets
    probability: float
    exact_of: str
    rare_event: float
    mcub: float

    def __repr__(self) -> str:
        return (
            f"SubstitutionSolution({self.gate}: P = {_fmt(self.probability)} (exact, of the "
            f"{'rewritten function' if self.exact_of == 'function' else 'cut sets'}), rare "
            f"event {_fmt(self.rare_event)}, MCUB {_fmt(self.mcub)}; {len(self.cut_sets)} cut "
            f"sets; substitutions {', '.join(self.substitutions) or 'none'})"
        )

    def _repr_html_(self) -> str:
        """Return the HTML Jupyter shows: the numbers, then the cut sets."""
        rows = [
            ("gate", self.gate),
            (f"P (exact, {self.exact_of})", _fmt(self.probability)),
            ("rare event", _fmt(self.rare_event)),
            ("MCUB", _fmt(self.mcub)),
            ("substitutions", ", ".join(self.substitutions) or "none"),
        ]
        return _html.document("Substitutions", _html.pairs(rows), self.cut_sets._repr_html_())


def solution(
    gate: str,
    substitutions: Sequence[Substitution],
    sets: Sequence[frozenset[Event]],
    probability_of: Mapping[Event, float],
    exact: float,
    max_order: int | None,
) -> SubstitutionSolution:
    """Assemble a :class:`SubstitutionSolution` from the substituted cut sets ``sets``.

    ``exact`` is the probability of the rewritten function (every substitution declarative)
    or of the union of ``sets``; the cut sets' probabilities come from ``probability_of``.
    """
    rewriting = [s.name for s in substitutions if not s.declarative]
    found = []
    for s in sets:
        events = tuple(sorted(s, key=lambda e: e.label))
        found.append(CutSet(events, math.prod(probability_of[e] for e in events)))
    quantified = all(not math.isnan(c.probability) for c in found)
    found.sort(key=lambda c: (c.order, -c.probability if quantified else 0.0, c.labels))
    probabilities = [c.probability for c in found]
    rare = min(1.0, math.fsum(probabilities)) if quantified else math.nan
    mcub = 1.0 - math.prod(1.0 - p for p in probabilities) if quantified else math.nan
    declarative = [s.name for s in substitutions if s.declarative]
    return SubstitutionSolution(
        gate=gate,
        substitutions=(*declarative, *rewriting),
        cut_sets=CutSets((gate,), tuple(found), max_order),
        probability=exact,
        exact_of="cut sets" if rewriting else "function",
        rare_event=rare,
        mcub=mcub,
    )
