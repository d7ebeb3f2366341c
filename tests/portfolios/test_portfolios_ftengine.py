"""The exact fault-tree engine: backends, deep inputs, MEF probability layer, uncertainty, Aralia.

Published values used here:

* SCRAM (rakhimov/scram) ``tests/bench_small_tree_tests.cc``: the "Small Tree" model from XFTA
  (top = e1 e2 + e3 e4, exponential failures over the default mission time 8760 h with
  log-normal rates (mean, error factor 3, level 0.95) of 2e-5, 1e-5, 2e-5 and lambda4 =
  lambda2, the same parameter): exact probability 0.02678 (tolerance 1e-5), uncertainty with
  10,000 trials mean 0.0253 (1e-3) and sigma 0.022 (2e-3). Our model text is written here from
  that description.
* The Aralia trees (benchmarks/aralia/published.py: XFTA's own logs), when fetched.
"""

import itertools
import math
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolios import PortfolioError, ftengine, openpsa
from portfolios.errors import ComputationLimitError
from portfolios.faulttree import FaultTree

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "aralia"
sys.path.insert(0, str(BENCH))
import published  # noqa: E402

ARALIA = BENCH / "data"


def _write(tmp_path, text, name="t.xml"):
    path = tmp_path / name
    path.write_text(text)
    return path


# --------------------------------------------------------------------------- backends


@pytest.mark.parametrize("backend", ftengine.available_backends())
def test_backends_agree_and_say_which_ran(backend):
    G = ftengine.Pdag(3, (("atleast", (0, 1, 2), 2, 0), ("xor", (3, 0), 0, 0)))
    C = ftengine.compile_pdag(G, [3, 4], backend=backend)
    assert C.backend == backend and C.diagram.backend == backend
    p = [0.1, 0.2, 0.3]
    vote = 0.1 * 0.2 + 0.1 * 0.3 + 0.2 * 0.3 - 2 * 0.1 * 0.2 * 0.3
    # vote xor x0 = vote and not x0, or x0 and not vote
    v0 = 0.2 * 0.3  # P(vote | x0 = 0)
    v1 = 0.2 + 0.3 - 0.2 * 0.3  # P(vote | x0 = 1)
    expected = 0.9 * v0 + 0.1 * (1 - v1)
    got = ftengine.probability(C.diagram, p)
    assert got.tolist() == pytest.approx([vote, expected], abs=1e-15)


def test_an_or_of_1000_events_is_not_a_size_error():
    # a diagram of ~1,000 nodes: dd.bdd's recursion used to be reported as MAX_BDD_NODES
    n = 1000
    G = ftengine.Pdag(n, (("or", tuple(range(n)), 0, 0),))
    for backend in ftengine.available_backends():
        C = ftengine.compile_pdag(G, [n], backend=backend)
        assert len(C.diagram) == n
        p = np.full(n, 1e-3)
        assert ftengine.probability(C.diagram, p)[0] == pytest.approx(
            -math.expm1(n * math.log1p(-1e-3)), rel=1e-12
        )


def _chain_mef(depth, nested):
    """A gate chain (g0 = A or g1, ...) or one gate with nested formulas, ``depth`` deep."""
    if nested:
        formula = (
            "<or><basic-event name='B0'/>" * depth + "<basic-event name='A'/>" + "</or>" * depth
        )
        gates = f"<define-gate name='top'>{formula}</define-gate>"
        events = "".join(
            f"<define-basic-event name='B{0}'><float value='0.001'/></define-basic-event>"
            for _ in [0]
        )
    else:
        gates = (
            "".join(
                f"<define-gate name='g{i}'><or><basic-event name='B{i}'/>"
                f"<gate name='g{i + 1}'/></or></define-gate>"
                for i in range(depth)
            )
            + f"<define-gate name='g{depth}'><and><basic-event name='A'/>"
            "<basic-event name='B0'/></and></define-gate>"
        )
        events = "".join(
            f"<define-basic-event name='B{i}'><float value='0.001'/></define-basic-event>"
            for i in range(depth)
        )
    events += "<define-basic-event name='A'><float value='0.5'/></define-basic-event>"
    return f"<opsa-mef><define-fault-tree name='c'>{gates}{events}</define-fault-tree></opsa-mef>"


@pytest.mark.parametrize(("depth", "nested"), [(1000, False), (600, True)])
def test_deep_gate_chains_and_nesting_do_not_recurse(tmp_path, depth, nested):
    T = openpsa.load(_write(tmp_path, _chain_mef(depth, nested)))
    p = T.probability()
    if nested:
        assert p == pytest.approx(1 - 0.999 * 0.5, rel=1e-12)
    else:  # B0 or B1 or ... or (A and B0) = OR of the B's
        assert p == pytest.approx(-math.expm1(depth * math.log1p(-0.001)), rel=1e-12)
    cuts = T.minimal_cut_sets(max_order=1)
    assert len(cuts) == (1 if nested else depth) + (1 if nested else 0)
    imp = T.importance(fussell_vesely=False)
    assert np.isfinite(imp.birnbaum).all()


