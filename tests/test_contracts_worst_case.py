"""The worst-case payoff V_P(w): worked examples, a second and a third algorithm, brute force."""

import itertools
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from contracts import Action, Contract, LinearContract, Technology, best_response, worst_case
from contracts._solvers import solve_bridge, solve_hull
from contracts.strategies import contracts, outputs, problems, technologies

Y = [0, 1, 2, 3]
UNIFORM_123 = Technology.from_arrays(Y, [[0, F(1, 3), F(1, 3), F(1, 3)]], [F(1, 2)])


def pairwise_value(known, contract):
    """Independent O(n^2) evaluation of the lemma from its definition.

    V_P(w) = min E_G[y - w] over G with E_G[w] >= V_A: an optimal G has at most two support
    points, so enumerate single points with w >= V and pairs straddling V (mixed to mean V).
    The degenerate case V = max w is V_P(w | A0) with ties to the principal.
    """
    y = list(known.outputs)
    w = list(contract.on(known.outputs).payments)
    utilities = [
        sum(p * wi for p, wi in zip(d, w, strict=True)) - c
        for d, c in zip(known.dists, known.costs, strict=True)
    ]
    V = max(utilities)
    if V == max(w):
        return max(
            sum(p * (yi - wi) for p, yi, wi in zip(d, y, w, strict=True))
            for d, u in zip(known.dists, utilities, strict=True)
            if u == V
        )
    t = [yi - wi for yi, wi in zip(y, w, strict=True)]
    best = min(t[i] for i in range(len(y)) if w[i] >= V)
    for i, j in itertools.permutations(range(len(y)), 2):
        if w[i] < V < w[j]:
            p = (V - w[i]) / (w[j] - w[i])
            best = min(best, (1 - p) * t[i] + p * t[j])
    return best


# --- worked examples, computed by hand -------------------------------------------------------


def test_bonus_contract_binding_constraint():
    # w = 1[y >= 2]; the known action (uniform on {1,2,3}, cost 1/2) gives the agent 2/3 - 1/2.
    # Points (w, y - w): (0,0) (0,1) (1,1) (1,2). Lowest point (0,0) pays less than V = 1/6, so
    # L is on the edge (0,0)-(1,1) of slope 1 at x = 1/6: L = 1/6, G = 5/6 at 0 + 1/6 at 2.
    wc = worst_case(Contract(Y, [0, 0, 1, 1]), UNIFORM_123)
    assert wc.value == F(1, 6)
    assert wc.agent_value == F(1, 6)
    assert wc.support == {0: F(5, 6), 2: F(1, 6)}
    assert wc.multiplier == 1
    assert wc.multiplier_range == (1, 1)
    assert not wc.attained
    assert not wc.degenerate


def test_bonus_contract_slack_constraint_is_attained():
    # w = 2 * 1[y >= 2]: V = 4/3 - 1/2 = 5/6. The point y = 2 has y - w = 0, the lowest value,
    # and pays 2 > 5/6: nature adds (delta_2, 0), strictly preferred, and the principal gets 0.
    wc = worst_case(Contract(Y, [0, 0, 2, 2]), UNIFORM_123)
    assert (wc.value, wc.agent_value) == (0, F(5, 6))
    assert wc.support == {2: 1}
    assert wc.attained
    assert wc.multiplier == 0


def test_base_wage_is_exploited():
    # Y = {0,1,2}; known: all mass on 2 at cost 1/2; w = 3/10 + 1[y = 2].
    # V = 13/10 - 1/2 = 4/5. Points (w, t): (3/10, -3/10), (3/10, 7/10), (13/10, 7/10).
    # Edge from (3/10,-3/10) to (13/10, 7/10) has slope 1: L = -3/10 + (4/5 - 3/10) = 1/5,
    # with G = 1/2 at 0 and 1/2 at 2.
    known = Technology.from_arrays([0, 1, 2], [[0, 0, 1]], [F(1, 2)])
    wc = worst_case(Contract([0, 1, 2], [F(3, 10), F(3, 10), F(13, 10)]), known)
    assert wc.value == F(1, 5)
    assert wc.support == {0: F(1, 2), 2: F(1, 2)}


