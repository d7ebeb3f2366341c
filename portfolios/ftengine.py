r"""The exact fault-tree engine: Boolean DAGs compiled to BDDs, evaluated by array passes.

Definitions
-----------
A :class:`Pdag` (propositional DAG, the plain data every reader builds) has ``n_vars``
variables, numbered ``0 .. n_vars - 1``, and nodes numbered from ``n_vars`` on, each an
operator over earlier variables and nodes:

================  ===================================================================
operator          value
================  ===================================================================
``and``/``or``    conjunction / disjunction of the arguments (true / false if none)
``nand``          ``not and``; ``nor``: ``not or``
``not``           the complement of its one argument
``xor``           exactly one of its two arguments; ``iff``: both or neither
``imply``         ``not a or b`` for arguments ``(a, b)``
``atleast``       at least ``k`` of the arguments
``cardinality``   at least ``k`` and at most ``kmax`` of the arguments
``true``          the constant (no argument); ``false`` likewise
================  ===================================================================

:func:`compile_pdag` builds the reduced ordered BDD of some nodes, variable ``i`` at level
``i`` (the readers number the variables depth first from the top gate, the static order the
literature recommends: Bouissou et al. 1997; SCRAM's preprocessor does the same), gates in
post-order (section "Building").

Building
--------
The gates are built in increasing order, each from its arguments' diagrams. An
``and``/``or`` (``nand``/``nor``) folds its arguments in increasing order of their support
sizes (the number of variables under each in the DAG; ties keep the written order), so that
the small operands meet first and the intermediate results stay small; this is skipped
when ``variables x gates`` exceeds 4e8 (the supports would cost too much to hold). A gate's
diagram is released as soon as every gate that uses it is built (a count of its users over
the DAG; the requested nodes are kept), and ``dd.cudd`` is set to collect garbage rather
than grow its unique table (``loose_up_to = 1``), so the dead nodes' memory is reused. A
reduced ordered BDD is canonical: neither changes the diagram, only the time and memory
spent reaching it (on das9701, the largest published tree, 0.46 GB instead of 1.23 GB).
``Compiled.nodes_built`` is the peak number of live nodes in the manager.

Backends
--------
``"cudd"`` (``dd.cudd``, the CUDD library in C, shipped in the ``dd`` wheels) when it imports,
else ``"python"`` (``dd.bdd``, pure Python). Both build the same diagram for the same order;
the result names the one that ran. Dynamic reordering is off during the build (on one published
tree it made the build 50 times slower); ``reorder=True`` sifts once after the build
(``Cudd_ReduceHeap``, group sifting).

Limits and failures
-------------------
The build stops with a :class:`~portfolios.errors.ComputationLimitError` (the number of nodes
reached and the suggestion ``method="montecarlo"``) when the manager holds more than
``max_nodes`` live nodes (checked after a gate at most every 0.2 s, so the figure is the
size the build had reached), and any failure inside ``dd`` (CUDD out of memory, an internal
error) becomes the same error naming the gate being built. ``dd.bdd`` recurses once per
level: its recursion limit is raised to a bound proportional to the number of variables while
it works, and a ``RecursionError`` there is reported as such, never as a size limit. This
module's own walks are loops over arrays or explicit stacks.

Modules
-------
A module is a node whose sub-DAG shares no variable or node with the rest of the DAG
(:func:`modules`, the visit dates of Dutuit and Rauzy 1996). With independent variables its
function is an independent event: :func:`modularise` gives each module a fresh variable in its
parents, just above the module's own variables, and compiles the module as a root of its own
in the same manager; :func:`probability` with ``derived=`` then evaluates every module below
the level of its variable and uses its probability (and its complement's) there, in the same
single pass. The value is exact for every operator.

Evaluation
----------
A compiled diagram is flattened into arrays (:class:`Diagram`): for ``dd.cudd`` through its
DDDMP dump (written in C and read with numpy), for ``dd.bdd`` by an iterative walk. Nodes are
grouped by level, deepest first; as in CUDD and ``dd.bdd``, an edge may be complemented (its
function is the negation of the node's), encoded ``2 * node + complement``, node 0 the terminal
``true``. The probability of every node and of its complement is computed bottom-up, one numpy
operation per level for all nodes of the level and all probability vectors at once:

    P(u) = p_x P(hi) + (1 - p_x) P(lo),   Pbar(u) = p_x Pbar(hi) + (1 - p_x) Pbar(lo),

with ``P`` and ``Pbar`` swapped across a complemented edge. Every partial result is a sum of
products of non-negative numbers, so the value keeps its relative accuracy for rare events (no
``1 - P`` is ever formed). The cost is linear in the size of the diagram times the number of
probability vectors.

Conditional probabilities ``P(top | x := 1)`` and ``P(top | x := 0)`` for every variable (the
importance measures) are computed either exactly, as two more probability vectors per variable
(small diagrams), or by one bottom-up and one top-down pass over the diagram (large ones):
with ``A(u)``, ``B(u)`` the probability of reaching node ``u`` from the root through an even
(odd) number of complemented edges,

    P(top | x := c) = sum_{u at level x} [A(u) val_c(u) + B(u) valbar_c(u)] + S_x,

``val_c`` the value of the ``c`` child and ``S_x`` the mass of the paths that skip level ``x``
(summed over the edges that jump over it). Both sums are of non-negative terms; ``S_x`` is a
difference of two running sums, exact zero when no edge of positive weight jumps the level (so
an event in every cut set gets ``P(top | x := 0) = 0`` exactly, and ``RRW = inf``).
"""

from __future__ import annotations

import functools
import math
import os
import sys
import tempfile
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _zbdd
from ._arrays import readonly
from .errors import ComputationLimitError, PortfolioError

__all__ = [
    "BACKENDS",
    "DEFAULT_MAX_NODES",
    "EXACT_IMPORTANCE_CELLS",
    "OPERATORS",
    "REORDER_NODES",
    "Compiled",
    "Diagram",
    "Pdag",
    "available_backends",
    "compile_pdag",
    "conditional_probabilities",
    "minimal_solutions",
    "modularise",
    "modules",
    "monotone",
    "prime_implicants",
    "probability",
]

#: The operators of a :class:`Pdag` node.
OPERATORS = (
    "and",
    "or",
    "nand",
    "nor",
    "not",
    "xor",
    "iff",
    "imply",
    "atleast",
    "cardinality",
    "true",
    "false",
)
#: The BDD backends, preferred first.
BACKENDS = ("cudd", "python")
#: ``reorder="auto"`` sifts the variables when the manager first holds this many nodes.
REORDER_NODES = 4_000_000
#: Default largest number of nodes in the BDD manager (``max_nodes=``).
DEFAULT_MAX_NODES = 20_000_000
#: Largest ``nodes x (2 * variables + 1)`` for which :func:`conditional_probabilities`
#: evaluates every clamped probability vector exactly; above it, the two-pass method.
EXACT_IMPORTANCE_CELLS = 4_000_000
#: Largest number of cells (nodes times probability vectors) of one evaluation pass; the
#: probability vectors are processed in chunks below it.
PASS_CELLS = 8_000_000
#: The recursion limit ``dd.bdd`` gets while it works: this many frames per variable, plus
#: :data:`_RECURSION_BASE` (its ``apply`` recurses once or twice per level).
_FRAMES_PER_VARIABLE = 8
_RECURSION_BASE = 2_000
#: The size of the manager is checked at most this often (seconds): counting CUDD's live
#: nodes costs a garbage-collection pass, too much to do after every gate.
_CHECK_SECONDS = 0.2
#: Roots of at most this many nodes are read out of ``dd.cudd`` by a walk in Python, larger
#: ones through a DDDMP dump (about 6 ms each, whatever the size).
_WALK_NODES = 2_000
#: The operators whose arguments are folded in increasing order of their support sizes.
_FOLDS = frozenset(("and", "or", "nand", "nor"))
#: Largest ``variables x nodes`` for which the supports are computed (``order_arguments=``).
_SUPPORT_CELLS = 400_000_000


