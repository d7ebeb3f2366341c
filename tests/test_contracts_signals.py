"""Several observables: worst case, improvement and optimum on signals with a convex cost bound."""

import importlib
import inspect
import itertools
from fractions import Fraction as F

import cvxpy as cp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

import contracts
from contracts import Action, Technology, optimal_linear, worst_case
from contracts.costs import LinearCost, MaxAffineCost, QuadraticCost
from contracts.signals import (
    AffineSignalContract,
    SignalTechnology,
    improve_signals,
    optimal_affine,
    signal_response,
    worst_case_signals,
)
from contracts.strategies import distributions, problems

AUDIT = [[0, 0], [1, 0], [0, 1], [1, 1]]  # (output y, audit signal s)


def pairwise_linear_cost(tech, w, a):
    """Independent value for a linear cost bound b(m) = a.m >= 0, by 2-point enumeration.

    The agent's constraint E[w] - a.E[z] >= V is linear: E[u] >= V with u = w - Z a. Optimal G
    has at most two points: single points with u >= V, or pairs straddling V mixed to mean V.
    Degenerate (no u > V): the known chosen action's payoff.
    """
    z = [[F(v) for v in row] for row in tech.signals.tolist()]
    p = [F(v) for v in tech.value.tolist()]
    w = [F(v) for v in w]
    a = [F(v) for v in a]
    u = [
        wi - sum(ai * zi for ai, zi in zip(a, row, strict=True))
        for wi, row in zip(w, z, strict=True)
    ]
    t = [
        sum(pj * zj for pj, zj in zip(p, row, strict=True)) - wi
        for wi, row in zip(w, z, strict=True)
    ]
    dists = [[F(x).limit_denominator(10**6) for x in d] for d in tech.dists.tolist()]
    costs = [F(c).limit_denominator(10**6) for c in tech.costs.tolist()]
    utilities = [
        sum(pi * wi for pi, wi in zip(d, w, strict=True)) - c
        for d, c in zip(dists, costs, strict=True)
    ]
    V = max(utilities)
    if max(u) <= V:
        return max(
            sum(pi * ti for pi, ti in zip(d, t, strict=True))
            for d, ut in zip(dists, utilities, strict=True)
            if ut == V
        )
    best = min(t[i] for i in range(len(u)) if u[i] >= V)
    for i, j in itertools.permutations(range(len(u)), 2):
        if u[i] < V < u[j]:
            q = (V - u[i]) / (u[j] - u[i])
            best = min(best, (1 - q) * t[i] + q * t[j])
    return best


@st.composite
def signal_problems(draw, *, max_signals=6, max_actions=3):
    """Signals on a small integer grid in R^2 (non-negative), actions satisfying b(m) = a.m."""
    n = draw(st.integers(2, max_signals))
    z = draw(
        st.lists(
            st.tuples(st.integers(0, 4), st.integers(0, 3)), min_size=n, max_size=n, unique=True
        )
    )
    a = [draw(st.integers(0, 4)) / 4, draw(st.integers(0, 4)) / 4]
    k = draw(st.integers(1, max_actions))
    actions = []
    for _ in range(k):
        dist = draw(distributions(n, exact=True))
        mean = [float(sum(p * zi[j] for p, zi in zip(dist, z, strict=True))) for j in range(2)]
        floor = a[0] * mean[0] + a[1] * mean[1]
        extra = draw(st.integers(0, 4)) / 4
        actions.append(Action(np.asarray(dist, float), floor + extra))
    tech = SignalTechnology(np.array(z, float), actions)
    w = np.array(draw(st.lists(st.integers(0, 8), min_size=n, max_size=n)), float) / 2
    return tech, w, a


# --- worked examples ---------------------------------------------------------------------------


def test_audit_signal_is_exploited():
    # pay 1 when s = 1: nature produces the signal without the output (see the docstring)
    tech = SignalTechnology(AUDIT, [Action([0.25, 0, 0, 0.75], 0.375)])
    wc = worst_case_signals([0, 0, 1, 1], tech, LinearCost([0, 0.5]))
    assert wc.value == pytest.approx(-1.0, abs=1e-7)
    assert wc.adversary[(0, 1)] == pytest.approx(1.0, abs=1e-6)  # the signal without the output
    imp = improve_signals([0, 0, 1, 1], tech, LinearCost([0, 0.5]))
    assert imp.improved_value == pytest.approx(0.0, abs=1e-7)


