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
    ``f``. ``X_a`` keeps the assumption's name (``a``: it fails whatever the latent state),
    ``Y_a`` is labelled ``a|j`` (``a`` fails *because* ``j`` failed), and when ``f = 1`` the
    term is just ``W_j``: then the latent variable alone fails the assumption. When
    ``f <= h`` (the latent failure makes the assumption no likelier to fail), no monotone
    decomposition exists; ``X_a`` then carries the latent-dependent probability and ``W_j``
    does not enter the Boolean structure. :attr:`Structure.terms` maps every case and
    assumption id to its minimal *terms*: sets of events whose joint occurrence fails it.
    An event that cannot occur (probability 0 in every latent state, such as a soundness
    error of 0, or a latent variable that never fails) is left out of the terms, as fault
    trees leave out a house event set to false.

Both views have the same probability of every U(s); the tests check it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from ._arrays import readonly
from .model import Conditional, Entries

__all__ = ["Event", "Structure", "compile_structure", "minimal_sets"]


@dataclass(frozen=True, order=True)
class Event:
    """A basic event of the structure function.

    Parameters
    ----------
    kind : {"latent", "assumption", "latent_effect", "soundness"}
        A latent variable failing; an assumption failing (on its own); an assumption failing
        because of a latent variable's failure; a case's soundness error.
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

    Notes
    -----
    Algorithms that clamp a probability (importance measures) can build a modified copy with
    :func:`dataclasses.replace` and new read-only arrays.
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

    def __post_init__(self) -> None:
        for name in ("latent_p", "unit_latent", "unit_p", "event_latent", "event_p"):
            object.__setattr__(self, name, readonly(getattr(self, name)))

    def __repr__(self) -> str:
        return (
            f"Structure({len(self.latent)} latent, {len(self.units)} units, "
            f"{len(self.events)} events, {len(self.covering)} scenarios)"
        )


def minimal_sets(sets: list[frozenset[int]]) -> list[frozenset[int]]:
    """Return the inclusion-minimal sets among ``sets``, without repeats, smallest first.

    Examples
    --------
    >>> minimal_sets([frozenset({1, 2}), frozenset({1}), frozenset({3}), frozenset({1})])
    [frozenset({1}), frozenset({3})]
    """
    kept: list[frozenset[int]] = []
    for s in sorted(set(sets), key=lambda s: (len(s), sorted(s))):
        if not any(k <= s for k in kept):
            kept.append(s)
    return kept


class _Compiler:
    def __init__(self, entries: Entries) -> None:
        self.P = entries
        self.latent = tuple(entries.latent)
        self.units: list[Event] = []
        self.unit_latent: list[int] = []
        self.unit_p: list[tuple[float, float]] = []
        self.events: list[Event] = []
        self.event_index: dict[Event, int] = {}
        self.event_latent: list[int] = []
        self.event_p: list[tuple[float, float]] = []
        self.own_unit: dict[str, int] = {}
        self.own_terms: dict[str, list[frozenset[int]]] = {}

    def add_unit(self, event: Event, latent: int, p: tuple[float, float]) -> int:
        self.units.append(event)
        self.unit_latent.append(latent)
        self.unit_p.append(p)
        return len(self.units) - 1

    def add_event(self, event: Event, latent: int, p: tuple[float, float]) -> int:
        if event not in self.event_index:
            self.event_index[event] = len(self.events)
            self.events.append(event)
            self.event_latent.append(latent)
            self.event_p.append(p)
        return self.event_index[event]

    def assumption(self, a_id: str) -> None:
        p_fail = self.P.assumptions[a_id].p_fail
        own = Event("assumption", a_id)
        if not isinstance(p_fail, Conditional):
            self.own_unit[a_id] = self.add_unit(own, -1, (p_fail, p_fail))
            self.own_terms[a_id] = [frozenset({self.add_event(own, -1, (p_fail, p_fail))})]
            return
        j = self.latent.index(p_fail.latent)
        h, f = p_fail.holds, p_fail.fails
        self.own_unit[a_id] = self.add_unit(own, j, (h, f))
        if f <= h:  # no monotone decomposition: keep the latent-dependent probability
            self.own_terms[a_id] = [frozenset({self.add_event(own, j, (h, f))})]
            return
        x = self.add_event(own, -1, (h, h))
        w = self.add_event(Event("latent", p_fail.latent), j, (0.0, 1.0))
        if f == 1.0:
            self.own_terms[a_id] = [frozenset({x}), frozenset({w})]
            return
        y_p = (f - h) / (1.0 - h)
        y = self.add_event(Event("latent_effect", a_id, p_fail.latent), -1, (y_p, y_p))
        self.own_terms[a_id] = [frozenset({x}), frozenset({w, y})]

    def run(self) -> Structure:
        P = self.P
        for a_id in P.assumptions:
            self.assumption(a_id)
        eps_unit, eps_event = {}, {}
        for c_id, case in P.cases.items():
            e = Event("soundness", c_id)
            p = (case.soundness_error, case.soundness_error)
            eps_unit[c_id] = self.add_unit(e, -1, p)
            eps_event[c_id] = self.add_event(e, -1, p)

        latent_p = [v.p_fail for v in P.latent.values()]

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

        def close_assumption(a_id: str) -> None:
            if a_id in paths:
                return
            path, t = {self.own_unit[a_id]}, list(self.own_terms[a_id])
            for r in P.assumptions[a_id].requires:
                close_assumption(r)
                path |= paths[r]
                t += terms[r]
            paths[a_id], terms[a_id] = frozenset(path), tuple(minimal_sets(t))

        def close_case(c_id: str) -> None:
            if c_id in paths:
                return
            case = P.cases[c_id]
            path, t = {eps_unit[c_id]}, [frozenset({eps_event[c_id]})]
            if case.soundness_error == 0.0:
                t = []
            for a_id in case.assumptions:
                close_assumption(a_id)
                path |= paths[a_id]
                t += terms[a_id]
            for other in case.rests_on:
                close_case(other)
                path |= paths[other]
                t += terms[other]
            paths[c_id], terms[c_id] = frozenset(path), tuple(minimal_sets(t))

        for a_id in P.assumptions:
            close_assumption(a_id)
        for c_id in P.cases:
            close_case(c_id)
        covering = {
            s: tuple(c for c, case in P.cases.items() if s in case.covers) for s in P.scenarios
        }
        return Structure(
            latent=self.latent,
            latent_p=np.array([v.p_fail for v in P.latent.values()], dtype=float),
            units=tuple(self.units),
            unit_latent=np.array(self.unit_latent, dtype=np.intp),
            unit_p=np.array(self.unit_p, dtype=float).reshape(-1, 2),
            paths=MappingProxyType(paths),
            events=tuple(self.events),
            event_latent=np.array(self.event_latent, dtype=np.intp),
            event_p=np.array(self.event_p, dtype=float).reshape(-1, 2),
            terms=MappingProxyType(terms),
            covering=MappingProxyType(covering),
            requires=MappingProxyType({k: a.requires for k, a in P.assumptions.items()}),
            case_assumptions=MappingProxyType({k: c.assumptions for k, c in P.cases.items()}),
            rests_on=MappingProxyType({k: c.rests_on for k, c in P.cases.items()}),
        )


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
    [['A'], ['A|W', 'W']]
    """
    return _Compiler(entries).run()
