"""Event trees (Open-PSA MEF): SCRAM's expected sequences, brute force, bad input, CLI.

Published values (numbers only; SCRAM is GPL-3, so every model here is our own XML that
reproduces the structure of SCRAM's input, with other names where the names do not matter):

* SCRAM ``tests/risk_analysis_tests.cc``, ``AnalyzeEventTree`` (``input/EventTrees/bcd.xml``:
  a tree collecting expressions only, a named branch shared by two paths and a fork on an
  irrelevant functional event): Success 0.594, Failure 0.406; ``AnalyzeTestEventDefault``,
  ``AnalyzeTestInitatingEvent``, ``AnalyzeTestFunctionalEvent`` (with and without a link to
  another tree): the one sequence ``S`` 0.5.
* SCRAM ``tests/bench_two_train_tests.cc``, ``TwoTrainUnityEventTree``: a fork collecting
  ``not TopEvent`` and ``TopEvent`` into one sequence gives 1.
* SCRAM ``tests/bench_three_motor_tests.cc``, ``ThreeMotorEventTree``: the OpenFTA three-motor
  tree with its three timer house events set on each path of a 3-fork tree: S1 0.02115,
  S2 0.00272, S3 0.00309, S4..S8 0.00272 (tolerance 1e-5 as in SCRAM).
* SCRAM ``tests/initializer_tests.cc``, ``IncorrectEtaInputs``: the inputs refused (undefined,
  doubly defined, cyclic, out-of-order, mixed collections, misplaced links); each has an
  equivalent here.
"""

import io
import itertools
import json
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_portfolios_fuzz import _check_error, edited_text
from test_portfolios_html import parse

from contracts._cli import main
from portfolios import ComputationLimitError, PortfolioError, eventtree, mefeventtree, openpsa
from portfolios.eventtree import (
    Branch,
    BranchRef,
    CollectExpression,
    CollectFormula,
    EventTree,
    EventTreeModel,
    Fork,
    InitiatingEvent,
    Link,
    Path,
    SequenceDefinition,
    SequenceEnd,
    SetHouseEvent,
)
from portfolios.faulttree import FaultTree

SCRAM_TOL = 1e-5


def _load(tmp_path, text, name="et.xml"):
    path = tmp_path / name
    path.write_text(f'<?xml version="1.0"?>\n<opsa-mef>\n{text}\n</opsa-mef>\n')
    return mefeventtree.load(path)


def _probabilities(tmp_path, text):
    return {s: p for (_, s), p in _load(tmp_path, text).analyse().probabilities().items()}


def _expr(v):
    return f'<collect-expression><float value="{v}"/></collect-expression>'


def _formula(inner):
    return f"<collect-formula>{inner}</collect-formula>"


def _fork(event, *paths):
    body = "".join(f'<path state="{s}">{b}</path>' for s, b in paths)
    return f'<fork functional-event="{event}">{body}</fork>'


def _tree(name, events, sequences, initial, branches=""):
    fe = "".join(f'<define-functional-event name="{e}"/>' for e in events)
    seq = "".join(s if s.startswith("<") else f'<define-sequence name="{s}"/>' for s in sequences)
    return (
        f'<define-event-tree name="{name}">{fe}{seq}{branches}'
        f"<initial-state>{initial}</initial-state></define-event-tree>"
    )


def _basic(**p):
    body = "".join(
        f'<define-basic-event name="{k}"><float value="{v}"/></define-basic-event>'
        for k, v in p.items()
    )
    return f"<model-data>{body}</model-data>"


SEQ = '<sequence name="{}"/>'.format
BRANCH = '<branch name="{}"/>'.format

# --------------------------------------------------------------------------- SCRAM's values

# Our own tree with the structure of SCRAM's input/EventTrees/bcd.xml: expressions only, the
# named branch "last" shared by both paths of the irrelevant fork on "Spray".
LEAK = '<define-initiating-event name="Leak" event-tree="LeakTree"/>' + _tree(
    "LeakTree",
    ["Isolate", "Spray", "Vent"],
    ["Success", "Failure"],
    _fork(
        "Isolate",
        (
            "success",
            _expr(0.1)
            + _fork(
                "Spray",
                ("success", _expr(0.8) + BRANCH("last")),
                ("failure", _expr(0.2) + BRANCH("last")),
            ),
        ),
        (
            "failure",
            _expr(0.9)
            + _fork(
                "Spray",
                (
                    "success",
                    _expr(0.6)
                    + _fork(
                        "Vent",
                        ("success", _expr(0.6) + SEQ("Success")),
                        ("failure", _expr(0.4) + SEQ("Failure")),
                    ),
                ),
                (
                    "failure",
                    _expr(0.4)
                    + _fork(
                        "Vent",
                        ("success", _expr(0.5) + SEQ("Success")),
                        ("failure", _expr(0.5) + SEQ("Failure")),
                    ),
                ),
            ),
        ),
    ),
    branches='<define-branch name="last">'
    + _fork(
        "Vent",
        ("success", _expr(0.9) + SEQ("Success")),
        ("failure", _expr(0.1) + SEQ("Failure")),
    )
    + "</define-branch>",
)


def test_expression_tree_with_shared_branch(tmp_path):
    # SCRAM tests/risk_analysis_tests.cc, AnalyzeEventTree: Success 0.594, Failure 0.406
    # (by hand: 0.1 * (0.8 + 0.2) * 0.9 + 0.9 * (0.6 * 0.6 + 0.4 * 0.5) = 0.594).
    analysis = _load(tmp_path, LEAK).analyse()
    p = analysis.probabilities()
    assert p == pytest.approx({("Leak", "Success"): 0.594, ("Leak", "Failure"): 0.406})
    assert analysis.get("Success").paths == 4 and analysis.get("Success").kind == "expression"
    assert analysis.get("Success").frequency is None


COLLECT_B = '<basic-event name="B"/>'


def _if_collect(test):
    return f"<if>{test}{_formula(COLLECT_B)}</if>"


@pytest.mark.parametrize(
    "test",
    [
        # SCRAM AnalyzeTestEventDefault: tests of an other initiating event, an other state
        # and an undeclared functional event are all false.
        '<and><not><test-initiating-event name="Other"/></not>'
        '<not><test-functional-event name="F" state="phony"/></not>'
        '<not><test-functional-event name="Gone" state="phony"/></not></and>',
        '<test-initiating-event name="I"/>',  # AnalyzeTestInitatingEvent
        '<test-functional-event name="F" state="on"/>',  # AnalyzeTestFunctionalEvent
    ],
)
def test_tests_of_the_path(tmp_path, test):
    # SCRAM tests/risk_analysis_tests.cc: the sequence S is 0.5 (B collected).
    text = (
        '<define-initiating-event name="I" event-tree="T"/>'
        + _tree("T", ["F"], ["S"], _fork("F", ("on", _if_collect(test) + SEQ("S"))))
        + _basic(B=0.5)
    )
    assert _probabilities(tmp_path, text) == {"S": 0.5}


def test_false_test_skips_the_collection(tmp_path):
    # The same tree with a test that fails: nothing collected, the sequence is certain.
    test = '<test-functional-event name="F" state="off"/>'
    text = (
        '<define-initiating-event name="I" event-tree="T"/>'
        + _tree("T", ["F"], ["S"], _fork("F", ("on", _if_collect(test) + SEQ("S"))))
        + _basic(B=0.5)
    )
    assert _probabilities(tmp_path, text) == {"S": 1.0}


def test_link_continues_into_another_tree(tmp_path):
    # SCRAM AnalyzeTestFunctionalEvent on test_functional_event_link.xml: S is 0.5; the
    # linked tree forks on its own F (the states of the first tree are not seen there), and
    # B collected twice is B.
    test = '<test-functional-event name="F" state="on"/>'
    text = (
        '<define-initiating-event name="I" event-tree="Test"/>'
        + _tree("Link", ["F"], ["S"], _fork("F", ("on", _if_collect(test) + SEQ("S"))))
        + _tree(
            "Test",
            ["F"],
            ['<define-sequence name="S-Link"><event-tree name="Link"/></define-sequence>'],
            _fork("F", ("on", _if_collect(test) + SEQ("S-Link"))),
        )
        + _basic(B=0.5)
    )
    analysis = _load(tmp_path, text).analyse()
    assert analysis.probabilities() == {("I", "S"): 0.5}  # S-Link is no end state


TWO_TRAIN = """<define-fault-tree name="Trains">
  <define-gate name="Top"><and><gate name="One"/><gate name="Two"/></and></define-gate>
  <define-gate name="One"><or><basic-event name="V1"/><basic-event name="P1"/></or></define-gate>
  <define-gate name="Two"><or><basic-event name="V2"/><basic-event name="P2"/></or></define-gate>
</define-fault-tree>""" + _basic(V1=0.5, V2=0.5, P1=0.7, P2=0.7)


