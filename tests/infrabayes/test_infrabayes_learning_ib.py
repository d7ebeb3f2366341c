"""The infra-Bayesian learning agent: its update by hand, against the core, and its properties."""

import math
from fractions import Fraction as F

import learning_reference as ref
import numpy as np
import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from infrabayes import NullUpdateError
from infrabayes.learning import (
    DeathInDamascusBandit,
    IBAgent,
    NewcombBandit,
    TransparentNewcombBandit,
    chance,
    hypothesis,
    nirvana_trick,
    predictor,
)
from infrabayes.learning.simplex import grid
from infrabayes.strategies import credal_hypotheses, learning_games


def _newcomb_hypotheses():
    env = NewcombBandit()
    return env, [
        predictor(env, [0, F(1, 10)]),
        chance(env, [[F(9, 10), F(1, 10)], [F(1, 2), F(1, 2)]]),
    ]


def _two_rounds(learner):
    for observation in ("full", "empty"):
        policy, action = learner.act()
        assert action == "one-box"
        learner.observe(policy, action, observation, 0)


def test_two_step_update_by_hand():
    _, hyps = _newcomb_hypotheses()
    learner = IBAgent(hyps, exact=True).start(0)
    _two_rounds(learner)
    # Round 1, one-box, full. Likelihoods: predictor errs 0 -> 1, errs 1/10 -> 9/10; chance
    # 9/10 -> 9/10, chance 1/2 -> 1/2. With g = 1, P = max(lambda * w):
    #   predictor: P = 1, scales (1, 9/10), offsets (0, 1/10);
    #   chance: P = 9/10, scales (1, 5/9), offsets (0, 4/9);
    #   weights (1/2, 1/2 * 9/10) -> (10/19, 9/19).
    # Round 2, one-box, empty. Likelihoods (0, 1/10) and (1/10, 1/2):
    #   predictor: lambda * w = (0, 9/100), P = 9/100, scales (0, 1), offsets (1, 0);
    #   chance: lambda * w = (1/10, 5/18), P = 5/18, scales (9/25, 1), offsets (16/25, 0);
    #   weights (10/19 * 9/100, 9/19 * 5/18) = (9/190, 25/190) -> (9/34, 25/34).
    assert learner.weights() == {
        "a predictor reads my policy": F(9, 34),
        "chance: the prediction ignores my policy": F(25, 34),
    }
    assert [(lam, b) for _, _, lam, b, _ in learner.generators()] == [
        (0, 1),
        (1, 0),
        (F(9, 25), F(16, 25)),
        (1, 0),
    ]
    # Next round. Predictor: errs 0 is worth 1 (scale 0, offset 1); errs 1/10 gives one-box
    # 9/10 * 10/11 = 9/11 and two-box 1/10 + 9/10 * 1/11 = 2/11: the minima 9/11 and 2/11.
    # Chance 9/10: one-box 9/25 * 9/11 + 16/25 = 257/275, two-box 9/25 * 10/11 + 16/25 = 266/275;
    # chance 1/2: one-box 5/11, two-box 6/11: the minima 5/11 and 6/11.
    # V(one-box) = 9/34 * 9/11 + 25/34 * 5/11 = 206/374 = 103/187; V(two-box) = 168/374 = 84/187.
    assert learner.values() == {"one-box 1": F(103, 187), "two-box 1": F(84, 187)}


@pytest.mark.parametrize("off_branch", [0, 1])
@pytest.mark.parametrize("candidate", [0, 1])
def test_two_step_values_equal_the_core_update_on_histories(off_branch, candidate):
    env, hyps = _newcomb_hypotheses()
    agent = IBAgent(hyps, exact=True, off_branch=off_branch)
    learner = agent.start(0)
    one = np.array([F(1), F(0)], dtype=object)
    observed = [(0, 0), (0, 1)]  # one-box & full, one-box & empty
    for a, o in observed:
        learner.observe(one, env.actions[a], env.observations[o], 0)
    cand = agent.candidates[candidate]
    core = ref.next_round_value(hyps, [F(1, 2), F(1, 2)], [one, one], observed, cand, off_branch)
    assert list(learner.values().values())[candidate] == core


