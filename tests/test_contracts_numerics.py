"""Numerics of contracts (issue 12): scale-free float paths, exact paths beyond the float range,
clear errors instead of tracebacks, thread safety and reproducibility.

Each reproducer of the issue is a test here (it fails on the code before the fix); the exact
answers come from the exact (Fraction) path on the same numbers, from the pairwise definition of
the worst case, or by hand.
"""

import subprocess
import sys
import textwrap
import threading
import warnings
from fractions import Fraction as F

import numpy as np
import pytest

from contracts import (
    Action,
    Contract,
    LinearContract,
    SignalTechnology,
    SolverFailedError,
    Technology,
    UnknownSolverError,
    best_linear_known,
    best_response,
    guarantee,
    improve,
    optimal_affine,
    optimal_contract,
    optimal_linear,
    price_of_robustness,
    worst_case,
    worst_case_signals,
)
from contracts.signals import signal_response


def exactly(known):
    """The same technology with every float converted exactly to a Fraction."""
    return Technology.from_arrays(
        [F(float(v)) for v in known.outputs],
        [[F(float(p)) for p in row] for row in known.dists],
        [F(float(c)) for c in known.costs],
    )


def exact_contract(contract):
    return Contract(
        [F(float(v)) for v in contract.outputs], [F(float(v)) for v in contract.payments]
    )


def exact_linear_guarantee(alpha, known, origin=0):
    """Guarantee of alpha (y - y0) from its definition, in Fractions on the exact float data."""
    a, y0 = F(alpha), F(origin)
    y = [F(float(v)) for v in known.outputs]
    best = None
    for d, c in zip(known.dists, known.costs, strict=True):
        mean = sum(F(float(p)) * v for p, v in zip(d, y, strict=True))
        term = y0 + (1 - a) * max(F(0), mean - y0 - F(float(c)) / a)
        best = term if best is None else max(best, term)
    return best


# --- R1: the tie tolerance of the worst case is on the payments' scale ------------------------


def test_r1_outputs_of_1e12_do_not_make_a_strict_preference_a_tie():
    # V = 0.5 * 1 - 0.25 = 0.25 < max w = 1: not degenerate. Points (w, y - w): (0, 0), (0, 1e12),
    # (1, 2e12 - 1); the bridge from (0, 0) to (1, 2e12 - 1) at w = 1/4 gives L = (2e12 - 1)/4.
    # Before the fix the tolerance 1e-12 * 2e12 = 2 swallowed the gap 0.75: degenerate, 1.5e12.
    y = [0.0, 1e12, 2e12]
    known = Technology.from_arrays(y, [[0.0, 0.5, 0.5]], [0.25])
    contract = Contract(y, [0.0, 0.0, 1.0])
    wc = worst_case(contract, known)
    exact = worst_case(exact_contract(contract), exactly(known))
    assert exact.value == F(2 * 10**12 - 1, 4)
    assert not wc.degenerate and not exact.degenerate
    assert wc.value == pytest.approx(float(exact.value), rel=1e-15)
    assert worst_case(contract, known, method="lp").value == pytest.approx(5e11, rel=1e-9)


def test_r1_payments_of_1e12_are_compared_as_payments_of_1():
    # The same problem with payments and costs divided by 1e12 instead of outputs multiplied:
    # V = 0.25e-12 < max w = 1e-12, and nature mixes 0 and 1 at w = 1/4: L = (1 - 1e-12)/4.
    y = [0.0, 0.5, 1.0]
    known = Technology.from_arrays(y, [[0.0, 0.5, 0.5]], [0.25e-12])
    contract = Contract(y, [0.0, 0.0, 1e-12])
    wc = worst_case(contract, known)
    exact = worst_case(exact_contract(contract), exactly(known))
    assert not wc.degenerate and not exact.degenerate
    assert wc.value == pytest.approx(float(exact.value), rel=1e-15)
    assert wc.multiplier == pytest.approx(float(exact.multiplier), rel=1e-12)


# --- R2: the agent's strict preference survives large outputs ---------------------------------


def test_r2_best_response_does_not_tie_a_strict_preference():
    # shirk (free, output 0) or work (cost 0.5, output 1e12 for sure); bonus 0.4 on success:
    # work gives the agent 0.4 - 0.5 = -0.1 < 0, so she shirks and the principal gets 0.
    y = [0.0, 1e12]
    tech = Technology.from_arrays(y, [[1.0, 0.0], [0.0, 1.0]], [0.0, 0.5])
    response = best_response(Contract(y, [0.0, 0.4]), tech)
    assert (response.action, response.tied, response.principal_value) == (0, (0,), 0.0)
    # the same choice on signals (one coordinate: the output)
    signals = SignalTechnology(y, [Action([1.0, 0.0], 0.0), Action([0.0, 1.0], 0.5)])
    assert signal_response(np.array([0.0, 0.4]), signals) == (0, 0.0, 0.0)


