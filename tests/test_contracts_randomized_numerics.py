"""Numerics of randomised contracts: scale-free tolerances and normalised programs (issue 12).

Each reproducer failed before the fix (an absolute floor in a tie, a grouping or a degenerate
test, or a program solved in the data's raw units); its answer is computed by hand in the comment
and checked against the exact route (Fractions) on the same numbers. The property tests scale
outputs, payments and costs by 10^k, k from -15 to 15: values scale by 10^k, within the stated
tolerance, and the discrete evidence stays (degenerate contracts, nature's known choices, the
groups of contracts that share an action, the method).
"""

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts import (
    Contract,
    ContractMixture,
    RandomizedContract,
    Technology,
    best_response,
    one_action_optimum,
    optimal_randomized,
    worst_case_randomized,
)
from contracts._exact_lp import LinearProgram, solve_lp
from contracts.strategies import contract_mixtures, randomized_contracts, technologies

HALF = F(1, 2)

#: Stated tolerances, relative to the data's scale S = 10^k (max y + max w + max c): values read
#: off a solver (nature's programs are normalised; HiGHS's tolerances are 1e-7 on them).
SOLVER = 1e-7


def exactly(known):
    """The same technology with every float converted exactly to a Fraction."""
    return Technology.from_arrays(
        [F(float(v)) for v in known.outputs],
        [[F(float(p)) for p in row] for row in known.dists],
        [F(float(c)) for c in known.costs],
    )


def four(scale, exact=True):
    """Output 4 for sure at cost 1 (Carroll: y/2, worth 1), outputs and cost times ``scale``."""
    if exact:
        return Technology.from_arrays([v * scale for v in range(5)], [[0, 0, 0, 0, 1]], [scale])
    s = float(scale)
    return Technology.from_arrays([v * s for v in range(5)], [[0, 0, 0, 0, 1.0]], [s])


#: The lottery of the module's example: 3/8 y or 5/8 y, half each, worth 7/6 against ``four(1)``.
LOTTERY = RandomizedContract([F(3, 8), F(5, 8)], [HALF, HALF])
FLOAT_LOTTERY = RandomizedContract([0.375, 0.625], [0.5, 0.5])


def evidence(wc):
    """A worst case's discrete evidence: degenerate contracts, nature's known choices, groups."""
    return [a is None for a in wc.actions], wc.known_choice, wc.groups


def play(mixture, technology):
    """The principal's expected payoff when the agent best-responds in ``technology``."""
    return sum(
        p * best_response(c, technology).principal_value
        for p, c in zip(mixture.weights, mixture.contracts, strict=True)
    )


# --- reproducers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outputs", "cost", "expected"),
    [
        # outputs of 1e12, cost 1/4: at alpha = 0 the agent's utility -1/4 is strictly below the top
        # payment 0. Before the fix the floor 1e-12 * 2e12 = 2 made the zero contract degenerate
        # (the principal kept the mean 1.5e12 under it).
        ([0, 10**12, 2 * 10**12], F(1, 4), F(3 * 10**12 - 1, 8)),
        # outputs of 1, cost 1/4 * 1e-12: the floor 1e-12 * max(1, 2) swallowed the cost
        ([0, 1, 2], F(1, 4 * 10**12), F(3 * 10**12 - 1, 8 * 10**12)),
    ],
)
def test_a_costly_zero_contract_is_not_degenerate_whatever_the_outputs(outputs, cost, expected):
    # slopes 0 and 1/2, half each; one known action, half on each of the two top outputs. By
    # hand: V_0 = -c < 0 is not degenerate, so nature gives slope 0 a free action of mean 0
    # (U_0 = 0); slope 1/2 needs U_1 >= V_1 = (3/4) y_2 - c, and U_1 <= m_1 / 2 (a cost is
    # >= 0), so m_1 >= (3/2) y_2 - 2c; the adjacent incentive constraint (1/2) m_0 <= U_1 - U_0
    # <= (1/2) m_1 holds. Value (1/2)(1/2) m_1 = (3 y_2 / 2 - 2c) / 4.
    known = Technology.from_arrays(outputs, [[0, HALF, HALF]], [cost])
    lottery = RandomizedContract([0, HALF], [HALF, HALF])
    exact = worst_case_randomized(lottery, known)
    assert exact.known_choice == (None, None)
    assert float(exact.value) == pytest.approx(float(expected), rel=1e-12)
    if exact.exact:  # data mixing 1 and 1e12 may not certify (contracts._exact_lp)
        assert exact.value == expected
    floats = Technology.from_arrays([float(v) for v in outputs], [[0.0, 0.5, 0.5]], [float(cost)])
    got = worst_case_randomized(RandomizedContract([0.0, 0.5], [0.5, 0.5]), floats)
    assert got.known_choice == (None, None)
    assert got.value == pytest.approx(float(expected), rel=1e-12)
    # the general program agrees (one contract per slope)
    mixture = worst_case_randomized(RandomizedContract([0.0, 0.5], [0.5, 0.5]).to_mixture(), floats)
    assert mixture.value == pytest.approx(float(expected), rel=1e-12)