def test_binding_case_by_hand():
    # Output bonus w = 1[y = 1] with b(m) = m_s / 2 and the known action (1/4 at (0,0), 3/4 at
    # (1,1), cost 3/8): V = 3/4 - 3/8 = 3/8. u = w - s/2 = (0, 1, -1/2, 1/2) and y - w = 0 at every
    # signal, so nature cannot push the principal below 0, and (1, 0) alone (u = 1 > 3/8) gets 0.
    tech = SignalTechnology(AUDIT, [Action([0.25, 0, 0, 0.75], 0.375)])
    wc = worst_case_signals([0, 1, 0, 1], tech, LinearCost([0, 0.5]))
    assert wc.value == pytest.approx(0.0, abs=1e-7)
    # w = y/2 + s/4 = (0, 1/2, 1/4, 3/4): u = w - s/2 = (0, 1/2, -1/4, 1/4) equals t = y - w on
    # every signal, and V = (3/4)(3/4) - 3/8 = 3/16, so min E[t] s.t. E[u] >= 3/16 is 3/16 with
    # multiplier 1 (the objective is the constraint).
    wc = worst_case_signals([0, 0.5, 0.25, 0.75], tech, LinearCost([0, 0.5]))
    assert wc.value == pytest.approx(3 / 16, abs=1e-7)
    assert wc.multiplier == pytest.approx(1.0, abs=1e-5)
    # and the KKT subgradient of a linear bound is its weight vector
    assert wc.subgradient == pytest.approx([0, 0.5], abs=1e-5)


def test_quadratic_bound_by_hand_and_by_a_grid():
    # One signal, the output z in {0, 1, 2}; b(m) = m^2 / 4; w = (0, 1/2, 3/2); the known action
    # (1/2 at 0, 1/2 at 2) costs 7/16 >= b(1) = 1/4, so V = 3/4 - 7/16 = 5/16.
    # By hand: the principal keeps E[z - w] = m - E[w]. For a mean m, E[w] is at most the upper
    # concave envelope of the points (z, w(z)); (1, 1/2) lies below the chord from (0, 0) to
    # (2, 3/2), so the envelope is 3m/4 and nature mixes 0 and 2 (any mass on 1 lowers E[w] at the
    # same mean, hurting the agent and helping the principal). Nature solves
    #   min m/4  s.t.  3m/4 - m^2/4 >= 5/16,  i.e. 4m^2 - 12m + 5 = (2m - 1)(2m - 5) <= 0,
    # so m* = 1/2 (G = 3/4 at 0, 1/4 at 2) and V_P = 1/8 (the known action gives the principal
    # 1 - 3/4 = 1/4). Non-degenerate: 3m/4 - m^2/4 peaks at 9/16 > 5/16 (m = 3/2).
    tech = SignalTechnology([0, 1, 2], [Action([0.5, 0, 0.5], 7 / 16)])
    w = [0, 0.5, 1.5]
    wc = worst_case_signals(w, tech, QuadraticCost([0.25]))
    m, V = F(1, 2), F(3, 4) - F(7, 16)
    assert 3 * m / 4 - m * m / 4 == V  # the agent's constraint binds at m*
    assert not wc.degenerate
    assert wc.agent_value == pytest.approx(float(V), abs=1e-12)
    assert wc.value == pytest.approx(float(m / 4), abs=1e-6)
    assert wc.adversary.array == pytest.approx([0.75, 0, 0.25], abs=1e-5)
    assert wc.adversary[0] == pytest.approx(0.75, abs=1e-5)  # one-coordinate signals: a number
    # A second algorithm: every G on a grid of step 1/200 of the simplex, the cheapest feasible.
    k = 200
    g1, g2 = np.meshgrid(np.arange(k + 1), np.arange(k + 1), indexing="ij")
    ok = g1 + g2 <= k
    g1, g2 = g1[ok] / k, g2[ok] / k
    mean = g1 + 2 * g2
    feasible = 0.5 * g1 + 1.5 * g2 - mean**2 / 4 >= float(V) - 1e-12
    grid_value = np.min((mean - 0.5 * g1 - 1.5 * g2)[feasible])
    assert wc.value == pytest.approx(grid_value, abs=1e-6)


