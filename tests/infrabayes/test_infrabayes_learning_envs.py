"""The environments of infrabayes.learning: exact expected rewards by hand, sampling, errors."""

import math
from fractions import Fraction as F

import numpy as np
import pytest

from infrabayes.learning import (
    DeathInDamascusBandit,
    NewcombBandit,
    PolicyDependentBandit,
    TransparentNewcombBandit,
    TrapBandit,
)

# ---------------------------------------------------------------------------------------------
# Exact expected rewards and best policies, derived by hand in the comments
# ---------------------------------------------------------------------------------------------


def test_newcomb_expected_reward_is_linear_in_one_boxing():
    # epsilon 1/10, A = 1, B = 10, rewards / 11: full & one 10/11, full & two 1, empty & one 0,
    # empty & two 1/11. r(x) = (eps B + A + x ((1 - 2 eps) B - A)) / (A + B) = (2 + 7x) / 11.
    env = NewcombBandit()
    for x in (F(0), F(1, 3), F(1, 2), F(1)):
        assert env.expected_reward({"one-box": x, "two-box": 1 - x}) == (2 + 7 * x) / 11
    # Directly at x = 1/2: P(full) = 1/10 + 4/5 * 1/2 = 1/2, so
    # 1/2 * (1/2 * 10/11 + 1/2 * 1) + 1/2 * (1/2 * 0 + 1/2 * 1/11) = 21/44 + 1/44 = 1/2.
    assert env.expected_reward([F(1, 2), F(1, 2)]) == F(1, 2)
    best = env.best_policy()
    assert best.policy == {"one-box": 1} and best.value == F(9, 11)


def test_newcomb_two_boxing_is_best_when_the_predictor_is_bad():
    # eps = 1/2: (1 - 2 eps) B = 0 < A, so r(x) = (eps B + A - x A) / 11 decreases in x.
    env = NewcombBandit(epsilon=F(1, 2))
    assert env.best_policy().policy == {"two-box": 1}
    assert env.best_policy().value == F(6, 11)  # (1/2 * 10 + 1) / 11


def test_transparent_newcomb_by_hand():
    env = TransparentNewcombBandit()
    # q = P(full) = 1/10 + 4/5 y; r = (q (B + (1 - y) A) + (1 - q)(1 - z) A) / 11.
    expected = {
        "one-box|two-box": F(91, 110),  # q = 9/10: (9/10 * 10 + 1/10 * 1) / 11
        "one-box|one-box": F(9, 11),  # 9/10 * 10 / 11
        "two-box|two-box": F(2, 11),  # q = 1/10: (1/10 * 11 + 9/10 * 1) / 11
        "two-box|one-box": F(1, 10),  # 1/10 * 11 / 11
    }
    for plan, value in expected.items():
        assert env.expected_reward(plan) == value
    # y = 1/2, z = 0: q = 1/2: (1/2 (10 + 1/2) + 1/2 * 1) / 11 = 23/44.
    assert env.expected_reward({"one-box|two-box": F(1, 2), "two-box|two-box": F(1, 2)}) == F(
        23, 44
    )
    # r(y) * 11 = 2 + 7.9 y - 0.8 y^2 is increasing on [0, 1]: the pure plan one-box|two-box.
    best = env.best_policy()
    assert best.policy == {"one-box|two-box": 1} and best.value == F(91, 110)


def test_death_in_damascus_by_hand():
    env = DeathInDamascusBandit()
    # Perfect Death reads the policy: survival 2x(1 - x), 1/2 at the fair coin, 0 when pure.
    assert env.expected_reward("Damascus") == 0
    assert env.expected_reward([F(1, 4), F(3, 4)]) == F(3, 8)
    best = env.best_policy()
    assert best.policy == {"Damascus": F(1, 2), "Aleppo": F(1, 2)} and best.value == F(1, 2)


def test_death_in_damascus_with_error_and_fee():
    env = DeathInDamascusBandit(epsilon=F(1, 10), fee=F(1, 5))
    # Utilities (x + 1/5) / (6/5): stay & live 1, stay & die 1/6, flee & live 5/6, flee & die 0.
    assert env.game.rewards.tolist() == [[F(1, 6), 1], [F(5, 6), 0]]
    # q = P(Death in Damascus) = 1/10 + 4x/5; r(x) = x + (5/6) q (1 - 2x)
    # = 1/12 + 3x/2 - 4x^2/3, maximal at x = 9/16: 1/12 + 27/32 - 27/64 = 97/192.
    assert env.expected_reward("Damascus") == F(1, 4)
    assert env.expected_reward("Aleppo") == F(1, 12)
    best = env.best_policy()
    assert best.policy == {"Damascus": F(9, 16), "Aleppo": F(7, 16)}
    assert best.value == F(97, 192)


def test_policy_dependent_bandit_by_hand():
    # table[d][a]; the predictor reads pi perfectly: r = sum_{d,a} pi_d pi_a table[d][a]
    # = x^2/2 + x(1 - x) + (1 - x) x / 4 = 5x/4 - 3x^2/4, maximal at x = 5/6: 25/48.
    env = PolicyDependentBandit(((F(1, 2), 1), (F(1, 4), 0)))
    assert env.expected_reward([F(1, 2), F(1, 2)]) == F(5, 8) - F(3, 16)
    best = env.best_policy()
    assert best.policy == {"a0": F(5, 6), "a1": F(1, 6)} and best.value == F(25, 48)
    assert env.observations == ("predicted a0", "predicted a1")


