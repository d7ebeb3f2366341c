"""Properties of robust planning: below every kernel, exact for points, methods agree, rescaling."""

from fractions import Fraction as F

import mdp_reference as ref
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from infrabayes import Infradistribution
from infrabayes.sequential import InfraMDP
from infrabayes.sequential._sweep import IntervalSweeper
from infrabayes.sequential.murphy import interval_worst
from infrabayes.strategies import infra_mdps, kernels_in


@settings(max_examples=40)
@given(st.data())
def test_robust_value_is_below_every_kernel_in_the_set(data):
    # For every policy pi and every kernel P in the credal sets, V^pi_robust <= V^pi_P; in
    # particular V* <= the value of the robust policy under P.
    mdp = data.draw(infra_mdps())
    states, _, _, rewards = ref.plain(mdp)
    sol = mdp.solve()
    policy = dict(zip(states, sol.policy, strict=True))
    for _ in range(3):
        kernel = data.draw(kernels_in(mdp))
        for (s, a), p in kernel.items():  # the sampled kernel is in the set (checked here)
            c = mdp.credal_set(s, a)
            assert sum(p.values()) == 1
            if isinstance(c, dict):
                assert all(c.get(x, (0, 0))[0] <= p[x] <= c.get(x, (0, 0))[1] for x in states)
        under_p = ref.policy_kernel_value(states, policy, kernel, rewards, mdp.discount)
        assert all(sol.value(s) <= under_p[s] for s in states)


@settings(max_examples=40)
@given(infra_mdps(point=True))
def test_point_intervals_give_the_ordinary_mdp(mdp):
    # One distribution per pair: the robust optimum is the ordinary optimum, max over policies
    # of (I - gamma P_pi)^(-1) r_pi (brute force).
    states, actions_of, credal, rewards = ref.plain(mdp)
    kernel = {k: {x: lo for x, (lo, _) in c.items()} for k, (_, c) in credal.items()}
    best = None
    for policy in ref.policies(states, actions_of):
        v = ref.policy_kernel_value(states, policy, kernel, rewards, mdp.discount)
        best = v if best is None else {s: max(best[s], v[s]) for s in states}
    assert list(mdp.solve().values) == [best[s] for s in states]


@settings(max_examples=40)
@given(infra_mdps(exact=False))
def test_value_and_policy_iteration_agree_within_the_certified_bound(mdp):
    vi = mdp.solve("value-iteration", tol=1e-8)
    pi = mdp.solve("policy-iteration")
    gap = np.abs(vi.values - pi.values).max()
    assert gap <= vi.error_bound + pi.error_bound + 1e-12 * (1 + np.abs(pi.values).max())
    assert vi.error_bound <= 1e-8 * (1 / (1 - mdp.discount))
    assert pi.error_bound <= 1e-9 * (1 + np.abs(pi.values).max())
    # PI's policy is among VI's ties (they cannot be told apart at VI's accuracy).
    for s, a in enumerate(pi.policy):
        assert a in vi.ties[s]


@settings(max_examples=40)
@given(st.data())
def test_affine_rescaling_of_rewards_rescales_values(data):
    # Rewards c r + d with the range (d, c + d): V -> c V + d / (1 - gamma); same policy, ties
    # and Murphy's distributions (the credal sets are crisp).
    mdp = data.draw(infra_mdps())
    c = data.draw(st.fractions(F(1, 10), 10, max_denominator=10))
    d = data.draw(st.fractions(-5, 5, max_denominator=10))
    states, actions_of, credal, rewards = ref.plain(mdp)
    transitions = {k: v for k, (_, v) in credal.items()}
    scaled = InfraMDP(
        states,
        actions_of,
        transitions,
        {k: c * r + d for k, r in rewards.items()},
        mdp.discount,
        reward_range=(d, c + d),
    )
    a, b = mdp.solve(), scaled.solve()
    g = 1 / (1 - mdp.discount)
    assert list(b.values) == [c * v + d * g for v in a.values]
    assert b.policy == a.policy and b.ties == a.ties
    assert (b.kernel == a.kernel).all()