def test_max_affine_bound_by_hand_and_by_linprog():
    # Audit signals (y, s); b(m) = max(3 m_y / 8 + m_s / 2 - 1/8, m_y / 2 + m_s / 8 - 1/8);
    # w = 3/4 [y = 1]; the known action (1/2 at (1, 0), 1/2 at (1, 1)) has mean (1, 1/2), where
    # b = max(1/2, 7/16) = 1/2: cost 1/2, so V = 3/4 - 1/2 = 1/4.
    # By hand: moving mass from (y, 1) to (y, 0) keeps y and w and lowers b (slopes >= 0 in
    # m_s), so nature uses s = 0 only: g on (1, 0), m = (g, 0), b = max(3g/8, g/2) - 1/8 =
    # g/2 - 1/8. For g <= 1/4 the constraint 3g/4 >= 1/4 fails; for g > 1/4 it reads
    # 3g/4 - g/2 + 1/8 >= 1/4, i.e. g >= 1/2. The principal keeps E[y - w] = g/4: V_P = 1/8 at
    # g = 1/2, on the second piece of b (b = 1/8 > 0 there).
    slopes = [[F(3, 8), F(1, 2)], [F(1, 2), F(1, 8)]]
    intercepts = [F(-1, 8), F(-1, 8)]
    bound = MaxAffineCost([[float(v) for v in row] for row in slopes], [-0.125, -0.125])
    tech = SignalTechnology(AUDIT, [Action([0, 0.5, 0, 0.5], 0.5)])
    w = [0, 0.75, 0, 0.75]
    wc = worst_case_signals(w, tech, bound)
    g = F(1, 2)
    V = F(3, 4) - F(1, 2)
    b_at = max(a[0] * g + a[1] * 0 + d for a, d in zip(slopes, intercepts, strict=True))
    assert F(3, 4) * g - b_at == V  # binding
    assert not wc.degenerate
    assert wc.value == pytest.approx(float(g / 4), abs=1e-7)
    assert wc.mean == pytest.approx([0.5, 0], abs=1e-6)
    # A second algorithm: the epigraph LP with scipy's HiGHS, variables (g_1..g_4, tau):
    #   min (y - w).g  s.t.  sum g = 1, tau >= A_j . Z^T g + d_j, tau >= 0, w.g - tau >= V.
    z = np.array(AUDIT, float)
    a, d = np.array(slopes, float), np.array(intercepts, float)
    wv = np.array(w)
    c = np.append(z[:, 0] - wv, 0)
    a_ub = np.vstack([np.column_stack([a @ z.T, -np.ones(2)]), np.append(-wv, 1)])
    b_ub = np.append(-d, -float(V))
    res = linprog(
        c, A_ub=a_ub, b_ub=b_ub, A_eq=[[1, 1, 1, 1, 0]], b_eq=[1], bounds=(0, None), method="highs"
    )
    assert res.status == 0
    assert wc.value == pytest.approx(res.fun, abs=1e-7)
    assert res.fun == pytest.approx(1 / 8, abs=1e-9)


def test_degenerate_signals():
    # the only deviation that pays is what the known free action already does
    tech = SignalTechnology(AUDIT, [Action([0, 0, 0, 1], 0.0)])
    wc = worst_case_signals([0, 0, 0, 1], tech)
    assert wc.degenerate
    assert wc.value == pytest.approx(0.0)


# --- properties --------------------------------------------------------------------------------


@settings(max_examples=30)
@given(signal_problems())
def test_linear_cost_matches_pairwise_enumeration(problem):
    tech, w, a = problem
    wc = worst_case_signals(w, tech, LinearCost(a))
    expected = pairwise_linear_cost(tech, w, a)
    assert wc.value == pytest.approx(float(expected), abs=1e-6)


@settings(max_examples=25)
@given(problems(exact=False))
def test_one_signal_without_cost_bound_is_carrolls_model(problem):
    known, contract = problem
    tech = SignalTechnology(known.outputs.reshape(-1, 1), known.actions)
    wc = worst_case_signals(contract.payments, tech)
    scale = max(1.0, float(known.outputs.max()), float(contract.payments.max()))
    assert wc.value == pytest.approx(worst_case(contract, known).value, abs=1e-6 * scale)


