"""Modularisation of the fault-tree engine (issue 15): modules detected, solved once, exact.

A module (Dutuit and Rauzy 1996) is a gate whose sub-DAG shares nothing with the rest; with the
events independent, its function is an independent event of probability P(module), so replacing
it by a fresh variable of that probability leaves every probability unchanged, whatever the
connectives. The tests compare with brute force over all states and with the BDD over the
events, and a worked example is computed by hand.
"""

import itertools
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolios import ftengine
from portfolios.faulttree import FaultTree

OPS = ["and", "or", "nand", "nor", "not", "xor", "iff", "imply", "atleast", "cardinality"]


@st.composite
def pdags(draw):
    """Random DAGs with every operator (constants too), often with independent sub-trees."""
    n = draw(st.integers(1, 7))
    nodes = []
    for j in range(draw(st.integers(1, 8))):
        pool = list(range(n + j))
        op = draw(st.sampled_from([*OPS, "true", "false"]))
        if op in ("true", "false"):
            args = ()
        elif op == "not":
            args = (draw(st.sampled_from(pool)),)
        elif op in ("xor", "iff", "imply"):
            args = tuple(draw(st.lists(st.sampled_from(pool), min_size=2, max_size=2)))
        else:
            args = tuple(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3)))
        k = draw(st.integers(0, len(args))) if op in ("atleast", "cardinality") else 0
        kmax = draw(st.integers(k, len(args))) if op == "cardinality" else 0
        nodes.append((op, args, k, kmax))
    G = ftengine.Pdag(n, tuple(nodes))
    total = n + len(nodes)
    roots = draw(st.lists(st.integers(n, total - 1), min_size=1, max_size=3, unique=True))
    p = draw(st.lists(st.sampled_from([0.0, 0.01, 0.3, 0.5, 0.99, 1.0]), min_size=n, max_size=n))
    return G, roots, p


def _value(G, u, x):
    if u < G.n_vars:
        return x[u]
    op, args, k, kmax = G.nodes[u - G.n_vars]
    a = [_value(G, v, x) for v in args]
    return {
        "and": lambda: all(a),
        "or": lambda: any(a),
        "nand": lambda: not all(a),
        "nor": lambda: not any(a),
        "not": lambda: not a[0],
        "xor": lambda: a[0] != a[1],
        "iff": lambda: a[0] == a[1],
        "imply": lambda: (not a[0]) or a[1],
        "atleast": lambda: sum(a) >= k,
        "cardinality": lambda: k <= sum(a) <= kmax,
        "true": lambda: True,
        "false": lambda: False,
    }[op]()


def _brute(G, root, p):
    return math.fsum(
        math.prod(q if b else 1 - q for q, b in zip(p, x, strict=True))
        for x in itertools.product([0, 1], repeat=G.n_vars)
        if _value(G, root, x)
    )


def _descendants(G, u):
    out, stack = set(), list(G.nodes[u - G.n_vars][1]) if u >= G.n_vars else []
    while stack:
        v = stack.pop()
        if v not in out:
            out.add(v)
            if v >= G.n_vars:
                stack.extend(G.nodes[v - G.n_vars][1])
    return out


def _reached_avoiding(G, roots, u):
    """What the roots reach by paths that do not go through u."""
    out, stack = set(), [r for r in roots if r != u]
    while stack:
        v = stack.pop()
        if v not in out and v != u:
            out.add(v)
            if v >= G.n_vars:
                stack.extend(G.nodes[v - G.n_vars][1])
    return out


def _brute_modules(G, roots):
    reach = set(roots) | {d for r in roots for d in _descendants(G, r)}
    return tuple(
        u
        for u in sorted(reach)
        if u >= G.n_vars and not (_descendants(G, u) & _reached_avoiding(G, roots, u))
    )


@settings(max_examples=150, deadline=None)
@given(pdags())
def test_modules_are_the_gates_whose_sub_dag_is_reached_only_through_them(case):
    G, roots, _ = case
    assert ftengine.modules(G, roots) == _brute_modules(G, roots)


