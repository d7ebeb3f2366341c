"""Importance measures: hand examples, recomputation with clamped entries, identities, #288."""

import copy
import math

import numpy as np
import pytest
from hypothesis import given, settings

from portfolios import Portfolio
from portfolios.importance import MEASURES
from portfolios.strategies import portfolio_dicts

TOL = 1e-12


def _portfolio(assumptions, cases):
    return Portfolio.from_dict(
        {
            "assumptions": {k: {"statement": k, "p_fail": v} for k, v in assumptions.items()},
            "cases": {
                k: {"statement": k, "assumptions": list(v), "covers": ["S"]}
                for k, v in cases.items()
            },
            "scenarios": {"S": {"statement": "s"}},
        }
    )


def test_hand_example_shared_assumption():
    # X rests on A, B; Y on A, C: U = A or (B and C), P(U) = 0.1 + 0.9 * 0.06 = 0.154.
    # Minimal cut sets {A} (0.1) and {B, C} (0.06).
    P = _portfolio({"A": 0.1, "B": 0.2, "C": 0.3}, {"X": "AB", "Y": "AC"})
    imp = P.importance("S")
    assert imp.p_top == pytest.approx(0.154, abs=TOL)
    assert imp.labels == ("A", "B", "C")
    a, b = imp["A"], imp["B"]
    # A: P(U | A) = 1, P(U | not A) = 0.06
    assert a.birnbaum == pytest.approx(0.94, abs=TOL)
    assert a.criticality == pytest.approx(0.94 * 0.1 / 0.154, abs=TOL)
    assert a.fussell_vesely == pytest.approx(0.1 / 0.154, abs=TOL)
    assert a.diagnostic == pytest.approx(0.1 / 0.154, abs=TOL)
    assert a.raw == pytest.approx(1 / 0.154, abs=TOL)
    assert a.rrw == pytest.approx(0.154 / 0.06, abs=TOL)
    # B: P(U | B) = 0.1 + 0.9 * 0.3 = 0.37, P(U | not B) = 0.1
    assert b.p_if_fails == pytest.approx(0.37, abs=TOL)
    assert b.birnbaum == pytest.approx(0.27, abs=TOL)
    assert b.criticality == pytest.approx(0.27 * 0.2 / 0.154, abs=TOL)
    assert b.fussell_vesely == pytest.approx(0.06 / 0.154, abs=TOL)
    assert b.diagnostic == pytest.approx(0.2 * 0.37 / 0.154, abs=TOL)
    assert b.rrw == pytest.approx(1.54, abs=TOL)


def test_rrw_is_infinite_for_an_event_in_every_cut_set():
    # SCRAM issue #288: X rests on A, Y on B and C: U = A and (B or C); A is in both minimal
    # cut sets {A, B}, {A, C}; shoring A up makes U impossible, so RRW(A) is infinite (SCRAM
    # reported a finite value). B is in one cut set only.
    P = _portfolio({"A": 0.1, "B": 0.2, "C": 0.3}, {"X": "A", "Y": "BC"})
    imp = P.importance("S")
    assert imp["A"].p_if_holds == 0.0
    assert imp["A"].rrw == math.inf
    assert math.isfinite(imp["B"].rrw)
    assert imp["A"].fussell_vesely == pytest.approx(1.0)
    assert imp.ranked("rrw")[0] == "A"