@settings(max_examples=20)
@given(signal_problems(), st.sampled_from(["linear", "quadratic", "max-affine"]))
def test_improvement_never_lowers_the_guarantee(problem, kind):
    tech, w, a = problem
    if kind == "linear":
        bound = LinearCost(a)
    elif kind == "quadratic":  # below the linear bound on the grid (m_j <= m_j^2 for m_j >= 1 ...)
        bound = QuadraticCost([a[0] / 8, a[1] / 8])
    else:
        bound = MaxAffineCost([[a[0], 0.0], [0.0, a[1]]], [0.0, 0.0])
    imp = improve_signals(w, tech, bound)
    assert imp.original_value <= imp.dominating_value + 1e-6
    assert imp.dominating_value <= imp.improved_value + 1e-6
    affine = imp.contract.on(tech)
    assert affine.min() == pytest.approx(0.0, abs=1e-9)


def test_quadratic_bound_actions_are_checked():
    # costs below a quadratic bound at the action's mean are refused
    with pytest.raises(ValueError, match=r"actions\[0\] costs 0.1 but the cost bound requires"):
        worst_case_signals(
            [0, 1, 0, 1],
            SignalTechnology(AUDIT, [Action([0, 0, 0, 1], 0.1)]),
            QuadraticCost([1, 1]),
        )


def test_optimum_without_cost_bound_ignores_other_signals():
    # Z = {0..3} x {0,1}; without cost knowledge the optimum is Carroll's on the output marginal
    rng = np.random.default_rng(5)
    z = np.array([[y, s] for y in range(4) for s in range(2)], float)
    dists = rng.dirichlet(np.ones(8), size=2)
    costs = [0.4, 0.9]
    tech = SignalTechnology(z, [Action(d, c) for d, c in zip(dists, costs, strict=True)])
    opt = optimal_affine(tech)
    marginal = dists.reshape(2, 4, 2).sum(axis=2)
    carroll = optimal_linear(Technology.from_arrays([0.0, 1, 2, 3], marginal, costs))
    assert opt.value == pytest.approx(carroll.value, abs=1e-6)
    assert opt.certificate == pytest.approx(opt.value, abs=1e-6)
    assert opt.contract.alpha[1] == pytest.approx(0.0, abs=1e-4)
    assert opt.contract.alpha[0] == pytest.approx(carroll.alpha, abs=1e-3)


def test_optimum_with_cost_bound_beats_the_improvements_of_contracts():
    tech = SignalTechnology(AUDIT, [Action([0.25, 0, 0, 0.75], 0.375)])
    bound = LinearCost([0, 0.5])
    opt = optimal_affine(tech, bound)
    assert opt.certificate == pytest.approx(opt.value, abs=1e-6)
    for w in ([0, 1, 0, 1], [0, 0.5, 0.25, 0.75], [0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4]):
        assert improve_signals(w, tech, bound).improved_value <= opt.value + 1e-6


def test_witness_approaches_the_value():
    tech = SignalTechnology(AUDIT, [Action([0.25, 0, 0, 0.75], 0.375)])
    bound = LinearCost([0, 0.5])
    w = np.array([0, 0.5, 0.25, 0.75])
    wc = worst_case_signals(w, tech, bound)
    for eps in (1e-2, 1e-4):
        _, _, principal = signal_response(w, wc.witness(eps))
        assert principal == pytest.approx(wc.value, abs=10 * eps)


# --- bad input ---------------------------------------------------------------------------------


