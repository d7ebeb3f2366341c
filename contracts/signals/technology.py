r"""Known actions on a finite signal set, contracts on the signals, and the agent's choice.

:class:`SignalTechnology` holds the signal vectors :math:`z \in Z \subset \mathbb{R}^k`, the
principal's payoff :math:`p \cdot z` and the known actions; :class:`SignalContract` and
:class:`AffineSignalContract` are limited-liability contracts on the signals;
:func:`signal_response` is the agent's choice among the known actions, ties to the principal
as in :mod:`contracts.agent` (within ``TIE_RTOL`` of the payments' and costs' scale, never the
signals').
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._numbers import (
    MatrixLike,
    RealLike,
    VectorLike,
    as_float,
    as_scalar,
    as_vector,
    fmt,
    fmt_seq,
    frozen,
    table,
)
from ..agent import Utilities, choose, scaled_utilities
from ..costs import CostBound, evaluate, term_scale
from ..model import Action
from ..tolerances import SOLVER_RTOL

__all__ = [
    "AffineSignalContract",
    "SignalContract",
    "SignalTechnology",
    "check_known_costs",
    "payments_of",
    "signal_choice",
    "signal_response",
]


@dataclass(frozen=True, eq=False, init=False)
class SignalTechnology:
    r"""Known actions on a finite signal set :math:`Z \subset \mathbb{R}^k`.

    Parameters
    ----------
    signals : array_like, shape (N, k) or (N,)
        The signal vectors (rows), finite.
    actions : sequence of Action
        Each action's distribution over the N signals and its cost.
    value : int or array_like, optional
        The principal's payoff :math:`p \cdot z`: a coordinate index (default 0, e.g. output)
        or a vector :math:`p` of length k.

    Examples
    --------
    >>> z = [[0, 0], [1, 0], [0, 1], [1, 1]]   # (output, audit signal)
    >>> tech = SignalTechnology(z, [Action([0, 0.5, 0, 0.5], 0.25)], value=0)
    >>> tech.means.tolist()
    [[1.0, 0.5]]
    """

    signals: np.ndarray
    actions: tuple[Action, ...]
    value: np.ndarray
    dists: np.ndarray = field(init=False, repr=False)
    costs: np.ndarray = field(init=False, repr=False)

    def __init__(
        self, signals: MatrixLike, actions: Sequence[Action], value: int | VectorLike = 0
    ) -> None:
        raw = np.asarray(signals)
        z = as_vector(raw.reshape(-1, 1) if raw.ndim == 1 else raw, "signals", ndim=2)
        z = as_float(z, "signals")
        if z.shape[0] == 0:
            raise ValueError("signals must contain at least one signal")
        n, k = z.shape
        if isinstance(value, int | np.integer) and not isinstance(value, bool):
            if not 0 <= int(value) < k:
                raise ValueError(f"value = {value} is not a coordinate of {k}-dimensional signals")
            p = np.zeros(k)
            p[int(value)] = 1.0
        else:
            p = as_float(as_vector(value, "value"), "value")
            if p.size != k:
                raise ValueError(f"value has {p.size} entries but signals have {k} coordinates")
        actions = tuple(actions)
        if not actions:
            raise ValueError("a technology needs at least one action (the known set is empty)")
        for i, a in enumerate(actions):
            if not isinstance(a, Action):
                raise TypeError(f"actions[{i}] must be an Action, got {type(a).__name__}")
            if a.dist.size != n:
                raise ValueError(
                    f"actions[{i}].dist has {a.dist.size} probabilities but there are {n} signals"
                )
        object.__setattr__(self, "signals", frozen(z))
        object.__setattr__(self, "value", frozen(p))
        object.__setattr__(self, "actions", actions)
        object.__setattr__(self, "dists", frozen(np.array([as_float(a.dist) for a in actions])))
        costs = as_float(np.array([a.cost for a in actions], dtype=object), "the costs")
        object.__setattr__(self, "costs", frozen(costs))

    @property
    def means(self) -> np.ndarray:
        """Mean signal vector of each action, shape (K, k)."""
        return self.dists @ self.signals

    @property
    def payoffs(self) -> np.ndarray:
        r"""The principal's gross payoff :math:`p \cdot z` at each signal."""
        return self.signals @ self.value

    def with_action(self, action: Action) -> SignalTechnology:
        """Return a new technology with ``action`` added."""
        return SignalTechnology(self.signals, (*self.actions, action), value=self.value)

    def __repr__(self) -> str:
        n, k = self.signals.shape
        rows = [["action", "cost", "mean signal"]]
        rows += [
            [f"a{i}", fmt(c), fmt_seq(m)]
            for i, (c, m) in enumerate(zip(self.costs, self.means, strict=True))
        ]
        head = f"SignalTechnology: {n} signals in R^{k}, payoff p = {fmt_seq(self.value)}"
        return "\n".join([head, *table(rows)])