def test_the_node_limit_is_a_clear_error():
    G = ftengine.Pdag(
        40,
        (
            *(("or", (2 * i, 2 * i + 1), 0, 0) for i in range(20)),
            ("and", tuple(range(40, 60)), 0, 0),
        ),
    )
    with pytest.raises(ComputationLimitError, match=r"max_nodes = 10 nodes.*montecarlo"):
        ftengine.compile_pdag(G, [60], max_nodes=10)


# --------------------------------------------------------------------------- importance


@st.composite
def pdags(draw):
    n = draw(st.integers(1, 6))
    nodes = []
    for j in range(draw(st.integers(1, 6))):
        pool = list(range(n + j))
        op = draw(st.sampled_from(["and", "or", "not", "xor", "atleast", "nand", "cardinality"]))
        if op == "not":
            args = (draw(st.sampled_from(pool)),)
        elif op == "xor":
            args = tuple(draw(st.lists(st.sampled_from(pool), min_size=2, max_size=2)))
        else:
            args = tuple(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4)))
        k = draw(st.integers(0, len(args))) if op in ("atleast", "cardinality") else 0
        kmax = draw(st.integers(k, len(args))) if op == "cardinality" else 0
        nodes.append((op, args, k, kmax))
    p = draw(st.lists(st.sampled_from([0.0, 0.01, 0.3, 0.5, 0.99, 1.0]), min_size=n, max_size=n))
    return ftengine.Pdag(n, tuple(nodes)), p


def _value(G, u, x):
    if u < G.n_vars:
        return x[u]
    op, args, k, kmax = G.nodes[u - G.n_vars]
    a = [_value(G, v, x) for v in args]
    return {
        "and": lambda: all(a),
        "or": lambda: any(a),
        "not": lambda: not a[0],
        "nand": lambda: not all(a),
        "xor": lambda: a[0] != a[1],
        "atleast": lambda: sum(a) >= k,
        "cardinality": lambda: k <= sum(a) <= kmax,
    }[op]()


def _brute(G, root, p):
    total = []
    for x in itertools.product([0, 1], repeat=G.n_vars):
        if _value(G, root, x):
            total.append(math.prod(q if b else 1 - q for q, b in zip(p, x, strict=True)))
    return math.fsum(total)


@settings(max_examples=60, deadline=None)
@given(pdags())
def test_probability_and_both_importance_methods_equal_brute_force(case):
    G, p = case
    root = G.n_vars + len(G.nodes) - 1
    C = ftengine.compile_pdag(G, [root])
    D = C.diagram
    assert ftengine.probability(D, p)[0] == pytest.approx(_brute(G, root, p), abs=1e-12)
    for method in ("exact", "two-pass"):
        _, p1, p0 = ftengine.conditional_probabilities(D, p, D.roots[0], method=method)
        for v in range(G.n_vars):
            assert p1[v] == pytest.approx(_brute(G, root, [*p[:v], 1.0, *p[v + 1 :]]), abs=1e-12)
            assert p0[v] == pytest.approx(_brute(G, root, [*p[:v], 0.0, *p[v + 1 :]]), abs=1e-12)


@st.composite
def shared_pdags(draw):
    """Random DAGs whose gates share sub-gates, with several requested nodes."""
    n = draw(st.integers(1, 6))
    nodes = []
    for j in range(draw(st.integers(2, 9))):
        gates = list(range(n, n + j))
        pool = list(range(n + j))
        # half the arguments from the earlier gates, when there are some: shared sub-gates
        arg = st.sampled_from(gates) | st.sampled_from(pool) if gates else st.sampled_from(pool)
        op = draw(st.sampled_from(["and", "or", "nand", "nor", "not", "xor", "atleast"]))
        if op == "not":
            args = (draw(arg),)
        elif op == "xor":
            args = (draw(arg), draw(arg))
        else:
            args = tuple(draw(st.lists(arg, min_size=1, max_size=5)))
        k = draw(st.integers(0, len(args))) if op == "atleast" else 0
        nodes.append((op, args, k, 0))
    total = n + len(nodes)
    roots = draw(st.lists(st.integers(0, total - 1), min_size=1, max_size=4, unique=True))
    p = draw(st.lists(st.sampled_from([0.0, 0.01, 0.3, 0.5, 0.99, 1.0]), min_size=n, max_size=n))
    return ftengine.Pdag(n, tuple(nodes)), roots, p


