"""Randomised contracts: the worst case of a lottery (an LP) and the optimal lottery.

Independent checks: brute force over nature's added actions on tiny grids (integer arithmetic),
the witness technology played out with ``best_response``, the deterministic ``worst_case`` for a
one-point lottery, scipy's Lambert W for the closed form, and the grid LP against the closed
form. Worked values are derived by hand in the comments.
"""

import itertools
import math
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from contracts import (
    Contract,
    ContractMixture,
    LinearContract,
    RandomizedContract,
    Technology,
    best_response,
    guarantee,
    one_action_optimum,
    optimal_linear,
    optimal_randomized,
    worst_case,
    worst_case_randomized,
)
from contracts.strategies import (
    contract_mixtures,
    contracts,
    problems,
    randomized_contracts,
    technologies,
)

#: One known action: output 4 for sure at cost 1 (Carroll: y/2, worth 1).
FOUR = Technology.from_arrays([0, 1, 2, 3, 4], [[0, 0, 0, 0, 1]], [1])
#: One known action: uniform on {1, 2, 3} at cost 1/2 (Carroll: y/2, worth 1/2).
UNIFORM = Technology.from_arrays([0, 1, 2, 3], [[0, F(1, 3), F(1, 3), F(1, 3)]], [F(1, 2)])
HALF = F(1, 2)


def play(mixture, technology):
    """The principal's expected payoff when the agent best-responds in ``technology``."""
    if isinstance(mixture, RandomizedContract):
        mixture = mixture.to_mixture()
    return sum(
        (p * best_response(c, technology).principal_value)
        for p, c in zip(mixture.weights, mixture.contracts, strict=True)
    )


# --- worked examples ---------------------------------------------------------------------------


def test_two_slopes_beat_carroll():
    # 3/8 and 5/8, half each, against output 4 at cost 1. Nature's options (by hand):
    # reply "mean 4/3, free" to 3/8 only: 3/8 gets (5/8)(4/3) = 5/6, 5/8 keeps the known action
    # (utility 3/2 > (5/8)(4/3) = 5/6) and gets (3/8) 4 = 3/2 -> 7/6; reply "mean 12/5, free" to
    # both: 3/8 takes it too ((3/8)(12/5) = 9/10 > 1/2) -> ((5/8) + (3/8)) 12/5 / 2 = 6/5.
    # Mixed replies: mean m1 for 3/8 and m2 for 5/8 need (5/8 - 3/8) m2 >= 3/2 - 1/2 -> m2 >= 4.
    g = RandomizedContract([F(3, 8), F(5, 8)], [HALF, HALF])
    wc = worst_case_randomized(g, FOUR)
    assert wc.value == F(7, 6) and wc.exact
    assert list(wc.payoffs) == [F(5, 6), F(3, 2)]
    assert optimal_linear(FOUR).value == 1
    # alone: (5/8)(4 - 8/3) = 5/6 and (3/8)(4 - 8/5) = 9/10, average 13/15 < 7/6
    assert list(guarantee([F(3, 8), F(5, 8)], FOUR)) == [F(5, 6), F(9, 10)]
    # the same lottery as a mixture of contracts on the grid: the general LP agrees
    assert worst_case_randomized(g.to_mixture(), FOUR).value == F(7, 6)


def test_bonus_and_linear_mixture():
    # bonus 1[y >= 2] guarantees 1/6 (worst_case's own doctest), y/2 guarantees 1/2; nature's
    # replies (5/6 at 0 + 1/6 at 2 for the bonus; mean 1 free for y/2) do not interfere:
    # under the bonus the second gives 1/2 * 1/2 + ... check the value is the average, 1/3.
    mix = ContractMixture(
        [HALF, HALF], [Contract([0, 1, 2, 3], [0, 0, 1, 1]), LinearContract(HALF)]
    )
    wc = worst_case_randomized(mix, UNIFORM)
    assert wc.value == F(1, 3) and wc.exact and wc.method == "mixture-lp"
    assert len(wc.added) == 2


