"""portfolios.gsn: reading and writing gsn2x YAML, and the failure semantics of GSN arguments."""

import io
import itertools
import json
import math
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import portfolios
from contracts._cli import main
from portfolios import gsn
from portfolios.errors import PortfolioError, UnknownIdError
from portfolios.strategies import portfolios as portfolio_strategy

ROOT = Path(__file__).resolve().parents[2]


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- reading


SHAPES = """\
module:
  name: Main
  brief: every shape
  extra: kept
G1:
  text: Top
  supportedBy: S1
  inContextOf: C1
  horizontalIndex:
    absolute: last
  owner: alice
S1:
  text: Over the parts
  supportedBy: [G2, Goal3]
  url: https://example.org
  classes: [red]
Goal3:
  nodeType: Goal
  text: Named without a prefix
  undeveloped: true
  p_fail: '0.25'
G2:
  supportedBy: [Sn1]
  acp:
    ACP1: Sn1
Sn1:
C1: {}
CG1:
  text: A challenge
  challenges: G2 -> Sn1
  supportedBy: CSn1
CSn1: {}
"""


def test_load_every_shape(tmp_path):
    arg = gsn.load(_write(tmp_path, "shapes.gsn.yaml", SHAPES))
    e = arg.elements
    assert e["G1"].supported_by == ("S1",)  # a scalar id
    assert e["G1"].in_context_of == ("C1",)
    assert e["S1"].supported_by == ("G2", "Goal3")  # a list
    assert e["Goal3"].type == "Goal"
    assert e["Goal3"].undeveloped
    assert e["Sn1"].type == "Solution"
    assert e["Sn1"].text == ""  # a null element
    assert e["CG1"].type == "CounterGoal"
    assert e["CG1"].challenges == ("G2", "Sn1")  # a challenged relation
    assert e["CSn1"].type == "CounterSolution"
    assert dict(e["G1"].layers) == {"owner": "alice"}  # horizontalIndex is gsn2x's, not a layer
    assert arg.title == "Main"
    assert arg.root == "G1"
    assert arg.roots == ("G1",)


def test_round_trip_keeps_unknown_keys(tmp_path):
    arg = gsn.load(_write(tmp_path, "shapes.gsn.yaml", SHAPES))
    out = tmp_path / "out" / "copy.gsn.yaml"
    gsn.dump(arg, out)
    again = gsn.load(out)
    assert again == arg
    data = yaml.safe_load(out.read_text())
    assert data["G1"]["owner"] == "alice"
    assert data["module"]["extra"] == "kept"
    assert data["G1"]["horizontalIndex"] == {"absolute": "last"}
    assert data["Sn1"] is None
    assert list(data) == list(yaml.safe_load(SHAPES))  # the order too


def test_dump_with_results_adds_layers_only(tmp_path):
    arg = gsn.load(_write(tmp_path, "shapes.gsn.yaml", SHAPES))
    out = tmp_path / "annotated.gsn.yaml"
    gsn.dump(arg, out, results={"G1": {"p_unsupported": 0.25}, "Sn1": {"note": "x"}})
    again = gsn.load(out)
    assert again != arg
    assert again.elements["G1"].layers["p_unsupported"] == "0.25"
    assert again.elements["Sn1"].layers["note"] == "x"
    assert again.elements["G1"].layers["owner"] == "alice"
    with pytest.raises(PortfolioError, match="layer name"):
        arg.with_layers({"G1": {"supportedBy": "x"}})


def test_modules_follow_uses(tmp_path):
    _write(
        tmp_path,
        "index.gsn.yaml",
        "module: {name: Main, uses: [sub/one.gsn.yaml]}\n"
        "G1: {text: top, supportedBy: [G2], inContextOf: A1}\n"
        "A1: {text: shared, p_fail: '0.1'}\n",
    )
    _write(
        tmp_path,
        "sub/one.gsn.yaml",
        "module: {name: One, uses: [two.gsn.yaml]}\nG2: {text: part, supportedBy: [Sn1]}\n",
    )
    _write(tmp_path, "sub/two.gsn.yaml", "module: {name: Two}\nSn1: {text: e, p_fail: '0.5'}\n")
    arg = gsn.load(tmp_path / "index.gsn.yaml")
    assert arg.modules == ("index.gsn.yaml", "sub/one.gsn.yaml", "sub/two.gsn.yaml")
    assert arg.elements["Sn1"].module == "sub/two.gsn.yaml"
    assert arg.p_unsupported() == pytest.approx(1 - 0.9 * 0.5, rel=1e-12)
    out = tmp_path / "copy" / "index.gsn.yaml"
    gsn.dump(arg, out)
    assert (tmp_path / "copy" / "sub" / "two.gsn.yaml").exists()
    assert gsn.load(out) == arg


