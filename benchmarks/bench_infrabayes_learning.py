"""Benchmark: the infra-Bayesian learning agent in Newcomb's bandit, 10^4 steps x 20 seeds.

Issue 17's target: learning runs of 10^4 steps x 20 seeds in under a minute.

The agent: IBAgent (float64) with two hypotheses of three generators each (a predictor that errs
0, 1/10 or 1/5; a box full by chance with probability 1, 9/10 or 4/5), in NewcombBandit()
(epsilon 1/10, A = 1, B = 10). Timed: ``run(agent, env, 10_000, 20)`` serially (``workers=1``)
and with two local processes (``workers=2``); the results must be identical.

Baseline, measured in the same run: a naive per-step Python implementation of the same agent
that recomputes everything from scratch every round: for every law, the likelihood of the whole
history so far (a loop over the past rounds), then the likelihood ratios, the hypothesis weights
and every candidate's value, with plain Python loops. It uses the closed form of the update
(with off-branch utility 1, a generator's scale is its history likelihood over the best of its
hypothesis, and a hypothesis weighs its prior times its best likelihood), not the agent's
incremental update, so its decisions double as a check: they must equal the agent's. Its cost
per round grows linearly with the history, so it is timed on the first 400 rounds of 2 seeds and
scaled quadratically to 10^4 rounds x 20 seeds (the time of T rounds is about c T^2 / 2): say so.

A second baseline keeps the likelihoods between rounds (the same plain-Python agent, but each
round multiplies every law's running likelihood by the round's probability and renormalises, as
the package does with arrays): its cost per round is constant, so it is timed on 2,000 rounds of
2 seeds and scaled linearly. It shows what the arrays and the precomputed tables buy over plain
Python at the same algorithm.

A second configuration shows how the costs grow with the hypothesis class: Death in Damascus with
a grid of 21 candidate policies (step 1/20) and 22 generators (a predictor erring 0, 1/20, ...,
1/2; chance with the same rates).

Run: ``.venv/bin/python benchmarks/bench_infrabayes_learning.py`` (or ``make bench``).
"""

from __future__ import annotations

import time
from fractions import Fraction

import numpy as np

from infrabayes.learning import (
    DeathInDamascusBandit,
    Environment,
    IBAgent,
    NewcombBandit,
    chance,
    predictor,
    run,
)
from infrabayes.learning.agent import draw
from infrabayes.learning.episode import Task

#: Issue 17's target, in seconds.
TARGET_SECONDS = 60.0
STEPS, SEEDS = 10_000, 20
#: The naive baseline is timed on this many rounds of this many seeds, then scaled.
BASELINE_STEPS, BASELINE_SEEDS = 400, 2
#: The incremental plain-Python baseline is timed on this many rounds (of BASELINE_SEEDS seeds).
INCREMENTAL_STEPS = 2000


def hypotheses(env: NewcombBandit) -> list:
    f = Fraction
    return [
        predictor(env, [0, f(1, 10), f(1, 5)]),
        chance(env, [[1, 0], [f(9, 10), f(1, 10)], [f(4, 5), f(1, 5)]]),
    ]


def naive_run(agent: IBAgent, env: NewcombBandit, steps: int, task: Task) -> list[int]:
    """Run the agent, recomputed from scratch each round in plain Python; return its actions."""
    agent_rng, env_rng = task.generators()
    laws = [[law for gen in h.generators for law in gen] for h in agent.hypotheses]
    candidates = [[float(p) for p in row] for row in agent.candidates]
    rewards = [[float(r) for r in row] for row in env.game.rewards.tolist()]
    prior = [1 / len(laws)] * len(laws)
    history: list[tuple[list[float], int, int]] = []
    actions = []

    def prob(law, policy, a, o):
        n_d = len(law.predictions)
        pred = [
            sum(policy[b] * float(law.predictor[b][d]) for b in range(len(policy)))
            for d in range(n_d)
        ]
        return sum(pred[d] * float(law.emission[d][a][o]) for d in range(n_d))

    def mean_reward(law, policy):
        return sum(
            policy[a] * prob(law, policy, a, o) * rewards[a][o]
            for a in range(len(policy))
            for o in range(len(rewards[0]))
        )

    for _ in range(steps):
        weights, values = [], [0.0] * len(candidates)
        likelihoods = []
        for k, hyp_laws in enumerate(laws):
            lik = []
            for law in hyp_laws:
                total = 1.0
                for policy, a, o in history:  # the whole history, every round
                    total *= prob(law, policy, a, o)
                lik.append(total)
            likelihoods.append(lik)
            weights.append(prior[k] * max(lik))
        norm = sum(weights)
        for k, hyp_laws in enumerate(laws):
            best = max(likelihoods[k])
            for c, policy in enumerate(candidates):
                worst = min(
                    (lik / best) * mean_reward(law, policy) + 1 - lik / best
                    for law, lik in zip(hyp_laws, likelihoods[k], strict=True)
                )
                values[c] += weights[k] / norm * worst
        c = max(range(len(candidates)), key=lambda i: (values[i], -i))
        policy = candidates[c]
        a = draw(np.array(policy), agent_rng)
        _, o = env.sampler.draw(np.array(policy), a, env_rng)
        history.append((policy, a, o))
        actions.append(a)
    return actions


