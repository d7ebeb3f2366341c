"""The baseline agents: their updates on a two-step history, by hand."""

import math
from fractions import Fraction as F

import numpy as np
import pytest
from scipy import integrate, special

from infrabayes.learning import (
    EXP3,
    UCB1,
    BayesAgent,
    NewcombBandit,
    ThompsonSampling,
    chance,
    nirvana_trick,
    predictor,
)
from infrabayes.learning._beta import prob_best

# ---------------------------------------------------------------------------------------------
# Bayes (CDT)
# ---------------------------------------------------------------------------------------------


def test_bayes_two_step_posterior_and_causal_values_by_hand():
    env = NewcombBandit()
    hyps = [
        predictor(env, [0, F(1, 10)]),
        chance(env, [[F(9, 10), F(1, 10)], [F(1, 2), F(1, 2)]]),
    ]
    learner = BayesAgent(hyps, exact=True).start(0)
    # Four point hypotheses, prior 1/4 each (1/2 per hypothesis, shared by its 2 generators).
    # Believing it plays uniformly, P(full) = 1/2 under the predictors and 9/10, 1/2 under chance:
    # one-box = 1/4 (1/2 + 1/2 + 9/10 + 1/2) * 10/11 = 6/11, two-box = one-box + 1/11 = 7/11.
    assert learner.action_values() == {"one-box": F(6, 11), "two-box": F(7, 11)}
    assert learner.act()[1] == "two-box"
    one = np.array([F(1), F(0)], dtype=object)
    learner.observe(one, "one-box", "full", 0)
    # Likelihoods of "full" after one-boxing: 1, 9/10, 9/10, 1/2 -> (10, 9, 9, 5) / 33.
    assert learner.weights.tolist() == [F(10, 33), F(9, 33), F(9, 33), F(5, 33)]
    learner.observe(one, "one-box", "empty", 0)
    # Likelihoods of "empty": 0, 1/10, 1/10, 1/2 -> (0, 9, 9, 25) / 43.
    assert learner.weights.tolist() == [0, F(9, 43), F(9, 43), F(25, 43)]
    # It now believes it one-boxes: P(full) = 9/10, 9/10, 1/2 for the live hypotheses, so
    # one-box = (9 * 9/11 + 9 * 9/11 + 25 * 5/11) / 43 = 287/473 and
    # two-box = (9 * 10/11 + 9 * 10/11 + 25 * 6/11) / 43 = 330/473 = 30/43: still two-box.
    assert learner.action_values() == {"one-box": F(287, 473), "two-box": F(30, 43)}
    assert learner.act()[1] == "two-box"


def test_bayes_rejects_nirvana_and_refuted_histories():
    env = NewcombBandit()
    with pytest.raises(ValueError, match="NIRVANA, which is worth \\+inf"):
        BayesAgent([nirvana_trick(env, [0])])
    learner = BayesAgent([chance(env, [[1, 0]])]).start(0)
    with pytest.raises(ValueError, match="Bayesian posterior is undefined"):
        learner.observe([1.0, 0.0], "one-box", "empty", 0)


# ---------------------------------------------------------------------------------------------
# UCB1
# ---------------------------------------------------------------------------------------------


def test_ucb1_two_steps_then_the_index():
    learner = UCB1(["a", "b"]).start()
    policy, action = learner.act()
    assert policy.tolist() == [1.0, 0.0] and action == "a"
    learner.observe(policy, action, None, 0.25)
    policy, action = learner.act()
    assert action == "b"  # unplayed actions first
    learner.observe(policy, action, None, 0.5)
    # t = 2: indices 0.25 + sqrt(2 ln 2) and 0.5 + sqrt(2 ln 2): b.
    assert learner.act()[1] == "b"
    learner.observe([0.0, 1.0], "b", None, 0.0)
    # t = 3: a: 0.25 + sqrt(2 ln 3) = 1.732; b: 0.25 + sqrt(ln 3) = 1.298: a.
    assert 0.25 + math.sqrt(2 * math.log(3)) > 0.25 + math.sqrt(math.log(3))
    assert learner.act()[1] == "a"