def test_dump_never_replaces_a_module_silently(tmp_path):
    _write(
        tmp_path,
        "index.gsn.yaml",
        "module: {name: Main, uses: [sub/one.gsn.yaml]}\nG1: {text: top, supportedBy: [G2]}\n",
    )
    one = _write(tmp_path, "sub/one.gsn.yaml", "G2: {text: part, p_fail: '0.5'}\n")
    before = one.read_text()
    arg = gsn.load(tmp_path / "index.gsn.yaml")
    results = arg.annotations()
    # annotating into the source folder would replace sub/one.gsn.yaml with an annotated copy
    out = tmp_path / "annotated.gsn.yaml"
    with pytest.raises(PortfolioError, match=r"one\.gsn\.yaml.*exists and would be replaced"):
        gsn.dump(arg, out, results=results)
    assert one.read_text() == before
    assert not out.exists()  # nothing is written when one file is refused
    # the same text again is no replacement: writing a copy to the same place twice is fine
    copy = tmp_path / "copy" / "index.gsn.yaml"
    gsn.dump(arg, copy, results=results)
    gsn.dump(arg, copy, results=results)
    with pytest.raises(PortfolioError, match="exists and would be replaced"):
        gsn.dump(arg, copy)  # other content
    gsn.dump(arg, out, results=results, overwrite=True)
    assert gsn.load(out).elements["G2"].layers["p_unsupported"] == "0.5"
    assert one.read_text() != before
    # dumps returns one document: several modules are refused, pointing to dump
    with pytest.raises(PortfolioError, match=r"2 modules .*dump\(argument, path\)"):
        gsn.dumps(arg)
    single = gsn.parse({"G1": {"undeveloped": True, "p_fail": "0.1"}})
    assert gsn.parse(yaml.safe_load(gsn.dumps(single))) == single


def test_cli_annotate_refuses_to_replace_a_module(tmp_path, capsys):
    _write(tmp_path, "index.gsn.yaml", "module: {uses: [one.gsn.yaml]}\nG1: {supportedBy: G2}\n")
    _write(tmp_path, "one.gsn.yaml", "G2: {p_fail: '0.5'}\n")
    argv = ["gsn", "annotate", str(tmp_path / "index.gsn.yaml"), str(tmp_path / "a.gsn.yaml")]
    code, _ = _run(argv)
    assert code == 3
    assert "exists and would be replaced" in capsys.readouterr().err
    code, _ = _run([*argv, "--overwrite"])
    assert code == 0


def test_module_extends_develops_a_template(tmp_path):
    _write(
        tmp_path,
        "template.gsn.yaml",
        "module: {name: template, brief: a template}\n"
        "G0: {text: top, supportedBy: [G1, G4]}\n"
        "G1: {text: somebody else's, undeveloped: true}\n"
        "G4: {supportedBy: [Sn42]}\nSn42: {p_fail: '0.1'}\n",
    )
    path = _write(
        tmp_path,
        "instance.gsn.yaml",
        "module:\n  name: instance\n  uses: [template.gsn.yaml]\n"
        "  extends:\n  - module: template\n    develops:\n      G1: [G2]\n"
        "G2: {supportedBy: [Sn1]}\nSn1: {p_fail: '0.5'}\n",
    )
    arg = gsn.load(path)
    assert arg.elements["G1"].supported_by == ("G2",)
    assert arg.p_unsupported("G0") == pytest.approx(1 - 0.9 * 0.5, rel=1e-12)
    bad = _write(
        tmp_path,
        "bad.gsn.yaml",
        "module:\n  name: bad\n  uses: [template.gsn.yaml]\n"
        "  extends:\n  - module: template\n    develops:\n      G4: [G2]\n"
        "G2: {supportedBy: [Sn1]}\nSn1: {}\n",
    )
    with pytest.raises(PortfolioError, match="'G4' is not an undeveloped element"):
        gsn.load(bad)
    # as on gsn2x's command line: the instance and its template, without uses
    plain = _write(
        tmp_path,
        "plain.gsn.yaml",
        "module:\n  name: plain\n"
        "  extends:\n  - module: template\n    develops:\n      G1: [G2]\n"
        "G2: {supportedBy: [Sn1]}\nSn1: {p_fail: '0.5'}\n",
    )
    with pytest.raises(PortfolioError, match="not loaded"):
        gsn.load(plain)
    both = gsn.load(plain, tmp_path / "template.gsn.yaml")
    assert both.modules == ("plain.gsn.yaml", "template.gsn.yaml")
    assert both.p_unsupported("G0") == pytest.approx(1 - 0.9 * 0.5, rel=1e-12)


def _error_of(tmp_path, text, name="bad.gsn.yaml"):
    with pytest.raises(PortfolioError) as info:
        gsn.load(_write(tmp_path, name, text)).p_unsupported()
    return str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "G1: {supportedBy: [G9]}\n",
            "goal entry 'G1', field 'supportedBy': unknown element 'G9'",
        ),
        (
            "G1: {supportedBy: [C1]}\nC1: {}\n",
            "goal entry 'G1', field 'supportedBy': goal cannot be supported by the context 'C1'",
        ),
        (
            "G1: {supportedBy: G2}\nG2: {supportedBy: S1}\nS1: {supportedBy: G2}\n",
            "supportedBy forms a cycle: G2 -> S1 -> G2",
        ),
        (
            "G1: {supportedBy: 'Sn1, Sn2'}\nSn1: {}\nSn2: {}\n",
            "field 'supportedBy': 'Sn1, Sn2' is one string; write a list of ids in brackets",
        ),
        (
            "G1: {supportedBy: Sn1, inContextOf: A1}\nSn1: {}\nA1: {text: a}\n",
            "assumption entry 'A1', field 'p_fail': an assumption needs a p_fail layer",
        ),
        (
            "G1: {supportedBy: Sn1}\nSn1: {p_fail: often}\n",
            "solution entry 'Sn1', field 'p_fail': expected a probability",
        ),
        (
            "G1: {supportedBy: Sn1}\nSn1: {p_fail: '1.5'}\n",
            "solution entry 'Sn1', field 'p_fail': 1.5 is not a probability in [0, 1]",
        ),
        ("G1: {undeveloped: true}\n", "goal entry 'G1', field 'p_fail': an undeveloped goal needs"),
        (
            "G1: {undeveloped: true, supportedBy: Sn1, p_fail: '0.1'}\nSn1: {}\n",
            "field 'undeveloped': an undeveloped element has no supportedBy",
        ),
        ("X1: {text: x}\n", "element entry 'X1', field 'nodeType'"),
        (
            "G1: {supportedBy: Sn1, soundness_error: '0.1', legs: maybe}\nSn1: {}\n",
            "field 'legs'",
        ),
        (
            "G1: {supportedBy: Sn1, p_fail: '0.1'}\nSn1: {}\n",
            "field 'p_fail': a developed goal fails through its support",
        ),
        (
            "G1: {supportedBy: Sn1, inContextOf: A1}\nSn1: {}\nA1: {depends_on: W, holds: '0'}\n",
            "field 'depends_on': unknown latent variable 'W'",
        ),
        ("G1: !!python/object:object {}\n", "only plain YAML data is read"),
        ("G1: {text: a}\nG1: {text: b}\n", "G1"),
    ],
)
def test_bad_input_names_file_element_and_attribute(tmp_path, text, expected):
    message = _error_of(tmp_path, text)
    assert message.startswith(str(tmp_path / "bad.gsn.yaml"))
    assert expected in message


