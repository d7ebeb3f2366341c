"""The known-technology optimum, the best known linear contract, and the price of robustness."""

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from scipy.optimize import linprog

from contracts import (
    InaccurateSolutionWarning,
    SolverFailedError,
    Technology,
    UnknownSolverError,
    best_linear_known,
    best_response,
    optimal_contract,
    optimal_linear,
    price_of_robustness,
    worst_case,
)
from contracts.strategies import technologies

HALF, Q = F(1, 2), F(1, 4)
THREE = Technology.from_arrays(
    [0, 1, 4], [[HALF, 0, HALF], [0, Q, 3 * Q], [HALF, HALF, 0]], [0, 3 * Q, 3 * Q]
)


def min_pay_linprog(tech, i):
    """Independent MIN-PAY with scipy's HiGHS: min f_i.t s.t. (f_k - f_i).t <= c_k - c_i."""
    f, c = np.asarray(tech.dists, float), np.asarray(tech.costs, float)
    res = linprog(f[i], A_ub=f - f[i], b_ub=c - c[i], bounds=(0, None), method="highs")
    return res.fun if res.status == 0 else None


def test_three_action_example_by_hand():
    # a1 vs a0: t1/4 + t4/4 - t0/2 >= 3/4; a1 vs a2: 3 t4/4 - t1/4 - t0/2 >= 0. Minimising
    # t1/4 + 3 t4/4 puts t0 = 0, t1 = 3 t4, t4 = 3/4: MIN-PAY 9/8, value 13/4 - 9/8 = 17/8.
    opt = optimal_contract(THREE)
    assert (opt.value, opt.action) == (F(17, 8), 1)
    assert list(opt.contract.payments) == [0, F(9, 4), F(3, 4)]
    assert [r.principal_value for r in opt.actions] == [2, F(17, 8), F(-1, 4)]
    # the agent indeed takes a1 (ties to the principal)
    assert best_response(opt.contract, THREE).action == 1
    # pays 9/4 > 1 at output 1: nature adds "free output 1" and the principal gets -5/4
    assert worst_case(opt.contract, THREE).value == F(-5, 4)


def test_non_implementable_action_has_a_cheaper_mix():
    # a2 = (1/2, 1/2) at cost 1 is the half-half mix of a0 (free) and a1 (cost 1) at cost 1/2
    tech = Technology.from_arrays([0, 1], [[1, 0], [0, 1], [HALF, HALF]], [0, 1, 1])
    opt = optimal_contract(tech)
    record = opt.actions[2]
    assert not record.implementable
    assert list(record.certificate) == [HALF, HALF, 0]
    assert record.certificate_cost == HALF
    assert "implementable=False" in repr(record)
    assert "no" in repr(opt)


def test_best_linear_known_by_hand():
    # breakpoint a0/a1 at alpha = (3/4)/(5/4) = 3/5 gives (2/5)(13/4) = 13/10 < 2 at alpha = 0
    lin = best_linear_known(THREE)
    assert (lin.value, lin.alpha, lin.action) == (2, 0, 0)
    assert F(3, 5) in lin.candidates


def test_price_of_robustness_table():
    por = price_of_robustness(THREE)
    assert (por.known_optimum, por.known_linear, por.robust) == (F(17, 8), 2, 2)
    # Carroll's optimum here is the zero contract: the free gamble (mean 2) is taken
    assert por.robust_if_known == 2
    assert (por.known_optimum_guarantee, por.known_linear_guarantee) == (F(-5, 4), 2)


@settings(max_examples=40)
@given(technologies(exact=True, max_actions=4))
def test_min_pay_matches_an_independent_lp(tech):
    opt = optimal_contract(tech)
    for record in opt.actions:
        expected = min_pay_linprog(tech, record.action)
        if record.implementable:
            assert expected is not None
            assert float(record.min_pay) == pytest.approx(expected, abs=1e-7)
            # the exact vertex satisfies every IC constraint exactly
            t = record.contract.payments
            f, c = tech.dists, tech.costs
            assert all((f[record.action] - f) @ t >= c[record.action] - c)
        else:
            assert expected is None
            mix = record.certificate
            assert sum(mix) == 1
            assert all(mix >= 0)
            assert mix[record.action] == 0
            assert list(mix @ tech.dists) == list(tech.dists[record.action])
            assert record.certificate_cost < tech.costs[record.action]


