"""Open-PSA MEF substitutions: SCRAM's published results, brute force in fractions, refusals.

Published values (SCRAM is GPL-3: its numbers and the refused shapes are used, its files are
not; the models below are written here):

* SCRAM ``tests/bench_two_train_tests.cc``, ``TwoTrainSubstitutions``: the two-train system
  (valves 0.5, pumps 0.7; top = (V1 or P1) and (V2 or P2)) with the declarative
  substitutions "valves exclusive" (delete terms), "pumps recovered by the hot backup"
  (recovery rule, backup 0.7) and "hot backup implies cold backup" (0.9): exact (BDD)
  probability 0.329175, rare-event 1, and the three products {V1, P2}, {V2, P1},
  {P1, P2, Hot, Cold}.
* Same file, ``TwoTrainNonDeclarativeSubstitutions``: the exchange event V1 and V2 -> V1 and
  V3 (0.55) and the recovery P1 and P2 -> Hot: the four products {V1, P2}, {V2, P1},
  {V1, V3}, {Hot}, rare-event 1.
* SCRAM ``tests/initializer_tests.cc`` (with ``doc/substitutions.rst``): which substitutions
  are valid and which are refused (the shapes of ``tests/input/model/substitution_*.xml``).
"""

import itertools
import math
from fractions import Fraction

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from portfolios import PortfolioError, openpsa
from portfolios.faulttree import FaultTree
from portfolios.structure import Event
from portfolios.substitutions import Substitution, SubstitutionSolution, apply_to_cut_sets

# --------------------------------------------------------------------------- helpers

BE = '<basic-event name="{}"/>'.format


def _events(*names):
    return "".join(BE(n) for n in names)


TRAINS = {"ValveOne": 0.5, "ValveTwo": 0.5, "PumpOne": 0.7, "PumpTwo": 0.7}


def _model(substitutions, probabilities=None, tree=True):
    """A two-train model (or none) with extra basic events and the substitutions' XML."""
    probabilities = dict(TRAINS if probabilities is None else probabilities)
    data = "".join(
        f'<define-basic-event name="{b}"><float value="{p}"/></define-basic-event>'
        for b, p in probabilities.items()
    )
    gates = (
        '<define-fault-tree name="trains">'
        '<define-gate name="Top"><and><gate name="T1"/><gate name="T2"/></and></define-gate>'
        f'<define-gate name="T1"><or>{_events("ValveOne", "PumpOne")}</or></define-gate>'
        f'<define-gate name="T2"><or>{_events("ValveTwo", "PumpTwo")}</or></define-gate>'
        "</define-fault-tree>"
        if tree
        else ""
    )
    return (
        f'<?xml version="1.0"?>\n<opsa-mef>{gates}\n{substitutions}\n'
        f"<model-data>{data}</model-data></opsa-mef>"
    )


def _substitution(name, hypothesis, target, source=None, kind=None):
    typed = f' type="{kind}"' if kind else ""
    src = f"<source>{_events(*source)}</source>" if source is not None else ""
    constant = f'<constant value="{str(target).lower()}"/>'
    tgt = constant if target in (True, False) else BE(target)
    return (
        f'<define-substitution name="{name}"{typed}>\n'
        f"<hypothesis>{hypothesis}</hypothesis>{src}<target>{tgt}</target>"
        "</define-substitution>"
    )


def _and(*names):
    return f"<and>{_events(*names)}</and>"


def _load(tmp_path, text, name="m.xml"):
    path = tmp_path / name
    path.write_text(text)
    return openpsa.load(path)


DECLARATIVE = (
    _substitution("ExclusiveValves", _and("ValveOne", "ValveTwo"), False, kind="delete-terms")
    + _substitution(
        "RecoverPumps", _and("PumpOne", "PumpTwo"), "HotBackupPump", kind="recovery-rule"
    )
    + _substitution("ColdBackup", BE("HotBackupPump"), "ColdBackupPump")
)
NON_DECLARATIVE = _substitution(
    "ExchangeValves", _and("ValveOne", "ValveTwo"), "ValveThree", ["ValveTwo"], "exchange-event"
) + _substitution(
    "RecoverPumps",
    _and("PumpOne", "PumpTwo"),
    "HotBackupPump",
    ["PumpOne", "PumpTwo"],
    "recovery-rule",
)


def _sets(solution):
    return {frozenset(c.labels) for c in solution.cut_sets}


# --------------------------------------------------------------------------- SCRAM's results


