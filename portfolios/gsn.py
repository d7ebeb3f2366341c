r"""GSN safety cases in gsn2x YAML: read them, write them, and score them for correlated failure.

The file format
---------------
`gsn2x <https://github.com/jonasthewolf/gsn2x>`_ (MIT) draws Goal Structuring Notation
arguments (GSN Community Standard v3) from YAML. A document maps element ids to attributes; the
id prefix gives the element's type unless ``nodeType`` says it:

=========  ===================  ===================================================
prefix     ``nodeType``         element
=========  ===================  ===================================================
``G``      ``Goal``             a claim
``S``      ``Strategy``         an inference step joining claims
``Sn``     ``Solution``         evidence
``C``      ``Context``          a context
``A``      ``Assumption``       an assumption
``J``      ``Justification``    a justification
``CG``     ``CounterGoal``      a counter claim (dialectic extension)
``CSn``    ``CounterSolution``  counter evidence (dialectic extension)
=========  ===================  ===================================================

Attributes: ``text``, ``supportedBy`` and ``inContextOf`` (one id or a list of ids; a
comma-separated string is refused, as gsn2x's check C11 does), ``undeveloped`` (excludes
``supportedBy``), ``url``, ``classes``, the layout keys (``rankIncrement``, ``horizontalIndex``,
``charWrap``), ``acp``, and the dialectic keys ``challenges`` (an id, or a relation ``X -> Y``),
``defeated`` and ``defeatedRelation``. Every other string-keyed attribute is a *layer*: gsn2x
passes it through and shows it with ``-l NAME``. A top-level ``module:`` section (``name``,
``brief``, ``uses: [FILE, ...]``, anything else) makes the file a module; :func:`load` follows
``uses`` (relative to the using file) across files, and ids must be unique across the modules.
``extends: [{module: NAME, develops: {ID: [IDS]}}]`` develops an undeveloped element of another
loaded module with elements of this one (gsn2x's templates): ``ID`` is then supported by
``IDS``.
Reading keeps every attribute and every top-level key as read, so :func:`dump` writes back
everything, unknown keys included (``load(dump(A)) == A``).

Safety: the YAML is read with the same strict safe loader as portfolio files
(:mod:`portfolios.io`): plain data only, no tags that build objects, duplicate keys refused.

The meaning we give it (the contract)
-------------------------------------
Every goal, strategy, solution, assumption, justification and context has a *failure event*:
"this element's claim is unsupported". With layers (gsn2x layer values are strings; a number,
an interval ``[lo, hi]`` or a distribution ``{beta: [a, b]}`` of :mod:`portfolios.values` is
read from them; plain YAML numbers are accepted too):

- a goal or strategy fails when its own inference step is unsound (layer ``soundness_error``,
  default 0), when any assumption, justification or context in its ``inContextOf`` fails, or
  when its support fails. By default a decomposition is conjunctive: the support fails if any
  supporting element fails. The layer ``legs: independent`` (or ``combine: any``) makes the
  supporting elements alternative *legs*: the support fails only if every leg fails
  (multi-legged arguments; ``combine: all`` is the default);
- a goal or strategy without support (``undeveloped``, or simply without ``supportedBy``) fails
  with its layer ``p_fail``, which it must have;
- a solution fails with its ``p_fail`` (default 0), and when an element of its ``inContextOf``
  fails;
- an assumption fails with its ``p_fail`` (required), a justification or a context with its
  ``p_fail`` (default 0). Instead of a ``p_fail``, an element may depend on a latent world
  variable: ``depends_on: W`` with ``holds: q`` and ``fails: q``, its failure probability when
  ``W`` holds and when ``W`` fails. Latent variables are declared in the ``module:`` section
  under ``latent:`` (which gsn2x accepts as module information) or in a top-level ``latent:``
  section (which gsn2x itself would reject): ``W: {text: ..., p_fail: q}``; either may instead
  name a side file (relative to the module's file) holding that mapping.

The basic events (soundness errors, ``p_fail`` s, latent variables) are independent, and given
the latent variables the elements' own failures are independent. An element is one event
however many elements refer to it: a shared assumption in the context of two legs fails both,
which is where correlation comes from. The argument is compiled to a
:class:`~portfolios.faulttree.FaultTree` with one gate per element (named by its id; the
support of a multi-legged element is the gate ``legs(ID)``) and scored by its exact BDD engine.
An element depending on a latent variable is written as in :mod:`portfolios.structure`:
``X OR (W AND Y)`` with ``P(X) = holds`` and ``P(Y) = (fails - holds) / (1 - holds)`` when
``holds <= fails`` (``Y`` labelled ``ID|W``), else ``(W AND Y1) OR (NOT W AND Y0)``. A basic
event with probability 0 is left out (a house event set to false).

Dialectic: a counter goal or counter solution that ``challenges`` an element is a defeater and
is not scored itself. An element marked ``defeated: true`` is removed before scoring, and so is
every relation named in a ``defeatedRelation`` (the edge from the marking element to the named
one). A goal or strategy whose every supporting element was removed is unsupported (its support
fails for certain). A challenge alone changes no score (only ``defeated: true`` removes an
element), so a ``defeatedRelation`` naming what a counter element challenges (the challenge
itself defeated) changes none either; it is still listed. :attr:`Argument.removed` lists what
was removed: the defeated elements, ``ID (defeated)``, in file order, then the defeated
relations by id, ``A -> B (defeated relation)`` or ``CG -> X (defeated challenge of X)``
(``of X -> Y`` for a challenged relation).

Examples
--------
Two legs share the assumption ``A1``; the strategy joining them has a soundness error:

>>> from portfolios import gsn
>>> arg = gsn.parse({
...     "G1": {"text": "The system is safe", "supportedBy": ["S1"]},
...     "S1": {"text": "Two independent legs", "supportedBy": ["G2", "G3"],
...            "legs": "independent", "soundness_error": "0.1"},
...     "G2": {"text": "Testing", "supportedBy": "Sn1", "inContextOf": "A1"},
...     "G3": {"text": "Analysis", "supportedBy": "Sn2", "inContextOf": "A1"},
...     "Sn1": {"text": "Test report", "p_fail": "0.2"},
...     "Sn2": {"text": "Proof", "p_fail": "0.5"},
...     "A1": {"text": "The specification is right", "p_fail": "0.1"},
... })
>>> arg
Argument(<dict>: 7 elements (1 goal root G1), 1 multi-legged)
>>> round(arg.p_unsupported("G1"), 12)  # 1 - 0.9 * (1 - (0.1 + 0.9 * 0.2 * 0.5))
0.271
>>> d = arg.diversity("S1")  # legs fail with 0.28 and 0.55, together with 0.19
>>> round(d.p_all, 12), round(d.independent_product, 12), round(d.coincidence_ratio, 6)
(0.19, 0.154, 1.233766)
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import json
import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ._checks import check_value
from ._gsndoc import layer_text
from ._table import markdown_table
from .bounds import Bounds
from .cutsets import CutSets
from .errors import ComputationLimitError, PortfolioError, UnknownIdError
from .faulttree import FaultTree, Formula
from .importance import Importance
from .io import _read_text, _yaml_data
from .model import Assumption, Case, Conditional, Latent, Scenario
from .portfolio import Portfolio
from .scores import coincidence_ratio, effective_cases
from .values import Distribution, Interval, Param, Value
from .whatnext import Ranking, _ranking

__all__ = [
    "ATTRIBUTES",
    "EXAMPLE_PATH",
    "MAX_INTERVAL_LATENT",
    "TYPES",
    "Argument",
    "ArgumentScore",
    "Element",
    "LegDiversity",
    "dump",
    "dumps",
    "load",
    "parse",
]

#: The element types, by id prefix (longest prefix first, as gsn2x matches them).
TYPES: tuple[tuple[str, str], ...] = (
    ("CG", "CounterGoal"),
    ("G", "Goal"),
    ("CSn", "CounterSolution"),
    ("Sn", "Solution"),
    ("S", "Strategy"),
    ("C", "Context"),
    ("A", "Assumption"),
    ("J", "Justification"),
)
_NODE_TYPES = tuple(t for _, t in TYPES)
#: The attributes gsn2x knows; every other attribute of an element is a layer.
ATTRIBUTES = (
    "text",
    "supportedBy",
    "inContextOf",
    "undeveloped",
    "url",
    "classes",
    "nodeType",
    "rankIncrement",
    "horizontalIndex",
    "charWrap",
    "acp",
    "challenges",
    "defeated",
    "defeatedRelation",
)
#: The layers this module reads (the failure model).
MODEL_LAYERS = ("soundness_error", "p_fail", "legs", "combine", "depends_on", "holds", "fails")
#: Largest number of latent variables with interval probabilities :meth:`Argument.bounds`
#: takes (it evaluates the argument at every vertex of their box).
MAX_INTERVAL_LATENT = 12

_ARGUING = ("Goal", "Strategy")
_CONTEXTUAL = ("Assumption", "Justification", "Context")
_COUNTER = ("CounterGoal", "CounterSolution")
_SUPPORTERS = {
    "Goal": ("Goal", "Strategy", "Solution"),
    "Strategy": ("Goal", "Strategy", "Solution"),
    "CounterGoal": ("CounterGoal", "CounterSolution", "Goal", "Strategy", "Solution"),
}
_KIND_WORD = {
    "Goal": "goal",
    "Strategy": "strategy",
    "Solution": "solution",
    "Context": "context",
    "Assumption": "assumption",
    "Justification": "justification",
    "CounterGoal": "counter goal",
    "CounterSolution": "counter solution",
}


def _type_of(element_id: str) -> str | None:
    for prefix, kind in TYPES:
        if element_id.startswith(prefix):
            return kind
    return None


# --------------------------------------------------------------------------- elements


@dataclass(frozen=True)
class Element:
    """One GSN element as read (its links already checked).

    Attributes
    ----------
    id, type : str
        The id and the element type (``"Goal"``, ``"Strategy"``, ``"Solution"``,
        ``"Context"``, ``"Assumption"``, ``"Justification"``, ``"CounterGoal"``,
        ``"CounterSolution"``).
    text : str
        Its text (``""`` if none).
    supported_by, in_context_of : tuple of str
        Its links.
    undeveloped, defeated : bool
    defeated_relation : tuple of str
        The elements whose relation from this one is defeated.
    challenges : tuple of str
        ``()``, the challenged element ``(X,)``, or the challenged relation ``(X, Y)``.
    layers : mapping of str to object
        Every attribute gsn2x does not know, as read.
    module : str
        The module (file) it was read from.
    """

    id: str
    type: str
    text: str
    supported_by: tuple[str, ...]
    in_context_of: tuple[str, ...]
    undeveloped: bool
    defeated: bool
    defeated_relation: tuple[str, ...]
    challenges: tuple[str, ...]
    layers: Mapping[str, Any]
    module: str

    def __repr__(self) -> str:
        links = []
        if self.supported_by:
            links.append(f"supportedBy {', '.join(self.supported_by)}")
        if self.in_context_of:
            links.append(f"inContextOf {', '.join(self.in_context_of)}")
        if self.undeveloped:
            links.append("undeveloped")
        if self.defeated:
            links.append("defeated")
        layers = ", ".join(f"{k}={v!r}" for k, v in self.layers.items())
        return (
            f"Element({self.id}: {self.type}"
            + (f"; {'; '.join(links)}" if links else "")
            + (f"; {layers}" if layers else "")
            + ")"
        )


def _error(
    file: str | None, problem: str, element: str | None = None, kind: str | None = None, **kw: Any
) -> PortfolioError:
    section = None if element is None else _KIND_WORD.get(kind or "", "element")
    return PortfolioError(file, problem, section=section, entry=element, **kw)


def _ids(
    value: Any, file: str, element: str, kind: str, attribute: str, known: Mapping[str, Any]
) -> tuple[str, ...]:
    """Read one id or a list of ids (gsn2x's ``deser_string_or_seq_string``)."""
    if value is None:
        return ()
    if isinstance(value, str):
        if "," in value and value not in known:
            raise _error(
                file,
                f"{value!r} is one string; write a list of ids in brackets: "
                f"[{', '.join(p.strip() for p in value.split(','))}]",
                element,
                kind,
                field=attribute,
            )
        items = [value]
    elif isinstance(value, list):
        items = value
    else:
        raise _error(
            file, f"expected an id or a list of ids, got {value!r}", element, kind, field=attribute
        )
    seen: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise _error(
                file, f"expected an id (a string), got {item!r}", element, kind, field=attribute
            )
        if item in seen:
            raise _error(file, f"{item!r} is listed twice", element, kind, field=attribute)
        if item == element:
            raise _error(file, "an element cannot refer to itself", element, kind, field=attribute)
        seen.append(item)
    return tuple(seen)


def _flag(value: Any, file: str, element: str, kind: str, attribute: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise _error(file, f"expected true or false, got {value!r}", element, kind, field=attribute)
    return value


def _read_element(
    element_id: Any, raw: Any, module: str, file: str, everything: Mapping[str, Any]
) -> Element:
    if not isinstance(element_id, str):
        raise _error(file, f"an element id is a string, got {element_id!r}")
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise _error(file, f"expected a mapping of attributes, got {raw!r}", element_id)
    for key in raw:
        if not isinstance(key, str):
            raise _error(file, f"attribute names are strings (layers too), got {key!r}", element_id)
    declared = raw.get("nodeType")
    if declared is not None:
        if declared not in _NODE_TYPES:
            raise _error(
                file,
                f"unknown nodeType {declared!r}; expected one of {', '.join(_NODE_TYPES)}",
                element_id,
                field="nodeType",
            )
        kind = str(declared)
    else:
        prefix_kind = _type_of(element_id)
        if prefix_kind is None:
            raise _error(
                file,
                "the id starts with no known prefix (G, S, Sn, C, A, J, CG, CSn): give a nodeType",
                element_id,
                field="nodeType",
            )
        kind = prefix_kind
    text = raw.get("text", "")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise _error(file, f"expected a string, got {text!r}", element_id, kind, field="text")
    supported = _ids(raw.get("supportedBy"), file, element_id, kind, "supportedBy", everything)
    context = _ids(raw.get("inContextOf"), file, element_id, kind, "inContextOf", everything)
    undeveloped = _flag(raw.get("undeveloped"), file, element_id, kind, "undeveloped")
    if undeveloped and supported:
        raise _error(
            file,
            "an undeveloped element has no supportedBy (gsn2x check V03)",
            element_id,
            kind,
            field="undeveloped",
        )
    challenges: tuple[str, ...] = ()
    raw_challenge = raw.get("challenges")
    if raw_challenge is not None:
        if not isinstance(raw_challenge, str):
            raise _error(
                file,
                f"expected an id or a relation 'X -> Y', got {raw_challenge!r}",
                element_id,
                kind,
                field="challenges",
            )
        left, arrow, right = raw_challenge.partition("->")
        challenges = (left.strip(), right.strip()) if arrow else (raw_challenge,)
    return Element(
        id=element_id,
        type=kind,
        text=text,
        supported_by=supported,
        in_context_of=context,
        undeveloped=undeveloped,
        defeated=_flag(raw.get("defeated"), file, element_id, kind, "defeated"),
        defeated_relation=_ids(
            raw.get("defeatedRelation"), file, element_id, kind, "defeatedRelation", everything
        ),
        challenges=challenges,
        layers=MappingProxyType(
            {k: copy.deepcopy(v) for k, v in raw.items() if k not in ATTRIBUTES}
        ),
        module=module,
    )


def _check_links(elements: Mapping[str, Element], files: Mapping[str, str]) -> None:
    for e in elements.values():
        file = files[e.module]
        for attribute, targets in (
            ("supportedBy", e.supported_by),
            ("inContextOf", e.in_context_of),
            ("challenges", e.challenges),
            ("defeatedRelation", e.defeated_relation),
        ):
            for t in targets:
                if t not in elements:
                    raise _error(file, f"unknown element {t!r}", e.id, e.type, field=attribute)
        for t in e.supported_by:
            allowed = _SUPPORTERS.get(e.type, ())
            if elements[t].type not in allowed:
                raise _error(
                    file,
                    f"{_KIND_WORD[e.type]} cannot be supported by the "
                    f"{_KIND_WORD[elements[t].type]} {t!r} (gsn2x check V04)"
                    + (": use inContextOf" if elements[t].type in _CONTEXTUAL else ""),
                    e.id,
                    e.type,
                    field="supportedBy",
                )
        for t in e.in_context_of:
            if e.type in _CONTEXTUAL or elements[t].type not in _CONTEXTUAL:
                raise _error(
                    file,
                    f"{_KIND_WORD[e.type]} cannot be in the context of the "
                    f"{_KIND_WORD[elements[t].type]} {t!r} (gsn2x check V04)",
                    e.id,
                    e.type,
                    field="inContextOf",
                )
        if e.challenges and e.type not in _COUNTER:
            raise _error(
                file,
                "only a counter goal or counter solution challenges (gsn2x check V12)",
                e.id,
                e.type,
                field="challenges",
            )
        for t in e.defeated_relation:
            related = {*e.supported_by, *e.in_context_of, *e.challenges[:1]}
            if t not in related:
                raise _error(
                    file,
                    f"no relation to {t!r} to defeat (gsn2x check V13)",
                    e.id,
                    e.type,
                    field="defeatedRelation",
                )
    # cycles in supportedBy (gsn2x check C04)
    state: dict[str, int] = {}
    for start in elements:
        if start in state:
            continue
        path = [start]
        state[start] = 1
        iterators = [iter(elements[start].supported_by)]
        while iterators:
            child = next(iterators[-1], None)
            if child is None:
                state[path.pop()] = 2
                iterators.pop()
                continue
            if state.get(child) == 1:
                cycle = [*path[path.index(child) :], child]
                parent = path[-1]
                raise _error(
                    files[elements[parent].module],
                    f"supportedBy forms a cycle: {' -> '.join(cycle)} (gsn2x check C04)",
                    parent,
                    elements[parent].type,
                    field="supportedBy",
                )
            if child not in state:
                state[child] = 1
                path.append(child)
                iterators.append(iter(elements[child].supported_by))


# --------------------------------------------------------------------------- values


def _layer_value(raw: Any, file: str, element: Element | str, attribute: str) -> Value:
    """Read a probability from a layer: a number, or a string holding one or a value form."""
    eid, kind = (element.id, element.type) if isinstance(element, Element) else (element, None)
    section = "latent" if kind is None else _KIND_WORD[kind]
    data = raw
    if isinstance(raw, str):
        text = raw.strip()
        try:
            data = float(text)
        except ValueError:
            try:
                data = _yaml_data(text, file)
            except PortfolioError:
                data = raw
        if isinstance(data, str):
            raise PortfolioError(
                file,
                f"expected a probability (a number, an interval [lo, hi] or a distribution "
                f"such as {{beta: [a, b]}}), got {raw!r}",
                section=section,
                entry=eid,
                field=attribute,
            )
    try:
        value = check_value(data, section, eid, attribute)
    except PortfolioError as err:
        raise err.located(file) from None
    if isinstance(value, Param):
        raise PortfolioError(
            file,
            "shared parameters ({param: NAME}) are not read from GSN layers",
            section=section,
            entry=eid,
            field=attribute,
        )
    return value


def _point(value: Value, what: str) -> float:
    if isinstance(value, Interval):
        raise PortfolioError(
            None,
            f"{what} is an interval {value!r}: it has no point value; use "
            "Argument.bounds(node) for the tightest interval",
        )
    if isinstance(value, Distribution):
        return value.mean
    return float(value)  # type: ignore[arg-type]


@dataclass(frozen=True)
class _Unit:
    """A basic failure of the model: an element's ``p_fail`` or a soundness error."""

    label: str  # basic-event label: the element id, or soundness(ID)
    element: str
    attribute: str  # "p_fail" or "soundness_error" (or "holds"/"fails" for latent ones)
    value: Value | None  # None when latent-dependent
    latent: str | None = None
    holds: Value | None = None
    fails: Value | None = None

    def values(self) -> dict[str, Value]:
        """Return the probability values of the unit, keyed ``ID.attribute``."""
        if self.latent is None:
            assert self.value is not None
            return {f"{self.element}.{self.attribute}": self.value}
        assert self.holds is not None
        assert self.fails is not None
        return {f"{self.element}.holds": self.holds, f"{self.element}.fails": self.fails}


@dataclass(frozen=True)
class _Model:
    """The compiled failure model: every scored element's failure as units and links."""

    scored: tuple[str, ...]  # elements with a failure event, in file order
    own: Mapping[str, tuple[_Unit, ...]]  # soundness / p_fail units of each element
    context: Mapping[str, tuple[str, ...]]  # inContextOf after removal
    support: Mapping[str, tuple[str, ...]]  # supportedBy after removal
    lost_support: frozenset[str]  # elements whose every support was removed
    legged: frozenset[str]  # elements whose support is alternative legs
    latent: Mapping[str, Value]  # latent variable -> p_fail
    removed: tuple[str, ...]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class LegDiversity:
    """How independent the legs of a multi-legged goal or strategy are.

    Attributes
    ----------
    node : str
    legs : tuple of str
        Its supporting elements (the legs).
    p_legs : mapping of str to float
        Each leg's P(unsupported).
    p_all : float
        P(every leg fails), exact.
    independent_product : float
        The product of the legs' probabilities: ``p_all`` if they failed independently.
    coincidence_ratio : float or None
        ``p_all / independent_product`` (:func:`portfolios.scores.coincidence_ratio`).
    effective_legs : float or None
        ``log(p_all) / log(geometric mean of p_legs)``: the number of independent legs of the
        same average strength that would fail together as rarely
        (:func:`portfolios.scores.effective_cases`).
    p_unsupported : float
        P(the node is unsupported): ``p_all`` joined with the node's own soundness error and
        context.
    """

    node: str
    legs: tuple[str, ...]
    p_legs: Mapping[str, float]
    p_all: float
    independent_product: float
    coincidence_ratio: float | None
    effective_legs: float | None
    p_unsupported: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "p_legs", MappingProxyType(dict(self.p_legs)))

    def __repr__(self) -> str:
        def fmt(x: float | None, spec: str) -> str:
            return "undefined" if x is None else format(x, spec)

        return (
            f"LegDiversity({self.node}: legs {', '.join(self.legs)}; P(all fail) "
            f"{self.p_all:.4g}, independent {self.independent_product:.4g}, coincidence ratio "
            f"{fmt(self.coincidence_ratio, '.4g')}, effective legs "
            f"{fmt(self.effective_legs, '.3g')})"
        )


@dataclass(frozen=True)
class ArgumentScore:
    """The report of :meth:`Argument.score`: the roots, the multi-legged elements, cut sets.

    Attributes
    ----------
    title, file : str or None
    p_unsupported : mapping of str to float
        P(unsupported) of every root goal.
    legs : tuple of LegDiversity
        One per multi-legged element.
    cut_sets : mapping of str to CutSets
        The minimal cut sets of every root goal, up to ``max_order``.
    removed : tuple of str
        What the dialectic removed before scoring.
    risks : mapping of str to (float, float)
        ``(P(unsupported), max_risk)`` of every goal with a ``max_risk`` layer.
    """

    title: str | None
    file: str | None
    p_unsupported: Mapping[str, float]
    legs: tuple[LegDiversity, ...]
    cut_sets: Mapping[str, CutSets]
    removed: tuple[str, ...]
    risks: Mapping[str, tuple[float, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "p_unsupported", MappingProxyType(dict(self.p_unsupported)))
        object.__setattr__(self, "cut_sets", MappingProxyType(dict(self.cut_sets)))
        object.__setattr__(self, "risks", MappingProxyType(dict(self.risks)))

    def __repr__(self) -> str:
        roots = ", ".join(f"{r}: {p:.4g}" for r, p in self.p_unsupported.items())
        return (
            f"ArgumentScore({self.title or self.file}: P(unsupported) {roots}; "
            f"{len(self.legs)} multi-legged, {len(self.removed)} removed)"
        )

    @property
    def all_within_tolerance(self) -> bool:
        """True if every goal with a ``max_risk`` layer has P(unsupported) <= max_risk."""
        return all(p <= limit for p, limit in self.risks.values())

    def to_text(self, max_listed: int = 10) -> str:
        """Return the report as plain text."""
        lines = [f"GSN safety case: {self.title or self.file}"]
        if self.title and self.file:
            lines.append(f"file: {self.file}")
        for root, p in self.p_unsupported.items():
            cuts = self.cut_sets[root]
            lines += ["", f"goal {root}: P(unsupported) {p:.6g}"]
            spof = ", ".join(e.label for e in cuts.single_points_of_failure) or "none"
            lines.append(f"  single points of failure: {spof}")
            limit = "" if cuts.max_order is None else f" up to order {cuts.max_order}"
            lines.append(f"  minimal cut sets{limit} ({len(cuts)}), most probable first:")
            for c in cuts.cut_sets[:max_listed]:
                lines.append(f"    {{{', '.join(c.labels)}}}  p = {c.probability:.4g}")
            if len(cuts) > max_listed:
                lines.append(f"    ... {len(cuts) - max_listed} more")
        for d in self.legs:
            lines += [
                "",
                f"multi-legged {d.node}: P(unsupported) {d.p_unsupported:.6g}",
                f"  legs: {', '.join(f'{leg} ({p:.4g})' for leg, p in d.p_legs.items())}",
                f"  P(all legs fail) {d.p_all:.6g}; if independent {d.independent_product:.6g}",
                "  coincidence ratio "
                + ("undefined" if d.coincidence_ratio is None else f"{d.coincidence_ratio:.4g}")
                + "; effective legs "
                + ("undefined" if d.effective_legs is None else f"{d.effective_legs:.3g}"),
            ]
        if self.risks:
            lines += ["", "goals with a max_risk:"]
            for g, (p, cap) in self.risks.items():
                verdict = "within" if p <= cap else "OVER"
                lines.append(f"  {g}: P(unsupported) {p:.4g}, max_risk {cap:.4g}: {verdict}")
        if self.removed:
            lines += ["", "removed before scoring (dialectic):"]
            lines += [f"  {r}" for r in self.removed]
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        """Return the report as Markdown (tables of the roots and of the legs)."""
        lines = [f"# GSN safety case: {self.title or self.file}", ""]
        rows = [
            [
                root,
                f"{p:.6g}",
                ", ".join(e.label for e in self.cut_sets[root].single_points_of_failure) or "none",
            ]
            for root, p in self.p_unsupported.items()
        ]
        lines += markdown_table(["goal", "P(unsupported)", "single points of failure"], rows, "lrl")
        if self.legs:
            head = "multi-legged|legs|P(all fail)|independent|coincidence ratio|effective legs"
            rows = [
                [
                    d.node,
                    ", ".join(d.legs),
                    f"{d.p_all:.6g}",
                    f"{d.independent_product:.6g}",
                    "-" if d.coincidence_ratio is None else f"{d.coincidence_ratio:.4g}",
                    "-" if d.effective_legs is None else f"{d.effective_legs:.3g}",
                ]
                for d in self.legs
            ]
            lines += ["", *markdown_table(head.split("|"), rows, "llrrrr")]
        if self.removed:
            lines += ["", "Removed before scoring: " + "; ".join(self.removed)]
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """Return the report as a JSON document (``format``: ``knightian.portfolios.gsn/1``)."""

        def number(x: float | None) -> Any:
            if x is None or math.isnan(x):
                return None
            return "inf" if math.isinf(x) else x

        doc = {
            "format": "knightian.portfolios.gsn/1",
            "title": self.title,
            "file": self.file,
            "roots": [
                {
                    "id": root,
                    "p_unsupported": p,
                    "cut_sets": [
                        {"events": list(c.labels), "probability": number(c.probability)}
                        for c in self.cut_sets[root]
                    ],
                }
                for root, p in self.p_unsupported.items()
            ],
            "legs": [
                {
                    "node": d.node,
                    "legs": dict(d.p_legs),
                    "p_all": d.p_all,
                    "independent_product": d.independent_product,
                    "coincidence_ratio": number(d.coincidence_ratio),
                    "effective_legs": number(d.effective_legs),
                    "p_unsupported": d.p_unsupported,
                }
                for d in self.legs
            ],
            "removed": list(self.removed),
            "risks": [
                {"goal": g, "p_unsupported": p, "max_risk": limit, "within": p <= limit}
                for g, (p, limit) in self.risks.items()
            ],
        }
        return json.dumps(doc, indent=2, allow_nan=False)


# --------------------------------------------------------------------------- the argument


@dataclass(frozen=True, eq=False)
class Argument:
    """A GSN argument: its modules as read, the elements, and the failure model on top.

    Build one with :func:`load` (a file, following ``module.uses``) or :func:`parse` (plain
    data). Two arguments are equal when their documents are (the files they were read from do
    not count): ``load(dump(A)) == A``.

    Attributes
    ----------
    documents : tuple of (str, mapping)
        Each module's name (its path relative to the first module's folder; the first module's
        file name for the first) and its document as read, the first module first.
    file : str or None
        The file the first module was read from (``"<dict>"`` for :func:`parse`).
    """

    documents: tuple[tuple[str, Any], ...]
    file: str | None = field(default=None, compare=False)
    files: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "documents", copy.deepcopy(tuple(self.documents)))
        files = {name: self.files.get(name, name) for name, _ in self.documents}
        object.__setattr__(self, "files", MappingProxyType(files))
        self.elements  # noqa: B018 - read and check the links now

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Argument):
            return NotImplemented
        # the first module's name is its file name: where it was read from does not count
        return [d for _, d in self.documents] == [d for _, d in other.documents] and (
            self.modules[1:] == other.modules[1:]
        )

    __hash__ = None  # type: ignore[assignment]

    # ------------------------------------------------------------------ reading

    @cached_property
    def elements(self) -> Mapping[str, Element]:
        """Every element of every module, by id, in file order."""
        everything: dict[str, Any] = {}
        for _, doc in self.documents:
            everything.update(doc)
        out: dict[str, Element] = {}
        for name, doc in self.documents:
            file = self.files[name]
            for key, raw in doc.items():
                if key in ("module", "latent"):
                    continue
                if key in out:
                    raise _error(
                        file,
                        f"the id is defined in two modules: {out[key].module!r} and {name!r} "
                        "(gsn2x check C07)",
                        key,
                    )
                out[key] = _read_element(key, raw, name, file, everything)
        self._extend(out)
        _check_links(out, self.files)
        return MappingProxyType(out)

    def _extend(self, elements: dict[str, Element]) -> None:
        """Apply ``module.extends``: an undeveloped element of another module developed here."""
        names: dict[str, str] = {}
        for name, doc in self.documents:
            info = doc.get("module")
            if isinstance(info, Mapping) and isinstance(info.get("name"), str):
                names[info["name"]] = name
        for name, doc in self.documents:
            info = doc.get("module")
            extends = info.get("extends") if isinstance(info, Mapping) else None
            if extends is None:
                continue
            file = self.files[name]
            if not isinstance(extends, list):
                extends = [extends]
            for item in extends:
                if not isinstance(item, Mapping) or not isinstance(item.get("develops"), Mapping):
                    raise PortfolioError(
                        file,
                        f"expected {{module: NAME, develops: {{ID: [IDS]}}}}, got {item!r}",
                        section="module",
                        field="extends",
                    )
                target = item.get("module")
                if target not in names:
                    raise PortfolioError(
                        file,
                        f"extends the module {target!r}, which is not loaded: add its file to "
                        "module.uses (gsn2x check C09)",
                        section="module",
                        field="extends",
                    )
                for x, raw_ids in item["develops"].items():
                    e = elements.get(x)
                    if e is None or e.module != names[target] or not e.undeveloped:
                        raise PortfolioError(
                            file,
                            f"{x!r} is not an undeveloped element of the module {target!r} "
                            "(gsn2x check C10)",
                            section="module",
                            field="extends",
                        )
                    ids = _ids(raw_ids, file, x, e.type, "extends", elements)
                    for i in ids:
                        if i not in elements or elements[i].module != name:
                            raise PortfolioError(
                                file,
                                f"{i!r} is not an element of this module (gsn2x check V07)",
                                section="module",
                                field="extends",
                            )
                    elements[x] = dataclasses.replace(
                        e, supported_by=ids, undeveloped=False, module=e.module
                    )

    @property
    def removed(self) -> tuple[str, ...]:
        """What the dialectic removed before scoring (defeated elements and relations)."""
        return self.model.removed

    @property
    def modules(self) -> tuple[str, ...]:
        """The modules' names, the first module first."""
        return tuple(name for name, _ in self.documents)

    @property
    def title(self) -> str | None:
        """The first module's ``module.name`` (or None)."""
        info = self.documents[0][1].get("module") if self.documents else None
        name = info.get("name") if isinstance(info, Mapping) else None
        return name if isinstance(name, str) else None

    @cached_property
    def roots(self) -> tuple[str, ...]:
        """The elements no other element refers to (counter elements left out)."""
        referenced = {
            t for e in self.elements.values() for t in (*e.supported_by, *e.in_context_of)
        }
        return tuple(
            i for i, e in self.elements.items() if i not in referenced and e.type not in _COUNTER
        )

    @property
    def root(self) -> str:
        """The single root goal; an error if there is not exactly one."""
        goals = [r for r in self.roots if self.elements[r].type == "Goal"]
        if len(goals) != 1:
            raise PortfolioError(
                self.file,
                f"the argument has {len(goals)} root goals ({', '.join(goals) or 'none'}); "
                "name the node",
            )
        return goals[0]

    def __repr__(self) -> str:
        goals = [r for r in self.roots if self.elements[r].type == "Goal"]
        root = f"{len(goals)} goal root{'s' if len(goals) != 1 else ''} {', '.join(goals)}"
        legged = sum(1 for e in self.elements.values() if _legged_layer(e))
        modules = f", {len(self.documents)} modules" if len(self.documents) > 1 else ""
        return (
            f"Argument({self.title or self.file}: {len(self.elements)} elements ({root})"
            f"{modules}, {legged} multi-legged)"
        )

    # ------------------------------------------------------------------ the model

    def _file(self, element: str) -> str:
        return self.files[self.elements[element].module]

    @cached_property
    def _latent_raw(self) -> dict[str, tuple[str, Any]]:
        """Latent variables: id -> (file, raw entry), from module.latent and latent."""
        out: dict[str, tuple[str, Any]] = {}
        for name, doc in self.documents:
            file = self.files[name]
            info = doc.get("module")
            sections = [doc.get("latent")]
            if isinstance(info, Mapping):
                sections.append(info.get("latent"))
            for section in sections:
                if section is None:
                    continue
                if isinstance(section, str):  # a side file, relative to the module's file
                    side = Path(file).parent / section
                    section = _read_document(side)
                    file = str(side)
                if not isinstance(section, Mapping):
                    raise PortfolioError(
                        file,
                        f"expected a mapping of latent variables, got {section!r}",
                        section="latent",
                    )
                for key, raw in section.items():
                    if not isinstance(key, str) or key in out or key in self.elements:
                        raise PortfolioError(
                            file,
                            "a latent variable's id must be a string, unique, and not an "
                            "element id",
                            section="latent",
                            entry=str(key),
                        )
                    out[key] = (file, raw)
        return out

    @cached_property
    def model(self) -> _Model:
        """The failure model (the layers read and checked; errors name the element)."""
        latent: dict[str, Value] = {}
        for key, (file, raw) in self._latent_raw.items():
            p = raw.get("p_fail") if isinstance(raw, Mapping) else raw
            if p is None:
                raise PortfolioError(
                    file, "missing p_fail", section="latent", entry=key, field="p_fail"
                )
            latent[key] = _layer_value(p, file, key, "p_fail")
        defeated = {i for i, e in self.elements.items() if e.defeated}
        removed = [f"{i} (defeated)" for i in self.elements if i in defeated]
        cut = {(e.id, t) for e in self.elements.values() for t in e.defeated_relation}
        for a, b in sorted(cut):
            e = self.elements[a]
            if b in e.supported_by or b in e.in_context_of:
                removed.append(f"{a} -> {b} (defeated relation)")
            else:  # the challenge of a counter element (checked when read): no effect on scores
                removed.append(f"{a} -> {b} (defeated challenge of {' -> '.join(e.challenges)})")
        scored = tuple(
            i for i, e in self.elements.items() if e.type not in _COUNTER and i not in defeated
        )
        own: dict[str, tuple[_Unit, ...]] = {}
        context: dict[str, tuple[str, ...]] = {}
        support: dict[str, tuple[str, ...]] = {}
        lost: set[str] = set()
        legged: set[str] = set()
        for i in scored:
            e = self.elements[i]
            file = self._file(i)
            keep = [t for t in e.supported_by if t not in defeated and (i, t) not in cut]
            support[i] = tuple(keep)
            context[i] = tuple(
                t for t in e.in_context_of if t not in defeated and (i, t) not in cut
            )
            if e.supported_by and not keep:
                lost.add(i)
            layers = e.layers
            units: list[_Unit] = []
            if "soundness_error" in layers:
                if e.type not in _ARGUING:
                    raise _error(
                        file,
                        "only a goal or strategy has a soundness error (its inference step); "
                        "use p_fail",
                        i,
                        e.type,
                        field="soundness_error",
                    )
                s = _layer_value(layers["soundness_error"], file, e, "soundness_error")
                units.append(_Unit(f"soundness({i})", i, "soundness_error", s))
            if _legged_layer(e, file):
                if e.type not in _ARGUING:
                    raise _error(
                        file,
                        "only a goal or strategy has legs",
                        i,
                        e.type,
                        field="legs" if "legs" in layers else "combine",
                    )
                legged.add(i)
            leaf = e.type in _ARGUING and not e.supported_by
            takes_p = e.type not in _ARGUING or leaf
            has_p = "p_fail" in layers or "depends_on" in layers
            if has_p and not takes_p:
                attribute = "p_fail" if "p_fail" in layers else "depends_on"
                raise _error(
                    file,
                    f"a developed {_KIND_WORD[e.type]} fails through its support; give its "
                    "inference step a soundness_error instead",
                    i,
                    e.type,
                    field=attribute,
                )
            if takes_p:
                unit = self._p_unit(e, file, latent)
                if unit is not None:
                    units.append(unit)
            own[i] = tuple(units)
        return _Model(
            scored=scored,
            own=MappingProxyType(own),
            context=MappingProxyType(context),
            support=MappingProxyType(support),
            lost_support=frozenset(lost),
            legged=frozenset(legged),
            latent=MappingProxyType(latent),
            removed=tuple(removed),
        )

    def _p_unit(self, e: Element, file: str, latent: Mapping[str, Value]) -> _Unit | None:
        layers = e.layers
        if "depends_on" in layers:
            w = layers["depends_on"]
            if "p_fail" in layers:
                raise _error(
                    file,
                    "give p_fail or depends_on with holds and fails, not both",
                    e.id,
                    e.type,
                    field="p_fail",
                )
            if not isinstance(w, str) or w not in latent:
                known = ", ".join(latent) or "none declared"
                raise _error(
                    file,
                    f"unknown latent variable {w!r} (latent variables: {known})",
                    e.id,
                    e.type,
                    field="depends_on",
                )
            values = {}
            for attribute in ("holds", "fails"):
                if attribute not in layers:
                    raise _error(
                        file,
                        f"depends_on needs {attribute}: P(fails | {w} {attribute})",
                        e.id,
                        e.type,
                        field=attribute,
                    )
                values[attribute] = _layer_value(layers[attribute], file, e, attribute)
            return _Unit(e.id, e.id, "p_fail", None, w, values["holds"], values["fails"])
        if "p_fail" not in layers:
            if e.type == "Assumption":
                raise _error(
                    file,
                    "an assumption needs a p_fail layer (or depends_on with holds and fails)",
                    e.id,
                    e.type,
                    field="p_fail",
                )
            if e.type in _ARGUING:
                raise _error(
                    file,
                    f"an {'undeveloped' if e.undeveloped else 'unsupported'} "
                    f"{_KIND_WORD[e.type]} needs a p_fail layer",
                    e.id,
                    e.type,
                    field="p_fail",
                )
            return None
        p = _layer_value(layers["p_fail"], file, e, "p_fail")
        return _Unit(e.id, e.id, "p_fail", p)

    def _check_node(self, node: str) -> str:
        if node not in self.elements:
            raise UnknownIdError(self.file, f"unknown element {node!r}")
        if node not in self.model.scored:
            e = self.elements[node]
            why = "is defeated" if e.defeated else f"is a {_KIND_WORD[e.type]}"
            raise PortfolioError(
                self._file(node), f"{node!r} {why}: it has no failure event (not scored)"
            )
        return node

    # ------------------------------------------------------------------ compilation

    def _units(self) -> list[_Unit]:
        return [u for i in self.model.scored for u in self.model.own[i]]

    def _gates(
        self, unit_p: Callable[[_Unit], tuple[float, float] | float], latent_p: Mapping[str, float]
    ) -> tuple[dict[str, Formula], dict[str, float]]:
        """Return the gates and basic events, given each unit's probability (or holds, fails)."""
        m = self.model
        basic: dict[str, float] = {}
        used_latent: set[str] = set()

        def event(name: str, p: float) -> Formula | None:
            if p == 0.0:
                return None
            basic[name] = p
            return ("basic-event", name)

        def unit_formula(u: _Unit) -> Formula | None:
            p = unit_p(u)
            if u.latent is None or not isinstance(p, tuple):
                assert not isinstance(p, tuple)
                return event(u.label, p)
            h, f = p
            w = u.latent
            pw = latent_p[w]
            if h == f or pw == 0.0:
                return event(u.label, h)
            if pw == 1.0:
                return event(u.label, f)
            used_latent.add(w)
            latent_event: Formula = ("basic-event", w)
            if h < f:
                y = (f - h) / (1.0 - h)
                x = event(u.label, h)
                if y == 1.0:
                    term: Formula | None = latent_event
                else:
                    ye = event(f"{u.label}|{w}", y)
                    term = None if ye is None else ("and", (latent_event, ye))
                parts = [t for t in (x, term) if t is not None]
                return _or(parts)
            y1 = event(f"{u.label}|{w}", f)
            y0 = event(u.label, h)
            parts = []
            if y1 is not None:
                parts.append(("and", (latent_event, y1)))
            if y0 is not None:
                parts.append(("and", (("not", (latent_event,)), y0)))
            return _or(parts)

        gates: dict[str, Formula] = {}
        for i in m.scored:
            args: list[Formula] = []
            for u in m.own[i]:
                f = unit_formula(u)
                if f is not None:
                    args.append(f)
            args += [("gate", c) for c in m.context[i]]
            if i in m.lost_support:
                args.append(("constant", True))
            elif i in m.legged and m.support[i]:
                gates[f"legs({i})"] = ("and", tuple(("gate", c) for c in m.support[i]))
                args.append(("gate", f"legs({i})"))
            else:
                args += [("gate", c) for c in m.support[i]]
            gates[i] = _or(args) or ("constant", False)
        for w in used_latent:
            basic[w] = latent_p[w]
        return gates, basic

    def _tree_at(
        self, unit_p: Callable[[_Unit], tuple[float, float] | float], latent_p: Mapping[str, float]
    ) -> FaultTree:
        gates, basic = self._gates(unit_p, latent_p)
        labels = {i: self.elements[i].text for i in self.model.scored if self.elements[i].text}
        return FaultTree(
            name=self.title or "gsn", gates=gates, basic_events=basic, labels=labels, file=self.file
        )

    @cached_property
    def fault_tree(self) -> FaultTree:
        """The argument as a fault tree: one gate per scored element, named by its id.

        A distribution counts as its mean; an interval is refused (use :meth:`bounds`).
        """
        return self._tree_at(*self._point_inputs())

    def _point_inputs(
        self,
    ) -> tuple[Callable[[_Unit], tuple[float, float] | float], dict[str, float]]:
        """Return each unit's point probability (or holds, fails) and the latent variables'."""

        def point(v: Value | None, u: _Unit, attribute: str) -> float:
            assert v is not None
            try:
                return _point(v, f"{u.element}.{attribute}")
            except PortfolioError as err:
                e = self.elements[u.element]
                raise _error(
                    self._file(u.element), err.problem, e.id, e.type, field=attribute
                ) from None

        def unit_p(u: _Unit) -> tuple[float, float] | float:
            if u.latent is None:
                return point(u.value, u, u.attribute)
            return point(u.holds, u, "holds"), point(u.fails, u, "fails")

        latent_p = {}
        for w, v in self.model.latent.items():
            try:
                latent_p[w] = _point(v, f"latent {w}")
            except PortfolioError as err:
                raise PortfolioError(
                    self._latent_raw[w][0], err.problem, section="latent", entry=w, field="p_fail"
                ) from None
        return unit_p, latent_p

    # ------------------------------------------------------------------ analyses

    def p_unsupported(self, node: str | None = None) -> float:
        """Return P(``node``'s claim is unsupported), exact (default: the root goal)."""
        node = self._check_node(self.root if node is None else node)
        return self.fault_tree.probability(node)

    def minimal_cut_sets(self, node: str | None = None, *, max_order: int | None = None) -> CutSets:
        """Return the minimal cut sets of ``node``'s failure (default: the root goal).

        See :meth:`portfolios.faulttree.FaultTree.minimal_cut_sets`; an element that depends
        on a latent variable with ``holds > fails`` makes the function non-coherent, and the
        sets are then prime implicants.
        """
        node = self._check_node(self.root if node is None else node)
        return self.fault_tree.minimal_cut_sets(node, max_order=max_order)

    def importance(self, node: str | None = None, *, fussell_vesely: bool = True) -> Importance:
        """Return the importance measures of the basic events under ``node`` (default: root).

        See :meth:`portfolios.faulttree.FaultTree.importance` (``fussell_vesely=False`` skips
        the one measure that needs every minimal cut set).
        """
        node = self._check_node(self.root if node is None else node)
        return self.fault_tree.importance(node, fussell_vesely=fussell_vesely)

    def rests_on(self, node: str | None = None) -> tuple[str, ...]:
        """Return the scored elements ``node`` (default: root) rests on, itself included.

        Its supporting and context elements, theirs, and so on, in file order: the elements
        whose failures can leave ``node`` unsupported.

        Examples
        --------
        >>> from portfolios import gsn
        >>> arg = gsn.parse({
        ...     "G1": {"supportedBy": ["G2", "Sn2"]},
        ...     "G2": {"supportedBy": ["Sn1"]},
        ...     "Sn1": {"p_fail": "0.2"},
        ...     "Sn2": {"p_fail": "0.5"},
        ... })
        >>> arg.rests_on("G2"), arg.rests_on()
        (('G2', 'Sn1'), ('G1', 'G2', 'Sn1', 'Sn2'))
        """
        node = self._check_node(self.root if node is None else node)
        return tuple(self._under(node))

    def _under(self, node: str) -> list[str]:
        """Return the scored elements ``node`` rests on (itself included), in file order."""
        m = self.model
        seen: set[str] = set()
        stack = [node]
        while stack:
            i = stack.pop()
            if i not in seen:
                seen.add(i)
                stack += [*m.support[i], *m.context[i]]
        return [i for i in m.scored if i in seen]

    def most_load_bearing(self, node: str | None = None) -> Ranking:
        """Rank the basic failures under ``node`` by what making each perfect buys.

        Each element's own failure (its ``p_fail``, or ``holds`` and ``fails`` for one that
        depends on a latent variable, labelled by the element's id) and each soundness error
        (``soundness(ID)``) under ``node`` (default: the root goal) is set to 0 in turn, and
        the drop ``P(unsupported) - P(unsupported | it is perfect)`` computed exactly on
        :attr:`fault_tree`; best first, ties (relative to ``P(unsupported)``) as in
        :class:`portfolios.whatnext.Ranking`. Latent variables are not elements and are not
        ranked.

        Examples
        --------
        >>> from portfolios import gsn
        >>> arg = gsn.parse({
        ...     "G1": {"supportedBy": ["Sn1", "Sn2"], "combine": "any"},
        ...     "Sn1": {"p_fail": "0.2"},
        ...     "Sn2": {"p_fail": "0.5"},
        ... })
        >>> r = arg.most_load_bearing()  # P = 0.1; perfect Sn1 -> 0, perfect Sn2 -> 0
        >>> r.names, r.tied_best, [round(float(d), 12) for d in r.drop]
        (('Sn1', 'Sn2'), ('Sn1', 'Sn2'), [0.1, 0.1])
        """
        node = self._check_node(self.root if node is None else node)
        unit_p, latent_p = self._point_inputs()
        p_now = self.fault_tree.probability(node)
        after: dict[str, float] = {}
        for i in self._under(node):
            for u in self.model.own[i]:

                def perfect(v: _Unit, u: _Unit = u) -> tuple[float, float] | float:
                    return 0.0 if v is u else unit_p(v)

                after[u.label] = self._tree_at(perfect, latent_p).probability(node)
        return _ranking(
            node, p_now, "element shored up", after, "exact", subject="goal", event="unsupported"
        )

    def legs(self, node: str) -> tuple[str, ...]:
        """Return the legs of a multi-legged goal or strategy (after the dialectic)."""
        node = self._check_node(node)
        if node not in self.model.legged:
            raise PortfolioError(
                self._file(node),
                f"{node!r} is not multi-legged (give it the layer legs: independent)",
            )
        return self.model.support[node]

    def diversity(self, node: str) -> LegDiversity:
        """Return the coincidence ratio and the effective number of ``node``'s legs."""
        legs = self.legs(node)
        if not legs:
            raise PortfolioError(self._file(node), f"{node!r} has no leg left after the dialectic")
        solution = self.fault_tree.solve([*legs, f"legs({node})", node]).probabilities
        marginals = [solution[leg] for leg in legs]
        p_all = solution[f"legs({node})"]
        return LegDiversity(
            node=node,
            legs=legs,
            p_legs={leg: solution[leg] for leg in legs},
            p_all=p_all,
            independent_product=math.prod(marginals),
            coincidence_ratio=coincidence_ratio(p_all, marginals),
            effective_legs=effective_cases(p_all, marginals),
            p_unsupported=solution[node],
        )

    def score(self, *, max_order: int = 3) -> ArgumentScore:
        """Return the report: every root goal's P(unsupported) and cut sets, and the legs."""
        roots = [r for r in self.roots if self.elements[r].type == "Goal"]
        roots = [r for r in roots if r in self.model.scored]
        return ArgumentScore(
            title=self.title,
            file=self.file,
            p_unsupported={r: self.p_unsupported(r) for r in roots},
            legs=tuple(
                self.diversity(n)
                for n in self.model.scored
                if n in self.model.legged and self.model.support[n]
            ),
            cut_sets={r: self.minimal_cut_sets(r, max_order=max_order) for r in roots},
            removed=self.model.removed,
            risks=self._risks(),
        )

    def _risks(self) -> dict[str, tuple[float, float]]:
        out = {}
        for i in self.model.scored:
            e = self.elements[i]
            if "max_risk" in e.layers:
                limit = _layer_value(e.layers["max_risk"], self._file(i), e, "max_risk")
                if not isinstance(limit, float):
                    raise _error(self._file(i), "max_risk is a number", i, e.type, field="max_risk")
                out[i] = (self.p_unsupported(i), limit)
        return out

    def bounds(
        self, node: str | None = None, *, dependence: str = "independent", method: str | None = None
    ) -> Bounds:
        """Return the tightest interval for P(``node`` unsupported) (default: the root goal).

        ``dependence="independent"``: every interval probability anywhere in its interval,
        the basic events independent. P is non-decreasing in every element's probability
        (given the latent states the argument is a monotone AND/OR structure of independent
        events) and multilinear in the latent variables' probabilities, so the bounds are
        attained with the elements' probabilities at their ends and the latent probabilities
        at a vertex of their box (at most :data:`MAX_INTERVAL_LATENT` interval latent
        variables); a distribution counts as its mean.

        ``dependence="unknown"``: any joint law of the basic failures inside each latent state
        (:mod:`portfolios.bounds`). When the argument under ``node`` has the portfolio shape
        (:meth:`to_portfolio`), the bounds are computed on that portfolio, by its linear
        programme (``method="lp"``, tight) or Fréchet intervals (``method="frechet"``);
        otherwise (or with ``method="frechet"`` when the portfolio refuses) the Fréchet
        intervals are propagated element by element in each latent state (an OR of intervals
        ``[max lo, min(1, sum hi)]``, an AND ``[max(0, sum lo - (k - 1)), min hi]``) and
        weighted by the latent states: valid for every joint law, not tight when elements are
        shared.
        """
        node = self._check_node(self.root if node is None else node)
        if dependence == "unknown":
            if method not in (None, "lp", "frechet"):
                raise PortfolioError(None, f"unknown method {method!r}; choose 'lp' or 'frechet'")
            try:
                portfolio = self.to_portfolio(node)
            except PortfolioError:
                if method == "lp":
                    raise
                return self._frechet_bounds(node)
            (scenario,) = portfolio.scenarios
            b = portfolio.bounds(scenario, dependence="unknown", method=method)
            return Bounds(
                targets=(node,),
                lower=b.lower,
                upper=b.upper,
                dependence=b.dependence,
                method=b.method,
                tight=b.tight,
                lower_at=b.lower_at,
                upper_at=b.upper_at,
                latent_states=b.latent_states,
                atoms=b.atoms,
                scenario=node,
            )
        if dependence != "independent":
            raise PortfolioError(
                None, f"unknown dependence {dependence!r}; choose 'independent' or 'unknown'"
            )
        if method not in (None, "vertices"):
            raise PortfolioError(None, f"method {method!r}: dependence='independent' uses vertices")
        return self._vertex_bounds(node)

    def _frechet_bounds(self, node: str) -> Bounds:
        """Fréchet intervals gate by gate in each latent state, weighted by the latent states."""
        m = self.model
        latent = list(m.latent)
        if len(latent) > MAX_INTERVAL_LATENT:
            raise ComputationLimitError(
                self.file,
                f"{len(latent)} latent variables; the Fréchet bounds sum over their states, at "
                f"most MAX_INTERVAL_LATENT = {MAX_INTERVAL_LATENT}",
            )

        def ends(v: Value) -> tuple[float, float]:
            if isinstance(v, Interval):
                return v.lo, v.hi
            x = v.mean if isinstance(v, Distribution) else float(v)  # type: ignore[arg-type]
            return x, x

        def unit_end(u: _Unit, state: Mapping[str, bool], pick: int) -> float:
            if u.latent is None:
                assert u.value is not None
                return ends(u.value)[pick]
            assert u.holds is not None
            assert u.fails is not None
            return ends(u.fails if state[u.latent] else u.holds)[pick]

        def value(i: str, state: Mapping[str, bool], pick: int, memo: dict[str, float]) -> float:
            if i in memo:
                return memo[i]
            ors = [unit_end(u, state, pick) for u in m.own[i]]
            ors += [value(c, state, pick, memo) for c in m.context[i]]
            if i in m.lost_support:
                ors.append(1.0)
            elif i in m.legged and m.support[i]:
                ands = [value(c, state, pick, memo) for c in m.support[i]]
                if pick == 0:
                    ors.append(max(0.0, math.fsum(ands) - (len(ands) - 1)))
                else:
                    ors.append(min(ands))
            else:
                ors += [value(c, state, pick, memo) for c in m.support[i]]
            if not ors:
                out = 0.0
            elif pick == 0:
                out = max(ors)
            else:
                out = min(1.0, math.fsum(ors))
            memo[i] = out
            return out

        states = list(itertools.product((False, True), repeat=len(latent)))
        per_state = [
            [value(node, dict(zip(latent, bits, strict=True)), pick, {}) for bits in states]
            for pick in (0, 1)
        ]
        free = [w for w in latent if isinstance(m.latent[w], Interval)]
        found: list[tuple[float, dict[str, float]]] = []
        for pick in (0, 1):
            best: tuple[float, dict[str, float]] | None = None
            for corner in itertools.product((0, 1), repeat=len(free)):
                p = {w: ends(m.latent[w])[0] for w in latent}
                p.update({w: ends(m.latent[w])[c] for w, c in zip(free, corner, strict=True)})
                total = math.fsum(
                    math.prod(p[w] if b else 1.0 - p[w] for w, b in zip(latent, bits, strict=True))
                    * x
                    for bits, x in zip(states, per_state[pick], strict=True)
                )
                if best is None or (total < best[0] if pick == 0 else total > best[0]):
                    best = (total, {f"{w}.p_fail": p[w] for w in free})
            assert best is not None
            found.append(best)
        return Bounds(
            targets=(node,),
            lower=found[0][0],
            upper=found[1][0],
            dependence="unknown",
            method="frechet",
            tight=False,
            lower_at=found[0][1],
            upper_at=found[1][1],
            latent_states=len(states),
            scenario=node,
        )

    def _vertex_bounds(self, node: str) -> Bounds:
        units = self._units()

        def ends(v: Value) -> tuple[float, float]:
            if isinstance(v, Interval):
                return v.lo, v.hi
            x = v.mean if isinstance(v, Distribution) else float(v)  # type: ignore[arg-type]
            return x, x

        free = [w for w, v in self.model.latent.items() if isinstance(v, Interval)]
        if len(free) > MAX_INTERVAL_LATENT:
            raise ComputationLimitError(
                self.file,
                f"{len(free)} latent variables have interval probabilities; at most "
                f"MAX_INTERVAL_LATENT = {MAX_INTERVAL_LATENT} are taken",
            )
        result: dict[str, tuple[float, dict[str, float]]] = {}
        for side, pick in (("lower", 0), ("upper", 1)):

            def unit_p(u: _Unit, pick: int = pick) -> tuple[float, float] | float:
                if u.latent is None:
                    assert u.value is not None
                    return ends(u.value)[pick]
                assert u.holds is not None
                assert u.fails is not None
                return ends(u.holds)[pick], ends(u.fails)[pick]

            best: tuple[float, dict[str, float]] | None = None
            for corner in itertools.product((0, 1), repeat=len(free)):
                latent_p = {w: ends(v)[0] for w, v in self.model.latent.items()}
                latent_p.update(
                    {w: ends(self.model.latent[w])[c] for w, c in zip(free, corner, strict=True)}
                )
                p = self._tree_at(unit_p, latent_p).probability(node)
                if best is None or (p < best[0] if pick == 0 else p > best[0]):
                    at = {
                        key: ends(v)[pick]
                        for u in units
                        for key, v in u.values().items()
                        if isinstance(v, Interval)
                    }
                    at.update({f"{w}.p_fail": latent_p[w] for w in free})
                    best = (p, at)
            assert best is not None
            result[side] = best
        return Bounds(
            targets=(node,),
            lower=result["lower"][0],
            upper=result["upper"][0],
            dependence="independent",
            method="vertices",
            tight=True,
            lower_at=result["lower"][1],
            upper_at=result["upper"][1],
            latent_states=2 ** len(self.model.latent),
            scenario=node,
        )

    # ------------------------------------------------------------------ portfolio shape

    def _shape(self, node: str) -> tuple[list[_Unit], list[tuple[str, list[_Unit]]]]:
        """Return ``node``'s failure as ``head OR AND(legs)``: the head's units and the legs.

        No legs: the failure is the OR of the head's units. Raise if the argument under
        ``node`` has no portfolio shape (one multi-legged element at most on the OR paths
        from ``node``, and none under a leg).
        """
        m = self.model
        head: dict[str, _Unit] = {}
        legs: list[tuple[str, list[_Unit]]] = []
        owner = None
        stack = [node]
        visited: set[str] = set()
        while stack:
            i = stack.pop()
            if i in visited:
                continue
            visited.add(i)
            if i in m.lost_support:
                raise PortfolioError(
                    self._file(i),
                    f"the argument under {node!r} has no portfolio shape: {i!r} lost its support",
                )
            for u in m.own[i]:
                head.setdefault(u.label, u)
            if i in m.legged and len(m.support[i]) > 1:
                if owner is not None:
                    raise PortfolioError(
                        self._file(i),
                        f"the argument under {node!r} has no portfolio shape: {owner!r} and "
                        f"{i!r} are both multi-legged (a leg must fail when any element under "
                        "it fails)",
                    )
                owner = i
                for leg in m.support[i]:
                    units, inner = self._shape(leg)
                    if inner:
                        raise PortfolioError(
                            self._file(leg),
                            f"the argument under {node!r} has no portfolio shape: the leg "
                            f"{leg!r} of {i!r} has multi-legged elements under it",
                        )
                    legs.append((leg, units))
                stack.extend(reversed(m.context[i]))
            else:
                stack.extend(reversed((*m.context[i], *m.support[i])))
        return list(head.values()), legs

    def to_portfolio(self, node: str | None = None) -> Portfolio:
        """Return the argument under ``node`` as a portfolio with one scenario, ``node``.

        ``node``'s failure must read ``H OR (L1 AND ... AND Lk)``: the legs of one
        multi-legged element reached from ``node`` through conjunctive steps, each failing
        exactly when some basic failure under it does (no multi-legged element under a leg),
        and ``H`` the OR of every other basic failure on the way (soundness errors and
        contexts). The cases are the legs (``node`` itself when there is no multi-legged
        element), each joined with ``H`` (``H OR (L1 AND L2) = (H OR L1) AND (H OR L2)``).
        Every basic failure becomes an assumption: an element's ``p_fail`` under its id (a
        latent-dependent one with a conditional ``p_fail``), a soundness error under
        ``ID.soundness``; the latent variables carry over. The portfolio's P(unprotected)
        equals :meth:`p_unsupported`.
        """
        node = self._check_node(self.root if node is None else node)
        m = self.model
        head, leg_units = self._shape(node)
        if not leg_units:
            leg_units, head = [(node, head)], []
        used: set[str] = set()

        def fresh(name: str) -> str:
            base = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
            if not re.match(r"[A-Za-z0-9_]", base):
                base = "_" + base
            out, k = base, 1
            while out in used:
                k += 1
                out = f"{base}.{k}"
            used.add(out)
            return out

        assumptions: dict[str, Assumption] = {}
        unit_ids: dict[str, str] = {}

        def add(u: _Unit) -> str:
            if u.label in unit_ids:
                return unit_ids[u.label]
            if u.attribute == "soundness_error":
                aid = fresh(f"{u.element}.soundness")
            else:
                aid = fresh(u.element if u.element not in used else f"{u.element}.p_fail")
            unit_ids[u.label] = aid
            statement = self.elements[u.element].text.strip() or u.element
            if u.attribute == "soundness_error":
                statement = f"the inference step of {u.element} is sound: {statement}"
            p: Any = u.value
            if u.latent is not None:
                assert u.holds is not None
                assert u.fails is not None
                p = Conditional(latent_ids[u.latent], holds=u.holds, fails=u.fails)
            assumptions[aid] = Assumption(aid, statement, p)
            return aid

        scenario = fresh(node)
        case_ids = {leg: fresh(leg if leg != node else f"{node}.case") for leg, _ in leg_units}
        latent_ids = {w: fresh(w) for w in m.latent}
        latent = {
            w: Latent(
                latent_ids[w],
                str((self._latent_raw[w][1] or {}).get("text") or w)
                if isinstance(self._latent_raw[w][1], Mapping)
                else w,
                v,
            )
            for w, v in m.latent.items()
        }
        cases: dict[str, Case] = {}
        head_ids = [add(u) for u in head]
        for leg, units in leg_units:
            ids = [*head_ids, *(add(u) for u in units)]
            cid = case_ids[leg]
            statement = self.elements[leg].text.strip() or leg
            cases[cid] = Case(
                cid, statement, assumptions=tuple(dict.fromkeys(ids)), covers=(scenario,)
            )
        text = self.elements[node].text.strip() or node
        return Portfolio(
            latent={x.id: x for x in latent.values()},
            assumptions=assumptions,
            cases=cases,
            scenarios={scenario: Scenario(scenario, text)},
            title=self.title,
            file=self.file,
        )

    # ------------------------------------------------------------------ writing

    def annotations(self, node: str | None = None) -> dict[str, dict[str, str]]:
        """Return our results as layers: ``{element: {layer: text}}``.

        ``p_unsupported`` on every scored element, ``birnbaum`` (with respect to ``node``,
        default the root goal) on every element with a basic failure, ``coincidence_ratio``
        and ``effective_legs`` on every multi-legged element.
        """
        top = self._check_node(self.root if node is None else node)
        tree = self.fault_tree
        m = self.model
        p = tree.solve(list(m.scored)).probabilities
        out: dict[str, dict[str, str]] = {i: {"p_unsupported": f"{p[i]:.6g}"} for i in m.scored}
        imp = tree.importance(top)
        by_label = dict(zip(imp.labels, imp.birnbaum.tolist(), strict=True))
        for i in m.scored:
            for u in m.own[i]:
                if u.label in by_label:
                    key = "birnbaum" if u.attribute != "soundness_error" else "birnbaum_soundness"
                    out[i][key] = f"{by_label[u.label]:.6g}"
        for i in m.scored:
            if i in m.legged and m.support[i]:
                d = self.diversity(i)
                if d.coincidence_ratio is not None:
                    out[i]["coincidence_ratio"] = f"{d.coincidence_ratio:.6g}"
                if d.effective_legs is not None:
                    out[i]["effective_legs"] = f"{d.effective_legs:.6g}"
        return out

    def with_layers(self, results: Mapping[str, Mapping[str, Any]]) -> Argument:
        """Return the argument with ``results`` added as layers (values written as text)."""
        for i, layers in results.items():
            if i not in self.elements:
                raise UnknownIdError(self.file, f"unknown element {i!r}")
            for k in layers:
                if not isinstance(k, str) or k in ATTRIBUTES:
                    raise PortfolioError(
                        self.file, f"{k!r} is no layer name (a gsn2x attribute or not a string)"
                    )
        documents = []
        for name, doc in self.documents:
            new = dict(doc)
            for i, layers in results.items():
                if i in doc:
                    element = dict(doc[i] or {})
                    for k, v in layers.items():
                        element[k] = v if isinstance(v, str) else layer_text(v)
                    new[i] = element
            documents.append((name, new))
        return Argument(tuple(documents), file=self.file, files=self.files)