@pytest.mark.parametrize(
    ("outputs", "unit", "expected"),
    [
        # outputs of 1e12, payments of 1: before the fix the floor 1e-12 * 2e12 = 2 put the two
        # contracts (which differ by 1 at the middle output) in one group, sharing one action
        ([0, 10**12, 2 * 10**12], 1, F(3 * 10**12 - 3, 4)),
        # outputs of 1, payments of 1e-12: the floor 1e-12 * max(1, 2) = 2e-12 did the same
        ([0, 1, 2], F(1, 10**12), F(3, 4) - F(3, 4 * 10**12)),
    ],
)
def test_contracts_that_differ_are_not_grouped_whatever_the_outputs(outputs, unit, expected):
    # w1 = (0, 0, 2) u, w2 = (0, 1, 2) u against one known action half on each top output at
    # cost u/2. By hand: V_1 = u/2 and V_2 = u. Alone, nature answers w1 with 3/4 on 0 and 1/4
    # on the top y_2 = 2 y_1 (payoff (2 y_1 - 2u) / 4) and w2 with the middle output for sure
    # (payoff y_1 - u). Each reply leaves the other contract's agent strictly with its own (w2
    # pays u/2 < u under the first; w1 pays 0 < u/2 under the second), so the lottery is worth
    # the average of the two guarantees: (1/2)(y_1 - u)/2 + (1/2)(y_1 - u) = 3 (y_1 - u) / 4.
    # Grouped (one action for both) nature could do better: 1/2 (y_1 - u) in total.
    u = unit
    known = Technology.from_arrays(outputs, [[0, HALF, HALF]], [u / 2])
    w1, w2 = [0, 0, 2 * u], [0, u, 2 * u]
    mix = ContractMixture([HALF, HALF], [Contract(outputs, w1), Contract(outputs, w2)])
    exact = worst_case_randomized(mix, known)
    assert exact.groups == ((0,), (1,))
    assert float(exact.value) == pytest.approx(float(expected), rel=1e-12)
    if exact.exact:
        assert exact.value == expected
    floats = Technology.from_arrays([float(v) for v in outputs], [[0.0, 0.5, 0.5]], [float(u / 2)])
    y = floats.outputs
    float_mix = ContractMixture(
        [0.5, 0.5], [Contract(y, [float(v) for v in w1]), Contract(y, [float(v) for v in w2])]
    )
    got = worst_case_randomized(float_mix, floats)
    assert got.groups == ((0,), (1,))
    assert got.value == pytest.approx(float(expected), rel=1e-9)


@pytest.mark.parametrize("k", [-15, -12, 12, 15])
def test_the_lottery_example_at_extreme_magnitudes(k):
    # 7/6 (the module's worked example) times 10^k, exactly for exact data and by both programs;
    # before the fix the exact route fell back to floats (exact=False; the general program even
    # reported 0 at 10^-12), the float route judged both slopes degenerate at 10^-12 (2e-12) and
    # HiGHS failed on the general program at 10^15.
    s = F(10) ** k
    for lottery in (LOTTERY, LOTTERY.to_mixture()):
        wc = worst_case_randomized(lottery, four(s))
        assert wc.exact and wc.value == F(7, 6) * s
        assert wc.known_choice == (None, None)
    for lottery in (FLOAT_LOTTERY, FLOAT_LOTTERY.to_mixture()):
        wc = worst_case_randomized(lottery, four(s, exact=False))
        assert wc.known_choice == (None, None)
        assert wc.value == pytest.approx(7 / 6 * 10.0**k, rel=1e-9)


