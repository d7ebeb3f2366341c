r"""Families of sets as zero-suppressed decision diagrams (ZBDDs), and a recursion driver.

A ZBDD (Minato 1993) stores a family of subsets of ordered variables as a DAG: node
``(v, lo, hi)`` is the family ``lo | {s + {v} : s in hi}`` where neither ``lo`` nor ``hi``
mentions a variable ordered before ``v``, and no node has ``hi`` = the empty family (zero
suppression). The two terminals are ``EMPTY`` (no set) and ``BASE`` (the family holding only the
empty set). Minimal cut sets and prime implicants are read off a BDD into this form (Rauzy
1993, 2001): the family is stored once however many sets it has (``baobab1``: 46,188 minimal cut
sets), and it is counted, truncated and enumerated by walks bounded by the diagram's size.

Every algorithm here is a memoised recursion written as a generator and run by :func:`run`,
which keeps the pending calls on an explicit list: the depth of a computation is bounded by the
memory, never by Python's recursion limit, whatever the size of the input.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Any

__all__ = ["BASE", "EMPTY", "Family", "run"]

#: The empty family (no set) and the family holding only the empty set.
EMPTY, BASE = 0, 1
_TERMINAL_VAR = 1 << 62

Call = Generator[Any, Any, Any]


def run(call: Call) -> Any:
    """Run a generator-coded recursion to its value, with the pending calls on a list.

    A generator asks for the value of a sub-call by yielding the sub-call (another
    generator); :func:`run` sends the value back. The Python stack stays one frame deep.

    Examples
    --------
    >>> def fact(n):
    ...     return n * (yield fact(n - 1)) if n > 1 else 1
    ...     yield  # a generator even when n <= 1
    >>> run(fact(5000)) > 10**16000  # far deeper than Python's recursion limit
    True
    """
    stack = [call]
    value: Any = None
    while True:
        try:
            sub = stack[-1].send(value)
        except StopIteration as stop:
            stack.pop()
            if not stack:
                return stop.value
            value = stop.value
            continue
        stack.append(sub)
        value = None


class Family:
    """A ZBDD manager: hash-consed nodes ``(var, lo, hi)`` and the operations on families.

    Node ``0`` is :data:`EMPTY`, node ``1`` is :data:`BASE`; variables are non-negative
    integers, a smaller one nearer the root.

    Examples
    --------
    >>> F = Family()
    >>> ab = F.node(0, EMPTY, F.node(1, EMPTY, BASE))  # {{0, 1}}
    >>> bc = F.node(1, EMPTY, F.node(2, EMPTY, BASE))  # {{1, 2}}
    >>> u = F.union(ab, bc)
    >>> sorted(sorted(s) for s in F.sets(u))
    [[0, 1], [1, 2]]
    >>> F.count_by_order(u)
    [0, 0, 2]
    >>> sorted(sorted(s) for s in F.sets(F.without(u, F.node(2, EMPTY, BASE))))
    [[0, 1]]
    """

    def __init__(self) -> None:
        self.var = [_TERMINAL_VAR, _TERMINAL_VAR]
        self.lo = [EMPTY, BASE]
        self.hi = [EMPTY, BASE]
        self._unique: dict[tuple[int, int, int], int] = {}
        self._memo: dict[tuple[Any, ...], Any] = {}

    def __len__(self) -> int:
        return len(self.var)

    def node(self, v: int, lo: int, hi: int) -> int:
        """Return the node of ``lo | {s + {v} : s in hi}`` (``v`` before both children)."""
        if hi == EMPTY:
            return lo
        key = (v, lo, hi)
        u = self._unique.get(key)
        if u is None:
            u = len(self.var)
            self.var.append(v)
            self.lo.append(lo)
            self.hi.append(hi)
            self._unique[key] = u
        return u

    # ------------------------------------------------------------------ set operations

    def union(self, f: int, g: int) -> int:
        """Return ``f | g``."""
        return int(run(self._union(f, g)))

    def _union(self, f: int, g: int) -> Call:
        if f in (EMPTY, g):
            return g
        if g == EMPTY:
            return f
        if f > g:
            f, g = g, f
        key = ("u", f, g)
        r = self._memo.get(key)
        if r is None:
            vf, vg = self.var[f], self.var[g]
            if vf < vg:
                r = self.node(vf, (yield self._union(self.lo[f], g)), self.hi[f])
            elif vg < vf:
                r = self.node(vg, (yield self._union(f, self.lo[g])), self.hi[g])
            else:
                lo = yield self._union(self.lo[f], self.lo[g])
                r = self.node(vf, lo, (yield self._union(self.hi[f], self.hi[g])))
            self._memo[key] = r
        return r

    def difference(self, f: int, g: int) -> int:
        """Return ``f - g`` (the sets of ``f`` that are not in ``g``)."""
        return int(run(self._difference(f, g)))

    def _difference(self, f: int, g: int) -> Call:
        if f in (EMPTY, g):
            return EMPTY
        if g == EMPTY:
            return f
        key = ("d", f, g)
        r = self._memo.get(key)
        if r is None:
            vf, vg = self.var[f], self.var[g]
            if vf < vg:
                lo = yield self._difference(self.lo[f], g)
                r = self.node(vf, lo, self.hi[f])
            elif vg < vf:
                r = yield self._difference(f, self.lo[g])
            else:
                lo = yield self._difference(self.lo[f], self.lo[g])
                r = self.node(vf, lo, (yield self._difference(self.hi[f], self.hi[g])))
            self._memo[key] = r
        return r

    def has_empty_set(self, f: int) -> bool:
        """Return True if the empty set is in ``f`` (the ``lo`` chain ends at BASE)."""
        while f > BASE:
            f = self.lo[f]
        return f == BASE

    def without(self, f: int, g: int) -> int:
        """Return the sets of ``f`` that contain no set of ``g`` (Rauzy's *without*)."""
        return int(run(self._without(f, g)))

    def _without(self, f: int, g: int) -> Call:
        if f == EMPTY or g == EMPTY:
            return f
        if f == g or self.has_empty_set(g):
            return EMPTY
        if f == BASE:
            return BASE  # g has no empty set: the empty set contains none of its sets
        key = ("w", f, g)
        r = self._memo.get(key)
        if r is None:
            vf, vg = self.var[f], self.var[g]
            if vf < vg:
                lo = yield self._without(self.lo[f], g)
                r = self.node(vf, lo, (yield self._without(self.hi[f], g)))
            elif vg < vf:  # the sets of g holding vg cannot be inside a set of f
                r = yield self._without(f, self.lo[g])
            else:
                lo = yield self._without(self.lo[f], self.lo[g])
                hi = yield self._without(self.hi[f], self.lo[g])
                r = self.node(vf, lo, (yield self._without(hi, self.hi[g])))
            self._memo[key] = r
        return r

    def onset(self, f: int, v: int) -> int:
        """Return ``{s - {v} : s in f, v in s}``."""
        return int(run(self._onset(f, v)))

    def _onset(self, f: int, v: int) -> Call:
        if f <= BASE or self.var[f] > v:
            return EMPTY
        if self.var[f] == v:
            return self.hi[f]
        key = ("on", f, v)
        r = self._memo.get(key)
        if r is None:
            lo = yield self._onset(self.lo[f], v)
            r = self.node(self.var[f], lo, (yield self._onset(self.hi[f], v)))
            self._memo[key] = r
        return r

    # ------------------------------------------------------------------ reading a family

    def count_by_order(self, f: int) -> list[int]:
        """Return ``c`` with ``c[k]`` the number of sets of size ``k`` in ``f`` (exact ints)."""
        table: dict[int, list[int]] = {EMPTY: [], BASE: [1]}
        for u in self._postorder(f):
            lo, hi = table[self.lo[u]], table[self.hi[u]]
            out = [0] * max(len(lo), len(hi) + 1)
            for k, c in enumerate(lo):
                out[k] += c
            for k, c in enumerate(hi):
                out[k + 1] += c
            table[u] = out
        return table[f]

    def size(self, f: int) -> int:
        """Return the number of internal nodes reachable from ``f``."""
        return sum(1 for _ in self._postorder(f))

    def _postorder(self, f: int) -> Iterator[int]:
        """Yield the internal nodes under ``f``, children before parents (iterative)."""
        seen: set[int] = set()
        stack = [(f, False)]
        while stack:
            u, expanded = stack.pop()
            if u <= BASE:
                continue
            if expanded:
                yield u
                continue
            if u in seen:
                continue
            seen.add(u)
            stack.append((u, True))
            stack.append((self.hi[u], False))
            stack.append((self.lo[u], False))

    def sets(
        self,
        f: int,
        *,
        weight: Callable[[int], float] | None = None,
        cutoff: float = 0.0,
        max_order: int | None = None,
    ) -> Iterator[tuple[int, ...]]:
        """Yield the sets of ``f`` (as sorted tuples of variables), depth first, iteratively.

        With ``weight`` (a variable's probability in [0, 1]) the sets whose product of weights
        is below ``cutoff`` are skipped, and a branch is abandoned as soon as its partial
        product falls below it (weights are at most 1, so it can only fall further); with
        ``max_order``, sets larger than it are skipped the same way.
        """
        limit = math.inf if max_order is None else max_order
        path: list[int] = []
        # (node, partial product, length of path when pushed)
        stack: list[tuple[int, float, int]] = [(f, 1.0, 0)]
        while stack:
            u, prod, depth = stack.pop()
            del path[depth:]
            if u == EMPTY:
                continue
            if u == BASE:
                yield tuple(path)
                continue
            v = self.var[u]
            stack.append((self.lo[u], prod, depth))
            if len(path) + 1 > limit:
                continue
            w = prod * weight(v) if weight is not None else prod
            if weight is not None and w < cutoff:
                continue
            path.append(v)
            stack.append((self.hi[u], w, depth + 1))
            # the hi branch is popped next with the path extended; the lo branch after it
            # truncates the path back to `depth`


def variables(family: Family, f: int) -> Sequence[int]:
    """Return the variables appearing in ``f``, sorted."""
    return sorted({family.var[u] for u in family._postorder(f)})