def _legged_layer(e: Element, file: str | None = None) -> bool:
    legs, combine = e.layers.get("legs"), e.layers.get("combine")
    if legs is not None and legs not in ("independent", "conjunctive"):
        raise _error(
            file,
            f"legs is 'independent' (alternative legs), got {legs!r}",
            e.id,
            e.type,
            field="legs",
        )
    if combine is not None and combine not in ("any", "all"):
        raise _error(
            file,
            f"combine is 'any' (alternative legs) or 'all' (the default), got {combine!r}",
            e.id,
            e.type,
            field="combine",
        )
    return legs == "independent" or combine == "any"


def _or(parts: Sequence[Formula]) -> Formula | None:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 and parts[0][0] != "basic-event" else ("or", tuple(parts))


# --------------------------------------------------------------------------- files


def _read_document(path: Path) -> Any:
    file = str(path)
    text = _read_text(path, file)  # the portfolio files' limits: size, encoding, BOM
    data = _yaml_data(text, file)
    if data is None:
        data = {}
    _check_document(data, file)
    return data


def _check_document(data: Any, file: str) -> None:
    if not isinstance(data, Mapping):
        raise PortfolioError(file, f"a GSN document is a mapping of element ids, got {data!r}")
    info = data.get("module")
    if info is not None and not isinstance(info, Mapping):
        raise PortfolioError(file, f"expected a mapping, got {info!r}", section="module")