def test_degenerate_contract_keeps_the_known_payoff():
    # a free known action on the top output makes every slope > 0 degenerate (no action can beat
    # it); the zero contract then gets its output 2 (ties to the principal), y/2 gets 2 - 1 = 1.
    known = Technology.from_arrays([0, 1, 2], [[0, 0, 1]], [0])
    wc = worst_case_randomized(RandomizedContract([0, HALF], [HALF, HALF]), known)
    assert wc.value == F(3, 2)
    assert wc.actions == (None, None)
    assert wc.known_choice == (0, 0)
    assert wc.solver is None  # no program was needed
    assert wc.witness(F(1, 10)) is known


def test_contracts_equal_up_to_a_constant_share_one_action():
    # w and w + 1/4 rank every action alike: one added action serves both, and the value is
    # the same as for the lottery that puts all the weight on either (payoffs differ by 1/4)
    w = Contract([0, 1, 2, 3], [0, 0, 1, 1])
    w2 = Contract([0, 1, 2, 3], [F(1, 4), F(1, 4), F(5, 4), F(5, 4)])
    wc = worst_case_randomized(ContractMixture([HALF, HALF], [w, w2]), UNIFORM)
    single = worst_case(w, UNIFORM).value, worst_case(w2, UNIFORM).value
    assert wc.value == (single[0] + single[1]) / 2
    assert wc.actions[0] == wc.actions[1]
    assert wc.groups == ((0, 1),)
    # in floats too, at any scale of the payments (the grouping is relative to their magnitude)
    for scale in (1e-12, 1.0, 1e12):
        y = [0.0, 1.0, 2.0, 3.0]
        floats = ContractMixture(
            [0.5, 0.5],
            [
                Contract(y, np.array([0.0, 0.0, 1.0, 1.0]) * scale),
                Contract(y, np.array([0.25, 0.25, 1.25, 1.25]) * scale),
            ],
        )
        known = Technology.from_arrays(y, [[0.0, 1 / 3, 1 / 3, 1 / 3]], [0.5 * scale])
        assert worst_case_randomized(floats, known).groups == ((0, 1),)


def test_witness_approaches_the_value_from_above_linearly():
    g = RandomizedContract([F(3, 8), F(5, 8)], [HALF, HALF])
    wc = worst_case_randomized(g, FOUR)
    payoffs = {e: play(g, wc.witness(e)) for e in (F(1, 10), F(1, 100), F(1, 1000))}
    assert all(v > wc.value for v in payoffs.values())
    # payoff(eps) = (1 - eps) value + eps P0: the same slope from every eps
    slopes = {(v - wc.value) / e for e, v in payoffs.items()}
    assert len(slopes) == 1


def test_one_point_lottery_is_the_deterministic_worst_case():
    bonus = Contract([0, 1, 2, 3], [0, 0, 1, 1])
    assert worst_case_randomized(ContractMixture([1], [bonus]), UNIFORM).value == F(1, 6)
    g = RandomizedContract([HALF], [1])
    assert worst_case_randomized(g, UNIFORM).value == guarantee(HALF, UNIFORM) == HALF


def test_repr_is_a_table():
    g = RandomizedContract([F(3, 8), F(5, 8)], [HALF, HALF])
    text = repr(worst_case_randomized(g, FOUR))
    assert "value=7/6" in text and "known a0" in text and "added {1: 2/3, 2: 1/3}" in text


# --- brute force over nature's added actions (integer arithmetic) -----------------------------


def _compositions(total, parts):
    for cut in itertools.combinations(range(total + parts - 1), parts - 1):
        bounds = (-1, *cut, total + parts - 1)
        yield [bounds[i + 1] - bounds[i] - 1 for i in range(parts)]


