r"""Exact probabilities by binary decision diagrams: ``method="bdd"`` and general fault trees.

Definitions
-----------
A *binary decision diagram* (BDD) represents a Boolean function ``f`` of the basic events
``x_0, ..., x_{n-1}`` (in a fixed order) as a DAG of Shannon expansions
``f = x_i f|_{x_i=1} OR (NOT x_i) f|_{x_i=0}``, with equal subfunctions shared. When the
basic events are independent, the probability that ``f`` holds is the *weighted model count*

    P(f) = p_i P(f|_{x_i=1}) + (1 - p_i) P(f|_{x_i=0}),   P(true) = 1, P(false) = 0,

memoized on the nodes: linear in the size of the diagram (Bryant 1986; Rauzy 1993; SCRAM's
``doc/probability_analysis.rst``). The diagram's size depends on the variable order but not
on the number of minimal cut sets: a tree of 61 basic events whose top event has 46,188
minimal cut sets (the Aralia benchmark ``baobab1``) compiles to a few thousand nodes.

Complemented edges
------------------
The engine is :mod:`portfolios.ftengine`: ``dd.cudd`` (CUDD, in C) when it imports, else
``dd.bdd`` (pure Python). Both use complemented edges: an edge may denote ``NOT f_u``.
Computing ``P(NOT g)`` as ``1 - P(g)`` would cancel catastrophically when ``P(g)`` is close to 1
(a rare top event under a complemented edge would be rounded to 0 or to ~1e-16); instead the
engine computes the probability of every node and of its complement bottom-up,
``P(NOT g) = p P(NOT g_1) + (1 - p) P(NOT g_0)``, so every partial result is a sum of products
of non-negative numbers and keeps its relative accuracy (the technique faultree's
``builder.wmc`` documents for ``dd.autoref``).

Portfolios
----------
:func:`structure_probability` (registered as ``METHODS["bdd"]`` in
:mod:`portfolios.probability`) compiles "every target fails" from the cut-set model of
:mod:`portfolios.structure`: each target fails through any of its minimal terms, so the function
is ``AND_t OR_{term of t} AND_{e in term} x_e`` over the structure's events. Events whose
probability depends on a latent variable's state without a monotone decomposition are
conditionally independent given that state: the engine sums over the states of those latent
variables only, evaluating the diagram for every state in one vectorised pass. The variable
order puts latent variables first, then the other events in order of first appearance.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from . import _zbdd, ftengine
from .errors import ComputationLimitError, PortfolioError, UnknownIdError, did_you_mean
from .limits import MAX_BDD_NODES
from .structure import Structure, latent_states

__all__ = [
    "BDD",
    "MAX_BDD_NODES",
    "dnf_probabilities",
    "dnf_probability",
    "none_fail_probability",
    "structure_bdd",
    "structure_probability",
]


class BDD:
    """A reduced ordered BDD over ``n`` basic events, with weighted model counting.

    A thin layer over the engine of :mod:`portfolios.ftengine` (``dd.cudd`` when it imports,
    else ``dd.bdd``; the attribute ``backend`` says which): variable ``i`` is the ``i``-th basic
    event and sits at level ``i`` (no reordering). Edges are the backend's functions.

    Parameters
    ----------
    n_vars : int
        The number of basic events.
    backend : {"auto", "cudd", "python"}

    Examples
    --------
    >>> B = BDD(3)
    >>> f = B.or_(B.and_(B.var(0), B.var(1)), B.and_(B.var(1), B.var(2)))  # AB or BC
    >>> round(B.probability(f, [0.1, 0.2, 0.3]), 12)  # SCRAM's ab_bc benchmark value
    0.074
    >>> B.minimal_cut_sets(f)  # bit masks: {0, 1} and {1, 2}
    [3, 6]
    """

    def __init__(self, n_vars: int, backend: str = "auto") -> None:
        self.n_vars = n_vars
        kind = ftengine._resolve_backend(backend)
        manager_class = ftengine._Cudd if kind == "cudd" else ftengine._Python
        self.manager = manager_class(n_vars, MAX_BDD_NODES)
        self.backend = kind
        self.true, self.false = self.manager.true, self.manager.false
        self._applied, self._check_every = 0, max(1, n_vars // 64)

    def _apply(self, op: str, u: Any, v: Any) -> Any:
        m = self.manager
        try:
            result = m.and_(u, v) if op == "and" else m.or_(u, v)
            self._applied += 1
            # reading the node count costs time proportional to the number of variables
            # (CUDD's statistics: about 3 ms at 1,000): read it every n_vars // 64 operations
            if self._applied % self._check_every == 0 and m.nodes() > MAX_BDD_NODES:
                raise RuntimeError("full")
        except (RuntimeError, SystemError, MemoryError, ValueError) as err:
            ftengine._mark_failed(m)
            if isinstance(err, RecursionError):
                raise ComputationLimitError(
                    None, f"dd.bdd ran out of recursion depth ({self.n_vars} variables)"
                ) from err
            raise ComputationLimitError(
                None,
                f"the BDD exceeds MAX_BDD_NODES = {MAX_BDD_NODES} nodes; the structure is "
                "too large for the exact engine (use method='montecarlo')",
            ) from err
        return result

    def var(self, i: int) -> Any:
        """Return the edge of basic event ``i``."""
        return self.manager.var(i)

    def and_(self, *edges: Any) -> Any:
        """Return the conjunction of ``edges`` (true if none)."""
        result = self.true
        for e in edges:
            result = self._apply("and", result, e)
        return result

    def or_(self, *edges: Any) -> Any:
        """Return the disjunction of ``edges`` (false if none)."""
        result = self.false
        for e in edges:
            result = self._apply("or", result, e)
        return result

    def not_(self, edge: Any) -> Any:
        """Return the complement of ``edge`` (a complemented edge: no new node)."""
        return self.manager.not_(edge)

    def atleast(self, k: int, edges: Sequence[Any]) -> Any:
        """Return "at least ``k`` of ``edges`` hold" (dynamic programme over the edges)."""
        if k <= 0:
            return self.true
        if k > len(edges):
            return self.false
        row = [self.true] + [self.false] * k  # row[j]: at least j of those seen so far
        for e in edges:
            for j in range(k, 0, -1):
                row[j] = self._apply("or", row[j], self._apply("and", row[j - 1], e))
        return row[k]

    def size(self, root: Any) -> int:
        """Return the number of internal nodes reachable from ``root``."""
        return self.manager.size(root)

    def diagram(self, *roots: Any) -> ftengine.Diagram:
        """Return the flat diagram of ``roots`` (:class:`portfolios.ftengine.Diagram`)."""
        return ftengine._flatten(self.manager, list(roots))

    def probability(self, root: Any, p: Any) -> Any:
        """Return the probability that ``root`` holds under independent basic events.

        Parameters
        ----------
        root : edge
            An edge of this diagram.
        p : array_like, shape (n,) or (n, K)
            Each basic event's probability; with a second axis, ``K`` probability vectors are
            evaluated in one pass (the result then has shape ``(K,)``).

        Returns
        -------
        float or ndarray
        """
        q = np.asarray(p, dtype=float)
        if q.ndim not in (1, 2) or q.shape[0] != self.n_vars:
            raise PortfolioError(None, f"expected {self.n_vars} probabilities, got {q.shape[0]}")
        value = ftengine.probability(self.diagram(root), q)[0]
        return value if q.ndim == 2 else float(value)

    def evaluate(self, root: Any, failed: int) -> bool:
        """Return the value of ``root`` when exactly the events in bit mask ``failed`` occur."""
        m = self.manager
        u = root
        while not (m.is_true(u) or m.is_false(u)):
            x, lo, hi = m.cofactors(u)
            u = hi if failed >> x & 1 else lo
        return bool(m.is_true(u))

    def minimal_cut_sets(self, root: Any, max_order: int | None = None) -> list[int]:
        """Return the minimal cut sets (bit masks) of a *monotone* function, smallest first.

        Rauzy's decomposition into a ZBDD (:func:`portfolios.ftengine.minimal_solutions`),
        up to ``max_order``. The caller guarantees monotonicity; for a non-monotone function
        the result is not the set of prime implicants.
        """
        D = self.diagram(root)
        family = _zbdd.Family()
        z = ftengine.minimal_solutions(D, D.roots[0], family, max_order=max_order)
        found = [sum(1 << v for v in s) for s in family.sets(z)]
        return sorted(found, key=lambda m: (m.bit_count(), m))


# --------------------------------------------------------------------------- portfolios


def _event_order(structure: Structure, terms: Iterable[Iterable[int]]) -> list[int]:
    """Latent variables first, then the other events in order of first appearance."""
    seen: list[int] = []
    for term in terms:
        for e in sorted(term):
            if e not in seen:
                seen.append(e)
    latent = [e for e in seen if structure.events[e].kind == "latent"]
    return latent + [e for e in seen if structure.events[e].kind != "latent"]


def _latent_states(structure: Structure, events: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(weights (S,), probs (len(events), S))`` over the conditioning latent states.

    Only latent variables that condition an event's probability (beyond their own Boolean
    event ``W_j``) are summed over; a ``W_j`` whose variable is summed over takes the value of
    its state, otherwise its probability ``p_j``.
    """
    conditioning, bits, weights = latent_states(
        structure,
        (int(structure.event_latent[e]) for e in events if structure.events[e].kind != "latent"),
        context="bdd: ",
    )
    position = {j: i for i, j in enumerate(conditioning)}
    probs = np.empty((len(events), len(weights)))
    for row, e in enumerate(events):
        j = int(structure.event_latent[e])
        if structure.events[e].kind == "latent":
            probs[row] = bits[:, position[j]] if j in position else structure.latent_p[j]
        elif j >= 0:
            probs[row] = structure.event_p[e, bits[:, position[j]]]
        else:
            probs[row] = structure.event_p[e, 0]
    return weights, probs


