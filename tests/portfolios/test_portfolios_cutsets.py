"""Minimal cut sets: brute-force minimal failing sets, worked examples, invariants."""

import copy
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolios import Event, Portfolio
from portfolios.model import Conditional
from portfolios.strategies import portfolio_dicts

SMALL = {"max_latent": 2, "max_assumptions": 4, "max_cases": 3, "max_scenarios": 1}
LATENT = {**SMALL, "min_latent": 1, "min_assumptions": 2}


def _decomposed_events(P):
    """The basic events of the cut-set model, written from the portfolio's entries.

    Independent of portfolios.structure: each assumption a conditional on W with
    P(fail | W holds) = h < f = P(fail | W fails) fails as X_a or (W and Y_a), with
    P(Y_a) = (f - h) / (1 - h); when f = 1 the second term is W alone; when f <= h it is X_a
    alone with a latent-dependent probability.
    """
    events = {}  # label -> (latent or None, p if holds, p if fails)
    formula = {}  # assumption -> list of terms (tuples of labels) for its own failure
    for a, entry in P.assumptions.items():
        p = entry.p_fail
        if not isinstance(p, Conditional):
            events[a] = (None, p, p)
            formula[a] = [(a,)]
        elif p.fails <= p.holds:
            events[a] = (p.latent, p.holds, p.fails)
            formula[a] = [(a,)]
        else:
            # X_a, "a fails on its own", is not the event "a fails": it has its own label
            alone = f"{a}|alone"
            events[alone] = (None, p.holds, p.holds)
            events[p.latent] = (p.latent, 0.0, 1.0)
            if p.fails == 1.0:
                formula[a] = [(alone,), (p.latent,)]
            else:
                y = (p.fails - p.holds) / (1 - p.holds)
                events[f"{a}|{p.latent}"] = (None, y, y)
                formula[a] = [(alone,), (p.latent, f"{a}|{p.latent}")]
    for c, case in P.cases.items():
        events[f"soundness({c})"] = (None, case.soundness_error, case.soundness_error)
    # Events that cannot occur are left out (the test evaluates them as never occurring).
    for x, (_, h, f) in list(events.items()):
        if (x in P.latent and P.latent[x].p_fail == 0.0) or (x not in P.latent and h == f == 0.0):
            del events[x]
    return events, formula


def _evaluate(P, formula, state, scenario):
    """Is the scenario unprotected when exactly the events with state[label] True occur?"""
    memo = {}

    def assumption(a):
        if ("a", a) not in memo:
            own = any(all(state.get(x, False) for x in term) for term in formula[a])
            memo["a", a] = own or any(assumption(r) for r in P.assumptions[a].requires)
        return memo["a", a]

    def case(c):
        if ("c", c) not in memo:
            entry = P.cases[c]
            memo["c", c] = (
                state.get(f"soundness({c})", False)
                or any(assumption(a) for a in entry.assumptions)
                or any(case(o) for o in entry.rests_on)
            )
        return memo["c", c]

    return all(case(c) for c in P.covering_cases(scenario))


def _brute_force_minimal_failing_sets(P, scenario):
    events, formula = _decomposed_events(P)
    labels = sorted(events)
    failing = []
    for r in range(len(labels) + 1):
        for subset in itertools.combinations(labels, r):
            chosen = set(subset)
            if any(f <= chosen for f in failing):
                continue  # a superset of a failing set: not minimal
            state = {x: x in chosen for x in labels}
            if _evaluate(P, formula, state, scenario):
                failing.append(frozenset(chosen))
    return set(failing), events, formula, labels


@settings(max_examples=40)
@given(st.one_of(portfolio_dicts(**SMALL), portfolio_dicts(**LATENT)))
def test_cut_sets_equal_brute_force_minimal_failing_sets(d):
    P = Portfolio.from_dict(d)
    for s in P.scenarios:
        expected, events, _, _ = _brute_force_minimal_failing_sets(P, s)
        cuts = P.minimal_cut_sets(s)
        assert {frozenset(c.labels) for c in cuts} == expected
        for c in cuts:
            assert c.probability == pytest.approx(_joint(P, events, c.labels), abs=1e-12)