def test_module_errors(tmp_path):
    _write(tmp_path, "a.gsn.yaml", "module: {name: A, uses: [b.gsn.yaml]}\nG1: {supportedBy: G2}\n")
    _write(
        tmp_path, "b.gsn.yaml", "module: {name: B, uses: [a.gsn.yaml]}\nG2: {undeveloped: true}\n"
    )
    with pytest.raises(PortfolioError, match=r"module\.uses forms a circle"):
        gsn.load(tmp_path / "a.gsn.yaml")
    _write(tmp_path, "c.gsn.yaml", "module: {name: C, uses: [d.gsn.yaml]}\nG1: {supportedBy: G2}\n")
    _write(tmp_path, "d.gsn.yaml", "module: {name: D}\nG1: {undeveloped: true}\n")
    with pytest.raises(PortfolioError, match="defined in two modules"):
        gsn.load(tmp_path / "c.gsn.yaml")
    with pytest.raises(PortfolioError, match="load the argument with load"):
        gsn.parse({"module": {"name": "x", "uses": ["y.yaml"]}})


def test_unknown_node_and_unscored_elements():
    arg = gsn.parse(
        {
            "G1": {"supportedBy": ["G2", "G3"]},
            "G2": {"supportedBy": "Sn1", "defeated": True},
            "G3": {"undeveloped": True, "p_fail": "0.2"},
            "Sn1": {},
            "CG1": {"challenges": "G2", "supportedBy": "CSn1"},
            "CSn1": {},
        }
    )
    with pytest.raises(UnknownIdError):
        arg.p_unsupported("G9")
    with pytest.raises(PortfolioError, match="'G2' is defeated"):
        arg.p_unsupported("G2")
    with pytest.raises(PortfolioError, match="counter goal"):
        arg.p_unsupported("CG1")
    assert arg.p_unsupported() == pytest.approx(0.2, rel=1e-12)  # G2 removed, G3 remains
    assert arg.removed == ("G2 (defeated)",)


def test_defeated_relation_and_lost_support():
    arg = gsn.parse(
        {
            "G1": {"supportedBy": ["Sn1", "Sn2"], "defeatedRelation": "Sn1"},
            "Sn1": {"p_fail": "0.5"},
            "Sn2": {"p_fail": "0.1"},
            "G4": {"supportedBy": ["G5"]},
            "G5": {"undeveloped": True, "p_fail": "0.3", "defeated": True},
            "CG1": {"challenges": "G5"},
        }
    )
    assert arg.p_unsupported("G1") == pytest.approx(0.1, rel=1e-12)  # Sn1 no longer supports G1
    assert arg.p_unsupported("G4") == 1.0  # its only support was defeated
    assert "G1 -> Sn1 (defeated relation)" in arg.removed


def test_defeated_challenge_is_listed_and_changes_no_score():
    doc = {
        "G1": {"supportedBy": ["Sn1", "Sn2"]},
        "Sn1": {"p_fail": "0.5"},
        "Sn2": {"p_fail": "0.1"},
        "CG1": {"challenges": "G1 -> Sn1", "supportedBy": "CSn1"},
        "CSn1": {},
    }
    plain = gsn.parse(doc)
    doc["CG1"] = {**doc["CG1"], "defeatedRelation": "G1"}
    doc["CG2"] = {"challenges": "Sn2", "defeatedRelation": "Sn2"}
    arg = gsn.parse(doc)
    assert arg.removed == (
        "CG1 -> G1 (defeated challenge of G1 -> Sn1)",
        "CG2 -> Sn2 (defeated challenge of Sn2)",
    )
    # neither the challenges nor their defeat change G1: 1 - 1/2 * 9/10
    assert plain.p_unsupported() == arg.p_unsupported() == pytest.approx(0.55, rel=1e-12)
    assert "CG2 -> Sn2 (defeated challenge of Sn2)" in arg.score().to_text()


# --------------------------------------------------------------------------- worked examples


