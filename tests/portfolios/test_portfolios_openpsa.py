"""Open-PSA MEF: published benchmark trees, CCF models, round trip, safety, errors.

Published values (transcribed, not vendored; SCRAM is GPL-3 and only its numbers and the
small models' structure are used here):

* SCRAM (rakhimov/scram), ``tests/risk_analysis_tests.cc`` (2017): exact (BDD) top-event
  probabilities of the core models with P(A) = 0.1, P(B) = 0.2, P(C) = 0.3 -- A|B|C 0.496,
  AB|BC 0.074, atleast 2 of 3 0.098, A&~B 0.08, A|(B&~A) 0.28, AB|~AC 0.29, A|~B 0.82 -- and
  of the three-train system with CCF groups of pumps and valves (Q = 0.1): beta-factor
  (beta = 0.2) 0.04308 with 10 minimal cut sets, MGL (0.2, 0.1) 0.01630, alpha-factor
  (0.7, 0.2, 0.1) 0.05298, phi-factor (0.7, 0.2, 0.1) 0.04104, each with 34 minimal cut sets
  (2 of order 1, 24 of order 2, 8 of order 3); tolerance 1e-5 as in SCRAM's tests.
* SCRAM ``tests/bench_chinese_tree_tests.cc``: the Aralia "chinese" tree (25 basic events,
  all 0.02), exact probability 0.0045691 (tolerance 1e-5), 392 minimal cut sets
  (12 of order 2, 24 of order 4, 188 of order 5, 168 of order 6).
* SCRAM ``tests/bench_baobab1_tests.cc`` (2018): the Aralia "baobab1" tree (61 basic events,
  84 gates), exact probability 1.2823e-6 (tolerance 1e-8) and 46,188 minimal cut sets by order
  1..11: 0, 1, 1, 70, 400, 2212, 14748, 8460, 10624, 6600, 3072. Gate structure from the
  Aralia benchmark set (SCRAM ``input/Aralia/baobab1.txt``), probabilities from SCRAM
  ``input/Baobab/baobab1-basic-events.xml``.
* SCRAM ``tests/risk_analysis_tests.cc``, ImportanceDefault and ImportanceNeg: the two-train
  system's Birnbaum, criticality, diagnostic, RAW and RRW values (relative tolerance 1e-3 as
  there), coherent (P = 0.646) and with a negated pump (P = 0.04459).
* SCRAM ``tests/bench_ne574_tests.cc``: P = 0.662208 (tolerance 1e-6) and 7 minimal cut sets.
"""

import itertools
import math