@settings(max_examples=80, deadline=None)
@given(shared_pdags(), st.sampled_from(ftengine.available_backends()))
def test_a_requested_gate_outlives_the_release_of_the_intermediate_bdds(case, backend):
    # releasing a gate's BDD after its last user, and folding arguments by support size,
    # never change a requested node's probability (nor the diagram): against brute force
    # and against the build that keeps every intermediate BDD in the written order
    G, roots, p = case
    fast = ftengine.compile_pdag(G, roots, backend=backend)
    plain = ftengine.compile_pdag(G, roots, backend=backend, release=False, order_arguments=False)
    got = ftengine.probability(fast.diagram, p)
    assert got.tolist() == ftengine.probability(plain.diagram, p).tolist()
    for name in ("var", "lo", "hi"):
        assert getattr(fast.diagram, name).tolist() == getattr(plain.diagram, name).tolist()
    assert fast.diagram.roots == plain.diagram.roots
    assert fast.nodes_built >= len(fast.diagram)  # the peak holds at least the roots' nodes
    expected = [0.0] * len(roots)  # brute force, each node's value computed once
    for x in itertools.product([0, 1], repeat=G.n_vars):
        val = list(x)
        for op, args, k, _ in G.nodes:
            a = [val[u] for u in args]
            val.append(
                {
                    "and": all(a),
                    "or": any(a),
                    "nand": not all(a),
                    "nor": not any(a),
                    "not": not a[0],
                    "xor": a[0] != a[-1],
                    "atleast": sum(a) >= k,
                }[op]
            )
        weight = math.prod(q if b else 1 - q for q, b in zip(p, x, strict=True))
        for i, r in enumerate(roots):
            expected[i] += weight if val[r] else 0.0
    assert got.tolist() == pytest.approx(expected, abs=1e-12)


def test_rrw_is_inf_for_an_event_in_every_cut_set_on_the_two_pass_method(monkeypatch):
    # top = A and (B or C): A is in every cut set, P(top | A := 0) = 0 exactly
    monkeypatch.setattr(ftengine, "EXACT_IMPORTANCE_CELLS", 0)
    T = FaultTree(
        name="t",
        gates={
            "top": (
                "and",
                (("basic-event", "A"), ("or", (("basic-event", "B"), ("basic-event", "C")))),
            )
        },
        basic_events={"A": 0.1, "B": 0.2, "C": 0.3},
    )
    imp = T.importance()
    assert imp["A"].p_if_holds == 0.0 and imp["A"].rrw == math.inf
    assert imp["B"].fussell_vesely == pytest.approx(0.1 * 0.2 / T.probability())


# --------------------------------------------------------------------------- MEF probability layer

SMALL_TREE = (
    """<?xml version="1.0"?>
<opsa-mef><define-fault-tree name="SmallTree">
<define-gate name="top"><or><gate name="g1"/><gate name="g2"/></or></define-gate>
<define-gate name="g1"><and><basic-event name="e1"/><basic-event name="e2"/></and></define-gate>
<define-gate name="g2"><and><basic-event name="e3"/><basic-event name="e4"/></and></define-gate>
"""
    + "".join(
        f'<define-basic-event name="e{i}"><exponential><parameter name="lambda{i}"/>'
        "<system-mission-time/></exponential></define-basic-event>"
        for i in range(1, 5)
    )
    + "".join(
        f'<define-parameter name="lambda{i}" unit="hours-1"><lognormal-deviate><float value="{m}"/>'
        '<float value="3"/><float value="0.95"/></lognormal-deviate></define-parameter>'
        for i, m in ((1, 2e-5), (2, 1e-5), (3, 2e-5))
    )
    + """<define-parameter name="lambda4"><parameter name="lambda2"/></define-parameter>
</define-fault-tree></opsa-mef>"""
)


def test_scram_small_tree_probability_and_uncertainty(tmp_path):
    T = openpsa.load(_write(tmp_path, SMALL_TREE))
    assert T.probability() == pytest.approx(0.02678, abs=1e-5)  # SCRAM, BDD
    u = T.uncertainty(samples=10_000, rng=2024)
    assert u.mean == pytest.approx(0.0253, abs=1e-3)  # SCRAM's tolerances
    assert u.std == pytest.approx(0.022, abs=2e-3)
    assert u.samples.shape == (10_000,) and not u.samples.flags.writeable
    # the same trials whatever the workers (a map-like callable here)
    again = T.uncertainty(samples=10_000, rng=2024, workers=map)
    assert np.array_equal(again.samples, u.samples)


