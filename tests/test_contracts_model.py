"""Input validation, immutability and display of the contracts data model."""

import math
from fractions import Fraction as F

import numpy as np
import pytest

from contracts import (
    Action,
    AffineContract,
    Contract,
    LinearContract,
    SolverFailedError,
    Technology,
    best_response,
    guarantee,
    improve,
    optimal_linear,
    worst_case,
)

Y = [0, 1, 2, 3]
KNOWN = Technology.from_arrays(Y, [[0, F(1, 3), F(1, 3), F(1, 3)]], [F(1, 2)])


@pytest.mark.parametrize(
    ("outputs", "message"),
    [
        ([0.0, float("nan"), 2.0], r"outputs\[1\] is nan; every entry must be finite"),
        ([0.0, math.inf], r"outputs\[1\] is inf"),
        ([-1, 0, 1], r"outputs\[0\] = -1 is negative"),
        ([0, 2, 1], r"strictly increasing.*outputs\[2\] = 1 follows outputs\[1\] = 2"),
        ([0, 1, 1], r"strictly increasing.*no duplicates"),
        ([], "at least one output"),
        ([[0, 1]], "must be 1-dimensional"),
    ],
)
def test_bad_outputs(outputs, message):
    with pytest.raises(ValueError, match=message):
        Technology.from_arrays(outputs, [[1] + [0] * (max(len(outputs), 1) - 1)], [0])


def test_bad_distributions_and_costs():
    with pytest.raises(ValueError, match=r"dists\[1\] sums to 0.9; .* within 1e-09"):
        Technology.from_arrays([0, 1], [[0.5, 0.5], [0.2, 0.7]], [0, 0])
    with pytest.raises(ValueError, match=r"dists\[0\] sums to 2/3; exact probabilities"):
        Technology.from_arrays([0, 1], [[F(1, 3), F(1, 3)]], [0])
    with pytest.raises(ValueError, match=r"dists\[0\]\[1\] = -0.5 is negative"):
        Technology.from_arrays([0, 1], [[1.5, -0.5]], [0])
    with pytest.raises(ValueError, match=r"costs\[0\] = -1 is negative"):
        Technology.from_arrays([0, 1], [[0.5, 0.5]], [-1])
    with pytest.raises(ValueError, match=r"dists\[0, 1\] is nan"):
        Technology.from_arrays([0, 1], [[0.5, float("nan")]], [0])
    with pytest.raises(ValueError, match="cost is inf"):
        Action([1.0], math.inf)
    with pytest.raises(ValueError, match="2 columns but there are 3 outputs"):
        Technology.from_arrays([0, 1, 2], [[0.5, 0.5]], [0])
    with pytest.raises(ValueError, match=r"actions\[1\].dist has 2 probabilities but there are 3"):
        Technology([0, 1, 2], (Action([1, 0, 0], 0), Action([1, 0], 0)))
    with pytest.raises(TypeError, match="booleans"):
        Technology.from_arrays([0, 1], [[True, False]], [0])
    with pytest.raises(TypeError, match="real number"):
        Action([1.0], "1")


def test_ragged_distributions_name_the_argument_and_the_action():
    with pytest.raises(
        ValueError, match=r"dists is ragged: dists\[0\] has 2 entries but dists\[1\] has 1 entry"
    ):
        Technology.from_arrays([0, 1], [[0.5, 0.5], [1.0]], [0, 0])
    with pytest.raises(ValueError, match=r"dists is ragged: .* but dists\[2\] is a number"):
        Technology.from_arrays([0, 1], [[F(1, 2), F(1, 2)], [1, 0], F(1)], [0, 0, 0])
    with pytest.raises(ValueError, match="costs must be a rectangular array"):
        Technology.from_arrays([0, 1], [[0.5, 0.5]], [[[0.0], [1.0, 2.0]]])
    with pytest.raises(ValueError, match=r"outputs is ragged: outputs\[0\] is a number"):
        Technology.from_arrays([0, [1, 2]], [[0.5, 0.5]], [0])


def test_empty_known_set():
    with pytest.raises(ValueError, match="at least one action"):
        Technology([0, 1], ())
    with pytest.raises(ValueError, match="needs at least one action"):
        Technology.from_arrays([0, 1], np.zeros((0, 2)), [])


def test_bad_contracts():
    with pytest.raises(ValueError, match="pays -1 at output 1: limited liability"):
        Contract([0, 1], [0, -1])
    with pytest.raises(ValueError, match=r"payments\[1\] is nan"):
        Contract([0.0, 1.0], [0.0, float("nan")])
    with pytest.raises(ValueError, match="3 entries but there are 2 outputs"):
        Contract([0, 1], [0, 1, 2])
    with pytest.raises(ValueError, match="alpha = -1/2 is negative"):
        LinearContract(F(-1, 2))
    with pytest.raises(ValueError, match="pays -1 at output 0"):
        AffineContract(F(1, 2), -1).on([0, 1])
    with pytest.raises(ValueError, match=r"origin=2.*pays -2 at output 0"):
        worst_case(LinearContract(1, origin=2), KNOWN)