def test_degenerate_case_value_is_the_known_payoff():
    # Y = {0,1,2}, w = (0, 1, 1); known: all mass on 2 at cost 0, so V_A = 1 = max w.
    # The formula L(w) would give 0 (nature puts G on y = 1 where y - w = 0), but nature can
    # only tie the agent, and the principal picks the known action: V_P = 2 - 1 = 1.
    known = Technology.from_arrays([0, 1, 2], [[0, 0, 1]], [0])
    contract = Contract([0, 1, 2], [0, 1, 1])
    wc = worst_case(contract, known)
    assert wc.degenerate and wc.attained
    assert wc.value == 1
    assert wc.multiplier is None
    assert wc.witness(F(1, 10)) == known
    # adding the tying action (delta_1, 0) leaves the principal's payoff at 1
    tie = known.with_action(Action([0, 1, 0], 0))
    assert best_response(contract, tie).principal_value == 1


def test_kink_gives_a_multiplier_interval():
    # Grid {0, 1, 3}, w = (0, 1/2, 1), known: all mass on 3 at cost 1/2, so V = 1 - 1/2 = 1/2.
    # Points (w, y - w): (0, 0), (1/2, 1/2), (1, 2): hull slopes 1 then 3, a vertex at x = V.
    # So L = 1/2 (all mass on y = 1), and every multiplier in [1, 3] gives a supporting line.
    known = Technology.from_arrays([0, 1, 3], [[0, 0, 1]], [F(1, 2)])
    wc = worst_case(Contract([0, 1, 3], [0, F(1, 2), 1]), known)
    assert wc.value == F(1, 2)
    assert wc.support == {1: 1}
    assert wc.multiplier_range == (1, 3)
    assert wc.multiplier == 3


def test_linear_contract_matches_closed_form():
    # V_P(y/2) = (1 - 1/2)/(1/2) * V_A = 2/2 - 1/2 = 1/2
    assert worst_case(LinearContract(F(1, 2)), UNIFORM_123).value == F(1, 2)


def test_lowest_output_above_zero():
    # Y = {1,...,5}, one action uniform on {3,4,5} at cost 3/4, contract (y - 1)/2.
    # V_A = (4 - 1)/2 - 3/4 = 3/4; nature needs E[(y-1)/2] >= 3/4, i.e. E y >= 5/2, and the
    # principal gets E[y] - E[(y-1)/2] = 1/2 + E[y]/2 >= 1/2 + 5/4 = 7/4.
    known = Technology.from_arrays([1, 2, 3, 4, 5], [[0, 0, F(1, 3), F(1, 3), F(1, 3)]], [F(3, 4)])
    assert worst_case(LinearContract(F(1, 2), origin=1), known).value == F(7, 4)


def test_witness_approaches_value_at_rate_eps():
    wc = worst_case(Contract(Y, [0, 0, 1, 1]), UNIFORM_123)
    for eps in (F(1, 10), F(1, 1000), F(1, 10**6)):
        got = best_response(wc.contract, wc.witness(eps)).principal_value
        # (1 - eps) * 1/6 + eps * (2 - 1): the tilt goes to y = 2 (argmax w, lowest y - w)
        assert got == (1 - eps) * F(1, 6) + eps
    with pytest.raises(ValueError, match="0 < eps <= 1"):
        wc.witness(0)


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=150)
@given(problems(exact=True))
@example((UNIFORM_123, Contract(Y, [0, 0, 1, 1])))
def test_exact_value_equals_pairwise_definition(problem):
    known, contract = problem
    wc = worst_case(contract, known)
    assert wc.value == pairwise_value(known, contract)
    # the adversary is a distribution meeting the constraint with value L, on <= 2 points
    g = wc.adversary.array
    assert sum(g) == 1 and all(p >= 0 for p in g)
    if not wc.degenerate:
        w = contract.payments
        assert np.count_nonzero(g) <= 2
        assert g @ w >= wc.agent_value
        assert g @ (known.outputs - w) == wc.value


@settings(max_examples=150)
@given(problems(exact=True, lowest=None), st.integers(-8, 40))
def test_bridge_equals_full_hull(problem, v):
    known, contract = problem
    y, w = known.outputs, contract.payments
    V = F(v, 4)
    if V >= w.max():
        return
    a, b = solve_bridge(y, w, V), solve_hull(y, w, V)
    assert (a[0], a[2], a[3]) == (b[0], b[2], b[3])


