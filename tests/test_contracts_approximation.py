"""The approximation ratio of linear contracts, the equal-revenue family, and its bounds."""

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings, target

from contracts import Technology
from contracts.approximation import approximation_ratio
from contracts.families import equal_revenue, equal_revenue_ratio
from contracts.landscape import linear_breakpoints
from contracts.strategies import envelope_technologies, technologies


@pytest.mark.parametrize("n", [1, 2, 3, 5])
@pytest.mark.parametrize("gamma", [F(1, 2), F(1, 10), F(2, 3)])
def test_equal_revenue_by_hand(n, gamma):
    # By hand (the module's derivation): action i has mean g^-(i-1) and welfare i - (i-1) g;
    # critical values 1 - g^(i-1), each leaving the principal exactly 1.
    tech = equal_revenue(n, gamma)
    land = linear_breakpoints(tech)
    assert land.breakpoints == tuple(1 - gamma**i for i in range(1, n))
    assert land.actions == tuple(range(n))
    assert set(land.values) == {1}
    means, costs = tech.means, list(tech.costs)
    assert [means[i] - costs[i] for i in range(n)] == [i + 1 - i * gamma for i in range(n)]
    result = approximation_ratio(tech)
    assert result.exact
    assert result.ratio == n - (n - 1) * gamma == equal_revenue_ratio(n, gamma)
    assert result.bound == n  # n actions, n + 1 outputs: min(n, m - 1) = n


def test_equal_revenue_with_random_outputs_has_the_same_ratio():
    tech = equal_revenue(3, F(1, 4), success=F(1, 3))
    assert tech.outputs.size == 4
    assert list(tech.dists[2]) == [F(2, 3), 0, 0, F(1, 3)]
    assert approximation_ratio(tech).ratio == 3 - 2 * F(1, 4)


def test_equal_revenue_in_floats():
    tech = equal_revenue(4, 0.1)
    assert not tech.exact
    result = approximation_ratio(tech)
    assert not result.exact
    assert result.ratio == pytest.approx(3.7, abs=1e-7)


def test_two_outputs_linear_is_optimal():
    # any contract on two outputs is w0 + (w1 - w0) 1{y = y1}; paying w0 > 0 is wasted, so
    # the optimum is a share of y - y0: ratio exactly 1
    tech = Technology.from_arrays(
        [1, 3], [[1, 0], [F(1, 2), F(1, 2)], [F(1, 5), F(4, 5)]], [0, F(1, 4), F(3, 4)]
    )
    result = approximation_ratio(tech)
    assert result.ratio == 1 and result.bound == 1


def test_ratio_repr_and_bad_input():
    assert "bound=2" in repr(approximation_ratio(equal_revenue(2, F(1, 2))))
    with pytest.raises(TypeError, match="must be a Technology"):
        approximation_ratio("tech")
    with pytest.raises(ValueError, match="positive integer"):
        equal_revenue(0)
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        equal_revenue(3, 1)
    with pytest.raises(ValueError, match="finite"):
        equal_revenue(3, float("nan"))
    with pytest.raises(ValueError, match=r"success = 0 must lie in \(0, 1\]"):
        equal_revenue(3, F(1, 2), success=0)


@settings(max_examples=40)
@given(technologies(exact=True, max_actions=4, lowest=None))
def test_ratio_within_the_bound_on_random_technologies(tech):
    result = approximation_ratio(tech)
    assert result.ratio >= 1 - F(1, 10**9)  # linear contracts are contracts
    assert result.ratio <= result.bound + F(1, 10**9)


@settings(max_examples=40)
@given(envelope_technologies(max_actions=4, max_outputs=4))
def test_ratio_within_the_bound_on_searched_technologies(tech):
    result = approximation_ratio(tech)
    target(float(result.ratio) / result.bound)
    assert result.ratio <= result.bound + F(1, 10**9)


@settings(max_examples=30)
@given(envelope_technologies(max_actions=5))
def test_envelope_technologies_use_every_action(tech):
    assert linear_breakpoints(tech).actions == tuple(range(len(tech)))
    assert np.all(np.diff(np.asarray(tech.means, dtype=float)) > 0)


@settings(max_examples=40)
@given(envelope_technologies(max_actions=5, deterministic=True))
def test_ratio_within_the_bound_on_deterministic_envelopes(tech):
    # each action on its own output: paying c_i - c_min there alone leaves action i tied with the
    # cheapest action (the agent's fallback), so the optimum is max_i R_i - (c_i - c_min)
    result = approximation_ratio(tech)
    target(float(result.ratio) / result.bound)
    assert result.ratio <= result.bound
    cheapest = min(tech.costs)
    assert result.optimum == max(
        m - c + cheapest for m, c in zip(tech.means, tech.costs, strict=True)
    )