import numpy as np
import pytest
from aralia_trees import (
    BAOBAB1,
    BAOBAB1_CUT_SETS,
    BAOBAB1_P,
    BAOBAB1_PROBABILITY,
    CHINESE,
    CHINESE_CUT_SETS,
    CHINESE_P,
    CHINESE_PROBABILITY,
    aralia,
    mef,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolios import Portfolio, PortfolioError, openpsa
from portfolios.faulttree import CCFGroup, FaultTree
from portfolios.strategies import portfolio_dicts

SCRAM_TOL = 1e-5

# --------------------------------------------------------------------------- helpers


def _load(tmp_path, text, name="t.xml"):
    path = tmp_path / name
    path.write_text(text)
    return openpsa.load(path)


ABC = {"A": 0.1, "B": 0.2, "C": 0.3}
E = '<event name="{}"/>'.format


N = "not {}".format


@pytest.mark.parametrize(
    ("formula", "expected", "cut_sets"),
    [
        (f"<or>{E('A')}{E('B')}{E('C')}</or>", 0.496, [{"A"}, {"B"}, {"C"}]),
        (
            f"<or><and>{E('A')}{E('B')}</and><and>{E('B')}{E('C')}</and></or>",
            0.074,
            [{"A", "B"}, {"B", "C"}],
        ),
        (
            f'<atleast min="2">{E("A")}{E("B")}{E("C")}</atleast>',
            0.098,
            [{"A", "B"}, {"A", "C"}, {"B", "C"}],
        ),
        # non-coherent: SCRAM's prime implicants (tests/bench_core_tests.cc)
        (f"<and>{E('A')}<not>{E('B')}</not></and>", 0.08, [{"A", N("B")}]),
        (f"<or>{E('A')}<and>{E('B')}<not>{E('A')}</not></and></or>", 0.28, [{"A"}, {"B"}]),
        (
            f"<or><and>{E('A')}{E('B')}</and><and><not>{E('A')}</not>{E('C')}</and></or>",
            0.29,
            [{"A", "B"}, {N("A"), "C"}, {"B", "C"}],
        ),
        (f"<or>{E('A')}<not>{E('B')}</not></or>", 0.82, [{"A"}, {N("B")}]),
        (f"<or>{E('A')}<not>{E('A')}</not></or>", 1.0, [set()]),
        (f"<and>{E('A')}<not>{E('A')}</not></and>", 0.0, []),
        (f"<nand>{E('A')}{E('B')}</nand>", 1 - 0.02, [{N("A")}, {N("B")}]),
        (f"<nor>{E('A')}{E('B')}</nor>", 0.9 * 0.8, [{N("A"), N("B")}]),
        # A xor (B xor C), A iff (B iff C): SCRAM 0.404; A => (B => C): 0.986
        (
            f"<xor>{E('A')}<xor>{E('B')}{E('C')}</xor></xor>",
            0.404,
            [{"A", "B", "C"}, {"A", N("B"), N("C")}, {N("A"), "B", N("C")}, {N("A"), N("B"), "C"}],
        ),
        (
            f"<iff>{E('A')}<iff>{E('B')}{E('C')}</iff></iff>",
            0.404,
            [{"A", "B", "C"}, {"A", N("B"), N("C")}, {N("A"), "B", N("C")}, {N("A"), N("B"), "C"}],
        ),
        (
            f"<imply>{E('A')}<imply>{E('B')}{E('C')}</imply></imply>",
            0.986,
            [{N("A")}, {N("B")}, {"C"}],
        ),
        (
            f'<cardinality min="1" max="2">{E("A")}{E("B")}{E("C")}</cardinality>',
            0.49,
            [
                {"B", N("A")},
                {"C", N("B")},
                {"A", N("C")},
                {"C", N("A")},
                {"A", N("B")},
                {"B", N("C")},
            ],
        ),
        # a not over a constant or a house event is propagated: the tree stays coherent
        (f"<and>{E('A')}<not><constant value='false'/></not></and>", 0.1, [{"A"}]),
    ],
)
def test_scram_core_models(tmp_path, formula, expected, cut_sets):
    T = _load(tmp_path, mef({"top": formula}, ABC))
    assert T.probability() == pytest.approx(expected, abs=1e-15)
    got = [set(c.labels) for c in T.minimal_cut_sets()]
    assert sorted(map(sorted, got)) == sorted(map(sorted, cut_sets))
    coherent = not any(x.startswith("not ") for s in cut_sets for x in s)
    assert T.coherent() == coherent
    for c in T.minimal_cut_sets():  # a prime implicant's probability: product of its literals
        value = math.prod(1 - ABC[x[4:]] if x.startswith("not ") else ABC[x] for x in c.labels)
        assert c.probability == pytest.approx(value, abs=1e-15)


def _three_train(model, factors):
    groups = ""
    for group, kind in (("Pumps", "Pump"), ("Valves", "Valve")):
        members = "".join(f'<basic-event name="{kind}{n}"/>' for n in ("One", "Two", "Three"))
        groups += (
            f'<define-CCF-group name="{group}" model="{model}"><members>{members}</members>'
            f'<distribution><float value="0.1"/></distribution>{factors}</define-CCF-group>'
        )
    gates = {"TopEvent": f"<and>{E('TrainOne')}{E('TrainTwo')}{E('TrainThree')}</and>"}
    for n in ("One", "Two", "Three"):
        gates[f"Train{n}"] = f"<or>{E(f'Valve{n}')}{E(f'Pump{n}')}</or>"
    return mef(gates, {}, groups)


def _factors(*pairs):
    inner = "".join(f'<factor level="{lv}"><float value="{v}"/></factor>' for lv, v in pairs)
    return f"<factors>{inner}</factors>"


@pytest.mark.parametrize(
    ("model", "factors", "expected"),
    [
        ("MGL", _factors((2, 0.2), (3, 0.1)), 0.01630),
        ("alpha-factor", _factors((1, 0.7), (2, 0.2), (3, 0.1)), 0.05298),
        ("phi-factor", _factors((1, 0.7), (2, 0.2), (3, 0.1)), 0.04104),
    ],
)
def test_scram_ccf_models(tmp_path, model, factors, expected):
    T = _load(tmp_path, _three_train(model, factors))
    assert T.probability() == pytest.approx(expected, abs=SCRAM_TOL)
    cuts = T.minimal_cut_sets()
    assert len(cuts) == 34
    assert cuts.count_by_order() == {1: 2, 2: 24, 3: 8}


@pytest.mark.parametrize(
    ("model", "pairs"),
    [
        ("MGL", ((2, 0.2), (3, 0.1))),
        ("alpha-factor", ((1, 0.7), (2, 0.2), (3, 0.1))),
        ("phi-factor", ((1, 0.7), (2, 0.2), (3, 0.1))),
    ],
)
def test_ccf_factors_in_any_order(tmp_path, model, pairs):
    # The MEF does not order <factor level=...> (SCRAM's MGL example lists level 3 first):
    # read by level, the same group and the same numbers, also in the uncertainty analysis
    # (each level keeps its own expression).
    ordered = _load(tmp_path, _three_train(model, _factors(*pairs)), "ordered.xml")
    shuffled = _load(tmp_path, _three_train(model, _factors(*reversed(pairs))), "shuffled.xml")
    assert shuffled.ccf_groups == ordered.ccf_groups
    assert shuffled.probability() == ordered.probability()
    u = shuffled.uncertainty(samples=4, rng=0)
    assert u.mean == pytest.approx(ordered.probability(), rel=1e-12)


def test_scram_beta_factor(tmp_path):
    T = _load(
        tmp_path, _three_train("beta-factor", '<factor level="3"><float value="0.2"/></factor>')
    )
    assert T.probability() == pytest.approx(0.04308, abs=SCRAM_TOL)
    p1, p2, p3 = "[PumpOne]", "[PumpTwo]", "[PumpThree]"
    v1, v2, v3 = "[ValveOne]", "[ValveTwo]", "[ValveThree]"
    expected = [
        {"[PumpOne PumpThree PumpTwo]"},
        {"[ValveOne ValveThree ValveTwo]"},
        {v1, v2, v3},
        {p1, v2, v3},
        {p2, v1, v3},
        {p3, v1, v2},
        {p3, p2, v1},
        {p1, p2, v3},
        {p1, p3, v2},
        {p1, p2, p3},
    ]
    got = [set(c.labels) for c in T.minimal_cut_sets()]
    assert len(got) == 10
    assert sorted(map(sorted, got)) == sorted(map(sorted, expected))


def test_ccf_level_probabilities_by_hand():
    # alpha-factor, m = 3, alpha = (0.7, 0.2, 0.1): alpha_t = 0.7 + 0.4 + 0.3 = 1.4;
    # Q1 = 0.7/1.4 Q, Q2 = 2 * 0.2 / (2 * 1.4) Q, Q3 = 3 * 0.1 / 1.4 Q; Q1 + 2 Q2 + Q3 = Q.
    g = CCFGroup("g", "alpha-factor", ("a", "b", "c"), 0.1, ((1, 0.7), (2, 0.2), (3, 0.1)))
    q = g.level_probabilities()
    assert q[1] == pytest.approx(0.05)
    assert q[2] == pytest.approx(0.1 * 0.2 / 1.4)
    assert q[3] == pytest.approx(0.1 * 0.3 / 1.4)
    # beta, MGL and alpha split each member's Q among the combinations containing it:
    # sum_k C(m-1, k-1) Q_k = Q. (SCRAM's phi-factor gives phi_k Q to every combination of k
    # members, so a member's share is sum_k C(m-1, k-1) phi_k Q = 0.12 here: not Q.)
    for model, factors in (
        ("MGL", ((2, 0.2), (3, 0.1))),
        ("alpha-factor", ((1, 0.7), (2, 0.2), (3, 0.1))),
        ("beta-factor", ((3, 0.2),)),
    ):
        g = CCFGroup("g", model, ("a", "b", "c"), 0.1, factors)
        q = g.level_probabilities()
        share = sum(math.comb(2, k - 1) * v for k, v in q.items())
        assert share == pytest.approx(0.1)


def test_aralia_chinese(tmp_path):
    T = _load(tmp_path, mef(aralia(CHINESE), CHINESE_P))
    assert T.top_gates == ("r1",)
    assert T.probability() == pytest.approx(CHINESE_PROBABILITY, abs=SCRAM_TOL)
    cuts = T.minimal_cut_sets()
    assert len(cuts) == 392
    assert cuts.count_by_order() == CHINESE_CUT_SETS
    # SCRAM's rare-event approximation (the sum over the cut sets): 0.004804
    assert math.fsum(c.probability for c in cuts) == pytest.approx(0.004804, abs=SCRAM_TOL)


@pytest.fixture(scope="module")
def baobab1(tmp_path_factory):
    assert len(BAOBAB1_P) == 61
    path = tmp_path_factory.mktemp("baobab") / "baobab1.xml"
    path.write_text(mef(aralia(BAOBAB1), BAOBAB1_P))
    return openpsa.load(path)


def test_aralia_baobab1_probability_and_small_cut_sets(baobab1):
    assert len(baobab1.gates) == 84
    assert baobab1.probability() == pytest.approx(BAOBAB1_PROBABILITY, abs=1e-8)
    cuts = baobab1.minimal_cut_sets(max_order=6)
    assert len(cuts) == 2684  # SCRAM bench_baobab1_tests.cc with limit_order(6)
    assert cuts.count_by_order() == {2: 1, 3: 1, 4: 70, 5: 400, 6: 2212}


@pytest.mark.slow
def test_aralia_baobab1_all_cut_sets(baobab1):
    counts = baobab1.minimal_cut_sets().count_by_order()
    assert sum(counts.values()) == 46188
    assert {k: counts.get(k, 0) for k in range(1, 12)} == BAOBAB1_CUT_SETS
    rare_event = math.fsum(c.probability for c in baobab1.minimal_cut_sets())
    assert rare_event == pytest.approx(1.6815e-6, abs=1e-8)  # SCRAM's rare-event value


# --------------------------------------------------------------------------- BDD vs brute force


@st.composite
def fault_trees(draw):
    """Random trees of and/or/atleast/not gates over at most 7 basic events."""
    n = draw(st.integers(1, 7))
    probs = {f"b{i}": draw(st.sampled_from([0.0, 0.05, 0.3, 0.5, 0.9, 1.0])) for i in range(n)}
    leaves = [("basic-event", b) for b in probs]
    gates = {}
    for g in range(draw(st.integers(1, 5))):
        pool = leaves + [("gate", f"g{k}") for k in range(g)]
        args = tuple(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4)))
        kind = draw(st.sampled_from(["and", "or", "atleast", "not"]))
        if kind == "not":
            gates[f"g{g}"] = ("not", args[:1])
        elif kind == "atleast":
            gates[f"g{g}"] = ("atleast", draw(st.integers(1, len(args))), args)
        else:
            gates[f"g{g}"] = (kind, args)
    return FaultTree(name="random", gates=gates, basic_events=probs)