def test_r2_true_ties_still_go_to_the_principal_at_every_scale():
    # a bonus equal to the cost of working leaves the agent indifferent (utility 0 either way):
    # the tie goes to the principal, who takes the output, at every scale of payments and costs;
    # and a difference far below the payments' rounding (1e-14 relative) is still a tie.
    for scale in (1e-300, 1e-12, 1.0, 1e12, 1e300):
        y = [0.0, max(1e12, 4 * scale)]
        tech = Technology.from_arrays(y, [[1.0, 0.0], [0.0, 1.0]], [0.0, 0.5 * scale])
        for bonus in (0.5 * scale, 0.5 * scale * (1 + 1e-14)):
            response = best_response(Contract(y, [0.0, bonus]), tech)
            assert (response.action, response.tied) == (1, (0, 1))


# --- R3 and R4: optimal_linear -----------------------------------------------------------------


def test_r3_exact_optima_1e55_apart_are_not_merged():
    # a0: mean 4, cost 1: (2 - 1)^2 = 1 with slope 1/2. a1: mean (2 + d)^2, cost 1:
    # (1 + d)^2 with slope 1/(2 + d), d = 1e-55. Before the fix both "pinned" (their 60-digit
    # values agreed within 1e-50) and the value came from a0 (1) while the contract was a1's
    # slope, which guarantees (1 + d)^2.
    d = F(1, 10**55)
    top = (2 + d) ** 2
    known = Technology.from_arrays([0, 4, top], [[0, 1, 0], [0, 0, 1]], [1, 1])
    opt = optimal_linear(known)
    assert opt.pinned_by == (1,)
    assert opt.value == (1 + d) ** 2
    assert opt.alpha == 1 / (2 + d)
    assert worst_case(opt.contract, known).value == opt.value


def test_r3_exact_irrational_ties_are_exact():
    # (sqrt 2 - 0)^2 = 2 and (sqrt 8 - sqrt 2)^2 = 2: an exact tie between irrational slopes
    # sqrt(0) and sqrt(2/8) = 1/2; and (sqrt 2 - 1)^2 is irrational and strictly smaller.
    known = Technology.from_arrays(
        [0, 1, 2, 8], [[0, 0, 1, 0], [0, 0, 0, 1], [0, 0, 1, 0]], [0, 2, 1]
    )
    opt = optimal_linear(known)
    assert opt.pinned_by == (0, 1)
    assert opt.slopes == (0, F(1, 2))
    assert opt.value == 2


