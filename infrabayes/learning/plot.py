"""Pictures of learning runs (needs the ``plot`` extra: ``pip install knightian[plot]``).

* :func:`regret`: the mean cumulative regret of each run, with its confidence band across seeds;
* :func:`average_reward`: the running average reward, with the best policy's expected reward.

The functions draw on the axes they are given (``ax=``) or on a new figure built without pyplot
(no display needed), and return the axes; save with ``ax.figure.savefig(path)``. Every line
carries the agent's name as its ``label``. matplotlib is imported only when a function is called.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from infrabayes._extras import require
from infrabayes.learning.results import RunResult, band

__all__ = ["average_reward", "regret"]


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    Figure = require("matplotlib.figure", "plot", "infrabayes.learning.plot").Figure
    fig = Figure(figsize=(6.4, 4.0), layout="constrained")
    return fig.subplots()


def _runs(results: RunResult | Sequence[RunResult]) -> list[RunResult]:
    runs = [results] if isinstance(results, RunResult) else list(results)
    if not runs:
        raise ValueError("no results to draw")
    for r in runs:
        if not isinstance(r, RunResult):
            raise TypeError(f"expected RunResult objects; got {type(r).__name__}")
    steps = {r.steps for r in runs}
    if len(steps) > 1:
        raise ValueError(f"the runs have different lengths {sorted(steps)}; draw them apart")
    return runs


def regret(results: RunResult | Sequence[RunResult], *, ax: Any = None, level: float = 0.95) -> Any:
    """Draw the mean cumulative regret of each run with its confidence band across seeds.

    Parameters
    ----------
    results : RunResult or sequence of RunResult
        Runs of the same length (one line each).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure's axes.
    level : float, default 0.95
        The level of the band: mean ± z sd / sqrt(seeds) (see
        :func:`~infrabayes.learning.results.band`).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from infrabayes.learning import NewcombBandit, UCB1, run
    >>> env = NewcombBandit()
    >>> ax = regret(run(UCB1(env.actions), env, steps=50, seeds=2))
    >>> [line.get_label() for line in ax.get_lines()]
    ['UCB1']
    """
    ax = _axes(ax)
    runs = _runs(results)
    x = np.arange(1, runs[0].steps + 1)
    for r in runs:
        mean, low, high = band(r.regret, level)
        (line,) = ax.plot(x, mean, label=r.agent)
        ax.fill_between(x, low, high, color=line.get_color(), alpha=0.2, linewidth=0)
    ax.set_xlabel("round")
    ax.set_ylabel("cumulative regret")
    envs = sorted({r.environment for r in runs})
    seeds = sorted({r.seeds for r in runs})
    ax.set_title(
        f"{', '.join(envs)}: mean regret over {'/'.join(map(str, seeds))} seeds, "
        f"{round(level * 100)}% band"
    )
    ax.legend(fontsize="small", loc="upper left")
    return ax


def average_reward(results: RunResult | Sequence[RunResult], *, ax: Any = None) -> Any:
    """Draw the running average reward (mean over seeds) and the best policy's expected reward.

    Returns the axes; the dashed line is labelled ``"best policy in hindsight"``.
    """
    ax = _axes(ax)
    runs = _runs(results)
    x = np.arange(1, runs[0].steps + 1)
    for r in runs:
        ax.plot(x, r.average_reward.mean(axis=0), label=r.agent)
    ax.axhline(
        float(runs[0].best.value), color="black", linestyle="--", label="best policy in hindsight"
    )
    ax.set_xlabel("round")
    ax.set_ylabel("average reward so far")
    ax.set_ylim(0, 1)
    ax.legend(fontsize="small", loc="lower right")
    return ax