@settings(max_examples=60)
@given(problems(exact=False, lowest=None))
def test_exact_method_equals_lp(problem):
    known, contract = problem
    exact = worst_case(contract, known)
    lp = worst_case(contract, known, method="lp")
    scale = max(1.0, float(np.max(known.outputs)), float(np.max(contract.payments)))
    assert lp.value == pytest.approx(exact.value, abs=1e-7 * scale)
    assert lp.degenerate == exact.degenerate
    if not lp.degenerate:  # degenerate: the adversary is the chosen known action's distribution
        assert np.count_nonzero(lp.adversary.array) <= 2


@st.composite
def small_problems(draw, *, max_outputs, max_actions):
    """Exact ``(known, contract)`` on at most ``max_outputs`` outputs (brute force stays small)."""
    grid = draw(outputs(exact=True, max_size=max_outputs))
    known = draw(technologies(grid=grid, exact=True, max_actions=max_actions))
    return known, draw(contracts(known.outputs, exact=True))


@settings(max_examples=40)
@given(small_problems(max_outputs=3, max_actions=2))
def test_value_lower_bounds_every_added_action_and_witness_attains_it(problem):
    """Brute force from the definition: add any one action (F, c), F on a grid of step 1/4."""
    known, contract = problem
    n = known.outputs.size
    assert n <= 3
    wc = worst_case(contract, known)
    grid = [
        np.array([F(k, 4) for k in ks], dtype=object)
        for ks in itertools.product(range(5), repeat=n)
        if sum(ks) == 4
    ]
    for dist in grid:
        for cost in (F(0), F(1, 4), F(1)):
            tech = known.with_action(Action(dist, cost))
            assert best_response(contract, tech).principal_value >= wc.value
    y, w = known.outputs, contract.payments
    for eps in (F(1, 100), F(1, 10**4)):
        got = best_response(contract, wc.witness(eps)).principal_value
        assert got >= wc.value
        assert got - wc.value <= eps * (1 + max(abs(v) for v in (y - w)) + abs(wc.value))


@settings(max_examples=60)
@given(problems(exact=True))
def test_attained_flag_is_honest(problem):
    known, contract = problem
    wc = worst_case(contract, known)
    if wc.degenerate:
        assert best_response(contract, known).principal_value == wc.value
        return
    w = contract.payments
    strictly_better = wc.adversary.array @ w > wc.agent_value
    known_gives_it = best_response(contract, known).principal_value == wc.value
    if strictly_better or known_gives_it:
        assert wc.attained
    if not wc.attained:
        # no one-point or two-point deviation with the same value is strictly preferred
        assert wc.adversary.array @ w == wc.agent_value


def test_large_grid_exact_and_lp_agree():
    rng = np.random.default_rng(7)
    n = 2000
    y = np.linspace(0, 10, n)
    dists = rng.random((3, n))
    dists /= dists.sum(axis=1, keepdims=True)
    known = Technology.from_arrays(y, dists, [0.5, 1.0, 2.0])
    for pay in (rng.random(n) * y, np.sqrt(y), 2.0 * (y > 5)):
        contract = Contract(y, pay)
        exact = worst_case(contract, known)
        lp = worst_case(contract, known, method="lp")
        assert lp.value == pytest.approx(exact.value, abs=1e-8)


def test_adversary_is_read_by_output_as_it_prints():
    """``wc.adversary[y]`` is the probability of output y (issue 19: it was positional)."""
    y = [0, 10, 20, 30]
    known = Technology.from_arrays(y, [[0, 0, 1, 0]], [F(1)])
    wc = worst_case(LinearContract(F(1, 10)), known)
    # nature needs E_G[w] >= V_A = 2 - 1 = 1 at least cost E_G[y - w] = 9/10 E_G[y]: the
    # cheapest is E_G[y] = 10, e.g. all mass on 10 (hull of (w, t) = (y/10, 9y/10) is a line,
    # the bridge picks one point of it)
    assert wc.value == 9
    shown = repr(wc).split("adversary=", 1)[1].split("}", 1)[0] + "}"
    assert repr(wc.adversary) == shown
    for output, p in zip(y, wc.adversary.array, strict=True):
        assert wc.adversary[output] == p
        assert (output in wc.adversary) == (p != 0)
    assert sum(wc.adversary.values()) == 1
    assert list(wc.adversary) == [v for v, p in zip(y, wc.adversary.array, strict=True) if p]
    with pytest.raises(KeyError, match="not an output"):
        wc.adversary[15]
    assert not wc.adversary.array.flags.writeable
    assert np.asarray(wc.adversary) is wc.adversary.array
    assert wc.adversary == wc.support