@pytest.mark.parametrize(
    "known",
    [
        # the top output for a cost of 1e-13 (outputs of 1), next to a free action of output 0
        Technology.from_arrays([0, 1], [[0, 1], [1, 0]], [F(1, 10**13), 0]),
        # the top output 1e12 for a cost of 1/2
        Technology.from_arrays([0.0, 1e12], [[0.0, 1.0], [1.0, 0.0]], [0.5, 0.0]),
    ],
)
def test_a_nearly_free_top_action_is_not_free(known):
    # Before the fix a cost within 1e-12 * max(1, y_hi) counted as free: optimal_randomized
    # returned the zero contract "guaranteeing" the top output (exactly 1, exact=True, in the
    # first case, with a certificate of 0). But the zero contract gets 0 (the agent takes the
    # free action), and no lottery guarantees the top output: for one known action the optimum
    # is y_hi (1 - beta) with kappa = c / y_hi = beta + (1 - beta) ln(1 - beta) > 0 (the closed
    # form), and the free action of output 0 adds nothing.
    best = optimal_randomized(known)
    top = float(known.outputs[-1])
    closed, _ = one_action_optimum(top, float(known.costs[0]))
    assert best.method == "grid-lp"
    assert float(best.carroll.value) <= best.value * (1 + 1e-12)
    assert best.value <= closed <= best.upper_bound * (1 + 1e-12)
    assert best.upper_bound < top
    assert best.certificate.value == pytest.approx(best.value, rel=1e-9)


@pytest.mark.parametrize("s", [F(10) ** 400, F(1, 10**400)])
def test_exact_lotteries_beyond_the_float_range(s):
    # exact data are computed exactly at any magnitude: the normalised programs see numbers near
    # 1. Before the fix the lottery of slopes raised (OverflowError, or a ValueError from a float
    # conversion) and the general program fell back to floats (0 at 1e-400, exact=False).
    for lottery in (LOTTERY, LOTTERY.to_mixture()):
        wc = worst_case_randomized(lottery, four(s))
        assert wc.exact and wc.value == F(7, 6) * s
    # the closed form: kappa = c / (mu - y0) is a ratio, the same at every scale (before: a
    # ZeroDivisionError at 1e-400); its irrational value beyond the float range is refused clearly
    if s < 1:
        assert one_action_optimum(4 * s, s)[1] == one_action_optimum(4, 1)[1]
    else:
        with pytest.raises(ValueError, match="beyond the float64 range"):
            one_action_optimum(4 * s, s)
        with pytest.raises(ValueError, match="beyond the float64 range"):
            optimal_randomized(four(s))


def test_exact_lp_recovers_a_vertex_of_tiny_numbers():
    # minimise x subject to x >= 1e-12 (exactly), x >= 0: the vertex is x = 1e-12. Before the fix
    # the recovery read "x on its bound 0" within 1e-7 * max(1, ...) and gave up (exact=False).
    lp = LinearProgram.empty(1, lower=F(0))
    lp.cost = [F(1)]
    lp.add({0: F(1)}, F(1, 10**12))
    sol = solve_lp(lp, "HIGHS", what="a tiny program", exact=True)
    assert sol.exact and sol.x == [F(1, 10**12)] and sol.value == F(1, 10**12)


@pytest.mark.parametrize("k", [-12, 0, 12])
def test_witness_is_strict_at_every_magnitude(k):
    # Nature's technology (1 - eps) x* + eps x0 must make every choice strict. The strict margin
    # between two groups' actions is eta |P w_g - P w_h|^2 / 2; with eta = 1 / (2n (max|P w| + 1))
    # (before the fix) it is ~1e-24 for payments of 1e-12, a tie within TIE_RTOL of the payments:
    # the float agent then broke it for the principal. With eta in payment units the payoff of
    # the witness is 10^k times the one at k = 0.
    s = F(10) ** k
    mix = LOTTERY.to_mixture()
    wc = worst_case_randomized(mix, four(s))
    eps = F(1, 100)
    assert play(mix, wc.witness(eps)) == s * play(
        mix, worst_case_randomized(mix, four(1)).witness(eps)
    )
    floats = FLOAT_LOTTERY.to_mixture()
    known = four(s, exact=False)
    wf = worst_case_randomized(floats, known)
    base = worst_case_randomized(floats, four(1, exact=False))
    tech = wf.witness(0.01)
    assert all(len(best_response(c, tech).tied) == 1 for c in floats.contracts)
    got = play(floats, tech)
    assert got == pytest.approx(10.0**k * play(floats, base.witness(0.01)), rel=1e-6)
    assert wf.value < got <= wf.value + 0.01 * 4 * 10.0**k


