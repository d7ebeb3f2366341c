r"""Result objects: a robust solution, a policy's robust value, nominal vs robust, a hidden kernel.

All are frozen dataclasses with read-only arrays and a readable table as their repr, and carry
the evidence behind their numbers: Murphy's worst-case distributions, the iterations and the
certified error bound, the per-kernel values.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from infrabayes._html import Block, Table, html, text
from infrabayes._numbers import Number, format_number
from infrabayes.infradistribution import Infradistribution
from infrabayes.sequential._text import MAX_ROWS, distribution, name, number

__all__ = ["Comparison", "HiddenKernelValue", "PolicyValue", "Solution"]


def _index(names: tuple[Hashable, ...], x: Hashable, what: str) -> int:
    try:
        return names.index(x)
    except ValueError:
        raise ValueError(f"unknown {what} {x!r}; the {what}s are {names!r}") from None


def _scalar(x: Any) -> Number:
    return x if not isinstance(x, np.floating) else float(x)


def _setting(discount: Number, horizon: int | None, reward_range: tuple[Number, Number]) -> str:
    lo, hi = reward_range
    when = f"horizon {horizon}, " if horizon is not None else ""
    return f"{when}discount {format_number(discount)}, rewards in [{number(lo)}, {number(hi)}]"


def _accuracy(exact: bool, error_bound: Number, converged: bool, horizon: int | None) -> str:
    if exact:
        return "exact"
    if horizon is not None:
        return "float64 (no truncation error)"
    text = f"error bound {number(error_bound)}"
    return text if converged else text + " (NOT converged: iteration limit reached)"


@dataclass(frozen=True, eq=False)
class Solution:
    r"""A robust solution: values, an optimal policy with its ties, and Murphy's kernel.

    Attributes
    ----------
    states, actions : tuple
        The names; arrays follow their order.
    method : str
        ``"value-iteration"``, ``"policy-iteration"`` or ``"backward-induction"``.
    discount : Fraction or float
    horizon : int or None
        None for the discounted infinite horizon.
    reward_range : tuple
        ``(lo, hi)``: the rewards' stated range; values are in the same units and lie in
        :attr:`value_range`.
    values : ndarray, shape (S,)
        The robust value :math:`V^*(s) = \max_\pi \min_{\text{Murphy}} E[\sum_t \gamma^t r_t]`
        (with a horizon: from the first stage).
    q_values : ndarray, shape (S, A)
        :math:`Q(s, a) = r(s, a) + \gamma \min_{p \in C(s, a)} p \cdot V` at ``values``
        (the next stage's values with a horizon); nan/None where not available.
    policy : tuple
        One action per state: an optimal stationary deterministic policy (the first action in
        ``actions`` order among the best; with a horizon, the first stage's decision rule).
    ties : tuple of tuples
        Per state, every action tied with the best (see :mod:`infrabayes.sequential.bellman`).
    kernel : ndarray, shape (S, A, S)
        Murphy's worst-case next-state distribution for every state-action pair at
        ``values`` (nan/None rows where not available).
    iterations : int
        Sweeps of value iteration, improvement steps of policy iteration, or the horizon.
    inner_iterations : int
        Policy iteration: Murphy's policy-improvement steps summed over the evaluations (0
        otherwise).
    error_bound : Fraction or float
        A bound on :math:`\max_s |V(s) - V^*(s)|` (0 for exact results). Value iteration: the
        contraction bound :math:`\gamma / (1 - \gamma) \|V_{k+1} - V_k\|_\infty`; policy
        iteration: the residual bound :math:`\|T V - V\|_\infty / (1 - \gamma)`; both plus
        an allowance for float64 rounding (see :mod:`infrabayes.sequential.value_iteration`).
    tolerance : float or None
        The requested accuracy, relative to the width of :attr:`value_range` (value iteration).
    converged : bool
        False if the iteration limit stopped value iteration before the tolerance was certified.
    exact : bool
        Whether the numbers are ``Fraction`` s.
    stage_values : ndarray or None
        With a horizon :math:`H`: shape (H + 1, S), the value with :math:`H - t` decisions left
        at stage :math:`t` (the last row is 0).
    stage_policy, stage_ties : tuple or None
        With a horizon: per stage, the decision rule and the ties (as ``policy``,
        ``ties``).
    stage_kernel : ndarray or None
        With a horizon: shape (H, S, A, S), Murphy's distributions at each stage.
    """

    states: tuple[Hashable, ...]
    actions: tuple[Hashable, ...]
    method: str
    discount: Number
    horizon: int | None
    reward_range: tuple[Number, Number]
    values: np.ndarray
    q_values: np.ndarray
    policy: tuple[Hashable, ...]
    ties: tuple[tuple[Hashable, ...], ...]
    kernel: np.ndarray
    iterations: int
    error_bound: Number
    tolerance: float | None
    converged: bool
    exact: bool
    inner_iterations: int = 0
    stage_values: np.ndarray | None = None
    stage_policy: tuple[tuple[Hashable, ...], ...] | None = None
    stage_ties: tuple[tuple[tuple[Hashable, ...], ...], ...] | None = None
    stage_kernel: np.ndarray | None = None

    @property
    def value_range(self) -> tuple[Number, Number]:
        r"""``(lo * G, hi * G)`` with :math:`G = \sum_t \gamma^t`: where values can lie."""
        lo, hi = self.reward_range
        if self.horizon is None:
            g: Number = 1 / (1 - self.discount)
        else:
            g = sum((self.discount**t for t in range(self.horizon)), 0 * self.discount)
        return lo * g, hi * g

    def value(self, state: Hashable) -> Number:
        """Return the robust value of a state."""
        return _scalar(self.values[_index(self.states, state, "state")])

    def action(self, state: Hashable, stage: int = 0) -> Hashable:
        """Return the optimal action in a state (at a stage, with a horizon)."""
        s = _index(self.states, state, "state")
        if stage:
            return self._stage(stage, self.stage_policy)[s]
        return self.policy[s]

    def tied(self, state: Hashable, stage: int = 0) -> tuple[Hashable, ...]:
        """Return every action tied with the best in a state."""
        s = _index(self.states, state, "state")
        if stage:
            return self._stage(stage, self.stage_ties)[s]
        return self.ties[s]

    def murphy(self, state: Hashable, action: Hashable, stage: int = 0) -> dict[Hashable, Number]:
        """Return Murphy's worst-case distribution for a state-action pair, as a dict."""
        s = _index(self.states, state, "state")
        a = _index(self.actions, action, "action")
        kernel = self.kernel
        if stage:
            kernel = self._stage(stage, self.stage_kernel)
        return {x: _scalar(p) for x, p in zip(self.states, kernel[s, a], strict=True) if p}

    def _stage(self, stage: int, items: Any) -> Any:
        if self.horizon is None or items is None:
            raise ValueError("stages exist only with a finite horizon")
        if not 0 <= stage < self.horizon:
            raise ValueError(f"stage {stage} is outside 0..{self.horizon - 1}")
        return items[stage]

    def _report(self) -> list[Block]:
        setting = _setting(self.discount, self.horizon, self.reward_range)
        head = (
            f"Robust solution by {self.method} ({setting}): "
            f"{self.iterations} iteration{'s' if self.iterations != 1 else ''}, "
            f"{_accuracy(self.exact, self.error_bound, self.converged, self.horizon)}"
        )
        rows = []
        for s, x in enumerate(self.states[:MAX_ROWS]):
            a = self.actions.index(self.policy[s])
            chosen = " / ".join(name(b) for b in self.ties[s])
            rows.append(
                [
                    name(x),
                    number(self.values[s]),
                    chosen,
                    distribution(self.states, self.kernel[s, a]),
                ]
            )
        header = ["state", "value", "optimal action(s)", "Murphy's next state"]
        lines: list[Block] = [head, Table(header, rows)]
        if len(self.states) > MAX_ROWS:
            lines.append(f"  ... ({len(self.states) - MAX_ROWS} more states)")
        return lines

    def __repr__(self) -> str:
        return text(self._report())

    def _repr_html_(self) -> str:
        """Return the HTML table Jupyter shows (the repr's tables, fractions typeset)."""
        return html(self._report())


@dataclass(frozen=True, eq=False)
class PolicyValue:
    r"""The robust value of a fixed deterministic policy, and Murphy's answer to it.

    Attributes
    ----------
    states, actions : tuple
    policy : tuple
        One action per state (stationary), or with a horizon one tuple per stage.
    method : str
    discount, horizon, reward_range
        As in :class:`Solution`.
    values : ndarray, shape (S,)
        :math:`V^\pi(s) = \min_{\text{Murphy}} E^\pi[\sum_t \gamma^t r_t]` (with a horizon: from
        the first stage).
    kernel : ndarray, shape (S, S)
        Row :math:`s`: Murphy's distribution for :math:`(s, \pi(s))` (first stage with a
        horizon).
    iterations, inner_iterations, error_bound, tolerance, converged, exact
        As in :class:`Solution`.
    stage_values : ndarray or None
        With a horizon :math:`H`: shape (H + 1, S).
    stage_kernel : ndarray or None
        With a horizon: shape (H, S, S).
    """

    states: tuple[Hashable, ...]
    actions: tuple[Hashable, ...]
    policy: tuple[Any, ...]
    method: str
    discount: Number
    horizon: int | None
    reward_range: tuple[Number, Number]
    values: np.ndarray
    kernel: np.ndarray
    iterations: int
    error_bound: Number
    tolerance: float | None
    converged: bool
    exact: bool
    inner_iterations: int = 0
    stage_values: np.ndarray | None = None
    stage_kernel: np.ndarray | None = None

    def value(self, state: Hashable) -> Number:
        """Return the policy's robust value from a state."""
        return _scalar(self.values[_index(self.states, state, "state")])

    def murphy(self, state: Hashable) -> dict[Hashable, Number]:
        """Return Murphy's distribution in a state (first stage with a horizon), as a dict."""
        s = _index(self.states, state, "state")
        return {x: _scalar(p) for x, p in zip(self.states, self.kernel[s], strict=True) if p}

    def _first_rule(self) -> tuple[Hashable, ...]:
        if self.policy and isinstance(self.policy[0], tuple):
            first: tuple[Hashable, ...] = self.policy[0]
            return first
        return self.policy

    def _report(self) -> list[Block]:
        head = (
            f"Robust value of a policy by {self.method} "
            f"({_setting(self.discount, self.horizon, self.reward_range)}): "
            f"{_accuracy(self.exact, self.error_bound, self.converged, self.horizon)}"
        )
        rule = self._first_rule()
        rows = [
            [
                name(x),
                name(rule[s]),
                number(self.values[s]),
                distribution(self.states, self.kernel[s]),
            ]
            for s, x in enumerate(self.states[:MAX_ROWS])
        ]
        header = ["state", "action", "value", "Murphy's next state"]
        lines: list[Block] = [head, Table(header, rows)]
        if len(self.states) > MAX_ROWS:
            lines.append(f"  ... ({len(self.states) - MAX_ROWS} more states)")
        return lines

    def __repr__(self) -> str:
        return text(self._report())

    def _repr_html_(self) -> str:
        """Return the HTML table Jupyter shows (the repr's tables, fractions typeset)."""
        return html(self._report())


@dataclass(frozen=True, eq=False)
class Comparison:
    r"""The policy optimal for a nominal kernel against the robust policy, under both views.

    Attributes
    ----------
    states, actions : tuple
    nominal_kernel : ndarray, shape (S, A, S)
        The kernel a non-robust planner believes (by default the midpoint of each credal set,
        see :func:`infrabayes.sequential.nominal.nominal_kernel`).
    nominal : Solution
        The plan for the nominal kernel alone (a point credal set per pair).
    robust : Solution
        The robust plan.
    nominal_guarantee : PolicyValue
        What the nominal plan's policy guarantees against Murphy.
    robust_under_nominal : PolicyValue
        What the robust policy earns if the nominal kernel is the truth.
    """

    states: tuple[Hashable, ...]
    actions: tuple[Hashable, ...]
    nominal_kernel: np.ndarray
    nominal: Solution
    robust: Solution
    nominal_guarantee: PolicyValue
    robust_under_nominal: PolicyValue

    @property
    def nominal_policy(self) -> tuple[Hashable, ...]:
        """The policy optimal for the nominal kernel (first stage with a horizon)."""
        return self.nominal.policy

    @property
    def robust_policy(self) -> tuple[Hashable, ...]:
        """The robust policy (first stage with a horizon)."""
        return self.robust.policy

    @property
    def price_of_robustness(self) -> np.ndarray:
        """Per state: nominal value given up by planning robustly (nominal view)."""
        out: np.ndarray = self.nominal.values - self.robust_under_nominal.values
        return out

    @property
    def guarantee_gained(self) -> np.ndarray:
        """Per state: worst-case value gained by planning robustly (Murphy's view)."""
        out: np.ndarray = self.robust.values - self.nominal_guarantee.values
        return out

    def _report(self) -> list[Block]:
        rows = []
        for s, x in enumerate(self.states[:MAX_ROWS]):
            rows.append(
                [
                    name(x),
                    name(self.nominal.policy[s]),
                    number(self.nominal.values[s]),
                    number(self.nominal_guarantee.values[s]),
                    name(self.robust.policy[s]),
                    number(self.robust_under_nominal.values[s]),
                    number(self.robust.values[s]),
                ]
            )
        header = [
            "state",
            "nominal policy",
            "nominal value",
            "guarantee",
            "robust policy",
            "nominal value",
            "guarantee",
        ]
        lines: list[Block] = [
            "Nominal vs robust planning: each policy's value under the nominal kernel, and its "
            "guarantee against Murphy",
            Table(header, rows),
        ]
        if len(self.states) > MAX_ROWS:
            lines.append(f"  ... ({len(self.states) - MAX_ROWS} more states)")
        return lines

    def __repr__(self) -> str:
        return text(self._report())

    def _repr_html_(self) -> str:
        """Return the HTML table Jupyter shows (the repr's tables, fractions typeset)."""
        return html(self._report())


@dataclass(frozen=True, eq=False)
class HiddenKernelValue:
    r"""A policy's value when Murphy picks one kernel, once, from a finite set (non-rectangular).

    Attributes
    ----------
    states, actions : tuple
    policy : tuple of tuples
        The decision rule of each stage.
    start : hashable
        The initial state.
    horizon : int
    discount : Fraction or float
    reward_range : tuple
    kernels : ndarray, shape (K, S, A, S)
        The candidate kernels; Murphy chooses one before the run and keeps it.
    trajectories : tuple of tuples
        The outcomes of ``hypothesis``: state sequences :math:`(s_0, \dots, s_{H-1})` with
        positive probability under some kernel.
    hypothesis : Infradistribution
        The credal set over trajectories, one generator per kernel, built with the core.
    kernel_values : ndarray, shape (K,)
        The policy's expected total reward under each kernel.
    value : Fraction or float
        Murphy's expectation of the total reward: ``hypothesis.expect`` of the rescaled total,
        mapped back to reward units (equals ``min(kernel_values)``).
    murphy : tuple of int
        The kernels attaining the minimum.
    rectangular_value : Fraction or float
        The same policy's value from ``start`` in the (s, a)-rectangular model, where Murphy
        re-chooses at every visit from the per-pair credal sets.
    """

    states: tuple[Hashable, ...]
    actions: tuple[Hashable, ...]
    policy: tuple[tuple[Hashable, ...], ...]
    start: Hashable
    horizon: int
    discount: Number
    reward_range: tuple[Number, Number]
    kernels: np.ndarray
    trajectories: tuple[tuple[Hashable, ...], ...]
    hypothesis: Infradistribution = field(repr=False)
    kernel_values: np.ndarray
    value: Number
    murphy: tuple[int, ...]
    rectangular_value: Number

    def _report(self) -> list[Block]:
        head = (
            f"One hidden kernel, chosen once (horizon {self.horizon}, discount "
            f"{format_number(self.discount)}, initial state {name(self.start)}): "
            f"{len(self.kernels)} kernels, {len(self.trajectories)} trajectories"
        )
        rows = [
            [f"kernel {k}", number(v), "Murphy's choice" if k in self.murphy else ""]
            for k, v in enumerate(self.kernel_values)
        ]
        return [
            head,
            Table(["", "value", ""], rows),
            f"  hidden kernel (non-rectangular) value: {number(self.value)}",
            f"  (s, a)-rectangular value:              {number(self.rectangular_value)}",
        ]

    def __repr__(self) -> str:
        return text(self._report())

    def _repr_html_(self) -> str:
        """Return the HTML table Jupyter shows (the repr's tables, fractions typeset)."""
        return html(self._report())