def test_random_policy_dependent_bandit_is_float_and_reproducible():
    a = PolicyDependentBandit.random(3, np.random.default_rng(5))
    b = PolicyDependentBandit.random(3, np.random.default_rng(5))
    assert a.table == b.table and not a.game.exact
    pi = np.array([0.2, 0.3, 0.5])
    table = np.array(a.table)
    assert a.expected_reward(pi) == pytest.approx(pi @ table @ pi, rel=1e-12)


def test_trap_bandit_by_hand():
    env = TrapBandit()
    assert env.expected_reward("safe") == F(1, 2)
    assert env.expected_reward("risky") == F(27, 40)  # (1 - 1/10) * 3/4
    assert env.absorbing == ("trap",)
    # Any policy that plays the risky arm is trapped eventually: the best is the safe arm.
    assert env.best_policy().policy == {"safe": 1} and env.best_policy().value == F(1, 2)
    safe_world = TrapBandit(trapped=False)
    assert safe_world.best_policy().policy == {"risky": 1}
    assert safe_world.best_policy().value == F(3, 4)


# ---------------------------------------------------------------------------------------------
# Sampling: the predictor reads the policy, not the action
# ---------------------------------------------------------------------------------------------

# Hoeffding: with n independent draws, |frequency - p| <= sqrt(ln(2/delta) / (2n)) except with
# probability delta; with n = 8,000 and delta = 1e-9, 0.0366.
N = 8_000
HOEFFDING = math.sqrt(math.log(2 / 1e-9) / (2 * N))


def _frequency(env, action, policy, observation, seed):
    rng = np.random.default_rng(seed)
    hits = sum(env.step(action, policy, rng).observation == observation for _ in range(N))
    return hits / N


def test_the_box_follows_the_policy_not_the_action():
    env = NewcombBandit()
    # Pure one-boxing: full with probability 9/10.
    assert abs(_frequency(env, "one-box", "one-box", "full", 1) - 0.9) <= HOEFFDING
    # A fair coin: full with probability 1/2, whichever action the coin gave.
    half = {"one-box": 0.5, "two-box": 0.5}
    assert abs(_frequency(env, "one-box", half, "full", 2) - 0.5) <= HOEFFDING
    assert abs(_frequency(env, "two-box", half, "full", 3) - 0.5) <= HOEFFDING


def test_steps_are_reproducible_and_rewards_match_the_table():
    env = TransparentNewcombBandit()
    runs = []
    for _ in range(2):
        rng = np.random.default_rng(11)
        runs.append([env.step("one-box|two-box", "one-box|two-box", rng) for _ in range(50)])
    assert runs[0] == runs[1]
    for out in runs[0]:
        expected = F(10, 11) if out.observation == "full" else F(1, 11)
        assert out.reward == expected


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------


def test_step_errors():
    env = NewcombBandit()
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="unknown action 'three-box'"):
        env.step("three-box", "one-box", rng)
    with pytest.raises(ValueError, match="probability of 'two-box' is -1/2 < 0"):
        env.step("one-box", {"one-box": F(3, 2), "two-box": F(-1, 2)}, rng)
    with pytest.raises(ValueError, match=r"sum to 0\.9, not 1"):
        env.step("one-box", [0.5, 0.4], rng)
    with pytest.raises(ValueError, match="probability 0 under the policy"):
        env.step("two-box", "one-box", rng)
    with pytest.raises(ValueError, match="unknown action"):
        env.step("one-box", {"one-box": 1, "three-box": 0}, rng)
    with pytest.raises(TypeError, match=r"numpy\.random\.Generator"):
        env.step("one-box", "one-box", 42)
    with pytest.raises(ValueError, match="is nan"):
        env.step("one-box", [float("nan"), 1.0], rng)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: NewcombBandit(epsilon=2), "error epsilon is 2, outside"),
        (lambda: NewcombBandit(big=0), "big is 0; it must be > 0"),
        (lambda: NewcombBandit(small=-1), "small is -1; it must be >= 0"),
        (lambda: DeathInDamascusBandit(fee=1), "fee is 1"),
        (lambda: PolicyDependentBandit(((1, 0),)), "square matrix"),
        (lambda: PolicyDependentBandit(((2, 0), (0, 1))), "outside \\[0, 1\\]"),
        (lambda: TrapBandit(trap=F(3, 2)), "trap is 3/2, outside"),
    ],
)
def test_bad_parameters_are_reported_when_the_environment_is_used(make, match):
    with pytest.raises(ValueError, match=match):
        _ = make().game


def test_trapped_must_be_a_bool():
    with pytest.raises(TypeError, match="trapped must be a bool"):
        _ = TrapBandit(trapped=1).game


def test_environments_pickle_and_read_only_arrays():
    import pickle

    env = NewcombBandit()
    env.best_policy()
    clone = pickle.loads(pickle.dumps(env))
    assert clone.expected_reward("one-box") == F(9, 11)
    with pytest.raises(ValueError, match="read-only"):
        env.game.rewards[0, 0] = 0


def test_repr_shows_the_rewards_and_the_benchmark():
    text = repr(DeathInDamascusBandit())
    assert "Death in Damascus bandit: 2 actions, 2 observations (exact)" in text
    assert "best policy in hindsight: BestPolicy(Damascus 1/2, Aleppo 1/2" in text