def _evaluate(T, f, value):
    """The value of formula f when exactly the basic events with value[b] True occur."""
    kind = f[0]
    if kind == "basic-event":
        return value[f[1]]
    if kind == "gate":
        return _evaluate(T, T.gates[f[1]], value)
    args = [_evaluate(T, c, value) for c in (f[2] if kind == "atleast" else f[1])]
    if kind == "and":
        return all(args)
    if kind == "or":
        return any(args)
    if kind == "not":
        return not args[0]
    return sum(args) >= f[1]


def _brute(T, gate):
    names = list(T.basic_events)
    total = []
    for states in itertools.product([False, True], repeat=len(names)):
        value = dict(zip(names, states, strict=True))
        if _evaluate(T, ("gate", gate), value):
            total.append(
                math.prod(T.basic_events[b] if value[b] else 1 - T.basic_events[b] for b in names)
            )
    return math.fsum(total)


@settings(max_examples=60)
@given(fault_trees())
def test_bdd_equals_brute_force_on_random_trees(T):
    for gate in T.gates:
        assert T.probability(gate) == pytest.approx(_brute(T, gate), abs=1e-12)
        if T.coherent(gate):
            minimal = []  # brute-force minimal failing sets
            names = list(T.basic_events)
            for r in range(len(names) + 1):
                for subset in itertools.combinations(names, r):
                    if any(set(m) <= set(subset) for m in minimal):
                        continue
                    if _evaluate(T, ("gate", gate), {b: b in subset for b in names}):
                        minimal.append(subset)
            got = {frozenset(c.labels) for c in T.minimal_cut_sets(gate)}
            assert got == {frozenset(m) for m in minimal}