@settings(max_examples=100, deadline=None)
@given(pdags())
def test_modular_probability_equals_the_bdd_over_the_events_and_brute_force(case):
    G, roots, p = case
    flat = ftengine.probability(ftengine.compile_pdag(G, roots).diagram, p)
    H, new_roots, variables, derived = ftengine.modularise(G, roots)
    D = ftengine.compile_pdag(H, new_roots).diagram
    q = [p[v] if v >= 0 else math.nan for v in variables]  # a module's row is never read
    edges = {v: D.roots[i] for v, i in derived.items()}
    modular = ftengine.probability(D, q, D.roots[: len(roots)], derived=edges)
    for r, a, b in zip(roots, flat.tolist(), modular.tolist(), strict=True):
        exact = _brute(G, r, p)
        assert a == pytest.approx(exact, rel=1e-12, abs=1e-15)
        assert b == pytest.approx(exact, rel=1e-12, abs=1e-15)
    # vectorised: several probability vectors in one pass
    cols = [p, [1 - x for x in p]]
    qq = [[c[v] if v >= 0 else math.nan for c in cols] for v in variables]
    many = ftengine.probability(D, qq, D.roots[: len(roots)], derived=edges)
    for i, r in enumerate(roots):
        assert many[i, 1] == pytest.approx(_brute(G, r, cols[1]), rel=1e-12, abs=1e-15)


def test_a_worked_example_by_hand():
    # top = xor(a b, not c) or (d and e): three modules under the top (a b, not c, d e), the
    # xor gate a fourth. P(a b) = 1/50, P(not c) = 7/10, P(xor) = 1/50 * 3/10 + 49/50 * 7/10
    # = 173/250; P(d e) = 1/5; P(top) = 1 - (77/250)(4/5) = 471/625.
    p = {"a": 0.1, "b": 0.2, "c": 0.3, "d": 0.4, "e": 0.5}
    gates = {
        "top": ("or", (("gate", "x"), ("gate", "de"))),
        "x": ("xor", (("gate", "ab"), ("not", (("basic-event", "c"),)))),
        "ab": ("and", (("basic-event", "a"), ("basic-event", "b"))),
        "de": ("and", (("basic-event", "d"), ("basic-event", "e"))),
    }
    T = FaultTree(name="hand", gates=gates, basic_events=p)
    expected = 1 - (1 - Fraction(173, 250)) * (1 - Fraction(1, 5))
    assert expected == Fraction(471, 625)
    s = T.solve()
    assert s.modules == 4  # ab, not c, de and the xor
    assert s.probabilities["top"] == pytest.approx(float(expected), rel=1e-15)
    flat = T.with_options(modularise=False).solve()
    assert flat.modules == 0
    assert flat.probabilities["top"] == pytest.approx(float(expected), rel=1e-15)
    # every gate asked: a root reached by another stays a module (nothing below it is shared),
    # but x and top are not (the root ab is below them): ab, not c and de remain
    every = T.solve(list(gates))
    assert every.modules == 3
    assert every.probabilities["x"] == pytest.approx(173 / 250, rel=1e-15)
    assert every.probabilities["ab"] == pytest.approx(1 / 50, rel=1e-15)
    assert every.probabilities["top"] == pytest.approx(float(expected), rel=1e-15)


def test_shared_events_break_modules():
    # top = (a b) or (a c): a is in both, so neither and-gate is a module
    gates = {
        "top": ("or", (("gate", "g1"), ("gate", "g2"))),
        "g1": ("and", (("basic-event", "a"), ("basic-event", "b"))),
        "g2": ("and", (("basic-event", "a"), ("basic-event", "c"))),
    }
    T = FaultTree(name="shared", gates=gates, basic_events={"a": 0.5, "b": 0.2, "c": 0.4})
    s = T.solve()
    assert s.modules == 0
    # P = P(a) P(b or c) = 0.5 (0.2 + 0.4 - 0.08)
    assert s.probabilities["top"] == pytest.approx(0.5 * 0.52, rel=1e-15)


@pytest.mark.skipif("cudd" not in ftengine.available_backends(), reason="dd.cudd is missing")
@settings(max_examples=40, deadline=None)
@given(pdags())
def test_reading_roots_by_walk_or_by_dump_gives_the_same_diagram(case):
    G, roots, p = case
    H, new_roots, _, _ = ftengine.modularise(G, roots)
    diagrams = []
    for walk in (0, 10**9):  # every root dumped, every root walked
        old = ftengine._WALK_NODES
        ftengine._WALK_NODES = walk
        try:
            diagrams.append(ftengine.compile_pdag(H, new_roots, backend="cudd").diagram)
        finally:
            ftengine._WALK_NODES = old
    a, b = diagrams  # the same nodes (perhaps numbered otherwise within a level)
    assert len(a) == len(b)
    assert [a.size(r) for r in a.roots] == [b.size(r) for r in b.roots]
    q = [x if x not in (0.0, 1.0) else 0.25 for x in p] + [0.6] * (H.n_vars - len(p))
    assert ftengine.probability(a, q).tolist() == ftengine.probability(b, q).tolist()