def test_scram_two_train_declarative(tmp_path):
    p = {**TRAINS, "HotBackupPump": 0.7, "ColdBackupPump": 0.9}
    T = _load(tmp_path, _model(DECLARATIVE, p))
    assert [s.type for s in T.substitutions] == ["delete-terms", "recovery-rule", None]
    assert T.probability("Top") == pytest.approx(0.7225, abs=1e-12)  # the tree as drawn
    S = T.substitute("Top")
    assert isinstance(S, SubstitutionSolution) and S.exact_of == "function"
    assert S.probability == pytest.approx(0.329175, abs=1e-12)  # SCRAM, exact (BDD)
    assert S.rare_event == 1.0  # SCRAM, rare-event (0.35 + 0.35 + 0.3087 capped)
    assert _sets(S) == {
        frozenset({"ValveOne", "PumpTwo"}),
        frozenset({"ValveTwo", "PumpOne"}),
        frozenset({"PumpOne", "PumpTwo", "HotBackupPump", "ColdBackupPump"}),
    }
    # hand: V1 alone 0.25 * 0.7 * (0.7 * 0.63 + 0.3 * 0.93), V2 alone the same, neither
    # 0.25 * 0.49 * 0.63 (the cold backup constraint also weighs the states without H)
    hand = 2 * 0.25 * 0.7 * (0.7 * 0.63 + 0.3 * 0.93) + 0.25 * 0.49 * 0.63
    assert S.probability == pytest.approx(hand, abs=1e-15)
    assert S.mcub == pytest.approx(1 - 0.65 * 0.65 * (1 - 0.7**3 * 0.9), abs=1e-15)


def test_scram_two_train_non_declarative(tmp_path):
    p = {**TRAINS, "HotBackupPump": 0.7, "ValveThree": 0.55}
    T = _load(tmp_path, _model(NON_DECLARATIVE, p))
    assert [s.type for s in T.substitutions] == ["exchange-event", "recovery-rule"]
    S = T.substitute()
    expected = [{"ValveOne", "PumpTwo"}, {"ValveTwo", "PumpOne"}, {"ValveOne", "ValveThree"}]
    assert _sets(S) == {frozenset(s) for s in [*expected, {"HotBackupPump"}]}
    assert S.rare_event == 1.0 and S.exact_of == "cut sets"
    # the exact union of the four sets, by enumeration in fractions
    names = sorted(p)
    q = {n: Fraction(str(p[n])) for n in names}
    sets = [{"HotBackupPump"}, *expected]
    total = Fraction(0)
    for bits in itertools.product((0, 1), repeat=len(names)):
        up = {n for n, b in zip(names, bits, strict=True) if b}
        if any(s <= up for s in sets):
            total += math.prod(q[n] if n in up else 1 - q[n] for n in names)
    assert S.probability == pytest.approx(float(total), abs=1e-15)
    probabilities = [0.7, 0.35, 0.35, 0.275]
    assert S.mcub == pytest.approx(1 - math.prod(1 - x for x in probabilities), abs=1e-15)
    assert S.substitutions == ("ExchangeValves", "RecoverPumps")


def test_substitutions_do_not_change_the_tree_as_drawn(tmp_path):
    p = {**TRAINS, "HotBackupPump": 0.7, "ColdBackupPump": 0.9}
    T = _load(tmp_path, _model(DECLARATIVE, p))
    assert T.minimal_cut_sets("Top")[0].labels == ("PumpOne", "PumpTwo")
    assert "3 substitutions" in repr(T)
    assert T.with_options(backend="python").substitute().probability == pytest.approx(0.329175)


def test_repr_and_html(tmp_path):
    p = {**TRAINS, "HotBackupPump": 0.7, "ColdBackupPump": 0.9}
    S = _load(tmp_path, _model(DECLARATIVE, p)).substitute()
    assert "P = 0.329175 (exact, of the rewritten function)" in repr(S)
    html = S._repr_html_()
    assert "<table>" in html and "ColdBackupPump" in html and "rare event" in html


def test_max_order(tmp_path):
    p = {**TRAINS, "HotBackupPump": 0.7, "ColdBackupPump": 0.9}
    S = _load(tmp_path, _model(DECLARATIVE, p)).substitute(max_order=2)
    assert len(S.cut_sets) == 2 and S.cut_sets.max_order == 2
    assert S.probability == pytest.approx(0.329175)  # of the function, whatever the listing