def test_latent_variable_hand_example(two_on_one_latent):
    # W fails w.p. 0.3; A: 0.1 / 0.5, B: 0.2 / 0.6 (holds / fails); U = A and B, P(U) = 0.104.
    P = two_on_one_latent(0.3, (0.1, 0.5), (0.2, 0.6))
    imp = P.importance("S")
    assert imp.labels == ("W", "A", "B")
    assert imp.kinds == ("latent", "assumption", "assumption")
    w, a = imp["W"], imp["A"]
    # W: P(U | W fails) = 0.3, P(U | W holds) = 0.02; P(W and U) = 0.3 * 0.3 = 0.09
    assert w.birnbaum == pytest.approx(0.28, abs=TOL)
    assert w.diagnostic == pytest.approx(0.09 / 0.104, abs=TOL)
    assert w.criticality == pytest.approx(0.3 * 0.28 / 0.104, abs=TOL)
    # A (clamped in every latent state): P(U | A := 1) = P(B) = 0.32, P(U | A := 0) = 0;
    # U implies A fails, so P(A | U) = 1 and A is critical whenever U occurs.
    assert a.probability == pytest.approx(0.22, abs=TOL)
    assert a.birnbaum == pytest.approx(0.32, abs=TOL)
    assert a.diagnostic == pytest.approx(1.0, abs=TOL)
    assert a.criticality == pytest.approx(1.0, abs=TOL)
    assert a.rrw == math.inf
    # the clamped RAW is not P(e) * RAW = P(e | U): the latent variable couples A and B
    assert a.probability * a.raw != pytest.approx(a.diagnostic, abs=1e-3)


def _clamp(d, kind, key, value):
    d = copy.deepcopy(d)
    if kind == "latent":
        d["latent"][key]["p_fail"] = value
    elif kind == "assumption":
        d["assumptions"][key]["p_fail"] = value
    else:
        d["cases"][key]["soundness_error"] = value
    return Portfolio.from_dict(d)


def _criticality_by_clamping(d, s, kind, key, p):
    """[P(e and U) - P(e and U with e held off)] / P(U), from clamped copies (enumerate)."""
    if kind == "assumption" and isinstance(d["assumptions"][key]["p_fail"], dict):
        ((latent, q),) = d["assumptions"][key]["p_fail"].items()
        p_w = d["latent"][latent]["p_fail"]
        total = 0.0
        for w, weight, q_w in ((1.0, p_w, q["fails"]), (0.0, 1 - p_w, q["holds"])):
            world = _clamp(d, "latent", latent, w).to_dict()
            for value, sign in ((1.0, 1.0), (0.0, -1.0)):
                u = _clamp(world, kind, key, value).p_unprotected(s, method="enumerate")
                total += sign * weight * q_w * u
        return total / p
    if kind == "latent":
        q_e = d["latent"][key]["p_fail"]
    elif kind == "assumption":
        q_e = d["assumptions"][key]["p_fail"]
    else:
        q_e = d["cases"][key]["soundness_error"]
    p1 = _clamp(d, kind, key, 1.0).p_unprotected(s, method="enumerate")
    p0 = _clamp(d, kind, key, 0.0).p_unprotected(s, method="enumerate")
    return q_e * (p1 - p0) / p


def test_criticality_is_signed_for_a_latent_variable_whose_failure_lowers_risk(
    two_on_one_latent,
):
    # issue 12, R10: W fails w.p. 0.5; A fails w.p. 0.9 when W holds, 0.1 when it fails; B
    # fails surely, so U = "A fails" (X rests on A, Y on B). P(U) = 0.5 * 0.9 + 0.5 * 0.1 = 0.5;
    # CI(W) = P(W) (P(U | W) - P(U | not W)) / P(U) = 0.5 * (0.1 - 0.9) / 0.5 = -0.8 (the
    # documented formula; it was clipped to 0).
    P = two_on_one_latent(0.5, (0.9, 0.1), (1.0, 1.0))
    imp = P.importance("S")
    assert imp.p_top == pytest.approx(0.5, abs=TOL)
    assert imp["W"].birnbaum == pytest.approx(-0.8, abs=TOL)
    assert imp["W"].criticality == pytest.approx(-0.8, abs=TOL)
    assert imp.ranked("criticality")[-1] == "W"


def _row_key(imp, i):
    label, kind = imp.labels[i], imp.kinds[i]
    return kind, label[len("soundness(") : -1] if kind == "soundness" else label