@pytest.mark.parametrize("nirvana", [False, True])
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_the_update_equals_the_core_on_random_hypotheses(nirvana, data):
    game = data.draw(learning_games(max_actions=2, max_observations=2))
    n_h = data.draw(st.integers(1, 2))
    hyps = [
        data.draw(credal_hypotheses(game, nirvana=nirvana, name=f"h{i}", max_laws=2))
        for i in range(n_h)
    ]
    prior = [F(1, n_h)] * n_h if n_h == 1 or data.draw(st.booleans()) else [F(1, 3), F(2, 3)]
    off_branch = data.draw(st.sampled_from([0, 1]))
    step = 1 if nirvana else 2
    cands = grid(len(game.actions), step)
    try:
        agent = IBAgent(hyps, prior=prior, grid=step, off_branch=off_branch, exact=True)
    except ValueError:  # a candidate sent to NIRVANA by every generator of a hypothesis
        assume(False)
    learner = agent.start(0)
    played, observed = [], []
    for _ in range(2):
        c = data.draw(st.integers(0, len(cands) - 1))
        pi = cands[c]
        a = data.draw(st.sampled_from([i for i in range(len(pi)) if pi[i] > 0]))
        o = data.draw(st.integers(0, len(game.observations) - 1))
        played.append(pi)
        observed.append((a, o))
    c3 = data.draw(st.integers(0, len(cands) - 1))
    # The core sees the whole history, the candidate included: a generator whose every law
    # reaches NIRVANA under the candidate drops out of its normaliser, not of the agent's.
    for h in hyps:
        for gen in h.generators:
            assume(any(_nirvana_free(law, cands[c3]) for law in gen))
    try:
        for pi, (a, o) in zip(played, observed, strict=True):
            learner.observe(pi, game.actions[a], game.observations[o], 0)
    except NullUpdateError:
        event("every hypothesis refuted")
        with pytest.raises(NullUpdateError):
            ref.next_round_value(hyps, prior, played, observed, cands[c3], off_branch)
        return
    core = ref.next_round_value(hyps, prior, played, observed, cands[c3], off_branch)
    event(f"nirvana={nirvana}, off_branch={off_branch}, hypotheses={n_h}")
    assert list(learner.values().values())[c3] == core


def _nirvana_free(law, policy):
    return all(
        policy[a] == 0
        or all(
            law.emission[d][a][-1] == 0 or (policy @ law.predictor)[d] == 0
            for d in range(len(law.predictions))
        )
        for a in range(len(policy))
    )


def test_murphy_moves_after_the_policy():
    # Death in Damascus, Death's city chosen by chance: always Damascus, or always Aleppo
    # (Knightian). Valuing the coin as sum_a pi(a) min(...) gives 0 (each city alone can be
    # Death's); Murphy picks one law for the policy, so the coin survives with 1/2.
    env = DeathInDamascusBandit()
    h = chance(env, [[1, 0], [0, 1]])
    learner = IBAgent([h], grid=2, exact=True).start(0)
    values = learner.values()
    assert values["Damascus 1/2, Aleppo 1/2"] == F(1, 2)
    assert values["Damascus 1"] == 0 and values["Aleppo 1"] == 0
    assert learner.act()[0].tolist() == [F(1, 2), F(1, 2)]


def test_every_generator_counts_not_the_first():
    env = NewcombBandit()
    first_is_best = chance(env, [[1, 0], [0, 1]])  # box always full, or always empty
    swapped = chance(env, [[0, 1], [1, 0]])
    a = IBAgent([first_is_best], exact=True).start(0).values()
    b = IBAgent([swapped], exact=True).start(0).values()
    assert a == b == {"one-box 1": 0, "two-box 1": F(1, 11)}


def test_off_branch_zero_keeps_the_law_that_explains_the_history_worst():
    env = NewcombBandit()
    h = predictor(env, [F(1, 10), F(1, 2)])
    for off_branch, expected_scales in ((1, [1, F(5, 9)]), (0, [F(9, 5), 1])):
        learner = IBAgent([h], exact=True, off_branch=off_branch).start(0)
        learner.observe(np.array([F(1), F(0)], dtype=object), "one-box", "full", 0)
        # Likelihoods 9/10 and 1/2: g = 1 divides by the larger, g = 0 by the smaller.
        assert [lam for _, _, lam, _, _ in learner.generators()] == expected_scales
    # With g = 0 Murphy keeps the law that made "full" least likely (errs 1/2): after one full
    # box one-boxing is worth (9/5 * 9/10 * 10/11, 1 * 1/2 * 10/11) -> min 5/11.
    assert learner.values()["one-box 1"] == F(5, 11)


def test_nirvana_trick_equals_the_policy_dependent_law_on_pure_policies():
    for env in (NewcombBandit(), TransparentNewcombBandit(epsilon=F(1, 5))):
        errors = [F(1, 10), F(1, 5)]
        a = IBAgent([nirvana_trick(env, errors)], exact=True).start(0)
        b = IBAgent([predictor(env, errors)], exact=True).start(0)
        assert a.values() == b.values()
        pure = np.array([1] + [0] * (len(env.actions) - 1), dtype=object)
        for obs in ("full", "empty", "full"):
            a.observe(pure, env.actions[0], obs, 0)
            b.observe(pure, env.actions[0], obs, 0)
            assert a.values() == b.values()
            assert a.weights() == {"Nirvana trick": 1}


def test_perfect_transparent_newcomb_defeats_the_nirvana_trick():
    # Murphy predicts two-boxing on full, so the box is empty and the plan is never tested:
    # one-boxing on full is worth only what an empty box gives.
    env = TransparentNewcombBandit(epsilon=0)
    values = IBAgent([nirvana_trick(env, [0])], exact=True).start(0).values()
    assert values["one-box|two-box 1"] == values["two-box|two-box 1"] == F(1, 11)


