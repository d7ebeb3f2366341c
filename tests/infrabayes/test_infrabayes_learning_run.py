"""run, sweep, the results and the plots: reproducibility, engines, bad input."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction as F

import numpy as np
import pytest

from infrabayes.learning import (
    EXP3,
    UCB1,
    IBAgent,
    NewcombBandit,
    ThompsonSampling,
    TrapBandit,
    chance,
    predictor,
    run,
    sweep,
)
from infrabayes.learning import plot as learning_plot


def _ib(env):
    return IBAgent([predictor(env, [F(1, 10)]), chance(env, [[F(9, 10), F(1, 10)]])])


ARRAYS = ("rewards", "expected", "regret", "policies", "played", "seen", "absorbed_at")


def _same(a, b):
    return all(getattr(a, n).tobytes() == getattr(b, n).tobytes() for n in ARRAYS)


def test_result_arrays_and_the_regret_recomputed_from_the_policies():
    env = NewcombBandit()
    r = run(EXP3(env.actions), env, steps=30, seeds=2)
    assert r.rewards.shape == r.expected.shape == r.regret.shape == (2, 30)
    assert r.policies.shape == (2, 30, 2) and r.seeds == 2 and r.steps == 30
    for name in ARRAYS:
        with pytest.raises(ValueError, match="read-only"):
            getattr(r, name).flat[0] = 1
    # Recompute the expected rewards exactly from the played policies, and the regret from them.
    best = float(env.best_policy().value)
    for s in range(2):
        exp = [float(env.expected_reward(p)) for p in r.policies[s]]
        assert r.expected[s] == pytest.approx(exp, abs=1e-15)
        assert r.regret[s] == pytest.approx(np.cumsum(best - np.array(exp)), abs=1e-12)
        rewards = [
            float(env.game.rewards[a, o]) for a, o in zip(r.played[s], r.seen[s], strict=True)
        ]
        assert r.rewards[s].tolist() == rewards
    assert r.mean_regret.shape == (30,) and r.average_reward.shape == (2, 30)


def test_same_seed_same_result_other_seed_other_result():
    env = NewcombBandit()
    agent = ThompsonSampling(env.actions)
    a, b = run(agent, env, 40, 3, seed=7), run(agent, env, 40, 3, seed=7)
    c = run(agent, env, 40, 3, seed=8)
    assert _same(a, b) and not _same(a, c)
    assert a.seed == 7


def test_engines_give_bitwise_identical_results():
    env = NewcombBandit()
    for agent in (_ib(env), ThompsonSampling(env.actions), EXP3(env.actions)):
        serial = run(agent, env, 60, 4, seed=3)
        with ThreadPoolExecutor(2) as pool:
            threads = run(agent, env, 60, 4, seed=3, workers=pool.map)
        processes = run(agent, env, 60, 4, seed=3, workers=2)
        assert _same(serial, threads) and _same(serial, processes)


def test_explicit_seed_sequences():
    env = NewcombBandit()
    children = np.random.SeedSequence(7).spawn(3)
    by_count = run(EXP3(env.actions), env, 20, 3, seed=7)
    by_list = run(EXP3(env.actions), env, 20, children)
    assert _same(by_count, by_list) and by_list.seed is None


def test_a_sweep_uses_the_same_seeds_as_run():
    env, other = NewcombBandit(), NewcombBandit(epsilon=F(1, 5))
    agents = [UCB1(env.actions), EXP3(env.actions)]
    s = sweep(agents, {"eps 1/10": env, "eps 1/5": other}, 25, 2, seed=5, workers=2)
    assert list(s.results) == [
        ("UCB1", "eps 1/10"),
        ("UCB1", "eps 1/5"),
        ("EXP3", "eps 1/10"),
        ("EXP3", "eps 1/5"),
    ]
    assert _same(s["EXP3", "eps 1/5"], run(agents[1], other, 25, 2, seed=5))
    text = repr(s)
    assert text.startswith("Sweep: 4 runs of 2 seeds x 25 steps") and "EXP3" in text


def test_absorbing_observation_ends_the_run():
    env = TrapBandit(trap=F(1, 2))
    r = run(EXP3(env.actions, gamma=1.0), env, 200, 3, seed=1)  # uniform play: trapped soon
    for s in range(3):
        t = int(r.absorbed_at[s])
        assert t >= 0 and r.seen[s, t] == env.observations.index("trap")
        assert np.isnan(r.policies[s, t + 1 :]).all() and (r.played[s, t + 1 :] == -1).all()
        assert (r.rewards[s, t + 1 :] == 0).all() and (r.expected[s, t + 1 :] == 0).all()
        assert np.diff(r.regret[s, t:]) == pytest.approx(0.5)  # r* = 1/2 per round after it
    assert "runs ended by an absorbing observation  3 of 3" in repr(r)
    assert "policy, last 20 rounds                  safe -, risky -" in repr(r)


def test_repr_reports_the_benchmark_and_the_outcome():
    env = NewcombBandit()
    text = repr(run(_ib(env), env, 50, 2))
    assert text.startswith("IB in Newcomb's bandit: 2 seeds x 50 steps")
    lines = [line.split() for line in text.splitlines()]
    assert ["best", "policy", "in", "hindsight", "one-box", "1"] in lines
    assert ["regret", "after", "50", "rounds", "0", "±", "0"] in lines


@dataclass(frozen=True)
class _Broken:
    """An agent whose learner misbehaves in the way named by `mode`."""

    mode: str
    name: str = "broken"
    actions: tuple = ("one-box", "two-box")
    observations: None = None

    def start(self, rng=None):
        return self

    def act(self):
        if self.mode == "sum":
            return np.array([0.5, 0.6]), "one-box"
        if self.mode == "shape":
            return np.array([1.0]), "one-box"
        if self.mode == "support":
            return np.array([1.0, 0.0]), "two-box"
        return np.array([1.0, 0.0]), "three-box"

    def observe(self, *args):
        pass


@pytest.mark.parametrize(
    ("mode", "match"),
    [
        ("sum", "broken, round 0: the policy \\[0.5, 0.6\\] is not a probability vector"),
        ("shape", "broken, round 0: the policy has shape \\(1,\\)"),
        ("support", "broken, round 0: action 'two-box' has probability 0 under its policy"),
        ("name", "broken, round 0: unknown action 'three-box'"),
    ],
)
def test_a_misbehaving_agent_is_named(mode, match):
    env = NewcombBandit()
    with pytest.raises(ValueError, match=match):
        run(_Broken(mode), env, 3)


def test_bad_arguments():
    env = NewcombBandit()
    agent = UCB1(env.actions)
    with pytest.raises(ValueError, match="steps must be a positive int; got 0"):
        run(agent, env, 0)
    with pytest.raises(ValueError, match="steps must be a positive int"):
        run(agent, env, 2.5)
    with pytest.raises(ValueError, match="seeds must be >= 1"):
        run(agent, env, 5, 0)
    with pytest.raises(TypeError, match="seeds must be"):
        run(agent, env, 5, True)
    with pytest.raises(ValueError, match="mismatched seeds"):
        run(agent, env, 5, np.random.SeedSequence(1).spawn(2), seed=3)
    with pytest.raises(TypeError, match="seeds\\[1\\] is 4"):
        run(agent, env, 5, [np.random.SeedSequence(1), 4])
    twice = np.random.SeedSequence(1)
    with pytest.raises(ValueError, match="repeats a SeedSequence"):
        run(agent, env, 5, [twice, twice])
    with pytest.raises(ValueError, match="seed must be a non-negative int"):
        run(agent, env, 5, 2, seed=-1)
    with pytest.raises(ValueError, match="chooses among \\('a', 'b'\\)"):
        run(UCB1(["a", "b"]), env, 5)
    with pytest.raises(ValueError, match="workers is 0"):
        run(agent, env, 5, workers=0)
    with pytest.raises(TypeError, match="must be an Environment"):
        run(agent, "Newcomb", 5)
    trap = TrapBandit()
    with pytest.raises(ValueError, match="chooses among"):
        run(_ib(env), trap, 5)
    with pytest.raises(ValueError, match="other rewards than"):
        run(_ib(NewcombBandit(big=20)), env, 5)
    with pytest.raises(ValueError, match="two agents are named 'UCB1'"):
        sweep([agent, agent], [env], 5)


def test_regret_plot_draws_a_line_and_a_band_per_agent():
    pytest.importorskip("matplotlib")
    env = NewcombBandit()
    results = [run(a, env, 40, 3) for a in (_ib(env), UCB1(env.actions))]
    ax = learning_plot.regret(results)
    assert [line.get_label() for line in ax.get_lines()] == ["IB", "UCB1"]
    assert len(ax.collections) == 2  # the bands
    assert ax.get_lines()[1].get_ydata() == pytest.approx(results[1].mean_regret)
    ax2 = learning_plot.average_reward(results[0], ax=ax.figure.add_subplot(2, 1, 2))
    assert "best policy in hindsight" in [line.get_label() for line in ax2.get_lines()]
    with pytest.raises(ValueError, match="different lengths"):
        learning_plot.regret([results[0], run(UCB1(env.actions), env, 10, 2)])
    with pytest.raises(ValueError, match="level must lie in"):
        learning_plot.regret(results, level=1.5)
