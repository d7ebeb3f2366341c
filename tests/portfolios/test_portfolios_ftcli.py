"""``knightian faulttree``: reports, exit codes, JSON document."""

import io
import json

import pytest

from contracts._cli import main
from portfolios import openpsa

TREE = """<?xml version="1.0"?>
<opsa-mef><define-fault-tree name="t">
  <define-gate name="top"><or><basic-event name="A"/><and><basic-event name="B"/>
    <not><basic-event name="C"/></not></and></or></define-gate>
  <define-basic-event name="A"><float value="0.1"/></define-basic-event>
  <define-basic-event name="B"><parameter name="b"/></define-basic-event>
  <define-basic-event name="C"><float value="0.3"/></define-basic-event>
  <define-parameter name="b"><uniform-deviate><float value="0.1"/><float value="0.3"/>
  </uniform-deviate></define-parameter>
</define-fault-tree></opsa-mef>"""


def _run(*argv):
    out = io.StringIO()
    return main(["faulttree", *argv], out=out), out.getvalue()


def test_json_report(tmp_path):
    path = tmp_path / "t.xml"
    path.write_text(TREE)
    code, text = _run(
        str(path), "--mcs", "--importance", "--uncertainty", "500", "--format", "json"
    )
    assert code == 0
    doc = json.loads(text)
    assert doc["format"] == "knightian.portfolios.faulttree/2" and doc["backend"] in (
        "cudd",
        "python",
    )
    gate = doc["gates"][0]
    assert gate["probability"] == pytest.approx(0.1 + 0.9 * 0.2 * 0.7)
    assert not gate["coherent"]
    assert sorted(map(sorted, (s["events"] for s in gate["cut_sets"]["sets"]))) == [
        ["A"],
        ["B", "not C"],
    ]
    assert {row["label"] for row in gate["importance"]} == {"A", "B", "C"}
    # P(top) = 0.1 + 0.9 b 0.7 is linear in b ~ U(0.1, 0.3): mean 0.1 + 0.63 * 0.2 = 0.226,
    # std 0.63 * 0.2 / sqrt(12) = 0.0364, so the mean of 500 trials is within 5 standard errors
    u = gate["uncertainty"]
    assert u["mean"] == pytest.approx(0.226, abs=5 * 0.0364 / 500**0.5)
    assert u["std"] == pytest.approx(0.0364, rel=0.15)
    assert u["point"] == pytest.approx(0.226) and u["seed"] == 0
    assert u["standard_error"] == pytest.approx(u["std"] / 500**0.5)
    assert list(u["quantiles"]) == ["0.05", "0.25", "0.5", "0.75", "0.95"]
    # the only deviate, b: P(top) increases with it, so its ranks are P(top)'s
    [row] = u["sensitivity"]
    assert row["parameter"] == "b" and row["spearman"] == pytest.approx(1.0)
    assert row["first_order"] > 0.95


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_text_reports(tmp_path, fmt):
    path = tmp_path / "t.xml"
    path.write_text(TREE)
    code, text = _run(str(path), "--mcs", "--format", fmt)
    assert code == 0
    assert "prime implicants" in text and "not C" in text


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_uncertainty_reports_the_sensitivity(tmp_path, fmt):
    path = tmp_path / "t.xml"
    path.write_text(TREE)
    code, text = _run(str(path), "--uncertainty", "200", "--seed", "3", "--format", fmt)
    assert code == 0
    assert "uncertainty of P(" in text and "(200 trials, seed 3)" in text
    assert "sensitivity (by first-order index)" in text
    cells = [line.replace("|", " ").split() for line in text.splitlines()]
    [row] = [c for c in cells if c and c[0] == "b"]
    assert row[2] == "1" and 0.95 < float(row[1]) <= 1.0  # Spearman 1: P(top) increases with b


def test_errors_exit_3_and_name_the_place(tmp_path, capsys):
    path = tmp_path / "t.xml"
    path.write_text(TREE.replace('<float value="0.3"/>', '<float value="1.3"/>'))
    code, _ = _run(str(path))
    assert code == 3
    assert "line 7" in capsys.readouterr().err
    path.write_text(TREE)
    code, _ = _run(str(path), "--gate", "nope")
    assert code == 3
    assert "unknown gate 'nope'" in capsys.readouterr().err