def brute_force(y, W, p, known_dist, known_cost, steps=12, cost_den=8):
    """Min over adding one or two actions (probabilities k/steps, costs j/cost_den) of the
    principal's payoff, ties to her. Everything is scaled to integers: exact comparisons.

    ``y``, ``W`` integers; ``known_dist`` multiples of 1/steps; ``known_cost`` of 1/cost_den;
    ``p`` Fractions. Returns a Fraction.
    """
    n = len(y)
    y = np.array(y, dtype=np.int64)
    W = np.array(W, dtype=np.int64)
    top = int(W.max())
    dists = np.array(list(_compositions(steps, n)), dtype=np.int64)  # counts out of `steps`
    costs = np.arange(0, top * cost_den + 1, dtype=np.int64)  # in units of 1/cost_den
    D = np.repeat(dists, costs.size, axis=0)
    C = np.tile(costs, dists.shape[0])
    kd = np.array([int(v * steps) for v in known_dist], dtype=np.int64)
    kc = int(known_cost * cost_den)
    # utilities in units of 1/(steps*cost_den); payoffs in units of 1/steps
    U = [(D @ W[k]) * cost_den - C * steps for k in range(len(W))]
    T = [D @ (y - W[k]) for k in range(len(W))]
    Uk = [int(kd @ W[k]) * cost_den - kc * steps for k in range(len(W))]
    Tk = [int(kd @ (y - W[k])) for k in range(len(W))]
    den = math.lcm(*(q.denominator for q in p))
    P = [int(q * den) for q in p]
    S = D.shape[0]
    best = None
    for s1 in range(S):
        total = np.zeros(S, dtype=np.int64)
        for k in range(len(W)):
            # candidates: known, s1, s2 (vectorised over s2); ties go to the larger payoff
            u = np.stack([np.full(S, Uk[k]), np.full(S, U[k][s1]), U[k]])
            t = np.stack([np.full(S, Tk[k]), np.full(S, T[k][s1]), T[k]])
            chosen = np.where(u == u.max(axis=0), t, np.iinfo(np.int64).min).max(axis=0)
            total += P[k] * chosen
        m = int(total.min())
        best = m if best is None else min(best, m)
    return F(best, den * steps)


BRUTE_CASES = [
    # y, contracts, weights, known dist (1/6s), known cost (1/4s)
    ([0, 1, 2], [[0, 0, 2], [0, 1, 2]], [HALF, HALF], [0, F(1, 2), F(1, 2)], F(1, 4)),
    ([0, 1, 2], [[0, 1, 1], [0, 0, 2]], [F(1, 3), F(2, 3)], [F(1, 6), F(1, 3), F(1, 2)], F(1, 2)),
    ([0, 1, 2], [[0, 0, 1], [1, 1, 2]], [HALF, HALF], [0, 0, 1], F(3, 4)),
    ([0, 2], [[0, 1], [0, 2]], [F(1, 4), F(3, 4)], [F(1, 3), F(2, 3)], F(1, 4)),
]


@pytest.mark.parametrize(("y", "W", "p", "dist", "cost"), BRUTE_CASES)
def test_lp_against_brute_force(y, W, p, dist, cost):
    known = Technology.from_arrays(y, [dist], [cost])
    mix = ContractMixture(p, [Contract(y, w) for w in W])
    wc = worst_case_randomized(mix, known)
    assert wc.exact
    brute = brute_force(y, W, p, dist, cost)
    # every technology gives at least the LP value (the lower bound, exactly) ...
    assert brute >= wc.value
    # ... and the grid of 1/12 probabilities and 1/8 costs gets close (the optimum is a limit
    # of strictly preferred actions; one grid step of tilt costs at most max|y - w| / 12 each)
    assert brute - wc.value <= F(2, 12) * max(
        max(abs(a - b) for a, b in zip(y, w, strict=True)) for w in W
    )
    # and the witness gets as close as we like
    eps = F(1, 10**6)
    assert wc.value <= play(mix, wc.witness(eps)) <= wc.value + eps * 10 * max(y)


# --- properties --------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(problems(exact=True))
def test_one_point_mixture_equals_worst_case(problem):
    known, contract = problem
    assert (
        worst_case_randomized(ContractMixture([1], [contract]), known).value
        == worst_case(contract, known).value
    )


@st.composite
def mixture_problems(draw, exact=True, max_size=3):
    known = draw(technologies(exact=exact, max_actions=2))
    kinds = ("zero", "linear", "base_wage", "bonus", "spike", "debt", "capped", "arbitrary")
    return known, draw(
        contract_mixtures(known.outputs, exact=exact, max_size=max_size, kinds=kinds)
    )


