"""The structure function of a portfolio, compiled once for every algorithm.

Definitions
-----------
For a scenario ``s`` covered by the cases ``C(s)``, *unprotected* is the event

    U(s) = AND_{c in C(s)} F_c,   F_c = eps_c OR (OR_{a in A*(c)} O_a),

where ``A*(c)`` is the closure of the assumptions of ``c`` (its own, those they ``require``,
transitively, and those of the cases it ``rests_on``), ``eps_c`` ranges over the soundness
errors of ``c`` and the cases it rests on, and ``O_a`` is assumption ``a`` failing on its own.
Given the states ``w`` of the latent variables, the ``O_a`` and ``eps_c`` are independent with
``P(O_a | w) = q_a(w)``; so U(s) is a monotone CNF whose clauses are the *path sets*
``path(c)``: the scenario is protected as soon as every element of one path set holds.

Two views of the same basic events are compiled:

*units* (the probability model)
    one per assumption (``O_a``, its probability depending on at most one latent variable)
    and one per case (``eps_c``). :attr:`Structure.paths` maps every case and assumption id to
    the units whose failure fails it. The exact, Monte Carlo and inclusion-exclusion
    algorithms sum over the latent states and use these.
*events* (the cut-set model)
    the same failures written as a monotone Boolean function of independent events, so that
    latent variables can appear in cut sets. An assumption conditional on latent variable
    ``j`` with ``P(fail | j holds) = h < f = P(fail | j fails)`` is written
    ``O_a = X_a OR (W_j AND Y_a)`` with ``P(X_a) = h``, ``P(W_j) = p_j`` and
    ``P(Y_a) = (f - h) / (1 - h)``; this has exactly the conditional probabilities ``h`` and
    ``f``. ``X_a`` is labelled ``a|alone`` (``a`` fails on its own, whatever the latent
    state; probability ``h``, not the marginal failure probability of ``a``, which the
    importance measures call ``a``), ``Y_a`` is labelled ``a|j`` (``a`` fails *because* ``j``
    failed), and when ``f = 1`` the
    term is just ``W_j``: then the latent variable alone fails the assumption. When
    ``f <= h`` (the latent failure makes the assumption no likelier to fail), no monotone
    decomposition exists; ``X_a`` then carries the latent-dependent probability and ``W_j``
    does not enter the Boolean structure. :attr:`Structure.terms` maps every case and
    assumption id to its minimal *terms*: sets of events whose joint occurrence fails it.
    An event that cannot occur (probability 0 in every latent state, such as a soundness
    error of 0, or a latent variable that never fails) is left out of the terms, as fault
    trees leave out a house event set to false.

Both views have the same probability of every U(s); the tests check it.

Probabilities that are intervals or distributions (:mod:`portfolios.values`) are compiled to
their point values (a distribution's mean; ``nan`` for an interval, which has none) and
recorded in ``Structure.parameters`` (:class:`~portfolios.parameters.Parameters`): which
parameter sets which latent variable's and which unit's probability. The terms are those of
the point values; a conditional assumption with an interval entry is decomposed as if its
latent variable could raise its failure probability (``nan`` compares false).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Any, TypeVar

import numpy as np

from ._arrays import readonly
from ._checks import check_probability
from .errors import ComputationLimitError, PortfolioTypeError, UnknownIdError, did_you_mean
from .limits import MAX_LATENT
from .model import Conditional, Entries
from .parameters import ParameterResolver, Parameters

__all__ = [
    "MAX_LATENT",
    "Event",
    "Structure",
    "compile_structure",
    "covering_cases",
    "latent_states",
    "minimal_sets",
    "unit_index",
    "with_probabilities",
]


@dataclass(frozen=True, order=True)
class Event:
    """A basic event of the structure function.

    Parameters
    ----------
    kind : {"latent", "assumption", "assumption_alone", "latent_effect", "soundness"}
        A latent variable failing; an assumption failing; the part of an assumption's failure
        that happens whatever its latent variable does (label ``a|alone``); an assumption
        failing because of a latent variable's failure (``a|j``); a case's soundness error.
    id : str
        The id of the latent variable, assumption or case.
    latent : str or None
        For ``latent_effect``: the latent variable whose failure triggers it.

    Examples
    --------
    >>> Event("latent_effect", "features_real", "parsimony").label
    'features_real|parsimony'
    >>> Event("soundness", "debate").label
    'soundness(debate)'
    >>> Event("assumption_alone", "parsimony").label
    'parsimony|alone'
    """

    kind: str
    id: str
    latent: str | None = None

    @property
    def label(self) -> str:
        """A short readable name, unique within a portfolio."""
        if self.kind == "latent_effect":
            return f"{self.id}|{self.latent}"
        if self.kind == "soundness":
            return f"soundness({self.id})"
        if self.kind == "assumption_alone":
            return f"{self.id}|alone"
        return self.id

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, eq=False)
class Structure:
    """The compiled structure function of a portfolio (see the module docstring).

    Attributes
    ----------
    latent : tuple of str
        The latent variables, in file order.
    latent_p : ndarray, shape (L,)
        Their failure probabilities.
    units : tuple of Event
        The basic events of the probability model: one ``assumption`` event per assumption
        (its own failure, ``O_a``) and one ``soundness`` event per case.
    unit_latent : ndarray of int, shape (n,)
        The index in ``latent`` of the variable each unit's probability depends on, or -1.
    unit_p : ndarray, shape (n, 2)
        Each unit's failure probability when that latent variable holds (column 0) and fails
        (column 1); both columns are equal for a unit that depends on no latent variable.
    paths : mapping of str to frozenset of int
        For every case and assumption id, the units whose failure fails it.
    events, event_latent, event_p : tuple of Event, ndarray, ndarray
        The same for the basic events of the cut-set model (a ``latent`` event has
        probabilities (0, 1) given its own state).
    terms : mapping of str to tuple of frozenset of int
        For every case and assumption id, the minimal sets of events whose joint occurrence
        fails it.
    covering : mapping of str to tuple of str
        The cases covering each scenario.
    requires, case_assumptions, rests_on : mapping of str to tuple of str
        The direct links of the file, for algorithms that evaluate the definition itself.
    parameters : Parameters
        The probabilities that are intervals or distributions (none for a portfolio of
        numbers); ``latent_p`` and ``unit_p`` hold their point values (``nan`` for an
        interval).

    Notes
    -----
    Algorithms that clamp a probability (importance measures) compile a modified copy with
    :func:`with_probabilities`.
    """

    latent: tuple[str, ...]
    latent_p: np.ndarray
    units: tuple[Event, ...]
    unit_latent: np.ndarray
    unit_p: np.ndarray
    paths: Mapping[str, frozenset[int]]
    events: tuple[Event, ...]
    event_latent: np.ndarray
    event_p: np.ndarray
    terms: Mapping[str, tuple[frozenset[int], ...]]
    covering: Mapping[str, tuple[str, ...]]
    requires: Mapping[str, tuple[str, ...]]
    case_assumptions: Mapping[str, tuple[str, ...]]
    rests_on: Mapping[str, tuple[str, ...]]
    parameters: Parameters

    def __post_init__(self) -> None:
        for name in ("latent_p", "unit_latent", "unit_p", "event_latent", "event_p"):
            object.__setattr__(self, name, readonly(getattr(self, name)))

    @cached_property
    def _unit_index(self) -> Mapping[tuple[str, str], int]:
        return MappingProxyType({(e.kind, e.id): u for u, e in enumerate(self.units)})

    @cached_property
    def _latent_states(self) -> dict[tuple[int, ...], np.ndarray]:
        return {}  # latent_states' weights by variables (read-only arrays)

    def __repr__(self) -> str:
        return (
            f"Structure({len(self.latent)} latent, {len(self.units)} units, "
            f"{len(self.events)} events, {len(self.covering)} scenarios)"
        )


def covering_cases(structure: Structure, scenario: str) -> tuple[str, ...]:
    """Return the cases covering ``scenario``; an unknown scenario is an :class:`UnknownIdError`.

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.load(portfolios.EXAMPLE_PATH)
    >>> covering_cases(P.structure, "oversight_undermining")
    ('asl4_interpretability', 'asl4_incentives')
    """
    if not isinstance(structure, Structure):  # the functions of a scenario all start here
        raise PortfolioTypeError(
            None,
            "expected a compiled Structure (for a Portfolio P: P.structure), "
            f"got {type(structure).__name__}",
        )
    if scenario not in structure.covering:
        known = ", ".join(structure.covering)
        hint = did_you_mean(scenario, structure.covering)
        raise UnknownIdError(None, f"unknown scenario {scenario!r}{hint}; known: {known}")
    return structure.covering[scenario]


def unit_index(structure: Structure) -> Mapping[tuple[str, str], int]:
    """Return ``{(kind, id): index in structure.units}`` (computed once per structure).

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.load(portfolios.EXAMPLE_PATH)
    >>> P.structure.units[unit_index(P.structure)["soundness", "debate"]].label
    'soundness(debate)'
    """
    return structure._unit_index


_Set = TypeVar("_Set", int, frozenset[int])


def _mask_order(s: int) -> tuple[int, int]:
    return (s.bit_count(), s)


def _set_order(s: frozenset[int]) -> tuple[int, list[int]]:
    return (len(s), sorted(s))


def minimal_sets(sets: Iterable[_Set], *, key: Callable[[_Set], Any] | None = None) -> list[_Set]:
    """Return the inclusion-minimal sets among ``sets``, without repeats, smallest first.

    The one minimal-set routine of the package: for the terms of the structure, the minimal
    path sets of the probability engines and the minimal cut sets. A set is a frozenset of
    ints or a bit mask (an int). Candidates are scanned in the order of ``key`` (default: by
    size, then by elements, or for bit masks by value), which must put every set after its
    subsets; ties keep the order of ``set(sets)``.

    Examples
    --------
    >>> minimal_sets([frozenset({1, 2}), frozenset({1}), frozenset({3}), frozenset({1})])
    [frozenset({1}), frozenset({3})]
    >>> minimal_sets([0b011, 0b001, 0b110])  # as bit masks: {0, 1}, {0}, {1, 2}
    [1, 6]
    """
    unique = set(sets)
    masks = bool(unique) and isinstance(next(iter(unique)), int)
    order: Callable[[Any], Any] = key or (_mask_order if masks else _set_order)
    kept: list[Any] = []
    # The kept singletons are looked up at once (one mask, one set), the larger kept sets one
    # by one: many singletons (a long chain of requirements) cost linear, not quadratic, time.
    larger: list[Any] = []
    candidates: list[Any] = sorted(unique, key=order)
    if masks:  # k is a subset of s
        single_mask = 0
        for m in candidates:
            if not m & single_mask and not any(k & m == k for k in larger):
                kept.append(m)
                if m.bit_count() == 1:
                    single_mask |= m
                else:
                    larger.append(m)
    else:
        singles: set[int] = set()
        for s in candidates:
            if singles.isdisjoint(s) and not any(k <= s for k in larger):
                kept.append(s)
                if len(s) == 1:
                    singles |= s
                else:
                    larger.append(s)
    return kept


def latent_states(
    structure: Structure,
    which: Iterable[int],
    *,
    limit: int | None = MAX_LATENT,
    context: str = "",
) -> tuple[list[int], np.ndarray, np.ndarray]:
    """Enumerate the joint states of some latent variables and their probabilities.

    The one enumeration of latent states, used by every engine that sums over them.

    Parameters
    ----------
    structure : Structure
    which : iterable of int
        Indices into ``structure.latent`` (negative entries, meaning "no latent variable",
        and repeats are ignored).
    limit : int or None
        Refuse more than this many variables (None: no limit).
    context : str
        A prefix for the error message.

    Returns
    -------
    (variables, bits, weights)
        ``variables``: the sorted distinct indices; ``bits``, shape ``(2^r, r)``:
        ``bits[s, i] = 1`` when ``variables[i]`` fails in state ``s`` (bit ``i`` of ``s``);
        ``weights``, shape ``(2^r,)``: the probability of each state (the variables are
        independent). Both arrays are read-only (and may be shared between calls).

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.Portfolio.from_dict({
    ...     "latent": {"V": {"statement": "v", "p_fail": 0.1},
    ...                "W": {"statement": "w", "p_fail": 0.25}},
    ...     "cases": {"C": {"statement": "c", "covers": ["S"]}},
    ...     "scenarios": {"S": {"statement": "s"}},
    ... })
    >>> variables, bits, weights = latent_states(P.structure, [1, 0, -1, 1])
    >>> variables, bits.tolist(), weights.round(12).tolist()  # 0.9 * 0.75, 0.1 * 0.75, ...
    ([0, 1], [[0, 0], [1, 0], [0, 1], [1, 1]], [0.675, 0.075, 0.225, 0.025])
    """
    variables = sorted({int(j) for j in which if j >= 0})
    if limit is not None and len(variables) > limit:
        raise ComputationLimitError(
            None,
            f"{context}this computation depends on {len(variables)} latent variables; at most "
            f"{limit} are supported (2^L latent states are summed over)",
        )
    key = tuple(variables)
    cache = structure._latent_states
    if key not in cache:
        bits = _state_bits(len(variables))
        p = structure.latent_p[variables]
        weights = readonly(np.prod(np.where(bits == 1, p, 1.0 - p), axis=1))
        if len(variables) > _CACHED_LATENT:
            return variables, bits, weights
        cache[key] = weights
    return variables, _state_bits(len(variables)), cache[key]


#: Latent states of at most this many variables are kept with the structure once computed
#: (cut sets and clamped computations ask for the same few sets of variables many times).
_CACHED_LATENT = 10


@functools.cache
def _state_bits(r: int) -> np.ndarray:
    """``bits[s, i]``: bit ``i`` of ``s``, for the ``2^r`` states of ``r`` variables."""
    return readonly((np.arange(1 << r)[:, None] >> np.arange(r)[None, :]) & 1)


@dataclass
class _Spec:
    """The probabilistic content of a portfolio: what the compiler reads.

    ``assumptions[a] = (j, h, f)``: the index of the latent variable its failure depends on
    (-1 for none) and its failure probability when that variable holds and fails (``h == f``
    for -1). The probabilities are point values; ``*_slot`` give the parameter that sets
    each (-1 for a number), with the parameters' names and values.
    """

    latent: tuple[str, ...]
    latent_p: list[float]
    assumptions: dict[str, tuple[int, float, float]]
    requires: Mapping[str, tuple[str, ...]]
    soundness: dict[str, float]
    case_assumptions: Mapping[str, tuple[str, ...]]
    rests_on: Mapping[str, tuple[str, ...]]
    covering: Mapping[str, tuple[str, ...]]
    latent_slot: list[int]
    assumption_slot: dict[str, tuple[int, int]]
    soundness_slot: dict[str, int]
    parameter_names: tuple[str, ...] = ()
    parameter_values: tuple[Any, ...] = ()


def _spec_of_entries(entries: Entries) -> _Spec:
    latent = tuple(entries.latent)
    resolver = ParameterResolver(entries.parameters)
    latent_p, latent_slot = [], []
    for w_id, w in entries.latent.items():
        p, slot = resolver.resolve(w.p_fail, w_id)
        latent_p.append(p)
        latent_slot.append(slot)
    assumptions, assumption_slot = {}, {}
    for a_id, a in entries.assumptions.items():
        q = a.p_fail
        if isinstance(q, Conditional):
            h, sh = resolver.resolve(q.holds, f"{a_id}[{q.latent} holds]")
            f, sf = resolver.resolve(q.fails, f"{a_id}[{q.latent} fails]")
            assumptions[a_id] = (latent.index(q.latent), h, f)
            assumption_slot[a_id] = (sh, sf)
        else:
            p, slot = resolver.resolve(q, a_id)
            assumptions[a_id] = (-1, p, p)
            assumption_slot[a_id] = (slot, slot)
    cases = entries.cases
    soundness, soundness_slot = {}, {}
    for c_id, c in cases.items():
        soundness[c_id], soundness_slot[c_id] = resolver.resolve(
            c.soundness_error, f"soundness({c_id})"
        )
    return _Spec(
        latent=latent,
        latent_p=latent_p,
        assumptions=assumptions,
        requires={k: a.requires for k, a in entries.assumptions.items()},
        soundness=soundness,
        case_assumptions={k: c.assumptions for k, c in cases.items()},
        rests_on={k: c.rests_on for k, c in cases.items()},
        covering={
            s: tuple(c for c, case in cases.items() if s in case.covers) for s in entries.scenarios
        },
        latent_slot=latent_slot,
        assumption_slot=assumption_slot,
        soundness_slot=soundness_slot,
        parameter_names=tuple(resolver.names),
        parameter_values=tuple(resolver.values),
    )


def _spec_of_structure(structure: Structure) -> _Spec:
    unit = unit_index(structure)
    params = structure.parameters
    assumptions, assumption_slot = {}, {}
    for a_id in structure.requires:
        u = unit["assumption", a_id]
        h, f = (float(x) for x in structure.unit_p[u])
        assumptions[a_id] = (int(structure.unit_latent[u]), h, f)
        sh, sf = (int(x) for x in params.unit_slot[u])
        assumption_slot[a_id] = (sh, sf)
    return _Spec(
        latent=structure.latent,
        latent_p=[float(x) for x in structure.latent_p],
        assumptions=assumptions,
        requires=structure.requires,
        soundness={c: float(structure.unit_p[unit["soundness", c], 0]) for c in structure.rests_on},
        case_assumptions=structure.case_assumptions,
        rests_on=structure.rests_on,
        covering=structure.covering,
        latent_slot=[int(x) for x in params.latent_slot],
        assumption_slot=assumption_slot,
        soundness_slot={
            c: int(params.unit_slot[unit["soundness", c], 0]) for c in structure.rests_on
        },
        parameter_names=params.names,
        parameter_values=params.values,
    )


class _Compiler:
    def __init__(self, spec: _Spec) -> None:
        self.spec = spec
        self.latent = spec.latent
        self.units: list[Event] = []
        self.unit_latent: list[int] = []
        self.unit_p: list[tuple[float, float]] = []
        self.unit_slot: list[tuple[int, int]] = []
        self.events: list[Event] = []
        self.event_index: dict[Event, int] = {}
        self.event_latent: list[int] = []
        self.event_p: list[tuple[float, float]] = []
        self.own_unit: dict[str, int] = {}
        self.own_terms: dict[str, list[frozenset[int]]] = {}

    def add_unit(
        self, event: Event, latent: int, p: tuple[float, float], slot: tuple[int, int]
    ) -> int:
        self.units.append(event)
        self.unit_latent.append(latent)
        self.unit_p.append(p)
        self.unit_slot.append(slot)
        return len(self.units) - 1

    def add_event(self, event: Event, latent: int, p: tuple[float, float]) -> int:
        if event not in self.event_index:
            self.event_index[event] = len(self.events)
            self.events.append(event)
            self.event_latent.append(latent)
            self.event_p.append(p)
        return self.event_index[event]

    def assumption(self, a_id: str) -> None:
        j, h, f = self.spec.assumptions[a_id]
        slot = self.spec.assumption_slot[a_id]
        own = Event("assumption", a_id)
        if j < 0:
            self.own_unit[a_id] = self.add_unit(own, -1, (h, h), slot)
            self.own_terms[a_id] = [frozenset({self.add_event(own, -1, (h, h))})]
            return
        self.own_unit[a_id] = self.add_unit(own, j, (h, f), slot)
        if f <= h:  # no monotone decomposition: keep the latent-dependent probability
            self.own_terms[a_id] = [frozenset({self.add_event(own, j, (h, f))})]
            return
        x = self.add_event(Event("assumption_alone", a_id), -1, (h, h))
        w = self.add_event(Event("latent", self.latent[j]), j, (0.0, 1.0))
        if f == 1.0:
            self.own_terms[a_id] = [frozenset({x}), frozenset({w})]
            return
        y_p = (f - h) / (1.0 - h) if math.isfinite(f - h) else math.nan  # nan: an interval
        y = self.add_event(Event("latent_effect", a_id, self.latent[j]), -1, (y_p, y_p))
        self.own_terms[a_id] = [frozenset({x}), frozenset({w, y})]

    def run(self) -> Structure:
        spec = self.spec
        for a_id in spec.assumptions:
            self.assumption(a_id)
        eps_unit, eps_event = {}, {}
        for c_id, eps in spec.soundness.items():
            e = Event("soundness", c_id)
            slot = spec.soundness_slot[c_id]
            eps_unit[c_id] = self.add_unit(e, -1, (eps, eps), (slot, slot))
            eps_event[c_id] = self.add_event(e, -1, (eps, eps))

        latent_p = spec.latent_p

        def possible(term: frozenset[int]) -> bool:
            for e in term:
                j = self.event_latent[e]
                if max(self.event_p[e]) == 0.0 or (
                    self.events[e].kind == "latent" and latent_p[j] == 0.0
                ):
                    return False
            return True

        self.own_terms = {a: [t for t in ts if possible(t)] for a, ts in self.own_terms.items()}
        paths: dict[str, frozenset[int]] = {}
        terms: dict[str, tuple[frozenset[int], ...]] = {}

        def close_assumption(a_id: str) -> None:  # after the assumptions it requires
            path, t = {self.own_unit[a_id]}, list(self.own_terms[a_id])
            for r in spec.requires[a_id]:
                path |= paths[r]
                t += terms[r]
            paths[a_id], terms[a_id] = frozenset(path), tuple(minimal_sets(t))

        def close_case(c_id: str) -> None:  # after its assumptions and the cases it rests on
            path, t = {eps_unit[c_id]}, [frozenset({eps_event[c_id]})]
            if spec.soundness[c_id] == 0.0:
                t = []
            for a_id in spec.case_assumptions[c_id]:
                path |= paths[a_id]
                t += terms[a_id]
            for other in spec.rests_on[c_id]:
                path |= paths[other]
                t += terms[other]
            paths[c_id], terms[c_id] = frozenset(path), tuple(minimal_sets(t))

        for a_id in _post_order(spec.assumptions, spec.requires):
            close_assumption(a_id)
        for c_id in _post_order(spec.soundness, spec.rests_on):
            close_case(c_id)
        return Structure(
            latent=self.latent,
            latent_p=np.array(latent_p, dtype=float),
            units=tuple(self.units),
            unit_latent=np.array(self.unit_latent, dtype=np.intp),
            unit_p=np.array(self.unit_p, dtype=float).reshape(-1, 2),
            paths=MappingProxyType(paths),
            events=tuple(self.events),
            event_latent=np.array(self.event_latent, dtype=np.intp),
            event_p=np.array(self.event_p, dtype=float).reshape(-1, 2),
            terms=MappingProxyType(terms),
            covering=MappingProxyType(dict(spec.covering)),
            requires=MappingProxyType(dict(spec.requires)),
            case_assumptions=MappingProxyType(dict(spec.case_assumptions)),
            rests_on=MappingProxyType(dict(spec.rests_on)),
            parameters=Parameters(
                names=spec.parameter_names,
                values=spec.parameter_values,
                latent_slot=np.array(spec.latent_slot, dtype=np.intp),
                unit_slot=np.array(self.unit_slot, dtype=np.intp).reshape(-1, 2),
            ),
        )


def _post_order(roots: Iterable[str], children: Mapping[str, Sequence[str]]) -> list[str]:
    """Every node reachable from ``roots``, each after its children (depth first, no recursion).

    The order is the one a recursive depth-first search would give; the graph is acyclic
    (checked with the portfolio), and its depth is not bounded by Python's recursion limit.
    """
    order: list[str] = []
    seen: set[str] = set()
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(children[root]))]
        while stack:
            node, rest = stack[-1]
            for child in rest:
                if child not in seen:
                    seen.add(child)
                    stack.append((child, iter(children[child])))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


def compile_structure(entries: Entries) -> Structure:
    """Compile the structure function of a portfolio (``Portfolio.structure`` caches it).

    Parameters
    ----------
    entries : Entries
        Entries that passed the portfolio checks (``Portfolio.entries``).

    Returns
    -------
    Structure

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.Portfolio.from_dict({
    ...     "latent": {"W": {"statement": "w", "p_fail": 0.3}},
    ...     "assumptions": {"A": {"statement": "a", "p_fail": {"W": {"holds": 0.2, "fails": 0.6}}}},
    ...     "cases": {"C": {"statement": "c", "assumptions": ["A"], "covers": ["S"]}},
    ...     "scenarios": {"S": {"statement": "s"}},
    ... })
    >>> S = compile_structure(P.entries)
    >>> [S.units[u].label for u in sorted(S.paths["C"])]
    ['A', 'soundness(C)']
    >>> sorted(sorted(S.events[e].label for e in t) for t in S.terms["C"])  # eps_C = 0: left out
    [['A|W', 'W'], ['A|alone']]
    """
    return _Compiler(_spec_of_entries(entries)).run()


def with_probabilities(
    structure: Structure,
    *,
    latent: Mapping[str, float] | None = None,
    assumptions: Mapping[str, float] | None = None,
    soundness: Mapping[str, float] | None = None,
) -> Structure:
    """Return the structure of the same portfolio with some probabilities changed.

    The structure is compiled again (its terms depend on the probabilities: an event that
    cannot occur is left out, a conditional assumption's decomposition depends on its two
    probabilities); ids, links and coverage are those of ``structure``. The importance
    measures clamp probabilities to 0 and 1 this way.

    Parameters
    ----------
    structure : Structure
    latent : mapping of str to float, optional
        New failure probabilities of latent variables.
    assumptions : mapping of str to float, optional
        New failure probabilities of assumptions' own failures, the same in every latent state
        (an assumption conditional on a latent variable no longer depends on it).
    soundness : mapping of str to float, optional
        New soundness errors of cases.

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.Portfolio.from_dict({
    ...     "latent": {"W": {"statement": "w", "p_fail": 0.3}},
    ...     "assumptions": {"A": {"statement": "a", "p_fail": {"W": {"holds": 0.2, "fails": 0.6}}}},
    ...     "cases": {"C": {"statement": "c", "assumptions": ["A"], "covers": ["S"]}},
    ...     "scenarios": {"S": {"statement": "s"}},
    ... })
    >>> S = with_probabilities(P.structure, latent={"W": 1.0})
    >>> S.latent_p.tolist(), sorted(sorted(S.events[e].label for e in t) for t in S.terms["C"])
    ([1.0], [['A|W', 'W'], ['A|alone']])
    >>> S = with_probabilities(P.structure, assumptions={"A": 0.0})  # A never fails
    >>> S.unit_latent.tolist(), S.terms["C"]
    ([-1, -1], ())
    """
    spec = _spec_of_structure(structure)
    for name, p in (latent or {}).items():
        if name not in spec.latent:
            hint = did_you_mean(name, spec.latent)
            raise UnknownIdError(None, f"unknown latent variable {name!r}{hint}")
        j = spec.latent.index(name)
        spec.latent_p[j] = check_probability(p, "latent", name, "p_fail")
        spec.latent_slot[j] = -1
    for name, p in (assumptions or {}).items():
        if name not in spec.assumptions:
            hint = did_you_mean(name, spec.assumptions)
            raise UnknownIdError(None, f"unknown assumption {name!r}{hint}")
        q = check_probability(p, "assumptions", name, "p_fail")
        spec.assumptions[name] = (-1, q, q)
        spec.assumption_slot[name] = (-1, -1)
    for name, p in (soundness or {}).items():
        if name not in spec.soundness:
            hint = did_you_mean(name, spec.soundness)
            raise UnknownIdError(None, f"unknown case {name!r}{hint}")
        spec.soundness[name] = check_probability(p, "cases", name, "soundness_error")
        spec.soundness_slot[name] = -1
    return _Compiler(spec).run()