def test_bad_signal_input():
    with pytest.raises(ValueError, match=r"signals\[1, 0\] is nan"):
        SignalTechnology([[0, 0], [np.nan, 1]], [Action([1, 0], 0)])
    with pytest.raises(ValueError, match="value = 2 is not a coordinate"):
        SignalTechnology(AUDIT, [Action([1, 0, 0, 0], 0)], value=2)
    with pytest.raises(ValueError, match="value has 3 entries"):
        SignalTechnology(AUDIT, [Action([1, 0, 0, 0], 0)], value=[1, 0, 0])
    with pytest.raises(ValueError, match="4 signals"):
        SignalTechnology(AUDIT, [Action([1, 0], 0)])
    tech = SignalTechnology(AUDIT, [Action([0.25, 0, 0, 0.75], 0.375)])
    with pytest.raises(ValueError, match="3 payments but the technology has 4 signals"):
        worst_case_signals([0, 1, 1], tech)
    with pytest.raises(ValueError, match="not convex by cvxpy's DCP rules"):
        worst_case_signals([0, 1, 0, 1], tech, lambda m: -cp.square(m[0]))
    with pytest.raises(
        ValueError, match=r"must return a scalar, got an expression of shape \(2,\)"
    ):
        worst_case_signals([0, 1, 0, 1], tech, lambda m: m)
    with pytest.raises(TypeError, match="must return a cvxpy expression"):
        worst_case_signals([0, 1, 0, 1], tech, lambda m: "cheap")
    with pytest.raises(ValueError, match=r"actions\[0\] costs 0.375 but the cost bound requires"):
        worst_case_signals([0, 1, 0, 1], tech, LinearCost([1, 1]))
    with pytest.raises(ValueError, match="weights\\[0\\] = -1 is negative"):
        QuadraticCost([-1, 0])
    with pytest.raises(ValueError, match="limited liability"):
        AffineSignalContract([1, 0], -0.5).on(tech)


def test_user_callable_bound_matches_builtin():
    tech = SignalTechnology(AUDIT, [Action([0.25, 0, 0, 0.75], 0.375)])
    w = [0, 0.5, 0.25, 0.75]
    a = worst_case_signals(w, tech, LinearCost([0, 0.5]))
    b = worst_case_signals(w, tech, lambda m: 0.5 * m[1])
    assert a.value == pytest.approx(b.value, abs=1e-7)


def test_inputs_not_mutated():
    z = np.array(AUDIT, float)
    w = np.array([0, 0.5, 0.25, 0.75])
    z0, w0 = z.copy(), w.copy()
    tech = SignalTechnology(z, [Action([0.25, 0, 0, 0.75], 0.375)])
    improve_signals(w, tech, LinearCost([0, 0.5]))
    np.testing.assert_array_equal(z, z0)
    np.testing.assert_array_equal(w, w0)


def test_adversary_is_read_by_signal_as_it_prints():
    """``wc.adversary[z]`` is the probability of the signal z (issue 19: it was positional)."""
    tech = SignalTechnology(AUDIT, [Action([0.25, 0, 0, 0.75], 0.375)])
    wc = worst_case_signals([0, 0, 1, 1], tech, LinearCost([0, 0.5]))
    shown = repr(wc).split("adversary=", 1)[1].split("}", 1)[0] + "}"
    assert repr(wc.adversary) == shown
    # nature puts its mass on (0, 1), "the signal without the output" (see the docstring)
    assert list(wc.adversary) == [(0.0, 1.0)]
    for z, p in zip(AUDIT, wc.adversary.array, strict=True):
        assert wc.adversary[z] == p == wc.adversary[tuple(z)] == wc.adversary[np.array(z)]
        assert (tuple(z) in wc.adversary) == (p > 1e-9)
    assert dict(wc.adversary) == {(0.0, 1.0): wc.adversary.array[2]}
    for bad in [(2, 0), 0, (0, 0, 0), "a", None]:
        assert bad not in wc.adversary
    with pytest.raises(KeyError, match="not a signal"):
        wc.adversary[(2, 0)]
    assert not wc.adversary.array.flags.writeable
    assert np.asarray(wc.adversary) is wc.adversary.array
    # a signal listed twice: its probability is the sum, printed once
    twice = SignalTechnology([[0], [1], [1]], [Action([0.5, 0.25, 0.25], 0.0)])
    dup = worst_case_signals([1, 1, 1], twice)  # degenerate: the adversary is the known action
    assert dup.degenerate
    dup = dup.adversary
    assert dict(dup) == {(0.0,): 0.5, (1.0,): 0.5}
    assert repr(dup) == "{(0.0,): 0.5, (1.0,): 0.5}"
    assert dup[1] == 0.5