@settings(max_examples=40, deadline=None)
@given(mixture_problems())
def test_value_between_average_guarantee_and_known_payoff(problem):
    # nature must face every contract with one technology, so the lottery guarantees at least
    # the average of the contracts' guarantees; and the known technology is one of nature's
    # options, so at most the average known-technology payoff
    known, mix = problem
    wc = worst_case_randomized(mix, known)
    assume(wc.exact)
    alone = sum(
        p * worst_case(c, known).value for p, c in zip(mix.weights, mix.contracts, strict=True)
    )
    if_known = play(mix, known)
    assert alone <= wc.value <= if_known


@settings(max_examples=30, deadline=None)
@given(mixture_problems(max_size=2), st.data())
def test_more_known_actions_never_hurt(problem, data):
    known, mix = problem
    extra = data.draw(technologies(grid=known.outputs, exact=True, max_actions=1))
    bigger = Technology(known.outputs, (*known.actions, *extra.actions))
    assert worst_case_randomized(mix, bigger).value >= worst_case_randomized(mix, known).value


@settings(max_examples=25, deadline=None)
@given(mixture_problems(max_size=2))
def test_witness_is_affine_in_eps(problem):
    known, mix = problem
    wc = worst_case_randomized(mix, known)
    assume(wc.exact)
    values = {e: play(mix, wc.witness(e)) for e in (F(1, 100), F(1, 1000))}
    assert all(v >= wc.value for v in values.values())
    assert len({(v - wc.value) / e for e, v in values.items()}) == 1


@settings(max_examples=30, deadline=None)
@given(technologies(exact=True, max_actions=2), randomized_contracts(exact=True))
def test_linear_lp_equals_general_lp(known, lottery):
    short = worst_case_randomized(lottery, known)
    full = worst_case_randomized(lottery.to_mixture(), known)
    assert short.value == full.value
    assert short.method == "linear-lp" and full.method == "mixture-lp"


@settings(max_examples=20, deadline=None)
@given(mixture_problems(max_size=2), st.integers(1, 3))
def test_scaling_outputs_and_costs(problem, k):
    known, mix = problem
    s = 10**k
    scaled = Technology.from_arrays(known.outputs * s, known.dists, known.costs * s)
    contracts_s = [
        Contract(scaled.outputs, c.on(known.outputs).payments * s) for c in mix.contracts
    ]
    v = worst_case_randomized(mix, known)
    vs = worst_case_randomized(ContractMixture(mix.weights, contracts_s), scaled)
    if v.exact and vs.exact:
        assert vs.value == s * v.value
    else:
        assert float(vs.value) == pytest.approx(s * float(v.value), rel=1e-7, abs=1e-7 * s)


@settings(max_examples=25, deadline=None)
@given(mixture_problems(exact=False, max_size=3))
def test_no_lottery_beats_the_optimal_linear_lottery(problem):
    # Kambhampati-Peng-Tang-Toikka-Vohra: lotteries over linear contracts are optimal; our grid
    # optimum's upper bound B bounds the optimum over all lotteries
    known, mix = problem
    best = optimal_randomized(known, method="grid-lp", grid=50)
    value = worst_case_randomized(mix, known).value
    assert value <= best.upper_bound + 1e-7 * max(1.0, float(known.outputs[-1]))


# --- the optimal lottery -----------------------------------------------------------------------


def lambert_beta(kappa):
    from scipy.special import lambertw

    return 1 - (kappa - 1) / lambertw((kappa - 1) / math.e, -1).real


@pytest.mark.parametrize("kappa", [1e-6, 0.01, 0.25, 0.5, 0.9, 0.999])
def test_closed_form_matches_lambert_w(kappa):
    value, beta = one_action_optimum(1.0, kappa)
    assert beta == pytest.approx(lambert_beta(kappa), rel=1e-12, abs=1e-12)
    assert value == pytest.approx(1 - beta, rel=1e-12)
    assert beta + (1 - beta) * math.log1p(-beta) == pytest.approx(kappa, rel=1e-12, abs=1e-15)


