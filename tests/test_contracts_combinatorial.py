"""Combinatorial contracts: demand, critical values (two routes), gross substitutes."""

from fractions import Fraction as F
from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.combinatorial import (
    MAX_ITEMS,
    CombinatorialTechnology,
    additive,
    budget_additive,
    critical_values,
    demand,
    greedy_demand,
    gross_substitutes_violation,
    is_gross_substitutes,
    k_demand,
    unit_demand,
)
from contracts.strategies import combinatorial_technologies

GS = ("additive", "unit_demand", "k_demand")


def brute_demand(tech, alpha):
    """Every set by hand: largest agent utility, then largest f; returns (f, c)."""
    best = None
    for bits in product([0, 1], repeat=tech.n):
        items = {i for i, b in enumerate(bits) if b}
        f, c = tech.value(items), tech.cost(items)
        key = (alpha * tech.reward * f - c, f)
        if best is None or key > best[0]:
            best = (key, (f, c))
    return best[1]


def line(tech, items):
    return tech.value(items), tech.cost(items)


def test_two_items_by_hand():
    # f = 0, 1/2, 1/2, 3/4 (bitmask order), costs 1/8, 1/4. Lines: 0, a/2 - 1/8, a/2 - 1/4,
    # 3a/4 - 3/8. {0} beats {} from a = 1/4; {0,1} ties {0} at a = 1 (3/4 - 3/8 = 3/8 = 1/2 - 1/8)
    # and the principal, indifferent at a = 1, gets the larger f. {1} is never demanded.
    tech = CombinatorialTechnology([0, F(1, 2), F(1, 2), F(3, 4)], [F(1, 8), F(1, 4)])
    for method in ("enumerate", "demand"):
        cv = critical_values(tech, method=method)
        assert cv.breakpoints == (F(1, 4), 1)
        assert cv.sets == (frozenset(), frozenset({0}), frozenset({0, 1}))
        assert cv.values == (0, F(3, 8), 0)
        assert (cv.alpha, cv.value) == (F(1, 4), F(3, 8))
    assert demand(tech, 1).items == {0, 1}
    assert demand(tech, F(1, 4)).items == {0}
    assert demand(tech, F(1, 5)).items == frozenset()


def test_reward_and_base_probability_by_hand():
    # f({}) = 1/5 (success without effort), one item raising it to 3/5 at cost 1, reward 4.
    # The agent takes it when 4a (3/5 - 1/5) >= 1, a >= 5/8; the principal then gets
    # (3/8) 4 (3/5) = 9/10 against 4 (1/5) = 4/5 at a = 0.
    tech = CombinatorialTechnology({frozenset(): F(1, 5), frozenset({0}): F(3, 5)}, [1], reward=4)
    cv = critical_values(tech)
    assert cv.breakpoints == (F(5, 8),)
    assert cv.values == (F(4, 5), F(9, 10))
    assert (cv.alpha, cv.value) == (F(5, 8), F(9, 10))
    assert cv.payoff(F(1, 2)) == F(1, 2) * 4 * F(1, 5)


@settings(max_examples=60)
@given(combinatorial_technologies(kinds=("additive",), max_items=5))
def test_additive_critical_values_are_the_item_thresholds(tech):
    # independently: item i is worth taking iff a R p_i >= c_i, so the critical values are the
    # distinct thresholds c_i / (R p_i) in (0, 1] (items with p_i = 0 never matter)
    p = [tech.value({i}) - tech.value(set()) for i in range(tech.n)]
    thresholds = {tech.costs[i] / (tech.reward * p[i]) for i in range(tech.n) if p[i] > 0}
    expected = tuple(sorted(t for t in thresholds if 0 < t <= 1))
    assert critical_values(tech).breakpoints == expected


@settings(max_examples=60)
@given(combinatorial_technologies(max_items=4))
def test_enumeration_matches_brute_force(tech):
    cv = critical_values(tech)
    grid = [F(j, 32) for j in range(33)]
    for alpha in (*grid, *cv.breakpoints):
        f, c = brute_demand(tech, alpha)
        assert line(tech, cv.set_at(alpha)) == (f, c)
        assert line(tech, demand(tech, alpha).items) == (f, c)
        assert cv.payoff(alpha) == (1 - alpha) * tech.reward * f
        assert cv.payoff(alpha) <= cv.value
    # the demand really changes at each critical value, and f rises there
    for k in range(len(cv.breakpoints)):
        assert cv.success[k] < cv.success[k + 1]


