"""Rectangular (Murphy re-chooses at every visit) vs one hidden kernel: the coin example by hand.

A coin of unknown bias theta is flipped; on heads (or tails) the agent may stop for 2/5 or flip
again and win 1 if the second flip matches the first. Horizon 3, discount 1:
  stage 0: start --flip--> heads (theta) / tails (1 - theta)
  stage 1: heads: stop (2/5, then lose) or flip (win with theta); tails: flip wins with 1 - theta
  stage 2: win: reward 1; lose: 0.
Per pair, the credal sets are what theta in {1/4, 3/4} allows: every probability in [1/4, 3/4].
"""

from fractions import Fraction as F

import numpy as np
import pytest

from infrabayes.sequential import InfraMDP

Q, H = F(1, 4), F(3, 4)
STATES = ["start", "heads", "tails", "win", "lose"]
ACTIONS = {
    "start": ["flip"],
    "heads": ["stop", "flip"],
    "tails": ["stop", "flip"],
    "win": ["rest"],
    "lose": ["rest"],
}
REWARDS = {
    ("start", "flip"): 0,
    ("heads", "stop"): F(2, 5),
    ("heads", "flip"): 0,
    ("tails", "stop"): F(2, 5),
    ("tails", "flip"): 0,
    ("win", "rest"): 1,
    ("lose", "rest"): 0,
}


def coin_mdp():
    return InfraMDP(
        STATES,
        ACTIONS,
        {
            ("start", "flip"): {"heads": (Q, H), "tails": (Q, H)},
            ("heads", "flip"): {"win": (Q, H), "lose": (Q, H)},
            ("tails", "flip"): {"win": (Q, H), "lose": (Q, H)},
            ("heads", "stop"): {"lose": 1},
            ("tails", "stop"): {"lose": 1},
            ("win", "rest"): {"win": 1},
            ("lose", "rest"): {"lose": 1},
        },
        REWARDS,
        1,
        horizon=3,
    )


def coin(theta):
    """The kernel of a coin with P(heads) = theta, the same at every flip."""
    return {
        ("start", "flip"): {"heads": theta, "tails": 1 - theta},
        ("heads", "flip"): {"win": theta, "lose": 1 - theta},
        ("tails", "flip"): {"win": 1 - theta, "lose": theta},
        ("heads", "stop"): {"lose": 1},
        ("tails", "stop"): {"lose": 1},
        ("win", "rest"): {"win": 1},
        ("lose", "rest"): {"lose": 1},
    }


FLIP = {"start": "flip", "heads": "flip", "tails": "flip", "win": "rest", "lose": "rest"}
STOP = {**FLIP, "heads": "stop", "tails": "stop"}


def test_rectangular_optimum_stops():
    # Rectangular: at stage 1 in heads, flipping wins with Murphy's choice 1/4 < 2/5 = stopping;
    # the same in tails (he sets P(tails) = 1/4). At stage 0 both continuations are worth 2/5.
    sol = coin_mdp().solve()
    assert sol.value("start") == F(2, 5)
    assert sol.stage_policy[1][1:3] == ("stop", "stop")
    assert sol.stage_values[1][1] == F(2, 5)
    assert sol.q_values.shape == (5, 3)


def test_hidden_coin_by_hand():
    # One coin for the whole run, theta in {1/4, 3/4}, chosen once by Murphy. Flipping twice
    # wins iff the flips match: theta^2 + (1 - theta)^2 = 1/16 + 9/16 = 5/8 for both coins.
    # The same policy in the rectangular model: Murphy makes each second flip mismatch with
    # probability 3/4: 1/4. Stopping: 2/5 either way.
    mdp = coin_mdp()
    flip = mdp.hidden_kernel_value([coin(Q), coin(H)], FLIP, "start")
    assert flip.value == F(5, 8)
    assert list(flip.kernel_values) == [F(5, 8), F(5, 8)]
    assert flip.murphy == (0, 1)
    assert flip.rectangular_value == F(1, 4)
    assert flip.rectangular_value == mdp.evaluate(FLIP).value("start")
    assert len(flip.trajectories) == 4  # start, heads/tails, win/lose
    # The hypothesis is a credal set over trajectories: P(heads, win) = theta^2.
    assert flip.hypothesis.lower_probability({("start", "heads", "win")}) == F(1, 16)
    assert flip.hypothesis.upper_probability({("start", "heads", "win")}) == F(9, 16)
    stop = mdp.hidden_kernel_value([coin(Q), coin(H)], STOP, "start")
    assert stop.value == stop.rectangular_value == F(2, 5)
    # So with a hidden coin the agent should flip (5/8 > 2/5): the rectangular plan (stop) is
    # too pessimistic, because it lets Murphy change the coin between the two flips.
    assert flip.value > stop.value > flip.rectangular_value