def test_seeded_search_instance_outputs_of_1e12_payments_of_1():
    # Found by a seeded search like the next test (outputs of 1e12, payments and costs of 1).
    # One known action (1/2 on 0, 1/4 on each of 6e12 and 8e12) at cost 3/4.
    y = [0, 3 * 10**12, 6 * 10**12, 8 * 10**12]
    known = Technology.from_arrays(y, [[HALF, 0, F(1, 4), F(1, 4)]], [F(3, 4)])
    floats = Technology.from_arrays([float(v) for v in y], [[0.5, 0.0, 0.25, 0.25]], [0.75])
    # (a) three contracts of payments <= 4. By hand: w0 = (0, 0, 3/4, 3/4) and w2 = (1, 3/4, 0, 1/4)
    # leave the agent a negative known utility (3/8 - 3/4, 9/16 - 3/4), so nature answers both
    # with output 0 for free (payoffs 0 and -1); w1 = y / 2e12 has V = 7/4 - 3/4 = 1 and nature
    # needs E[y] >= 2e12 (payoff 2e12 - 1). No reply tempts another contract's agent, so the value
    # is (3/8) 0 + (1/8)(2e12 - 1) + (1/2)(-1) = (2e12 - 5) / 8. Before the fix the floor
    # 1e-12 * 8e12 = 8 put the three contracts in one group: -0.5.
    rows = [[0, 0, F(3, 4), F(3, 4)], [0, F(3, 2), 3, 4], [1, F(3, 4), 0, F(1, 4)]]
    weights = [F(3, 8), F(1, 8), HALF]
    mix = ContractMixture(weights, [Contract(y, r) for r in rows])
    exact = worst_case_randomized(mix, known)
    assert exact.exact and exact.value == F(2 * 10**12 - 5, 8)
    float_mix = ContractMixture(
        [float(p) for p in weights],
        [Contract(floats.outputs, [float(v) for v in r]) for r in rows],
    )
    got = worst_case_randomized(float_mix, floats)
    assert got.groups == exact.groups == ((0,), (1,), (2,))
    assert got.value == pytest.approx((2e12 - 5) / 8, rel=1e-12)
    # (b) slopes 0, 1/2, 7/8 with weights 3/8, 1/2, 1/8. By hand (V(alpha) = 3.5e12 alpha - 3/4):
    # slope 0 is not degenerate (before the fix it was, within 1e-12 * 8e12), nature gives it
    # mean 0 and U_0 = 0; slope 1/2 needs m_1 >= 2 V(1/2) = 3.5e12 - 3/2; slope 7/8 needs
    # m_2 >= (8/3)(V(7/8) - V(1/2)) = 3.5e12 (the incentive constraint with slope 1/2 binds).
    # Raising U_1 by d costs d/2 and saves d/24: no. Value (1/4) m_1 + (1/64) m_2, that is
    # (7.4375e12 - 3) / 8.
    lottery = RandomizedContract([0.0, 0.5, 0.875], [0.375, 0.5, 0.125])
    got = worst_case_randomized(lottery, floats)
    assert got.known_choice == (None, None, None)
    assert got.value == pytest.approx((7.4375e12 - 3) / 8, rel=1e-12)
    assert worst_case_randomized(lottery.to_mixture(), floats).value == pytest.approx(
        (7.4375e12 - 3) / 8, rel=1e-12
    )


