"""Carroll's optimal linear contract, the guarantee curve, and the improvement step."""

import math
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts import (
    AffineContract,
    Contract,
    LinearContract,
    Technology,
    guarantee,
    improve,
    optimal_linear,
    worst_case,
)
from contracts.strategies import contracts, problems, technologies

Y = [0, 1, 2, 3]
UNIFORM_123 = Technology.from_arrays(Y, [[0, F(1, 3), F(1, 3), F(1, 3)]], [F(1, 2)])


def point_masses(grid, means, costs):
    rows = [[int(v == m) for v in grid] for m in means]
    return Technology.from_arrays(grid, rows, costs)


# --- worked examples ---------------------------------------------------------------------------


def test_single_action_optimum():
    # mean 2, cost 1/2: (sqrt 2 - sqrt(1/2))^2 = 2 + 1/2 - 2 sqrt(1) = 1/2, alpha = sqrt(1/4)
    opt = optimal_linear(UNIFORM_123)
    assert (opt.value, opt.alpha, opt.slopes, opt.pinned_by) == (F(1, 2), F(1, 2), (F(1, 2),), (0,))
    assert opt.contract == LinearContract(F(1, 2))
    assert worst_case(opt.contract, UNIFORM_123).value == opt.value


def test_two_actions_tie_with_different_slopes():
    # means 4 and 9, costs 1 and 4: (2 - 1)^2 = (3 - 2)^2 = 1; slopes 1/2 and 2/3;
    # at alpha = 3/5 the guarantee is max((2/5)(4 - 5/3), (2/5)(9 - 20/3)) = 14/15.
    known = point_masses(range(10), [4, 9], [1, 4])
    opt = optimal_linear(known)
    assert opt.value == 1
    assert opt.slopes == (F(1, 2), F(2, 3))
    assert opt.pinned_by == (0, 1)
    assert guarantee(F(3, 5), known) == F(14, 15)
    for slope in opt.slopes:
        assert worst_case(LinearContract(slope), known).value == 1


def test_irrational_optimum_is_a_float():
    # mean 2, cost 1: (sqrt 2 - 1)^2 = 3 - 2 sqrt 2, alpha = 1/sqrt 2
    known = point_masses([0, 1, 2], [2], [1])
    opt = optimal_linear(known)
    assert opt.value == pytest.approx(3 - 2 * math.sqrt(2), rel=1e-15)
    assert opt.alpha == pytest.approx(1 / math.sqrt(2), rel=1e-15)
    assert worst_case(LinearContract(opt.alpha), known).value == pytest.approx(opt.value, rel=1e-12)


def test_zero_cost_action_makes_zero_contract_optimal():
    # a free action with mean 2: V* = 2 with alpha = 0 (ties go to the principal)
    known = point_masses([0, 1, 2], [2, 1], [0, F(1, 4)])
    opt = optimal_linear(known)
    assert (opt.value, opt.alpha, opt.pinned_by) == (2, 0, (0,))
    assert worst_case(LinearContract(0), known).value == 2


def test_trivial_technology():
    # no action with mean above cost: every slope in [0, 1] guarantees 0
    known = point_masses([0, 1, 2], [1, 2], [1, 3])
    opt = optimal_linear(known)
    assert opt.trivial and opt.value == 0 and opt.slopes == (0, 1)
    assert list(guarantee([0, F(1, 3), F(1, 2), 1], known)) == [0, 0, 0, 0]