def test_a_shared_parameter_is_one_draw_per_trial(tmp_path):
    # e2 and e4 share lambda2: in every trial their probabilities are equal
    T = openpsa.load(_write(tmp_path, SMALL_TREE))
    from portfolios import ftuncertainty

    seen = {}
    original = ftuncertainty._chunk

    def spy(args):
        task = args[0]
        values = task.program.sample(np.random.default_rng(args[1]), args[2])
        seen["e2"] = values[T.model.basic_events["e2"]]
        seen["e4"] = values[T.model.basic_events["e4"]]
        return original(args)

    ftuncertainty._chunk, saved = spy, original
    try:
        T.uncertainty(samples=100, rng=1)
    finally:
        ftuncertainty._chunk = saved
    assert np.array_equal(seen["e2"], seen["e4"]) and seen["e2"].std() > 0


def test_fault_tree_uncertainty_is_the_portfolio_result_type(tmp_path):
    import portfolios

    T = openpsa.load(_write(tmp_path, SMALL_TREE))
    u = T.uncertainty(samples=2000, rng=5, quantiles=(0.1, 0.9))
    assert isinstance(u, portfolios.Uncertainty) and type(u) is portfolios.uncertainty.Uncertainty
    assert u.targets == ("top",) and u.scenario is None and u.seed == 5
    # lambda4 is lambda2 (no deviate of its own): three deviates, named by their parameters
    assert sorted(u.parameters) == ["lambda1", "lambda2", "lambda3"]
    assert u.parameter_samples.shape == (2000, 3) and not u.parameter_samples.flags.writeable
    # each trial is the exact probability at its draws: top = e1 e2 + e3 e4 - e1 e2 e3 e4 with
    # e_i = 1 - exp(-lambda_i 8760) and e4 = e2 (the shared parameter)
    lam = dict(zip(u.parameters, u.parameter_samples.T, strict=True))
    e1, e2, e3 = (1 - np.exp(-lam[f"lambda{i}"] * 8760) for i in (1, 2, 3))
    assert np.allclose(u.samples, e1 * e2 + e3 * e2 - e1 * e2 * e3 * e2, rtol=1e-12, atol=0)
    # lambda2 enters both products: it explains the largest share of the variance
    assert u.sensitivity[0].parameter == "lambda2"
    assert all(s.spearman > 0.2 for s in u.sensitivity)
    assert list(u.quantiles) == [0.1, 0.9]
    assert u.quantiles[0.9] == np.quantile(u.samples, 0.9)
    # the fault tree's former attribute names remain, as aliases
    assert u.gate == "top" and u.point == u.point_value == T.probability()
    assert u.backend == u.engine == T.solve().backend
    assert list(u.quantile_levels) == [0.1, 0.9]
    counts, edges = u.histogram
    assert counts.sum() == 2000 and edges[0] == u.samples.min() and edges[-1] == u.samples.max()
    assert not counts.flags.writeable
    text = u.to_text()
    assert text.startswith(f"P(top): 2000 samples ({u.engine})") and "lambda2" in text
    assert "lambda2" in u._repr_html_() and repr(u).startswith("Uncertainty(top: mean=")


def test_deviates_are_named_by_their_owner_and_numbered_when_several(tmp_path):
    text = (
        "<opsa-mef><define-fault-tree name='t'><define-gate name='top'><or>"
        "<basic-event name='A'/><basic-event name='B'/><basic-event name='C'/></or></define-gate>"
        "<define-basic-event name='A'><mul><uniform-deviate><float value='0.1'/>"
        "<float value='0.2'/></uniform-deviate><uniform-deviate><float value='0.5'/>"
        "<float value='1'/></uniform-deviate></mul></define-basic-event>"
        "<define-basic-event name='B'><beta-deviate><float value='2'/><float value='8'/>"
        "</beta-deviate></define-basic-event>"
        "<define-basic-event name='C'><float value='0.01'/></define-basic-event>"
        "<define-parameter name='unused'><uniform-deviate><float value='0'/><float value='1'/>"
        "</uniform-deviate></define-parameter>"
        "</define-fault-tree></opsa-mef>"
    )
    T = openpsa.load(_write(tmp_path, text))
    u = T.uncertainty(samples=3000, rng=0)
    # the parameter no event uses is not a deviate of the gate
    assert u.parameters == ("A[1]", "A[2]", "B")
    a1, a2, b = u.parameter_samples.T
    assert a1.min() >= 0.1 and a1.max() <= 0.2 and a2.min() >= 0.5 and b.max() < 1
    assert np.allclose(u.samples, 1 - (1 - a1 * a2) * (1 - b) * 0.99, rtol=1e-12)
    # B (Beta(2, 8), std 0.12) dominates A (at most 0.2, std about 0.03)
    assert u.sensitivity[0].parameter == "B" and u.sensitivity[0].first_order > 0.8