def _uses(data: Mapping[str, Any], file: str) -> list[str]:
    info = data.get("module")
    if not isinstance(info, Mapping) or info.get("uses") is None:
        return []
    uses = info["uses"]
    if isinstance(uses, str):
        uses = [uses]
    if not isinstance(uses, list) or not all(isinstance(u, str) for u in uses):
        raise PortfolioError(
            file, f"expected a list of file names, got {uses!r}", section="module", field="uses"
        )
    return uses


def load(path: str | Path, *more: str | Path) -> Argument:
    """Load a GSN argument from a gsn2x YAML file, following ``module.uses``.

    ``more`` names further module files, as on gsn2x's command line (an instance and the
    template it extends, say); their names are taken relative to ``path``'s folder.

    Used modules are read relative to the using file; a module used twice is read once, a
    circle of ``uses`` is refused. Loading checks the structure (types, links, cycles), so a
    plain gsn2x file without numbers loads and round-trips; the layers of the failure model are
    read, and checked, when the argument is first scored. Errors are
    :class:`~portfolios.errors.PortfolioError` s naming the file, the element and the
    attribute.

    Examples
    --------
    >>> from portfolios import gsn
    >>> arg = gsn.load(gsn.EXAMPLE_PATH)
    >>> arg.root, arg.legs("G_oversight_undermining")
    ('G0', ('G_asl4_interpretability', 'G_asl4_incentives'))
    """
    root = Path(path)
    base = root.parent
    documents: list[tuple[str, Any]] = []
    files: dict[str, str] = {}
    done: set[Path] = set()

    def visit(p: Path, chain: tuple[Path, ...]) -> None:
        key = p.resolve()
        if key in chain:
            names = " -> ".join(str(c) for c in (*chain, key))
            raise PortfolioError(
                str(p), f"module.uses forms a circle: {names}", section="module", field="uses"
            )
        if key in done:
            return
        done.add(key)
        data = _read_document(p)
        name = p.name if not documents else os.path.relpath(p, base)
        if name in files:
            raise PortfolioError(str(p), f"two modules are named {name!r}")
        documents.append((name, data))
        files[name] = str(p)
        for u in _uses(data, str(p)):
            visit(p.parent / u, (*chain, key))

    visit(root, ())
    for other in more:
        visit(Path(other), ())
    return Argument(tuple(documents), file=str(root), files=files)