PHASED = """<?xml version="1.0"?>
<opsa-mef>
  <define-alignment name="Maintenance">
    <define-phase name="Normal" time-fraction="0.9"/>
    <define-phase name="Out" time-fraction="0.1">
      <set-house-event name="out"><constant value="true"/></set-house-event>
    </define-phase>
  </define-alignment>
  <define-fault-tree name="trains">
    <define-gate name="Top"><and><gate name="T1"/><gate name="T2"/></and></define-gate>
    <define-gate name="T1"><or><basic-event name="V1"/><basic-event name="P1"/>
      <house-event name="out"/></or></define-gate>
    <define-gate name="T2"><or><basic-event name="V2"/><basic-event name="P2"/></or></define-gate>
    <define-house-event name="out"/>
  </define-fault-tree>
  <define-substitution name="exclusive" type="delete-terms">
    <hypothesis><and><basic-event name="V1"/><basic-event name="V2"/></and></hypothesis>
    <target><constant value="false"/></target>
  </define-substitution>
  <model-data>
    <define-basic-event name="V1"><float value="0.5"/></define-basic-event>
    <define-basic-event name="V2"><float value="0.5"/></define-basic-event>
    <define-basic-event name="P1"><float value="0.7"/></define-basic-event>
    <define-basic-event name="P2"><float value="0.7"/></define-basic-event>
  </model-data>
</opsa-mef>"""


def test_substitutions_and_phases(tmp_path):
    path = tmp_path / "phased.xml"
    path.write_text(PHASED)
    code, text = _run(str(path))
    assert code == 0 and "--substitutions analyses" in text and "--phases analyses" in text
    code, text = _run(str(path), "--substitutions", "--mcs", "--phases", "--format", "json")
    assert code == 0
    doc = json.loads(text)
    sub = doc["gates"][0]["substitutions"]
    # V1 and V2 exclusive: V1 alone 0.25 * 0.7, V2 alone the same, neither 0.25 * 0.49
    assert sub["probability"] == pytest.approx(0.4725) and sub["exact_of"] == "function"
    assert sorted(map(sorted, (s["events"] for s in sub["sets"]))) == [
        ["P1", "P2"],
        ["P1", "V2"],
        ["P2", "V1"],
    ]
    phases = doc["alignment"]["phases"]
    # with the substitution, pump one out: train two and not both valves, 0.85 - 0.25
    assert [p["probabilities"]["Top"] for p in phases] == pytest.approx([0.4725, 0.6])
    assert doc["alignment"]["substitutions"] is True
    code, text = _run(str(path), "--phases", "--format", "json")
    doc = json.loads(text)
    phases = doc["alignment"]["phases"]
    # without: normal (1 - 0.5 * 0.3)^2; pump one out: train two alone, 1 - 0.5 * 0.3
    assert [p["probabilities"]["Top"] for p in phases] == pytest.approx([0.7225, 0.85])
    assert doc["alignment"]["time_average"]["Top"] == pytest.approx(0.9 * 0.7225 + 0.1 * 0.85)
    code, text = _run(str(path), "--substitutions", "--phases", "Maintenance")
    assert code == 0 and "P = 0.4725 (exact, of the rewritten function)" in text
    assert "time-weighted mean" in text and "out=true" in text
    code, _ = _run(str(path), "--phases", "Nowhere")
    assert code == 3


QUALITATIVE = """<opsa-mef><define-fault-tree name="Q">
  <define-gate name="top"><or><gate name="g"/><basic-event name="C"/></or></define-gate>
  <define-gate name="g"><and><basic-event name="A"/><basic-event name="B"/></and></define-gate>
  <define-basic-event name="A"/><define-basic-event name="B"/><define-basic-event name="C"/>
</define-fault-tree></opsa-mef>"""


