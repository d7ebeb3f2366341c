"""Reading what a user writes (names, mappings, arrays) into a checked :class:`Model`.

Also reads policies and kernels given by names. Every error names the state and the action (and
the next state) it is about; the caller's objects are never modified.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from infrabayes._numbers import Number, scalar, vector
from infrabayes.infradistribution import Infradistribution
from infrabayes.nirvana import NIRVANA
from infrabayes.sequential.model import SUM_TOLERANCE, Model, build

__all__ = ["read_arrays", "read_kernel", "read_mdp", "read_policy", "state_index"]


def _names(items: Any, what: str) -> tuple[Hashable, ...]:
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        raise TypeError(f"{what} must be a sequence of names, not {items!r}")
    names = tuple(items)
    if not names:
        raise ValueError(f"{what} is empty")
    seen: dict[Hashable, int] = {}
    for i, x in enumerate(names):
        try:
            hash(x)
        except TypeError:
            raise TypeError(f"{what}: {x!r} (position {i}) is not hashable") from None
        if x in seen:
            raise ValueError(f"{what}: {x!r} appears twice (positions {seen[x]}, {i})")
        seen[x] = i
    return names


def _actions(actions: Any, states: tuple[Hashable, ...]) -> tuple[tuple[Hashable, ...], np.ndarray]:
    """Return the action names and the (S, A) availability table."""
    if isinstance(actions, Mapping):
        unknown = [s for s in actions if s not in states]
        if unknown:
            raise ValueError(
                f"actions names unknown state(s) {', '.join(map(repr, unknown))}; the states are "
                f"{states!r}"
            )
        per_state = {}
        for s in states:
            if s not in actions:
                raise ValueError(f"actions gives no actions for state {s!r}")
            per_state[s] = _names(actions[s], f"the actions of state {s!r}")
        names: list[Hashable] = []
        for s in states:
            names += [a for a in per_state[s] if a not in names]
        table = np.array([[a in per_state[s] for a in names] for s in states], dtype=bool)
        return tuple(names), table
    names_t = _names(actions, "actions")
    return names_t, np.ones((len(states), len(names_t)), dtype=bool)


def _pair_index(
    key: Any, states: tuple[Hashable, ...], actions: tuple[Hashable, ...], what: str
) -> tuple[int, int]:
    if not (isinstance(key, tuple) and len(key) == 2):
        raise TypeError(f"{what}: key {key!r} must be a pair (state, action)")
    s, a = key
    if s not in states:
        raise ValueError(f"{what}: unknown state {s!r} in {key!r}; the states are {states!r}")
    if a not in actions:
        raise ValueError(f"{what}: unknown action {a!r} in {key!r}; the actions are {actions!r}")
    return states.index(s), actions.index(a)


def _where(states: tuple[Hashable, ...], actions: tuple[Hashable, ...], s: int, a: int) -> str:
    return f"(state {states[s]!r}, action {actions[a]!r})"


def _next_index(nxt: Any, states: tuple[Hashable, ...], where: str) -> int:
    try:
        return states.index(nxt)
    except ValueError:
        raise ValueError(
            f"{where}: unknown next state {nxt!r}; the states are {states!r}"
        ) from None


def _bounds(spec: Mapping[Any, Any], states: tuple[Hashable, ...], where: str) -> list[Any]:
    """Return [lower..., upper...] from a mapping next state -> p or (lower, upper)."""
    n = len(states)
    lo: list[Number] = [Fraction(0)] * n
    up: list[Number] = [Fraction(0)] * n
    for nxt, value in spec.items():
        j = _next_index(nxt, states, where)
        label = f"{where}, next state {nxt!r}"
        if isinstance(value, tuple | list):
            if len(value) != 2:
                raise ValueError(f"{label}: give a probability or a pair (lower, upper)")
            lo[j], up[j] = scalar(value[0], f"{label}, lower"), scalar(value[1], f"{label}, upper")
        else:
            lo[j] = up[j] = scalar(value, label)
    return lo + up


def _vertex(spec: Any, states: tuple[Hashable, ...], where: str, v: int) -> list[Number]:
    if not isinstance(spec, Mapping):
        raise TypeError(f"{where}: vertex {v} must be a mapping next state -> probability")
    out: list[Number] = [Fraction(0)] * len(states)
    for nxt, p in spec.items():
        out[_next_index(nxt, states, where)] = scalar(p, f"{where}, vertex {v}, next state {nxt!r}")
    return out


def _credal_vertices(h: Infradistribution, states: tuple[Hashable, ...], where: str) -> list[Any]:
    """Read a credal set given as an Infradistribution (its public outcomes, masses and b)."""
    if NIRVANA in h.outcomes:
        raise ValueError(f"{where}: a credal set of next states cannot contain NIRVANA")
    cols = [_next_index(x, states, where) for x in h.outcomes]
    rows = []
    for i in range(len(h.b)):
        if h.b[i] != 0:
            raise ValueError(
                f"{where}: generator {i} of the infradistribution has b = {h.b[i]}; transitions "
                "need a credal set (every generator a distribution with b = 0)"
            )
        row: list[Number] = [Fraction(0)] * len(states)
        for j, mass in zip(cols, h.masses[i], strict=True):
            row[j] = mass if isinstance(mass, Fraction) else float(mass)
        rows.append(row)
    return rows


def _to_array(values: Any, exact: bool) -> np.ndarray:
    arr = np.empty(np.shape(values), dtype=object) if exact else None
    if arr is None:
        return np.array(values, dtype=np.float64)
    if arr.ndim:
        arr[...] = values
    return arr


def read_mdp(
    states: Any,
    actions: Any,
    transitions: Any,
    rewards: Any,
    discount: Any,
    horizon: int | None,
    reward_range: Any,
) -> Model:
    """Read the mapping form of an infra-MDP (see :class:`~infrabayes.sequential.InfraMDP`)."""
    states_t = _names(states, "states")
    actions_t, available = _actions(actions, states_t)
    if not isinstance(transitions, Mapping):
        raise TypeError("transitions must be a mapping (state, action) -> credal set")
    if not isinstance(rewards, Mapping):
        raise TypeError("rewards must be a mapping (state, action) -> reward")
    interval: dict[int, list[Any]] = {}
    polytope: dict[int, list[list[Any]]] = {}
    n_a = len(actions_t)
    for key, spec in transitions.items():
        s, a = _pair_index(key, states_t, actions_t, "transitions")
        where = f"transitions of {_where(states_t, actions_t, s, a)}"
        if not available[s, a]:
            raise ValueError(
                f"{where}: action {actions_t[a]!r} is not available in state {states_t[s]!r}"
            )
        row = s * n_a + a
        if isinstance(spec, Infradistribution):
            polytope[row] = _credal_vertices(spec, states_t, where)
        elif isinstance(spec, Mapping):
            interval[row] = _bounds(spec, states_t, where)
        elif isinstance(spec, list | tuple) and spec:
            polytope[row] = [_vertex(v, states_t, where, i) for i, v in enumerate(spec)]
        else:
            raise TypeError(
                f"{where}: give a mapping next state -> probability or (lower, upper), or a "
                f"nonempty list of vertex distributions; got {spec!r}"
            )
    reward_table: list[list[Number]] = [[Fraction(0)] * n_a for _ in states_t]
    for key, value in rewards.items():
        s, a = _pair_index(key, states_t, actions_t, "rewards")
        if not available[s, a]:
            raise ValueError(
                f"rewards: action {actions_t[a]!r} is not available in state {states_t[s]!r}"
            )
        reward_table[s][a] = scalar(value, f"reward of {_where(states_t, actions_t, s, a)}")
    for s, a in np.argwhere(available):
        if (states_t[s], actions_t[a]) not in rewards:
            raise ValueError(f"rewards gives no reward for {_where(states_t, actions_t, s, a)}")
    gamma = scalar(discount, "discount")
    lo_hi = _range(reward_range)
    k = max((len(v) for v in polytope.values()), default=1)
    padded = [vs + [vs[0]] * (k - len(vs)) for _, vs in sorted(polytope.items())]
    numbers = [x for row in reward_table for x in row]
    numbers += [x for _, b in interval.items() for x in b]
    numbers += [x for vs in padded for v in vs for x in v]
    exact = all(isinstance(x, Fraction) for x in [*numbers, gamma, *lo_hi])
    n = len(states_t)
    bounds = [b for _, b in sorted(interval.items())]
    return build(
        states=states_t,
        actions=actions_t,
        available=available,
        rewards=_to_array(reward_table, exact),
        discount=gamma,
        horizon=horizon,
        reward_range=lo_hi,
        interval_rows=np.array(sorted(interval), dtype=np.int64),
        lower=_to_array([b[:n] for b in bounds], exact).reshape(len(bounds), n),
        upper=_to_array([b[n:] for b in bounds], exact).reshape(len(bounds), n),
        vertex_rows=np.array(sorted(polytope), dtype=np.int64),
        vertices=_to_array(padded, exact).reshape(len(padded), k, n),
        vertex_counts=np.array([len(v) for _, v in sorted(polytope.items())], dtype=np.int64),
    )


def _range(reward_range: Any) -> tuple[Number, Number]:
    if not (isinstance(reward_range, tuple | list) and len(reward_range) == 2):
        raise TypeError(f"reward_range must be a pair (lo, hi); got {reward_range!r}")
    return scalar(reward_range[0], "reward_range lo"), scalar(reward_range[1], "reward_range hi")


def _number_array(values: Any, what: str, ndim: int) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != ndim:
        raise ValueError(f"{what} must have {ndim} dimensions; got shape {arr.shape}")
    flat = vector(arr.reshape(-1), what)
    return flat.reshape(arr.shape)


def read_arrays(
    lower: Any,
    upper: Any,
    rewards: Any,
    discount: Any,
    states: Any,
    actions: Any,
    horizon: int | None,
    reward_range: Any,
) -> Model:
    """Read interval bounds of shape (S, A, S) and rewards of shape (S, A); copy, never modify."""
    lo = _number_array(lower, "lower", 3)
    up = _number_array(upper, "upper", 3)
    rw = _number_array(rewards, "rewards", 2)
    n_s, n_a, n_next = lo.shape
    if n_next != n_s or up.shape != lo.shape or rw.shape != (n_s, n_a):
        raise ValueError(
            f"lower and upper must have shape (S, A, S) and rewards (S, A); got {lo.shape}, "
            f"{up.shape}, {rw.shape}"
        )
    states_t = tuple(range(n_s)) if states is None else _names(states, "states")
    actions_t = tuple(range(n_a)) if actions is None else _names(actions, "actions")
    if len(states_t) != n_s or len(actions_t) != n_a:
        raise ValueError(
            f"{len(states_t)} states and {len(actions_t)} actions named for arrays of shape "
            f"{lo.shape}"
        )
    exact = all(a.dtype == object for a in (lo, up, rw))
    if not exact:
        lo, up, rw = (a.astype(np.float64) for a in (lo, up, rw))
    return build(
        states=states_t,
        actions=actions_t,
        available=np.ones((n_s, n_a), dtype=bool),
        rewards=rw,
        discount=scalar(discount, "discount"),
        horizon=horizon,
        reward_range=_range(reward_range),
        interval_rows=np.arange(n_s * n_a),
        lower=lo.reshape(n_s * n_a, n_s),
        upper=up.reshape(n_s * n_a, n_s),
        vertex_rows=np.zeros(0, dtype=np.int64),
        vertices=np.zeros((0, 1, n_s), dtype=object if exact else np.float64),
        vertex_counts=np.zeros(0, dtype=np.int64),
    )


def state_index(model: Model, state: Any, what: str = "state") -> int:
    """Return the index of a state name, with an error naming the states."""
    try:
        return model.states.index(state)
    except ValueError:
        raise ValueError(
            f"{what}: unknown state {state!r}; the states are {model.states!r}"
        ) from None


def _stationary(model: Model, policy: Any, what: str) -> np.ndarray:
    states, actions = model.states, model.actions
    if isinstance(policy, Mapping):
        unknown = [s for s in policy if s not in states]
        if unknown:
            raise ValueError(f"{what} names unknown state(s) {', '.join(map(repr, unknown))}")
        missing = [s for s in states if s not in policy]
        if missing:
            raise ValueError(f"{what} gives no action for state(s) {', '.join(map(repr, missing))}")
        chosen = [policy[s] for s in states]
    elif isinstance(policy, Sequence) and not isinstance(policy, str | bytes):
        if len(policy) != len(states):
            raise ValueError(
                f"{what} has {len(policy)} actions for {len(states)} states {states!r}"
            )
        chosen = list(policy)
    else:
        raise TypeError(f"{what} must be a mapping state -> action or a sequence of actions")
    out = np.empty(len(states), dtype=np.int64)
    for s, a in enumerate(chosen):
        if a not in actions:
            raise ValueError(
                f"{what}: unknown action {a!r} in state {states[s]!r}; the actions are {actions!r}"
            )
        out[s] = actions.index(a)
        if not model.available[s, out[s]]:
            raise ValueError(f"{what}: action {a!r} is not available in state {states[s]!r}")
    return out


def read_policy(model: Model, policy: Any, what: str = "policy") -> np.ndarray:
    """Return a policy as action indices: shape (S,) (stationary) or (H, S) (one per stage).

    A stationary policy is a mapping state -> action or a sequence of actions in state order.
    With a finite horizon H, a sequence of H such mappings gives one decision rule per stage.
    """
    is_stages = (
        isinstance(policy, Sequence)
        and not isinstance(policy, str | bytes)
        and len(policy) > 0
        and all(isinstance(p, Mapping) for p in policy)
    )
    if not is_stages:
        return _stationary(model, policy, what)
    if model.horizon is None:
        raise ValueError(
            f"{what} is a list of decision rules (one per stage), but the model has no horizon; "
            "give a stationary policy (a mapping state -> action)"
        )
    if len(policy) != model.horizon:
        raise ValueError(
            f"{what} has {len(policy)} decision rules for a horizon of {model.horizon}"
        )
    return np.stack([_stationary(model, p, f"{what}, stage {t}") for t, p in enumerate(policy)])


def read_kernel(model: Model, kernel: Any, what: str = "kernel") -> np.ndarray:
    """Return a transition kernel as an array of shape (S, A, S): one distribution per pair.

    `kernel` is a mapping (state, action) -> mapping next state -> probability (every available
    pair), or an array of shape (S, A, S) (rows of unavailable pairs are ignored). Each row must
    be a distribution (exactly for exact numbers, within
    :data:`~infrabayes.sequential.model.SUM_TOLERANCE` for floats).
    """
    states, actions = model.states, model.actions
    n_s, n_a = len(states), len(actions)
    if isinstance(kernel, Mapping):
        rows: list[list[Number]] = [[Fraction(0)] * n_s for _ in range(n_s * n_a)]
        for key, dist in kernel.items():
            s, a = _pair_index(key, states, actions, what)
            where = f"{what} of {_where(states, actions, s, a)}"
            if not model.available[s, a]:
                raise ValueError(f"{where}: the action is not available in this state")
            rows[s * n_a + a] = _vertex(dist, states, where, 0)
        for s, a in np.argwhere(model.available):
            if (states[s], actions[a]) not in kernel:
                raise ValueError(
                    f"{what} gives no distribution for {_where(states, actions, s, a)}"
                )
        exact = all(isinstance(x, Fraction) for row in rows for x in row)
        arr = _to_array(rows, exact).reshape(n_s, n_a, n_s)
    else:
        arr = _number_array(kernel, what, 3)
        if arr.shape != (n_s, n_a, n_s):
            raise ValueError(f"{what} must have shape {(n_s, n_a, n_s)}; got {arr.shape}")
    exact = arr.dtype == object
    tol = 0 if exact else SUM_TOLERANCE
    for s, a in np.argwhere(model.available):
        where = f"{what} of {_where(states, actions, s, a)}"
        row = arr[s, a]
        neg = np.flatnonzero(row < 0)
        if neg.size:
            raise ValueError(
                f"{where}: next state {states[neg[0]]!r} has probability {row[neg[0]]} < 0"
            )
        total = row.sum()
        if abs(total - 1) > tol or (not exact and not math.isfinite(total)):
            raise ValueError(
                f"{where}: the probabilities sum to {total}, not 1"
                + (f" (tolerance {tol:g})" if tol else "")
            )
    return arr
