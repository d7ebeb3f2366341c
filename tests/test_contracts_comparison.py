"""Contract families compared on one technology: known-technology and robust optima."""

from fractions import Fraction as F
from itertools import pairwise

import pytest
from hypothesis import given, settings

from contracts import Contract, LinearContract, Technology, best_response, worst_case
from contracts._tour import example_technology
from contracts.comparison import FAMILIES, compare_families
from contracts.strategies import technologies


def test_tour_firm_by_hand():
    # By hand (see the docstring): linear 43/17 at alpha = 8/51; debt min(y, 2/3) pays work 2/3
    # for sure and shirking 1/3 (a tie at utility 1/3, won by work): 3 - 2/3 = 7/3; a bonus of
    # 5/6 at output 4 costs work 1/3, ties with shirking at 0, and leaves 8/3 (the optimum).
    # Carroll: work's (sqrt 3 - sqrt(1/3))^2 = 4/3 beats shirk's 7/8 and overtime's 0.67.
    table = compare_families(example_technology())
    assert table.known_optimum == F(8, 3)
    assert table.robust_optimum == F(4, 3)
    assert table["linear"].known_value == F(43, 17)
    assert table["linear"].known_parameters == {"alpha": F(8, 51)}
    assert table["debt"].known_value == F(7, 3)
    assert table["bonus"].known_value == F(8, 3)
    assert table["option"].known_value == F(8, 3)
    for family in ("linear", "affine", "option"):
        assert table[family].robust_value == F(4, 3)
    # the zero contract guarantees shirking's free 7/8: no debt or bonus does better (by the
    # closed forms; the grid test below checks them against worst_case)
    assert table["debt"].robust_value == table["bonus"].robust_value == F(7, 8)
    with pytest.raises(KeyError, match="no family 'equity'"):
        table["equity"]
    with pytest.raises(TypeError):
        table["linear"].known_parameters["alpha"] = 0  # read-only
    assert repr(table["debt"]).startswith("FamilyOptimum(debt: known 7/3 at D=2/3 (exact")


def test_robust_bonus_and_debt_by_hand():
    # One known action: output 4 for sure at cost 1 (no free action: the zero contract gets 0).
    # Bonus b at t = 4: the agent's known utility is b - 1; nature mixes output 0 (w = 0) and
    # output 4 (w = b) to pay the agent exactly b - 1: weight (b - 1)/b on 4, so the principal
    # gets (1 - 1/b)(4 - b), largest at b = 2: (1/2)(2) = 1 = (sqrt 4 - sqrt 1)^2 = Carroll's V*.
    # Debt min(y, D): the utility is D - 1 < 3 whenever D < 4, nature's outputs up to 3 cost the
    # principal nothing, so every debt contract guarantees 0.
    one = Technology.from_arrays([0, 1, 2, 3, 4], [[0, 0, 0, 0, 1]], [1])
    table = compare_families(one)
    assert table["bonus"].robust_value == 1
    assert dict(table["bonus"].robust_parameters) == {"b": 2, "t": 4}
    assert table["debt"].robust_value == 0
    # Cost 1/4 instead: debt with D in (a, a + 1) leaves the agent D - 1/4, more than a once
    # D > a + 1/4, and nature must put weight (D - 1/4 - a)/(D - a) on output a + 1 (paid D,
    # leaving a + 1 - D): with u = D - a the principal gets (1 - 1/(4u))(1 - u), largest at
    # u = 1/2: 1/4, in every cell a = 0..3. The first is D = 1/2.
    cheap = Technology.from_arrays([0, 1, 2, 3, 4], [[0, 0, 0, 0, 1]], [F(1, 4)])
    table = compare_families(cheap)
    assert table["debt"].robust_value == F(1, 4)
    assert dict(table["debt"].robust_parameters) == {"D": F(1, 2)}
    for D in (F(1, 2), F(3, 2), F(7, 2)):
        debt = Contract([0, 1, 2, 3, 4], [min(v, D) for v in range(5)])
        assert worst_case(debt, cheap).value == F(1, 4)