def test_a_model_without_probabilities_gets_its_cut_sets(tmp_path, capsys):
    # As SCRAM's qualitative analysis: basic events without a probability still have cut sets.
    path = tmp_path / "q.xml"
    path.write_text(QUALITATIVE)
    code, out = _run(str(path), "--mcs", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["unquantified"] == ["A", "B", "C"] and doc["backend"] is None
    gate = doc["gates"][0]
    assert gate["probability"] is None
    assert sorted(c["events"] for c in gate["cut_sets"]["sets"]) == [["A", "B"], ["C"]]
    code, out = _run(str(path), "--mcs")
    assert code == 0 and "3 without a probability" in out and "P = n/a" in out
    assert "nan" not in out and ["C", "1", "n/a"] in [r.split() for r in out.splitlines()]
    code, out = _run(str(path), "--mcs", "--format", "markdown")
    assert code == 0 and "P = n/a" in out
    for flag in (["--importance"], ["--uncertainty", "10"]):
        code, _ = _run(str(path), *flag)
        assert code == 3
        assert f"{flag[0]} needs a probability" in capsys.readouterr().err


def test_minimal_true_points_of_a_non_coherent_tree(tmp_path):
    path = tmp_path / "t.xml"
    path.write_text(TREE)
    code, out = _run(str(path), "--mcs", "--no-prime-implicants", "--format", "json")
    assert code == 0
    cuts = json.loads(out)["gates"][0]["cut_sets"]
    assert cuts["prime_implicants"] is False
    T = openpsa.load(path)
    want = T.minimal_cut_sets(prime_implicants=False)
    assert [c["events"] for c in cuts["sets"]] == [list(c.labels) for c in want]
    assert not any(e.startswith("not ") for c in cuts["sets"] for e in c["events"])
    code, out = _run(str(path), "--mcs", "--no-prime-implicants")
    assert code == 0 and "minimal true points" in out


def test_importance_without_fussell_vesely(tmp_path):
    path = tmp_path / "t.xml"
    path.write_text(TREE.replace('<not><basic-event name="C"/></not>', '<basic-event name="C"/>'))
    code, out = _run(str(path), "--importance", "--format", "json")
    with_fv = {r["label"]: r for r in json.loads(out)["gates"][0]["importance"]}
    code2, out2 = _run(str(path), "--importance", "--no-fussell-vesely", "--format", "json")
    rows = {r["label"]: r for r in json.loads(out2)["gates"][0]["importance"]}
    assert code == code2 == 0
    assert all(r["fussell_vesely"] is None for r in rows.values())
    assert all(with_fv[k]["fussell_vesely"] is not None for k in rows)
    assert all(rows[k]["birnbaum"] == with_fv[k]["birnbaum"] for k in rows)


def test_sequences_of_a_model_without_probabilities_are_refused_with_why(tmp_path, capsys):
    # The message read "a probability needs a probability for every basic event".
    tree = (
        '<define-initiating-event name="I" event-tree="T"/><define-event-tree name="T">'
        '<define-functional-event name="F"/><define-sequence name="S"/><initial-state>'
        '<collect-formula><gate name="top"/></collect-formula><sequence name="S"/>'
        "</initial-state></define-event-tree>"
    )
    path = tmp_path / "q.xml"
    path.write_text(QUALITATIVE.replace("<opsa-mef>", "<opsa-mef>" + tree))
    code, _ = _run(str(path), "--sequences", "--mcs")
    err = capsys.readouterr().err
    assert code == 3 and "--sequences needs a probability for every basic event" in err
    assert "3 have none (A, B, C)" in err and "a probability needs" not in err


def test_phases_of_a_model_with_two_alignments_name_the_flag(tmp_path, capsys):
    # The message told a command-line user to pass the API's alignment=.
    path = tmp_path / "t.xml"
    two = (
        '<define-alignment name="A1"><define-phase name="p" time-fraction="1"/>'
        '</define-alignment><define-alignment name="A2"><define-phase name="q" '
        'time-fraction="1"/></define-alignment></opsa-mef>'
    )
    path.write_text(TREE.replace("</opsa-mef>", two))
    code, _ = _run(str(path), "--phases")
    err = capsys.readouterr().err
    assert code == 3 and "2 alignments (A1, A2): name one, as in --phases A1" in err
    assert "alignment=" not in err
    code, out = _run(str(path), "--phases", "A2")
    assert code == 0 and "alignment A2" in out


def test_cut_sets_of_a_partly_quantified_model_keep_the_known_probabilities(tmp_path):
    # Only A lacks a probability: the set {C} has P(C) = 0.2 (it read nan/n/a as {A, B}).
    path = tmp_path / "q.xml"
    path.write_text(
        QUALITATIVE.replace(
            '<define-basic-event name="C"/>',
            '<define-basic-event name="C"><float value="0.2"/></define-basic-event>',
        )
    )
    code, out = _run(str(path), "--mcs", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["unquantified"] == ["A", "B"]
    sets = doc["gates"][0]["cut_sets"]["sets"]
    assert sets == [
        {"events": ["C"], "probability": 0.2},
        {"events": ["A", "B"], "probability": None},
    ]
    code, out = _run(str(path), "--mcs")
    rows = [line.split() for line in out.splitlines()]
    assert code == 0 and ["C", "1", "0.2"] in rows and ["A,", "B", "2", "n/a"] in rows


def test_substitutions_of_a_model_without_probabilities_read_n_a(tmp_path):
    # A lacks a probability: the substituted values and the set {A, B} printed nan.
    path = tmp_path / "q.xml"
    deleted = (
        '<define-substitution name="s" type="delete-terms"><hypothesis><and>'
        '<basic-event name="C"/><basic-event name="B"/></and></hypothesis><target>'
        '<constant value="false"/></target></define-substitution></opsa-mef>'
    )
    text = QUALITATIVE.replace("</opsa-mef>", deleted).replace(
        '<define-basic-event name="C"/>',
        '<define-basic-event name="C"><float value="0.2"/></define-basic-event>',
    )
    path.write_text(
        text.replace(
            '<define-basic-event name="B"/>',
            ('<define-basic-event name="B"><float value="0.3"/></define-basic-event>'),
        )
    )
    code, out = _run(str(path), "--mcs", "--substitutions")
    assert code == 0 and "nan" not in out
    assert "with substitutions s: P = n/a" in out and "MCUB n/a" in out
    assert ["A,", "B", "2", "n/a"] in [line.split() for line in out.splitlines()]
