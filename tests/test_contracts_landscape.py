"""Critical values of linear contracts, the upper envelope, and best_linear_known through them."""

from fractions import Fraction as F
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts import LinearContract, Technology, best_linear_known, best_response
from contracts.envelope import envelope_by_oracle, upper_envelope
from contracts.landscape import linear_breakpoints
from contracts.strategies import technologies

HALF, Q = F(1, 2), F(1, 4)
THREE = Technology.from_arrays(
    [0, 1, 4], [[HALF, 0, HALF], [0, Q, 3 * Q], [HALF, HALF, 0]], [0, 3 * Q, 3 * Q]
)


def best_linear_pairwise(tech):
    """The route best_linear_known took before the envelope: every pairwise intersection in
    (0, 1] as a candidate, each evaluated by a best response (ties to the principal)."""
    y0 = tech.outputs[0]
    means = list(tech.dists @ tech.outputs)
    costs = list(tech.costs)
    zero = F(0) if tech.exact else 0.0
    candidates = {zero}
    for i, k in combinations(range(len(means)), 2):
        if means[i] != means[k]:
            alpha = (costs[i] - costs[k]) / (means[i] - means[k])
            if 0 < alpha <= 1:
                candidates.add(alpha)
    best = None
    for alpha in sorted(candidates):
        r = best_response(LinearContract(alpha, origin=y0), tech)
        if best is None or r.principal_value > best[0]:
            best = (r.principal_value, alpha, r.action)
    return best


def test_four_actions_by_hand():
    # Deterministic outputs 0, 2, 4, 8 at costs 0, 1/2, 3/2, 4. Agent's lines: 0, 2a - 1/2,
    # 4a - 3/2, 8a - 4. 0 = 2a - 1/2 at a = 1/4; 2a - 1/2 = 4a - 3/2 at a = 1/2;
    # 4a - 3/2 = 8a - 4 at a = 5/8. The principal keeps (1 - a) R at each start:
    # 0, (3/4) 2 = 3/2, (1/2) 4 = 2, (3/8) 8 = 3; best 3 at a = 5/8.
    y = [0, 2, 4, 8]
    tech = Technology.from_arrays(y, np.eye(4, dtype=int), [0, HALF, F(3, 2), 4])
    land = linear_breakpoints(tech)
    assert land.breakpoints == (Q, HALF, F(5, 8))
    assert land.actions == (0, 1, 2, 3)
    assert land.values == (0, F(3, 2), 2, 3)
    assert land.agent_values == (0, 0, HALF, 1)  # 2(1/2) - 1/2, 4(5/8) - 3/2
    lin = best_linear_known(tech)
    assert (lin.value, lin.alpha, lin.action) == (3, F(5, 8), 3)
    assert lin.candidates == (0, Q, HALF, F(5, 8))


def test_three_action_example_and_repr():
    land = linear_breakpoints(THREE)
    assert land.breakpoints == (F(3, 5),)
    assert land.actions == (0, 1)
    assert land.values == (2, F(13, 10))
    assert land.action_at(F(3, 5)) == 1 and land.action_at(F(1, 2)) == 0
    assert land.payoff(F(3, 5)) == F(13, 10)
    assert "3/5           1      a1  13/4               13/10" in repr(land)


def test_breakpoint_at_one_names_the_lowest_tied_action():
    # a0: mean 1 free; a1: mean 3 at cost 2: they tie at alpha = 1 (utility 1 each), where the
    # principal gets 0 from either, so best_response names a0
    tech = Technology.from_arrays([0, 1, 3], [[0, 1, 0], [0, 0, 1]], [0, 2])
    land = linear_breakpoints(tech)
    assert land.breakpoints == (1,)
    assert land.actions == (0, 0)
    assert best_response(LinearContract(1), tech).action == 0


def test_float_technology_matches_exact():
    f = Technology.from_arrays(
        [0.0, 1.0, 4.0], np.asarray(THREE.dists, float), np.asarray(THREE.costs, float)
    )
    land = linear_breakpoints(f)
    assert type(land.breakpoints[0]) is float
    assert land.breakpoints[0] == pytest.approx(0.6)
    assert best_linear_known(f).value == pytest.approx(2.0)


