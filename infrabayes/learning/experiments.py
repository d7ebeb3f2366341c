"""Run agents in environments over many seeds, serially or in parallel, reproducibly.

:func:`run` runs one agent in one environment; :func:`sweep` runs every agent in every
environment. Both return frozen results (:class:`~infrabayes.learning.results.RunResult`,
:class:`~infrabayes.learning.results.Sweep`).

**Seeds.** ``seeds=n`` runs ``n`` independent runs whose seeds are spawned from one
:class:`numpy.random.SeedSequence` built from ``seed`` (default 0):
``SeedSequence(seed).spawn(n)``. Alternatively ``seeds`` may be a sequence of ``SeedSequence``
objects (then ``seed`` must not be given). In a sweep, run ``i`` of every agent and environment
uses the same spawned seed (common random numbers). Each run's agent and environment draw from
two independent streams of its seed (:mod:`~infrabayes.learning.episode`).

**Workers.** ``workers`` follows scipy's convention: ``1`` runs serially in this process, an
int ``n >= 2`` in ``n`` local processes, ``-1`` in one process per CPU, and any map-like
callable is used as ``workers(func, tasks)`` (``concurrent.futures.Executor.map``,
``multiprocessing.Pool.map``, a dask ``Client.get_executor().map``). Tasks carry only plain data
(the frozen agent and environment descriptions, the steps, a seed), and every seed is fixed
before any task runs, so the results are the same, bit for bit, whatever the engine or the
grouping of tasks.

Examples
--------
>>> from infrabayes.learning import NewcombBandit, UCB1
>>> env = NewcombBandit()
>>> result = run(UCB1(env.actions), env, steps=200, seeds=3)
>>> result.regret.shape, result.best.policy
((3, 200), {'one-box': Fraction(1, 1)})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from infrabayes._parallel import check_workers, map_tasks
from infrabayes.learning.agent import Agent
from infrabayes.learning.environments import Environment
from infrabayes.learning.episode import Task, simulate
from infrabayes.learning.model import Game
from infrabayes.learning.results import RunResult, Sweep

__all__ = ["run", "sweep"]


def _steps(steps: Any) -> int:
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer) or steps < 1:
        raise ValueError(f"steps must be a positive int; got {steps!r}")
    return int(steps)


def _seeds(seeds: Any, seed: Any) -> tuple[list[tuple[Any, tuple[int, ...]]], Any]:
    """Return the runs' ``(entropy, spawn_key)`` and the root seed to report."""
    if isinstance(seeds, bool):
        raise TypeError("seeds must be a number of runs or a sequence of SeedSequence objects")
    if isinstance(seeds, int | np.integer):
        if seeds < 1:
            raise ValueError(f"seeds must be >= 1 (the number of runs); got {seeds}")
        root_seed = 0 if seed is None else seed
        if isinstance(root_seed, np.random.SeedSequence):
            root = np.random.SeedSequence(root_seed.entropy, spawn_key=root_seed.spawn_key)
        elif isinstance(root_seed, bool) or not isinstance(root_seed, int | np.integer):
            raise TypeError(f"seed must be a non-negative int or a SeedSequence; got {seed!r}")
        elif root_seed < 0:
            raise ValueError(f"seed must be a non-negative int; got {root_seed}")
        else:
            root = np.random.SeedSequence(int(root_seed))
        children = root.spawn(int(seeds))
        return [(c.entropy, tuple(c.spawn_key)) for c in children], root_seed
    if isinstance(seeds, Sequence) and not isinstance(seeds, str):
        if seed is not None:
            raise ValueError(
                "mismatched seeds: give either seeds=<number of runs> with seed=<root seed>, or "
                "seeds=<sequence of SeedSequence> without seed"
            )
        items = list(seeds)
        if not items:
            raise ValueError("seeds is an empty sequence; give at least one SeedSequence")
        for i, s in enumerate(items):
            if not isinstance(s, np.random.SeedSequence):
                raise TypeError(f"seeds[{i}] is {s!r}; expected a numpy.random.SeedSequence")
        keys = [(s.entropy, tuple(s.spawn_key)) for s in items]
        if len(set(map(repr, keys))) != len(keys):
            raise ValueError("seeds repeats a SeedSequence: the runs would be identical")
        return keys, None
    raise TypeError(
        f"seeds is {seeds!r}; expected a number of runs or a sequence of SeedSequence objects"
    )