def test_public_names_are_re_exported_by_the_package():
    # Every class and function a public module lists in __all__ (but its shared helpers) is the
    # same object at the top level (constants and the CostBound alias stay in their modules); every
    # name the package lists resolves to an object defined in one of its modules.
    public = [
        "agent",
        "contract",
        "costs",
        "errors",
        "improvement",
        "known",
        "linear",
        "model",
        "signals",
        "signals.improvement",
        "signals.optimum",
        "signals.programs",
        "signals.technology",
        "signals.worstcase",
        "tolerances",
        "worstcase",
    ]
    # helpers the modules share, deliberately not part of the package namespace
    helpers = {"agent_utilities", "choose", "on_grid", "payments_on", "check_outputs"}
    helpers |= {"check_cost_bound", "evaluate"}
    helpers |= {"simplex_program", "solve_program", "check_known_costs", "payments_of"}
    helpers |= {"signal_response", "best_deviation"}
    helpers |= {"Utilities", "scaled_utilities", "term_scale", "signal_choice"}
    helpers |= {"bound_term", "signal_exponent", "payment_exponent", "in_program_units"}
    for name in public:
        module = importlib.import_module(f"contracts.{name}")
        for attr in module.__all__:
            obj = getattr(module, attr)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)) or attr in helpers:
                continue
            assert attr in contracts.__all__, f"contracts.{name}.{attr} is not re-exported"
            assert getattr(contracts, attr) is obj, attr
    for attr in contracts.__all__:
        obj = getattr(contracts, attr)
        assert obj.__module__.startswith("contracts."), attr


def test_optimum_matches_a_brute_force_grid_of_exact_evaluations():
    # Audit example with the known action at cost 1/2: evaluate every affine contract on a grid
    # of slopes by the exact pairwise enumeration (a second algorithm), and compare.
    tech = SignalTechnology(AUDIT, [Action([0.25, 0, 0, 0.75], 0.5)])
    opt = optimal_affine(tech, LinearCost([0, 0.5]))
    z = np.array(AUDIT, float)
    best = -np.inf
    for ay in np.linspace(0, 1, 41):
        for a_s in np.linspace(-0.5, 1, 61):
            w = z @ np.array([ay, a_s])
            w = w - w.min()
            best = max(best, float(pairwise_linear_cost(tech, w, [0, 0.5])))
    assert opt.value >= best - 1e-6  # at least as good as the grid
    assert opt.value <= best + 0.01  # and the grid comes close to it (resolution 1/40)
    assert opt.certificate == pytest.approx(opt.value, abs=1e-6)
    # By hand, for alpha = (x, v) >= 0 (so beta = 0): nature picks m in the unit square with
    # x m_y + (v - 1/2) m_s >= V = 3x/4 + 3v/4 - 1/2 and minimises (1 - x) m_y - v m_s. For
    # v < 1/2 and V > 0 the two candidate vertices are on m_s = 1 (m_y = 3/4 - v/(4x)), worth
    # A = (1-x)(3/4 - v/(4x)) - v, and on m_s = 0 (m_y = V/x), worth B = (1-x) V / x.
    # A - B = ((1-x)/2 - v)/x, A falls and B rises in v, so the best v is (1 - x)/2, where
    # A = B = (1-x)(3x-1)/(8x) = (4 - 3x - 1/x)/8, maximised at x = 1/sqrt 3: (2 - sqrt 3)/4.
    assert opt.value == pytest.approx((2 - np.sqrt(3)) / 4, abs=1e-6)
    assert opt.contract.alpha == pytest.approx([1 / np.sqrt(3), (1 - 1 / np.sqrt(3)) / 2], abs=1e-3)


def test_degenerate_improvement_pays_the_marginal_cost():
    # Found by hypothesis. z in {(1, 0), (0, 0)}, b(m) = m_y / 4, the known action produces
    # (1, 0) at cost 1/4 (= its bound). w = (1/2, 0): V = 1/2 - 1/4 = 1/4, and the best deviation
    # also gives 1/4 (0 at (0, 0)), so the case is degenerate: V_P = 1 - 1/2 = 1/2. The constant
    # contract 1/2 would be exploited ((0, 0) for free: -1/2); the vertical supporting plane is
    # alpha = s = (1/4, 0): w' = y/4 keeps every deviation a tie and the principal keeps 3/4.
    tech = SignalTechnology([[1, 0], [0, 0]], [Action([1, 0], 0.25)])
    imp = improve_signals([0.5, 0], tech, LinearCost([0.25, 0]))
    assert imp.worst_case.degenerate
    assert imp.original_value == pytest.approx(0.5)
    assert imp.alpha == pytest.approx([0.25, 0.0], abs=1e-7)
    assert imp.improved_value == pytest.approx(0.75, abs=1e-7)