def _dnf(B: BDD, column: dict[int, int], terms: Iterable[Iterable[int]]) -> Any:
    return B.or_(*(B.and_(*(B.var(column[e]) for e in sorted(term))) for term in terms))


def structure_bdd(structure: Structure, targets: Sequence[str]) -> tuple[BDD, Any, list[int]]:
    """Compile "every target fails" into a BDD.

    Returns
    -------
    (BDD, root, events)
        ``events[i]`` is the index in ``structure.events`` of the diagram's variable ``i``.

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.load(portfolios.EXAMPLE_PATH)
    >>> B, root, events = structure_bdd(P.structure, P.covering_cases("weight_exfiltration"))
    >>> B.size(root), len(events)  # 30 basic events, 101 nodes
    (101, 30)
    """
    if len(targets) == 0:
        raise PortfolioError(None, "need at least one target (a case or assumption id)")
    for t in targets:
        if t not in structure.terms:
            hint = did_you_mean(t, structure.terms)
            raise UnknownIdError(None, f"unknown case or assumption {t!r}{hint}")
    events = _event_order(structure, (term for t in targets for term in structure.terms[t]))
    column = {e: i for i, e in enumerate(events)}
    B = BDD(len(events))
    root = B.and_(*(_dnf(B, column, structure.terms[t]) for t in targets))
    return B, root, events