@settings(max_examples=30)
@given(infra_mdps(horizon=2, max_states=2, max_actions=2))
def test_finite_horizon_equals_murphy_over_trajectories(mdp):
    # The rectangular value of each Markov policy, computed with the core: an Infradistribution
    # over trajectories (s0, s1) with one generator per choice Murphy can make (a vertex for
    # each stage-0 pair; the stage-1 transition does not matter), and Murphy's expectation of
    # the total reward, rescaled into [0, 1]. Backward induction must give the max over
    # policies.
    states, actions_of, credal, rewards = ref.plain(mdp)
    g = mdp.discount
    best = dict.fromkeys(states)
    for rule0 in ref.policies(states, actions_of):
        for rule1 in ref.policies(states, actions_of):
            for start in states:
                a0 = rule0[start]
                trajectories = [(start, x) for x in states]
                totals = [rewards[(start, a0)] + g * rewards[(x, rule1[x])] for x in states]
                gens = [
                    {t: v[x] for t, x in zip(trajectories, states, strict=True)}
                    for v in ref.vertices(credal[(start, a0)], states)
                ]
                h = Infradistribution(gens, outcomes=trajectories)
                top = 1 + g
                utility = {t: v / top for t, v in zip(trajectories, totals, strict=True)}
                value = top * h.expect(utility)
                if best[start] is None or value > best[start]:
                    best[start] = value
    assert list(mdp.solve().values) == [best[s] for s in states]


@settings(max_examples=25)
@given(st.data())
def test_hidden_kernel_value_is_at_least_the_rectangular_value(data):
    mdp = data.draw(infra_mdps(max_states=2, max_actions=2))
    kernels = [data.draw(kernels_in(mdp)) for _ in range(data.draw(st.integers(1, 3)))]
    policy = {s: mdp.available(s)[0] for s in mdp.states}
    result = mdp.hidden_kernel_value(kernels, policy, mdp.states[0], horizon=3)
    assert result.value >= result.rectangular_value
    assert result.value == min(result.kernel_values)


@settings(max_examples=40)
@given(st.data())
def test_sweeper_equals_recomputing(data):
    # The incremental interval table gives the sort-based values for any sequence of value
    # vectors (ties included), as recomputing from scratch does.
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    n, s = data.draw(st.integers(1, 6)), data.draw(st.integers(1, 8))
    p = rng.random((n, s)) * (rng.random((n, s)) < 0.7) + 1e-3
    p /= p.sum(axis=1, keepdims=True)
    lower = np.maximum(p - rng.random((n, s)) * 0.3, 0)
    upper = np.minimum(p + rng.random((n, s)) * 0.3, 1)
    sweeper = IntervalSweeper(lower, upper)
    for _ in range(6):
        values = rng.integers(0, 4, s).astype(float) if data.draw(st.booleans()) else rng.random(s)
        expected, _ = interval_worst(lower, upper, values)
        assert np.allclose(sweeper.values(values), expected, rtol=0, atol=1e-12)
        assert np.allclose(sweeper.kernel() @ values, expected, rtol=0, atol=1e-12)


def test_sweeper_reuses_columns_when_two_states_swap():
    # Values order 0 < 1 < 2 < 3, then states 1 and 2 swap: only the column of the two lowest
    # changes its set ({0, 1} -> {0, 2}); the result still equals the direct computation.
    lower = np.array([[0.1, 0.1, 0.1, 0.1], [0.0, 0.2, 0.0, 0.3]])
    upper = np.array([[0.4, 0.3, 0.5, 0.6], [0.5, 0.5, 0.5, 0.5]])
    sweeper = IntervalSweeper(lower, upper)
    for values in ([0.0, 1.0, 2.0, 3.0], [0.0, 2.0, 1.0, 3.0], [3.0, 2.0, 1.0, 0.0]):
        v = np.array(values)
        assert np.allclose(sweeper.values(v), interval_worst(lower, upper, v)[0], atol=1e-15)


def test_permutations_of_small_sets_cover_every_ordering():
    # A sanity check of the reference's enumeration on the full simplex of 3 states (bounds
    # [0, 1]): the vertices are the 3 point masses.
    states = ["a", "b", "c"]
    verts = ref.interval_vertices(dict.fromkeys(states, (0, 1)), states)
    assert sorted(tuple(v[x] for x in states) for v in verts) == [(0, 0, 1), (0, 1, 0), (1, 0, 0)]