@dataclass(frozen=True, eq=False, init=False)
class SignalContract:
    """A limited-liability contract given by its payment at each signal of a technology."""

    payments: np.ndarray

    def __init__(self, payments: VectorLike) -> None:
        w = as_float(as_vector(payments, "payments"), "payments")
        if (w < 0).any():
            i = int(np.flatnonzero(w < 0)[0])
            raise ValueError(
                f"payments[{i}] = {w[i]:g} is negative: limited liability requires w >= 0"
            )
        object.__setattr__(self, "payments", frozen(w))

    def on(self, tech: SignalTechnology) -> np.ndarray:
        """Return the payments (checked against the number of signals)."""
        if self.payments.size != tech.signals.shape[0]:
            raise ValueError(
                f"the contract has {self.payments.size} payments but the technology has "
                f"{tech.signals.shape[0]} signals"
            )
        return self.payments

    def __repr__(self) -> str:
        return f"SignalContract(payments={fmt_seq(self.payments)})"


@dataclass(frozen=True, eq=False, init=False)
class AffineSignalContract:
    r"""The affine contract :math:`w(z) = \alpha \cdot z + \beta` (limited liability checked)."""

    alpha: np.ndarray
    beta: float

    def __init__(self, alpha: VectorLike, beta: RealLike) -> None:
        object.__setattr__(
            self, "alpha", frozen(as_float(as_vector(alpha, "alpha"), "alpha").copy())
        )
        object.__setattr__(self, "beta", float(as_scalar(beta, "beta")))

    def on(self, tech: SignalTechnology) -> np.ndarray:
        """Return the payments at the technology's signals."""
        if self.alpha.size != tech.signals.shape[1]:
            raise ValueError(
                f"alpha has {self.alpha.size} entries but signals have {tech.signals.shape[1]}"
            )
        w = tech.signals @ self.alpha + self.beta
        scale = np.abs(tech.signals) @ np.abs(self.alpha) + abs(self.beta)  # w's terms, per signal
        if (w < -SOLVER_RTOL * scale).any():
            i = int(np.argmin(w))
            raise ValueError(
                f"{self!r} pays {w[i]:g} at signal {fmt_seq(tech.signals[i])}: "
                "limited liability requires w >= 0"
            )
        return np.maximum(w, 0.0)

    def __call__(self, z: Any) -> Any:
        r"""Return :math:`\alpha \cdot z + \beta`."""
        return np.asarray(z, dtype=float) @ self.alpha + self.beta

    def __repr__(self) -> str:
        return f"AffineSignalContract(alpha={fmt_seq(self.alpha)}, beta={fmt(self.beta)})"


def payments_of(contract: Any, tech: SignalTechnology) -> np.ndarray:
    """Return the payments of a contract at the technology's signals (checked, ``>= 0``)."""
    if isinstance(contract, SignalContract | AffineSignalContract):
        return contract.on(tech)
    return SignalContract(contract).on(tech)


def check_known_costs(tech: SignalTechnology, cost_bound: CostBound) -> None:
    """Every known action must satisfy the bound it is declared under.

    Within ``SOLVER_RTOL`` of the scale of the compared costs: the magnitude of the bound's terms
    at the action's mean (:func:`contracts.costs.term_scale`) and of the cost itself.
    """
    for i, (m, c) in enumerate(zip(tech.means, tech.costs, strict=True)):
        need = evaluate(cost_bound, m)
        if c < need - SOLVER_RTOL * max(abs(c), term_scale(cost_bound, m)):
            raise ValueError(
                f"actions[{i}] costs {c:g} but the cost bound requires at least {need:g} at its "
                f"mean signal {fmt_seq(m)}: the known actions must satisfy c >= b(E_F z)"
            )


def signal_choice(w: np.ndarray, tech: SignalTechnology) -> tuple[int, Utilities, float, float]:
    """Return (action, its utilities, agent value, principal value) for payments ``w``.

    The agent's choice among the known actions, ties to the principal, judged as in
    :func:`contracts.agent.choose` (relative to the payments' and costs' scale).
    """
    utilities = scaled_utilities(w, tech.dists, tech.costs)
    principal = tech.dists @ (tech.payoffs - w)
    i, _ = choose(utilities, principal)
    return i, utilities, float(tech.dists[i] @ w - tech.costs[i]), float(principal[i])


def signal_response(w: np.ndarray, tech: SignalTechnology) -> tuple[int, float, float]:
    """Return (action, agent value, principal value): the agent's choice, ties to the principal."""
    i, _, agent, principal = signal_choice(w, tech)
    return i, agent, principal