def _draw(rng, ky, kw):
    """A small random problem: outputs times 10^ky, payments and costs times 10^kw (floats whose
    exact values are the Fractions the exact route gets)."""
    n = int(rng.integers(2, 5))
    y = np.concatenate([[0.0], np.cumsum(rng.integers(1, 5, n - 1))])
    dists = []
    for _ in range(int(rng.integers(1, 3))):
        counts = np.bincount(rng.integers(0, n, 8), minlength=n)
        dists.append(counts / 8)
    known = Technology.from_arrays(
        y * 10.0**ky, dists, rng.integers(0, 5, len(dists)) / 4 * 10.0**kw
    )
    rows = []
    for _ in range(3):
        kind = rng.integers(0, 3)
        if kind == 0:
            rows.append(rng.integers(0, 5, n) / 4 * 10.0**kw)
        elif kind == 1:
            rows.append(rng.integers(0, 5) / 8 * y * 10.0**kw)
        else:
            rows.append(np.where(np.arange(n) >= rng.integers(0, n), 0.5 * 10.0**kw, 0.0))
    weights = np.bincount(rng.integers(0, 3, 8), minlength=3) / 8
    keep = weights > 0
    slopes = np.unique(rng.integers(0, 9, 3)) / 8
    return known, [r for r, k in zip(rows, keep, strict=True) if k], weights[keep], slopes


@pytest.mark.parametrize(
    ("ky", "kw"), [(-15, -15), (-12, -12), (12, 12), (15, 15), (12, 0), (0, -12)]
)
def test_seeded_search_float_route_agrees_with_the_exact_route(ky, kw):
    # the search that found the instances above. Before the fix four of these six settings failed
    # (10^-15, 10^-12, 10^15 and outputs of 10^12 with payments of 1: a different value, a wrongly
    # degenerate contract, or HiGHS failing).
    rng = np.random.default_rng([ky + 20, kw + 20])
    for _ in range(6):
        known, rows, weights, slopes = _draw(rng, ky, kw)
        exact_known = exactly(known)
        y, yx = known.outputs, exact_known.outputs
        cases = [
            (
                ContractMixture(weights, [Contract(y, r) for r in rows]),
                ContractMixture(
                    [F(float(p)) for p in weights],
                    [Contract(yx, [F(float(v)) for v in r]) for r in rows],
                ),
            ),
            (
                RandomizedContract(slopes, np.full(slopes.size, 1 / slopes.size)),
                RandomizedContract(
                    [F(float(a)) for a in slopes], [F(1, slopes.size)] * slopes.size
                ),
            ),
        ]
        scale = (
            float(known.outputs[-1]) + max(float(r.max()) for r in rows) + float(known.costs.max())
        )
        for lottery, exact_lottery in cases:
            got = worst_case_randomized(lottery, known)
            exact = worst_case_randomized(exact_lottery, exact_known)
            assert evidence(got) == evidence(exact)
            assert got.value == pytest.approx(float(exact.value), rel=0, abs=SOLVER * scale)


# --- magnitude properties -----------------------------------------------------------------------

powers = st.integers(-15, 15)


def scaled(values, k):
    """Floats nearest 10^k times each exact value."""
    return np.array([float(F(v) * F(10) ** k) for v in values])


def float_known(known, k):
    return Technology.from_arrays(
        scaled(known.outputs, k), np.asarray(known.dists, float), scaled(known.costs, k)
    )


def exact_known(known, k):
    ten = F(10) ** k
    return Technology.from_arrays(known.outputs * ten, known.dists, known.costs * ten)


def data_scale(known, payments=()):
    return float(max(known.outputs) + max(known.costs) + max((max(w) for w in payments), default=0))


@st.composite
def mixture_problems(draw):
    known = draw(technologies(exact=True, lowest=None, max_actions=2))
    kinds = ("zero", "linear", "base_wage", "bonus", "spike", "debt", "capped", "arbitrary")
    return known, draw(contract_mixtures(known.outputs, exact=True, max_size=3, kinds=kinds))