def test_closed_form_exact_cases():
    assert one_action_optimum(F(3, 2), 0) == (F(3, 2), 0)  # free action: the zero contract
    assert one_action_optimum(2, 3) == (0, 0)  # trivial
    assert one_action_optimum(5, 3, lowest=2) == (2, 0)  # shifted: 5 - 2 <= 3
    opt = optimal_randomized(Technology.from_arrays([0, 1, 2], [[0, HALF, HALF]], [0]))
    assert opt.value == F(3, 2) and opt.exact and opt.contract.slopes.tolist() == [0]


@settings(max_examples=12, deadline=None)
@given(st.integers(1, 12), st.integers(1, 12), st.integers(0, 2))
def test_closed_form_matches_the_grid_lp(top, c_num, y0):
    # one action, output y0 + top for sure, cost c_num / 4 < top; grid of 400 cells
    cost = F(c_num, 4)
    assume(cost < top)
    y = list(range(y0, y0 + top + 1))
    known = Technology.from_arrays(y, [[int(v == y0 + top) for v in y]], [cost])
    exact_value, _ = one_action_optimum(y0 + top, cost, y0)
    grid = optimal_randomized(known, method="grid-lp", grid=400)
    h = 1 / 400
    assert grid.value <= exact_value + 1e-9 * top
    assert exact_value <= grid.upper_bound + 1e-9 * top
    assert exact_value - grid.value <= h * top + 1e-9 * top  # the a priori grid bound
    # randomisation strictly beats Carroll whenever his slope is positive
    assert exact_value > float(grid.carroll.value)


def test_closed_form_certificate_brackets_the_value():
    best = optimal_randomized(FOUR)
    cert = best.certificate
    assert cert.value <= best.value <= cert.upper
    # a priori: (y_hi - y0)(h + max cell mass) with density <= W/(1 - beta), W = 1/ln(1/(1-b))
    beta = 1 - best.value / 4
    density = 1 / (-math.log1p(-beta)) / (1 - beta)
    assert cert.upper - cert.value <= 4 * (1 / 1000) * (1 + density)
    assert best.gain == pytest.approx(best.value - 1)


@settings(max_examples=15, deadline=None)
@given(technologies(exact=False, max_actions=3))
def test_grid_optimum_never_below_carroll(known):
    best = optimal_randomized(known, method="grid-lp", grid=60)
    scale = max(1.0, float(known.outputs[-1]))
    assert best.value >= float(best.carroll.value) - 1e-7 * scale
    assert best.certificate.value == pytest.approx(best.value, rel=1e-6, abs=1e-7 * scale)
    assert best.value <= best.upper_bound + 1e-9 * scale
    # more known actions than one: at least the best single action's closed form, minus the grid
    one = max(
        float(one_action_optimum(m, c, known.lowest_output)[0])
        for m, c in zip(known.means, known.costs, strict=True)
    )
    assert best.upper_bound >= one - 1e-7 * scale


@settings(max_examples=10, deadline=None)
@given(technologies(exact=False, max_actions=3), st.integers(1, 3))
def test_optimum_scales_with_outputs_and_costs(known, k):
    s = 10.0**k
    scaled = Technology.from_arrays(known.outputs * s, known.dists, known.costs * s)
    a = optimal_randomized(known, method="grid-lp", grid=40)
    b = optimal_randomized(scaled, method="grid-lp", grid=40)
    assert b.value == pytest.approx(s * a.value, rel=1e-6, abs=1e-7 * s)


def test_free_top_action_makes_the_zero_contract_optimal():
    known = Technology.from_arrays([0, 1, 2], [[0, 0, 1], [0, 1, 0]], [0, F(1, 4)])
    best = optimal_randomized(known)
    assert best.value == 2 and best.method == "zero-contract" and best.exact
    assert best.certificate.value == 2


def test_tour_technology_gains():
    from contracts._tour import example_technology

    best = optimal_randomized(example_technology(), grid=200)
    assert best.value > best.carroll.value == F(4, 3)
    assert best.value <= best.upper_bound


# --- the lottery objects ----------------------------------------------------------------------