# --------------------------------------------------------------------------- round trip


@settings(max_examples=40)
@given(portfolio_dicts())
def test_dump_then_load_gives_the_same_probabilities(tmp_path_factory, d):
    P = Portfolio.from_dict(d)
    path = tmp_path_factory.mktemp("mef") / "p.xml"
    tops = openpsa.dump(P, path)
    T = openpsa.load(path)
    assert set(T.top_gates) == set(tops.values())
    for s in P.scenarios:
        assert T.probability(tops[s]) == pytest.approx(P.p_unprotected(s), abs=1e-12)


def test_round_trip_of_the_shipped_example_keeps_names_and_labels(tmp_path):
    import portfolios

    P = portfolios.load(portfolios.EXAMPLE_PATH)
    path = tmp_path / "asl4.xml"
    tops = openpsa.dump(P, path)
    T = openpsa.load(path)
    assert tops["eval_sandbagging"] == "unprotected_eval_sandbagging"
    assert "case_asl4_control" in T.gates
    assert T.basic_events["soundness_debate"] == 0.1
    assert T.labels["measurements_untrained"].startswith("No measurement")
    for s in P.scenarios:
        assert T.probability(tops[s]) == pytest.approx(P.p_unprotected(s), abs=1e-13)
    # a latent variable, and an assumption that fails for sure once it fails (f = 1)
    assert T.basic_events["representative_organisms"] == 0.15
    assert T.gates["assumption_organisms_realistic"][0] == "or"


