r"""Rectangularity: one hidden kernel chosen once, against Murphy choosing at every visit.

Definitions
-----------
The solvers of this subpackage assume **(s, a)-rectangularity**: the set of possible worlds is
the product :math:`\prod_{(s, a)} C(s, a)`, and Murphy picks a distribution from :math:`C(s, a)`
afresh at every visit of :math:`(s, a)`, knowing the history. That makes dynamic programming
exact (Iyengar 2005; Nilim and El Ghaoui 2005) and the worst case recursive, as Epstein and
Schneider (2003) showed rectangular sets of priors must be for a dynamically consistent
multiple-priors agent.

A **non-rectangular** alternative: a finite set of complete kernels :math:`P_1, \dots, P_K`, one
of which is the truth for the whole run; Murphy picks it once, before the run, after seeing
the policy. For a policy :math:`\pi` and horizon :math:`H`, each kernel gives a distribution over
trajectories :math:`(s_0, \dots, s_{H-1})`, and the infra-Bayesian hypothesis is the credal set
(a crisp :class:`~infrabayes.Infradistribution`) with one generator per kernel. The policy's
value is Murphy's expectation of the total reward
:math:`\sum_{t < H} \gamma^t r(s_t, \pi_t(s_t))`, rescaled into [0, 1] for the core and back.

If every row of every :math:`P_k` lies in :math:`C(s, a)`, each :math:`P_k` is one of the
choices Murphy has in the rectangular model, so the rectangular value is never higher. It is
lower whenever Murphy's best response varies between visits: in the rectangular model he can
answer each visit separately, where a hidden kernel commits him. Robust MDPs with general
non-rectangular sets are NP-hard to solve (Wiesemann, Kuhn and Rustem 2013); this module
evaluates a given policy by enumerating trajectories, for small examples.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np

from infrabayes._numbers import Number, read_only
from infrabayes.infradistribution import Infradistribution
from infrabayes.sequential.backward import backward_evaluation
from infrabayes.sequential.membership import contains
from infrabayes.sequential.model import Model, horizon_weight
from infrabayes.sequential.results import HiddenKernelValue

__all__ = ["MAX_TRAJECTORIES", "hidden_kernel_value"]

#: :func:`hidden_kernel_value` refuses to enumerate more trajectories than this.
MAX_TRAJECTORIES = 100_000


def _check_kernels(model: Model, kernels: np.ndarray) -> None:
    for k, kernel in enumerate(kernels):
        for s, a in np.argwhere(model.available):
            row = model.row(int(s), int(a))
            if not contains(model, row, kernel[s, a]):
                state, action = model.pair(row)
                raise ValueError(
                    f"kernel {k}: its distribution for (state {state!r}, action {action!r}) is "
                    "not in that pair's credal set; the comparison with the rectangular model "
                    "needs every kernel inside the model"
                )


def _trajectories(
    kernels: np.ndarray, rules: np.ndarray, start: int, horizon: int
) -> list[tuple[int, ...]]:
    paths: list[tuple[int, ...]] = [(start,)]
    for t in range(horizon - 1):
        grown = []
        for path in paths:
            s = path[-1]
            reachable = np.flatnonzero((kernels[:, s, rules[t][s], :] != 0).any(axis=0))
            grown += [(*path, int(nxt)) for nxt in reachable]
        if len(grown) > MAX_TRAJECTORIES:
            raise ValueError(
                f"more than {MAX_TRAJECTORIES} trajectories by stage {t + 1}; the hidden-kernel "
                "value enumerates them, for small examples only"
            )
        paths = grown
    return paths


def hidden_kernel_value(
    model: Model,
    kernels: np.ndarray,
    policy: np.ndarray,
    start: int,
    horizon: int | None = None,
) -> HiddenKernelValue:
    """Return a policy's value when Murphy picks one of `kernels` once, and the rectangular one.

    Parameters
    ----------
    model : Model
        Gives the states, actions, rewards, discount and the per-pair credal sets that every
        kernel must respect.
    kernels : ndarray, shape (K, S, A, S)
        The candidate kernels (rows of unavailable pairs are ignored).
    policy : ndarray of int, shape (S,) or (H, S)
        A stationary or Markov deterministic policy.
    start : int
        The initial state.
    horizon : int, optional
        The number of decisions; required when the model is discounted (infinite horizon).
    """
    h = model.horizon if horizon is None else horizon
    if h is None:
        raise ValueError("the hidden-kernel value needs a finite horizon: pass horizon=...")
    if isinstance(h, bool) or not isinstance(h, int) or h < 1:
        raise ValueError(f"horizon must be a positive int; got {h!r}")
    kernels = np.asarray(kernels)
    if kernels.ndim != 4 or kernels.shape[1:] != (model.n_states, model.n_actions, model.n_states):
        raise ValueError(
            f"kernels must have shape (K, {model.n_states}, {model.n_actions}, {model.n_states}); "
            f"got {kernels.shape}"
        )
    _check_kernels(model, kernels)
    exact = model.exact and kernels.dtype == object
    rules = np.broadcast_to(np.asarray(policy, dtype=np.int64), (h, model.n_states))
    paths = _trajectories(kernels, rules, start, h)
    gamma = model.discount if exact else float(model.discount)
    rewards = model.rewards if exact else model.rewards.astype(np.float64)
    zero: Number = Fraction(0) if exact else 0.0
    totals = np.array(
        [
            sum((gamma**t * rewards[s, rules[t][s]] for t, s in enumerate(path)), zero)
            for path in paths
        ],
        dtype=object if exact else np.float64,
    )
    masses = np.empty((len(kernels), len(paths)), dtype=object if exact else np.float64)
    for k, kernel in enumerate(kernels):
        for j, path in enumerate(paths):
            prob: Number = Fraction(1) if exact else 1.0
            for t in range(h - 1):
                s = path[t]
                prob = prob * kernel[s, rules[t][s], path[t + 1]]
            masses[k, j] = prob if exact else float(prob)
    lo, hi = model.reward_range
    weight = horizon_weight(model.discount, h)
    if not exact:
        lo, hi, weight = float(lo), float(hi), float(weight)
    scale = (hi - lo) * weight
    utility: np.ndarray = (totals - lo * weight) * (1 / scale)
    if not exact:  # rounding must not leave [0, 1], where the core refuses utilities
        utility = np.clip(utility, 0.0, 1.0)
    names = tuple(tuple(model.states[s] for s in path) for path in paths)
    hypothesis = Infradistribution.from_arrays(masses, outcomes=names)
    value = lo * weight + scale * hypothesis.expect(utility)
    kernel_values = masses @ totals
    best = min(kernel_values)
    murphy = tuple(k for k, v in enumerate(kernel_values) if v == best)
    rectangular = backward_evaluation(dataclasses.replace(model, horizon=h), rules)[0][0][start]
    policy_names = tuple(tuple(model.actions[a] for a in rule) for rule in rules)
    kernel_copy = np.array(kernels, copy=True)
    return HiddenKernelValue(
        states=model.states,
        actions=model.actions,
        policy=policy_names,
        start=model.states[start],
        horizon=h,
        discount=model.discount,
        reward_range=model.reward_range,
        kernels=read_only(kernel_copy),
        trajectories=names,
        hypothesis=hypothesis,
        kernel_values=read_only(np.array(kernel_values, copy=True)),
        value=value if exact else float(value),
        murphy=murphy,
        rectangular_value=rectangular if model.exact else float(rectangular),
    )