TWO_LEGS = {
    "G1": {"text": "safe", "supportedBy": ["S1"]},
    "S1": {"supportedBy": ["G2", "G3"], "legs": "independent", "soundness_error": "0.1"},
    "G2": {"supportedBy": "Sn1", "inContextOf": "A1"},
    "G3": {"supportedBy": "Sn2", "inContextOf": ["A1", "J1"]},
    "Sn1": {"p_fail": "0.2"},
    "Sn2": {"p_fail": "0.5"},
    "A1": {"p_fail": "0.1"},
    "J1": {},
}


def test_shared_assumption_between_two_legs_by_hand():
    arg = gsn.parse(TWO_LEGS)
    # G2 fails with 1 - 0.9 * 0.8 = 0.28, G3 with 1 - 0.9 * 0.5 = 0.55; together when A1 fails
    # or both solutions do: 1/10 + 9/10 * 1/10 = 19/100, not 0.28 * 0.55 = 77/500.
    d = arg.diversity("S1")
    assert d.p_all == pytest.approx(19 / 100, rel=1e-12)
    assert d.independent_product == pytest.approx(77 / 500, rel=1e-12)
    assert d.coincidence_ratio == pytest.approx(95 / 77, rel=1e-12)
    # the strategy joining them is unsound with 1/10: 1 - 9/10 * 81/100 = 271/1000
    assert arg.p_unsupported("S1") == pytest.approx(271 / 1000, rel=1e-12)
    assert arg.p_unsupported("G1") == pytest.approx(271 / 1000, rel=1e-12)
    assert arg.legs("S1") == ("G2", "G3")
    cuts = arg.minimal_cut_sets("G1")
    assert {c.labels for c in cuts} == {("A1",), ("soundness(S1)",), ("Sn1", "Sn2")}
    imp = arg.importance("G1")
    # Birnbaum of A1: P(G1 | A1) - P(G1 | not A1) = 1 - (1 - 9/10 * 9/10) = 81/100
    assert imp["A1"].birnbaum == pytest.approx(81 / 100, rel=1e-12)


def test_conjunctive_default_and_combine_any():
    doc = {
        "G1": {"supportedBy": ["Sn1", "Sn2"]},
        "Sn1": {"p_fail": "0.2"},
        "Sn2": {"p_fail": "0.5"},
    }
    assert gsn.parse(doc).p_unsupported() == pytest.approx(1 - 0.8 * 0.5, rel=1e-12)
    doc["G1"] = {**doc["G1"], "combine": "any"}
    assert gsn.parse(doc).p_unsupported() == pytest.approx(0.1, rel=1e-12)


def test_latent_dependence_by_hand():
    # A1 and A2 both fail more often when W fails: P(W) = 1/5; q_1 = (1/10, 1/2),
    # q_2 = (1/5, 3/5). Two legs, one on each: P(both) = 4/5 * 1/50 + 1/5 * 3/10 = 19/250.
    for where in ("module", "top"):
        latent = {"W": {"text": "the world is kind", "p_fail": "0.2"}}
        doc = {
            "G1": {"supportedBy": ["G2", "G3"], "legs": "independent"},
            "G2": {"supportedBy": "Sn1", "inContextOf": "A1"},
            "G3": {"supportedBy": "Sn2", "inContextOf": "A2"},
            "Sn1": {},
            "Sn2": {},
            "A1": {"depends_on": "W", "holds": "0.1", "fails": "0.5"},
            "A2": {"depends_on": "W", "holds": 0.2, "fails": 0.6},
        }
        doc = (
            {"module": {"name": "m", "latent": latent}, **doc}
            if where == "module"
            else {
                "latent": latent,
                **doc,
            }
        )
        arg = gsn.parse(doc)
        assert arg.p_unsupported() == pytest.approx(19 / 250, rel=1e-12)
        assert arg.to_portfolio().p_unprotected("G1") == pytest.approx(19 / 250, rel=1e-12)


def test_latent_side_file(tmp_path):
    _write(tmp_path, "latent.yaml", "W: {text: kind world, p_fail: '0.5'}\n")
    path = _write(
        tmp_path,
        "a.gsn.yaml",
        "module: {name: m, latent: latent.yaml}\n"
        "G1: {supportedBy: Sn1, inContextOf: A1}\nSn1: {}\n"
        "A1: {depends_on: W, holds: '0.2', fails: '0.6'}\n",
    )
    assert gsn.load(path).p_unsupported() == pytest.approx(0.5 * 0.2 + 0.5 * 0.6, rel=1e-12)


def test_latent_that_lowers_failure_is_exact():
    # holds > fails: no monotone decomposition, the tree uses a negation; still exact.
    doc = {
        "latent": {"W": {"p_fail": "0.5"}},
        "G1": {"supportedBy": ["Sn1"], "inContextOf": ["A1"]},
        "Sn1": {"p_fail": "0.5"},
        "A1": {"depends_on": "W", "holds": "0.4", "fails": "0.2"},
    }
    arg = gsn.parse(doc)
    assert arg.p_unsupported() == pytest.approx(1 - 0.5 * 0.7, rel=1e-12)