def test_sampling_follows_the_weights():
    g = RandomizedContract([0, F(1, 4), F(1, 2)], [F(1, 2), F(1, 4), F(1, 4)])
    draws = g.sample_slopes(np.random.default_rng(1), 40_000)
    freq = [np.mean(draws == v) for v in (0, 0.25, 0.5)]
    assert freq == pytest.approx([0.5, 0.25, 0.25], abs=0.01)
    assert g.sample(rng=3) == g.sample(rng=np.random.default_rng(3))  # seeds are reproducible
    assert g.sample(rng=3).alpha in (0, F(1, 4), F(1, 2))  # exact slopes


def test_closed_form_sampling_and_mean():
    g = optimal_randomized(FOUR).contract
    draws = np.sort(g.sample_slopes(7, 20_000))
    empirical = np.arange(1, draws.size + 1) / draws.size
    assert np.max(np.abs(empirical - g.cdf(draws))) < 0.015  # Kolmogorov-Smirnov, seeded
    a = np.linspace(0, 1, 200_001)
    assert g.mean_slope == pytest.approx(np.trapezoid(1 - g.cdf(a), a), abs=1e-8)
    assert g.mean_contract() == LinearContract(g.mean_slope)
    # a callable without quantile samples by bisection, and its mean is integrated
    h = RandomizedContract.from_cdf(lambda x: np.clip(x, 0, 1) ** 2)
    assert np.mean(h.sample_slopes(5, 20_000)) == pytest.approx(2 / 3, abs=0.01)
    assert h.mean_slope == pytest.approx(2 / 3, abs=1e-5)


def test_continuous_bounds_contain_a_discrete_lottery():
    # the lottery of test_two_slopes_beat_carroll as a step CDF: the grid bounds must contain
    # its exact value 7/6
    step = RandomizedContract.from_cdf(
        lambda a: 0.5 * (np.asarray(a) >= 0.375) + 0.5 * (np.asarray(a) >= 0.625)
    )
    wc = worst_case_randomized(step, FOUR, grid=64)
    assert wc.value <= F(7, 6) <= wc.upper
    assert wc.upper - wc.value <= 4 * (1 / 64 + 0.5) + 1e-9


def test_breakpoints_and_callable_agree():
    a = RandomizedContract.from_breakpoints([0, 0.5, 1], [0, 1, 1])
    b = RandomizedContract.from_cdf(lambda x: np.clip(2 * np.asarray(x), 0, 1), support=(0, 0.5))
    wa, wb = worst_case_randomized(a, FOUR, grid=100), worst_case_randomized(b, FOUR, grid=100)
    assert wa.value == pytest.approx(wb.value, abs=1e-9)
    assert wa.upper == pytest.approx(wb.upper, abs=1e-9)
    assert a.mean_slope == 0.25


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([0.5, 0.6], "sum to 1.1"),
        ([F(1, 2), F(1, 3)], "exact weights must sum to exactly 1"),
        ([-0.5, 1.5], "is negative"),
        ([float("nan"), 1.0], "is nan"),
        ([float("inf"), 0.0], "is inf"),
    ],
)
def test_bad_weights(weights, message):
    with pytest.raises(ValueError, match=message):
        RandomizedContract([0, HALF], weights)
    with pytest.raises(ValueError, match=message):
        ContractMixture(weights, [LinearContract(0), LinearContract(HALF)])