def _weighted(B: BDD, root: Any, structure: Structure, events: list[int]) -> float:
    if B.manager.is_true(root) or B.manager.is_false(root):
        return 1.0 if B.manager.is_true(root) else 0.0
    weights, probs = _latent_states(structure, events)
    per_state = B.probability(root, probs)
    return min(1.0, max(0.0, math.fsum((weights * per_state).tolist())))


def structure_probability(structure: Structure, targets: Sequence[str]) -> float:
    """Return P(every target fails) by BDD (``method="bdd"``; see the module docstring).

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.load(portfolios.EXAMPLE_PATH)
    >>> s = "weight_exfiltration"
    >>> abs(P.p_unprotected(s, method="bdd") - P.p_unprotected(s)) < 1e-15
    True
    """
    B, root, events = structure_bdd(structure, targets)
    return _weighted(B, root, structure, events)


def dnf_probability(structure: Structure, terms: Sequence[Iterable[int]]) -> float:
    """Return the probability that at least one of ``terms`` (sets of event indices) occurs.

    Used for the Fussell-Vesely importance (the union of the cut sets containing an event).
    """
    terms = [frozenset(t) for t in terms]
    if not terms:
        return 0.0
    events = _event_order(structure, terms)
    column = {e: i for i, e in enumerate(events)}
    B = BDD(len(events))
    root = _dnf(B, column, terms)
    return _weighted(B, root, structure, events)


#: Largest number of nodes of the one shared diagram that :func:`dnf_probabilities` walks in
#: Python; past it, each root's diagram is read out and evaluated by the vectorised engine.
WALK_NODES = 200_000