def test_complementary_paths_into_one_sequence(tmp_path):
    # SCRAM tests/bench_two_train_tests.cc, TwoTrainUnityEventTree: S = 1.
    text = (
        '<define-initiating-event name="I" event-tree="ET"/>'
        + _tree(
            "ET",
            ["F"],
            ["S"],
            _fork(
                "F",
                ("true", _formula('<not><gate name="Top"/></not>') + SEQ("S")),
                ("false", _formula('<gate name="Top"/>') + SEQ("S")),
            ),
        )
        + TWO_TRAIN
    )
    analysis = _load(tmp_path, text).analyse()
    assert analysis.get("S").probability == pytest.approx(1.0, abs=1e-15)
    # P(Top) = (1 - 0.5 * 0.3)^2 = 0.7225 (SCRAM's TwoTrain benchmark)
    assert openpsa.load(_write(tmp_path, text)).probability("Top") == pytest.approx(0.7225)


def _write(tmp_path, text):
    path = tmp_path / "model.xml"
    path.write_text(f"<opsa-mef>{text}</opsa-mef>")
    return path


# Our transcription of the OpenFTA three-motor tree (structure of SCRAM's
# input/ThreeMotor/three_motor.xml: gates E1..E12 and the transfer gates, here X1..X7); all
# basic events 0.02, the timer house events KT1..KT3 true by default.
_THREE_MOTOR_GATES = {
    "E1": "<and><gate name='E2'/><gate name='E3'/></and>",
    "E2": "<or><basic-event name='K5'/><gate name='E4'/></or>",
    "E4": "<and><gate name='X1'/><gate name='E6'/></and>",
    "E6": "<or><basic-event name='T2'/><basic-event name='K5'/></or>",
    "E3": "<or><basic-event name='K2'/><gate name='E5'/></or>",
    "E5": "<or><basic-event name='T1'/><gate name='E8'/></or>",
    "E8": "<or><basic-event name='K1'/><gate name='E9'/></or>",
    "E9": "<or><gate name='E10'/><gate name='E11'/></or>",
    "E10": "<and><house-event name='KT1'/><house-event name='KT3'/><gate name='E12'/></and>",
    "E12": "<or><house-event name='KT2'/><basic-event name='T4'/></or>",
    "E11": "<or><basic-event name='S1'/><basic-event name='T3'/></or>",
    "X1": "<or><basic-event name='K1'/><gate name='X2'/></or>",
    "X2": "<or><gate name='X3'/><gate name='X4'/></or>",
    "X4": "<or><basic-event name='S1'/><basic-event name='T1inc'/></or>",
    "X3": "<and><gate name='X5'/><gate name='X6'/><gate name='X7'/></and>",
    "X5": "<or><basic-event name='KT1inc'/><basic-event name='T2inc'/></or>",
    "X6": "<or><basic-event name='KT2inc'/><basic-event name='T3inc'/></or>",
    "X7": "<or><basic-event name='KT3inc'/><basic-event name='T4inc'/></or>",
}
_THREE_MOTOR_EVENTS = "T1 T2 T3 T4 S1 K1 K2 K5 KT1inc KT2inc KT3inc T1inc T2inc T3inc T4inc"
THREE_MOTOR = (
    '<define-fault-tree name="Motor">'
    + "".join(f'<define-gate name="{g}">{f}</define-gate>' for g, f in _THREE_MOTOR_GATES.items())
    + "</define-fault-tree>"
    + _basic(**dict.fromkeys(_THREE_MOTOR_EVENTS.split(), 0.02))
    + "<model-data>"
    + "".join(
        f'<define-house-event name="KT{i}"><constant value="true"/></define-house-event>'
        for i in (1, 2, 3)
    )
    + "</model-data>"
)


def _set(h, v):
    return f'<set-house-event name="{h}"><constant value="{v}"/></set-house-event>'


def _motor_fork(level, seq):
    """The fork on KT<level>: true sets the house event true, false leaves it false."""
    if level == 4:
        return SEQ(f"S{seq}"), seq + 1
    true, seq = _motor_fork(level + 1, seq)
    false, seq = _motor_fork(level + 1, seq)
    h = f"KT{level}"
    return _fork(h, ("true", _set(h, "true") + true), ("false", false)), seq


def test_house_events_set_on_the_paths(tmp_path):
    # SCRAM tests/bench_three_motor_tests.cc, ThreeMotorEventTree (tolerance 1e-5 as there).
    fork, _ = _motor_fork(1, 1)
    sequences = [
        f'<define-sequence name="S{i}"><rule name="root"/></define-sequence>' for i in range(1, 9)
    ]
    text = (
        '<define-initiating-event name="External" event-tree="Motor"/>'
        '<define-rule name="root"><collect-formula><gate name="E1"/></collect-formula>'
        "</define-rule>"
        + _tree(
            "Motor",
            ["KT1", "KT2", "KT3"],
            sequences,
            _set("KT1", "false") + _set("KT2", "false") + _set("KT3", "false") + fork,
        )
        + THREE_MOTOR
    )
    model = _load(tmp_path, text)
    analysis = model.analyse()
    expected = {"S1": 0.02115, "S2": 0.00272, "S3": 0.00309}
    expected |= {f"S{i}": 0.00272 for i in range(4, 9)}
    got = {s: p for (_, s), p in analysis.probabilities().items()}
    assert got == pytest.approx(expected, abs=SCRAM_TOL)
    # S1 sets every house event back to its default: the tree's own top (SCRAM's 0.0211538).
    assert got["S1"] == pytest.approx(model.fault_tree.probability("E1"), rel=1e-12)
    assert analysis.fault_tree.house_events == model.fault_tree.house_events  # not mutated


@pytest.mark.parametrize(
    ("instructions", "expected"),
    [
        # SCRAM's valid inputs tests/input/eta/*.xml, values by hand:
        (_set("H", "true") + _formula('<house-event name="H"/>'), 1.0),  # set_house_event
        (_formula('<house-event name="H"/>'), 0.0),  # the default, false
        ("<if><bool value='true'/>" + _expr(0.1) + "</if>", 0.1),  # if_then_else
        ("<if><bool value='false'/>" + _expr(0.2) + _expr(0.5) + "</if>", 0.5),
        ("<block/><block>" + _expr(0.2) + _expr(0.5) + "</block>", 0.1),  # block_instruction
        ('<rule name="R"/>', 0.3),  # rule_instruction
        (_expr(0.5), 0.5),  # single_expression
        ("", 1.0),  # nothing collected: certain
    ],
)
def test_instructions(tmp_path, instructions, expected):
    text = (
        '<define-rule name="R">' + _expr(0.3) + "</define-rule>"
        '<define-initiating-event name="I" event-tree="T"/>'
        + _tree("T", [], ["S"], instructions + SEQ("S"))
        + '<model-data><define-house-event name="H"/></model-data>'
    )
    assert _probabilities(tmp_path, text) == {"S": pytest.approx(expected, abs=1e-15)}


def test_frequency_and_cut_sets(tmp_path):
    # Frequency: initiating event rate * 0.5 (two collect-expressions, one a parameter of
    # 0.01) = 0.005 per year; the failure sequence is Top: 4 minimal cut sets of order 2.
    text = (
        '<define-initiating-event name="I" event-tree="ET">'
        '<collect-expression><parameter name="rate"/></collect-expression>'
        + _expr(0.5)
        + "</define-initiating-event>"
        '<define-parameter name="rate" unit="years-1"><float value="0.01"/></define-parameter>'
        + _tree(
            "ET",
            ["F"],
            ["Ok", "Ko"],
            _fork(
                "F",
                ("true", _formula('<not><gate name="Top"/></not>') + SEQ("Ok")),
                ("false", _formula('<gate name="Top"/>') + SEQ("Ko")),
            ),
        )
        + TWO_TRAIN
    )
    analysis = _load(tmp_path, text).analyse()
    ko = analysis.get("Ko", "I")
    assert ko.probability == pytest.approx(0.7225, rel=1e-12)
    assert ko.frequency == pytest.approx(0.005 * 0.7225, rel=1e-12)
    cuts = analysis.minimal_cut_sets("Ko")
    assert sorted(c.labels for c in cuts) == [
        ("P1", "P2"),
        ("P1", "V2"),
        ("P2", "V1"),
        ("V1", "V2"),
    ]
    ok = analysis.minimal_cut_sets("Ok")  # prime implicants of not Top
    assert {c.labels for c in ok} == {("not P1", "not V1"), ("not P2", "not V2")}
    assert "Ko" in repr(analysis) and "0.7225" in repr(analysis)
    assert "<table>" in analysis._repr_html_() and "Ko" in analysis._repr_html_()


def test_house_events_set_when_loading(tmp_path):
    # H true by load(house_events=...): the collected H is certain; a path setting it false
    # wins over the load-time value.
    text = (
        '<define-initiating-event name="I" event-tree="T"/>'
        + _tree(
            "T",
            ["F"],
            ["A", "B"],
            _fork(
                "F",
                ("x", _formula('<house-event name="H"/>') + SEQ("A")),
                ("y", _set("H", "false") + _formula('<house-event name="H"/>') + SEQ("B")),
            ),
        )
        + '<model-data><define-house-event name="H"/></model-data>'
    )
    path = _write(tmp_path, text)
    p = mefeventtree.load(path, house_events={"H": True}).analyse().probabilities()
    assert p == {("I", "A"): 1.0, ("I", "B"): 0.0}
    assert mefeventtree.load(path).analyse().probabilities() == {("I", "A"): 0.0, ("I", "B"): 0.0}