@settings(max_examples=60)
@given(combinatorial_technologies(max_items=5))
def test_demand_oracle_route_equals_enumeration(tech):
    by_enum = critical_values(tech)
    by_oracle = critical_values(tech, method="demand", oracle="enumerate")
    assert by_oracle.breakpoints == by_enum.breakpoints
    assert by_oracle.sets == by_enum.sets  # the same tie rule: same sets
    assert (by_oracle.alpha, by_oracle.value) == (by_enum.alpha, by_enum.value)
    assert by_oracle.queries <= 2 * len(by_enum.breakpoints) + 2


@settings(max_examples=80)
@given(combinatorial_technologies(kinds=GS, max_items=6))
def test_gross_substitutes_greedy_demand_and_polynomial_critical_values(tech):
    assert is_gross_substitutes(tech)
    cv = critical_values(tech)
    n = tech.n
    assert len(cv.breakpoints) <= n * (n + 1) // 2  # O(n^2) for gross substitutes (DEFK 2021)
    for alpha in (*(F(j, 16) for j in range(17)), *cv.breakpoints):
        assert line(tech, greedy_demand(tech, alpha).items) == line(tech, demand(tech, alpha).items)
    greedy = critical_values(tech, method="demand", oracle="greedy")
    assert greedy.breakpoints == cv.breakpoints
    assert greedy.success == cv.success


def kelso_crawford_violation(tech, grid):
    """The definition of gross substitutes, by brute force on a grid of item prices: for prices
    p <= q and a set S demanded at p, some set demanded at q keeps S's items whose price stayed."""
    n, masks = tech.n, range(1 << tech.n)

    def demanded(prices):
        u = [tech.values[m] - sum(prices[i] for i in range(n) if m >> i & 1) for m in masks]
        top = max(u)
        return [m for m in masks if u[m] == top]

    table = {p: demanded(p) for p in product(grid, repeat=n)}
    for p, q in product(table, repeat=2):
        if all(a <= b for a, b in zip(p, q, strict=True)):
            kept = sum(1 << i for i in range(n) if p[i] == q[i])
            for s in table[p]:
                stay = s & kept
                if not any(t & stay == stay for t in table[q]):
                    return p, q, s
    return None


@settings(max_examples=25)
@given(combinatorial_technologies(kinds=("monotone", "budget_additive"), min_items=3, max_items=3))
def test_local_gs_check_agrees_with_the_definition(tech):
    # the definition on a price grid can only find violations; the local check must then find
    # one too (the converse needs every price vector, so only this direction is asserted)
    grid = [F(j, 4) for j in range(5)]
    if kelso_crawford_violation(tech, grid) is not None:
        assert not is_gross_substitutes(tech)


def test_gs_classes_pass_the_definition_and_budget_additive_fails():
    grid = [F(j, 4) for j in range(5)]
    for tech in (
        additive([F(1, 4), F(1, 8), F(1, 2)], [0, 0, 0]),
        unit_demand([F(1, 2), F(1, 3), F(3, 4)], [0, 0, 0], base=F(1, 8)),
        k_demand([F(1, 4), F(1, 8), F(3, 8)], 2, [0, 0, 0]),
    ):
        assert is_gross_substitutes(tech)
        assert kelso_crawford_violation(tech, grid) is None
    # weights 1, 1, 2 with budget 2 (scaled by 1/4): {0,1} and {2} both fill the budget, so
    # f({0,1}) + f({2}) = 1 but f({0,2}) + f({1}) = f({1,2}) + f({0}) = 3/4; the local check and
    # the definition on the price grid both reject it
    ba = budget_additive([F(1, 4), F(1, 4), F(1, 2)], F(1, 2), [0, 0, 0])
    assert "1 > 3/4" in gross_substitutes_violation(ba)
    assert kelso_crawford_violation(ba, grid) is not None


def test_greedy_is_wrong_without_gross_substitutes():
    # f({0}) = f({1}) = 0, f({0,1}) = 1 (complements), costs 1/4 each: at a = 1 the agent wants
    # both (1 - 1/2 > 0), but no single item pays on its own margin, so greedy stops at {}
    tech = CombinatorialTechnology([0, 0, 0, 1], [F(1, 4), F(1, 4)])
    assert not is_gross_substitutes(tech)
    assert demand(tech, 1).items == {0, 1}
    assert greedy_demand(tech, 1).items == frozenset()


@settings(max_examples=40)
@given(combinatorial_technologies(max_items=4), st.integers(2, 5))
def test_reward_scales_the_critical_values(tech, reward):
    # lines a R f - c: every critical value with reward R is the reward-1 one divided by R
    scaled = CombinatorialTechnology(tech.values, tech.costs, reward=reward)
    wide = CombinatorialTechnology(tech.values, tech.costs * reward, reward=reward)
    assert critical_values(wide).breakpoints == critical_values(tech).breakpoints
    base = critical_values(tech).breakpoints
    assert all(b / reward in critical_values(scaled).breakpoints for b in base)