def test_a_fair_coin_among_the_hidden_kernels():
    # theta = 1/2 is in the set too: min(5/8, 1/2 * 1/2 + 1/2 * 1/2) = 1/2, still > 2/5.
    result = coin_mdp().hidden_kernel_value([coin(Q), coin(F(1, 2)), coin(H)], FLIP, "start")
    assert result.value == F(1, 2)
    assert result.murphy == (1,)
    assert "hidden kernel (non-rectangular) value: 1/2" in repr(result)
    assert "(s, a)-rectangular value:              1/4" in repr(result)


def test_hidden_kernel_value_in_floats_and_discounted_models():
    # The same with float kernels, and from a discounted model given a horizon (discount 1/2:
    # the stage-2 reward counts 1/4: flip = 5/8 * 1/4, stop = 2/5 * 1/2).
    mdp = coin_mdp()
    floats = mdp.hidden_kernel_value([coin(0.25), coin(0.75)], FLIP, "start")
    assert floats.value == pytest.approx(0.625)
    assert isinstance(floats.value, float)
    discounted = mdp.with_horizon(None, discount=F(1, 2))
    result = discounted.hidden_kernel_value([coin(Q), coin(H)], FLIP, "start", horizon=3)
    assert result.value == F(5, 32)
    assert discounted.hidden_kernel_value([coin(Q)], STOP, "start", horizon=3).value == F(1, 5)


def test_hidden_kernels_must_lie_in_the_credal_sets():
    with pytest.raises(ValueError, match=r"kernel 1: .*\(state 'start', action 'flip'\) is not in"):
        coin_mdp().hidden_kernel_value([coin(Q), coin(F(9, 10))], FLIP, "start")
    with pytest.raises(ValueError, match="needs a finite horizon"):
        coin_mdp().with_horizon(None, discount=F(1, 2)).hidden_kernel_value(
            [coin(Q)], FLIP, "start"
        )
    with pytest.raises(ValueError, match="unknown state 'nowhere'"):
        coin_mdp().hidden_kernel_value([coin(Q)], FLIP, "nowhere")


def test_vertex_credal_sets_are_checked_by_linear_programming():
    # A polytope with vertices (1, 0, 0), (0, 1, 0), (0, 0, 1) contains (1/3, 1/3, 1/3), and a
    # segment (1, 0, 0)-(0, 1, 0) does not contain it.
    mdp = InfraMDP(
        ["a", "b", "c"],
        ["go"],
        {
            ("a", "go"): [{"a": 1}, {"b": 1}, {"c": 1}],
            ("b", "go"): [{"a": 1}, {"b": 1}],
            ("c", "go"): {"c": 1},
        },
        {("a", "go"): 1, ("b", "go"): 0, ("c", "go"): 0},
        1,
        horizon=2,
    )
    third = {x: F(1, 3) for x in "abc"}
    ok = {("a", "go"): third, ("b", "go"): {"a": F(1, 2), "b": F(1, 2)}, ("c", "go"): {"c": 1}}
    result = mdp.hidden_kernel_value([ok], {"a": "go", "b": "go", "c": "go"}, "a")
    # Stage 0 in a (reward 1), then a with probability 1/3 (reward 1): 4/3.
    assert result.value == F(4, 3)
    bad = {**ok, ("b", "go"): third}
    with pytest.raises(ValueError, match=r"\(state 'b', action 'go'\) is not in"):
        mdp.hidden_kernel_value([bad], {"a": "go", "b": "go", "c": "go"}, "a")
    assert np.asarray(result.kernels).shape == (1, 3, 1, 3)