def test_labels_of_gates_and_house_events_are_read(tmp_path):
    T = _load(
        tmp_path,
        '<?xml version="1.0"?><opsa-mef><define-fault-tree name="t">'
        '<define-gate name="top"><label>  The top\n  event. </label>'
        '<or><basic-event name="A"/><house-event name="H"/></or></define-gate>'
        '<define-house-event name="H"><label>A switch.</label>'
        '<constant value="false"/></define-house-event>'
        '<define-basic-event name="A"><label>Event A.</label><float value="0.1"/>'
        "</define-basic-event></define-fault-tree></opsa-mef>",
    )
    assert dict(T.labels) == {"top": "The top event.", "H": "A switch.", "A": "Event A."}


def test_round_trip_keeps_the_statements_of_cases_and_scenarios(tmp_path):
    import portfolios

    P = portfolios.load(portfolios.EXAMPLE_PATH)
    tops = openpsa.dump(P, tmp_path / "asl4.xml")
    T = openpsa.load(tmp_path / "asl4.xml")
    for s, gate in tops.items():
        assert T.labels[gate] == " ".join(P.scenarios[s].statement.split())
    assert T.labels["case_asl4_control"] == " ".join(P.cases["asl4_control"].statement.split())


def test_ids_that_are_not_mef_names_are_rewritten(tmp_path):
    P = Portfolio.from_dict(
        {
            "assumptions": {"1st.a": {"statement": "a", "p_fail": 0.1}},
            "cases": {"c.1": {"statement": "c", "assumptions": ["1st.a"], "covers": ["s-1"]}},
            "scenarios": {"s-1": {"statement": "s"}},
        }
    )
    tops = openpsa.dump(P, tmp_path / "p.xml")
    T = openpsa.load(tmp_path / "p.xml")
    assert tops == {"s-1": "unprotected_s-1"}
    assert set(T.basic_events) == {"_1st_a", "soundness_c_1"}
    assert "knightian-id" in (tmp_path / "p.xml").read_text()


# --------------------------------------------------------------------------- safety and errors

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<opsa-mef><define-fault-tree name="&lol2;"/></opsa-mef>"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE opsa-mef [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<opsa-mef><define-fault-tree name="&secret;"/></opsa-mef>"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL])
def test_dtds_and_entities_are_refused(tmp_path, text):
    with pytest.raises(PortfolioError, match="DTD"):
        _load(tmp_path, text)