def test_nirvana_worth_one():
    env = NewcombBandit(epsilon=0)
    values = IBAgent([nirvana_trick(env, [0])], nirvana=1, exact=True).start(0).values()
    # Murphy may now predict two-boxing for a one-boxer: NIRVANA (worth 1) at once, or
    # predict one-boxing: 10/11. He picks the latter.
    assert values == {"one-box 1": F(10, 11), "two-box 1": F(1, 11)}


def test_a_refuted_hypothesis_is_dropped_and_all_refuted_raises():
    env = NewcombBandit()
    sure_full = chance(env, [[1, 0]], name="full")
    sure_empty = chance(env, [[0, 1]], name="empty")
    learner = IBAgent([sure_full, sure_empty], exact=True).start(0)
    one = np.array([F(1), F(0)], dtype=object)
    learner.observe(one, "one-box", "full", 0)
    assert learner.weights() == {"full": 1, "empty": 0}
    with pytest.raises(NullUpdateError, match="every hypothesis gives the history probability 0"):
        learner.observe(one, "one-box", "empty", 0)


def test_float_and_exact_agree():
    _, hyps = _newcomb_hypotheses()
    exact = IBAgent(hyps, exact=True).start(0)
    floats = IBAgent(hyps).start(0)
    one = np.array([F(1), F(0)], dtype=object)
    for obs in ["full", "empty", "full", "full", "empty"] * 4:
        exact.observe(one, "one-box", obs, 0)
        floats.observe(one, "one-box", obs, 0)
    for (k, v), (k2, v2) in zip(exact.values().items(), floats.values().items(), strict=True):
        assert k == k2 and v2 == pytest.approx(float(v), rel=1e-12)


def test_long_float_runs_keep_lambda_plus_b_equal_to_one():
    # The general update formula loses a digit with every unlikely observation in floats; the
    # agent computes in the form lambda + b = 1 (g = 1), which stays exact to rounding.
    _, hyps = _newcomb_hypotheses()
    learner = IBAgent(hyps).start(0)
    rng = np.random.default_rng(3)
    one = np.array([1.0, 0.0])
    for _ in range(2000):
        learner.observe(one, "one-box", "full" if rng.random() < 0.9 else "empty", 0)
    for _, _, lam, b, _ in learner.generators():
        assert lam + b == pytest.approx(1, abs=1e-12)


def test_bad_input():
    env, hyps = _newcomb_hypotheses()
    with pytest.raises(ValueError, match="hypotheses is empty"):
        IBAgent([])
    with pytest.raises(ValueError, match="prior weights sum to 1/2"):
        IBAgent(hyps, prior=[F(1, 4), F(1, 4)])
    with pytest.raises(ValueError, match="unknown hypothesis 'x'"):
        IBAgent(hyps, prior={"x": 1})
    with pytest.raises(ValueError, match="off_branch must be 0 or 1"):
        IBAgent(hyps, off_branch=F(1, 2))
    with pytest.raises(ValueError, match="nirvana must be"):
        IBAgent(hyps, nirvana=2)
    with pytest.raises(ValueError, match="not supported"):
        IBAgent(hyps, nirvana=1, off_branch=0)
    with pytest.raises(ValueError, match="grid must be a positive int"):
        IBAgent(hyps, grid=0)
    with pytest.raises(ValueError, match="value only deterministic policies"):
        IBAgent([nirvana_trick(env, [0])], grid=2)
    with pytest.raises(ValueError, match="exact=True needs exact"):
        IBAgent([predictor(env, [0.1])], exact=True)
    other = DeathInDamascusBandit()
    with pytest.raises(ValueError, match="another game"):
        IBAgent([hyps[0], predictor(other, [0], name="death")])
    with pytest.raises(ValueError, match="share a name"):
        IBAgent([hyps[0], hyps[0]])
    learner = IBAgent(hyps).start(0)
    with pytest.raises(ValueError, match="not one of the agent's candidates"):
        learner.observe([0.5, 0.5], "one-box", "full", 0)
    with pytest.raises(ValueError, match="unknown action or observation 'maybe'"):
        learner.observe([1.0, 0.0], "one-box", "maybe", 0)
    with pytest.raises(ValueError, match="generator 0 has no law"):
        hypothesis("h", env.game, [[]])


def test_repr():
    _, hyps = _newcomb_hypotheses()
    agent = IBAgent(hyps)
    assert "2 candidate policies; off_branch 1, nirvana inf (float64)" in repr(agent)
    text = repr(agent.start(0))
    assert text.startswith("IB learner after 0 rounds: a predictor reads my policy 0.5")
    assert "predictor errs 1/10" in text
    assert math.isinf(agent.nirvana)