def test_bad_lotteries():
    with pytest.raises(ValueError, match="on outputs"):
        ContractMixture([HALF, HALF], [Contract([0, 1], [0, 1]), Contract([0, 1, 2], [0, 1, 2])])
    with pytest.raises(ValueError, match="outside"):
        RandomizedContract([0, 2], [HALF, HALF])
    with pytest.raises(ValueError, match="appears twice"):
        RandomizedContract([HALF, HALF], [HALF, HALF])
    with pytest.raises(ValueError, match="not non-decreasing"):
        RandomizedContract.from_cdf(
            lambda a: np.sin(6 * np.asarray(a)) ** 2 * 0 + (a > 0.3) - (a > 0.6) + (a >= 1)
        )
    with pytest.raises(ValueError, match=r"cdf\(1\)"):
        RandomizedContract.from_cdf(lambda a: 0.5 * np.asarray(a))
    with pytest.raises(ValueError, match="not non-decreasing"):
        RandomizedContract.from_breakpoints([0, 0.5, 1], [0.2, 0.1, 1])
    with pytest.raises(ValueError, match="must increase"):
        RandomizedContract.from_breakpoints([0, 0.5, 0.5, 1], [0, 0.2, 0.3, 1])
    with pytest.raises(ValueError, match="is nan"):
        RandomizedContract.from_cdf(lambda a: float("nan"))
    with pytest.raises(TypeError, match="ContractMixture or a RandomizedContract"):
        worst_case_randomized(LinearContract(HALF), FOUR)
    with pytest.raises(ValueError, match="exceeds the lowest output"):
        worst_case_randomized(RandomizedContract([HALF], [1], origin=1), FOUR)
    with pytest.raises(ValueError, match="not on the"):  # a contract on another grid
        worst_case_randomized(ContractMixture([1], [Contract([0, 1], [0, 1])]), FOUR)
    with pytest.raises(ValueError, match="exactly one known action"):
        optimal_randomized(
            Technology.from_arrays([0, 1], [[1, 0], [0, 1]], [0, 1]), method="closed-form"
        )
    with pytest.raises(TypeError, match="rng"):
        RandomizedContract([0], [1]).sample(rng="seed")


def test_inputs_are_not_mutated():
    slopes = np.array([0.5, 0.25])
    weights = np.array([0.5, 0.5])
    g = RandomizedContract(slopes, weights)
    assert slopes.tolist() == [0.5, 0.25] and g.slopes.tolist() == [0.25, 0.5]
    with pytest.raises(ValueError, match="read-only"):
        g.weights[0] = 1.0


def test_contracts_strategy_draws_valid_mixtures():
    @settings(max_examples=10, deadline=None)
    @given(contract_mixtures([0, 1, 2], exact=True), contracts([0, 1, 2], exact=False))
    def check(mix, contract):
        assert sum(mix.weights) == 1
        assert isinstance(contract, Contract)

    check()


def test_gain_is_unbounded_as_the_cost_nears_the_mean():
    # Carroll's value vanishes like (1 - kappa)^2 / 4, the lottery's like (1 - kappa) / ln(...)
    ratios = []
    for kappa in (0.9, 0.99, 0.999, 0.9999):
        carroll = (1 - math.sqrt(kappa)) ** 2
        ratios.append(one_action_optimum(1.0, kappa)[0] / carroll)
    assert ratios == sorted(ratios) and ratios[-1] > 1000


# --- the picture and the tour ------------------------------------------------------------------


def test_plot_of_the_optimal_lottery():
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from contracts import plot

    best = optimal_randomized(FOUR)
    ax = plot.randomized(best)
    lines = {line.get_label(): line for line in ax.lines}
    assert set(lines) == {"CDF of the slope", "Carroll's slope", "mean slope"}
    assert lines["Carroll's slope"].get_xdata()[0] == pytest.approx(0.5)
    assert lines["mean slope"].get_xdata()[0] == pytest.approx(best.contract.mean_slope)
    assert max(lines["CDF of the slope"].get_ydata()) == pytest.approx(1.0)
    given_ax = Figure().subplots()
    discrete = RandomizedContract([0, HALF], [F(1, 4), F(3, 4)])
    assert plot.randomized(discrete, carroll=0.25, ax=given_ax) is given_ax
    steps = next(line for line in given_ax.lines if line.get_label() == "CDF of the slope")
    assert list(steps.get_ydata()) == [0, 0.25, 1.0, 1.0]
    with pytest.raises(TypeError, match="OptimalRandomized or a RandomizedContract"):
        plot.randomized(FOUR)


def test_tour_compares_deterministic_and_randomised():
    import io

    from contracts import _tour

    out = io.StringIO()
    _tour.section(out)
    text = out.getvalue()
    assert "Carroll's best deterministic contract: 4/3 (alpha = 1/3)" in text
    assert "best lottery over alpha y (grid LP" in text
    # work alone (mean 3, cost 1/3): kappa = 1/9
    value, _ = one_action_optimum(3, F(1, 3))
    assert f"work alone has a closed form: {value:.4f}" in text