def test_house_events_carry_over_a_link(tmp_path):
    # H is set before the link; the linked tree collects G = H and b: P = P(b) = 0.25 (it
    # would be 0 with H at its default, false).
    text = (
        '<define-initiating-event name="I" event-tree="First"/>'
        + _tree("Second", [], ["End"], _formula('<gate name="G"/>') + SEQ("End"))
        + _tree(
            "First",
            [],
            ['<define-sequence name="Go"><event-tree name="Second"/></define-sequence>'],
            _set("H", "true") + SEQ("Go"),
        )
        + '<define-fault-tree name="f"><define-gate name="G"><and><house-event name="H"/>'
        '<basic-event name="b"/></and></define-gate></define-fault-tree>'
        + '<model-data><define-house-event name="H"/></model-data>'
        + _basic(b=0.25)
    )
    assert _probabilities(tmp_path, text) == {"End": 0.25}


def test_two_initiating_events_on_one_tree(tmp_path):
    # test-initiating-event tells them apart: 0.2 after I1, 0.7 after I2.
    text = (
        '<define-initiating-event name="I1" event-tree="T"/>'
        '<define-initiating-event name="I2" event-tree="T"/>'
        + _tree(
            "T",
            [],
            ["S"],
            '<if><test-initiating-event name="I1"/>' + _expr(0.2) + _expr(0.7) + "</if>" + SEQ("S"),
        )
    )
    analysis = _load(tmp_path, text).analyse()
    assert analysis.probabilities() == {("I1", "S"): 0.2, ("I2", "S"): 0.7}
    assert analysis.get("S", "I2").probability == 0.7
    with pytest.raises(PortfolioError, match=r"reached from several initiating events \(I1, I2\)"):
        analysis.get("S")
    with pytest.raises(PortfolioError, match=r"no result for sequence 'Z'"):
        analysis.get("Z", "I1")
    with pytest.raises(PortfolioError, match=r"collects expressions, not formulas"):
        analysis.minimal_cut_sets("S", "I1")


def test_too_many_paths_is_a_computation_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(eventtree, "MAX_PATHS", 3)
    forks = _fork("F1", *((s, _fork("F2", ("a", SEQ("S")), ("b", SEQ("S")))) for s in "ab"))
    model = _load(
        tmp_path,
        '<define-initiating-event name="I" event-tree="T"/>'
        + _tree("T", ["F1", "F2"], ["S"], forks),
    )
    with pytest.raises(ComputationLimitError, match=r"more than MAX_PATHS = 3 paths"):
        model.analyse()
    monkeypatch.setattr(eventtree, "MAX_PATHS", 4)
    assert model.analyse().get("S").paths == 4


def test_a_model_built_in_python_is_validated():
    T = FaultTree(name="t", gates={}, basic_events={"b": 0.5})
    tree = EventTree("T", ("F",), ("S",), {}, Branch((), SequenceEnd("Nope")))
    with pytest.raises(PortfolioError, match=r"undefined sequence 'Nope'"):
        EventTreeModel(T, [InitiatingEvent("I", "T")], [tree], [SequenceDefinition("S")])
    tree = EventTree(
        "T", ("F",), ("S",), {}, Branch((CollectFormula(("gate", "g")),), SequenceEnd("S"))
    )
    with pytest.raises(PortfolioError, match=r"undefined gate 'g'"):
        EventTreeModel(T, [InitiatingEvent("I", "T")], [tree], [SequenceDefinition("S")])


def test_deep_trees(tmp_path):
    # Read: nesting past MAX_DEPTH is an error naming the place, not a RecursionError.
    n = mefeventtree.MAX_DEPTH + 5
    events = [f"F{i}" for i in range(n)]
    nested = SEQ("S")
    for e in reversed(events):
        nested = _fork(e, ("on", nested))
    with pytest.raises(PortfolioError, match=r"nested more than MAX_DEPTH = 200 deep"):
        _load(tmp_path, _tree("T", events, ["S"], nested))
    # Walked: a tree built in Python, 3000 forks deep, each collecting b (b AND b ... = b).
    T = FaultTree(name="t", gates={}, basic_events={"b": 0.25})
    branch = Branch((), SequenceEnd("S"))
    for i in reversed(range(3000)):
        collect = (CollectFormula(("basic-event", "b")),)
        branch = Branch(collect, Fork(f"F{i}", (Path("on", branch),)))
    tree = EventTree("T", tuple(f"F{i}" for i in range(3000)), ("S",), {}, branch)
    model = EventTreeModel(T, [InitiatingEvent("I", "T")], [tree], [SequenceDefinition("S")])
    assert model.analyse().probabilities() == {("I", "S"): 0.25}


# --------------------------------------------------------------------------- brute force

EVENTS = ("a", "b", "c")
HOUSES = ("h", "k")


def _formulas(gates):
    leaves = st.sampled_from(
        [("basic-event", e) for e in EVENTS]
        + [("house-event", h) for h in HOUSES]
        + [("gate", g) for g in gates]
    )
    return st.recursive(
        leaves,
        lambda kids: st.one_of(
            st.tuples(
                st.sampled_from(["and", "or"]), st.lists(kids, min_size=1, max_size=3).map(tuple)
            ),
            st.tuples(st.just("not"), st.tuples(kids)),
        ),
        max_leaves=4,
    )


@st.composite
def _models(draw, complementary=False):
    gates = {}
    for name in ("g0", "g1", "g2"):
        gates[name] = draw(_formulas(list(gates)))
    p = {e: Fraction(draw(st.integers(0, 8)), 8) for e in EVENTS}
    default = {h: draw(st.booleans()) for h in HOUSES}
    tree = FaultTree(
        name="t",
        gates=gates,
        basic_events={e: float(q) for e, q in p.items()},
        house_events=default,
    )
    refs = [("gate", g) for g in gates] + [("basic-event", e) for e in EVENTS]
    sequences = ["S0", "S1", "S2"]

    def branch(level, depth, prefix, ends, shared):
        instructions = []
        if not complementary:
            for _ in range(draw(st.integers(0, 2))):
                if draw(st.booleans()):
                    instructions.append(
                        SetHouseEvent(draw(st.sampled_from(HOUSES)), draw(st.booleans()))
                    )
                else:
                    instructions.append(CollectFormula(draw(st.sampled_from(refs))))
        if level == depth:
            return Branch(tuple(instructions), SequenceEnd(draw(st.sampled_from(ends))))
        if shared and level < depth - 1 and draw(st.booleans()):  # the named branch
            return Branch(tuple(instructions), BranchRef("shared"))

        def sub():
            return branch(level + 1, depth, prefix, ends, shared)

        if complementary:
            x = draw(st.sampled_from(refs))
            instructions.append(SetHouseEvent(draw(st.sampled_from(HOUSES)), draw(st.booleans())))
            one, other = sub(), sub()
            yes = Branch((CollectFormula(x), *one.instructions), one.target)
            no = Branch((CollectFormula(("not", (x,))), *other.instructions), other.target)
            paths = (Path("yes", yes), Path("no", no))
        else:
            paths = tuple(Path(f"s{i}", sub()) for i in range(draw(st.integers(1, 2))))
        return Branch(tuple(instructions), Fork(f"{prefix}{level}", paths))

    # Tree U, reached by a link from the sequence SL of tree T.
    depth_u = draw(st.integers(1, 2))
    linked = EventTree(
        "U",
        tuple(f"G{i}" for i in range(depth_u)),
        (),
        {},
        branch(0, depth_u, "G", sequences, False),
    )
    depth = draw(st.integers(1, 3))
    ends = [*sequences, "SL"]
    named = {"shared": branch(depth - 1, depth, "F", ends, False)}
    et = EventTree(
        "T",
        tuple(f"F{i}" for i in range(depth)),
        (*sequences, "SL"),
        named,
        branch(0, depth, "F", ends, True),
    )
    before = [SetHouseEvent(draw(st.sampled_from(HOUSES)), draw(st.booleans()))]
    link = SequenceDefinition("SL", (*before[: draw(st.integers(0, 1))], Link("U")))
    model = EventTreeModel(
        tree,
        [InitiatingEvent("I", "T")],
        [et, linked],
        [*(SequenceDefinition(s) for s in sequences), link],
    )
    return model, p, default


def _holds(f, gates, state, house):
    kind = f[0]
    if kind == "basic-event":
        return state[f[1]]
    if kind == "house-event":
        return house[f[1]]
    if kind == "constant":
        return f[1]
    if kind == "gate":
        return _holds(gates[f[1]], gates, state, house)
    values = [_holds(x, gates, state, house) for x in f[1]]
    return {"and": all, "or": any}[kind](values) if kind != "not" else not values[0]


