"""The score, the report and the command line with interval probabilities and unknown dependence."""

import io
import json
import math

import pytest

from contracts._cli import main
from portfolios import Portfolio
from portfolios._cli import EXIT_OVER_RISK
from portfolios.io import load

TEXT = """\
title: two cases sharing an assumption
assumptions:
  A: {statement: a, p_fail: [0.15, 0.25]}
  B: {statement: b, p_fail: 0.3}
  C: {statement: c, p_fail: 0.4}
cases:
  X: {statement: x, assumptions: [A, B], covers: [S]}
  Y: {statement: y, assumptions: [A, C], covers: [S]}
  Z: {statement: z, assumptions: [C], covers: [T]}
scenarios:
  S: {statement: s, max_risk: 0.3}
  T: {statement: t, max_risk: 0.5}
"""


@pytest.fixture
def path(tmp_path):
    p = tmp_path / "intervals.yaml"
    p.write_text(TEXT)
    return p


def _run(argv):
    out = io.StringIO()
    code = main(argv, out=out)
    return code, out.getvalue()


def test_score_reports_the_interval_instead_of_a_point(path):
    P = load(path)
    score = P.score()
    s = score["S"]
    assert math.isnan(s.p_unprotected) and math.isnan(s.independent_product)
    assert s.coincidence_ratio is None and s.independent_cases is None
    # by hand: a + (1 - a) * 0.3 * 0.4 at a = 0.15 and a = 0.25
    assert (s.bounds.lower, s.bounds.upper) == pytest.approx((0.252, 0.34), rel=1e-14)
    assert (s.case_bounds["X"].lower, s.case_bounds["X"].upper) == pytest.approx((0.405, 0.475))
    assert s.within_tolerance is False  # the upper end 0.34 exceeds 0.3
    assert s.unknown_dependence is None
    t = score["T"]
    assert t.p_unprotected == 0.4 and t.bounds is None and t.within_tolerance
    assert "S: [0.252, 0.34]" in repr(score)
    text = score.to_text()
    assert "P(unprotected)           [0.252, 0.34]   max_risk 0.3: EXCEEDED at the upper bound" in (
        text
    )
    assert "X ([0.405, 0.475])" in text
    assert "order 1  p=-" in text
    doc = json.loads(score.to_json())
    row = doc["scenarios"][0]
    assert row["p_unprotected"] is None and row["case_failure"] == {"X": None, "Y": None}
    assert row["bounds"]["lower"] == pytest.approx(0.252) and row["bounds"]["method"] == "vertices"
    assert row["bounds"]["lower_at"] == {"A": 0.15} and row["bounds"]["upper_at"] == {"A": 0.25}
    assert row["case_bounds"]["X"] == pytest.approx([0.405, 0.475])
    assert row["cut_sets"]["sets"][0]["probability"] is None
    assert "| `S` | 2 | [0.252, 0.34] | 0.3: EXCEEDED at the upper bound |" in score.to_markdown()


def test_score_with_unknown_dependence(path):
    score = load(path).score(dependence="unknown")
    s = score["S"]
    # by hand (bounds.py): [a + max(0, (b - a) + (c - a) - (1 - a)), a + min(b, c, 1 - a)]
    assert (s.unknown_dependence.lower, s.unknown_dependence.upper) == pytest.approx(
        (0.15, 0.55), rel=1e-9
    )
    assert s.unknown_dependence.method == "lp" and s.unknown_dependence.tight
    assert s.cautious_interval == (s.unknown_dependence.lower, s.unknown_dependence.upper)
    assert score["T"].unknown_dependence.lower == pytest.approx(0.4)
    text = score.to_text()
    assert "unknown dependence       [0.15, 0.55]   (lp, tight)" in text
    md = score.to_markdown()
    assert "| unknown dependence |" in md and "[0.15, 0.55] (lp, tight)" in md
    doc = json.loads(score.to_json())
    assert doc["scenarios"][0]["unknown_dependence"]["upper"] == pytest.approx(0.55)
    frechet = load(path).score(dependence="unknown", method="frechet")["S"].unknown_dependence
    assert frechet.method == "frechet" and not frechet.tight
    with pytest.raises(ValueError, match="goes with dependence='unknown'"):
        load(path).score(method="lp")


def test_unknown_dependence_falls_back_to_frechet_past_the_programme_limits():
    data = {
        "assumptions": {f"A{i}": {"statement": "a", "p_fail": 0.1} for i in range(15)}
        | {"Z": {"statement": "z", "p_fail": 0.01}},
        "cases": {
            f"C{i}": {"statement": "c", "assumptions": [f"A{i}", "Z"], "covers": ["S"]}
            for i in range(15)
        },
        "scenarios": {"S": {"statement": "s", "max_risk": 0.05}},
    }
    s = Portfolio.from_dict(data).score(dependence="unknown", max_order=1)["S"]
    assert s.unknown_dependence.method == "frechet"
    assert s.within_tolerance is False  # its upper end, 0.11, is above 0.05
    assert s.p_unprotected <= 0.05  # while under independence it is within


def test_cli_dependence_and_check(path):
    code, text = _run(["portfolio", "score", str(path), "--dependence", "unknown"])
    assert code == 0
    assert "unknown dependence       [0.15, 0.55]" in text
    code, text = _run(["portfolio", "score", str(path), "--check"])
    assert code == EXIT_OVER_RISK
    code, text = _run(
        ["portfolio", "score", str(path), "--format", "json", "--dependence", "unknown"]
    )
    doc = json.loads(text)
    assert doc["scenarios"][1]["unknown_dependence"]["lower"] == pytest.approx(0.4)


def test_cli_point_file_with_unknown_dependence_can_fail_its_check(tmp_path):
    p = tmp_path / "points.yaml"
    p.write_text(TEXT.replace("[0.15, 0.25]", "0.2").replace("max_risk: 0.3", "max_risk: 0.4"))
    code, _ = _run(["portfolio", "score", str(p), "--check"])
    assert code == 0  # independent: 0.2 + 0.8 * 0.12 = 0.296 <= 0.4
    code, text = _run(["portfolio", "score", str(p), "--check", "--dependence", "unknown"])
    assert code == EXIT_OVER_RISK  # unknown dependence: up to 0.2 + 0.3 = 0.5 > 0.4
    assert "EXCEEDED at the upper bound" in text


def test_graph_of_an_interval_portfolio_has_nan_points_and_the_intervals(path, tmp_path):
    P = load(path)
    G = P.graph()
    assert math.isnan(G.nodes["A"]["p_fail"])
    assert (G.nodes["A"]["p_fail_lower"], G.nodes["A"]["p_fail_upper"]) == pytest.approx(
        (0.15, 0.25)
    )
    assert (G.nodes["X"]["p_fail_lower"], G.nodes["X"]["p_fail_upper"]) == pytest.approx(
        (0.405, 0.475)
    )
    assert G.nodes["Z"]["p_fail"] == pytest.approx(0.4)
    P.write_graphml(tmp_path / "p.graphml")  # every attribute is a plain number or string


@pytest.mark.parametrize(
    "analysis",
    [
        lambda P: P.importance("S"),
        lambda P: P.diversity("S"),
        lambda P: P.most_load_bearing("S"),
        lambda P: P.correlation("S"),
        lambda P: P.case_failure("X"),
    ],
    ids=["importance", "diversity", "most_load_bearing", "correlation", "case_failure"],
)
def test_point_analyses_refuse_an_interval_and_name_bounds(path, analysis):
    with pytest.raises(ValueError, match=r"interval probabilities.*bounds"):
        analysis(load(path))