def test_contract_on_another_grid():
    other = Contract([0, 1, 2], [0, 1, 1])
    with pytest.raises(ValueError, match=r"defined on outputs \[0, 1, 2\] .*not on the technology"):
        worst_case(other, KNOWN)
    with pytest.raises(ValueError, match="not on the contract's grid"):
        other(F(1, 2))
    with pytest.raises(TypeError, match=r"Contract\.from_function"):
        worst_case(lambda y: y, KNOWN)


def test_unknown_method_and_solver_failure():
    bonus = Contract(Y, [0, 0, 1, 1])
    with pytest.raises(ValueError, match="method must be 'exact' or 'lp'"):
        worst_case(bonus, KNOWN, method="simplex")
    with pytest.raises(ValueError, match="solver= applies to method='lp' only"):
        worst_case(bonus, KNOWN, solver="HIGHS")
    with pytest.raises(SolverFailedError, match="NOT_A_SOLVER"):
        worst_case(bonus, KNOWN, method="lp", solver="NOT_A_SOLVER")


def test_guarantee_bad_input():
    with pytest.raises(ValueError, match=r"alphas\[1\] = -1 is negative"):
        guarantee([0, -1], KNOWN)
    with pytest.raises(ValueError, match=r"alphas\[0\] is nan"):
        guarantee([float("nan")], KNOWN)
    with pytest.raises(ValueError, match="origin = 1 must lie in"):
        guarantee([F(1, 2)], KNOWN, origin=1)


def test_nothing_of_the_caller_is_mutated_and_results_are_read_only():
    y = np.array([0.0, 1.0, 2.0, 3.0])
    dists = np.array([[0.0, 0.5, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25]])
    costs = np.array([0.5, 0.1])
    pay = np.array([0.0, 0.2, 1.0, 1.5])
    copies = [a.copy() for a in (y, dists, costs, pay)]
    known = Technology.from_arrays(y, dists, costs)
    contract = Contract(y, pay)
    wc = worst_case(contract, known)
    improve(contract, known)
    optimal_linear(known)
    alphas = np.linspace(0, 1, 5)
    alphas_copy = alphas.copy()
    guarantee(alphas, known)
    for original, kept in zip((y, dists, costs, pay, alphas), (*copies, alphas_copy), strict=True):
        np.testing.assert_array_equal(original, kept)
    # our copies are independent of the caller's arrays, and read-only
    y[1] = 99.0
    assert known.outputs[1] == 1.0
    for arr in (known.outputs, known.dists, known.costs, contract.payments, wc.adversary.array):
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = 1


def test_reprs_are_readable():
    assert repr(KNOWN).splitlines() == [
        "Technology: 4 outputs, 1 action",
        "  y   0    1    2    3  |  cost  mean",
        "  a0  0  1/3  1/3  1/3  |   1/2     2",
    ]
    assert (
        repr(Contract(Y, [0, 0, 1, 1])) == "Contract(outputs=[0, 1, 2, 3], payments=[0, 0, 1, 1])"
    )
    assert repr(LinearContract(F(1, 2), origin=1)) == "LinearContract(alpha=1/2, origin=1)"
    big = Technology.from_arrays(np.arange(100.0), [np.full(100, 0.01)], [1.0])
    assert "outputs 0 .. 99" in repr(big)
    assert "a0: cost 1, mean 49.5" in repr(big)


def test_exact_inputs_give_fractions_and_floats_give_floats():
    wc = worst_case(Contract(Y, [0, 0, 1, 1]), KNOWN)
    assert isinstance(wc.value, F)
    assert isinstance(wc.agent_value, F)
    floaty = Technology.from_arrays([0.0, 1, 2, 3], [[0, 1 / 3, 1 / 3, 1 / 3]], [0.5])
    wf = worst_case(Contract(Y, [0, 0, 1, 1]), floaty)
    assert type(wf.value) is float
    assert wf.value == pytest.approx(1 / 6, abs=1e-12)


def test_contract_evaluation():
    debt = Contract.from_function(lambda y: max(y - 2, 0), Y)
    assert debt(3) == 1
    assert debt(np.array([0, 3])).tolist() == [0, 1]
    assert LinearContract(F(1, 2), origin=1)(3) == 1
    assert AffineContract(0.5, 1)(np.array([0.0, 2.0])).tolist() == [1.0, 2.0]
    assert best_response(debt, KNOWN).action == 0