def _brute_force(model, p, default):
    """P(sequence) by enumerating the basic events' states: the OR of the paths ending in
    it, each path the AND of its formulas with the house events set when collected."""
    gates = model.fault_tree.gates
    paths = []  # (sequence, [(formula, house)])

    def run(instructions, collected, house):
        for ins in instructions:
            if isinstance(ins, SetHouseEvent):
                house[ins.name] = ins.state
            elif isinstance(ins, CollectFormula):
                collected.append((ins.formula, dict(house)))

    def walk(b, tree, collected, house):
        house = dict(house)
        collected = list(collected)
        run(b.instructions, collected, house)
        t = b.target
        if isinstance(t, Fork):
            for path in t.paths:
                walk(path.branch, tree, collected, house)
        elif isinstance(t, BranchRef):
            walk(tree.branches[t.name], tree, collected, house)
        else:
            body = model.sequences[t.name].instructions
            run(body, collected, house)
            if body and isinstance(body[-1], Link):
                target = model.event_trees[body[-1].event_tree]
                walk(target.initial_state, target, collected, house)
            else:
                paths.append((t.name, collected))

    walk(model.event_trees["T"].initial_state, model.event_trees["T"], [], default)
    out = {}
    for states in itertools.product((False, True), repeat=len(EVENTS)):
        state = dict(zip(EVENTS, states, strict=True))
        weight = math.prod(p[e] if state[e] else 1 - p[e] for e in EVENTS)
        for seq in {s for s, _ in paths}:
            hit = any(
                all(_holds(f, gates, state, h) for f, h in collected)
                for s, collected in paths
                if s == seq
            )
            out[seq] = out.get(seq, Fraction(0)) + (weight if hit else 0)
    return out


@settings(max_examples=40, deadline=None)
@given(_models())
def test_sequences_equal_brute_force(drawn):
    model, p, default = drawn
    got = {r.sequence: r.probability for r in model.analyse()}
    expected = _brute_force(model, p, default)
    assert got.keys() == expected.keys()
    for s, value in expected.items():
        assert got[s] == pytest.approx(float(value), abs=1e-12)


@settings(max_examples=25, deadline=None)
@given(_models(complementary=True))
def test_complementary_forks_sum_to_one(drawn):
    model, p, default = drawn
    results = model.analyse()
    assert math.fsum(r.probability for r in results) == pytest.approx(1.0, abs=1e-12)
    expected = _brute_force(model, p, default)
    assert sum(expected.values()) == 1


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 8), min_size=1, max_size=4), st.data())
def test_complementary_expressions_sum_to_one(weights, data):
    # Fork i collects k_i / 8 and 1 - k_i / 8; the leaves end in random sequences (some
    # shared), so the sequences sum to 1, and each is its leaves' products (in Fractions).
    leaves = []

    def branch(level, product):
        if level == len(weights):
            name = data.draw(st.sampled_from(["A", "B", "C"]))
            leaves.append((name, product))
            return Branch((), SequenceEnd(name))
        q = Fraction(weights[level], 8)
        paths = tuple(
            Path(s, Branch((CollectExpression(float(x)),), branch(level + 1, product * x).target))
            for s, x in (("ok", q), ("ko", 1 - q))
        )
        return Branch((), Fork(f"F{level}", paths))

    root = branch(0, Fraction(1))
    T = FaultTree(name="t", gates={}, basic_events={})
    tree = EventTree("T", tuple(f"F{i}" for i in range(len(weights))), ("A", "B", "C"), {}, root)
    model = EventTreeModel(
        T, [InitiatingEvent("I", "T")], [tree], [SequenceDefinition(s) for s in "ABC"]
    )
    got = {r.sequence: r.probability for r in model.analyse()}
    expected = {}
    for name, product in leaves:
        expected[name] = expected.get(name, 0) + product
    assert got == pytest.approx({k: float(v) for k, v in expected.items()}, abs=1e-15)
    assert math.fsum(got.values()) == pytest.approx(1.0, abs=1e-15)


# --------------------------------------------------------------------------- bad input

ONE = '<define-functional-event name="F"/><define-sequence name="S"/>'
CONTINUE = _tree("Continue", ["F"], ["S"], _fork("F", ("on", SEQ("S"))))


def _et(body, name="T"):
    return f'<define-event-tree name="{name}">{body}</define-event-tree>'


def _init(branch):
    return f"<initial-state>{branch}</initial-state>"