# ---------------------------------------------------------------------------------------------
# Thompson sampling
# ---------------------------------------------------------------------------------------------


def test_thompson_policy_after_two_steps_by_hand():
    learner = ThompsonSampling(["a", "b"]).start(0)
    assert learner.act()[0].tolist() == [0.5, 0.5]
    learner.observe([0.5, 0.5], "a", None, 1)
    # a ~ Beta(2, 1) (density 2x), b ~ U(0, 1): P(a best) = int 2x * x dx = 2/3.
    assert learner.policy() == pytest.approx([2 / 3, 1 / 3], abs=1e-14)
    learner.observe([2 / 3, 1 / 3], "b", None, 0)
    # b ~ Beta(1, 2), F_b(x) = 2x - x^2: P(a best) = int 2x (2x - x^2) dx = 4/3 - 1/2 = 5/6.
    assert learner.policy() == pytest.approx([5 / 6, 1 / 6], abs=1e-14)


def test_thompson_bernoulli_trick_uses_the_generator_only_for_fractional_rewards():
    learner = ThompsonSampling(["a", "b"]).start(np.random.default_rng(0))
    state = learner.rng.bit_generator.state
    learner.observe([0.5, 0.5], "a", None, 1.0)
    learner.observe([0.5, 0.5], "b", None, 0)
    assert learner.rng.bit_generator.state == state
    learner.observe([0.5, 0.5], "b", None, 0.5)
    assert learner.rng.bit_generator.state != state
    assert learner.alpha[1] + learner.beta[1] == 4  # prior 2 + two observations


def _quad_best(alpha, beta):
    out = []
    for k in range(len(alpha)):

        def f(x, k=k):
            others = [special.betainc(alpha[i], beta[i], x) for i in range(len(alpha)) if i != k]
            pdf = math.exp(
                special.xlogy(alpha[k] - 1, x)
                + special.xlog1py(beta[k] - 1, -x)
                - special.betaln(alpha[k], beta[k])
            )
            return pdf * math.prod(others)

        means = sorted(a / (a + b) for a, b in zip(alpha, beta, strict=True))
        out.append(integrate.quad(f, 0, 1, points=means, limit=500, epsabs=1e-15)[0])
    return np.array(out)


@pytest.mark.parametrize(
    ("alpha", "beta"),
    [
        ([1, 1], [1, 1]),
        ([37, 5], [12, 9]),
        ([900, 3], [100, 40]),
        ([3, 20, 50, 400], [7, 80, 50, 600]),
        ([2.5, 4.0, 1.0], [1.5, 3.0, 1.0]),
        ([3000, 20, 50], [1000, 80, 50]),
    ],
)
def test_probability_of_being_best_against_adaptive_quadrature(alpha, beta):
    # Second algorithm: scipy's adaptive quadrature of f_k prod F_i. The series (two integer
    # arms) and the fixed Gauss-Legendre rule agree to 1e-10 for the integer parameters Thompson
    # sampling produces; a half-integer parameter gives a density a square-root edge, where the
    # 8-node rule is good to about 1e-8.
    ours = prob_best(np.array(alpha, float), np.array(beta, float))
    quad = _quad_best(alpha, beta)
    integer = all(float(v).is_integer() for v in alpha + beta)
    assert ours == pytest.approx(quad / quad.sum(), abs=1e-10 if integer else 1e-8)
    assert ours.sum() == pytest.approx(1, abs=1e-15)