def test_declarative_substitution_over_a_ccf_member(tmp_path):
    # a declarative substitution may name a CCF member: its CCF events stand for it
    ccf = (
        '<define-CCF-group name="pumps" model="beta-factor"><members>'
        f'{_events("PumpOne", "PumpTwo")}</members><distribution><float value="0.1"/>'
        '</distribution><factor level="2"><float value="0.2"/></factor></define-CCF-group>'
    )
    sub = _substitution("R", _and("PumpOne", "PumpTwo"), "Backup")
    p = {"ValveOne": 0.5, "ValveTwo": 0.5, "Backup": 0.3}
    T = _load(tmp_path, _model(ccf + sub, p))
    # P1 = p1 or c, P2 = p2 or c (p1, p2 = 0.08, c = 0.02); hand: enumerate in fractions
    q = {"V1": 0.5, "V2": 0.5, "p1": 0.08, "p2": 0.08, "c": 0.02, "B": 0.3}
    total = 0.0
    for bits in itertools.product((0, 1), repeat=6):
        x = dict(zip(q, bits, strict=True))
        P1, P2 = x["p1"] or x["c"], x["p2"] or x["c"]
        ok = (x["V1"] or P1) and (x["V2"] or P2) and (not (P1 and P2) or x["B"])
        if ok:
            total += math.prod(q[k] if x[k] else 1 - q[k] for k in q)
    assert T.substitute().probability == pytest.approx(total, abs=1e-14)
    assert frozenset({"[PumpOne PumpTwo]", "Backup"}) in _sets(T.substitute())


# --------------------------------------------------------------------------- brute force


def _leaf(i):
    return ("basic-event", f"e{i}")


def _formulas(n):
    leaves = st.integers(0, n - 1).map(_leaf)

    def extend(children):
        args = st.lists(children, min_size=1, max_size=3).map(tuple)
        return st.one_of(
            args.map(lambda a: ("and", a)),
            args.map(lambda a: ("or", a)),
            children.map(lambda c: ("not", (c,))),
            st.lists(children, min_size=2, max_size=3).flatmap(
                lambda a: st.integers(1, len(a)).map(lambda k: ("atleast", k, tuple(a)))
            ),
        )

    return st.recursive(leaves, extend, max_leaves=6)


def _value(f, x):
    kind = f[0]
    if kind == "basic-event":
        return x[f[1]]
    if kind == "not":
        return not _value(f[1][0], x)
    if kind == "and":
        return all(_value(a, x) for a in f[1])
    if kind == "or":
        return any(_value(a, x) for a in f[1])
    return sum(_value(a, x) for a in f[2]) >= f[1]  # atleast


@st.composite
def _substitution_models(draw, non_declarative=False):
    n = draw(st.integers(2, 5))
    names = [f"e{i}" for i in range(n)]
    p = {e: draw(st.sampled_from([0.1, 0.25, 0.5, 0.75, 0.9])) for e in names}
    top = draw(_formulas(n))
    subs = []
    for k in range(draw(st.integers(1, 2))):
        hyp = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
        connective = "null" if len(hyp) == 1 else draw(st.sampled_from(["and", "or", "atleast"]))
        m = draw(st.integers(1, len(hyp))) if connective == "atleast" else None
        target = draw(st.one_of(st.just(False), st.sampled_from(names)))
        subs.append(Substitution(f"s{k}", connective, tuple(hyp), (), target, m))
    return names, p, top, subs, draw(st.one_of(st.none(), st.integers(1, n)))


@settings(max_examples=40, deadline=None)
@given(_substitution_models())
def test_declarative_substitutions_match_enumeration(model):
    """The rewritten function's exact probability and minimal true points, in fractions."""
    names, p, top, subs, max_order = model
    T = FaultTree(name="t", gates={"top": top}, basic_events=p, substitutions=subs)
    S = T.substitute("top", max_order=max_order)
    q = {e: Fraction(str(v)) for e, v in p.items()}
    total, true_points = Fraction(0), []
    for bits in itertools.product((False, True), repeat=len(names)):
        x = dict(zip(names, bits, strict=True))
        rewritten = _value(top, x) and all(
            not _value(s.hypothesis_formula, x) or (isinstance(s.target, str) and x[s.target])
            for s in subs
        )
        if rewritten:
            total += math.prod(q[e] if x[e] else 1 - q[e] for e in names)
            true_points.append(frozenset(e for e in names if x[e]))
    minimal = {t for t in true_points if not any(u < t for u in true_points)}
    if max_order is not None:
        minimal = {t for t in minimal if len(t) <= max_order}
    assert S.probability == pytest.approx(float(total), rel=1e-12, abs=1e-15)
    assert _sets(S) == minimal
    assert S.rare_event == pytest.approx(min(1.0, sum(c.probability for c in S.cut_sets)))