BAD = [
    # SCRAM tests/initializer_tests.cc, IncorrectEtaInputs: our equivalents.
    (  # doubly_defined_initiating_event
        '<define-initiating-event name="I"/><define-initiating-event name="I"/>',
        r"line 3: define-initiating-event entry 'I': initiating event 'I' is already defined "
        r"\(.*et.xml, line 3\)",
    ),
    (  # doubly_defined_event_tree
        CONTINUE + CONTINUE,
        r"define-event-tree entry 'Continue': event tree 'Continue' is already defined",
    ),
    (  # doubly_defined_sequence (sequences are global)
        CONTINUE + _tree("Other", [], ["S"], SEQ("S")),
        r"define-sequence entry 'S': sequence 'S' is already defined",
    ),
    (  # doubly_defined_functional_event
        _et(ONE + '<define-functional-event name="F"/>' + _init(SEQ("S"))),
        r"define-functional-event entry 'F': 'F' is already defined in event tree 'T'",
    ),
    (  # doubly_defined_branch
        _et(
            ONE
            + '<define-branch name="B">'
            + SEQ("S")
            + '</define-branch><define-branch name="B">'
            + SEQ("S")
            + "</define-branch>"
            + _init(SEQ("S"))
        ),
        r"define-branch entry 'B': 'B' is already defined in event tree 'T'",
    ),
    (  # doubly_defined_path_state
        _et(ONE + _init(_fork("F", ("true", SEQ("S")), ("true", SEQ("S"))))),
        r"path entry 'true': state 'true' appears twice in the fork on 'F'",
    ),
    (  # doubly_defined_rule
        f'<define-rule name="R">{_expr(0.1)}</define-rule>' * 2,
        r"define-rule entry 'R': rule 'R' is already defined",
    ),
    (  # undefined_event_tree
        '<define-initiating-event name="I" event-tree="Nowhere"/>' + CONTINUE,
        r"define-initiating-event entry 'I': undefined event tree 'Nowhere'",
    ),
    (  # undefined_sequence
        _et(ONE + _init(SEQ("Unknown"))),
        r"sequence entry 'Unknown': undefined sequence 'Unknown'",
    ),
    (  # undefined_branch
        _et(ONE + _init(BRANCH("Unknown"))),
        r"branch entry 'Unknown': undefined branch 'Unknown' in event tree 'T'",
    ),
    (  # undefined_functional_event
        _et(ONE + _init(_fork("G", ("on", SEQ("S"))))),
        r"fork entry 'G': undefined functional event 'G' in event tree 'T'",
    ),
    (  # undefined_rule
        _et(ONE + _init('<rule name="R"/>' + SEQ("S"))),
        r"rule entry 'R': undefined rule 'R'",
    ),
    (  # undefined_house_in_set_house
        _et(ONE + _init(_set("H", "true") + SEQ("S"))),
        r"set-house-event entry 'H': undefined house event 'H'",
    ),
    (  # undefined_arg_collect_formula
        _et(ONE + _init(_formula('<basic-event name="Z"/>') + SEQ("S"))),
        r"collect-formula entry 'T': unknown basic-event 'Z'",
    ),
    (  # private_branch: branches belong to their tree
        _tree("A", [], ["S"], SEQ("S"), '<define-branch name="B">' + SEQ("S") + "</define-branch>")
        + _tree("B", [], [], BRANCH("B")),
        r"undefined branch 'B' in event tree 'B'",
    ),
    (  # private_functional_event
        _tree("A", ["F"], ["S"], SEQ("S")) + _tree("B", [], [], _fork("F", ("on", SEQ("S")))),
        r"undefined functional event 'F' in event tree 'B'",
    ),
    (  # cyclic_branches_self
        _et(ONE + '<define-branch name="B">' + BRANCH("B") + "</define-branch>" + _init(SEQ("S"))),
        r"define-event-tree entry 'T': named branches form a cycle: B -> B",
    ),
    (  # cyclic_branches_transitive
        _et(
            ONE
            + '<define-branch name="B1">'
            + BRANCH("B2")
            + '</define-branch><define-branch name="B2">'
            + BRANCH("B1")
            + "</define-branch>"
            + _init(SEQ("S"))
        ),
        r"named branches form a cycle: B1 -> B2 -> B1",
    ),
    (  # cyclic_branches_fork
        _et(
            ONE
            + '<define-branch name="B">'
            + _fork("F", ("on", BRANCH("B")))
            + "</define-branch>"
            + _init(SEQ("S"))
        ),
        r"named branches form a cycle: B -> B",
    ),
    (  # cyclic_rule_self
        '<define-rule name="R"><rule name="R"/></define-rule>',
        r"rules form a cycle: R -> R",
    ),
    (  # cyclic_rule_block
        '<define-rule name="R1"><block><rule name="R2"/></block></define-rule>'
        '<define-rule name="R2"><rule name="R1"/></define-rule>',
        r"rules form a cycle: R1 -> R2 -> R1",
    ),
    (  # cyclic_link_self
        _tree(
            "L",
            [],
            ['<define-sequence name="S"><event-tree name="L"/></define-sequence>'],
            SEQ("S"),
        ),
        r"event-tree links form a cycle: L -> L",
    ),
    (  # cyclic_link_transitive
        _tree(
            "A",
            [],
            ['<define-sequence name="SA"><event-tree name="B"/></define-sequence>'],
            SEQ("SA"),
        )
        + _tree(
            "B",
            [],
            ['<define-sequence name="SB"><event-tree name="A"/></define-sequence>'],
            SEQ("SB"),
        ),
        r"event-tree links form a cycle: A -> B -> A",
    ),
    (  # invalid_duplicate_event_in_forks
        _et(
            ONE
            + '<define-branch name="B">'
            + _fork("F", ("on", _fork("F", ("on", SEQ("S")))))
            + "</define-branch>"
            + _init(SEQ("S"))
        ),
        r"fork entry 'F': a second fork on functional event 'F' on one path",
    ),
    (  # invalid_event_order_in_branch (an unused branch is checked too)
        _et(
            '<define-functional-event name="F1"/><define-functional-event name="F2"/>'
            '<define-sequence name="S"/><define-branch name="B">'
            + _fork("F2", ("on", _fork("F1", ("on", SEQ("S")))))
            + "</define-branch>"
            + _init(SEQ("S"))
        ),
        r"fork entry 'F1': the fork on 'F1' comes after a fork on 'F2', against the declared "
        r"order \(F1, F2\)",
    ),
    (  # invalid_event_order_in_initial_state
        _et(
            '<define-functional-event name="F1"/><define-functional-event name="F2"/>'
            '<define-sequence name="S"/>'
            + _init(_fork("F2", ("on", _fork("F1", ("on", SEQ("S"))))))
        ),
        r"the fork on 'F1' comes after a fork on 'F2'",
    ),
    (  # invalid_event_order_in_ref_branch
        _et(
            '<define-functional-event name="F1"/><define-functional-event name="F2"/>'
            '<define-sequence name="S"/><define-branch name="B">'
            + _fork("F1", ("on", SEQ("S")))
            + "</define-branch>"
            + _init(_fork("F2", ("on", BRANCH("B"))))
        ),
        r"the fork on 'F1' comes after a fork on 'F2'",
    ),
    (  # invalid_link_instruction: a link in a path, not in a sequence
        CONTINUE
        + _et(
            '<define-functional-event name="L"/>'
            + _init(_fork("L", ("on", '<event-tree name="Continue"/>' + SEQ("S"))))
        ),
        r"event-tree entry 'Continue': a link to event tree 'Continue' in a branch of event "
        r"tree 'T'",
    ),
    (  # invalid_link_in_rule: a rule holding a link, run in a branch
        '<define-rule name="R"><event-tree name="Continue"/></define-rule>'
        + CONTINUE
        + _et(_init('<rule name="R"/>' + SEQ("S"))),
        r"a link to event tree 'Continue' in a branch of event tree 'T'",
    ),
    (  # invalid_link_undefined_event_tree
        _tree(
            "L",
            [],
            ['<define-sequence name="SL"><event-tree name="Nowhere"/></define-sequence>'],
            SEQ("SL"),
        ),
        r"event-tree entry 'Nowhere': undefined event tree 'Nowhere'",
    ),
    (  # not an instruction
        _et(ONE + _init("<collect-nothing/>" + SEQ("S"))),
        r"unsupported instruction <collect-nothing>",
    ),
    (  # a branch with no end
        _et(ONE + _init(_expr(0.1))),
        r"initial-state entry 'T': a branch ends in a <fork>",
    ),
    (
        _et(ONE),
        r"define-event-tree entry 'T': missing <initial-state>",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_input_is_refused_with_its_place(tmp_path, text, message):
    with pytest.raises(PortfolioError, match=message) as info:
        _load(tmp_path, text)
    assert "et.xml" in str(info.value) and info.value.line is not None


MIXED = [
    # SCRAM mixing_collect_instructions, ..._fork and ..._link: formulas and expressions.
    _tree("T", ["F"], ["S"], _fork("F", ("on", _formula(COLLECT_B) + _expr(0.1) + SEQ("S")))),
    _tree(
        "T",
        ["F", "G"],
        ["S"],
        _fork("F", ("on", _formula(COLLECT_B) + _fork("G", ("on", _expr(0.1) + SEQ("S"))))),
    ),
    _tree("E", ["G"], ["SE"], _fork("G", ("on", _expr(0.1) + SEQ("SE"))))
    + _tree(
        "T",
        ["F"],
        ['<define-sequence name="S"><event-tree name="E"/></define-sequence>'],
        _fork("F", ("on", _formula(COLLECT_B) + SEQ("S"))),
    ),
]


@pytest.mark.parametrize("text", MIXED)
def test_mixed_collections_are_refused(tmp_path, text):
    # Refused when read, as SCRAM does, even where no initiating event starts the tree.
    with pytest.raises(
        PortfolioError,
        match=r"collect-expression entry .*: event tree 'T' collects both formulas "
        r"\(first at .*et.xml, line 3\) and expressions",
    ):
        _load(tmp_path, text + _basic(B=0.5))


def test_expressions_summing_above_one_are_refused(tmp_path):
    text = '<define-initiating-event name="I" event-tree="T"/>' + _tree(
        "T", ["F"], ["S"], _fork("F", ("a", _expr(0.7) + SEQ("S")), ("b", _expr(0.6) + SEQ("S")))
    )
    with pytest.raises(PortfolioError, match=r"define-sequence entry 'S': .* sum to 1.3"):
        _load(tmp_path, text).analyse()


def test_instruction_after_a_link_is_refused(tmp_path):
    text = (
        '<define-initiating-event name="I" event-tree="T"/>'
        + CONTINUE
        + _tree(
            "T",
            [],
            [
                '<define-sequence name="L"><event-tree name="Continue"/>'
                + _expr(0.5)
                + "</define-sequence>"
            ],
            SEQ("L"),
        )
    )
    with pytest.raises(PortfolioError, match=r"an instruction after the link at .*: a link must"):
        _load(tmp_path, text).analyse()


def test_openpsa_load_reads_the_fault_trees_of_an_event_tree_model(tmp_path):
    path = _write(
        tmp_path, '<define-initiating-event name="I" event-tree="Continue"/>' + CONTINUE + TWO_TRAIN
    )
    assert openpsa.load(path).probability("Top") == pytest.approx(0.7225)
    assert mefeventtree.load(path).analyse().probabilities() == {("I", "S"): 1.0}


# --------------------------------------------------------------------------- CLI


def _run(*argv):
    out = io.StringIO()
    return main(["faulttree", *argv], out=out), out.getvalue()


def test_cli_sequences(tmp_path):
    text = (
        '<define-initiating-event name="I" event-tree="ET">'
        + _expr(0.01)
        + "</define-initiating-event>"
        + _tree(
            "ET",
            ["F"],
            ["Ok", "Ko"],
            _fork(
                "F",
                ("true", _formula('<not><gate name="Top"/></not>') + SEQ("Ok")),
                ("false", _formula('<gate name="Top"/>') + SEQ("Ko")),
            ),
        )
        + TWO_TRAIN
    )
    path = _write(tmp_path, text)
    code, out = _run(str(path), "--sequences", "--mcs", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    rows = {s["sequence"]: s for s in doc["sequences"]}
    assert rows["Ko"]["initiating_event"] == "I"
    assert rows["Ko"]["probability"] == pytest.approx(0.7225)
    assert rows["Ko"]["frequency"] == pytest.approx(0.007225)
    assert rows["Ok"]["probability"] == pytest.approx(0.2775)
    assert len(rows["Ko"]["cut_sets"]["sets"]) == 4
    code, out = _run(str(path), "--sequences")
    assert code == 0 and "sequence" in out and "Ko" in out and "0.007225" in out
    code, out = _run(str(path), "--sequences", "--format", "markdown")
    assert code == 0 and "| I | Ko |" in out
    code, out = _run(str(path), "--sequences", "--importance", "--format", "json")
    rows = {s["sequence"]: s for s in json.loads(out)["sequences"]}
    birnbaum = {r["label"]: r["birnbaum"] for r in rows["Ko"]["importance"]}
    # P(Ko | V1) - P(Ko | not V1) = 0.85 - 0.7 * 0.85, with P(train two) = 1 - 0.5 * 0.3
    assert birnbaum["V1"] == pytest.approx(0.3 * 0.85)
    expression_only = _write(
        tmp_path,
        '<define-initiating-event name="I" event-tree="T"/>'
        + _tree("T", [], ["S"], _expr(0.5) + SEQ("S")),
    )
    code, out = _run(str(expression_only), "--sequences")
    assert code == 0 and "no BDD needed" in out and "expression" in out
    bad = _write(tmp_path, _et(ONE + _init(SEQ("Unknown"))))
    code, _ = _run(str(bad), "--sequences")
    assert code == 3


# --------------------------------------------------------------------------- fuzzing

FUZZ_SEED = (
    '<opsa-mef><define-initiating-event name="I" event-tree="T">'
    '<collect-expression><float value="0.5"/></collect-expression></define-initiating-event>'
    '<define-rule name="R"><collect-formula><gate name="G"/></collect-formula></define-rule>'
    + _tree(
        "U",
        ["X"],
        ["SU"],
        _fork("X", ("a", _formula("<not><basic-event name='b'/></not>") + SEQ("SU"))),
    )
    + _tree(
        "T",
        ["F", "G"],
        [
            '<define-sequence name="S"><rule name="R"/></define-sequence>',
            '<define-sequence name="L"><event-tree name="U"/></define-sequence>',
        ],
        _set("H", "true")
        + _fork(
            "F",
            (
                "on",
                "<if><test-functional-event name='F' state='on'/>"
                + _formula("<basic-event name='b'/>")
                + "<block/></if>"
                + BRANCH("B"),
            ),
            ("off", _set("H", "false") + SEQ("L")),
        ),
        '<define-branch name="B">'
        + _fork("G", ("x", SEQ("S")), ("y", SEQ("L")))
        + "</define-branch>",
    )
    + '<define-fault-tree name="f"><define-gate name="G"><or><house-event name="H"/>'
    '<basic-event name="b"/></or></define-gate></define-fault-tree>'
    '<model-data><define-house-event name="H"/></model-data>' + _basic(b=0.25) + "</opsa-mef>"
)


def test_the_fuzz_seed_is_valid_and_right(tmp_path):
    path = tmp_path / "t.xml"
    path.write_text(FUZZ_SEED)
    p = mefeventtree.load(path).analyse().probabilities()
    # on/x: H true, b and G (= true) -> b = 0.25; on/y: b, then U collects not b -> 0;
    # off: H false, then U collects not b -> 0.75. S = 0.25, L = OR(0, 0.75) = 0.75.
    assert p == pytest.approx({("I", "S"): 0.25, ("I", "SU"): 0.75}, abs=1e-15)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(edited_text(FUZZ_SEED))
def test_fuzz_event_tree_files(tmp_path, text):
    path = tmp_path / "t.xml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        analysis = mefeventtree.load(path).analyse()
    except PortfolioError as err:  # ComputationLimitError included
        _check_error(err)
        return
    for r in analysis:
        assert 0.0 <= r.probability <= 1.0 + 1e-12


def test_html_tables_escape_names():
    T = FaultTree(name="t", gates={}, basic_events={"b": 0.25})
    ends = Fork(
        "F",
        (
            Path("x", Branch((CollectFormula(("basic-event", "b")),), SequenceEnd("<b>"))),
            Path("y", Branch((), SequenceEnd("<b>"))),
        ),
    )
    tree = EventTree("T", ("F",), ("<b>",), {}, Branch((), ends))
    model = EventTreeModel(
        T, [InitiatingEvent("I&", "T", 2.0)], [tree], [SequenceDefinition("<b>")]
    )
    analysis = model.analyse()
    doc = parse(analysis._repr_html_())
    # b OR true = true: P = 1, frequency 2 (the initiating event's)
    assert doc.tables == [
        [
            ["initiating event", "sequence", "P", "frequency", "paths", "kind"],
            ["I&", "<b>", "1", "2", "2", "formula"],
        ]
    ]
    one = parse(analysis.get("<b>")._repr_html_())
    assert ["sequence", "<b>"] in one.tables[0] and ["frequency", "2"] in one.tables[0]


# --------------------------------------------------------------------------- the model's layers

ONE_ACTUATOR = (
    '<define-substitution name="one_actuator" type="delete-terms"><hypothesis><and>'
    '<basic-event name="V1"/><basic-event name="V2"/></and></hypothesis>'
    '<target><constant value="false"/></target></define-substitution>'
)
QUARTERS = (
    '<define-alignment name="year"><define-phase name="first" time-fraction="0.25"/>'
    '<define-phase name="rest" time-fraction="0.75"/></define-alignment>'
)


#: The tree ET: a fork on F collecting ``not Top`` into Ok and ``Top`` into Ko.
TRAINS_ET = _tree(
    "ET",
    ["F"],
    ["Ok", "Ko"],
    _fork(
        "F",
        ("true", _formula('<not><gate name="Top"/></not>') + SEQ("Ok")),
        ("false", _formula('<gate name="Top"/>') + SEQ("Ko")),
    ),
)


def _trains_tree():
    return '<define-initiating-event name="I" event-tree="ET"/>' + TRAINS_ET


def test_substitutions_and_alignments_are_kept(tmp_path):
    # They were read and then dropped: an event-tree model must have what openpsa.load gives.
    M = _load(tmp_path, _trains_tree() + TWO_TRAIN + ONE_ACTUATOR + QUARTERS)
    assert [s.name for s in M.fault_tree.substitutions] == ["one_actuator"]
    assert list(M.fault_tree.alignments) == ["year"]
    T = openpsa.load(tmp_path / "et.xml")
    assert T.substitutions == M.fault_tree.substitutions
    # 0.25 * 0.49 + 2 * 0.25 * 0.7: V1 and V2 are never both failed (FaultTree.substitute).
    assert M.fault_tree.substitute("Top").probability == pytest.approx(0.4725, rel=1e-12)
    phases = M.fault_tree.phases().phases
    assert [p.mission_time for p in phases] == [0.25 * 8760, 0.75 * 8760]


def test_event_tree_expressions_keep_the_model_mission_time_after_phases(tmp_path):
    # The phases are builds of their own, at fractions of the mission time; the event tree's
    # expressions are compiled after them and must see the model's program and mission time.
    lam = (
        '<define-parameter name="lam"><mul><float value="1e-5"/><system-mission-time/></mul>'
        "</define-parameter>"
    )
    ko = '<collect-expression><parameter name="lam"/></collect-expression>'
    ok = (
        '<collect-expression><sub><float value="1"/><parameter name="lam"/></sub>'
        "</collect-expression>"
    )
    frequency = (
        '<define-initiating-event name="I" event-tree="T"><collect-expression>'
        '<div><system-mission-time/><float value="8760"/></div></collect-expression>'
        "</define-initiating-event>"
    )
    text = (
        frequency
        + _tree("T", ["F"], ["Ok", "Ko"], _fork("F", ("a", ok + SEQ("Ok")), ("b", ko + SEQ("Ko"))))
        + lam
        + TWO_TRAIN
        + QUARTERS
    )
    for extra in ("", ONE_ACTUATOR):
        M = _load(tmp_path, text + extra)
        assert list(M.fault_tree.alignments) == ["year"]
        r = M.analyse().get("Ko")
        assert r.probability == pytest.approx(1e-5 * 8760, rel=1e-12)
        assert r.frequency == pytest.approx(1e-5 * 8760, rel=1e-12)  # frequency 8760 / 8760


def test_cli_sequences_with_substitutions_and_phases(tmp_path):
    path = _write(tmp_path, _trains_tree() + TWO_TRAIN + ONE_ACTUATOR + QUARTERS)
    code, out = _run(str(path), "--sequences", "--substitutions", "--format", "json")
    assert code == 0
    rows = {s["sequence"]: s for s in json.loads(out)["sequences"]}
    assert rows["Ko"]["probability"] == pytest.approx(0.7225)  # as drawn
    assert rows["Ko"]["substitutions"]["applied"] == ["one_actuator"]
    assert rows["Ko"]["substitutions"]["probability"] == pytest.approx(0.4725, rel=1e-12)
    code, out = _run(str(path), "--sequences", "--substitutions")
    assert code == 0 and "with substitutions one_actuator" in out and "not applied" not in out
    code, out = _run(str(path), "--sequences")
    assert code == 0 and "not applied below" in out
    code, out = _run(str(path), "--sequences", "--phases", "--gate", "Top", "--format", "json")
    assert code == 0 and json.loads(out)["alignment"]["name"] == "year"


def test_cli_sequences_without_an_event_tree_says_so(tmp_path, capsys):
    path = _write(tmp_path, TWO_TRAIN)
    code, _ = _run(str(path), "--sequences")
    assert code == 3
    err = capsys.readouterr().err
    assert "no initiating event" in err and "drop --sequences" in err


def _hours(name="t"):
    return f'<define-parameter name="{name}" unit="hours"><float value="2"/></define-parameter>'


@pytest.mark.parametrize(
    ("collected", "frequency", "message"),
    [
        ('<parameter name="t"/>', "", "the expression is in hours: a probability has no unit"),
        (
            '<float value="0.5"/>',
            '<collect-expression><parameter name="t"/></collect-expression>',
            "the frequency's expression is in hours",
        ),
    ],
)
def test_event_tree_expressions_are_unit_checked(tmp_path, collected, frequency, message):
    text = (
        f'<define-initiating-event name="I" event-tree="T">{frequency}</define-initiating-event>'
        + _tree("T", [], ["S"], f"<collect-expression>{collected}</collect-expression>" + SEQ("S"))
        + _hours()
    )
    with pytest.raises(PortfolioError, match=message) as err:
        _load(tmp_path, text)
    assert err.value.line is not None


def test_a_frequency_per_year_is_accepted(tmp_path):
    rate = '<define-parameter name="f" unit="years-1"><float value="0.02"/></define-parameter>'
    text = (
        '<define-initiating-event name="I" event-tree="T"><collect-expression>'
        '<parameter name="f"/></collect-expression><collect-expression><float value="0.5"/>'
        "</collect-expression></define-initiating-event>"
        + _tree("T", [], ["S"], _expr(0.25) + SEQ("S"))
        + rate
    )
    r = _load(tmp_path, text).analyse().get("S")
    assert r.frequency == pytest.approx(0.02 * 0.5 * 0.25, rel=1e-12)


# --------------------------------------------------------------------------- phases of sequences

PHASED = (
    '<define-initiating-event name="I" event-tree="ET"><collect-expression><mul>'
    '<float value="1e-4"/><system-mission-time/></mul></collect-expression>'
    "</define-initiating-event>"
    '<define-initiating-event name="J" event-tree="EJ"/>'
    + TRAINS_ET
    # J's tree sets the house event back to false: a path's own setting wins over the phase's.
    + _tree("EJ", [], ["KoJ"], _set("H1", "false") + _formula('<gate name="Top"/>') + SEQ("KoJ"))
    + """<define-fault-tree name="Trains">
  <define-gate name="Top"><and><gate name="One"/><gate name="Two"/></and></define-gate>
  <define-gate name="One"><or><basic-event name="V1"/><basic-event name="P1"/>
    <house-event name="H1"/></or></define-gate>
  <define-gate name="Two"><or><basic-event name="V2"/><basic-event name="P2"/></or></define-gate>
  <define-house-event name="H1"><constant value="false"/></define-house-event>
  <define-basic-event name="V1"><exponential><float value="1e-4"/><system-mission-time/>
    </exponential></define-basic-event>
</define-fault-tree>"""
    + _basic(V2=0.5, P1=0.7, P2=0.7)
    + '<define-alignment name="year"><define-phase name="normal" time-fraction="0.9"/>'
    '<define-phase name="maintenance" time-fraction="0.1"><set-house-event name="H1">'
    '<constant value="true"/></set-house-event></define-phase></define-alignment>'
)


def test_sequences_in_each_phase_are_the_model_with_the_phase_settings(tmp_path):
    path = _write(tmp_path, PHASED)
    R = mefeventtree.load(path).phases()
    assert R.alignment == "year" and [p.phase for p in R.phases] == ["normal", "maintenance"]
    expected = {}
    for p in R.phases:
        # A second route: the model loaded with the phase's mission time and house events.
        alone = mefeventtree.load(path, mission_time=p.mission_time, house_events=p.house_events)
        want = {(r.initiating_event, r.sequence): r for r in alone.analyse()}
        got = {(r.initiating_event, r.sequence): r for r in p.analysis}
        assert got.keys() == want.keys()
        for key, r in got.items():
            assert r.probability == pytest.approx(want[key].probability, rel=1e-12)
            if want[key].frequency is None:
                assert r.frequency is None
            else:
                assert r.frequency == pytest.approx(want[key].frequency, rel=1e-12)
        expected[p.phase] = got
    for key, mean in R.time_average.items():
        parts = [(p.time_fraction, expected[p.phase][key]) for p in R.phases]
        assert mean == pytest.approx(math.fsum(f * r.probability for f, r in parts), rel=1e-12)
    # By hand: in maintenance train one is out, so Ko is train two failing (1 - 0.5 * 0.3),
    # and I's frequency is 1e-4 times the phase's mission time (876 hours).
    ko = expected["maintenance"]["I", "Ko"]
    assert ko.probability == pytest.approx(0.85, rel=1e-12)
    assert ko.frequency == pytest.approx(1e-4 * 876 * 0.85, rel=1e-12)
    # J's path sets H1 false: the maintenance phase differs from normal by the mission time only.
    v1 = 1 - math.exp(-1e-4 * 876)
    one = 1 - (1 - v1) * 0.3
    assert expected["maintenance"]["J", "KoJ"].probability == pytest.approx(one * 0.85, rel=1e-12)
    assert R.frequency_average["J", "KoJ"] is None
    text = repr(R)
    assert "SequencePhases('year'" in text and "I -> Ko" in text


def test_phases_of_sequences_errors(tmp_path):
    M = _load(tmp_path, _trains_tree() + TWO_TRAIN)
    with pytest.raises(PortfolioError, match="defines no alignment"):
        M.phases()
    M = _load(tmp_path, _trains_tree() + TWO_TRAIN + QUARTERS)
    with pytest.raises(PortfolioError, match="unknown alignment 'yaer'"):
        M.phases("yaer")


def test_cli_sequences_in_phases(tmp_path):
    path = _write(tmp_path, PHASED)
    code, out = _run(str(path), "--sequences", "--phases", "--format", "json")
    assert code == 0
    a = json.loads(out)["sequence_alignment"]
    R = mefeventtree.load(path).phases()
    assert a["name"] == "year" and [p["name"] for p in a["phases"]] == ["normal", "maintenance"]
    for m in a["time_average"]:
        assert m["probability"] == R.time_average[m["initiating_event"], m["sequence"]]
    assert a["phases"][1]["house_events"] == {"H1": True}
    code, out = _run(str(path), "--sequences", "--phases")
    assert code == 0 and "alignment year: the sequences in each phase" in out and "I -> Ko" in out
    code, out = _run(str(path), "--sequences", "--phases", "--format", "markdown")
    assert code == 0 and "| I -> Ko |" in out


# --------------------------------------------------------------------------- uncertainty


def _uncertain(frequency):
    return (
        '<define-initiating-event name="I" event-tree="ET"><collect-expression>'
        f"{frequency}</collect-expression></define-initiating-event>"
        + TRAINS_ET
        + """<define-fault-tree name="Trains">
  <define-gate name="Top"><and><gate name="One"/><gate name="Two"/></and></define-gate>
  <define-gate name="One"><or><basic-event name="V1"/><basic-event name="P1"/></or></define-gate>
  <define-gate name="Two"><or><basic-event name="V2"/><basic-event name="P2"/></or></define-gate>
  <define-basic-event name="P1"><parameter name="x"/></define-basic-event>
</define-fault-tree>
<define-parameter name="x"><uniform-deviate><float value="0.1"/><float value="0.9"/>
  </uniform-deviate></define-parameter>"""
        + _basic(V1=0.5, V2=0.5, P2=0.7)
    )


def test_sequence_frequency_uncertainty_shares_the_parameter_draws(tmp_path):
    # The frequency 0.01 x and P1 = x share one draw of x per trial, so with
    # P(Ko) = (0.5 + 0.5 x) 0.85, E[frequency] = 0.01 * 0.85 * 0.5 (E[x] + E[x^2]) with x
    # uniform on [0.1, 0.9]: E[x] = 1/2, E[x^2] = 0.8^2 / 12 + 1/4 (independent draws would
    # give 0.0031875 instead of 0.00341417).
    freq = '<mul><float value="0.01"/><parameter name="x"/></mul>'
    A = _load(tmp_path, _uncertain(freq)).analyse()
    f = A.uncertainty("Ko", samples=20_000, rng=7)
    p = A.uncertainty("Ko", frequency=False, samples=20_000, rng=7)
    assert f.quantity == "frequency(I -> Ko)" and p.quantity == "P(Ko | I)"
    assert f.parameters == p.parameters == ("x",)
    x = f.parameter_samples[:, 0]
    assert np.allclose(f.samples, p.samples * 0.01 * x, rtol=1e-12, atol=0)
    assert np.allclose(p.samples, (0.5 + 0.5 * x) * 0.85, rtol=1e-12, atol=0)
    exact = 0.01 * 0.85 * 0.5 * (0.5 + 0.8**2 / 12 + 0.25)
    assert abs(f.mean - exact) < 4 * f.std / math.sqrt(20_000)
    assert f.point_value == pytest.approx(A.get("Ko").frequency, rel=1e-12)


def test_sequence_uncertainty_refusals(tmp_path):
    freq = '<float value="0.02"/>'
    M = _load(tmp_path, _uncertain(freq))
    u = M.analyse().uncertainty("Ko", samples=1_000, rng=1)
    assert np.allclose(u.samples, 0.02 * (0.5 + 0.5 * u.parameter_samples[:, 0]) * 0.85)
    text = '<define-initiating-event name="I" event-tree="T"/>' + _tree(
        "T", [], ["S"], _expr(0.5) + SEQ("S")
    )
    with pytest.raises(PortfolioError, match="collects expressions"):
        _load(tmp_path, text).analyse().uncertainty("S", samples=10)
    tested = '<mul><float value="0.01"/><test-initiating-event name="I"/></mul>'
    A = _load(tmp_path, _uncertain(tested)).analyse()
    with pytest.raises(PortfolioError, match="tests the path"):
        A.uncertainty("Ko", samples=10)
    negative = '<normal-deviate><float value="0"/><float value="1"/></normal-deviate>'
    with pytest.raises(PortfolioError, match=r"sampled frequency .* is negative"):
        _load(tmp_path, _uncertain(negative)).analyse().uncertainty("Ko", samples=100, rng=1)


def test_cli_sequence_frequency_uncertainty(tmp_path):
    path = _write(tmp_path, _uncertain('<mul><float value="0.01"/><parameter name="x"/></mul>'))
    code, out = _run(str(path), "--sequences", "--uncertainty", "500", "--format", "json")
    assert code == 0
    ko = {s["sequence"]: s for s in json.loads(out)["sequences"]}["Ko"]
    u = _load(tmp_path, _uncertain('<mul><float value="0.01"/><parameter name="x"/></mul>'))
    want = u.analyse().uncertainty("Ko", samples=500, rng=0)
    assert ko["frequency_uncertainty"]["quantity"] == "frequency(I -> Ko)"
    assert ko["frequency_uncertainty"]["mean"] == want.mean
    assert ko["uncertainty"]["quantity"] == "P(I -> Ko)"
    code, out = _run(str(path), "--sequences", "--uncertainty", "500")
    assert code == 0 and "uncertainty of frequency(I -> Ko) (500 trials" in out


# --------------------------------------------------------------------------- groups, consequences

GROUPED = (
    '<define-initiating-event name="I1">' + _expr(0.1) + "</define-initiating-event>"
    '<define-initiating-event name="I2">' + _expr(0.2) + "</define-initiating-event>"
    '<define-initiating-event-group name="G" event-tree="ET"><initiating-event name="I1"/>'
    '<initiating-event-group name="Sub"/></define-initiating-event-group>'
    '<define-initiating-event-group name="Sub"><initiating-event name="I2"/>'
    "</define-initiating-event-group>"
    + _tree(
        "ET",
        ["F"],
        ["Ok", "Ko"],
        _fork(
            "F",
            ("true", _formula('<not><gate name="Top"/></not>') + SEQ("Ok")),
            (
                "false",
                _formula('<gate name="Top"/>')
                + '<if><test-initiating-event name="Sub"/>'
                + _formula('<basic-event name="V1"/>')
                + "</if>"
                + SEQ("Ko"),
            ),
        ),
    )
    + TWO_TRAIN
    + '<define-consequence name="C1"><initiating-event name="I1"/><sequence name="Ko"/>'
    "</define-consequence>"
    '<define-consequence name="C2"><initiating-event name="I2"/><sequence name="Ko"/>'
    "</define-consequence>"
    '<define-consequence-group name="Damage"><consequence name="C1"/><consequence name="C2"/>'
    "</define-consequence-group>"
    '<define-consequence-group name="All"><consequence-group name="Damage"/>'
    '<consequence name="C1"/></define-consequence-group>'
)


def test_initiating_event_groups_and_consequences(tmp_path):
    M = mefeventtree.load(_write(tmp_path, GROUPED))
    assert M.initiating_events["I2"].event_tree == "ET"  # from Sub's parent G
    assert M.group_members == {"G": {"I1", "I2"}, "Sub": {"I2"}}
    A = M.analyse()
    # P(Top) = 0.85 * 0.85; I2 is in Sub, so its Ko also collects V1: 0.5 * 0.85.
    assert A.get("Ko", "I1").probability == pytest.approx(0.7225, rel=1e-12)
    assert A.get("Ko", "I2").probability == pytest.approx(0.425, rel=1e-12)
    results = {r.name: r for r in A.consequences()}
    assert [r.kind for r in results.values()] == ["consequence", "consequence", "group", "group"]
    assert results["C1"].probability == pytest.approx(0.7225, rel=1e-12)
    assert results["C1"].frequency == pytest.approx(0.07225, rel=1e-12)
    assert results["C2"].frequency == pytest.approx(0.085, rel=1e-12)
    assert results["Damage"].members == (("I1", "Ko"), ("I2", "Ko"))
    assert results["Damage"].frequency == pytest.approx(0.15725, rel=1e-12)
    assert results["All"].members == results["Damage"].members  # C1 counted once
    assert results["All"].frequency == results["Damage"].frequency
    assert results["Damage"].probability is None
    assert "group 'Damage': frequency 0.15725" in repr(results["Damage"])


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            (
                '<define-initiating-event name="I2">',
                '<define-initiating-event name="I2" event-tree="Other">',
            ),
            "would be used in two trees",
        ),
        (('<initiating-event name="I2"/>', '<initiating-event name="I3"/>'), "'I3'"),
        (
            ('<initiating-event-group name="Sub"/>', '<initiating-event name="Sub"/>'),
            "<initiating-event> 'Sub' names a group",
        ),
        (
            ('<initiating-event name="I2"/>', '<initiating-event-group name="I2"/>'),
            "<initiating-event-group> 'I2' names an initiating event",
        ),
        (
            ('<initiating-event name="I2"/>', '<initiating-event-group name="G"/>'),
            "groups form a cycle",
        ),
        (
            (
                '<sequence name="Ko"/></define-consequence>',
                '<sequence name="Kx"/></define-consequence>',
            ),
            "undefined sequence 'Kx'",
        ),
        (('<consequence name="C2"/>', '<consequence name="C3"/>'), "undefined consequence 'C3'"),
        (
            ('<consequence-group name="Damage"/>', '<consequence-group name="All"/>'),
            "consequence groups form a cycle",
        ),
        (
            (
                '<define-initiating-event name="I1">',
                '<define-initiating-event name="I1"><consequence name="C2"/>',
            ),
            "linking event trees through consequences",
        ),
        (  # a group named as a consequence: its frequency was the consequence's
            ('<define-consequence-group name="All">', '<define-consequence-group name="C2">'),
            "'C2' is already a consequence",
        ),
    ],
)
def test_bad_groups_and_consequences(tmp_path, edit, message):
    text = GROUPED.replace(*edit, 1) + _tree("Other", [], ["S9"], _expr(1) + SEQ("S9"))
    with pytest.raises(PortfolioError, match=message) as err:
        mefeventtree.load(_write(tmp_path, text))
    assert err.value.line is not None


