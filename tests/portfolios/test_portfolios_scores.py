"""Correlation scores, the report object and its renderings."""

import dataclasses
import json
import math
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import portfolios
from portfolios import Portfolio, PortfolioScore, ScenarioScore
from portfolios.report import FORMAT
from portfolios.scores import coincidence_ratio, effective_cases, independent_cases
from portfolios.strategies import probabilities

SHARED = {
    "assumptions": {
        "A": {"statement": "a", "p_fail": 0.1},
        "B": {"statement": "b", "p_fail": 0.2},
        "C": {"statement": "c", "p_fail": 0.3},
    },
    "cases": {
        "X": {"statement": "x", "assumptions": ["A", "B"], "covers": ["S", "T"]},
        "Y": {"statement": "y", "assumptions": ["A", "C"], "covers": ["S"]},
    },
    "scenarios": {"S": {"statement": "s", "max_risk": 0.1}, "T": {"statement": "t"}},
}


def test_correlation_worked_example():
    # P(U) = 154/1000, P(X) = 28/100, P(Y) = 37/100: ratio = 154/1000 / (1036/10000) = 385/259,
    # n_eff = log(0.154) / log(sqrt(0.1036)) = 2 log(0.154) / log(0.1036).
    corr = Portfolio.from_dict(SHARED).correlation("S")
    assert corr.covering_cases == ("X", "Y")
    assert corr.independent_product == pytest.approx(float(F(28, 100) * F(37, 100)))
    assert corr.coincidence_ratio == pytest.approx(float(F(385, 259)), rel=1e-12)
    assert corr.independent_cases == pytest.approx(
        2 * math.log(0.154) / math.log(0.1036), rel=1e-12
    )
    assert not corr.single_case
    assert corr.effective_cases == corr.independent_cases  # the deprecated name


def test_scores_at_the_limits():
    assert coincidence_ratio(0.25, [0.5, 0.5]) == 1.0
    assert independent_cases(0.25, [0.5, 0.5]) == pytest.approx(2.0)
    assert effective_cases is independent_cases  # the deprecated name
    assert independent_cases(0.5, [0.5, 0.5]) == pytest.approx(1.0)
    assert coincidence_ratio(0.0, [0.5, 0.5]) == 0.0  # below 1, not clipped
    assert independent_cases(0.0, [0.5, 0.5]) == math.inf
    assert coincidence_ratio(0.0, [0.0, 0.5]) is None
    assert independent_cases(0.0, [0.0, 0.5]) is None
    assert independent_cases(1.0, [1.0, 1.0]) is None


def test_negative_association_gives_ratio_below_one(two_on_one_latent):
    # A fails only when W fails (prob 1/2), B mostly when W holds: P(both) = 1/2 * 1 * 1/10
    # = 1/20; P(A) = 1/2, P(B) = 1/2 * 9/10 + 1/2 * 1/10 = 1/2: ratio 1/5, n_eff > 2.
    P = two_on_one_latent(0.5, (0.0, 1.0), (0.9, 0.1))
    corr = P.correlation("S")
    assert corr.coincidence_ratio == pytest.approx(0.2)
    assert corr.independent_cases == pytest.approx(math.log(0.05) / math.log(0.5))
    assert corr.independent_cases > 2


@settings(max_examples=40)
@given(st.lists(probabilities().filter(lambda p: 1e-50 < p < 1), min_size=1, max_size=5))
def test_independent_cases_give_ratio_one_and_their_count(qs):
    # Disjoint assumption sets and no latent variables: the cases fail independently.
    # (Probabilities above 1e-50 keep P(all fail) clear of floating-point underflow.)
    d = {
        "assumptions": {f"A{i}": {"statement": "a", "p_fail": q} for i, q in enumerate(qs)},
        "cases": {
            f"C{i}": {"statement": "c", "assumptions": [f"A{i}"], "covers": ["S"]}
            for i in range(len(qs))
        },
        "scenarios": {"S": {"statement": "s"}},
    }
    corr = Portfolio.from_dict(d).correlation("S")
    assert corr.coincidence_ratio == pytest.approx(1.0, rel=1e-9)
    assert corr.independent_cases == pytest.approx(len(qs), rel=1e-9)
    assert corr.single_case == (len(qs) == 1)


