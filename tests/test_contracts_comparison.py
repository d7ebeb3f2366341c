"""Contract families compared on one technology: known-technology and robust optima."""

from fractions import Fraction as F

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
    table = compare_families(example_technology(), grid=8)
    assert table.known_optimum == F(8, 3)
    assert table.robust_optimum == F(4, 3)
    assert table["linear"].known_value == F(43, 17)
    assert table["linear"].known_parameters == {"alpha": F(8, 51)}
    assert table["debt"].known_value == F(7, 3)
    assert table["bonus"].known_value == F(8, 3)
    assert table["option"].known_value == F(8, 3)
    assert table["option"].known_exact  # it reaches the known optimum
    for family in ("linear", "affine", "option"):
        assert table[family].robust_value == F(4, 3)
        assert table[family].robust_exact
    assert not table["debt"].robust_exact and not table["bonus"].robust_exact
    # the zero contract guarantees shirking's free 7/8; the grids find nothing better
    assert table["debt"].robust_value == table["bonus"].robust_value == F(7, 8)
    with pytest.raises(KeyError, match="no family 'equity'"):
        table["equity"]
    with pytest.raises(TypeError):
        table["linear"].known_parameters["alpha"] = 0  # read-only
    assert repr(table["debt"]).startswith("FamilyOptimum(debt: known 7/3 at D=2/3 (exact")


@settings(max_examples=25)
@given(technologies(exact=True, max_actions=3, lowest=None))
def test_families_against_brute_force(tech):
    table = compare_families(tech, grid=4)
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


def test_float_technology_and_bad_input():
    tech = Technology.from_arrays([0.0, 1.0, 2.0], [[0.5, 0.5, 0.0], [0.0, 0.2, 0.8]], [0.0, 0.5])
    table = compare_families(tech, grid=4)
    assert type(table["debt"].known_value) is float
    assert table["linear"].known_value == pytest.approx(1.8 * (1 - 0.5 / 1.3))
    with pytest.raises(TypeError, match="must be a Technology"):
        compare_families("tech")
    with pytest.raises(ValueError, match="positive integer"):
        compare_families(tech, grid=0)