def test_r4_outputs_of_1e13_are_compared_relatively():
    # two free actions with means 1e-13 and 5e-13: V* = 5e-13 (the zero contract, the principal
    # picks the better free action). The absolute floor 1e-12 tied them and reported 1e-13.
    y = [0.0, 1e-13, 5e-13]
    known = Technology.from_arrays(y, [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [0.0, 0.0])
    opt = optimal_linear(known)
    assert opt.pinned_by == (1,)
    assert opt.value == 5e-13
    assert worst_case(opt.contract, known).value == 5e-13


def test_r4_the_value_never_exceeds_the_contracts_guarantee():
    # output 2 for sure at cost 0.5: V* = (sqrt 2 - sqrt 0.5)^2 = 1/2, slope 1/2. In floats
    # (sqrt 2 - sqrt 0.5)^2 = 0.5000000000000001, one ulp above what y/2 guarantees.
    known = Technology.from_arrays([0.0, 2.0], [[0.0, 1.0]], [0.5])
    opt = optimal_linear(known)
    assert opt.alpha == 0.5
    assert opt.value == 0.5 == exact_linear_guarantee(opt.alpha, known)


def test_r4_certified_value_on_random_float_technologies():
    # a seeded search (about half of these failed before the fix): the reported value is at most
    # the exact guarantee of the returned contract, and within a few ulps of it
    rng = np.random.default_rng(1)
    for _ in range(200):
        y = np.concatenate([[0.0], np.unique(rng.integers(1, 20, 3)).astype(float)])
        dists = rng.dirichlet(np.ones(y.size), size=2)
        known = Technology.from_arrays(y, dists, rng.random(2) * 3)
        opt = optimal_linear(known)
        if opt.trivial:
            continue
        exact = exact_linear_guarantee(opt.alpha, known)
        assert F(opt.value) <= exact
        assert float(exact) == pytest.approx(opt.value, rel=1e-14, abs=1e-300)


# --- R5: optimal_affine returns a certified guarantee ------------------------------------------


def test_r5_optimal_affine_value_is_the_certified_guarantee():
    # Found by a seeded search (np.random.default_rng(2024), trial 6). Signals (y, s) on
    # {0, 1, 2} x {0, 1}, no cost bound. A free action gives y = 2 w.p. 1/3 and y = 1 w.p. 2/3,
    # mean 4/3; the other costs 1/4 and has mean output 7/6, so (sqrt(7/6) - 1/2)^2 < 4/3. By
    # Carroll's theorem on the output marginal (signals are ignored without cost knowledge) the
    # best guarantee is 4/3, by the zero contract. Before the fix the search reported 1.33556 at
    # a slope near 1e-7 (judged degenerate within 1e-7 of the output scale), above both 4/3 and
    # its own certificate.
    z = [[0, 0], [1, 0], [2, 0], [0, 1], [1, 1], [2, 1]]
    free = Action([0, 0, 1 / 3, 0, 2 / 3, 0], 0.0)
    costly = Action([0, 0.25, 0.25, 2 / 12, 0.25, 1 / 12], 0.25)
    tech = SignalTechnology(z, [free, costly])
    opt = optimal_affine(tech)
    assert opt.value == opt.certificate
    assert opt.value == worst_case_signals(opt.contract, tech).value
    assert opt.value <= 4 / 3 + 1e-12
    assert opt.value == pytest.approx(4 / 3, abs=1e-9)


def test_r5_seeded_search_never_beats_carrolls_bound():
    # random two-signal technologies with a free known action and no cost bound
    rng = np.random.default_rng(0)
    for _ in range(4):
        z = np.unique(np.column_stack([rng.integers(0, 5, 5), rng.integers(0, 3, 5)]), axis=0)
        z = np.vstack([[0, 0], z[(z != 0).any(axis=1)]]).astype(float)
        dists = rng.dirichlet(np.ones(len(z)), size=2)
        costs = [0.0, float(rng.random() * 2)]
        tech = SignalTechnology(z, [Action(d, c) for d, c in zip(dists, costs, strict=True)])
        ys = np.unique(z[:, 0])
        marginal = [[d[z[:, 0] == v].sum() for v in ys] for d in dists]
        carroll = optimal_linear(Technology.from_arrays(ys, marginal, costs)).value
        opt = optimal_affine(tech)
        assert opt.value == worst_case_signals(opt.contract, tech).value
        assert opt.value <= carroll + 1e-9 * max(1.0, carroll)


# --- subnormal slopes (found by hypothesis in test_guarantee_vectorised_equals_pointwise) ------


def test_subnormal_slope_guarantee_and_worst_case_agree():
    # one free action, half on 0 and half on 1: for any alpha in (0, 1], V = alpha/2, nature needs
    # E[y] >= 1/2 and the principal keeps (1 - alpha)/2: 0.5 for alpha = 5e-324. The agent's
    # value alpha/2 underflows in floats, so neither may divide it by alpha.
    known = Technology.from_arrays([0.0, 1.0], [[0.5, 0.5]], [0.0])
    assert guarantee(5e-324, known) == 0.5
    assert worst_case(LinearContract(5e-324), known).value == 0.5
    assert worst_case(LinearContract(5e-324), known, method="lp").value == pytest.approx(0.5)
    assert list(guarantee([5e-324, 1e-300, 0.5], known)) == [0.5, 0.5, 0.25]


def test_tiny_payments_with_costly_actions():
    # costs beyond every payment by more than the float range: the costly action's utility is
    # -inf in payment units; the free action decides, as it does exactly.
    y = [0.0, 1.0]
    known = Technology.from_arrays(y, [[0.5, 0.5], [0.0, 1.0]], [0.0, 1.0])
    contract = Contract(y, [0.0, 5e-324])
    wc = worst_case(contract, known)
    exact = worst_case(exact_contract(contract), exactly(known))
    assert wc.value == pytest.approx(float(exact.value), rel=1e-15)
    assert wc.degenerate == exact.degenerate
    assert (
        best_response(contract, known).action
        == best_response(exact_contract(contract), exactly(known)).action
    )


# --- exact values beyond the float range ------------------------------------------------------

BIG = 10**400


def test_exact_values_beyond_the_float_range_are_computed_exactly():
    # the bonus example of the worst-case tests with every output and cost times 10^400
    y = [0, BIG, 2 * BIG, 3 * BIG]
    known = Technology.from_arrays(y, [[0, F(1, 3), F(1, 3), F(1, 3)]], [F(BIG, 2)])
    wc = worst_case(Contract(y, [0, 0, BIG, BIG]), known)
    assert wc.value == F(BIG, 6)
    # mean 2 * 10^400 at cost 10^400 / 2: (sqrt 2 - sqrt(1/2))^2 10^400 = 10^400 / 2, slope 1/2
    opt = optimal_linear(known)
    assert (opt.value, opt.alpha) == (F(BIG, 2), F(1, 2))
    assert guarantee(F(1, 2), known) == F(BIG, 2)
    # one known action: the agent takes it whatever she is paid, so the zero contract is best
    assert best_linear_known(known).value == 2 * BIG
    assert optimal_contract(known).value == 2 * BIG
    imp = improve(Contract(y, [0, 0, BIG, BIG]), known)
    assert imp.linear_value == F(BIG, 2)
    assert repr(known).startswith("Technology: 4 outputs, 1 action")


def test_float_computations_refuse_exact_values_beyond_the_float_range():
    y = [0, BIG, 2 * BIG]
    known = Technology.from_arrays(y, [[0, F(1, 2), F(1, 2)]], [BIG // 3])
    with pytest.raises(ValueError, match=r"known outputs holds a number of about 1e\+400"):
        worst_case(Contract(y, [0, 0, 1]), known, method="lp")
    with pytest.raises(ValueError, match="beyond the float64 range"):
        guarantee(0.5, known)
    with pytest.raises(ValueError, match="outputs holds a number of about 1e"):
        best_response(LinearContract(0.5), known)
    with pytest.raises(ValueError, match="outputs holds a number of about 1e"):
        Technology.from_arrays(y, [[0.0, 0.5, 0.5]], [0])
    # an irrational optimum beyond the float range cannot be reported: a clear refusal
    with pytest.raises(ValueError, match=r"known.actions\[0\] is irrational and beyond"):
        optimal_linear(known)


# --- the LP: normalised, and clear errors ------------------------------------------------------


@pytest.mark.parametrize(
    ("e_y", "e_w", "e_c"), [(-300, 15, 0), (300, -300, -300), (-15, 15, 15), (0, -300, 0)]
)
def test_lp_solves_huge_and_tiny_magnitudes_like_the_exact_method(e_y, e_w, e_c):
    # cvxpy raised "ValueError: Cannot unpack invalid solution" on the first of these
    y = [0.0, 10.0**e_y, 2 * 10.0**e_y]
    known = Technology.from_arrays(y, [[0.2, 0.3, 0.5], [0.5, 0.5, 0.0]], [0.25 * 10.0**e_c, 0])
    contract = Contract(y, [0.0, 0.5 * 10.0**e_w, 10.0**e_w])
    exact = worst_case(contract, known)
    lp = worst_case(contract, known, method="lp")
    assert lp.degenerate == exact.degenerate
    scale = max(abs(exact.value), 10.0**e_y, 10.0**e_w)
    assert lp.value == pytest.approx(exact.value, abs=1e-7 * scale)


def test_solver_names_and_options_give_clear_errors():
    known = Technology.from_arrays([0.0, 1.0], [[0.5, 0.5]], [0.1])
    contract = Contract([0.0, 1.0], [0.0, 0.5])
    with pytest.raises(ValueError, match=r"'HIHGS' is not an installed cvxpy solver; did you") as e:
        worst_case(contract, known, method="lp", solver="HIHGS")
    assert isinstance(e.value, UnknownSolverError) and isinstance(e.value, SolverFailedError)
    assert "HIGHS" in str(e.value) and "CLARABEL" in str(e.value)  # the installed ones, listed
    assert worst_case(contract, known, method="lp", solver="highs").solver == "highs"
    with pytest.raises(SolverFailedError, match=r"solver HIGHS raised ValueError.*bogus"):
        worst_case(contract, known, method="lp", solver_options={"bogus": 1})
    with pytest.raises(SolverFailedError, match=r"solver CLARABEL raised TypeError.*bogus"):
        worst_case(contract, known, method="lp", solver="CLARABEL", solver_options={"bogus": 1})
    with pytest.raises(UnknownSolverError, match="not an installed"):
        optimal_affine(SignalTechnology([0, 1], [Action([0.5, 0.5], 0.1)]), solver="GUROBI?")


# --- concurrency and reproducibility -----------------------------------------------------------


def _lp_problems():
    rng = np.random.default_rng(3)
    out = []
    for _ in range(6):
        y = np.concatenate([[0.0], np.sort(rng.random(5) * 10)])
        dists = rng.dirichlet(np.ones(6), size=2)
        known = Technology.from_arrays(y, dists, rng.random(2))
        out.append((known, Contract(y, rng.random(6) * y)))
    return out


def test_lp_solves_in_8_threads_leave_the_warning_filters_unchanged():
    problems = _lp_problems()
    single = [worst_case(c, k, method="lp").value for k, c in problems]
    before = list(warnings.filters)
    results: dict[int, list[float]] = {}
    errors: list[BaseException] = []

    def run(i):
        try:
            results[i] = [
                worst_case(c, k, method="lp").value for _ in range(3) for k, c in problems
            ]
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert warnings.filters == before
    for values in results.values():
        assert values == single * 3


def test_results_are_identical_across_hash_seeds():
    script = textwrap.dedent(
        """
        from fractions import Fraction as F
        import numpy as np
        from contracts import Contract, Technology, optimal_linear, worst_case, best_linear_known
        rng = np.random.default_rng(5)
        y = np.concatenate([[0.0], np.sort(rng.random(7) * 9)])
        known = Technology.from_arrays(y, rng.dirichlet(np.ones(8), size=3), rng.random(3))
        wc = worst_case(Contract(y, rng.random(8) * y), known)
        exact = Technology.from_arrays([0, 1, 2, 8], [[0, 0, 1, 0], [0, 0, 0, 1]], [0, 2])
        print(wc.value.hex(), wc.multiplier.hex(), wc.adversary.array.tolist())
        print(optimal_linear(known).value.hex(), optimal_linear(known).slopes)
        print(optimal_linear(exact), best_linear_known(known).value.hex())
        """
    )
    outputs = set()
    for seed in ("0", "4242"):
        env = {**__import__("os").environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1


# --- inputs are never mutated ------------------------------------------------------------------


def test_no_function_mutates_its_inputs():
    y = np.array([0.0, 1.0, 2.0, 4.0])
    dists = np.array([[0.5, 0.0, 0.0, 0.5], [0.0, 0.25, 0.5, 0.25], [1.0, 0.0, 0.0, 0.0]])
    costs = np.array([0.0, 0.75, 0.0])
    pay = np.array([0.0, 0.5, 1.0, 1.0])
    z = np.column_stack([y, [0.0, 1.0, 0.0, 1.0]])
    alphas = np.array([0.0, 0.25, 0.5])
    arrays = (y, dists, costs, pay, z, alphas)
    copies = [a.copy() for a in arrays]
    known = Technology.from_arrays(y, dists, costs)
    contract = Contract(y, pay)
    best_response(contract, known)
    worst_case(contract, known)
    worst_case(contract, known, method="lp")
    improve(contract, known)
    optimal_linear(known)
    guarantee(alphas, known)
    price_of_robustness(known)
    tech = SignalTechnology(z, [Action(d, c) for d, c in zip(dists, costs, strict=True)])
    worst_case_signals(pay, tech)
    optimal_affine(tech, grid=3, starts=1)
    for original, kept in zip(arrays, copies, strict=True):
        np.testing.assert_array_equal(original, kept)


def test_improve_refuses_a_multiplier_beyond_the_float_range():
    # payments near the underflow limit: the hull's slope dt/dw is about 1e323, beyond float64
    known = Technology.from_arrays([0.0, 1.0, 2.0], [[0.5, 0.25, 0.25]], [0.0])
    wc = worst_case(LinearContract(5e-324), known)
    assert wc.value == 0.75 and wc.multiplier == np.inf
    with pytest.raises(ValueError, match=r"multiplier.*overflows float64.*payments are too small"):
        improve(LinearContract(5e-324), known)


def test_hull_picture_is_scale_free():
    # the points (w, y) of payments of 1e-12 beside outputs of 1 are not a flat set
    from contracts.plot import _hull_polygon

    w, y = np.array([0.0, 0.5, 1.0, 0.2]), np.array([0.0, 2.0, 1.0, 0.1])
    for scale in (1.0, 1e-12, 1e12):
        assert len(_hull_polygon(w * scale, y)) == len(_hull_polygon(w, y)) == 4