def test_non_declarative_rules_on_sets():
    b = lambda *ids: frozenset(Event("basic", i) for i in ids)  # noqa: E731
    exchange = Substitution("X", "or", ("A", "B"), ("C",), "D")  # any of A, B: C -> D
    out = apply_to_cut_sets([b("A", "C"), b("C", "E"), b("B", "C", "F")], [exchange])
    assert set(out) == {b("A", "D"), b("C", "E"), b("B", "D", "F")}
    delete = Substitution("Y", "and", ("A", "C"), ("A", "C"), True)  # no target: removed
    assert apply_to_cut_sets([b("A", "C", "E"), b("E", "F")], [delete]) == [b("E")]
    with pytest.raises(PortfolioError, match="declarative"):
        apply_to_cut_sets([b("A")], [Substitution("Z", "null", ("A",), (), "B")])


# --------------------------------------------------------------------------- validation

VALID = {
    "optional source": _substitution("S", _and("A", "B"), "D"),
    "every type": (
        _substitution("D2", _and("A", "B"), False, kind="delete-terms")
        + _substitution(
            "DG",
            '<atleast min="2">' + _events("A", "B", "C") + "</atleast>",
            False,
            kind="delete-terms",
        )
        + _substitution("RD", _and("A", "B"), "C", kind="recovery-rule")
        + _substitution("RN", _and("A", "B"), "D", ["A", "B"], "recovery-rule")
        + _substitution("RS", BE("E"), "D", ["E"], "recovery-rule")
        + _substitution("EX", _and("F", "G", "C"), "D", ["C"], "exchange-event")
    ),
    "declarative target is another source": (
        _substitution("R", _and("A", "B"), "C")
        + _substitution("X", _and("A", "B", "C"), "D", ["C"], "exchange-event")
    ),
    "target in its own hypothesis": _substitution("S", _and("A", "B", "C"), "C", ["A", "B"]),
    "untyped event reference": '<define-substitution name="S"><hypothesis><and>'
    '<event name="A"/><event name="B"/></and></hypothesis><target><basic-event name="C"/>'
    "</target></define-substitution>",
}
ABCDEFG = dict.fromkeys("ABCDEFG", 0.1)


@pytest.mark.parametrize("name", list(VALID))
def test_valid_substitutions(tmp_path, name):
    T = _load(tmp_path, _model(VALID[name], ABCDEFG, tree=False))
    assert T.substitutions


CCF_AB = (
    '<define-CCF-group name="ccf" model="beta-factor"><members>'
    f'{_events("A", "B")}</members><distribution><float value="0.1"/></distribution>'
    '<factor level="2"><float value="0.1"/></factor></define-CCF-group>'
)
ABCD_NO_AB = dict.fromkeys("CDEFG", 0.1)