def test_score_object():
    score = Portfolio.from_dict(SHARED).score()
    assert isinstance(score, PortfolioScore)
    assert list(score) == ["S", "T"]
    s = score["S"]
    assert isinstance(s, ScenarioScore)
    assert s.p_unprotected == pytest.approx(0.154)
    assert s.max_risk == 0.1
    assert s.within_tolerance is False
    assert score["T"].within_tolerance is None
    assert score["T"].single_case
    assert not score.all_within_tolerance
    assert [c.labels for c in s.cut_sets][:2] == [("A",), ("B", "C")]
    assert "ScenarioScore('S', p_unprotected=0.154" in repr(s)
    assert "PortfolioScore(" in repr(score)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.p_unprotected = 0.0
    with pytest.raises(TypeError):
        s.case_failure["X"] = 0.0
    with pytest.raises(TypeError):
        score.scenarios["S"] = s


def test_score_is_a_mapping():
    from collections.abc import Mapping

    score = Portfolio.from_dict(SHARED).score()
    assert isinstance(score, Mapping)
    assert list(score.keys()) == ["S", "T"]
    assert [k for k, _ in score.items()] == ["S", "T"]
    assert [v.scenario for v in score.values()] == ["S", "T"]
    assert "S" in score and "X" not in score
    assert score.get("X") is None
    assert dict(score)["S"] is score["S"]
    with pytest.raises(TypeError):
        score["S"] = score["S"]  # type: ignore[index]


def test_score_reports_the_minimum_order_beyond_the_limit():
    # Three cases with disjoint assumptions: every cut set has order 3.
    d = {
        "assumptions": {f"A{i}": {"statement": "a", "p_fail": 0.5} for i in range(3)},
        "cases": {
            f"C{i}": {"statement": "c", "assumptions": [f"A{i}"], "covers": ["S"]} for i in range(3)
        },
        "scenarios": {"S": {"statement": "s"}},
    }
    cuts = Portfolio.from_dict(d).score(max_order=1)["S"].cut_sets
    assert cuts.min_order == 3
    assert cuts.max_order == 3


def test_renderings():
    score = Portfolio.from_dict(SHARED).score()
    text = score.to_text()
    assert "scenario S" in text
    assert "P(unprotected)           0.154   max_risk 0.1: EXCEEDED" in text
    assert "coincidence ratio        1.486" in text
    assert "WARNING: a single case covers this scenario" in text
    assert "single points of failure A" in text
    md = score.to_markdown()
    assert md.startswith("# Safety-case portfolio: <dict>")
    assert "| `S` | 2 | 0.154 | 0.1: EXCEEDED | 0.1036 | 1.486 |" in md
    assert "| 1 | 0.1 | `A` |" in md
    doc = json.loads(score.to_json())
    assert doc["format"] == FORMAT
    (s, t) = doc["scenarios"]
    assert s["id"] == "S"
    assert s["p_unprotected"] == pytest.approx(0.154)
    assert s["case_failure"] == pytest.approx({"X": 0.28, "Y": 0.37})
    assert s["cut_sets"]["single_points_of_failure"] == ["A"]
    assert s["cut_sets"]["sets"][0] == {"events": ["A"], "order": 1, "probability": 0.1}
    assert t["single_case"] is True
    assert score.to_dict() == doc


def test_json_writes_infinity_as_a_string(two_on_one_latent):
    P = two_on_one_latent(0.5, (0.0, 1.0), (1.0, 0.0))
    doc = json.loads(P.score().to_json())
    assert doc["scenarios"][0]["independent_cases"] == "inf"
    assert doc["scenarios"][0]["coincidence_ratio"] == 0.0
    assert "independent cases        inf of 2" in P.score().to_text()


def test_example_portfolio_shows_lined_up_holes():
    P = portfolios.load(portfolios.EXAMPLE_PATH)
    score = P.score()
    for s in ("internal_rnd_sabotage", "weight_exfiltration", "oversight_undermining"):
        assert score[s].coincidence_ratio > 1
        assert score[s].independent_cases < len(score[s].covering_cases)
    assert score["eval_sandbagging"].single_case
    spof = {e.label for e in score["weight_exfiltration"].cut_sets.single_points_of_failure}
    # elicitation depends on a latent variable: its failure on its own is the point of failure
    assert spof == {"elicitation|alone", "trusted_models"}


def test_the_score_functions_take_the_entries_and_the_structure():
    from portfolios.scores import correlation, portfolio_score

    P = portfolios.load(portfolios.EXAMPLE_PATH)
    alone = portfolio_score(P.entries, max_order=2)  # compiles the structure itself
    assert alone.to_json() == P.score(max_order=2).to_json()
    c = correlation(P.structure, "weight_exfiltration")
    assert c == P.correlation("weight_exfiltration")
    assert c.p_unprotected == P.p_unprotected("weight_exfiltration")