@settings(max_examples=80)
@given(technologies(exact=True, max_actions=6, lowest=None))
def test_envelope_route_equals_the_pairwise_route_exactly(tech):
    lin = best_linear_known(tech)
    value, alpha, action = best_linear_pairwise(tech)
    assert (lin.value, lin.alpha, lin.action) == (value, alpha, action)


@settings(max_examples=60)
@given(technologies(exact=True, max_actions=6, lowest=None))
def test_breakpoints_agree_with_best_response_everywhere(tech):
    land = linear_breakpoints(tech)
    y0 = tech.outputs[0]
    # at every critical value and on a grid of 40 slopes in Fractions: same choice, same payoff
    grid = [F(j, 40) for j in range(41)]
    for alpha in (*grid, *land.breakpoints):
        r = best_response(LinearContract(alpha, origin=y0), tech)
        assert land.payoff(alpha) == r.principal_value
        assert land.action_at(alpha) == r.action
    # the choice really changes at each critical value (just left of it, another mean)
    for k, b in enumerate(land.breakpoints):
        left = land.starts[k] + (b - land.starts[k]) / 2
        r = best_response(LinearContract(left, origin=y0), tech)
        assert r.action == land.actions[k]
        assert land.means[k] < land.means[k + 1]  # the reward rises at every critical value
    assert len(land.breakpoints) <= len(tech) - 1


@settings(max_examples=60)
@given(
    st.lists(st.tuples(st.integers(-6, 6), st.integers(-6, 6)), min_size=1, max_size=8).map(
        lambda lines: [(F(b, 2), F(a, 3)) for b, a in lines]
    ),
    st.integers(-3, 3),
    st.integers(0, 6),
)
def test_envelope_by_stack_and_by_oracle_equal_brute_force(lines, lo, width):
    slopes = [b for b, _ in lines]
    intercepts = [a for _, a in lines]
    lo, hi = F(lo), F(lo + width)
    env = upper_envelope(slopes, intercepts, lo, hi)

    def chosen(t):  # largest value, then largest slope, then lowest index
        return max(range(len(lines)), key=lambda i: (slopes[i] * t + intercepts[i], slopes[i], -i))

    # brute force on a fine grid plus the breakpoints: the envelope names the chosen line
    points = [lo + (hi - lo) * F(j, 48) for j in range(49)]
    for t in (*points, *env.breakpoints):
        k = sum(1 for b in env.breakpoints if b <= t)
        assert env.lines[k] == chosen(t)
    for k in range(len(env.breakpoints)):  # and the maximiser changes there
        assert env.lines[k] != env.lines[k + 1]
        assert (slopes[env.lines[k]], intercepts[env.lines[k]]) != (
            slopes[env.lines[k + 1]],
            intercepts[env.lines[k + 1]],
        )

    def oracle(t):
        i = chosen(t)
        return i, slopes[i], intercepts[i]

    by_oracle = envelope_by_oracle(oracle, lo, hi)
    assert by_oracle.breakpoints == env.breakpoints
    assert by_oracle.keys == env.lines
    assert by_oracle.queries <= 2 * len(env.breakpoints) + 2


def test_envelope_bad_input():
    with pytest.raises(ValueError, match="at least one line"):
        upper_envelope([], [], 0, 1)
    with pytest.raises(ValueError, match="2 slopes but 1 intercepts"):
        upper_envelope([1, 2], [0], 0, 1)
    with pytest.raises(ValueError, match="interval is empty"):
        upper_envelope([1], [0], 1, 0)
    with pytest.raises(ValueError, match="not a finite number"):
        upper_envelope([float("nan")], [0], 0, 1)

    def liar(t):
        return ("x", -int(t * 10), 0)  # slopes fall: not the largest-slope maximiser

    with pytest.raises(ValueError, match="oracle is inconsistent"):
        envelope_by_oracle(liar, 0, 1)


def test_landscape_bad_input():
    with pytest.raises(TypeError, match="must be a Technology"):
        linear_breakpoints([[1, 0]])
    land = linear_breakpoints(THREE)
    with pytest.raises(ValueError, match="outside"):
        land.action_at(F(3, 2))
    with pytest.raises(ValueError, match="finite"):
        land.payoff(float("nan"))