def test_intervals_and_distributions():
    doc = {
        "G1": {"supportedBy": ["G2", "G3"], "legs": "independent"},
        "G2": {"supportedBy": "Sn1", "inContextOf": "A1"},
        "G3": {"supportedBy": "Sn2", "inContextOf": "A1"},
        "Sn1": {"p_fail": "[0.1, 0.3]"},
        "Sn2": {"p_fail": "{beta: [1, 1]}"},
        "A1": {"p_fail": "0.1"},
    }
    arg = gsn.parse(doc)
    with pytest.raises(PortfolioError, match=r"field 'p_fail'.*interval"):
        arg.p_unsupported()
    b = arg.bounds()
    # 0.1 + 0.9 * s * 0.5 for s in [0.1, 0.3] (the beta counts as its mean, 1/2)
    assert (b.lower, b.upper) == pytest.approx((0.1 + 0.9 * 0.05, 0.1 + 0.9 * 0.15), rel=1e-12)
    assert dict(b.lower_at) == {"Sn1.p_fail": 0.1}
    assert b.tight
    # unknown dependence on the portfolio form: legs {A1, Sn1} and {A1, Sn2}; the programme
    # gives a + min(b, c, 1 - a) at the top end (portfolios.bounds), here 0.1 + 0.3
    u = arg.bounds(dependence="unknown")
    assert u.upper == pytest.approx(0.4, rel=1e-6)
    assert u.lower <= b.lower


def test_interval_latent_vertices():
    doc = {
        "latent": {"W": {"p_fail": "[0.1, 0.5]"}},
        "G1": {"supportedBy": "Sn1", "inContextOf": "A1"},
        "Sn1": {},
        "A1": {"depends_on": "W", "holds": "0.1", "fails": "0.9"},
    }
    b = gsn.parse(doc).bounds()
    assert (b.lower, b.upper) == pytest.approx((0.9 * 0.1 + 0.1 * 0.9, 0.5 * 0.1 + 0.5 * 0.9))


def test_no_portfolio_shape_is_refused():
    doc = {
        "G1": {"supportedBy": ["G2", "Sn3"], "legs": "independent"},
        "G2": {"supportedBy": ["Sn1", "Sn2"], "legs": "independent"},
        "Sn1": {"p_fail": "0.5"},
        "Sn2": {"p_fail": "0.5"},
        "Sn3": {"p_fail": "0.5"},
    }
    with pytest.raises(
        PortfolioError, match="no portfolio shape: the leg 'G2' of 'G1' has multi-legged"
    ):
        gsn.parse(doc).to_portfolio("G1")
    doc["G1"] = {"supportedBy": ["G2", "G4"]}
    doc["G4"] = {"supportedBy": ["Sn3", "Sn1"], "combine": "any"}
    with pytest.raises(PortfolioError, match="'G2' and 'G4' are both multi-legged"):
        gsn.parse(doc).to_portfolio("G1")


def test_to_portfolio_through_conjunctive_steps():
    # G1 -> S1 (soundness 0.1, context A2) -> legs: the head joins every case
    doc = {
        "G1": {"supportedBy": "S1", "inContextOf": "A2"},
        "S1": {"supportedBy": ["G2", "G3"], "legs": "independent", "soundness_error": "0.1"},
        "G2": {"undeveloped": True, "p_fail": "0.5"},
        "G3": {"undeveloped": True, "p_fail": "0.5"},
        "A2": {"p_fail": "0.2"},
    }
    arg = gsn.parse(doc)
    P = arg.to_portfolio("G1")
    assert P.covering_cases("G1") == ("G2", "G3")
    assert set(P.cases["G2"].assumptions) == {"S1.soundness", "A2", "G2.p_fail"}
    # 1 - 0.9 * 0.8 * (1 - 0.25)
    assert P.p_unprotected("G1") == pytest.approx(1 - 0.9 * 0.8 * 0.75, rel=1e-12)
    assert arg.p_unsupported("G1") == pytest.approx(1 - 0.9 * 0.8 * 0.75, rel=1e-12)


# --------------------------------------------------------------------------- brute force


def _brute_force(doc, node):
    """P(node unsupported) by the definition, summing over every basic event, in fractions."""
    latent = {w: Fraction(v["p_fail"]) for w, v in doc.get("latent", {}).items()}
    elements = {k: v for k, v in doc.items() if k != "latent"}
    units = []  # (key, element, attribute)
    for i, e in elements.items():
        if "soundness_error" in e:
            units.append(("s", i))
        if "p_fail" in e or "depends_on" in e:
            units.append(("p", i))

    def prob(unit, w_state):
        kind, i = unit
        e = elements[i]
        if kind == "s":
            return Fraction(e["soundness_error"])
        if "depends_on" in e:
            return Fraction(e["fails"] if w_state[e["depends_on"]] else e["holds"])
        return Fraction(e["p_fail"])

    def ids(value):
        return [] if value is None else [value] if isinstance(value, str) else value

    total = Fraction(0)
    names = list(latent)
    for w_bits in itertools.product((False, True), repeat=len(names)):
        w_state = dict(zip(names, w_bits, strict=True))
        w_weight = math.prod(
            ((latent[w] if b else 1 - latent[w]) for w, b in w_state.items()), start=Fraction(1)
        )
        probs = [prob(u, w_state) for u in units]
        for bits in itertools.product((False, True), repeat=len(units)):
            weight = w_weight * math.prod(
                (p if b else 1 - p) for p, b in zip(probs, bits, strict=True)
            )
            if weight == 0:
                continue
            failed = {u for u, b in zip(units, bits, strict=True) if b}
            memo = {}

            def fails(i, failed=failed, memo=memo):
                if i not in memo:
                    e = elements[i]
                    out = ("s", i) in failed or ("p", i) in failed
                    out = out or any(fails(c) for c in ids(e.get("inContextOf")))
                    children = ids(e.get("supportedBy"))
                    if children:
                        results = [fails(c) for c in children]
                        out = out or (all(results) if e.get("legs") else any(results))
                    memo[i] = out
                return memo[i]

            if fails(node):
                total += weight
    return total