def _joint(P, events, labels):
    """P(all these events occur): a sum over the latent states, from the test's own table."""
    latent = sorted(P.latent)
    total = 0.0
    for w in itertools.product([False, True], repeat=len(latent)):
        failed = dict(zip(latent, w, strict=True))
        weight = np.prod(
            [P.latent[j].p_fail if failed[j] else 1 - P.latent[j].p_fail for j in latent]
        )
        for x in labels:
            j, h, f = events[x]
            weight *= f if (j is not None and failed[j]) else h
        total += weight
    return total


@settings(max_examples=30)
@given(portfolio_dicts(**LATENT))
def test_cut_set_model_has_the_same_probability(d):
    # Enumerate the decomposed events (independent given the latent states) and compare
    # P(unprotected) with the exact method on the probability model.
    P = Portfolio.from_dict(d)
    events, formula = _decomposed_events(P)
    labels = sorted(events)
    latent = sorted(P.latent)
    for s in P.scenarios:
        total = 0.0
        for w in itertools.product([False, True], repeat=len(latent)):
            failed = dict(zip(latent, w, strict=True))
            pw = np.prod(
                [P.latent[j].p_fail if failed[j] else 1 - P.latent[j].p_fail for j in latent]
            )
            probs = {}
            for x in labels:
                j, h, f = events[x]
                probs[x] = f if (j is not None and failed[j]) else h
                if x in P.latent:
                    probs[x] = 1.0 if failed[x] else 0.0
            for bits in itertools.product([False, True], repeat=len(labels)):
                state = dict(zip(labels, bits, strict=True))
                weight = pw * np.prod([probs[x] if state[x] else 1 - probs[x] for x in labels])
                if weight and _evaluate(P, formula, state, s):
                    total += weight
        assert total == pytest.approx(P.p_unprotected(s), abs=1e-12)


@settings(max_examples=40)
@given(portfolio_dicts(), st.data())
def test_assumption_shared_by_every_covering_case_is_an_order_one_cut_set(d, data):
    d = copy.deepcopy(d)
    d.setdefault("assumptions", {})["SHARED"] = {
        "statement": "shared",
        "p_fail": data.draw(st.floats(0.001, 1)),  # an event of probability 0 cannot occur
    }
    for case in d["cases"].values():
        if "S0" in case["covers"]:
            case.setdefault("assumptions", []).append("SHARED")
    P = Portfolio.from_dict(d)
    cuts = P.minimal_cut_sets("S0")
    assert Event("assumption", "SHARED") in cuts.single_points_of_failure
    assert cuts.min_order == 1
    assert cuts[0].order == 1


@settings(max_examples=40)
@given(portfolio_dicts(), st.integers(1, 3))
def test_order_limit_lists_exactly_the_small_cut_sets(d, limit):
    P = Portfolio.from_dict(d)
    for s in P.scenarios:
        everything = P.minimal_cut_sets(s)
        small = P.minimal_cut_sets(s, max_order=limit)
        assert [c.labels for c in small] == [c.labels for c in everything if c.order <= limit]


@settings(max_examples=40)
@given(portfolio_dicts())
def test_cut_sets_sorted_and_bound_the_probability(d):
    P = Portfolio.from_dict(d)
    for s in P.scenarios:
        cuts = P.minimal_cut_sets(s)
        keys = [(c.order, -c.probability) for c in cuts]
        assert keys == sorted(keys)
        # The scenario is unprotected iff some cut set occurs: P(U) <= sum of P(cut set).
        assert P.p_unprotected(s) <= sum(c.probability for c in cuts) + 1e-12


