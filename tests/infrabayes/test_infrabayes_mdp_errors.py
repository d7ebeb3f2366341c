"""Bad input to infra-MDPs: clear errors naming the state and action; caller's data untouched."""

import copy
from fractions import Fraction as F

import numpy as np
import pytest

from infrabayes import Infradistribution
from infrabayes.sequential import InfraMDP
from infrabayes.sequential.model import SUM_TOLERANCE

STATES = ["a", "b"]
ACTIONS = ["go", "wait"]


def transitions(**override):
    base = {
        ("a", "go"): {"a": (0, F(1, 2)), "b": (F(1, 2), 1)},
        ("a", "wait"): {"a": 1},
        ("b", "go"): [{"a": 1}, {"b": 1}],
        ("b", "wait"): {"b": 1},
    }
    base.update({tuple(k.split("_")): v for k, v in override.items()})
    return base


REWARDS = {("a", "go"): 1, ("a", "wait"): 0, ("b", "go"): F(1, 2), ("b", "wait"): 0}


def make(trans=None, rewards=None, discount=F(1, 2), **kw):
    return InfraMDP(
        STATES,
        ACTIONS,
        transitions() if trans is None else trans,
        REWARDS if rewards is None else rewards,
        discount,
        **kw,
    )


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (
            {"a_go": {"a": (F(3, 5), 1), "b": (F(1, 2), 1)}},
            r"\(state 'a', action 'go'\): the lower bounds sum to 11/10 > 1, so no distribution",
        ),
        (
            {"a_go": {"a": (0, F(1, 4)), "b": (0, F(1, 2))}},
            r"\(state 'a', action 'go'\): the upper bounds sum to 3/4 < 1",
        ),
        (
            {"a_go": {"a": (F(1, 2), F(1, 4)), "b": (0, 1)}},
            r"\(state 'a', action 'go'\): next state 'a' has lower bound 1/2 > upper bound 1/4",
        ),
        (
            {"a_go": {"a": (-F(1, 4), 1), "b": (0, 1)}},
            r"next state 'a' are \[-1/4, 1\], outside \[0, 1\]",
        ),
        (
            {"b_go": [{"a": F(1, 2), "b": F(1, 4)}]},
            r"\(state 'b', action 'go'\): vertex 0 sums to 3/4, not 1",
        ),
        (
            {"b_go": [{"a": 1}, {"a": F(3, 2), "b": -F(1, 2)}]},
            r"\(state 'b', action 'go'\): vertex 1 gives next state 'b' the probability -1/2 < 0",
        ),
        ({"a_go": {"c": 1}}, r"\(state 'a', action 'go'\): unknown next state 'c'"),
        ({"a_go": {"a": (0, 1, 2)}}, r"next state 'a': give a probability or a pair"),
        ({"a_go": {"a": float("nan"), "b": 1}}, "is nan; expected a finite number"),
        ({"a_go": "a"}, r"give a mapping next state -> probability"),
        ({"a_go": []}, r"nonempty list of vertex distributions"),
    ],
)
def test_bad_credal_sets(override, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make(transitions(**override))


def test_float_sums_use_the_stated_relative_tolerance():
    tiny = SUM_TOLERANCE / 10
    ok = {"a_go": {"a": (0.5 + tiny, 1.0), "b": (0.5, 1.0)}}
    make(transitions(**ok)).solve()  # lower bounds sum to 1 + 1e-10: accepted
    bad = {"a_go": {"a": (0.5 + 1e-6, 1.0), "b": (0.5, 1.0)}}
    with pytest.raises(ValueError, match=r"tolerance 1e-09, relative to the total mass 1"):
        make(transitions(**bad))
    with pytest.raises(ValueError, match=r"vertex 0 sums to 0\.999"):
        make(transitions(b_go=[{"a": 0.5, "b": 0.499}]))


def test_unknown_and_missing_pairs():
    with pytest.raises(ValueError, match=r"transitions: unknown state 'c' in \('c', 'go'\)"):
        make({**transitions(), ("c", "go"): {"a": 1}})
    with pytest.raises(ValueError, match=r"transitions: unknown action 'jump' in \('a', 'jump'\)"):
        make({**transitions(), ("a", "jump"): {"a": 1}})
    missing = transitions()
    del missing[("b", "wait")]
    with pytest.raises(ValueError, match=r"\(state 'b', action 'wait'\) has no transitions"):
        make(missing)
    with pytest.raises(ValueError, match=r"rewards gives no reward for \(state 'a', action 'go'\)"):
        make(rewards={k: v for k, v in REWARDS.items() if k != ("a", "go")})
    with pytest.raises(ValueError, match=r"rewards: unknown action 'fly'"):
        make(rewards={**REWARDS, ("a", "fly"): 0})
    with pytest.raises(TypeError, match=r"key 'a' must be a pair \(state, action\)"):
        make({**transitions(), "a": {"a": 1}})
    # Per-state actions: a pair outside a state's actions is refused by name.
    with pytest.raises(ValueError, match="action 'go' is not available in state 'b'"):
        InfraMDP(
            STATES,
            {"a": ["go", "wait"], "b": ["wait"]},
            transitions(),
            REWARDS,
            F(1, 2),
        )
    with pytest.raises(ValueError, match="actions gives no actions for state 'b'"):
        InfraMDP(STATES, {"a": ["go"]}, transitions(), REWARDS, F(1, 2))
    with pytest.raises(ValueError, match="states: 'a' appears twice"):
        InfraMDP(["a", "a"], ACTIONS, transitions(), REWARDS, F(1, 2))
    with pytest.raises(TypeError, match="states must be a sequence of names"):
        InfraMDP("ab", ACTIONS, transitions(), REWARDS, F(1, 2))


def test_rewards_and_discount_ranges():
    with pytest.raises(
        ValueError, match=r"reward of \(state 'a', action 'go'\) is 3/2, outside the reward range"
    ):
        make(rewards={**REWARDS, ("a", "go"): F(3, 2)})
    make(rewards={**REWARDS, ("a", "go"): F(3, 2)}, reward_range=(0, 2))  # stated range: fine
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\) .* discount 1 needs horizon"):
        make(discount=1)
    with pytest.raises(ValueError, match=r"discount is -0.1"):
        make(discount=-0.1)
    make(discount=1, horizon=3)
    with pytest.raises(ValueError, match=r"with a finite horizon it must lie in \[0, 1\]"):
        make(discount=F(3, 2), horizon=3)
    with pytest.raises(ValueError, match="horizon must be a positive int"):
        make(horizon=0)
    with pytest.raises(ValueError, match="horizon must be a positive int"):
        make(horizon=True)
    with pytest.raises(ValueError, match="must have lo < hi"):
        make(reward_range=(1, 1))
    with pytest.raises(TypeError, match="is the bool True"):
        make(discount=True)