@dataclass(frozen=True)
class Pdag:
    """A propositional DAG (module docstring): plain data for :func:`compile_pdag`.

    Attributes
    ----------
    n_vars : int
        The number of variables (basic events), numbered ``0 .. n_vars - 1``.
    nodes : tuple of (str, tuple of int, int, int)
        ``(operator, arguments, k, kmax)`` for node ``n_vars + j``; arguments are earlier
        variables or nodes; ``k`` is the ``atleast``/``cardinality`` minimum, ``kmax`` the
        ``cardinality`` maximum (0 otherwise).

    Examples
    --------
    >>> G = Pdag(3, (("and", (0, 1), 0, 0), ("or", (3, 2), 0, 0)))  # node 4 = (x0 x1) | x2
    >>> C = compile_pdag(G, [4])
    >>> round(float(probability(C.diagram, [0.1, 0.2, 0.3])[0]), 12)
    0.314
    """

    n_vars: int
    nodes: tuple[tuple[str, tuple[int, ...], int, int], ...]

    def __post_init__(self) -> None:
        for j, (op, args, k, kmax) in enumerate(self.nodes):
            me = self.n_vars + j
            if op not in OPERATORS:
                raise PortfolioError(None, f"node {me}: unknown operator {op!r}")
            for a in args:
                if not 0 <= a < me:
                    raise PortfolioError(
                        None, f"node {me}: argument {a} is not an earlier variable or node"
                    )
            n = len(args)
            if op in ("not",) and n != 1:
                raise PortfolioError(None, f"node {me}: 'not' takes one argument, got {n}")
            if op in ("xor", "iff", "imply") and n != 2:
                raise PortfolioError(None, f"node {me}: {op!r} takes two arguments, got {n}")
            if op in ("true", "false") and n:
                raise PortfolioError(None, f"node {me}: {op!r} takes no argument")
            if op == "cardinality" and not 0 <= k <= kmax:
                raise PortfolioError(None, f"node {me}: cardinality needs 0 <= min <= max")


# --------------------------------------------------------------------------- backends


def available_backends() -> tuple[str, ...]:
    """Return the backends that import here, preferred first."""
    return tuple(b for b in BACKENDS if _backend_module(b) is not None)


@functools.cache
def _backend_module(name: str) -> Any:
    try:
        if name == "cudd":
            import dd.cudd as module  # type: ignore[import-not-found, unused-ignore]
        else:
            from dd import bdd as module
    except ImportError:  # pragma: no cover - depends on the dd build
        return None
    return module


def _resolve_backend(backend: str) -> str:
    if backend == "auto":
        found = available_backends()
        if not found:  # pragma: no cover - dd is a dependency
            raise ImportError("the BDD engine needs the 'dd' package: pip install dd")
        return found[0]
    if backend not in BACKENDS:
        raise PortfolioError(
            None, f"unknown BDD backend {backend!r}; choose 'auto', {', '.join(BACKENDS)}"
        )
    if _backend_module(backend) is None:  # pragma: no cover - depends on the dd build
        raise PortfolioError(None, f"the {backend!r} backend does not import here")
    return backend


class _DDFailure(Exception):
    """A failure inside dd, carried to the caller with what was being done."""