def test_undeclared_entity_is_a_parse_error(tmp_path):
    with pytest.raises(PortfolioError, match="not well-formed XML: undefined entity"):
        _load(tmp_path, '<opsa-mef><define-fault-tree name="&x;"/></opsa-mef>')


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "<opsa-mef><define-extern-library name='E' path='x'/></opsa-mef>",
            r"unsupported element <define-extern-library>",
        ),
        ("<other/>", r"root element must be <opsa-mef>"),
        (
            mef({"top": f"<xor>{E('A')}{E('B')}{E('C')}</xor>"}, ABC),
            r"define-gate entry 'top'.*<xor> takes exactly two arguments",
        ),
        (
            mef({"top": f"<majority>{E('A')}{E('B')}</majority>"}, ABC),
            r"define-gate entry 'top'.*unsupported formula <majority>",
        ),
        (
            mef({"top": f"<or>{E('A')}{E('Z')}</or>"}, ABC),
            r"line 1: define-gate entry 'top': unknown event 'Z'",
        ),
        (mef({"top": f"<or>{E('A')}</or>"}, {"A": 1.5}), r"entry 'A', field 'value'.*\[0, 1\]"),
        (mef({"top": f"<or>{E('A')}</or>"}, {"A": "nan"}), r"not a finite number"),
        (
            mef({"top": f'<atleast min="3">{E("A")}{E("B")}</atleast>'}, ABC),
            r"field 'min'",
        ),
        (
            mef({"top": f"<or>{E('g')}</or>", "g": f"<and>{E('top')}</and>"}, ABC),
            r"cycle: ",
        ),
        (
            mef({"top": f"<or>{E('A')}</or>", "A": f"<or>{E('B')}</or>"}, ABC),
            r"'A' is already defined",
        ),
        (
            '<opsa-mef><define-fault-tree name="t"><define-gate name="top"><or>'
            '<basic-event name="A"/></or></define-gate><define-basic-event name="A">'
            "<exponential/></define-basic-event></define-fault-tree></opsa-mef>",
            r"line 1: expression entry 'A': <exponential>: takes 2 arguments, got 0",
        ),
        (
            '<opsa-mef><define-fault-tree name="t"><define-gate name="top"><or>'
            '<basic-event name="A"/></or></define-gate><define-basic-event name="A">'
            '<extern-function name="f"/></define-basic-event></define-fault-tree></opsa-mef>',
            r"extern functions are refused",
        ),
        (_three_train("phi-factor", _factors((1, 0.7), (2, 0.2))), r"phi factors sum to"),
        (_three_train("beta-factor", '<factor level="2"><float value="0.2"/></factor>'), r"levels"),
        (_three_train("gamma", _factors((1, 0.7))), r"unknown model"),
        (
            _three_train("alpha-factor", _factors((1, 0.7), (2, 0.1), (3, 0.1), (4, 0.1))),
            r"'Pumps' \(alpha-factor\): factor level 4 is above the number of members \(3\)",
        ),
        (
            _three_train("MGL", _factors((2, 0.2), (2, 0.1))),
            r"'Pumps' \(MGL\): factor levels \[2, 2\] must be \[2, 3\]",
        ),
        ("<opsa-mef><define-fault-tree", r"not well-formed XML"),
    ],
)
def test_bad_files_name_the_place(tmp_path, text, message):
    with pytest.raises(PortfolioError, match=message):
        _load(tmp_path, text)


def _containers(body):
    return f'<?xml version="1.0"?>\n<opsa-mef>\n{body}\n</opsa-mef>'


_SUB = (
    '<define-component name="{c}"><define-gate name="{g}"><or><basic-event name="{g}x"/>'
    '<basic-event name="{g}y"/></or></define-gate></define-component>'
)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (  # two fault trees of one name (SCRAM: a redefinition)
            '<define-fault-tree name="T"><define-gate name="g1"><or><basic-event name="a"/>'
            '<basic-event name="b"/></or></define-gate></define-fault-tree>\n'
            '<define-fault-tree name="T"><define-gate name="g2"><or><basic-event name="c"/>'
            '<basic-event name="d"/></or></define-gate></define-fault-tree>',
            r"line 4: define-fault-tree entry 'T': fault tree 'T' is already defined "
            r"\(.*t.xml, line 3\)",
        ),
        (  # two components of one name in one container
            '<define-fault-tree name="T"><define-gate name="top"><and><gate name="g1"/>'
            '<gate name="g2"/></and></define-gate>\n'
            + _SUB.format(c="Sub", g="g1")
            + "\n"
            + _SUB.format(c="Sub", g="g2")
            + "</define-fault-tree>",
            r"line 5: define-component entry 'Sub': component 'Sub' is already defined "
            r"\(.*t.xml, line 4\)",
        ),
    ],
)
def test_fault_trees_and_components_are_defined_once(tmp_path, body, message):
    with pytest.raises(PortfolioError, match=message):
        _load(tmp_path, _containers(body))


def test_container_names_are_scoped(tmp_path):
    # One component name in two containers, and a component named as a gate: all distinct.
    body = (
        '<define-fault-tree name="T"><define-gate name="top"><and><gate name="g1"/>'
        '<gate name="g2"/><gate name="g3"/></and></define-gate>'
        + _SUB.format(c="Sub", g="g1")
        + '<define-component name="g3">'
        + _SUB.format(c="Sub", g="g2")
        + '<define-gate name="g3"><basic-event name="z"/></define-gate></define-component>'
        + "</define-fault-tree><model-data>"
        + "".join(f'<define-basic-event name="{b}"/>' for b in ("g1x", "g1y", "g2x", "g2y", "z"))
        + "</model-data>"
    )
    T = _load(tmp_path, _containers(body))
    assert T.top_gates == ("top",)
    assert T.count_cut_sets() == {3: 4}