def F(*values):
    """``<float value=.../>`` elements."""
    return "".join(f"<float value='{v}'/>" for v in values)


EXPRESSIONS = [
    ("<float value='0.25'/>", 0.25),
    ("<exponential><float value='1e-3'/><float value='100'/></exponential>", -math.expm1(-0.1)),
    (
        f"<GLM>{F(0.01, 1e-3, 0.1, 100)}</GLM>",
        (1e-3 - (1e-3 - 0.01 * 0.101) * math.exp(-0.101 * 100)) / 0.101,
    ),
    (
        f"<Weibull>{F(1000, 2, 0, 100)}</Weibull>",
        -math.expm1(-((100 / 1000) ** 2)),
    ),
    (
        f"<periodic-test>{F(1e-3, 30, 10, 100)}</periodic-test>",
        -math.expm1(-1e-3 * 30),
    ),  # t - theta = 90 = 3 tau: at a test instant, tau since the last
    (
        f"<periodic-test>{F(1e-3, 40, 10, 100)}</periodic-test>",
        -math.expm1(-1e-3 * 10),
    ),
    ("<mul><float value='0.5'/><add><float value='0.1'/><float value='0.2'/></add></mul>", 0.15),
    (
        f"<ite><lt>{F(1, 2)}</lt>{F(0.3, 0.7)}</ite>",
        0.3,
    ),
    (
        "<switch><case><bool value='false'/><float value='0.9'/></case><case><bool value='true'/>"
        "<float value='0.2'/></case><float value='0.5'/></switch>",
        0.2,
    ),
    ("<uniform-deviate><float value='0.1'/><float value='0.3'/></uniform-deviate>", 0.2),
    ("<normal-deviate><float value='0.4'/><float value='0.01'/></normal-deviate>", 0.4),
    (
        f"<lognormal-deviate>{F(0.01, 3, 0.95)}</lognormal-deviate>",
        0.01,
    ),
    (
        "<lognormal-deviate><float value='-5'/><float value='0.5'/></lognormal-deviate>",
        math.exp(-5 + 0.125),
    ),
    ("<gamma-deviate><float value='2'/><float value='0.05'/></gamma-deviate>", 0.1),
    ("<beta-deviate><float value='1'/><float value='9'/></beta-deviate>", 0.1),
    (
        "<histogram><float value='0'/><bin><float value='0.1'/><float value='1'/></bin>"
        "<bin><float value='0.3'/><float value='3'/></bin></histogram>",
        (0.05 * 1 + 0.2 * 3) / 4,
    ),
    ("<div><system-mission-time/><float value='87600'/></div>", 0.1),
]


@pytest.mark.parametrize(("expression", "value"), EXPRESSIONS)
def test_mef_expressions_point_values(tmp_path, expression, value):
    text = (
        "<opsa-mef><define-fault-tree name='t'><define-gate name='top'><or><basic-event name='A'/>"
        f"</or></define-gate><define-basic-event name='A'>{expression}</define-basic-event>"
        "</define-fault-tree></opsa-mef>"
    )
    T = openpsa.load(_write(tmp_path, text))
    assert T.basic_events["A"] == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "<define-basic-event name='A'><parameter name='nope'/></define-basic-event>",
            r"unknown parameter 'nope'",
        ),
        (
            "<define-parameter name='p'><parameter name='q'/></define-parameter>"
            "<define-parameter name='q'><parameter name='p'/></define-parameter>"
            "<define-basic-event name='A'><parameter name='p'/></define-basic-event>",
            r"in terms of itself",
        ),
        (
            "<define-parameter name='p'><float value='0.1'/></define-parameter>"
            "<define-parameter name='p'><float value='0.2'/></define-parameter>"
            "<define-basic-event name='A'><parameter name='p'/></define-basic-event>",
            r"'p' is already defined",
        ),
        (
            "<define-basic-event name='A'><normal-deviate><float value='0.1'/><float value='-1'/>"
            "</normal-deviate></define-basic-event>",
            r"line 1: expression entry 'A': <normal-deviate>: needs sigma > 0",
        ),
        (
            "<define-basic-event name='A'><lognormal-deviate>"
            "<float value='0.1'/><float value='0.5'/>"
            "<float value='0.95'/></lognormal-deviate></define-basic-event>",
            r"error factor > 1",
        ),
        (
            "<define-basic-event name='A'><float value='1.5'/></define-basic-event>",
            r"define-basic-event entry 'A', field 'value': 1.5 is not a probability",
        ),
        (
            f"<define-basic-event name='A'><div>{F(1, 0)}</div></define-basic-event>",
            r"<div>: the value is not a finite number",
        ),
        (
            "<define-parameter name='p' unit='furlongs'><float value='0.1'/></define-parameter>"
            "<define-basic-event name='A'><parameter name='p'/></define-basic-event>",
            r"unknown unit 'furlongs'",
        ),
    ],
)
def test_bad_probability_layers_name_the_place(tmp_path, body, message):
    text = (
        "<opsa-mef><define-fault-tree name='t'><define-gate name='top'><or><basic-event name='A'/>"
        f"</or></define-gate>{body}</define-fault-tree></opsa-mef>"
    )
    with pytest.raises(PortfolioError, match=message):
        openpsa.load(_write(tmp_path, text))