def test_option_strike_between_outputs_by_hand():
    # Outputs 0, 4, 5; a0 = (2/3, 1/3, 0) at 1/4, a1 = (2/7, 1/7, 4/7) at 7/4, a2 = (0, 4/5, 1/5)
    # at 3/2. With K in [0, 4] the option pays u y - v at outputs 4 and 5 (u = s, v = s K), so
    # a2 (pay 21u/5 - v) beats a0 (4u/3 - v/3) and a1 (24u/7 - 5v/7) when
    #   43u/15 - 2v/3 >= 5/4   and   27u/35 - 2v/7 >= -1/4.
    # Both tight: u = 55/32, v = 353/64, so K = 353/110, strictly between the outputs 0 and 4;
    # a2 is paid 21u/5 - v = 109/64 and the principal keeps 21/5 - 109/64 = 799/320.
    tech = Technology.from_arrays(
        [0, 4, 5],
        [[F(2, 3), F(1, 3), 0], [F(2, 7), F(1, 7), F(4, 7)], [0, F(4, 5), F(1, 5)]],
        [F(1, 4), F(7, 4), F(3, 2)],
    )
    option = compare_families(tech)["option"]
    assert option.known_value == F(799, 320)
    assert dict(option.known_parameters) == {"s": F(55, 32), "K": F(353, 110)}
    assert best_response(option.known_contract, tech).principal_value == F(799, 320)
    # strikes at the outputs or on a grid of 32 steps of [0, 5] do worse (checked with s on a
    # fine grid too): the incentive constraints pin K between the outputs
    for K in [F(5 * j, 32) for j in range(33)]:
        for k in range(1, 65):
            contract = Contract(tech.outputs, [F(k, 16) * max(v - K, 0) for v in tech.outputs])
            assert best_response(contract, tech).principal_value < F(799, 320)


@settings(max_examples=25)
@given(technologies(exact=True, max_actions=3, lowest=None))
def test_families_against_brute_force(tech):
    table = compare_families(tech)
    y = tech.outputs
    assert [r.family for r in table.rows] == list(FAMILIES)
    for row in table.rows:
        # the reported contracts earn what is reported, and no more than the bounds
        assert best_response(row.known_contract, tech).principal_value == row.known_value
        guaranteed = worst_case(row.robust_contract, tech).value
        if isinstance(row.robust_value, float):  # Carroll's V* is irrational: a float
            assert guaranteed == pytest.approx(row.robust_value, rel=1e-12)
        else:
            assert guaranteed == row.robust_value
        assert float(row.known_value) <= float(table.known_optimum) + 1e-9
        assert float(row.robust_value) <= float(table.robust_optimum) + 1e-12
    # brute force over parameter grids in Fractions: the exact enumerations are never beaten
    top = y[-1]
    for k in range(41):
        D = top * F(k, 40)
        debt = Contract.from_function(lambda v, D=D: min(v, D), y)
        assert best_response(debt, tech).principal_value <= table["debt"].known_value
        alpha = F(k, 40)
        lin = LinearContract(alpha, origin=y[0])
        assert best_response(lin, tech).principal_value <= table["linear"].known_value
        for t in y:
            bonus = Contract(y, [top * F(k, 20) if v >= t else 0 for v in y])
            assert best_response(bonus, tech).principal_value <= table["bonus"].known_value
    assert table["option"].known_value >= table["linear"].known_value
    # the option's two parameters on a grid: strikes at the outputs and between them
    strikes = sorted({*y, *((a + b) / 2 for a, b in pairwise(y))})
    for K in strikes:
        for k in range(1, 25):
            s = F(k, 8)
            option = Contract(y, [s * max(v - K, 0) for v in y])
            assert best_response(option, tech).principal_value <= table["option"].known_value
    # robust: no debt or bonus contract on a grid guarantees more than the closed forms
    slack = 1e-12 * max(1.0, float(top))
    for k in range(17):
        D = top * F(k, 16)
        debt = Contract(y, [min(v, D) for v in y])
        assert float(worst_case(debt, tech).value) <= float(table["debt"].robust_value) + slack
        for t in y:
            bonus = Contract(y, [(top - y[0]) * F(k, 16) if v >= t else 0 for v in y])
            assert float(worst_case(bonus, tech).value) <= (
                float(table["bonus"].robust_value) + slack
            )


def test_float_technology_and_bad_input():
    tech = Technology.from_arrays([0.0, 1.0, 2.0], [[0.5, 0.5, 0.0], [0.0, 0.2, 0.8]], [0.0, 0.5])
    table = compare_families(tech)
    assert type(table["debt"].known_value) is float
    assert table["linear"].known_value == pytest.approx(1.8 * (1 - 0.5 / 1.3))
    with pytest.raises(TypeError, match="must be a Technology"):
        compare_families("tech")
