"""Magnitude properties: scaling outputs, payments and costs by 10^k scales every value by 10^k.

For k from -15 to 15 an exact problem (small Fractions) is scaled and rounded once to floats; the
float paths on the scaled data must give 10^k times the exact values on the unscaled data, and
the same discrete answers (degenerate or not, the chosen and tied actions, the actions that pin
the optimum). Stated tolerances, relative to the scale ``S = 10^k (max y + max w + max c)`` of the
data: 1e-11 S for closed forms (rounding the data once is 1e-16 relative, amplified by the
slopes of the hull), 1e-7 S for convex solvers (their default tolerances on normalised programs),
1e-6 S for the numerical search of ``optimal_affine``.

Where a property needs exact equality, the data are scaled exactly: Fractions times
``Fraction(10) ** k``.
"""

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts import (
    Action,
    Contract,
    SignalTechnology,
    Technology,
    best_linear_known,
    best_response,
    guarantee,
    optimal_affine,
    optimal_contract,
    optimal_linear,
    worst_case,
)
from contracts._solvers import solve_bridge, solve_hull
from contracts.strategies import distributions, problems, technologies

powers = st.integers(-15, 15)

CLOSED_FORM = 1e-11
SOLVER = 1e-7
SEARCH = 1e-6


def scaled(values, k):
    """Floats nearest 10^k times each exact value."""
    return np.array([float(F(v) * F(10) ** k) for v in values])


def float_known(known, k):
    return Technology.from_arrays(
        scaled(known.outputs, k), np.asarray(known.dists, float), scaled(known.costs, k)
    )


def data_scale(known, contract=None):
    top = max(known.outputs) + max(known.costs)
    return float(top + (max(contract.payments) if contract is not None else 0))


@given(problems(exact=True, lowest=None), powers)
def test_worst_case_scales_and_keeps_the_degenerate_flag(problem, k):
    known, contract = problem
    exact = worst_case(contract, known)
    known_k = float_known(known, k)
    contract_k = Contract(known_k.outputs, scaled(contract.payments, k))
    got = worst_case(contract_k, known_k)
    S = 10.0**k * data_scale(known, contract)
    assert got.degenerate == exact.degenerate
    assert got.value == pytest.approx(10.0**k * float(exact.value), rel=0, abs=CLOSED_FORM * S)
    # the multiplier is a ratio of principal's payoffs to payments: it does not scale. At a kink
    # (V_A exactly a payment) every slope in the exact range is valid and rounding picks one end
    if not exact.degenerate:
        low, high = (float(m) for m in exact.multiplier_range)
        assert low - 1e-9 * max(1.0, high) <= got.multiplier <= high + 1e-9 * max(1.0, high)
    # the second algorithm on the same scaled data
    lp = worst_case(contract_k, known_k, method="lp")
    assert lp.degenerate == exact.degenerate
    assert lp.value == pytest.approx(got.value, rel=0, abs=SOLVER * S)


@given(problems(exact=True, lowest=None), powers, st.integers(-8, 40))
def test_bridge_equals_hull_on_exactly_scaled_data(problem, k, v):
    known, contract = problem
    ten = F(10) ** k
    y, w = known.outputs * ten, contract.payments * ten
    V = F(v, 4) * ten
    if V >= w.max():
        return
    a, b = solve_bridge(y, w, V), solve_hull(y, w, V)
    assert (a[0], a[2], a[3]) == (b[0], b[2], b[3])
    unscaled = solve_bridge(known.outputs, contract.payments, F(v, 4))
    assert a[0] == unscaled[0] * ten  # the value scales exactly, the multiplier not at all
    assert (a[2], a[3]) == (unscaled[2], unscaled[3])
    # and in floats on the rounded data: the two algorithms agree to rounding
    yf, wf, Vf = scaled(known.outputs, k), scaled(contract.payments, k), float(V)
    fa, fb = solve_bridge(yf, wf, Vf), solve_hull(yf, wf, Vf)
    S = 10.0**k * float(max(known.outputs) + max(contract.payments) + abs(F(v, 4)))
    assert fa[0] == pytest.approx(fb[0], rel=0, abs=CLOSED_FORM * S)


