"""``knightian faulttree``: reports, exit codes, JSON document."""

import io
import json

import pytest

from contracts._cli import main

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
    assert doc["format"] == "knightian.portfolios.faulttree/1" and doc["backend"] in (
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
    assert 0.0 < gate["uncertainty"]["mean"] < 1.0


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_text_reports(tmp_path, fmt):
    path = tmp_path / "t.xml"
    path.write_text(TREE)
    code, text = _run(str(path), "--mcs", "--format", fmt)
    assert code == 0
    assert "prime implicants" in text and "not C" in text


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