def _check_pair(agent: Any, env: Any) -> None:
    if not isinstance(env, Environment):
        raise TypeError(f"the environment must be an Environment; got {type(env).__name__}")
    for member in ("name", "actions", "observations", "start"):
        if not hasattr(agent, member):
            raise TypeError(f"{agent!r} is not an agent: it has no {member!r}")
    if tuple(agent.actions) != env.actions:
        raise ValueError(
            f"agent {agent.name!r} chooses among {tuple(agent.actions)!r} but {env.name} has "
            f"the actions {env.actions!r}"
        )
    obs = agent.observations
    if obs is not None and tuple(obs) != env.observations:
        raise ValueError(
            f"agent {agent.name!r} expects the observations {tuple(obs)!r} but {env.name} shows "
            f"{env.observations!r}"
        )
    game = getattr(agent, "game", None)
    if isinstance(game, Game) and not np.array_equal(
        np.asarray(game.rewards, dtype=np.float64), np.asarray(env.game.rewards, dtype=np.float64)
    ):
        raise ValueError(
            f"agent {agent.name!r} values outcomes with other rewards than {env.name} pays; build "
            "its hypotheses from the environment (e.g. predictor(env, ...))"
        )


def run(
    agent: Agent,
    env: Environment,
    steps: int,
    seeds: Any = 1,
    *,
    seed: Any = None,
    workers: Any = 1,
) -> RunResult:
    """Run `agent` in `env` for `steps` rounds, once per seed.

    Parameters
    ----------
    agent : Agent
        An agent description (:class:`~infrabayes.learning.ib.IBAgent`, ...).
    env : Environment
    steps : int
        Rounds per run, >= 1.
    seeds : int or sequence of numpy.random.SeedSequence, default 1
        The number of runs (seeds spawned from `seed`), or the runs' seeds.
    seed : int or numpy.random.SeedSequence, optional
        The root seed (default 0) when `seeds` is a number.
    workers : int or map-like callable, default 1
        See the module docstring.

    Returns
    -------
    RunResult

    Raises
    ------
    ValueError
        For ``steps < 1``, ``seeds < 1``, mismatched seeds, an agent whose actions or expected
        observations differ from the environment's, and (during the run) an invalid policy or
        action from the agent, naming the agent and the round.
    """
    n = _steps(steps)
    keys, root = _seeds(seeds, seed)
    _check_pair(agent, env)
    check_workers(workers)
    tasks = [Task(agent, env, n, entropy, key) for entropy, key in keys]
    trajectories = map_tasks(simulate, tasks, workers)
    return RunResult.assemble(
        agent.name, env.name, env.actions, env.observations, root, env.best_policy(), trajectories
    )


def _named(items: Any, what: str) -> dict[str, Any]:
    if isinstance(items, Mapping):
        named = {str(k): v for k, v in items.items()}
    else:
        values = list(items)
        named = {}
        for v in values:
            label = str(getattr(v, "name", v))
            if label in named:
                raise ValueError(
                    f"two {what} are named {label!r}; pass a mapping {{name: {what[:-1]}}}"
                )
            named[label] = v
    if not named:
        raise ValueError(f"{what} is empty")
    return named


def sweep(
    agents: Any,
    envs: Any,
    steps: int,
    seeds: Any = 1,
    *,
    seed: Any = None,
    workers: Any = 1,
) -> Sweep:
    """Run every agent in every environment, once per seed.

    Parameters
    ----------
    agents, envs : sequence or mapping
        Agent and environment descriptions; a mapping names them (needed when two share a
        name), a sequence uses their ``name``.
    steps, seeds, seed, workers
        As for :func:`run`; run ``i`` of every pair uses the same spawned seed.

    Returns
    -------
    Sweep
        Keyed by ``(agent name, environment name)``.
    """
    n = _steps(steps)
    keys, root = _seeds(seeds, seed)
    named_agents = _named(agents, "agents")
    named_envs = _named(envs, "environments")
    check_workers(workers)
    pairs: list[tuple[str, str]] = []
    tasks: list[Task] = []
    for a_name, agent in named_agents.items():
        for e_name, env in named_envs.items():
            _check_pair(agent, env)
            pairs.append((a_name, e_name))
            tasks += [Task(agent, env, n, entropy, key) for entropy, key in keys]
    trajectories = map_tasks(simulate, tasks, workers)
    results: dict[tuple[str, str], RunResult] = {}
    k = len(keys)
    for i, (a_name, e_name) in enumerate(pairs):
        env = named_envs[e_name]
        results[(a_name, e_name)] = RunResult.assemble(
            a_name,
            e_name,
            env.actions,
            env.observations,
            root,
            env.best_policy(),
            trajectories[i * k : (i + 1) * k],
        )
    return Sweep(results)