@settings(max_examples=40, deadline=None)
@given(mixture_problems(), powers)
def test_worst_case_of_a_mixture_scales(problem, k):
    known, mix = problem
    rows = [c.on(known.outputs).payments for c in mix.contracts]
    base = worst_case_randomized(mix, known)
    # rounded once to floats: the value scales within the solver's tolerance, the evidence stays
    known_k = float_known(known, k)
    mix_k = ContractMixture(
        [float(p) for p in mix.weights], [Contract(known_k.outputs, scaled(r, k)) for r in rows]
    )
    got = worst_case_randomized(mix_k, known_k)
    S = 10.0**k * data_scale(known, rows)
    assert evidence(got) == evidence(base)
    assert got.value == pytest.approx(10.0**k * float(base.value), rel=0, abs=SOLVER * S)
    # exactly scaled: the exact value scales exactly
    ten = F(10) ** k
    mix_x = ContractMixture(mix.weights, [Contract(known.outputs * ten, r * ten) for r in rows])
    exact = worst_case_randomized(mix_x, exact_known(known, k))
    assert evidence(exact) == evidence(base)
    if exact.exact and base.exact:
        assert exact.value == base.value * ten
    else:
        assert float(exact.value) == pytest.approx(10.0**k * float(base.value), abs=SOLVER * S)


@settings(max_examples=40, deadline=None)
@given(
    technologies(exact=True, lowest=None, max_actions=3), randomized_contracts(exact=True), powers
)
def test_worst_case_of_a_lottery_of_slopes_scales(known, lottery, k):
    base = worst_case_randomized(lottery, known)
    got = worst_case_randomized(
        RandomizedContract(np.asarray(lottery.slopes, float), np.asarray(lottery.weights, float)),
        float_known(known, k),
    )
    S = 10.0**k * data_scale(known)
    assert evidence(got) == evidence(base)
    assert got.value == pytest.approx(10.0**k * float(base.value), rel=0, abs=SOLVER * S)
    exact = worst_case_randomized(lottery, exact_known(known, k))
    assert evidence(exact) == evidence(base)
    assert exact.exact == base.exact
    if exact.exact:
        assert exact.value == base.value * F(10) ** k


@settings(max_examples=20, deadline=None)
@given(technologies(exact=True, lowest=None, max_actions=3), powers)
def test_bounds_of_a_continuous_lottery_scale(known, k):
    lottery = RandomizedContract.from_breakpoints([0, 0.25, 0.75, 1], [0.1, 0.3, 1, 1])
    base = worst_case_randomized(lottery, float_known(known, 0), grid=50)
    got = worst_case_randomized(lottery, float_known(known, k), grid=50)
    S = 10.0**k * data_scale(known)
    assert evidence(got) == evidence(base)
    assert got.value == pytest.approx(10.0**k * base.value, rel=0, abs=SOLVER * S)
    assert got.upper == pytest.approx(10.0**k * base.upper, rel=0, abs=SOLVER * S)
    assert got.value <= got.upper + SOLVER * S


@settings(max_examples=20, deadline=None)
@given(technologies(exact=True, lowest=None, max_actions=3), powers)
def test_optimal_lottery_scales(known, k):
    base = optimal_randomized(exact_known(known, 0), method="grid-lp", grid=40)
    got = optimal_randomized(float_known(known, k), method="grid-lp", grid=40)
    S = 10.0**k * data_scale(known)
    assert got.method == base.method
    for attribute in ("value", "upper_bound"):
        expected = 10.0**k * float(getattr(base, attribute))
        assert float(getattr(got, attribute)) == pytest.approx(expected, rel=0, abs=SOLVER * S)
    expected = 10.0**k * float(base.certificate.value)
    assert float(got.certificate.value) == pytest.approx(expected, rel=0, abs=SOLVER * S)
    assert evidence(got.certificate) == evidence(base.certificate)


@settings(max_examples=15, deadline=None)
@given(technologies(exact=True, lowest=None, max_actions=1), powers)
def test_closed_form_and_its_certificate_scale(known, k):
    base = optimal_randomized(float_known(known, 0), grid=50)
    got = optimal_randomized(float_known(known, k), grid=50)
    S = 10.0**k * data_scale(known)
    assert got.method == base.method
    assert float(got.value) == pytest.approx(10.0**k * float(base.value), rel=1e-12, abs=0)
    cert, cert0 = got.certificate, base.certificate
    assert float(cert.value) == pytest.approx(10.0**k * float(cert0.value), rel=0, abs=SOLVER * S)
    assert float(cert.upper) == pytest.approx(10.0**k * float(cert0.upper), rel=0, abs=SOLVER * S)
    assert float(cert.value) <= float(got.value) + SOLVER * S
    assert float(got.value) <= float(cert.upper) + SOLVER * S