def test_a_sampled_probability_outside_0_1_is_an_error(tmp_path):
    text = (
        "<opsa-mef><define-fault-tree name='t'><define-gate name='top'><or><basic-event name='A'/>"
        "</or></define-gate><define-basic-event name='A'><normal-deviate><float value='0.01'/>"
        "<float value='0.1'/></normal-deviate></define-basic-event></define-fault-tree></opsa-mef>"
    )
    T = openpsa.load(_write(tmp_path, text))
    with pytest.raises(PortfolioError, match=r"entry 'A'.*sampled probability"):
        T.uncertainty(samples=1000, rng=0)


def test_components_scope_names_and_events_without_probability(tmp_path):
    # two components each with a private basic event "pump": distinct events, resolved locally
    text = """<opsa-mef><define-fault-tree name="plant">
      <define-gate name="top"><and><gate name="trainA.out"/><gate name="trainB.out"/></and>
      </define-gate>
      <define-component name="trainA" role="private">
        <define-gate name="out" role="public"><or><basic-event name="pump"/>
          <basic-event name="valve"/></or></define-gate>
        <define-basic-event name="pump"/>
      </define-component>
      <define-component name="trainB" role="private">
        <define-gate name="out"><or><basic-event name="pump"/><basic-event name="valve"/></or>
        </define-gate>
        <define-basic-event name="pump"/>
      </define-component>
      <define-basic-event name="valve"/>
    </define-fault-tree></opsa-mef>"""
    T = openpsa.load(_write(tmp_path, text))
    cuts = {frozenset(c.labels) for c in T.minimal_cut_sets()}
    assert cuts == {frozenset({"valve"}), frozenset({"plant.trainA.pump", "plant.trainB.pump"})}
    with pytest.raises(PortfolioError, match="needs a probability for every basic event"):
        T.probability()


def test_house_events_set_at_load_time(tmp_path):
    text = """<opsa-mef><define-fault-tree name="t">
      <define-gate name="top"><or><basic-event name="A"/>
        <and><house-event name="H"/><basic-event name="B"/></and></or></define-gate>
      <define-house-event name="H"><constant value="false"/></define-house-event>
      <define-basic-event name="A"><float value="0.1"/></define-basic-event>
      <define-basic-event name="B"><float value="0.2"/></define-basic-event>
    </define-fault-tree></opsa-mef>"""
    path = _write(tmp_path, text)
    assert openpsa.load(path).probability() == pytest.approx(0.1)
    assert openpsa.load(path, house_events={"H": True}).probability() == pytest.approx(0.28)


def test_a_long_label_reads_in_linear_time(tmp_path):
    import time

    text = (
        "<opsa-mef><define-fault-tree name='t'><define-gate name='top'><label>"
        + "x &amp; y " * 200_000
        + "</label><or><basic-event name='A'/></or></define-gate><define-basic-event name='A'>"
        "<float value='0.5'/></define-basic-event></define-fault-tree></opsa-mef>"
    )
    t0 = time.perf_counter()
    T = openpsa.load(_write(tmp_path, text))
    assert time.perf_counter() - t0 < 10.0
    assert len(T.labels["top"]) > 1_000_000


# --------------------------------------------------------------------------- Aralia


def _aralia(name):
    path = ARALIA / f"{name}.xml"
    if not path.exists():
        pytest.skip("the Aralia trees are not fetched (benchmarks/aralia/fetch_aralia.py)")
    return openpsa.load(path)


SUBSET = ["chinese", "baobab1", "das9204", "das9601", "isp9605", "edf9201"]


def _check_published(name):
    T = _aralia(name)
    ok, _ = published.matches(name, T.probability())
    assert ok, (T.probability(), published.XFTA_LOG.get(name), published.README_TABLE[name])