def parse(data: Any, *, file: str = "<dict>") -> Argument:
    """Return the argument of one gsn2x document given as plain data (no ``module.uses``)."""
    _check_document(data, file)
    if _uses(data, file):
        raise PortfolioError(
            file,
            "module.uses names other files: load the argument with load(path)",
            section="module",
            field="uses",
        )
    return Argument(((file, data),), file=file)


def _yaml_text(doc: Any) -> str:
    import yaml

    text: str = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
    return text


def dumps(argument: Argument, results: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """Return the argument as gsn2x YAML (with ``results`` as layers).

    A file holds one module: an argument of several modules (read through ``module.uses``) is
    refused with a :class:`~portfolios.errors.PortfolioError` naming them; write them all, each
    to its own file, with :func:`dump`.

    Examples
    --------
    >>> from portfolios import gsn
    >>> arg = gsn.parse({"G1": {"undeveloped": True, "p_fail": "0.1"}})
    >>> print(gsn.dumps(arg, results={"G1": {"p_unsupported": 0.1}}), end="")
    G1:
      undeveloped: true
      p_fail: '0.1'
      p_unsupported: '0.1'
    """
    if len(argument.documents) > 1:
        raise PortfolioError(
            argument.file,
            f"the argument has {len(argument.documents)} modules "
            f"({', '.join(argument.modules)}) and dumps returns one document: write them all "
            "with dump(argument, path)",
        )
    if results:
        argument = argument.with_layers(results)
    return _yaml_text(argument.documents[0][1])


def dump(
    argument: Argument,
    path: str | Path,
    results: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    overwrite: bool = False,
) -> None:
    """Write the argument as gsn2x YAML, with ``results`` as layers, everything else unchanged.

    The first module goes to ``path``; every used module to its name relative to ``path``'s
    folder (so ``module.uses`` still finds it). ``results`` maps element ids to layers, for
    instance :meth:`Argument.annotations`; then ``gsn2x -l p_unsupported FILE`` draws the
    annotated diagram.

    An existing file is replaced only if ``overwrite`` is true or it already holds exactly the
    text to be written; otherwise nothing is written and a
    :class:`~portfolios.errors.PortfolioError` names the file. Writing next to the argument's
    own files (into its folder) would otherwise silently replace the modules it was read from
    with annotated copies.
    """
    if results:
        argument = argument.with_layers(results)
    target = Path(path)
    plan = []
    for k, (name, doc) in enumerate(argument.documents):
        out = target if k == 0 else target.parent / name
        text = _yaml_text(doc)
        if not overwrite and out.exists():
            try:
                same = out.read_text(encoding="utf-8") == text
            except (OSError, UnicodeDecodeError):
                same = False
            if not same:
                raise PortfolioError(
                    str(out),
                    "the file exists and would be replaced"
                    + (f" (module {name!r})" if k else "")
                    + ": write elsewhere, or pass overwrite=True",
                )
        plan.append((out, text))
    for out, text in plan:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
        except OSError as err:
            raise PortfolioError(str(out), f"cannot write the file: {err}") from err


#: The shipped example: the ASL-4 portfolio of :data:`portfolios.EXAMPLE_PATH` as a GSN argument.
EXAMPLE_PATH = Path(__file__).parent / "data" / "asl4.gsn.yaml"