def test_lowest_output_above_zero_needs_the_shifted_contract():
    # Y = {1..5}, one action uniform on {3,4,5} at cost 3/4 (the example of "Lowest output
    # y0 > 0" in docs/explanation/robust-contracts.md):
    # shifted mean 3: 1 + (sqrt 3 - sqrt(3/4))^2 = 1 + 3/4 = 7/4 with (y - 1)/2. A pure share
    # alpha*y gets (1 - a)(4 - 3/(4a)) = 19/4 - 4a - 3/(4a), best at a = sqrt 3 / 4:
    # 19/4 - 2 sqrt 3 = 1.2859...
    known = Technology.from_arrays([1, 2, 3, 4, 5], [[0, 0, F(1, 3), F(1, 3), F(1, 3)]], [F(3, 4)])
    opt = optimal_linear(known)
    assert (opt.value, opt.contract) == (F(7, 4), LinearContract(F(1, 2), origin=1))
    pure = 19 / 4 - 2 * math.sqrt(3)
    alphas = np.linspace(0.01, 1, 20001)
    assert guarantee(alphas, known).max() == pytest.approx(pure, abs=1e-7)
    assert worst_case(LinearContract(math.sqrt(3) / 4), known).value == pytest.approx(pure)
    assert guarantee(F(1, 2), known, origin=1) == F(7, 4)


def test_improvement_worked_example():
    # bonus 1[y >= 2]: lambda = 1 -> alpha = 1/2, beta = (1 * 1/6 - 1/6)/2 = 0 (see the
    # worst-case tests): the linear contract y/2 is the optimum 1/2.
    imp = improve(Contract(Y, [0, 0, 1, 1]), UNIFORM_123)
    assert imp.affine == AffineContract(F(1, 2), 0)
    assert imp.linear == LinearContract(F(1, 2))
    assert (imp.original_value, imp.affine_value, imp.linear_value) == (F(1, 6), F(1, 2), F(1, 2))


def test_improvement_of_a_base_wage():
    # w = 3/10 + 1[y = 2] on {0,1,2}, known delta_2 at cost 1/2: L = 1/5 with lambda = 1, so
    # alpha = 1/2, beta = (4/5 - 1/5)/2 = 3/10: the affine contract y/2 + 3/10 touches w at 0 and
    # 2 and guarantees 1/2 - 3/10 = 1/5; dropping the base wage gives y/2, worth 1/2.
    known = Technology.from_arrays([0, 1, 2], [[0, 0, 1]], [F(1, 2)])
    imp = improve(Contract([0, 1, 2], [F(3, 10), F(3, 10), F(13, 10)]), known)
    assert imp.affine == AffineContract(F(1, 2), F(3, 10))
    assert (imp.original_value, imp.affine_value, imp.linear_value) == (F(1, 5), F(1, 5), F(1, 2))


def test_improvement_of_a_degenerate_contract():
    # degenerate: the constant max w dominates, and the zero contract gets the free action's 2
    known = Technology.from_arrays([0, 1, 2], [[0, 0, 1]], [0])
    imp = improve(Contract([0, 1, 2], [0, 1, 1]), known)
    assert imp.multiplier == math.inf
    assert imp.affine == AffineContract(0, 1)
    assert (imp.original_value, imp.affine_value, imp.linear_value) == (1, 1, 2)


def test_improvement_at_a_kink_takes_the_better_line():
    # multiplier range [1, 3] (see the worst-case tests): alpha = 1/2 or 1/4.
    known = Technology.from_arrays([0, 1, 3], [[0, 0, 1]], [F(1, 2)])
    imp = improve(Contract([0, 1, 3], [0, F(1, 2), 1]), known)
    by_hand = {F(1, 2): guarantee(F(1, 2), known), F(1, 4): guarantee(F(1, 4), known)}
    assert imp.linear_value == max(by_hand.values())  # 1 and 1/2 -> 1
    assert imp.linear == LinearContract(F(1, 2))


# --- properties --------------------------------------------------------------------------------


@settings(max_examples=150)
@given(problems(exact=True, lowest=None))
def test_carroll_no_contract_beats_the_optimal_linear_one(problem):
    known, contract = problem
    opt = optimal_linear(known)
    assert float(worst_case(contract, known).value) <= float(opt.value) + 1e-12