@pytest.mark.parametrize("name", SUBSET)
def test_aralia_subset_matches_xfta(name):
    _check_published(name)


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    sorted({n for n, (_, p) in published.README_TABLE.items() if p != "unknown"} - set(SUBSET)),
)
def test_aralia_every_published_tree(name):
    _check_published(name)


def test_aralia_cut_set_counts_on_the_zbdd():
    T = _aralia("chinese")
    assert sum(T.count_cut_sets().values()) == 392  # README table and SCRAM's test
    T = _aralia("baobab1")
    assert sum(T.count_cut_sets().values()) == 46_188
    T = _aralia("das9601")  # non-coherent (xor, not): prime implicants
    assert not T.coherent()


# --------------------------------------------------------------------------- random trees

CONNECTIVES = ["and", "or", "atleast", "not", "nand", "nor", "xor", "iff", "imply", "cardinality"]


@st.composite
def full_trees(draw):
    """Random trees with every connective, house events, constants and a CCF group."""
    from portfolios.faulttree import CCFGroup

    n = draw(st.integers(1, 4))
    probs = {f"b{i}": draw(st.sampled_from([0.0, 0.05, 0.3, 0.5, 0.9, 1.0])) for i in range(n)}
    groups = {}
    if draw(st.booleans()):
        probs["m1"] = probs["m2"] = None
        beta = draw(st.sampled_from([0.0, 0.1, 0.5]))
        groups["G"] = CCFGroup("G", "beta-factor", ("m1", "m2"), 0.2, ((2, beta),))
    house = {"H": draw(st.booleans())}
    leaves = [("basic-event", b) for b in probs] + [("house-event", "H"), ("constant", True)]
    gates = {}
    for g in range(draw(st.integers(1, 4))):
        pool = leaves + [("gate", f"g{k}") for k in range(g)]
        kind = draw(st.sampled_from(CONNECTIVES))
        size = 1 if kind == "not" else 2 if kind in ("xor", "iff", "imply") else None
        args = tuple(draw(st.lists(st.sampled_from(pool), min_size=size or 1, max_size=size or 4)))
        if kind == "atleast":
            gates[f"g{g}"] = ("atleast", draw(st.integers(1, len(args))), args)
        elif kind == "cardinality":
            lo = draw(st.integers(0, len(args)))
            gates[f"g{g}"] = ("cardinality", lo, draw(st.integers(lo, len(args))), args)
        else:
            gates[f"g{g}"] = (kind, args)
    return FaultTree(
        name="random", gates=gates, basic_events=probs, house_events=house, ccf_groups=groups
    )


def _eval(T, f, member):
    kind = f[0]
    if kind == "basic-event":
        return member[f[1]]
    if kind == "house-event":
        return T.house_events[f[1]]
    if kind == "constant":
        return f[1]
    if kind == "gate":
        return _eval(T, T.gates[f[1]], member)
    if kind == "atleast":
        return sum(_eval(T, c, member) for c in f[2]) >= f[1]
    if kind == "cardinality":
        return f[1] <= sum(_eval(T, c, member) for c in f[3]) <= f[2]
    a = [_eval(T, c, member) for c in f[1]]
    if kind in ("xor", "iff", "imply"):
        x, y = a
        return {"xor": x != y, "iff": x == y, "imply": (not x) or y}[kind]
    return {"and": all(a), "or": any(a), "not": not a[0], "nand": not all(a), "nor": not any(a)}[
        kind
    ]


def _truth(T, gate, x):
    """The gate's value when exactly the events (after CCF expansion) in x occur."""
    member = {b: any(x[e] for e in T._expansion[b]) for b in T.basic_events}
    return _eval(T, ("gate", gate), member)