def test_cli_consequences(tmp_path):
    path = _write(tmp_path, GROUPED)
    code, out = _run(str(path), "--sequences", "--format", "json")
    assert code == 0
    rows = {c["name"]: c for c in json.loads(out)["consequences"]}
    assert rows["Damage"]["members"] == [["I1", "Ko"], ["I2", "Ko"]]
    assert rows["Damage"]["frequency"] == pytest.approx(0.15725, rel=1e-12)
    assert rows["C2"]["probability"] == pytest.approx(0.425, rel=1e-12)
    code, out = _run(str(path), "--sequences")
    assert code == 0 and "consequences (frequency" in out and "I1 -> Ko; I2 -> Ko" in out
    code, out = _run(str(path), "--sequences", "--format", "markdown")
    assert code == 0 and "| Damage | group |" in out


def test_sequences_in_phases_with_substitutions(tmp_path):
    # The valves V1 and V2 cannot both fail (one_actuator, declarative: Ko = Top AND NOT
    # (V1 AND V2)). In maintenance H1 fails train one, so Ko = Two AND NOT (V1 AND V2):
    # P(Two) - P(V1) P(V2) = 0.85 - 0.5 v1, v1 = 1 - exp(-1e-4 * 876).
    path = _write(tmp_path, PHASED + ONE_ACTUATOR)
    M = mefeventtree.load(path)
    plain, sub = M.phases(), M.phases(substitutions=True)
    assert sub.substituted and not plain.substituted
    for ph, ps in zip(plain.phases, sub.phases, strict=True):
        for r in ps.analysis:
            key = (r.initiating_event, r.sequence)
            if r.sequence == "Ok":
                continue
            want = ps.analysis.fault_tree.substitute(r.gate).probability
            assert ps.probabilities[key] == pytest.approx(want, rel=1e-12)
            assert ph.probabilities[key] == r.probability
            if r.frequency is not None:
                rate = r.frequency / r.probability
                assert ps.frequencies[key] == pytest.approx(rate * want, rel=1e-12)
    v1 = 1 - math.exp(-1e-4 * 876)
    assert sub.phases[1].probabilities["I", "Ko"] == pytest.approx(0.85 - 0.5 * v1, rel=1e-12)
    assert sub.phases[0].probabilities["I", "Ko"] < plain.phases[0].probabilities["I", "Ko"]
    mean = sum(p.time_fraction * p.probabilities["I", "Ko"] for p in sub.phases)
    assert sub.time_average["I", "Ko"] == pytest.approx(mean, rel=1e-12)
    code, out = _run(str(path), "--sequences", "--phases", "--substitutions", "--format", "json")
    a = json.loads(out)["sequence_alignment"]
    assert code == 0 and a["substitutions"] is True
    assert {(m["sequence"], m["probability"]) for m in a["time_average"]} >= {
        ("Ko", sub.time_average["I", "Ko"])
    }