@settings(max_examples=150)
@given(problems(exact=True, lowest=None))
def test_improvement_chain_and_pointwise_dominance(problem):
    known, contract = problem
    imp = improve(contract, known)
    assert imp.original_value <= imp.affine_value <= imp.linear_value
    assert float(imp.linear_value) <= float(optimal_linear(known).value) + 1e-12
    affine = imp.affine.on(known.outputs).payments
    assert all(affine >= contract.payments)
    assert imp.linear.on(known.outputs).payments[0] == 0


@settings(max_examples=60)
@given(problems(exact=False, lowest=None))
def test_improvement_chain_in_floats(problem):
    known, contract = problem
    imp = improve(contract, known)
    scale = 1e-9 * max(1.0, float(np.max(known.outputs)), float(np.max(contract.payments)))
    assert imp.original_value <= imp.affine_value + scale
    assert imp.affine_value <= imp.linear_value + scale
    assert np.all(imp.affine.on(known.outputs).payments >= contract.payments - scale)


@settings(max_examples=150)
@given(technologies(exact=True, lowest=None), st.integers(0, 40), st.data())
def test_guarantee_closed_form_equals_worst_case(known, k, data):
    alpha = F(k, 16)
    origin = data.draw(st.sampled_from([F(0), known.outputs[0]]))
    expected = worst_case(LinearContract(alpha, origin=origin), known).value
    assert guarantee(alpha, known, origin=origin) == expected


@settings(max_examples=100)
@given(technologies(exact=True, lowest=None))
def test_optimal_value_is_certified_by_the_worst_case(known):
    opt = optimal_linear(known)
    certified = worst_case(opt.contract, known).value
    if isinstance(opt.value, F):
        assert certified == opt.value
    else:
        assert float(certified) == pytest.approx(opt.value, rel=1e-12, abs=1e-12)
    # and no slope on a fine grid does better
    grid = np.linspace(0, 1.2, 241)
    shifted = guarantee(
        grid,
        Technology.from_arrays(
            np.asarray(known.outputs, dtype=float),
            np.asarray(known.dists, dtype=float),
            np.asarray(known.costs, dtype=float),
        ),
        origin=float(known.outputs[0]),
    )
    assert shifted.max() <= float(opt.value) + 1e-9


@settings(max_examples=80)
@given(technologies(exact=True), st.integers(1, 7))
def test_scale_invariance(known, s):
    scaled = Technology.from_arrays(known.outputs * s, known.dists, known.costs * s)
    a, b = optimal_linear(known), optimal_linear(scaled)
    assert float(b.value) == pytest.approx(s * float(a.value), rel=1e-12, abs=1e-12)
    assert [float(x) for x in a.slopes] == pytest.approx([float(x) for x in b.slopes])


@settings(max_examples=80)
@given(technologies(exact=True, max_actions=3), st.data())
def test_more_known_actions_never_lower_the_optimum(known, data):
    extra = data.draw(technologies(grid=known.outputs, exact=True, max_actions=2))
    both = Technology(known.outputs, known.actions + extra.actions)
    assert float(optimal_linear(both).value) >= float(optimal_linear(known).value) - 1e-12


@settings(max_examples=50)
@given(technologies(exact=False), st.data())
def test_guarantee_vectorised_equals_pointwise(known, data):
    alphas = np.array(data.draw(st.lists(st.floats(0, 2), min_size=1, max_size=20)))
    vector = guarantee(alphas, known)
    pointwise = [guarantee(float(a), known) for a in alphas]
    np.testing.assert_allclose(vector, pointwise, rtol=0, atol=1e-12)
    for a, v in zip(alphas[:3], vector[:3], strict=False):
        assert worst_case(LinearContract(float(a)), known).value == pytest.approx(v, abs=1e-9)


def test_contracts_strategy_draws_every_kind():
    seen = set()

    @settings(max_examples=200, database=None)
    @given(contracts([0, 1, 2, 3], exact=True))
    def collect(c):
        seen.add(tuple(c.payments))

    collect()
    assert len(seen) > 20