def incremental_run(agent: IBAgent, env: NewcombBandit, steps: int, task: Task) -> list[int]:
    """Run the agent in plain Python, keeping each law's likelihood between rounds."""
    agent_rng, env_rng = task.generators()
    laws = [[law for gen in h.generators for law in gen] for h in agent.hypotheses]
    candidates = [[float(p) for p in row] for row in agent.candidates]
    rewards = [[float(r) for r in row] for row in env.game.rewards.tolist()]
    floats = [
        [
            (
                [[float(v) for v in row] for row in law.predictor.tolist()],
                [[[float(v) for v in row] for row in block] for block in law.emission.tolist()],
            )
            for law in hyp
        ]
        for hyp in laws
    ]

    def prob(law, policy, a, o):
        m, k = law
        pred = [sum(policy[b] * m[b][d] for b in range(len(policy))) for d in range(len(m[0]))]
        return sum(pred[d] * k[d][a][o] for d in range(len(pred)))

    means = [
        [
            [
                sum(
                    p[a] * prob(law, p, a, o) * rewards[a][o]
                    for a in range(len(p))
                    for o in range(len(rewards[0]))
                )
                for p in candidates
            ]
            for law in hyp
        ]
        for hyp in floats
    ]
    ratios = [[1.0] * len(hyp) for hyp in floats]
    weights = [1 / len(floats)] * len(floats)
    actions = []
    for _ in range(steps):
        values = [
            sum(
                weights[k] * min(r * means[k][j][c] + 1 - r for j, r in enumerate(ratios[k]))
                for k in range(len(floats))
            )
            for c in range(len(candidates))
        ]
        c = max(range(len(candidates)), key=lambda i: (values[i], -i))
        policy = candidates[c]
        a = draw(np.array(policy), agent_rng)
        _, o = env.sampler.draw(np.array(policy), a, env_rng)
        for k, hyp in enumerate(floats):
            u = [r * prob(law, policy, a, o) for r, law in zip(ratios[k], hyp, strict=True)]
            top = max(u)
            ratios[k] = [x / top for x in u]
            weights[k] *= top
        total = sum(weights)
        weights = [w / total for w in weights]
        actions.append(a)
    return actions


def bench(name: str, agent: IBAgent, env: Environment, steps: int, seeds: int) -> None:
    """Time our runs and the two baselines for one configuration; print one block."""
    generators = sum(len(h.generators) for h in agent.hypotheses)
    print(
        f"{name}: {steps} steps x {seeds} seeds, {len(agent.candidates)} candidate policies, "
        f"{generators} generators"
    )
    start = time.perf_counter()
    serial = run(agent, env, steps, seeds, seed=0)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    parallel = run(agent, env, steps, seeds, seed=0, workers=2)
    ours_parallel = time.perf_counter() - start
    assert serial.regret.tobytes() == parallel.regret.tobytes(), "the engines disagree"

    children = np.random.SeedSequence(0).spawn(seeds)
    tasks = [
        Task(agent, env, steps, children[s].entropy, tuple(children[s].spawn_key))
        for s in range(BASELINE_SEEDS)
    ]
    start = time.perf_counter()
    for s, task in enumerate(tasks):
        naive = naive_run(agent, env, BASELINE_STEPS, task)
        assert naive == serial.played[s, :BASELINE_STEPS].tolist(), "the naive agent disagrees"
    measured = time.perf_counter() - start
    scaled = measured * (steps / BASELINE_STEPS) ** 2 * (seeds / BASELINE_SEEDS)
    start = time.perf_counter()
    for s, task in enumerate(tasks):
        plain = incremental_run(agent, env, INCREMENTAL_STEPS, task)
        assert plain == serial.played[s, :INCREMENTAL_STEPS].tolist(), "the plain agent disagrees"
    incremental = (time.perf_counter() - start) * (steps / INCREMENTAL_STEPS)
    incremental *= seeds / BASELINE_SEEDS
    met = "met" if ours < TARGET_SECONDS else "NOT met"
    print(
        f"  ours, serial: {ours:6.2f} s ({1e6 * ours / (steps * seeds):.0f} us per round); "
        f"workers=2: {ours_parallel:6.2f} s (same results); target < {TARGET_SECONDS:.0f} s: {met}"
    )
    print(
        f"  naive per-step Python, recomputing the whole history each round: {measured:.2f} s for "
        f"{BASELINE_STEPS} rounds x {BASELINE_SEEDS} seeds (same decisions), scaled "
        f"quadratically to {steps} x {seeds}: ~{scaled:,.0f} s; ratio {scaled / ours:,.0f}x"
    )
    print(
        f"  plain Python keeping the likelihoods: ~{incremental:.1f} s (timed on "
        f"{INCREMENTAL_STEPS} rounds x {BASELINE_SEEDS} seeds, same decisions, scaled linearly); "
        f"ratio {incremental / ours:.1f}x"
    )
    print(
        f"  regret after {steps} rounds: {serial.final_regret.mean():.1f}; reward per round "
        f"{serial.rewards.mean():.4f} against {float(serial.best.value):.4f}"
    )


def main() -> None:
    env = NewcombBandit()
    bench("IB agent in Newcomb's bandit", IBAgent(hypotheses(env)), env, STEPS, SEEDS)
    death = DeathInDamascusBandit()
    rates = [Fraction(i, 20) for i in range(11)]
    larger = IBAgent([predictor(death, rates), chance(death, [[r, 1 - r] for r in rates])], grid=20)
    bench("IB agent in Death in Damascus, larger class", larger, death, STEPS, SEEDS)


if __name__ == "__main__":
    main()
