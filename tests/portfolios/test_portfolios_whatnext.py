"""best_addition and most_load_bearing: recomputation, monotonicity, bad candidates."""

import copy
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolios import Portfolio, PortfolioError
from portfolios.strategies import portfolio_dicts


@settings(max_examples=30, deadline=None)
@given(portfolio_dicts(max_cases=3), st.data())
def test_best_addition_matches_recomputation(d, data):
    P = Portfolio.from_dict(d)
    s = data.draw(st.sampled_from(list(P.scenarios)))
    names = list(d.get("assumptions", {}))
    candidates = {}
    for i in range(data.draw(st.integers(1, 3))):
        candidates[f"N{i}"] = {
            "statement": "new",
            "assumptions": data.draw(st.lists(st.sampled_from(names), unique=True))
            if names
            else [],
            "soundness_error": data.draw(st.sampled_from([0.0, 0.1, 0.5])),
        }
    r = P.best_addition(s, candidates)
    assert sorted(r.names) == sorted(candidates)
    assert list(r.drop) == sorted(r.drop, reverse=True)
    for name, after, drop in zip(r.names, r.p_after, r.drop, strict=True):
        d2 = copy.deepcopy(d)
        d2["cases"][name] = {**candidates[name], "covers": [s]}
        expected = Portfolio.from_dict(d2).p_unprotected(s, method="enumerate")
        assert after == pytest.approx(expected, abs=1e-12)
        assert drop >= 0.0  # adding a case never raises P(unprotected)
        assert drop == pytest.approx(r.p_unprotected - after, abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(portfolio_dicts(max_cases=3, max_scenarios=1))
def test_most_load_bearing_matches_importance(d):
    P = Portfolio.from_dict(d)
    for s in P.scenarios:
        r = P.most_load_bearing(s)
        imp = P.importance(s, fussell_vesely=False)
        assumptions = [
            lab for lab, k in zip(imp.labels, imp.kinds, strict=True) if k == "assumption"
        ]
        assert sorted(r.names) == sorted(assumptions)
        for name, drop in r.as_dict().items():
            row = imp[name]
            assert drop == pytest.approx(imp.p_top - row.p_if_holds, abs=1e-12)
            if imp.p_top > 0 and math.isfinite(row.rrw):
                assert drop == pytest.approx(imp.p_top * (1 - 1 / row.rrw), abs=1e-12)


def test_best_addition_prefers_disjoint_assumptions_and_new_assumptions():
    import portfolios

    P = portfolios.load(portfolios.EXAMPLE_PATH)
    s = "weight_exfiltration"
    r = P.best_addition(
        s,
        {
            "more_control": {
                "statement": "another control evaluation",
                "assumptions": ["elicitation", "trusted_models", "control_transfer"],
            },
            "formal_proof": {
                "statement": "a formal verification of the sandbox",
                "assumptions": ["sandbox_spec_right"],
                "soundness_error": 0.1,
            },
        },
        assumptions={"sandbox_spec_right": {"statement": "the spec is right", "p_fail": 0.2}},
    )
    assert r.best == "formal_proof"
    # independent new case: P(U) falls by the factor P(new case fails) = 1 - 0.8 * 0.9
    assert r.p_after[0] == pytest.approx(P.p_unprotected(s) * (1 - 0.8 * 0.9), rel=1e-12)
    assert "candidate case" in repr(r)


def test_tied_best_lists_every_option_as_good_as_the_best():
    from portfolios import Portfolio

    # U = A or (B and C): shoring up B or C drops P(U) from 0.1 + 0.9 * 0.06 to 0.1 (both
    # by 0.054); shoring up A drops it to 0.06 (by 0.094), so A alone is best.
    d = {
        "assumptions": {
            "A": {"statement": "a", "p_fail": 0.1},
            "B": {"statement": "b", "p_fail": 0.2},
            "C": {"statement": "c", "p_fail": 0.3},
        },
        "cases": {
            "X": {"statement": "x", "assumptions": ["A", "B"], "covers": ["S"]},
            "Y": {"statement": "y", "assumptions": ["A", "C"], "covers": ["S"]},
        },
        "scenarios": {"S": {"statement": "s"}},
    }
    r = Portfolio.from_dict(d).most_load_bearing("S")
    assert r.best == "A" and r.tied_best == ("A",)
    # Make A as harmless as B and C (p_fail 0): then nothing is load-bearing beyond B and C's tie.
    d["assumptions"]["A"]["p_fail"] = 0.0
    r = Portfolio.from_dict(d).most_load_bearing("S")
    assert r.drop[0] == pytest.approx(0.06, abs=1e-15)
    assert set(r.tied_best) == {"B", "C"} and r.best in r.tied_best


def test_bad_candidates_are_refused():
    import portfolios

    P = portfolios.load(portfolios.EXAMPLE_PATH)
    s = "weight_exfiltration"
    with pytest.raises(PortfolioError, match=r"cases entry 'x', field 'assumptions'.*unknown"):
        P.best_addition(s, {"x": {"statement": "x", "assumptions": ["nope"]}})
    with pytest.raises(PortfolioError, match=r"entry 'x'.*missing required field"):
        P.best_addition(s, {"x": {"assumptions": ["elicitation"]}})
    with pytest.raises(ValueError, match="already a case"):
        P.best_addition(s, {"debate": {"statement": "again"}})
    with pytest.raises(TypeError, match="non-empty mapping"):
        P.best_addition(s, {})
    with pytest.raises(ValueError, match="already exists"):
        P.best_addition(
            s,
            {"x": {"statement": "x"}},
            assumptions={"elicitation": {"statement": "e", "p_fail": 0.1}},
        )
    with pytest.raises(ValueError, match="montecarlo"):
        P.most_load_bearing(s, method="montecarlo")


def test_bad_new_assumptions_are_named_like_entries_of_a_file():
    """A new assumption that is not a mapping gave a bare TypeError or ValueError from dict()."""
    import portfolios
    from portfolios import PortfolioTypeError

    P = portfolios.load(portfolios.EXAMPLE_PATH)
    s, cand = "weight_exfiltration", {"x": {"statement": "x"}}
    for bad in (3, "abc"):
        with pytest.raises(PortfolioError, match=r"^<candidates>: assumptions entry 'Z': an entry"):
            P.best_addition(s, cand, assumptions={"Z": bad})
    with pytest.raises(PortfolioTypeError, match="assumptions must be a mapping"):
        P.best_addition(s, cand, assumptions=[("Z", {})])
    # the first problem in file order is reported: the new assumption's missing p_fail is a
    # shape problem, found before the candidate's bad value
    with pytest.raises(PortfolioError, match="assumptions entry 'Z', field 'p_fail': missing"):
        P.best_addition(
            s,
            {"x": {"statement": "x", "soundness_error": 2}},
            assumptions={"Z": {"statement": "z"}},
        )


def test_the_functions_take_the_entries_and_the_structure():
    from portfolios.whatnext import best_addition, most_load_bearing

    P = Portfolio.from_dict(
        {
            "assumptions": {
                "A": {"statement": "a", "p_fail": 0.2},
                "B": {"statement": "b", "p_fail": 0.3},
            },
            "cases": {"X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]}},
            "scenarios": {"S": {"statement": "s"}},
        }
    )
    cand = {"other": {"statement": "o", "assumptions": ["B", "C"]}}
    new = {"C": {"statement": "c", "p_fail": 0.5}}
    r = best_addition(P.entries, "S", cand, assumptions=new)  # compiles the structure itself
    assert r.as_dict() == P.best_addition("S", cand, assumptions=new).as_dict()
    assert r.p_after[0] == pytest.approx(0.2 * (1 - 0.7 * 0.5))  # X fails and the new case fails
    assert most_load_bearing(P.structure, "S").as_dict() == pytest.approx({"A": 0.2})


@pytest.mark.parametrize("scale", [1.0, 1e-7, 1e-14])
def test_rankings_at_safety_target_magnitudes_are_not_all_tied(scale):
    # issue 12, R9: U = A or (B and C) with p_A = 1e-14, p_B = 0.5, p_C = 4e-14 (times scale):
    # P(U) ~ 3e-14 scale. Shoring up B or C drops P(U) by P(U) - p_A (the same for both);
    # shoring up A by P(U) - P(B and C) = p_A (1 - p_B p_C). An absolute tie tolerance of 1e-12
    # called all three tied.
    from fractions import Fraction as F

    from portfolios import Portfolio

    pa, pb, pc = 1e-14 * scale, 0.5, 4e-14 * scale
    d = {
        "assumptions": {
            "A": {"statement": "a", "p_fail": pa},
            "B": {"statement": "b", "p_fail": pb},
            "C": {"statement": "c", "p_fail": pc},
        },
        "cases": {
            "X": {"statement": "x", "assumptions": ["A", "B"], "covers": ["S"]},
            "Y": {"statement": "y", "assumptions": ["A", "C"], "covers": ["S"]},
        },
        "scenarios": {"S": {"statement": "s"}},
    }
    r = Portfolio.from_dict(d).most_load_bearing("S")
    a, b, c = F(pa), F(pb), F(pc)
    p_u = a + (1 - a) * b * c
    exact = {"A": p_u - b * c, "B": p_u - a, "C": p_u - a}
    assert r.names == ("B", "C", "A")
    assert set(r.tied_best) == {"B", "C"}
    for name, drop in r.as_dict().items():
        assert drop == pytest.approx(float(exact[name]), rel=1e-12)