def test_blanks_around_attribute_values_are_dropped(tmp_path):
    # Attribute values are tokens: SCRAM (schema-validated) reads name=" A " as A.
    text = (
        '<opsa-mef><define-fault-tree name=" t "><define-gate name=" top "><and>'
        '<event name="  g  " type=" gate "/><basic-event name="C "/></and></define-gate>'
        '<define-gate name="g"><atleast min=" 1 "><event name=" A"/><event name="B"/>'
        "</atleast></define-gate></define-fault-tree><model-data>"
        '<define-basic-event name=" A "><float value=" 0.1 "/></define-basic-event>'
        '<define-basic-event name="B"><float value="0.2"/></define-basic-event>'
        '<define-basic-event name="C"><float value="0.5"/></define-basic-event>'
        "</model-data></opsa-mef>"
    )
    T = _load(tmp_path, text)
    assert T.top_gates == ("top",)
    assert T.probability() == pytest.approx((1 - 0.9 * 0.8) * 0.5, rel=1e-12)


def test_private_at_model_scope_is_refused(tmp_path):
    # role="private" needs a container to be private to (SCRAM refuses it too).
    text = (
        "<opsa-mef>\n<model-data>\n"
        '<define-basic-event name="A" role="private"><float value="0.1"/></define-basic-event>'
        "\n</model-data>\n</opsa-mef>"
    )
    with pytest.raises(PortfolioError, match=r"line 3: define-basic-event entry 'A', field 'role'"):
        _load(tmp_path, text)


def test_several_files_and_house_events(tmp_path):
    tree = tmp_path / "tree.xml"
    tree.write_text(
        '<opsa-mef><define-fault-tree name="t"><define-gate name="top"><or>'
        '<event name="A"/><and><event name="H"/><event name="B"/></and></or></define-gate>'
        '<define-house-event name="H"><constant value="true"/></define-house-event>'
        "</define-fault-tree></opsa-mef>"
    )
    data = tmp_path / "data.xml"
    data.write_text(
        '<opsa-mef><model-data><define-basic-event name="A"><float value="0.1"/>'
        '</define-basic-event><define-basic-event name="B"><float value="0.2"/>'
        "</define-basic-event></model-data></opsa-mef>"
    )
    T = openpsa.load(tree, data)
    assert T.probability() == pytest.approx(1 - 0.9 * 0.8)
    assert repr(T).startswith("FaultTree('t': 1 gates, 2 basic events, 1 house events")


# Two trains, each a valve or a pump (SCRAM's ``correct_tree_input_with_probs.xml`` and
# ``importance_neg_test.xml`` structures, our names); in the second, train two also fails
# when the first pump does *not* (a non-coherent tree: prime implicants in SCRAM).
_TRAINS = {
    "top": f"<and>{E('t1')}{E('t2')}</and>",
    "t1": f"<or>{E('v1')}{E('p1')}</or>",
    "t2": f"<or>{E('v2')}{E('p2')}</or>",
}
_NEG_TRAINS = {**_TRAINS, "t2": f"<or>{E('v2')}{E('p2')}<not>{E('p1')}</not></or>"}


@pytest.mark.parametrize(
    ("gates", "p", "p_top", "expected"),
    [
        (  # SCRAM tests/risk_analysis_tests.cc, ImportanceDefault
            _TRAINS,
            {"v1": 0.4, "v2": 0.5, "p1": 0.6, "p2": 0.7},
            0.646,
            {
                "p1": (0.51, 0.4737, 0.7895, 1.316, 1.9),
                "p2": (0.38, 0.4118, 0.8235, 1.176, 1.7),
                "v1": (0.34, 0.2105, 0.5263, 1.316, 1.267),
                "v2": (0.228, 0.1765, 0.5882, 1.176, 1.214),
            },
        ),
        (  # SCRAM ImportanceNeg (prime implicants): P = 0.04459
            _NEG_TRAINS,
            {"v1": 0.04, "v2": 0.05, "p1": 0.06, "p2": 0.07},
            0.04459,
            {
                "p1": (0.0765, 0.1029, 0.1568, 2.613, 1.115),
                "p2": (0.057, 0.08948, 0.1532, 2.189, 1.098),
                "v1": (0.94, 0.8432, 0.8495, 21.237, 6.379),
                "v2": (0.0558, 0.06257, 0.1094, 2.189, 1.067),
            },
        ),
    ],
)
def test_scram_importance_values(tmp_path, gates, p, p_top, expected):
    # SCRAM's Birnbaum (MIF), criticality (CIF), diagnostic (DIF), RAW and RRW, to its
    # relative tolerance 1e-3.
    imp = _load(tmp_path, mef(gates, p)).importance("top")
    assert imp.p_top == pytest.approx(p_top, rel=1e-3)
    for event, values in expected.items():
        row = imp[event]
        got = (row.birnbaum, row.criticality, row.diagnostic, row.raw, row.rrw)
        assert got == pytest.approx(values, rel=1e-3), event


