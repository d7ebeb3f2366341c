"""Random small infra-MDPs against brute force over policies and vertex kernels (mdp_reference)."""

from fractions import Fraction as F

import mdp_reference as ref
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from infrabayes.sequential import InfraMDP
from infrabayes.sequential.murphy import interval_vertices
from infrabayes.strategies import infra_mdps


@st.composite
def bounds(draw):
    n = draw(st.integers(1, 4))
    weights = [draw(st.integers(0, 3)) for _ in range(n)]
    weights[0] += 1
    centre = [F(w, sum(weights)) for w in weights]
    lo = [max(p - draw(st.fractions(0, F(1, 2), max_denominator=4)), 0) for p in centre]
    hi = [min(p + draw(st.fractions(0, F(1, 2), max_denominator=4)), 1) for p in centre]
    return lo, hi


@given(bounds())
def test_interval_vertices_are_the_sort_based_solutions(data):
    # The library enumerates sort-based solutions over orderings; the reference enumerates points
    # with every coordinate but one at a bound. Same sets.
    lo, hi = data
    states = [f"x{i}" for i in range(len(lo))]
    ours = interval_vertices(np.array(lo, dtype=object), np.array(hi, dtype=object))
    theirs = ref.interval_vertices(dict(zip(states, zip(lo, hi, strict=True), strict=True)), states)
    assert {tuple(v) for v in ours} == {tuple(p[x] for x in states) for p in theirs}


@settings(max_examples=40)
@given(infra_mdps(max_states=3, max_actions=2))
def test_exact_optimum_matches_brute_force(mdp):
    states, actions_of, credal, rewards = ref.plain(mdp)
    best, table = ref.robust_optimum(states, actions_of, credal, rewards, mdp.discount)
    sol = mdp.solve()  # exact policy iteration
    assert sol.exact
    assert list(sol.values) == [best[s] for s in states]
    # The returned policy attains V* in every state (by brute force).
    assert table[sol.policy] == best
    # Ties: a is tied in s iff some optimal policy (brute force) plays a in s.
    optimal = [p for p, v in table.items() if v == best]
    for i in range(len(states)):
        assert set(sol.ties[i]) == {p[i] for p in optimal}
    # Every policy's robust value, by Murphy's exact policy iteration.
    for policy, value in table.items():
        assert list(mdp.evaluate(dict(zip(states, policy, strict=True))).values) == [
            value[s] for s in states
        ]


@settings(max_examples=30)
@given(infra_mdps(exact=False, max_states=3, max_actions=2))
def test_float_value_iteration_matches_brute_force(mdp):
    states, actions_of, credal, rewards = ref.plain(mdp)
    best, table = ref.robust_optimum(states, actions_of, credal, rewards, mdp.discount)
    sol = mdp.solve(tol=1e-10)
    assert sol.converged and not sol.exact
    exact_values = np.array([best[s] for s in states])
    rounding = 1e-9 * (1 + np.abs(exact_values).max())
    assert np.abs(sol.values - exact_values).max() <= sol.error_bound + rounding
    # The greedy policy is within 2 gamma eps / (1 - gamma) of optimal (here: of V*, by brute
    # force), and the true optimal actions are among the listed ties.
    g = mdp.discount
    slack = 2 * g * sol.error_bound / (1 - g) + rounding
    assert all(table[sol.policy][s] >= best[s] - slack for s in states)
    optimal = [p for p, v in table.items() if all(abs(v[s] - best[s]) <= rounding for s in states)]
    for i in range(len(states)):
        assert {p[i] for p in optimal} <= set(sol.ties[i])


def test_one_brute_force_case_by_hand():
    # Two states, one action "go" each; from s0: s0 in [0, 1/2], s1 in [1/2, 1] with rewards
    # r(s0) = 1, r(s1) = 0, s1 absorbing, gamma = 1/2. V1 = 0 < V0: Murphy sends s0 to s1 with
    # probability 1: V0 = 1. The reference's vertex list for the interval set is
    # {(1/2, 1/2), (0, 1)}.
    mdp = InfraMDP(
        ["s0", "s1"],
        ["go"],
        {("s0", "go"): {"s0": (0, F(1, 2)), "s1": (F(1, 2), 1)}, ("s1", "go"): {"s1": 1}},
        {("s0", "go"): 1, ("s1", "go"): 0},
        F(1, 2),
    )
    states, actions_of, credal, rewards = ref.plain(mdp)
    assert ref.vertices(credal[("s0", "go")], states) == [
        {"s0": F(1, 2), "s1": F(1, 2)},
        {"s0": 0, "s1": 1},
    ]
    best, _ = ref.robust_optimum(states, actions_of, credal, rewards, F(1, 2))
    assert best == {"s0": 1, "s1": 0}
    assert list(mdp.solve().values) == [1, 0]