_P = st.sampled_from(["0", "0.1", "0.25", "0.5", "0.75", "1"])


@st.composite
def small_arguments(draw):
    doc = {}
    n_latent = draw(st.integers(0, 1))
    if n_latent:
        doc["latent"] = {"W": {"p_fail": draw(_P)}}
    assumptions = [f"A{k}" for k in range(draw(st.integers(1, 3)))]
    for a in assumptions:
        if n_latent and draw(st.booleans()):
            doc[a] = {"depends_on": "W", "holds": draw(_P), "fails": draw(_P)}
        else:
            doc[a] = {"p_fail": draw(_P)}
    supporters = []
    for k in range(draw(st.integers(1, 3))):
        doc[f"Sn{k}"] = {"p_fail": draw(_P)}
        supporters.append(f"Sn{k}")
    for k in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["G", "S"]))
        node = {
            "supportedBy": draw(
                st.lists(st.sampled_from(supporters), min_size=1, max_size=3, unique=True)
            ),
        }
        context = draw(st.lists(st.sampled_from(assumptions), max_size=2, unique=True))
        if context:
            node["inContextOf"] = context
        if draw(st.booleans()):
            node["soundness_error"] = draw(_P)
        if draw(st.booleans()):
            node["legs"] = "independent"
        doc[f"{kind}{k}"] = node
        supporters.append(f"{kind}{k}")
    return doc, supporters[-1]


@settings(max_examples=40, deadline=None)
@given(small_arguments())
def test_p_unsupported_equals_brute_force(case):
    doc, top = case
    arg = gsn.parse(doc)
    expected = _brute_force(doc, top)
    assert arg.p_unsupported(top) == pytest.approx(float(expected), rel=1e-9, abs=1e-15)
    try:
        portfolio = arg.to_portfolio(top)
    except PortfolioError:
        return  # not every argument has the portfolio shape
    (scenario,) = portfolio.scenarios
    assert portfolio.p_unprotected(scenario) == pytest.approx(float(expected), rel=1e-9, abs=1e-15)


def _made_perfect(doc, label):
    """The document with the basic failure ``label`` (an id or soundness(ID)) set to 0."""
    doc = {k: dict(v) for k, v in doc.items()}
    if label.startswith("soundness("):
        doc[label[len("soundness(") : -1]]["soundness_error"] = "0"
    elif "depends_on" in doc[label]:
        doc[label].update(holds="0", fails="0")
    else:
        doc[label]["p_fail"] = "0"
    return doc


def test_most_load_bearing_by_hand():
    r = gsn.parse(TWO_LEGS).most_load_bearing("G1")
    # P = 271/1000; A1 perfect: 1 - 9/10 (1 - 1/10) = 19/100; Sn1 perfect: the legs fail
    # together only when A1 does, 19/100 again; so do Sn2 and soundness(S1): all tie at 81/1000
    assert set(r.names) == {"A1", "Sn1", "Sn2", "soundness(S1)"}
    assert r.tied_best == tuple(sorted(r.names))
    assert [float(d) for d in r.drop] == pytest.approx([81 / 1000] * 4, rel=1e-12)
    doc = {**TWO_LEGS, "Sn2": {"p_fail": "0.4"}}
    r = gsn.parse(doc).most_load_bearing("G1")
    # P = 1 - 9/10 (1 - (1/10 + 9/10 * 2/10 * 4/10)) = 2548/10000; A1 perfect: the legs fail
    # with 8/100, P = 1 - 9/10 * 92/100 = 172/1000, as with S1 sound; Sn2 perfect: 19/100
    assert set(r.tied_best) == {"A1", "soundness(S1)"}  # equal drops: no order between them
    assert r.as_dict()["A1"] == pytest.approx(2548 / 10000 - 172 / 1000, rel=1e-12)
    assert r.as_dict()["Sn2"] == pytest.approx(2548 / 10000 - 19 / 100, rel=1e-12)
    assert r.names[2:] == ("Sn1", "Sn2")  # tied too, by id
    # a goal is unsupported, not unprotected: the titles say so
    assert repr(r).startswith("Ranking('G1', P(unsupported)=0.2548")
    assert "What next for goal G1" in r._repr_html_()
    assert "P(unprotected)" not in repr(r) + r._repr_html_()


def test_rests_on_follows_support_and_context():
    arg = gsn.parse(TWO_LEGS)
    assert arg.rests_on() == arg.rests_on("G1")
    assert arg.rests_on("G1") == ("G1", "S1", "G2", "G3", "Sn1", "Sn2", "A1", "J1")
    assert arg.rests_on("G2") == ("G2", "Sn1", "A1")  # its solution and its context
    assert arg.rests_on("Sn1") == ("Sn1",)


@settings(max_examples=20, deadline=None)
@given(small_arguments())
def test_most_load_bearing_equals_brute_force(case):
    doc, top = case
    arg = gsn.parse(doc)
    r = arg.most_load_bearing(top)
    p_now = _brute_force(doc, top)
    assert r.p_unprotected == pytest.approx(float(p_now), rel=1e-9, abs=1e-15)
    for name, drop in r.as_dict().items():
        expected = p_now - _brute_force(_made_perfect(doc, name), top)
        assert drop == pytest.approx(float(expected), rel=1e-9, abs=1e-12)