REFUSED = {
    "duplicate": (
        _substitution("S", _and("C", "D"), "A", ["B"])
        + _substitution("S", _and("A", "B"), "D", ["C"]),
        "defined twice",
    ),
    "undefined hypothesis event": (
        _substitution("S", _and("A", "Z"), "D", ["C"]),
        "unknown basic event 'Z'",
    ),
    "undefined source event": (
        _substitution("S", _and("A", "B"), "D", ["Z"]),
        "unknown basic event 'Z'",
    ),
    "undefined target event": (
        _substitution("S", _and("A", "B"), "Z", ["C"]),
        "unknown basic event 'Z'",
    ),
    "duplicate source event": (_substitution("S", _and("A", "B"), "D", ["C", "C"]), "twice"),
    "duplicate hypothesis event": (_substitution("S", _and("A", "B", "A"), "D", ["C"]), "twice"),
    "nested formula": (
        _substitution("S", f"<and>{BE('A')}<not>{BE('B')}</not></and>", "D", ["C"]),
        "basic events only",
    ),
    "gate in the hypothesis": (
        _substitution("S", _and("A") + "", "D", ["C"]).replace(
            '<basic-event name="A"/>', '<event name="A"/><event name="T1"/>'
        ),
        "basic events only",
    ),
    "type mismatch": (_substitution("S", _and("A", "B"), "D", ["C"], "delete-terms"), "deduced"),
    "no effect": (_substitution("S", _and("A", "B"), True), "no effect"),
    "non-declarative atleast": (
        _substitution("S", '<atleast min="2">' + _events("A", "B", "C") + "</atleast>", "D", ["C"]),
        "not <atleast>",
    ),
    "source equal to target": (
        _substitution("S", _and("A", "B", "C"), "C", ["C"]),
        "its own source",
    ),
    "target is another source": (
        _substitution("R", _and("A", "B"), "C", ["A", "B"])
        + _substitution("X", _and("A", "B", "C"), "D", ["C"]),
        "the source of 'X'",
    ),
    "target is another hypothesis": (
        _substitution("R", _and("A", "B"), "F", ["A", "B"])
        + _substitution("X", _and("F", "G", "C"), "D", ["C"]),
        "hypothesis of 'X'",
    ),
    "source is another hypothesis": (
        _substitution("R", _and("A", "B"), "D", ["A", "B"])
        + _substitution("X", _and("A", "G", "C"), "E", ["C"]),
        "hypothesis of 'X'",
    ),
    "source with target false": (_substitution("S", _and("A", "B"), False, ["C"]), "irrelevant"),
    "declarative non-coherent": (
        _substitution("S", f"<nand>{_events('A', 'B')}</nand>", "D"),
        "<nand>",
    ),
    "unknown type": (_substitution("S", _and("A", "B"), "D", kind="swap"), "unknown type"),
    "ccf hypothesis": (CCF_AB + _substitution("S", _and("A", "B"), "D", ["C"]), "CCF group"),
    "ccf source": (CCF_AB + _substitution("S", _and("C", "D"), "E", ["A"]), "CCF group"),
    "ccf target": (CCF_AB + _substitution("S", _and("C", "D"), "A", ["C"]), "CCF group"),
    "no target": (
        '<define-substitution name="S"><hypothesis>'
        + BE("A")
        + "</hypothesis></define-substitution>",
        "missing <target>",
    ),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_refused_substitutions(tmp_path, name):
    text, message = REFUSED[name]
    data = ABCD_NO_AB if name.startswith("ccf") else ABCDEFG
    with pytest.raises(PortfolioError, match=message) as info:
        _load(tmp_path, _model(text, {**TRAINS, **data}), "bad.xml")
    err = info.value
    assert err.file.endswith("bad.xml") and err.line is not None and err.line > 1
    assert err.section == "define-substitution" and err.entry in ("S", "R", "X")


@st.composite
def _rewriting_models(draw):
    n = draw(st.integers(3, 6))
    names = [f"e{i}" for i in range(n)]
    p = {e: draw(st.sampled_from([0.1, 0.25, 0.5, 0.75, 0.9])) for e in names}
    top = draw(_formulas(n))
    hyp = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    connective = "null" if len(hyp) == 1 else draw(st.sampled_from(["and", "or"]))
    source = draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True))
    target = draw(st.one_of(st.just(True), st.sampled_from(names)))
    try:
        sub = Substitution("s", connective, tuple(hyp), tuple(source), target)
        FaultTree(name="t", gates={"top": top}, basic_events=p, substitutions=[sub])
    except PortfolioError:  # a target among the sources: refused, drawn again
        reject()
    return names, p, top, sub


@settings(max_examples=25, deadline=None)
@given(_rewriting_models())
def test_non_declarative_substitution_matches_enumeration(model):
    """The substituted sets, and the exact probability of their union, by enumeration."""
    names, p, top, sub = model
    S = FaultTree(name="t", gates={"top": top}, basic_events=p, substitutions=[sub]).substitute()
    true_points = [
        frozenset(e for e, b in zip(names, bits, strict=True) if b)
        for bits in itertools.product((False, True), repeat=len(names))
        if _value(top, dict(zip(names, bits, strict=True)))
    ]
    minimal = [t for t in true_points if not any(u < t for u in true_points)]
    groups = [set(sub.hypothesis)] if sub.connective != "or" else [{e} for e in sub.hypothesis]
    rewritten = []
    for t in minimal:
        hit = any(g <= t for g in groups)
        new = (t - set(sub.source)) | ({sub.target} if hit and sub.target is not True else set())
        rewritten.append(frozenset(new) if hit else t)
    expected = {t for t in rewritten if not any(u < t for u in rewritten)}
    assert _sets(S) == expected
    q = {e: Fraction(str(v)) for e, v in p.items()}
    total = Fraction(0)
    for bits in itertools.product((False, True), repeat=len(names)):
        up = {e for e, b in zip(names, bits, strict=True) if b}
        if any(s <= up for s in expected):
            total += math.prod(q[e] if e in up else 1 - q[e] for e in names)
    assert S.probability == pytest.approx(float(total), rel=1e-12, abs=1e-15)
    assert S.mcub >= S.probability - 1e-12 or not expected