@settings(max_examples=50, deadline=None)
@given(full_trees())
def test_engine_equals_brute_force_with_every_connective_house_events_and_ccf(T):
    p = T.event_probability.tolist()
    n = len(T.events)
    states = list(itertools.product([False, True], repeat=n))
    for gate in T.gates:
        truth = {x: _truth(T, gate, x) for x in states}
        exact = math.fsum(
            math.prod(q if b else 1 - q for q, b in zip(p, x, strict=True))
            for x in states
            if truth[x]
        )
        assert T.probability(gate) == pytest.approx(exact, abs=1e-12)
        monotone = all(
            truth[y]
            for x in states
            if truth[x]
            for y in states
            if all(b or not a for a, b in zip(x, y, strict=True))
        )
        assert T.coherent(gate) == monotone
        # prime implicants by brute force: minimal partial assignments forcing the gate true
        terms = []
        for term in itertools.product([None, False, True], repeat=n):
            if all(
                truth[x]
                for x in states
                if all(t is None or t == v for t, v in zip(term, x, strict=True))
            ):
                terms.append(term)

        def below(s, t):  # s is a sub-term of t
            return s != t and all(a is None or a == b for a, b in zip(s, t, strict=True))

        primes = [t for t in terms if not any(below(s, t) for s in terms)]
        labels = [e.label for e in T.events]
        expected = {
            frozenset(
                lab if v else f"not {lab}"
                for lab, v in zip(labels, t, strict=True)
                if v is not None
            )
            for t in primes
        }
        got = {frozenset(c.labels) for c in T.minimal_cut_sets(gate)}
        if monotone:  # minimal cut sets: the primes of a monotone function have no negation
            expected = {s for s in expected if not any(x.startswith("not ") for x in s)}
        assert got == expected
        # minimal true points (prime_implicants=False, SCRAM's default for a non-coherent
        # tree): the minimal sets of occurring events, the others not occurring, making it true
        points = [x for x in states if truth[x]]
        minimal = {
            frozenset(lab for lab, v in zip(labels, x, strict=True) if v)
            for x in points
            if not any(
                y != x and all(b or not a for a, b in zip(y, x, strict=True)) for y in points
            )
        }
        cuts = T.minimal_cut_sets(gate, prime_implicants=False)
        assert {frozenset(c.labels) for c in cuts} == minimal
        assert sum(T.count_cut_sets(gate, prime_implicants=False).values()) == len(minimal)
        if monotone:
            assert minimal == got


#: Coherent trees whose cut sets the ZBDD counts in a few seconds at most.
COUNTED = [
    "baobab2",
    "baobab3",
    "das9201",
    "das9202",
    "das9203",
    "das9204",
    "das9205",
    "das9206",
    "das9207",
    "das9208",
    "das9209",
    "edf9201",
    "edf9202",
    "edf9205",
    "edfpa14p",
    "edfpa15p",
    "edfpa15r",
    "elf9601",
    "ftr10",
    "isp9601",
    "isp9602",
    "isp9603",
    "isp9604",
    "isp9605",
    "isp9606",
    "isp9607",
]


@pytest.mark.slow
@pytest.mark.parametrize("name", COUNTED)
def test_aralia_cut_set_counts_match_the_dataset(name):
    T = _aralia(name)
    assert T.coherent()
    assert sum(T.count_cut_sets().values()) == published.count(name)


def test_ccf_groups_with_uncertain_parameters(tmp_path, monkeypatch):
    # SCRAM's three-train beta-factor system (Q = 0.1, beta = 0.2): 0.04308 (tolerance 1e-5).
    # With Q a uniform deviate of mean 0.1 the point value is the same, and the trials vary.
    def model(q):
        groups = ""
        for group, kind in (("Pumps", "Pump"), ("Valves", "Valve")):
            members = "".join(f'<basic-event name="{kind}{n}"/>' for n in ("One", "Two", "Three"))
            groups += (
                f'<define-CCF-group name="{group}" model="beta-factor"><members>{members}'
                f"</members><distribution>{q}</distribution>"
                '<factor level="3"><parameter name="beta"/></factor></define-CCF-group>'
            )
        trains = "".join(
            f'<define-gate name="Train{n}"><or><event name="Valve{n}"/><event name="Pump{n}"/>'
            "</or></define-gate>"
            for n in ("One", "Two", "Three")
        )
        return (
            '<opsa-mef><define-fault-tree name="t"><define-gate name="top"><and>'
            '<gate name="TrainOne"/><gate name="TrainTwo"/><gate name="TrainThree"/></and>'
            f"</define-gate>{trains}</define-fault-tree><model-data>"
            '<define-parameter name="beta"><float value="0.2"/></define-parameter></model-data>'
            f"{groups}</opsa-mef>"
        )

    T = openpsa.load(_write(tmp_path, model("<float value='0.1'/>")))
    assert T.probability() == pytest.approx(0.04308, abs=1e-5)
    u = T.uncertainty(samples=200, rng=0)
    assert u.std == 0.0 and u.mean == pytest.approx(T.probability(), rel=1e-12)
    deviate = "<uniform-deviate><float value='0.05'/><float value='0.15'/></uniform-deviate>"
    U = openpsa.load(_write(tmp_path, model(deviate), "u.xml"))
    assert U.probability() == pytest.approx(0.04308, abs=1e-5)
    v = U.uncertainty(samples=2000, rng=0)
    assert v.std > 0.005 and 0.03 < v.mean < 0.06


def test_a_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(openpsa, "MAX_FILE_BYTES", 100)
    path = _write(tmp_path, SMALL_TREE)
    with pytest.raises(PortfolioError, match=r"more than MAX_FILE_BYTES = 100"):
        openpsa.load(path)