def test_scram_ne574_two_trains_sharing_an_event(tmp_path):
    # SCRAM tests/bench_ne574_tests.cc (NE 574 lecture 8; our transcription): trains
    # (f or g) or b or c and c or d or (h and i), sharing c: P = 0.662208 (SCRAM to 1e-6)
    # and seven minimal cut sets.
    gates = {
        "top": f"<and>{E('t1')}{E('t2')}</and>",
        "t1": f"<or>{E('fg')}{E('b')}{E('c')}</or>",
        "fg": f"<or>{E('f')}{E('g')}</or>",
        "t2": f"<or>{E('c')}{E('d')}{E('hi')}</or>",
        "hi": f"<and>{E('h')}{E('i')}</and>",
    }
    p = {"b": 0.1, "c": 0.3, "d": 0.5, "f": 0.7, "g": 0.2, "h": 0.4, "i": 0.8}
    T = _load(tmp_path, mef(gates, p))
    assert T.probability() == pytest.approx(0.662208, abs=1e-6)
    got = {frozenset(c.labels) for c in T.minimal_cut_sets()}
    expected = [{"c"}, {"d", "f"}, {"d", "g"}, {"d", "b"}]
    expected += [{"h", "i", "f"}, {"h", "i", "g"}, {"h", "i", "b"}]
    assert got == {frozenset(e) for e in expected}


def test_fault_tree_importance_matches_recomputation(tmp_path):
    # top = A or (B and C): P = 0.1 + 0.9 * 0.06 = 0.154.
    T = _load(tmp_path, mef({"top": f"<or>{E('A')}<and>{E('B')}{E('C')}</and></or>"}, ABC))
    imp = T.importance()
    for b in ABC:
        for value, field in ((1.0, "p_if_fails"), (0.0, "p_if_holds")):
            clamped = FaultTree(name="c", gates=T.gates, basic_events={**ABC, b: value})
            assert getattr(imp[b], field) == pytest.approx(clamped.probability(), abs=1e-15)
    assert imp["A"].rrw == pytest.approx(0.154 / 0.06)
    assert imp["B"].fussell_vesely == pytest.approx(0.06 / 0.154)  # cut set {B, C}
    assert imp["B"].diagnostic == pytest.approx(0.2 * imp["B"].p_if_fails / 0.154)
    assert np.isfinite(imp.rrw).all()


def test_dump_writes_means_of_distributions_and_refuses_intervals(tmp_path) -> None:
    """A distribution (directly or through a shared parameter) is written as its mean, as the
    point analyses read it; an interval has no point value and is refused, naming the entry."""
    from portfolios import Portfolio
    from portfolios.errors import PortfolioError
    from portfolios.openpsa import dump, load

    data = {
        "parameters": {"shared": {"beta": [2, 8]}},
        "assumptions": {
            "A": {"statement": "a", "p_fail": {"param": "shared"}},
            "B": {"statement": "b", "p_fail": {"uniform": [0.1, 0.3]}},
        },
        "cases": {
            "X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]},
            "Y": {"statement": "y", "assumptions": ["B"], "covers": ["S"]},
        },
        "scenarios": {"S": {"statement": "s"}},
    }
    P = Portfolio.from_dict(data)
    tops = dump(P, tmp_path / "p.xml")
    T = load(tmp_path / "p.xml")
    assert math.isclose(T.probability(tops["S"]), 0.2 * 0.2, rel_tol=1e-12)  # means 1/5 and 1/5
    assert math.isclose(P.p_unprotected("S"), 0.04, rel_tol=1e-12)
    data["assumptions"]["B"]["p_fail"] = [0.1, 0.3]
    with pytest.raises(PortfolioError, match=r"assumptions entry 'B', field 'p_fail'.*bounds"):
        dump(Portfolio.from_dict(data), tmp_path / "q.xml")