def test_floats_agree_with_exact():
    exact = k_demand([F(1, 5), F(1, 10), F(3, 10), F(1, 4)], 2, [F(1, 20), 0, F(1, 8), F(1, 16)])
    floats = CombinatorialTechnology(
        np.asarray(exact.values, float), np.asarray(exact.costs, float)
    )
    a, b = critical_values(exact), critical_values(floats, method="demand")
    assert not floats.exact and type(b.value) is float
    assert b.breakpoints == pytest.approx([float(x) for x in a.breakpoints])
    assert b.value == pytest.approx(float(a.value))


def test_callable_dict_and_array_give_the_same_technology():
    def f(s):
        return F(len(s), 2)

    by_call = CombinatorialTechnology(f, [0, 0])
    by_dict = CombinatorialTechnology(
        {frozenset(s): F(len(s), 2) for s in [(), (0,), (1,), (0, 1)]}, [0, 0]
    )
    assert list(by_call.values) == list(by_dict.values) == [0, F(1, 2), F(1, 2), 1]
    assert "{0,1}" in repr(by_call)
    big = additive([F(1, 32)] * 10, [0] * 10)
    assert "f(empty) = 0, f(all) = 5/16" in repr(big)


def test_bad_input():
    with pytest.raises(ValueError, match="is nan"):
        CombinatorialTechnology([0, float("nan")], [0])
    with pytest.raises(ValueError, match=r"f\(\{0\}\) = 3/2 is not a probability"):
        CombinatorialTechnology([0, F(3, 2)], [0])
    with pytest.raises(ValueError, match=r"f\(\{\}\) = -1 is not a probability"):
        CombinatorialTechnology([-1, 0], [0])
    with pytest.raises(ValueError, match=r"not monotone: f\(\{0,1\}\) = 1/4 < f\(\{1\}\) = 1/2"):
        CombinatorialTechnology([0, 0, F(1, 2), F(1, 4)], [0, 0])
    with pytest.raises(ValueError, match=r"costs\[1\] = -1 is negative"):
        CombinatorialTechnology([0, 0, 0, 0], [0, -1])
    with pytest.raises(ValueError, match="is inf"):
        CombinatorialTechnology([0, 0], [float("inf")])
    with pytest.raises(ValueError, match=f"at most {MAX_ITEMS} items"):
        CombinatorialTechnology(lambda s: 0, [0] * (MAX_ITEMS + 1))
    with pytest.raises(ValueError, match=r"no value for the set \{0,1\}"):
        CombinatorialTechnology({frozenset(): 0, frozenset({0}): 0, frozenset({1}): 0}, [0, 0])
    with pytest.raises(ValueError, match="item 2"):
        CombinatorialTechnology({frozenset({2}): 0}, [0, 0])
    with pytest.raises(ValueError, match="3 entries but 2 items have 4 sets"):
        CombinatorialTechnology([0, 0, 0], [0, 0])
    with pytest.raises(ValueError, match="reward = 0 must be positive"):
        CombinatorialTechnology([0, 1], [0], reward=0)
    with pytest.raises(ValueError, match=r"f raised on the set \{0\}"):
        CombinatorialTechnology(lambda s: 1 / 0 if s else 0, [0])
    tech = CombinatorialTechnology([0, 1], [0])
    with pytest.raises(ValueError, match="outside"):
        demand(tech, F(3, 2))
    with pytest.raises(ValueError, match="method must be"):
        critical_values(tech, method="lp")
    with pytest.raises(ValueError, match="oracle must be"):
        critical_values(tech, method="demand", oracle="magic")
    with pytest.raises(TypeError, match="CombinatorialTechnology"):
        critical_values("tech")
    with pytest.raises(ValueError, match="item 5"):
        tech.value({5})


@pytest.mark.parametrize("scale", [1.0, 1e-9, 1e-14])
def test_gross_substitutes_check_is_scale_free(scale):
    """The float check compares relatively: the exact verdicts survive scaling f by 10^-k (an
    absolute tolerance of 1e-12 passed budget-additive f at 1e-14 as gross substitutes)."""
    ba = budget_additive([0.25 * scale, 0.25 * scale, 0.5 * scale], 0.5 * scale, [0, 0, 0])
    assert not is_gross_substitutes(ba)
    ud = unit_demand([0.25 * scale, 0.5 * scale, 0.75 * scale], [0, 0, 0])
    assert is_gross_substitutes(ud)
