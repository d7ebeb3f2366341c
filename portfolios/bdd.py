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
The engine is ``dd.bdd`` (the pure-Python BDD of the ``dd`` package). Its docstring: "Nodes are
positive integers, edges signed integers. Complemented edges are represented as negative
integers"; ``succ(u)`` returns ``(level, low, high)`` of the node ``abs(u)``, whose high edge is
never complemented. A negated edge ``-u`` denotes ``NOT f_u``. Computing ``P(NOT g)`` as
``1 - P(g)`` would cancel catastrophically when ``P(g)`` is close to 1 (a rare top event under a
complemented edge would be rounded to 0 or to ~1e-16); instead the complement is pushed into the
children, ``P(NOT g) = p P(NOT g_1) + (1 - p) P(NOT g_0)``, memoized on the *signed* edge, so
every partial result is a sum of products of non-negative numbers and keeps its relative
accuracy (the technique faultree's ``builder.wmc`` documents for ``dd.autoref``).

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

import functools
import math
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from .errors import ComputationLimitError, PortfolioError, UnknownIdError
from .structure import Structure, latent_states

__all__ = [
    "BDD",
    "MAX_BDD_NODES",
    "dnf_probability",
    "structure_bdd",
    "structure_probability",
]

#: Largest number of BDD nodes built before the engine gives up (a ComputationLimitError).
MAX_BDD_NODES = 2_000_000


@functools.cache
def _manager_class() -> Any:
    try:
        from dd import bdd as dd_bdd
    except ImportError as err:  # pragma: no cover - dd is a dependency
        raise ImportError("method='bdd' needs the 'dd' package: pip install dd") from err

    class _Manager(dd_bdd.BDD):
        """``dd.bdd.BDD`` that skips its shutdown check after an operation failed half-way.

        When an operation reaches ``max_nodes``, dd raises in the middle of updating its
        reference counts; its ``__del__`` then trips over them ("Exception ignored ...
        KeyError", an unraisable exception). The manager is dropped after that error, so
        its check has nothing left to check.
        """

        failed = False

        def __del__(self) -> None:
            if not self.failed:
                super().__del__()

    return _Manager


def _manager(n_vars: int) -> Any:
    manager = _manager_class()()
    manager.configure(reordering=False)  # levels stay equal to variable indices
    manager.max_nodes = MAX_BDD_NODES
    manager.declare(*(f"x{i}" for i in range(n_vars)))
    return manager


class BDD:
    """A reduced ordered BDD over ``n`` basic events, with weighted model counting.

    Variable ``i`` is the ``i``-th basic event and sits at level ``i`` (no reordering). Edges
    are ``dd.bdd`` edges: signed integers, ``1`` true, ``-1`` false, ``-u`` the complement.

    Parameters
    ----------
    n_vars : int
        The number of basic events.

    Examples
    --------
    >>> B = BDD(3)
    >>> f = B.or_(B.and_(B.var(0), B.var(1)), B.and_(B.var(1), B.var(2)))  # AB or BC
    >>> round(B.probability(f, [0.1, 0.2, 0.3]), 12)  # SCRAM's ab_bc benchmark value
    0.074
    >>> B.minimal_cut_sets(f)  # bit masks: {0, 1} and {1, 2}
    [3, 6]
    """

    def __init__(self, n_vars: int) -> None:
        self.n_vars = n_vars
        self.manager = _manager(n_vars)
        self.true, self.false = 1, -1

    def _apply(self, op: str, u: int, v: int) -> int:
        try:
            result: int = self.manager.apply(op, u, v)
        except RuntimeError as err:  # dd.bdd: "full: reached `self.max_nodes` nodes"
            self.manager.failed = True  # its reference counts are inconsistent now
            raise ComputationLimitError(
                None,
                f"the BDD exceeds MAX_BDD_NODES = {MAX_BDD_NODES} nodes; the structure is "
                "too large for the exact engine (use method='montecarlo')",
            ) from err
        return result

    def var(self, i: int) -> int:
        """Return the edge of basic event ``i``."""
        edge: int = self.manager.var(f"x{i}")
        return edge

    def and_(self, *edges: int) -> int:
        """Return the conjunction of ``edges`` (true if none)."""
        result = self.true
        for e in edges:
            result = self._apply("and", result, e)
        return result

    def or_(self, *edges: int) -> int:
        """Return the disjunction of ``edges`` (false if none)."""
        result = self.false
        for e in edges:
            result = self._apply("or", result, e)
        return result

    @staticmethod
    def not_(edge: int) -> int:
        """Return the complement of ``edge`` (a complemented edge: no new node)."""
        return -edge

    def atleast(self, k: int, edges: Sequence[int]) -> int:
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

    def size(self, root: int) -> int:
        """Return the number of internal nodes reachable from ``root``."""
        seen: set[int] = set()
        stack = [abs(root)]
        while stack:
            u = stack.pop()
            if u == 1 or u in seen:
                continue
            seen.add(u)
            _, low, high = self.manager.succ(u)
            stack.extend((abs(low), abs(high)))
        return len(seen)

    def _cofactors(self, u: int) -> tuple[int, int, int]:
        level, low, high = self.manager.succ(u)
        if u < 0:  # complemented edge: push the complement into both children
            return level, -low, -high
        return level, low, high

    def probability(self, root: int, p: Any) -> Any:
        """Return the probability that ``root`` holds under independent basic events.

        Parameters
        ----------
        root : int
            An edge of this diagram.
        p : array_like, shape (n,) or (n, K)
            Each basic event's probability; with a second axis, ``K`` probability vectors are
            evaluated in one pass (the result then has shape ``(K,)``).

        Returns
        -------
        float or ndarray
        """
        q = np.asarray(p, dtype=float)
        if q.shape[0] != self.n_vars:
            raise PortfolioError(None, f"expected {self.n_vars} probabilities, got {q.shape[0]}")
        vector = q.ndim == 2
        probs: Any = q if vector else q.tolist()
        one = np.ones(q.shape[1]) if vector else 1.0
        zero = np.zeros(q.shape[1]) if vector else 0.0
        memo: dict[int, Any] = {1: one, -1: zero}
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 4 * self.n_vars + 100))

        def rec(u: int) -> Any:
            r = memo.get(u)
            if r is None:
                level, low, high = self._cofactors(u)
                pi = probs[level]
                r = pi * rec(high) + (1.0 - pi) * rec(low)
                memo[u] = r
            return r

        try:
            result = rec(root)
        finally:
            sys.setrecursionlimit(limit)
        return result if vector else float(result)

    def evaluate(self, root: int, failed: int) -> bool:
        """Return the value of ``root`` when exactly the events in bit mask ``failed`` occur."""
        u = root
        while abs(u) != 1:
            level, low, high = self._cofactors(u)
            u = high if failed >> level & 1 else low
        return u == 1

    def minimal_cut_sets(self, root: int, max_order: int | None = None) -> list[int]:
        """Return the minimal cut sets (bit masks) of a *monotone* function, smallest first.

        Rauzy's decomposition (1993): for ``f = x f_1 OR f_0`` with ``f_0 <= f_1``, the minimal
        cut sets are those of ``f_0`` and ``{x} | m`` for each minimal cut set ``m`` of ``f_1``
        that is not a cut set of ``f_0`` (checked by evaluating ``f_0`` on ``m``). Up to
        ``max_order``, sets that grow beyond it are dropped as they appear.

        The caller guarantees monotonicity; for a non-monotone function the result is not the
        set of prime implicants.
        """
        limit = self.n_vars if max_order is None else max_order
        memo: dict[tuple[int, int], list[int]] = {}

        def minsol(u: int, budget: int) -> list[int]:
            if u == 1:
                return [0]
            if u == -1:
                return []
            key = (u, budget)
            out = memo.get(key)
            if out is None:
                level, low, high = self._cofactors(u)
                out = list(minsol(low, budget))
                if budget > 0:
                    bit = 1 << level
                    out.extend(
                        m | bit for m in minsol(high, budget - 1) if not self.evaluate(low, m)
                    )
                memo[key] = out
            return out

        old = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old, 4 * self.n_vars + 100))
        try:
            found = minsol(root, limit)
        finally:
            sys.setrecursionlimit(old)
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


def _dnf(B: BDD, column: dict[int, int], terms: Iterable[Iterable[int]]) -> int:
    return B.or_(*(B.and_(*(B.var(column[e]) for e in sorted(term))) for term in terms))


def structure_bdd(structure: Structure, targets: Sequence[str]) -> tuple[BDD, int, list[int]]:
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
            raise UnknownIdError(None, f"unknown case or assumption {t!r}")
    events = _event_order(structure, (term for t in targets for term in structure.terms[t]))
    column = {e: i for i, e in enumerate(events)}
    B = BDD(len(events))
    root = B.and_(*(_dnf(B, column, structure.terms[t]) for t in targets))
    return B, root, events


def _weighted(B: BDD, root: int, structure: Structure, events: list[int]) -> float:
    if root in (1, -1):
        return 1.0 if root == 1 else 0.0
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