@settings(max_examples=25, deadline=None)
@given(small_arguments())
def test_unknown_dependence_bounds_contain_the_independent_value(case):
    doc, top = case
    arg = gsn.parse(doc)
    p = arg.p_unsupported(top)
    b = arg.bounds(top, dependence="unknown")
    tol = 1e-9 * max(1.0, p)
    assert b.lower - tol <= p <= b.upper + tol
    f = arg._frechet_bounds(top)  # the gate-by-gate intervals hold for any shape
    assert f.lower - tol <= b.lower
    assert b.upper <= f.upper + tol


def test_frechet_by_hand_when_there_is_no_portfolio_shape():
    # G1 = Sn3 AND (Sn1 AND Sn2) with legs nested: no portfolio shape. Fréchet, each 0.5:
    # inner AND [0, 0.5], outer AND [max(0, 0.5 + 0 - 1), min(0.5, 0.5)] = [0, 0.5]
    doc = {
        "G1": {"supportedBy": ["G2", "Sn3"], "legs": "independent"},
        "G2": {"supportedBy": ["Sn1", "Sn2"], "legs": "independent"},
        "Sn1": {"p_fail": "0.5"},
        "Sn2": {"p_fail": "0.5"},
        "Sn3": {"p_fail": "0.5"},
    }
    b = gsn.parse(doc).bounds(dependence="unknown")
    assert (b.lower, b.upper, b.method, b.tight) == (0.0, 0.5, "frechet", False)
    with pytest.raises(PortfolioError, match="no portfolio shape"):
        gsn.parse(doc).bounds(dependence="unknown", method="lp")


@settings(max_examples=15, deadline=None)
@given(case=small_arguments())
def test_round_trip_property(case, tmp_path_factory):
    doc, _ = case
    arg = gsn.parse(doc)
    path = tmp_path_factory.mktemp("rt") / "a.gsn.yaml"
    gsn.dump(arg, path)
    assert gsn.load(path) == arg


# --------------------------------------------------------------------------- portfolios


def test_example_matches_the_portfolio():
    P = portfolios.load(portfolios.EXAMPLE_PATH)
    arg = gsn.load(ROOT / "examples" / "asl4.gsn.yaml")
    assert (ROOT / "examples" / "asl4.gsn.yaml").read_bytes() == gsn.EXAMPLE_PATH.read_bytes()
    for s in P.scenarios:
        assert arg.p_unsupported(f"G_{s}") == pytest.approx(P.p_unprotected(s), rel=1e-12)
        assert arg.legs(f"G_{s}") == tuple(f"G_{c}" for c in P.covering_cases(s))
    kinds = {e.type for e in arg.elements.values()}
    assert kinds == {"Goal", "Strategy", "Solution", "Assumption", "Context"}
    corr = P.correlation("weight_exfiltration")
    d = arg.diversity("G_weight_exfiltration")
    assert d.coincidence_ratio == pytest.approx(corr.coincidence_ratio, rel=1e-12)
    assert d.effective_legs == pytest.approx(corr.effective_cases, rel=1e-12)


def test_portfolio_to_gsn_round_trip(tmp_path):
    P = portfolios.load(portfolios.EXAMPLE_PATH)
    path = tmp_path / "asl4.gsn.yaml"
    P.to_gsn(path)
    arg = gsn.load(path)
    for s in P.scenarios:
        assert arg.p_unsupported(f"G_{s}") == pytest.approx(P.p_unprotected(s), rel=1e-12)
        back = arg.to_portfolio(f"G_{s}")
        assert back.p_unprotected(f"G_{s}") == pytest.approx(P.p_unprotected(s), rel=1e-12)
    assert arg.root == "G0"


def test_to_gsn_resolves_shared_parameters():
    P = portfolios.Portfolio.from_dict(
        {
            "parameters": {"q": 0.25},
            "assumptions": {"a": {"statement": "a", "p_fail": {"param": "q"}}},
            "cases": {
                "x": {"statement": "x", "assumptions": ["a"], "covers": ["s"]},
                "y": {"statement": "y", "soundness_error": {"param": "q"}, "covers": ["s"]},
            },
            "scenarios": {"s": {"statement": "s"}},
        }
    )
    doc = P.to_gsn()
    assert doc["A_a"]["p_fail"] == "0.25"
    assert doc["G_y"]["p_fail"] == "0.25"
    assert gsn.parse(doc).p_unsupported("G_s") == pytest.approx(1 / 16, rel=1e-12)


@settings(max_examples=20, deadline=None)
@given(portfolio_strategy())
def test_to_gsn_property(P):
    arg = gsn.parse(P.to_gsn())
    for s in P.scenarios:
        assert arg.p_unsupported(f"G_{s}") == pytest.approx(P.p_unprotected(s), rel=1e-9, abs=1e-15)


# --------------------------------------------------------------------------- command line


def _run(argv):
    out = io.StringIO()
    code = main(argv, out=out)
    return code, out.getvalue()