def _walk_probabilities(B: BDD, roots: list[Any], probs: np.ndarray) -> list[np.ndarray]:
    """P(root) per latent state for each root, by one iterative walk of the shared diagram.

    ``probs`` has shape ``(n_vars, S)``. A node's value is ``p P(hi) + (1 - p) P(lo)`` with the
    complement pushed into the cofactors, so every value is a sum of products of non-negative
    numbers (module docstring); the memo is shared by the roots, and the walk uses an explicit
    stack (no recursion depth depends on the diagram).
    """
    m = B.manager
    ones, zeros = np.ones(probs.shape[1]), np.zeros(probs.shape[1])
    memo: dict[int, np.ndarray] = {}

    def known(u: Any) -> np.ndarray | None:
        if m.is_true(u):
            return ones
        if m.is_false(u):
            return zeros
        return memo.get(m.key(u))

    out = []
    for root in roots:
        stack = [root]
        while stack:
            u = stack[-1]
            if known(u) is not None:
                stack.pop()
                continue
            x, lo, hi = m.cofactors(u)
            p_lo, p_hi = known(lo), known(hi)
            if p_lo is None or p_hi is None:
                stack.extend(e for e, v in ((lo, p_lo), (hi, p_hi)) if v is None)
                continue
            memo[m.key(u)] = probs[x] * p_hi + (1.0 - probs[x]) * p_lo
            stack.pop()
        value = known(root)
        assert value is not None
        out.append(value)
    return out


def dnf_probabilities(
    structure: Structure, families: Sequence[Sequence[Iterable[int]]]
) -> list[float]:
    """Return :func:`dnf_probability` of each family of terms, on one shared diagram.

    One BDD over every event of the families, one root per family, and the latent states'
    probabilities computed once: the Fussell-Vesely importance of ``n`` basic events builds one
    manager instead of ``n`` (each as large as the scenario's events).

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.Portfolio.from_dict({
    ...     "assumptions": {"A": {"statement": "a", "p_fail": 0.1},
    ...                     "B": {"statement": "b", "p_fail": 0.2}},
    ...     "cases": {"X": {"statement": "x", "assumptions": ["A", "B"], "covers": ["S"]}},
    ...     "scenarios": {"S": {"statement": "s"}},
    ... })
    >>> a, b = (P.structure.events.index(e) for e in P.structure.events if e.id in "AB")
    >>> [round(v, 12) for v in dnf_probabilities(P.structure, [[{a}], [{a}, {b}], []])]
    [0.1, 0.28, 0.0]
    """
    fams = [[frozenset(t) for t in terms] for terms in families]
    events = _event_order(structure, (t for terms in fams for t in terms))
    if not events:
        return [0.0 for _ in fams]
    column = {e: i for i, e in enumerate(events)}
    B = BDD(len(events))
    roots = [_dnf(B, column, terms) for terms in fams]
    if B.manager.nodes() > WALK_NODES:
        return [_weighted(B, r, structure, events) for r in roots]
    weights, probs = _latent_states(structure, events)
    return [
        min(1.0, max(0.0, math.fsum((weights * per_state).tolist())))
        for per_state in _walk_probabilities(B, roots, probs)
    ]


def none_fail_probability(structure: Structure, targets: Sequence[str]) -> float:
    """Return P(no target fails), the complement of "some target fails", by BDD.

    The diagram of "some target fails" (any minimal term of any target) is evaluated through
    its complemented edge, so the result is a sum of products of non-negative numbers and
    keeps its relative accuracy when it is tiny (module docstring), where ``1 - P(some
    fails)`` would be rounding noise. Sums over the latent states only of the variables that
    condition an event without a monotone decomposition, so it takes portfolios past
    :data:`~portfolios.limits.MAX_LATENT` latent variables that latent-state enumeration
    refuses.

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.Portfolio.from_dict({
    ...     "latent": {"W": {"statement": "w", "p_fail": 0.5}},
    ...     "assumptions": {"A": {"statement": "a", "p_fail": {"W": {"holds": 0.1, "fails": 0.3}}},
    ...                     "B": {"statement": "b", "p_fail": 0.2}},
    ...     "cases": {"X": {"statement": "x", "assumptions": ["A", "B"], "covers": ["S"]}},
    ...     "scenarios": {"S": {"statement": "s"}},
    ... })
    >>> round(none_fail_probability(P.structure, ["X"]), 12)  # (0.5 * 0.9 + 0.5 * 0.7) * 0.8
    0.64
    """
    for t in targets:
        if t not in structure.terms:
            hint = did_you_mean(t, structure.terms)
            raise UnknownIdError(None, f"unknown case or assumption {t!r}{hint}")
    terms = [term for t in targets for term in structure.terms[t]]
    if not terms:
        return 1.0
    events = _event_order(structure, terms)
    column = {e: i for i, e in enumerate(events)}
    B = BDD(len(events))
    return _weighted(B, B.not_(_dnf(B, column, terms)), structure, events)