def test_worked_example_shared_assumption():
    # X rests on {A, B}, Y on {A, C}: cut sets {A} (p = 0.1) and {B, C} (p = 0.2 * 0.3),
    # plus those through the soundness errors.
    P = Portfolio.from_dict(
        {
            "assumptions": {
                "A": {"statement": "a", "p_fail": 0.1},
                "B": {"statement": "b", "p_fail": 0.2},
                "C": {"statement": "c", "p_fail": 0.3},
            },
            "cases": {
                "X": {"statement": "x", "assumptions": ["A", "B"], "covers": ["S"]},
                "Y": {
                    "statement": "y",
                    "assumptions": ["A", "C"],
                    "soundness_error": 0.05,
                    "covers": ["S"],
                },
            },
            "scenarios": {"S": {"statement": "s"}},
        }
    )
    cuts = P.minimal_cut_sets("S")
    table = {c.labels: c.probability for c in cuts}
    # soundness(X) has probability 0: it cannot occur and is left out.
    assert table == pytest.approx(
        {("A",): 0.1, ("B", "C"): 0.06, ("B", "soundness(Y)"): 0.2 * 0.05}
    )
    assert [c.labels for c in cuts] == [("A",), ("B", "C"), ("B", "soundness(Y)")]
    assert cuts.single_points_of_failure == (Event("assumption", "A"),)
    assert cuts.count_by_order() == {1: 1, 2: 2}
    assert "single points of failure: A" in repr(cuts)


def test_worked_example_latent_variables(two_on_one_latent):
    # W fails w.p. 0.3.  A: P(fail) 0.2 if W holds, 0.6 if it fails: X_A (0.2) or W and
    # A|W, with P(A|W) = (0.6 - 0.2) / 0.8 = 0.5.  B: 0.1 / 1.0, so W alone fails B.
    # X rests on A, Y on B.  Cut sets: {W, A|W} (0.3 * 0.5), {X_A, W} (0.2 * 0.3),
    # {X_A, X_B} (0.2 * 0.1), where X_A ("A fails on its own") is labelled A|alone: it is not
    # the event "A fails" (marginal probability 0.7 * 0.2 + 0.3 * 0.6 = 0.32).
    P = two_on_one_latent(0.3, (0.2, 0.6), (0.1, 1.0))
    table = {c.labels: c.probability for c in P.minimal_cut_sets("S") if c.probability > 0}
    assert table == pytest.approx(
        {("A|W", "W"): 0.15, ("A|alone", "W"): 0.06, ("A|alone", "B|alone"): 0.02}
    )
    imp = P.importance("S")
    assert imp["A"].probability == pytest.approx(0.32)  # the importance row: A fails at all
    assert "A|alone" not in imp.labels
    # A latent variable that fails both cases for certain is a single point of failure.
    d = P.to_dict()
    d["assumptions"]["A"]["p_fail"] = {"W": {"holds": 0.2, "fails": 1.0}}
    cuts = Portfolio.from_dict(d).minimal_cut_sets("S")
    assert cuts.single_points_of_failure == (Event("latent", "W"),)
    assert cuts[0].probability == pytest.approx(0.3)


def test_negatively_dependent_assumption_keeps_a_latent_dependent_probability(two_on_one_latent):
    # f < h: no monotone decomposition; the event A carries P(A | w) and W is not an event.
    P = two_on_one_latent(0.25, (0.8, 0.4), (0.5, 0.1))
    (cut,) = [c for c in P.minimal_cut_sets("S") if c.labels == ("A", "B")]
    # P(A and B) = 0.75 * 0.8 * 0.5 + 0.25 * 0.4 * 0.1 = 0.3 + 0.01
    assert cut.probability == pytest.approx(0.31)
    assert all(e.kind != "latent" for c in P.minimal_cut_sets("S") for e in c.events)


def test_bad_max_order_is_refused():
    P = Portfolio.from_dict(
        {
            "cases": {"X": {"statement": "x", "soundness_error": 0.1, "covers": ["S"]}},
            "scenarios": {"S": {"statement": "s"}},
        }
    )
    with pytest.raises(ValueError, match="max_order must be a positive integer"):
        P.minimal_cut_sets("S", max_order=0)
    assert P.minimal_cut_sets("S")[0].labels == ("soundness(X)",)


def test_a_scenario_that_cannot_be_unprotected_has_no_cut_sets():
    P = Portfolio.from_dict(
        {
            "assumptions": {"A": {"statement": "a", "p_fail": 0.0}},
            "cases": {"X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]}},
            "scenarios": {"S": {"statement": "s"}},
        }
    )
    assert len(P.minimal_cut_sets("S")) == 0
    score = P.score()["S"]
    assert score.p_unprotected == 0.0
    assert score.cut_sets.min_order is None
    assert "minimal cut sets         none" in P.score().to_text()