class _Manager:
    """The operations the engine needs, over ``dd.cudd`` or ``dd.bdd``."""

    name = ""
    true: Any
    false: Any

    def __init__(self, n_vars: int, max_nodes: int) -> None:
        self.n_vars, self.max_nodes = n_vars, max_nodes

    def var(self, i: int) -> Any:
        raise NotImplementedError

    def and_(self, u: Any, v: Any) -> Any:
        raise NotImplementedError

    def or_(self, u: Any, v: Any) -> Any:
        raise NotImplementedError

    def xor(self, u: Any, v: Any) -> Any:
        raise NotImplementedError

    def not_(self, u: Any) -> Any:
        raise NotImplementedError

    def nodes(self) -> int:
        """Return the number of live nodes in the manager now."""
        raise NotImplementedError

    def peak(self) -> int:
        """Return the most live nodes the manager has held (as far as it keeps track)."""
        return self.nodes()

    def size(self, u: Any) -> int:
        raise NotImplementedError

    def reorder(self) -> None:
        raise NotImplementedError

    def level_of(self) -> np.ndarray:
        """``level_of[i]``: the level of variable ``i`` now."""
        raise NotImplementedError

    def flatten(self, roots: Sequence[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
        """Return ``(var, lo, hi, root edges)``, children before parents, node 0 = true."""
        raise NotImplementedError

    def cofactors(self, u: Any) -> tuple[int, Any, Any]:
        """Return ``(variable, low, high)`` of edge ``u`` with its complement pushed down."""
        raise NotImplementedError

    def key(self, u: Any) -> int:
        raise NotImplementedError

    def is_true(self, u: Any) -> bool:
        return bool(self.key(u) == self.key(self.true))

    def is_false(self, u: Any) -> bool:
        return bool(self.key(u) == self.key(self.false))


class _Cudd(_Manager):
    name = "cudd"

    def __init__(self, n_vars: int, max_nodes: int, collect: bool = True) -> None:
        super().__init__(n_vars, max_nodes)
        module = _backend_module("cudd")
        self.bdd = module.BDD()
        self.bdd.configure(reordering=False)
        if collect:  # collect garbage rather than grow the unique table whenever it fills
            self.bdd.configure(loose_up_to=1)
        for i in range(n_vars):
            self.bdd.add_var(f"v{i}")
        self.true, self.false = self.bdd.true, self.bdd.false
        self._vars = [self.bdd.var(f"v{i}") for i in range(n_vars)]

    def __del__(self) -> None:
        # CUDD checks at shutdown that no node is still referenced: drop the functions this
        # object holds before the manager itself.
        self.__dict__.pop("_vars", None)
        self.__dict__.pop("true", None)
        self.__dict__.pop("false", None)

    def var(self, i: int) -> Any:
        return self._vars[i]

    def and_(self, u: Any, v: Any) -> Any:
        return u & v

    def or_(self, u: Any, v: Any) -> Any:
        return u | v

    def xor(self, u: Any, v: Any) -> Any:
        return self.bdd.apply("xor", u, v)

    def not_(self, u: Any) -> Any:
        return ~u

    def nodes(self) -> int:
        return int(self._statistics()["n_nodes"])  # live nodes: CUDD's keys - dead

    def peak(self) -> int:
        return int(self._statistics()["peak_live_nodes"])  # Cudd_ReadPeakLiveNodeCount

    def _statistics(self) -> dict[str, Any]:
        with warnings.catch_warnings():  # dd warns about a changed unit of another entry
            warnings.simplefilter("ignore")
            return dict(self.bdd.statistics())

    def size(self, u: Any) -> int:
        return len(u) - 1  # Cudd_DagSize counts the constant

    def reorder(self) -> None:
        self.bdd.reorder()

    def level_of(self) -> np.ndarray:
        return np.array([self.bdd.level_of_var(f"v{i}") for i in range(self.n_vars)], np.int64)

    def flatten(self, roots: Sequence[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
        if len(roots) == 1:
            return self._flatten_one(roots[0])
        # dd dumps one root at a time: merge the dumps, sharing equal nodes (hash-consing,
        # one level at a time, deepest first, in numpy)
        with tempfile.TemporaryDirectory() as tmp:  # small roots (modules) walked directly
            parts = [
                self._walk_one(root) if len(root) <= _WALK_NODES else self._flatten_one(root, tmp)
                for root in roots
            ]
        offsets = np.cumsum([1] + [len(v) - 1 for v, _, _, _ in parts])
        var_parts = [np.array([self.n_vars])]
        lo_parts: list[np.ndarray] = [np.zeros(1, np.int64)]
        hi_parts: list[np.ndarray] = [np.zeros(1, np.int64)]
        edges = []

        def shift(e: np.ndarray, offset: int) -> np.ndarray:
            node = e >> 1
            return np.where(node == 0, 0, 2 * (node + offset - 1)) + (e & 1)

        for (v1, l1, h1, (r1,)), offset in zip(parts, offsets.tolist(), strict=False):
            var_parts.append(v1[1:])
            lo_parts.append(shift(l1[1:], offset))
            hi_parts.append(shift(h1[1:], offset))
            edges.append(int(shift(np.array([r1]), offset)[0]))
        var = np.concatenate(var_parts).astype(np.int64)
        lo = np.concatenate(lo_parts).astype(np.int64)
        hi = np.concatenate(hi_parts).astype(np.int64)
        levels = np.append(self.level_of(), self.n_vars)[var]
        canon = np.arange(len(var))
        order = np.argsort(-levels, kind="stable")
        cuts = np.flatnonzero(np.diff(levels[order])) + 1
        for idx in np.split(order, cuts):
            if idx[0] == 0:
                continue  # the terminal
            lo_c = 2 * canon[lo[idx] >> 1] + (lo[idx] & 1)
            hi_c = 2 * canon[hi[idx] >> 1] + (hi[idx] & 1)
            _, first, inverse = np.unique(
                lo_c * (2 * len(var) + 2) + hi_c, return_index=True, return_inverse=True
            )
            canon[idx] = idx[first[inverse]]
        kept = np.flatnonzero(canon == np.arange(len(var)))
        number = np.empty(len(var), np.int64)
        number[kept] = np.arange(len(kept))
        number = number[canon]

        def renumber(e: np.ndarray) -> np.ndarray:
            return 2 * number[e >> 1] + (e & 1)

        return (
            var[kept],
            renumber(lo[kept]),
            renumber(hi[kept]),
            [int(renumber(np.array([e]))[0]) for e in edges],
        )

    def _walk_one(self, root: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
        """Read one small root by a walk in Python (a dump costs milliseconds)."""

        def regular(u: Any) -> Any:
            return ~u if u.negated else u

        index = {int(self.bdd.true): 0}
        var, lo, hi = [self.n_vars], [0], [0]
        stack = [(regular(root), False)]
        while stack:
            u, expanded = stack.pop()
            k = int(u)
            if k in index:
                continue
            low, high = u.low, u.high
            if not expanded:
                stack.extend(((u, True), (regular(high), False), (regular(low), False)))
                continue
            index[k] = len(var)
            var.append(int(u.var[1:]))
            lo.append(2 * index[int(regular(low))] + bool(low.negated))
            hi.append(2 * index[int(regular(high))] + bool(high.negated))
        edge = 2 * index[int(regular(root))] + bool(root.negated)
        return np.array(var, np.int64), np.array(lo, np.int64), np.array(hi, np.int64), [edge]

    def _flatten_one(
        self, root: Any, tmp: str | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
        if tmp is None:
            with tempfile.TemporaryDirectory() as fresh:
                return self._flatten_one(root, fresh)
        path = os.path.join(tmp, "bdd.dddmp")
        self.bdd.dump(path, [root])
        with open(path, encoding="ascii") as f:
            text = f.read()
        head, _, rest = text.partition(".nodes\n")
        body, _, _ = rest.partition(".end")
        root_line = head[head.index(".rootids") :].split("\n", 1)[0].split()[1:]
        table = np.loadtxt(body.splitlines(), dtype=np.int64, usecols=(0, 2, 3, 4), ndmin=2)
        # DDDMP: "id name index then else", ids from 1 (the constant), children first; a
        # negative id is a complemented edge; the constant's index is meaningless.
        if not (table[:, 0] == np.arange(1, len(table) + 1)).all():  # pragma: no cover
            raise _DDFailure("unexpected DDDMP node numbering")

        def edges(ids: np.ndarray) -> np.ndarray:
            return 2 * (np.abs(ids) - 1) + (ids < 0)

        # the third field indexes the support list ".ids" (CUDD variable indices)
        ids_line = head[head.index("\n.ids") + 1 :].split("\n", 1)[0].split()[1:]
        support = np.array([int(x) for x in ids_line], dtype=np.int64)
        cudd_index = np.empty(max(self.n_vars, 1), np.int64)
        for i in range(self.n_vars):
            cudd_index[int(self.bdd._index_of_var[f"v{i}"])] = i
        var = np.full(len(table), self.n_vars, np.int64)
        if len(table) > 1:
            var[1:] = cudd_index[support[table[1:, 1]]]
        lo, hi = edges(table[:, 3]), edges(table[:, 2])
        lo[0] = hi[0] = 0
        return var, lo, hi, [int(e) for e in edges(np.array(root_line, dtype=np.int64))]

    def cofactors(self, u: Any) -> tuple[int, Any, Any]:
        lo, hi = u.low, u.high
        if u.negated:
            lo, hi = ~lo, ~hi
        return int(u.var[1:]), lo, hi

    def key(self, u: Any) -> int:
        return int(u)


class _Python(_Manager):
    name = "python"

    def __init__(self, n_vars: int, max_nodes: int) -> None:
        super().__init__(n_vars, max_nodes)
        self.bdd = _python_manager_class()()
        self.bdd.configure(reordering=False)
        self.bdd.max_nodes = max_nodes
        self.bdd.declare(*(f"v{i}" for i in range(n_vars)))
        self.true, self.false = 1, -1

    def var(self, i: int) -> Any:
        return self.bdd.var(f"v{i}")

    def and_(self, u: Any, v: Any) -> Any:
        return self.bdd.apply("and", u, v)

    def or_(self, u: Any, v: Any) -> Any:
        return self.bdd.apply("or", u, v)

    def xor(self, u: Any, v: Any) -> Any:
        return self.bdd.apply("xor", u, v)

    def not_(self, u: Any) -> Any:
        return -u

    def nodes(self) -> int:
        return len(self.bdd)

    def size(self, u: Any) -> int:
        seen: set[int] = set()
        stack = [abs(u)]
        while stack:
            w = stack.pop()
            if w == 1 or w in seen:
                continue
            seen.add(w)
            _, lo, hi = self.bdd.succ(w)
            stack.extend((abs(lo), abs(hi)))
        return len(seen)

    def reorder(self) -> None:
        from dd import bdd as dd_bdd

        dd_bdd.reorder(self.bdd)

    def level_of(self) -> np.ndarray:
        return np.array([self.bdd.level_of_var(f"v{i}") for i in range(self.n_vars)], np.int64)

    def flatten(self, roots: Sequence[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
        index = {1: 0}
        var, lo, hi = [self.n_vars], [0], [0]
        names = {f"v{i}": i for i in range(self.n_vars)}
        level_var = [names[self.bdd.var_at_level(k)] for k in range(self.n_vars)]
        for root in roots:
            stack = [(abs(root), False)]
            while stack:
                u, expanded = stack.pop()
                if u in index and not expanded:
                    continue
                level, low, high = self.bdd.succ(u)
                if not expanded:
                    stack.append((u, True))
                    stack.extend(((abs(high), False), (abs(low), False)))
                    continue
                if u in index:
                    continue
                index[u] = len(var)
                var.append(level_var[level])
                lo.append(2 * index[abs(low)] + (low < 0))
                hi.append(2 * index[abs(high)] + (high < 0))
        return (
            np.array(var, np.int64),
            np.array(lo, np.int64),
            np.array(hi, np.int64),
            [2 * index[abs(r)] + (r < 0) for r in roots],
        )

    def cofactors(self, u: Any) -> tuple[int, Any, Any]:
        level, lo, hi = self.bdd.succ(abs(u))
        if u < 0:
            lo, hi = -lo, -hi
        return int(self.bdd.var_at_level(level)[1:]), lo, hi

    def key(self, u: Any) -> int:
        return int(u)


@functools.cache
def _python_manager_class() -> Any:
    module = _backend_module("python")

    class _Manager(module.BDD):  # type: ignore[name-defined]
        """``dd.bdd.BDD`` that skips its shutdown check after an operation failed half-way.

        When an operation reaches ``max_nodes``, dd raises in the middle of updating its
        reference counts; its ``__del__`` then trips over them (an unraisable exception).
        The manager is dropped after that error, so its check has nothing left to check.
        """

        failed = False

        def __del__(self) -> None:
            if not self.failed:
                super().__del__()

    return _Manager


# --------------------------------------------------------------------------- compiling


@dataclass(frozen=True, eq=False)
class Diagram:
    """A reduced ordered BDD as read-only arrays (module docstring, "Evaluation").

    Attributes
    ----------
    n_vars : int
    var, lo, hi : ndarray of int, shape (N,)
        Node ``i``'s variable and its low and high edges (``2 * node + complement``); node 0
        is the terminal ``true`` (variable ``n_vars``, edges 0). Nodes are sorted by level,
        deepest first (children before parents).
    blocks : tuple of (int, int, int)
        ``(start, stop, variable)``: the nodes ``start:stop`` are the nodes of one level.
    roots : tuple of int
        The edges of the compiled nodes (``0`` true, ``1`` false).
    backend : str
    """

    n_vars: int
    var: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    blocks: tuple[tuple[int, int, int], ...]
    roots: tuple[int, ...]
    backend: str

    def __post_init__(self) -> None:
        for name in ("var", "lo", "hi"):
            object.__setattr__(self, name, readonly(getattr(self, name)))

    def __len__(self) -> int:
        return len(self.var) - 1

    def size(self, root: int) -> int:
        """Return the number of internal nodes reachable from edge ``root``."""
        return int(self.reachable(root).sum()) - 1 if root >= 2 else 0

    def reachable(self, root: int) -> np.ndarray:
        """Return a boolean mask of the nodes (terminal included) reachable from ``root``."""
        mask = np.zeros(len(self.var), bool)
        mask[root >> 1] = True
        mask[0] = True
        for start, stop, _ in reversed(self.blocks):  # top level first
            live = np.flatnonzero(mask[start:stop]) + start
            mask[self.lo[live] >> 1] = True
            mask[self.hi[live] >> 1] = True
        return mask

    def support(self, root: int) -> list[int]:
        """Return the variables the function of ``root`` depends on, in level order."""
        mask = self.reachable(root)
        return [v for start, stop, v in reversed(self.blocks) if mask[start:stop].any()]

    def __repr__(self) -> str:
        return (
            f"Diagram({len(self)} nodes, {self.n_vars} variables, {len(self.roots)} roots, "
            f"backend {self.backend!r})"
        )


@dataclass(eq=False)
class Compiled:
    """A compiled :class:`Pdag`: the manager, the root functions and the flat diagram.

    Attributes
    ----------
    backend : str
        ``"cudd"`` or ``"python"``: the library that built the diagram.
    roots : tuple of int
        The compiled Pdag nodes, in the order asked.
    functions : list
        Their functions in the manager.
    nodes_built : int
        The peak number of live nodes in the manager during the build (intermediate results
        included; with ``dd.cudd``, CUDD's own peak count, which it updates at each garbage
        collection, or the most seen at a size check if larger).
    sifts : int
        How many times the variables were sifted (``reorder=``).
    """

    backend: str
    roots: tuple[int, ...]
    functions: list[Any]
    manager: _Manager
    nodes_built: int
    sifts: int
    _diagram: Diagram | None = field(default=None, repr=False)

    def __del__(self) -> None:
        self.functions.clear()  # before the manager (see _Cudd.__del__)

    @property
    def diagram(self) -> Diagram:
        """The flat diagram of every root (computed on first use)."""
        if self._diagram is None:
            self._diagram = _flatten(self.manager, self.functions)
        return self._diagram


def _limit_error(manager: _Manager, where: str) -> ComputationLimitError:
    return ComputationLimitError(
        None,
        f"the BDD exceeds max_nodes = {manager.max_nodes:,} nodes ({manager.nodes():,} in the "
        f"{manager.name} manager {where}); the tree is too large for the exact engine: use "
        "method='montecarlo' (or an order limit for cut sets)",
    )


def compile_pdag(
    pdag: Pdag,
    roots: Sequence[int],
    *,
    backend: str = "auto",
    max_nodes: int = DEFAULT_MAX_NODES,
    reorder: bool | str = False,
    names: Sequence[str] | None = None,
    release: bool = True,
    order_arguments: bool = True,
) -> Compiled:
    """Compile nodes of a :class:`Pdag` into a BDD (module docstring).

    Parameters
    ----------
    pdag : Pdag
    roots : sequence of int
        The variables or nodes to compile.
    backend : {"auto", "cudd", "python"}
    max_nodes : int
        Stop with a :class:`~portfolios.errors.ComputationLimitError` beyond this many live
        nodes in the manager.
    reorder : bool or "auto"
        ``True``: sift the variables once after the build; ``"auto"`` (``dd.cudd`` only):
        sift whenever the manager grows past :data:`REORDER_NODES` nodes, then past twice
        the size after the last sifting.
    names : sequence of str, optional
        A name per node (``names[j]`` for node ``n_vars + j``), used in error messages.
    release : bool
        Drop each node's function once every node that uses it is built (the roots are
        kept), and have ``dd.cudd`` collect garbage rather than grow its unique table, so
        that it reuses the released nodes' memory (module docstring, "Building").
    order_arguments : bool
        Fold the arguments of ``and``/``or``/``nand``/``nor`` nodes in increasing order of
        the number of variables under each (module docstring, "Building"). Neither
        switch changes the diagram, only the time and memory of the build.

    Returns
    -------
    Compiled

    Examples
    --------
    >>> G = Pdag(3, (("or", (0, 1), 0, 0), ("and", (3, 2), 0, 0)))  # node 4 = (x0 | x1) x2
    >>> a = compile_pdag(G, [4])
    >>> b = compile_pdag(G, [4], release=False, order_arguments=False)
    >>> [float(probability(c.diagram, [0.5, 0.5, 0.5])[0]) for c in (a, b)]
    [0.375, 0.375]
    >>> bool((a.diagram.lo == b.diagram.lo).all() and (a.diagram.hi == b.diagram.hi).all())
    True
    """
    kind = _resolve_backend(backend)
    manager: _Manager = (
        _Cudd(pdag.n_vars, max_nodes, release)
        if kind == "cudd"
        else _Python(pdag.n_vars, max_nodes)
    )
    n = pdag.n_vars
    for r in roots:
        if not 0 <= r < n + len(pdag.nodes):
            raise PortfolioError(None, f"no variable or node {r}")
    # the nodes needed, in increasing order (arguments are earlier nodes: a post-order), and
    # how many needed nodes use each (distinct parents)
    needed = np.zeros(len(pdag.nodes), bool)
    stack = [r - n for r in roots if r >= n]
    while stack:
        j = stack.pop()
        if needed[j]:
            continue
        needed[j] = True
        stack.extend(a - n for a in pdag.nodes[j][1] if a >= n and not needed[a - n])
    order = np.flatnonzero(needed).tolist()
    users = np.zeros(len(pdag.nodes), np.int64)
    for j in order:
        for a in set(pdag.nodes[j][1]):
            if a >= n:
                users[a - n] += 1
    kept = {r for r in roots if r >= n}
    # the variables under each node, as bit sets (skipped when too costly to hold)
    supports: dict[int, int] | None = (
        {} if order_arguments and n * len(order) <= _SUPPORT_CELLS else None
    )
    value: dict[int, Any] = {}
    old_limit = sys.getrecursionlimit()
    if kind == "python":
        sys.setrecursionlimit(max(old_limit, _FRAMES_PER_VARIABLE * n + _RECURSION_BASE))
    j = -1
    last_check = -math.inf
    sift_at, sifts, peak = REORDER_NODES, 0, 0
    try:
        for j in order:
            op, args, k, kmax = pdag.nodes[j]
            if supports is not None:
                bits = [supports[a] if a >= n else 1 << a for a in args]
                if op in _FOLDS and len(args) > 2:
                    sizes = [b.bit_count() for b in bits]
                    args = tuple(args[i] for i in sorted(range(len(args)), key=sizes.__getitem__))
                union = 0
                for b in bits:
                    union |= b
                supports[n + j] = union
            value[n + j] = _build(
                manager, op, [value[a] if a >= n else manager.var(a) for a in args], k, kmax
            )
            if release:
                for a in set(args):
                    if a >= n:
                        users[a - n] -= 1
                        if users[a - n] == 0 and a not in kept:
                            del value[a]  # dd.cudd dereferences it: its nodes may go
                            if supports is not None:
                                del supports[a]
            now = time.perf_counter()
            if now - last_check > _CHECK_SECONDS:
                last_check = now
                size = manager.nodes()
                peak = max(peak, size)
                if size > max_nodes:
                    raise _limit_error(manager, f"after node {_name(names, j, n)}")
                if reorder == "auto" and size > sift_at and kind == "cudd":
                    manager.reorder()
                    sifts += 1
                    sift_at = max(sift_at, 2 * manager.nodes())
        functions = [value[r] if r >= n else manager.var(r) for r in roots]
        size = manager.nodes()
        peak = max(peak, size, manager.peak())
        if size > max_nodes:
            raise _limit_error(manager, "at the end of the build")
        if reorder is True:
            manager.reorder()
            sifts += 1
    except ComputationLimitError:
        _mark_failed(manager)
        raise
    except RecursionError as err:
        _mark_failed(manager)
        raise ComputationLimitError(
            None,
            f"dd.bdd ran out of recursion depth at node {_name(names, j, n)} "
            f"({n} variables, limit {sys.getrecursionlimit()}); the 'cudd' backend has no "
            "such limit",
        ) from err
    except (RuntimeError, SystemError, MemoryError, ValueError, AssertionError) as err:
        _mark_failed(manager)
        if kind == "python" and ("max_nodes" in str(err) or "full" in str(err)):
            raise _limit_error(manager, f"at node {_name(names, j, n)}") from err
        raise ComputationLimitError(
            None,
            f"the {kind} BDD library failed at node {_name(names, j, n)} with "
            f"{manager.nodes():,} nodes ({type(err).__name__}: {err}); the tree is probably "
            "too large for the exact engine: use method='montecarlo'",
        ) from err
    finally:
        sys.setrecursionlimit(old_limit)
        value.clear()  # the functions go before the manager (see _Cudd.__del__)
    return Compiled(kind, tuple(roots), functions, manager, peak, sifts)


def _name(names: Sequence[str] | None, j: int, n: int) -> str:
    if j < 0:
        return "(none)"
    return repr(names[j]) if names is not None and j < len(names) else str(n + j)


def _mark_failed(manager: _Manager) -> None:
    if isinstance(manager, _Python):
        manager.bdd.failed = True  # its reference counts may be inconsistent now


def _build(m: _Manager, op: str, args: list[Any], k: int, kmax: int) -> Any:
    if op in ("and", "nand"):
        r = m.true
        for a in args:
            r = m.and_(r, a)
        return m.not_(r) if op == "nand" else r
    if op in ("or", "nor"):
        r = m.false
        for a in args:
            r = m.or_(r, a)
        return m.not_(r) if op == "nor" else r
    if op == "not":
        return m.not_(args[0])
    if op == "xor":
        return m.xor(args[0], args[1])
    if op == "iff":
        return m.not_(m.xor(args[0], args[1]))
    if op == "imply":
        return m.or_(m.not_(args[0]), args[1])
    if op == "true":
        return m.true
    if op == "false":
        return m.false
    if op == "atleast":
        return _at_least(m, k, args)
    # cardinality: at least k and not at least kmax + 1
    return m.and_(_at_least(m, k, args), m.not_(_at_least(m, kmax + 1, args)))


def _at_least(m: _Manager, k: int, args: list[Any]) -> Any:
    """At least ``k`` of ``args``: a dynamic programme over the arguments."""
    if k <= 0:
        return m.true
    if k > len(args):
        return m.false
    row = [m.true] + [m.false] * k  # row[j]: at least j of those seen so far
    for e in args:
        for j in range(k, 0, -1):
            row[j] = m.or_(row[j], m.and_(row[j - 1], e))
    return row[k]


def _flatten(manager: _Manager, functions: Sequence[Any]) -> Diagram:
    try:
        var, lo, hi, roots = manager.flatten(functions)
    except (RuntimeError, SystemError, MemoryError, ValueError, OSError) as err:
        raise ComputationLimitError(
            None, f"could not read the diagram out of {manager.name}: {err}"
        ) from err
    level_of = np.append(manager.level_of(), manager.n_vars)
    levels = level_of[var]
    order = np.argsort(-levels, kind="stable")  # deepest first; the terminal (level n) first
    if order[0] != 0:  # pragma: no cover - the terminal is the deepest
        raise AssertionError("the terminal is not first")
    new = np.empty_like(order)
    new[order] = np.arange(len(order))

    def remap(e: np.ndarray) -> np.ndarray:
        return 2 * new[e >> 1] + (e & 1)

    var, lo, hi = var[order], remap(lo[order]), remap(hi[order])
    sorted_levels = levels[order]
    cuts = np.flatnonzero(np.diff(sorted_levels)) + 1
    starts = np.concatenate(([1], cuts[cuts > 1])) if len(var) > 1 else np.array([], int)
    stops = np.append(starts[1:], len(var)) if len(starts) else starts
    blocks = tuple(
        (int(a), int(b), int(var[a])) for a, b in zip(starts.tolist(), stops.tolist(), strict=True)
    )
    root_edges = tuple(int(2 * new[r >> 1] + (r & 1)) for r in roots)
    return Diagram(manager.n_vars, var, lo, hi, blocks, root_edges, manager.name)


# --------------------------------------------------------------------------- modules


def modules(pdag: Pdag, roots: Sequence[int]) -> tuple[int, ...]:
    """Return the modules among the nodes reachable from ``roots``, in increasing order.

    A module is a node whose sub-DAG shares no variable or node with the rest of the DAG
    under ``roots`` (only the module itself is reached from outside): its function is
    independent of everything else, whatever the connectives. Found by the visit dates of
    one depth-first walk (Dutuit and Rauzy 1996, linear time): a node is a module when every
    descendant is first visited after the node's first visit and last visited before its
    last one. A requested root is a module only if no other root reaches into it.

    Examples
    --------
    >>> G = Pdag(3, (("and", (0, 1), 0, 0), ("or", (3, 2), 0, 0), ("or", (0, 2), 0, 0)))
    >>> modules(G, [4])  # (x0 x1) | x2: both gates
    (3, 4)
    >>> modules(G, [4, 5])  # x0 and x2 are shared with node 5
    ()
    """
    n = pdag.n_vars
    total = n + len(pdag.nodes)
    for r in roots:
        if not 0 <= r < total:
            raise PortfolioError(None, f"no variable or node {r}")
    first = np.zeros(total, np.int64)  # 0: not visited
    last = np.zeros(total, np.int64)
    leave = np.zeros(total, np.int64)
    t = 1  # date 1: the virtual root over all roots
    stack: list[tuple[int, bool]] = [(r, False) for r in reversed(roots)]
    while stack:
        u, done = stack.pop()
        t += 1
        if done:
            leave[u] = t
            continue
        if first[u]:
            last[u] = t
            continue
        first[u] = last[u] = t
        if u >= n:
            stack.append((u, True))
            stack.extend((a, False) for a in reversed(pdag.nodes[u - n][1]))
    found = []
    low = first.copy()  # the earliest and latest dates in each node's sub-DAG
    high = last.copy()
    for j in np.flatnonzero(first[n:]).tolist():
        u = n + j
        args = pdag.nodes[j][1]
        if args:
            lo = min(int(low[a]) for a in args)
            hi = max(int(high[a]) for a in args)
            low[u], high[u] = min(low[u], lo), max(high[u], hi)
            if lo > first[u] and hi < leave[u]:
                found.append(u)
        else:  # a constant
            found.append(u)
    return tuple(found)


def _reached(pdag: Pdag, roots: Sequence[int]) -> set[int]:
    n = pdag.n_vars
    reach: set[int] = set()
    stack = list(roots)
    while stack:
        u = stack.pop()
        if u in reach:
            continue
        reach.add(u)
        if u >= n:
            stack.extend(pdag.nodes[u - n][1])
    return reach


def modularise(
    pdag: Pdag, roots: Sequence[int]
) -> tuple[Pdag, list[int], list[int], dict[int, int]]:
    """Replace each module by a fresh variable (:func:`modules`).

    Returns ``(pdag, roots, variables, derived)``: the new DAG, in which an argument that is
    a module is the module's fresh variable, and each module is a node of its own; the new
    numbers of ``roots`` followed by those of the modules; ``variables[i]``, the old
    variable of new variable ``i`` (``-1`` for a module's); ``derived``, each module's
    variable and its index in the returned roots. A module's variable is placed just above
    the module's own variables (outer modules above inner ones), so one bottom-up pass
    (:func:`probability` with ``derived=``) evaluates every module before it is used; the
    other variables keep their relative order.

    Examples
    --------
    >>> G = Pdag(3, (("and", (0, 1), 0, 0), ("or", (3, 2), 0, 0)))
    >>> H, roots, variables, derived = modularise(G, [4])
    >>> variables, roots, derived  # x0 x1 is module 4, variable 0; the top is node 5
    ([-1, 0, 1, 2], [5, 4], {0: 1})
    >>> C = compile_pdag(H, roots)
    >>> p = [0.0, 0.1, 0.2, 0.3]  # the module's row is ignored
    >>> derived_edges = {v: C.diagram.roots[i] for v, i in derived.items()}
    >>> round(float(probability(C.diagram, p, C.diagram.roots[:1], derived=derived_edges)[0]), 12)
    0.314
    """
    n = pdag.n_vars
    # the modules some node uses (a root that is an argument of nothing needs no variable)
    used = {a for u in _reached(pdag, roots) if u >= n for a in pdag.nodes[u - n][1]}
    found = tuple(u for u in modules(pdag, roots) if u in used)
    is_module = set(found)
    # the smallest variable and the nesting depth of each module, top-down
    order = sorted(_reached(pdag, roots))
    smallest = {u: u if u < n else math.inf for u in order}
    for u in order:
        if u >= n:
            for a in pdag.nodes[u - n][1]:
                smallest[u] = min(smallest[u], smallest[a])
    depth: dict[int, int] = {}
    for u in reversed(order):  # parents (larger numbers) first
        if u >= n:
            d = depth.get(u, 0) + (1 if u in is_module else 0)
            for a in pdag.nodes[u - n][1]:
                depth[a] = max(depth.get(a, 0), d)
    keys = [(float(v), 1, 0, v) for v in range(n)]
    keys += [(float(smallest[m]), 0, depth.get(m, 0), m) for m in found]
    keys.sort()
    new_var = {}  # old variable -> new variable; module node -> its variable
    variables = []
    for i, (_, kind, _, u) in enumerate(keys):
        new_var[u] = i
        variables.append(u if kind == 1 else -1)
    m = len(keys)
    new_node: dict[int, int] = {}
    nodes: list[tuple[str, tuple[int, ...], int, int]] = []
    for u in order:
        if u < n:
            continue
        op, args, k, kmax = pdag.nodes[u - n]
        mapped = tuple(new_var[a] if a < n or a in is_module else new_node[a] for a in args)
        new_node[u] = m + len(nodes)
        nodes.append((op, mapped, k, kmax))
    new_roots = [new_var[r] if r < n else new_node[r] for r in roots]
    derived = {}
    for md in found:
        derived[new_var[md]] = len(new_roots)
        new_roots.append(new_node[md])
    return Pdag(m, tuple(nodes)), new_roots, variables, derived


# --------------------------------------------------------------------------- evaluation


def _values(
    diagram: Diagram, p: np.ndarray, derived: Mapping[int, int] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Bottom-up pass: ``(P, Pbar)`` of every node, shape ``(N, K)`` for ``p`` of ``(n, K)``.

    A ``derived`` variable takes the probability of its edge and of the edge's complement
    (computed at deeper levels): no ``1 - P`` is formed for it either.
    """
    K = p.shape[1]
    N = len(diagram.var)
    P = np.empty((N, K))
    Q = np.empty((N, K))
    P[0], Q[0] = 1.0, 0.0
    for start, stop, v in diagram.blocks:
        if derived is not None and v in derived:
            e = derived[v]
            pv, qv = _edge(P, Q, e), _edge(Q, P, e)
        else:
            pv = p[v]
            qv = 1.0 - pv
        lo, hi = diagram.lo[start:stop], diagram.hi[start:stop]
        ln, lc, hn, hc = lo >> 1, (lo & 1).astype(bool), hi >> 1, (hi & 1).astype(bool)
        Pl, Ql = P[ln], Q[ln]
        if lc.any():
            Pl[lc], Ql[lc] = Ql[lc], Pl[lc].copy()
        Ph, Qh = P[hn], Q[hn]
        if hc.any():
            Ph[hc], Qh[hc] = Qh[hc], Ph[hc].copy()
        P[start:stop] = pv * Ph + qv * Pl
        Q[start:stop] = pv * Qh + qv * Ql
    return P, Q


def _edge(P: np.ndarray, Q: np.ndarray, e: int) -> np.ndarray:
    return Q[e >> 1] if e & 1 else P[e >> 1]


def _check_probabilities(diagram: Diagram, p: Any) -> tuple[np.ndarray, bool]:
    q = np.asarray(p, dtype=float)
    vector = q.ndim == 2
    if q.ndim not in (1, 2) or q.shape[0] != diagram.n_vars:
        raise PortfolioError(
            None, f"expected {diagram.n_vars} probabilities (or rows of them), got {q.shape}"
        )
    if not vector:
        q = q[:, None]
    return q, vector


def probability(
    diagram: Diagram,
    p: Any,
    roots: Sequence[int] | None = None,
    *,
    derived: Mapping[int, int] | None = None,
) -> np.ndarray:
    """Return the probability of each root of ``diagram`` under independent variables.

    Parameters
    ----------
    diagram : Diagram
    p : array_like, shape (n_vars,) or (n_vars, K)
        Each variable's probability; with ``K`` columns (for instance, Monte Carlo samples of
        uncertain parameters), ``K`` evaluations in one pass.
    roots : sequence of int, optional
        Edges to evaluate (default: ``diagram.roots``).
    derived : mapping of int to int, optional
        Variables whose probability is that of an edge of the diagram: a module's variable
        and the edge of the module's function (:func:`modularise`); their rows of ``p`` are
        ignored. Each such edge must depend only on deeper variables.

    Returns
    -------
    ndarray, shape (len(roots),) or (len(roots), K)
    """
    q, vector = _check_probabilities(diagram, p)
    edges = diagram.roots if roots is None else tuple(roots)
    K = q.shape[1]
    step = max(1, PASS_CELLS // max(1, len(diagram.var)))
    out = np.empty((len(edges), K))
    for a in range(0, K, step):
        P, Q = _values(diagram, q[:, a : a + step], derived)
        for i, e in enumerate(edges):
            out[i, a : a + step] = _edge(P, Q, e)
    np.clip(out, 0.0, 1.0, out=out)
    return out if vector else out[:, 0]


def conditional_probabilities(
    diagram: Diagram, p: Any, root: int, *, method: str = "auto"
) -> tuple[float, np.ndarray, np.ndarray]:
    """Return ``(P(root), P(root | x := 1), P(root | x := 0))`` for every variable ``x``.

    ``method`` is ``"exact"`` (two clamped probability vectors per variable),
    ``"two-pass"`` (one bottom-up and one top-down pass) or ``"auto"``: exact while
    ``nodes x (2 n + 1) <= EXACT_IMPORTANCE_CELLS`` (module docstring).
    """
    q, vector = _check_probabilities(diagram, p)
    if vector:
        raise PortfolioError(None, "conditional probabilities take one probability vector")
    n = diagram.n_vars
    base = q[:, 0]
    if root in (0, 1):
        value = 1.0 if root == 0 else 0.0
        return value, np.full(n, value), np.full(n, value)
    if method == "auto":
        method = "exact" if len(diagram.var) * (2 * n + 1) <= EXACT_IMPORTANCE_CELLS else "two-pass"
    if method == "exact":
        support = diagram.support(root)
        columns = np.repeat(base[:, None], 1 + 2 * len(support), axis=1)
        for i, v in enumerate(support):
            columns[v, 1 + 2 * i] = 1.0
            columns[v, 2 + 2 * i] = 0.0
        values = probability(diagram, columns, [root])[0]
        p_top = float(values[0])
        p1, p0 = np.full(n, p_top), np.full(n, p_top)
        p1[support] = values[1::2]
        p0[support] = values[2::2]
        return p_top, p1, p0
    if method != "two-pass":
        raise PortfolioError(None, f"unknown method {method!r}")
    return _two_pass(diagram, base, root)


def _two_pass(diagram: Diagram, p: np.ndarray, root: int) -> tuple[float, np.ndarray, np.ndarray]:
    P2, Q2 = _values(diagram, p[:, None])
    P, Q = P2[:, 0], Q2[:, 0]
    N, n = len(diagram.var), diagram.n_vars
    A = np.zeros(N)  # reached through an even number of complemented edges
    B = np.zeros(N)
    (A if root % 2 == 0 else B)[root >> 1] = 1.0
    level_of = np.full(n + 1, n)  # a variable's level: its position among the blocks
    block_level = {v: i for i, (_, _, v) in enumerate(reversed(diagram.blocks))}
    for v, lv in block_level.items():
        level_of[v] = lv
    n_levels = len(diagram.blocks)
    node_level = np.full(N, n_levels)  # the terminal is below every level
    for start, stop, v in diagram.blocks:
        node_level[start:stop] = block_level[v]
    # mass jumping over each level: + at the level after the parent's, - at the child's
    jump_add = np.zeros(n_levels + 1)
    jump_sub = np.zeros(n_levels + 1)
    jump_count = np.zeros(n_levels + 2, np.int64)
    top = int(node_level[root >> 1])
    root_value = float(_edge(P, Q, root))
    if root_value > 0.0 and top > 0:
        jump_add[0] += root_value
        jump_sub[top] += root_value
        jump_count[0] += 1
        jump_count[top] -= 1
    p1 = np.empty(n)
    p0 = np.empty(n)
    within = {}
    for start, stop, v in reversed(diagram.blocks):  # top level first
        a, b = A[start:stop], B[start:stop]
        pv = float(p[v])
        rows = []
        for edges, weight in ((diagram.hi[start:stop], pv), (diagram.lo[start:stop], 1.0 - pv)):
            child, comp = edges >> 1, (edges & 1).astype(bool)
            even = np.where(comp, b, a) * weight
            odd = np.where(comp, a, b) * weight
            np.add.at(A, child, even)
            np.add.at(B, child, odd)
            val = np.where(comp, Q[child], P[child])
            valbar = np.where(comp, P[child], Q[child])
            rows.append(math.fsum((a * val + b * valbar).tolist()))
            w = even * P[child] + odd * Q[child]
            lv = block_level[v]
            spans = node_level[child] > lv + 1
            if spans.any():
                w_span, dest = w[spans], node_level[child[spans]]
                jump_add[lv + 1] += math.fsum(w_span.tolist())
                np.add.at(jump_sub, dest, w_span)
                positive = w_span > 0.0
                jump_count[lv + 1] += int(positive.sum())
                np.add.at(jump_count, dest[positive], -1)
        within[v] = rows
    added = np.cumsum(jump_add)
    removed = np.cumsum(jump_sub)
    active = np.cumsum(jump_count)[: n_levels + 1]
    skip = np.where(active > 0, np.maximum(added - removed, 0.0), 0.0)
    p_top = float(np.clip(root_value, 0.0, 1.0))
    p1[:] = p_top
    p0[:] = p_top
    for v, (on, off) in within.items():
        s = float(skip[block_level[v]])
        p1[v] = min(1.0, on + s)
        p0[v] = min(1.0, off + s)
    return p_top, p1, p0


# --------------------------------------------------------------------------- cut sets


def minimal_solutions(
    diagram: Diagram,
    root: int,
    family: _zbdd.Family,
    *,
    max_order: int | None = None,
    monotone: bool = True,
) -> int:
    """Return the ZBDD (in ``family``) of the minimal solutions of a *monotone* ``root``.

    Rauzy's decomposition (1993): for ``f = x f1 + f0`` with ``f0 <= f1`` (monotone), the
    minimal solutions are those of ``f0`` and ``{x} + m`` for the minimal solutions ``m`` of
    ``f1`` that contain none of ``f0`` (*without*). With ``max_order`` the sets longer than
    it are dropped as they appear (safe: a dropped set is never needed to remove another).
    The ZBDD variables are the BDD variables.

    The same recursion gives the minimal *true points* of any function (the minimal sets of
    variables at 1, the others at 0, where it is true); with ``monotone=False`` the order
    limit then checks, when the budget is spent, whether the rest is true with every
    remaining variable at 0 (a monotone function is then true only if it is constant).
    """
    budget = diagram.n_vars if max_order is None else max_order
    memo: dict[tuple[int, int], int] = {}
    lo, hi, var = diagram.lo, diagram.hi, diagram.var

    def at_zero(e: int) -> bool:
        while e > 1:
            e = int(lo[e >> 1]) ^ (e & 1)
        return e == 0

    def minsol(e: int, k: int) -> _zbdd.Call:
        if e == 0:
            return _zbdd.BASE
        if e == 1:
            return _zbdd.EMPTY
        if k <= 0:
            return _zbdd.BASE if not monotone and at_zero(e) else _zbdd.EMPTY
        key = (e, k)
        r = memo.get(key)
        if r is None:
            u, c = e >> 1, e & 1
            e0, e1 = int(lo[u]) ^ c, int(hi[u]) ^ c
            z0 = yield minsol(e0, k)
            z1 = yield minsol(e1, k - 1)
            z1 = yield family._without(z1, z0)
            r = family.node(int(var[u]), z0, z1)
            memo[key] = r
        return r

    return int(_zbdd.run(minsol(root, budget)))


def prime_implicants(
    compiled: Compiled, index: int, family: _zbdd.Family, *, max_order: int | None = None
) -> int:
    """Return the ZBDD of the prime implicants of root ``index`` of ``compiled``.

    Literal ``x`` is ZBDD variable ``2 x``, literal ``not x`` is ``2 x + 1``. For
    ``f = ite(x, f1, f0)`` and ``g = f0 f1`` (Coudert and Madre 1992; Rauzy 2001):
    ``PI(f) = PI(g) + x (PI(f1) - PI(g)) + (not x) (PI(f0) - PI(g))``. The manager computes
    ``g``; the recursion runs on an explicit stack (an explicit stack).
    """
    m = compiled.manager
    budget = m.n_vars if max_order is None else max_order
    memo: dict[tuple[int, int], int] = {}
    alive: list[Any] = []  # the memo's keys are node addresses: keep their functions alive

    def pi(f: Any, k: int) -> _zbdd.Call:
        if m.is_false(f):
            return _zbdd.EMPTY
        if m.is_true(f):
            return _zbdd.BASE
        if k <= 0:
            return _zbdd.EMPTY
        key = (m.key(f), k)
        r = memo.get(key)
        if r is None:
            x, f0, f1 = m.cofactors(f)
            g = m.and_(f0, f1)
            alive.extend((f, f0, f1, g))
            zg = yield pi(g, k)
            z1 = yield pi(f1, k - 1)
            z1 = yield family._difference(z1, zg)
            z0 = yield pi(f0, k - 1)
            z0 = yield family._difference(z0, zg)
            r = family.node(2 * x, family.node(2 * x + 1, zg, z0), z1)
            memo[key] = r
        return r

    try:
        return int(_zbdd.run(pi(compiled.functions[index], budget)))
    except (RuntimeError, SystemError, MemoryError, ValueError) as err:
        raise ComputationLimitError(
            None, f"the {m.name} BDD library failed while computing prime implicants: {err}"
        ) from err
    finally:  # the closure is a reference cycle: release the functions while m lives
        alive.clear()


def monotone(compiled: Compiled, index: int) -> bool:
    """Return True if root ``index`` is a monotone function (``lo <= hi`` at every node).

    Every node of a reduced BDD is a cofactor of the function, and a function is monotone if
    and only if all its cofactors are; the check stops at the first node that fails.
    """
    m = compiled.manager
    seen: set[int] = set()
    alive: list[Any] = []  # seen holds node addresses: keep their functions alive
    stack = [compiled.functions[index]]
    while stack:
        f = stack.pop()
        if m.is_true(f) or m.is_false(f) or m.key(f) in seen:
            continue
        seen.add(m.key(f))
        alive.append(f)
        _, f0, f1 = m.cofactors(f)
        if not m.is_false(m.and_(f0, m.not_(f1))):
            return False
        stack.extend((f0, f1))
    return True