@given(problems(exact=True, lowest=None), powers)
def test_best_response_scales_and_keeps_the_choice(problem, k):
    known, contract = problem
    exact = best_response(contract, known)
    known_k = float_known(known, k)
    got = best_response(Contract(known_k.outputs, scaled(contract.payments, k)), known_k)
    assert (got.action, got.tied) == (exact.action, exact.tied)
    S = 10.0**k * data_scale(known, contract)
    assert got.principal_value == pytest.approx(
        10.0**k * float(exact.principal_value), rel=0, abs=CLOSED_FORM * S
    )
    assert got.agent_value == pytest.approx(
        10.0**k * float(exact.agent_value), rel=0, abs=CLOSED_FORM * S
    )


@given(technologies(exact=True, lowest=None), powers)
def test_optimal_linear_scales_and_keeps_the_pinning_actions(known, k):
    exact = optimal_linear(known)
    got = optimal_linear(float_known(known, k))
    S = 10.0**k * data_scale(known)
    assert (got.trivial, got.pinned_by) == (exact.trivial, exact.pinned_by)
    assert got.value == pytest.approx(10.0**k * float(exact.value), rel=0, abs=CLOSED_FORM * S)
    assert [float(s) for s in got.slopes] == pytest.approx([float(s) for s in exact.slopes])
    alphas = [F(j, 8) for j in range(10)]
    curve = guarantee([float(a) for a in alphas], float_known(known, k))
    expected = [10.0**k * float(v) for v in guarantee(alphas, known)]
    np.testing.assert_allclose(curve, expected, rtol=0, atol=CLOSED_FORM * S)


@settings(max_examples=30)
@given(technologies(exact=True, lowest=None, max_actions=3), powers)
def test_known_technology_benchmarks_scale(known, k):
    known_k = float_known(known, k)
    S = 10.0**k * data_scale(known)
    exact_linear, got_linear = best_linear_known(known), best_linear_known(known_k)
    if got_linear.action != exact_linear.action:
        # Rounding may break an exact tie (equal utilities and equal means, so the principal is
        # indifferent too): then the float choice must be one of the exactly tied actions.
        a, b = got_linear.action, exact_linear.action
        mean = known.dists @ known.outputs
        alpha = exact_linear.alpha
        assert mean[a] == mean[b]
        assert alpha * mean[a] - known.costs[a] == alpha * mean[b] - known.costs[b]
    assert got_linear.alpha == pytest.approx(float(exact_linear.alpha), rel=1e-12)
    assert got_linear.value == pytest.approx(
        10.0**k * float(exact_linear.value), rel=0, abs=CLOSED_FORM * S
    )
    exact_optimum, got_optimum = optimal_contract(known), optimal_contract(known_k)
    assert got_optimum.value == pytest.approx(
        10.0**k * float(exact_optimum.value), rel=0, abs=SOLVER * S
    )
    assert [a.implementable for a in got_optimum.actions] == [
        a.implementable for a in exact_optimum.actions
    ]


@st.composite
def signal_technologies(draw):
    """Signals on a small grid in R^2 with the output first and 0 among them; a free action."""
    cells = draw(
        st.lists(
            st.tuples(st.integers(0, 4), st.integers(0, 2)), min_size=2, max_size=5, unique=True
        )
    )
    z = sorted({(0, 0), *cells})
    actions = [Action(draw(distributions(len(z), exact=True)), 0)]
    for _ in range(draw(st.integers(1, 2))):
        actions.append(
            Action(draw(distributions(len(z), exact=True)), F(draw(st.integers(1, 8)), 4))
        )
    return z, actions


@settings(max_examples=6)
@given(signal_technologies(), st.sampled_from([-15, -9, -3, 3, 9, 15]))
def test_optimal_affine_scales(drawn, k):
    z, actions = drawn

    def tech(j):
        acts = [Action(np.asarray(a.dist, float), float(a.cost) * 10.0**j) for a in actions]
        return SignalTechnology(np.asarray(z, float) * 10.0**j, acts)

    base, got = optimal_affine(tech(0)), optimal_affine(tech(k))
    S = 10.0**k * (max(max(v) for v in z) + max(float(a.cost) for a in actions))
    assert got.value == pytest.approx(10.0**k * base.value, rel=0, abs=SEARCH * S)
    # without a cost bound the optimum is Carroll's on the output marginal, at every scale
    ys = sorted({v[0] for v in z})
    marginal = [
        [sum(p for p, v in zip(a.dist, z, strict=True) if v[0] == y) for y in ys] for a in actions
    ]
    carroll = optimal_linear(Technology.from_arrays(ys, marginal, [a.cost for a in actions])).value
    assert got.value <= 10.0**k * float(carroll) + SEARCH * S
