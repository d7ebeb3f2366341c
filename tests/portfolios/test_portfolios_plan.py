"""The exact programme on arrays, and the refusal of interval probabilities by the engines."""

import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings

from portfolios import Portfolio, PortfolioError
from portfolios.probability import (
    all_fail_probability,
    exact_plan,
    state_probabilities,
    state_weights,
)
from portfolios.strategies import portfolios


@settings(max_examples=60, deadline=None)
@given(portfolios(max_latent=3, max_assumptions=6, max_cases=4))
def test_the_programme_on_arrays_is_the_exact_method(P):
    S = P.structure
    for s in P.scenarios:
        targets = list(S.covering[s])
        plan = exact_plan(S, targets)
        unit_p = S.unit_p[plan.units]
        per_state = state_probabilities(plan, unit_p)
        weights = state_weights(S.latent_p[list(plan.variables)])
        expected = all_fail_probability(S, targets, method="enumerate")
        assert math.fsum(weights * per_state) == pytest.approx(expected, rel=1e-9, abs=1e-300)
        # a batch of two: the first row again, and every probability halved
        batch = state_probabilities(plan, np.stack([unit_p, unit_p / 2]))
        assert np.array_equal(batch[0], per_state)
        assert np.allclose(batch[1], state_probabilities(plan, unit_p / 2), rtol=0, atol=0)


def test_the_plan_pickles_and_refuses_a_wrong_shape():
    P = Portfolio.from_dict(
        {
            "assumptions": {"A": {"statement": "a", "p_fail": 0.1}},
            "cases": {"X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]}},
            "scenarios": {"S": {"statement": "s"}},
        }
    )
    plan = exact_plan(P.structure, ["X"])
    again = pickle.loads(pickle.dumps(plan))
    assert np.array_equal(again.units, plan.units)
    with pytest.raises(PortfolioError, match="must have shape"):
        state_probabilities(plan, np.zeros((3, 2)))


INTERVALS = {
    "latent": {"W": {"statement": "w", "p_fail": [0.1, 0.3]}},
    "assumptions": {
        "A": {"statement": "a", "p_fail": [0.05, 0.15]},
        "B": {"statement": "b", "p_fail": {"W": {"holds": 0.1, "fails": 0.5}}},
        "C": {"statement": "c", "p_fail": 0.2},
    },
    "cases": {
        "X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]},
        "Y": {"statement": "y", "assumptions": ["B"], "covers": ["S", "T"]},
        "Z": {"statement": "z", "assumptions": ["C"], "covers": ["U"]},
    },
    "scenarios": {"S": {"statement": "s"}, "T": {"statement": "t"}, "U": {"statement": "u"}},
}


@pytest.mark.parametrize("method", ["exact", "inclusion-exclusion", "enumerate", "montecarlo"])
def test_engines_refuse_an_interval_and_name_bounds(method):
    P = Portfolio.from_dict(INTERVALS)
    with pytest.raises(PortfolioError, match=r"interval probabilities \(W, A\).*bounds"):
        P.p_unprotected("S", method=method)
    with pytest.raises(PortfolioError, match=r"interval probabilities \(W\).*bounds"):
        P.p_unprotected("T", method=method)
    # a scenario that depends on no interval keeps its point value
    assert P.p_unprotected("U") == 0.2


def test_cut_sets_of_an_interval_portfolio_have_no_point_probability():
    P = Portfolio.from_dict(INTERVALS)
    cuts = P.minimal_cut_sets("S")
    assert [c.labels for c in cuts][:1] == [("A", "B|alone")]  # B fails on its own (B depends on W)
    assert all(math.isnan(c.probability) for c in cuts)
    assert P.minimal_cut_sets("U")[0].probability == 0.2


def test_distributions_count_at_their_means():
    data = {
        "parameters": {"q": {"beta": [2, 8]}},
        "assumptions": {
            "A": {"statement": "a", "p_fail": {"param": "q"}},
            "B": {"statement": "b", "p_fail": {"param": "q"}},
        },
        "cases": {
            "X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]},
            "Y": {"statement": "y", "assumptions": ["B"], "covers": ["S"]},
        },
        "scenarios": {"S": {"statement": "s"}},
    }
    P = Portfolio.from_dict(data)
    assert P.p_unprotected("S") == pytest.approx(0.2 * 0.2, rel=1e-15)