@settings(max_examples=40)
@given(technologies(exact=True, max_actions=4, lowest=None))
def test_benchmark_ordering(tech):
    por = price_of_robustness(tech)
    tol = 1e-9
    assert float(por.robust) <= float(por.robust_if_known) + tol
    assert float(por.robust_if_known) <= float(por.known_linear) + tol
    assert float(por.known_linear) <= float(por.known_optimum) + tol
    assert float(por.known_optimum_guarantee) <= float(por.robust) + tol
    assert float(por.known_linear_guarantee) <= float(por.robust) + tol
    assert float(optimal_linear(tech).value) == pytest.approx(float(por.robust))


@settings(max_examples=40)
@given(technologies(exact=True, max_actions=4, lowest=None))
def test_best_linear_known_beats_a_dense_grid(tech):
    from contracts import LinearContract

    lin = best_linear_known(tech)
    y0 = tech.outputs[0]
    assert best_response(lin.contract, tech).principal_value == lin.value
    for k in range(0, 101):
        alpha = F(k, 100)
        assert best_response(LinearContract(alpha, origin=y0), tech).principal_value <= lin.value


def test_robust_contract_if_known_differs_from_its_guarantee():
    # One known action, uniform on {1, 2, 3} at cost 1/2: Carroll's contract y/2 guarantees 1/2,
    # but with the technology known the agent takes the action and the principal keeps
    # E[y/2] = 1 (and the known optimum pays nothing: 2).
    known = Technology.from_arrays([0, 1, 2, 3], [[0, F(1, 3), F(1, 3), F(1, 3)]], [F(1, 2)])
    por = price_of_robustness(known)
    assert (por.robust, por.robust_if_known, por.known_optimum) == (F(1, 2), 1, 2)
    assert "Carroll's robust linear contract         1         1/2" in repr(por)


def test_float_technology_gives_float_results():
    tech = Technology.from_arrays(
        [0.0, 1.0, 4.0], np.asarray(THREE.dists, float), np.asarray(THREE.costs, float)
    )
    opt = optimal_contract(tech)
    assert type(opt.value) is float
    assert opt.value == pytest.approx(17 / 8, abs=1e-8)
    assert best_response(opt.contract, tech).principal_value == pytest.approx(17 / 8, abs=1e-8)


def test_bad_input():
    with pytest.raises(TypeError, match="must be a Technology"):
        optimal_contract([[1, 0]])
    with pytest.raises(TypeError, match="must be a Technology"):
        best_linear_known("tech")


def test_min_pay_goes_through_the_solver_helper(monkeypatch):
    # An inaccurate MIN-PAY solution is flagged like every other LP of the package, not accepted
    # silently; a failing solver is a SolverFailedError naming the LP; a misspelled one is refused
    # before any LP (a ValueError that is also a SolverFailedError, listing the installed ones).
    import cvxpy as cp

    original = cp.Problem.solve

    def inaccurate(self, *args, **kwargs):
        value = original(self, *args, **kwargs)
        if self._status == "optimal":
            self._status = "optimal_inaccurate"
        return value

    def failing(self, *args, **kwargs):
        raise cp.error.SolverError("no luck")

    tech = Technology.from_arrays([0, 4], [[1, 0], [Q, 3 * Q]], [0, 1])
    with pytest.raises(
        UnknownSolverError, match=r"'HIHGS' is not an installed.*did you mean 'HIGHS'"
    ):
        optimal_contract(tech, solver="HIHGS")
    assert issubclass(UnknownSolverError, SolverFailedError)
    assert issubclass(UnknownSolverError, ValueError)
    monkeypatch.setattr(cp.Problem, "solve", failing)
    with pytest.raises(SolverFailedError, match="MIN-PAY for action 0: solver HIGHS failed"):
        optimal_contract(tech)
    monkeypatch.setattr(cp.Problem, "solve", inaccurate)
    with pytest.warns(
        InaccurateSolutionWarning, match=r"MIN-PAY for action \d: solver HIGHS"
    ) as rec:
        optimal_contract(tech)
    assert [str(w.message).split(":")[0] for w in rec] == [
        "MIN-PAY for action 0",
        "MIN-PAY for action 1",
    ]