def test_policies_and_methods():
    mdp = make()
    with pytest.raises(ValueError, match=r"policy: unknown action 'fly' in state 'a'"):
        mdp.evaluate({"a": "fly", "b": "go"})
    with pytest.raises(ValueError, match=r"policy names unknown state\(s\) 'c'"):
        mdp.evaluate({"a": "go", "b": "go", "c": "go"})
    with pytest.raises(ValueError, match=r"policy gives no action for state\(s\) 'b'"):
        mdp.evaluate({"a": "go"})
    with pytest.raises(ValueError, match="policy has 1 actions for 2 states"):
        mdp.evaluate(["go"])
    with pytest.raises(ValueError, match="method must be one of"):
        mdp.solve("simplex")
    with pytest.raises(ValueError, match="policy iteration is for the discounted infinite"):
        make(horizon=2).solve("policy-iteration")
    with pytest.raises(ValueError, match=r"a list of decision rules .* no horizon"):
        mdp.evaluate([{"a": "go", "b": "go"}])
    with pytest.raises(ValueError, match="has 1 decision rules for a horizon of 2"):
        make(horizon=2).evaluate([{"a": "go", "b": "go"}])
    with pytest.raises(ValueError, match="tol must be positive"):
        mdp.solve("value-iteration", tol=0)
    with pytest.raises(ValueError, match=r"nominal_kernel of \(state 'a', action 'go'\): the"):
        mdp.compare({k: {"a": F(1, 2)} for k in REWARDS})


def test_iteration_limit_is_a_status():
    sol = make(discount=0.99).solve("value-iteration", max_iterations=3)
    assert not sol.converged and sol.iterations == 3
    assert "NOT converged" in repr(sol)


def test_infradistribution_credal_sets():
    # A crisp Infradistribution is read as its vertices; one with b > 0 is refused by name.
    credal = Infradistribution([{"a": 1, "b": 0}, {"a": 0, "b": 1}])
    mdp = make(transitions(b_go=credal))
    assert mdp.credal_set("b", "go") == [{"a": 1}, {"b": 1}]
    not_crisp = Infradistribution([({"a": F(1, 2), "b": 0}, F(1, 2))])
    with pytest.raises(ValueError, match=r"\(state 'b', action 'go'\): generator 0 .* b = 1/2"):
        make(transitions(b_go=not_crisp))


def test_caller_data_is_never_modified():
    trans, rewards = transitions(), dict(REWARDS)
    before = copy.deepcopy((trans, rewards))
    make(trans, rewards).solve()
    assert (trans, rewards) == before
    rng = np.random.default_rng(1)
    p = rng.random((3, 2, 3))
    p /= p.sum(axis=2, keepdims=True)
    lower, upper, r = p * 0.8, np.minimum(p * 1.2, 1), rng.random((3, 2))
    saved = [a.copy() for a in (lower, upper, r)]
    mdp = InfraMDP.from_arrays(lower, upper, r, 0.9)
    first = mdp.solve().values.copy()
    lower[:] = 0  # the model copied the arrays: changing them afterwards changes nothing
    assert (mdp.solve().values == first).all()
    lower[:] = saved[0]
    for a, b in zip((lower, upper, r), saved, strict=True):
        assert (a == b).all()


def test_results_are_read_only_and_from_arrays_checks_shapes():
    sol = make().solve()
    for arr in (sol.values, sol.q_values, sol.kernel):
        assert not arr.flags.writeable
    with pytest.raises(ValueError, match=r"lower must have 3 dimensions"):
        InfraMDP.from_arrays(np.zeros((2, 2)), np.zeros((2, 2)), np.zeros((2, 1)), 0.5)
    with pytest.raises(ValueError, match=r"must have shape \(S, A, S\)"):
        InfraMDP.from_arrays(np.zeros((2, 1, 3)), np.zeros((2, 1, 3)), np.zeros((2, 1)), 0.5)
    bad = np.full((1, 1, 1), 0.5)
    with pytest.raises(ValueError, match=r"\(state 0, action 0\): the upper bounds sum to 0.5"):
        InfraMDP.from_arrays(bad, bad, [[0.0]], 0.5)