def test_initiating_event_groups_nested_deeply(tmp_path):
    # 3000 nested groups (a RecursionError before): the innermost event takes the outer tree.
    depth = 3000
    tree = {0: ' event-tree="ET"'}
    chain = "".join(
        f'<define-initiating-event-group name="N{i}"{tree.get(i, "")}>'
        f'<initiating-event-group name="N{i + 1}"/></define-initiating-event-group>'
        for i in range(depth)
    )
    inner = (
        f'<define-initiating-event-group name="N{depth}"><initiating-event name="I3"/>'
        '</define-initiating-event-group><define-initiating-event name="I3"/>'
    )
    text = GROUPED + chain + inner
    M = mefeventtree.load(_write(tmp_path, text))
    assert M.initiating_events["I3"].event_tree == "ET"
    assert M.group_members["N0"] == {"I3"} and M.group_members[f"N{depth}"] == {"I3"}
    assert M.analyse().get("Ko", "I3").probability == pytest.approx(0.7225, rel=1e-12)


def test_cli_sequences_document_has_the_gates_document_keys(tmp_path):
    only = _write(
        tmp_path,
        '<define-initiating-event name="I" event-tree="T"/>'
        + _tree("T", [], ["S"], _expr(0.5) + SEQ("S")),
    )
    code, out = _run(str(only), "--sequences", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["backend"] is None and doc["bdd_nodes"] is None
    assert doc["unquantified"] == []
    code, out = _run(str(_write(tmp_path, TWO_TRAIN)), "--format", "json")
    assert set(json.loads(out)) <= set(doc) | {"gates"}