@settings(max_examples=40, deadline=None)
@given(portfolio_dicts(max_assumptions=4, max_cases=3, max_scenarios=1))
def test_raw_and_rrw_against_recomputation_with_the_entry_clamped(d):
    P = Portfolio.from_dict(d)
    for s in P.scenarios:
        imp = P.importance(s)
        p = P.p_unprotected(s, method="enumerate")
        assert imp.p_top == pytest.approx(p, abs=TOL)
        for i in range(len(imp)):
            kind, key = _row_key(imp, i)
            p1 = _clamp(d, kind, key, 1.0).p_unprotected(s, method="enumerate")
            p0 = _clamp(d, kind, key, 0.0).p_unprotected(s, method="enumerate")
            assert imp.p_if_fails[i] == pytest.approx(p1, abs=TOL)
            assert imp.p_if_holds[i] == pytest.approx(p0, abs=TOL)
            assert imp.birnbaum[i] == pytest.approx(p1 - p0, abs=TOL)
            if p > 0:
                assert imp.raw[i] == pytest.approx(p1 / p, rel=1e-9)
                assert imp.rrw[i] == (math.inf if p0 == 0 else pytest.approx(p / p0, rel=1e-9))
                crit = _criticality_by_clamping(d, s, kind, key, p)
                assert imp.criticality[i] == pytest.approx(crit, abs=1e-9)
                # signed: (p1 - p0) q / P with P = q p1 + (1 - q) p0 >= (1 - q)(p0 - p1), so
                # -q / (1 - q) <= criticality <= 1 (q the event's probability)
                q = imp.probability[i]
                low = -q / (1 - q) if q < 1 else -math.inf
                assert low - TOL <= imp.criticality[i] <= 1 + TOL
                assert 0 <= imp.diagnostic[i] <= 1 + TOL
            else:
                assert all(math.isnan(getattr(imp, m)[i]) for m in MEASURES[1:])


@settings(max_examples=40, deadline=None)
@given(portfolio_dicts(max_latent=0, max_assumptions=5, max_cases=3, max_scenarios=1))
def test_identities_for_independent_events(d):
    # Without latent variables every basic event is independent: P(e | U) = P(e) RAW,
    # CI = B P(e) / P(U), and CI <= FV <= P(e | U) (a critical occurring event lies in every
    # occurring minimal cut set; an occurring cut set containing e implies e and U).
    # RRW is infinite exactly when the event is in every minimal cut set.
    P = Portfolio.from_dict(d)
    for s in P.scenarios:
        imp = P.importance(s)
        if imp.p_top == 0.0:
            continue
        cuts = [set(c.labels) for c in P.minimal_cut_sets(s)]
        for r in imp:
            assert r.diagnostic == pytest.approx(r.probability * r.raw, abs=1e-9)
            assert r.criticality == pytest.approx(r.birnbaum * r.probability / imp.p_top, abs=1e-9)
            assert r.criticality <= r.fussell_vesely + 1e-9
            assert r.fussell_vesely <= r.diagnostic + 1e-9
            in_every = bool(cuts) and all(r.label in c for c in cuts)
            assert (r.rrw == math.inf) == in_every


def test_methods_give_the_same_importance():
    import portfolios

    P = portfolios.load(portfolios.EXAMPLE_PATH)
    a = P.importance("oversight_undermining")
    b = P.importance("oversight_undermining", method="bdd", fussell_vesely=False)
    assert a.labels == b.labels
    for m in ("birnbaum", "criticality", "diagnostic", "raw"):
        np.testing.assert_allclose(getattr(a, m), getattr(b, m), atol=1e-12)
    assert np.isnan(b.fussell_vesely).all()
    with pytest.raises(ValueError, match="montecarlo"):
        P.importance("oversight_undermining", method="montecarlo")


def test_result_object():
    P = _portfolio({"A": 0.1, "B": 0.2, "C": 0.3}, {"X": "AB", "Y": "AC"})
    imp = P.importance("S")
    assert imp.birnbaum.flags.writeable is False
    with pytest.raises(ValueError, match="read-only"):
        imp.raw[0] = 1.0
    with pytest.raises(KeyError, match="no basic event 'Z'"):
        imp["Z"]
    with pytest.raises(ValueError, match="unknown measure"):
        imp.ranked("magic")
    assert [r.label for r in imp] == ["A", "B", "C"]
    text = repr(imp)
    assert text.startswith("Importance('S', P(top)=0.154, 3 basic events")
    assert "RAW" in text and "RRW" in text
    assert imp.ranked("birnbaum") == ("A", "B", "C")  # 0.94, 0.27, 0.18