def test_cli_score_detects_gsn():
    code, text = _run(["portfolio", "score", str(ROOT / "examples" / "asl4.gsn.yaml")])
    assert code == 0
    assert "goal G0: P(unsupported)" in text
    assert "multi-legged G_weight_exfiltration" in text
    code, _ = _run(["portfolio", "score", str(gsn.EXAMPLE_PATH), "--check"])
    assert code == 4  # every scenario goal is over its max_risk
    code, text = _run(["portfolio", "score", str(gsn.EXAMPLE_PATH), "--format", "json"])
    assert code == 0
    assert '"format": "knightian.portfolios.gsn/1"' in text
    report = gsn.load(gsn.EXAMPLE_PATH).score()
    # G0 fails when any scenario is unprotected: every scenario's cases include the
    # interpretability sketch, the only case covering eval_sandbagging
    p = portfolios.load(portfolios.EXAMPLE_PATH).p_unprotected("eval_sandbagging")
    assert repr(report).startswith(f"ArgumentScore(asl4: P(unsupported) G0: {p:.4g}; 4 multi-")
    assert not report.all_within_tolerance


def test_cli_annotate(tmp_path, capsys):
    out = tmp_path / "annotated.gsn.yaml"
    code, text = _run(["gsn", "annotate", str(gsn.EXAMPLE_PATH), str(out)])
    assert code == 0
    assert text.startswith(f"wrote {out}")
    data = yaml.safe_load(out.read_text())
    P = portfolios.load(portfolios.EXAMPLE_PATH)
    p = P.p_unprotected("weight_exfiltration")
    assert data["G_weight_exfiltration"]["p_unsupported"] == f"{p:.6g}"
    assert "coincidence_ratio" in data["G_weight_exfiltration"]
    assert "birnbaum" in data["A_elicitation"]
    bad = _write(tmp_path, "bad.gsn.yaml", "G1: {supportedBy: [G9]}\n")
    code, _ = _run(["gsn", "annotate", str(bad), str(tmp_path / "x.yaml")])
    assert code == 3
    assert "goal entry 'G1', field 'supportedBy': unknown element 'G9'" in capsys.readouterr().err


def test_cli_gsn_score_and_input_flag(tmp_path):
    code, text = _run(["gsn", "score", str(gsn.EXAMPLE_PATH), "--format", "markdown"])
    assert code == 0
    assert text.startswith("# GSN safety case: asl4")
    assert "| G_weight_exfiltration | G_asl4_interpretability, G_asl4_control" in text
    # a GSN file under another name is detected by its content, or named with --input
    other = _write(tmp_path, "argument.yaml", gsn.EXAMPLE_PATH.read_text())
    code, text = _run(["portfolio", "score", str(other)])
    assert code == 0
    assert "goal G0: P(unsupported)" in text
    code, _ = _run(["portfolio", "score", str(other), "--input", "portfolio"])
    assert code == 3


def test_a_gsn_file_gets_the_portfolio_files_limits(tmp_path):
    # The same reader as portfolio files: /dev/zero is refused at once, a BOM is accepted.
    with pytest.raises(PortfolioError, match="MAX_FILE_BYTES"):
        gsn.load("/dev/zero")
    f = tmp_path / "bom.gsn.yaml"
    f.write_text("\ufeffG1:\n  text: top\n  undeveloped: true\n  p_fail: '0.1'\n", encoding="utf-8")
    assert "G1" in gsn.load(f).elements


def test_cli_importance_and_next_take_a_gsn_argument(tmp_path, capsys):
    path = _write(tmp_path, "two.gsn.yaml", yaml.safe_dump({**TWO_LEGS, "Sn2": {"p_fail": "0.4"}}))
    code, text = _run(["portfolio", "importance", str(path)])
    assert code == 0
    assert "goal G1: P(unsupported) 0.2548, 4 basic events, by birnbaum" in text
    code, text = _run(["portfolio", "importance", str(path), "--format", "json", "--by", "raw"])
    doc = json.loads(text)
    assert (doc["input"], doc["scenarios"][0]["id"]) == ("gsn", "G1")
    # RAW of A1 = 1 / P(G1) = 10000/2548 (A1 failing fails G1)
    rows = {e["label"]: e for e in doc["scenarios"][0]["events"]}
    assert rows["A1"]["raw"] == pytest.approx(10000 / 2548, rel=1e-12)
    code, text = _run(["portfolio", "next", str(path), "--scenario", "G1"])
    assert code == 0
    assert "best, tied (2): A1, soundness(S1)" in text
    assert "S1: 2 legs, P(all legs fail) 0.172" in text  # 1/10 + 9/10 * 8/100
    # a name that does not say GSN: detected by the content, or named with --input gsn
    other = _write(tmp_path, "argument.yaml", path.read_text())
    code, text = _run(["portfolio", "next", str(other), "--scenario", "G1", "--format", "json"])
    doc = json.loads(text)
    assert doc["shore_up"]["tied_best"] == ["A1", "soundness(S1)"]
    assert doc["shore_up"]["assumptions"][0]["drop"] == pytest.approx(0.0828, rel=1e-12)
    assert doc["legs"][0]["p_all"] == pytest.approx(0.172, rel=1e-12)
    code, _ = _run(["portfolio", "next", str(other), "--scenario", "G1", "--input", "gsn"])
    assert code == 0
    code, _ = _run(["portfolio", "importance", str(other), "--input", "portfolio"])
    assert code == 3
    capsys.readouterr()
    code, _ = _run(["portfolio", "next", str(path), "--scenario", "G9"])
    assert code == 3
    assert "unknown element 'G9'" in capsys.readouterr().err
    code, _ = _run(["portfolio", "importance", str(path), "--scenario", "A1"])
    assert code == 0  # any scored element may be named