def test_probability_of_being_best_against_monte_carlo():
    # A third check with three arms: 200,000 draws; binomial standard error <= 0.0012, so a
    # 6-sigma tolerance of 0.0075.
    alpha, beta = np.array([5.0, 7, 3]), np.array([4.0, 6, 2])
    draws = np.random.default_rng(0).beta(alpha, beta, size=(200_000, 3))
    freq = np.bincount(draws.argmax(axis=1), minlength=3) / len(draws)
    assert prob_best(alpha, beta) == pytest.approx(freq, abs=0.0075)


# ---------------------------------------------------------------------------------------------
# EXP3
# ---------------------------------------------------------------------------------------------


def test_exp3_two_steps_by_hand():
    learner = EXP3(["a", "b"], gamma=0.5).start(0)
    assert learner.act()[0].tolist() == [0.5, 0.5]
    learner.observe([0.5, 0.5], "a", None, 1.0)
    # log w_a += (gamma / K) * r / pi(a) = 1/4 * 1 / (1/2) = 1/2.
    w = math.exp(0.5)
    pi_a = 0.5 * w / (w + 1) + 0.25
    assert learner.policy() == pytest.approx([pi_a, 1 - pi_a], rel=1e-14)
    learner.observe([pi_a, 1 - pi_a], "b", None, 0.5)
    # log w_b += 1/4 * 0.5 / (1 - pi_a).
    lb = 0.25 * 0.5 / (1 - pi_a)
    pi_a2 = 0.5 * w / (w + math.exp(lb)) + 0.25
    assert learner.policy() == pytest.approx([pi_a2, 1 - pi_a2], rel=1e-14)


def test_exp3_tuned_gamma_and_bad_gamma():
    agent = EXP3.tuned(["a", "b"], horizon=2000)
    assert agent.gamma == pytest.approx(math.sqrt(2 * math.log(2) / ((math.e - 1) * 2000)))
    with pytest.raises(ValueError, match="gamma must be a number in \\(0, 1\\]"):
        EXP3(["a", "b"], gamma=0)
    with pytest.raises(ValueError, match="horizon must be a positive int"):
        EXP3.tuned(["a"], horizon=0)


@pytest.mark.parametrize("make", [UCB1, ThompsonSampling, EXP3])
def test_classical_agents_check_their_actions(make):
    with pytest.raises(ValueError, match="name an action twice"):
        make(["a", "a"])
    with pytest.raises(ValueError, match="actions is empty"):
        make([])
    with pytest.raises(TypeError, match="rng must be"):
        make(["a"]).start(-3)


def test_a_bayesian_mixes_a_generator_s_laws_uniformly():
    from infrabayes.learning.laws import mixture_law
    from infrabayes.learning.outcomes import observation_law

    env = NewcombBandit()
    laws = chance(env, [[1, 0], [F(1, 2), F(1, 2)]]).generators
    mixed = mixture_law(env.game, [laws[0][0], laws[1][0]])
    # The uniform mixture of "always full" and "full 1/2" is "full 3/4", for every policy.
    three_quarters = chance(env, [[F(3, 4), F(1, 4)]]).generators[0][0]
    for pi in ([1, 0], [0, 1], [F(1, 3), F(2, 3)]):
        pol = np.array([F(p) for p in pi], dtype=object)
        for a in (0, 1):
            assert list(observation_law(mixed, pol, a)) == list(
                observation_law(three_quarters, pol, a)
            )


def test_trap_values_use_the_long_run_average():
    from infrabayes.learning import IBAgent, TrapBandit, trap

    env = TrapBandit()
    values = IBAgent([trap(env)], exact=True).start(0).values()
    # Safe arm 1/2 in both worlds; the risky arm is trapped eventually in the trapped world: 0.
    assert values == {"safe 1": F(1, 2), "risky 1": 0}
    bayes = BayesAgent([trap(env)], exact=True).start(0)
    # Uniform over the two worlds: risky = 1/2 * 3/4 + 1/2 * 0 = 3/8 < 1/2: the cautious choice.
    assert bayes.action_values() == {"safe": F(1, 2), "risky": F(3, 8)}
