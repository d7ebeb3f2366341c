r"""The :class:`InfraMDP` class and the functions :func:`solve`, :func:`evaluate`, :func:`compare`.

The class reads and checks a model once (:mod:`~infrabayes.sequential.model`) and delegates
every computation to the function modules, which take the plain :class:`Model`.

Examples
--------
A machine that is ``new`` or ``worn``. Running earns 1 (new) or 1/2 (worn); a new machine
wears with a probability between 1/4 and 1/2; maintaining earns 0 and renews the machine for
sure:

>>> from fractions import Fraction as F
>>> mdp = InfraMDP(
...     states=["new", "worn"],
...     actions=["run", "maintain"],
...     transitions={
...         ("new", "run"): {"new": (F(1, 2), F(3, 4)), "worn": (F(1, 4), F(1, 2))},
...         ("new", "maintain"): {"new": 1},
...         ("worn", "run"): {"worn": 1},
...         ("worn", "maintain"): {"new": 1},
...     },
...     rewards={("new", "run"): 1, ("new", "maintain"): 0,
...              ("worn", "run"): F(1, 2), ("worn", "maintain"): 0},
...     discount=F(9, 10),
... )
>>> solve(mdp)
Robust solution by policy-iteration (discount 9/10, rewards in [0, 1]): 2 iterations, exact
  state   value  optimal action(s)  Murphy's next state
  new    200/29  run                new 1/2, worn 1/2
  worn   180/29  maintain           new 1

Murphy makes a running machine wear as fast as he may (1/2): then :math:`v_{new} = 1 +
\tfrac{9}{10} (\tfrac12 v_{new} + \tfrac12 v_{worn})` and :math:`v_{worn} = \tfrac{9}{10}
v_{new}`, so :math:`v_{new} = 200/29`; running a worn machine would be worth only
:math:`\tfrac12 / (1 - \tfrac{9}{10}) = 5 < 180/29`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np

from infrabayes._numbers import Number, format_number, scalar
from infrabayes._table import table
from infrabayes.sequential import hidden, nominal, solving
from infrabayes.sequential._read import (
    read_arrays,
    read_kernel,
    read_mdp,
    read_policy,
    state_index,
)
from infrabayes.sequential._text import distribution, name, number
from infrabayes.sequential.model import Model, build
from infrabayes.sequential.results import Comparison, HiddenKernelValue, PolicyValue, Solution
from infrabayes.sequential.value_iteration import DEFAULT_MAX_ITERATIONS, DEFAULT_TOLERANCE

__all__ = ["InfraMDP", "compare", "evaluate", "solve"]

#: The repr lists at most this many state-action pairs.
MAX_PAIRS_SHOWN = 24


class InfraMDP:
    r"""A crisp infra-MDP: an MDP whose transitions are credal sets, solved against Murphy.

    Parameters
    ----------
    states : sequence of hashable
        Distinct state names.
    actions : sequence of hashable, or mapping state -> sequence
        The actions, all available in every state; or, per state, the actions it offers.
    transitions : mapping (state, action) -> credal set
        One entry per available pair. A credal set of next-state distributions is

        * a mapping ``next state -> (lower, upper)`` (or ``-> p`` for ``(p, p)``): the
          distributions within these bounds; next states not listed have bounds ``(0, 0)``;
        * a list of mappings ``next state -> probability``: their convex hull (a polytope
          given by its vertices);
        * a crisp :class:`~infrabayes.Infradistribution` over (some of) the states, read as
          the list of its generators (each must have b = 0 and total mass 1).
    rewards : mapping (state, action) -> number
        One reward per available pair, in `reward_range`.
    discount : number
        :math:`\gamma` in [0, 1); in [0, 1] with a finite `horizon`.
    horizon : int, optional
        The number of decisions of a finite-horizon problem (default: infinite, discounted).
    reward_range : pair, default (0, 1)
        The range the rewards lie in. Infra-Bayesian utilities live in [0, 1]; another range is
        the affine image :math:`lo + (hi - lo) u` of that scale, under which the robust values
        transform the same way (credal sets are crisp: Murphy's choices do not change). Results
        state the range and report values in its units.

    Notes
    -----
    The credal sets are **(s, a)-rectangular**: Murphy picks a distribution from
    :math:`C(s, a)` independently at every visit of :math:`(s, a)`, knowing the history. A set
    of kernels of which one is chosen for the whole run is not rectangular; compare the two with
    :meth:`hidden_kernel_value`.

    Numbers are exact (``Fraction`` s) when every input is an int or a Fraction; any float
    makes the model float64. Inputs are copied, never modified.

    Raises
    ------
    ValueError
        With the state and the action named: bounds with lower > upper or outside [0, 1],
        bounds that admit no distribution (sum of lower bounds > 1, or of upper bounds < 1;
        floats within :data:`~infrabayes.sequential.model.SUM_TOLERANCE`), a vertex that is not
        a distribution, a reward outside the range, a discount outside its range, unknown
        states or actions, a missing pair.
    """

    __slots__ = ("_model",)

    _model: Model

    def __init__(
        self,
        states: Sequence[Hashable],
        actions: Sequence[Hashable] | Mapping[Any, Sequence[Hashable]],
        transitions: Mapping[Any, Any],
        rewards: Mapping[Any, Any],
        discount: Any,
        *,
        horizon: int | None = None,
        reward_range: tuple[Any, Any] = (0, 1),
    ) -> None:
        self._model = read_mdp(
            states, actions, transitions, rewards, discount, horizon, reward_range
        )

    @classmethod
    def from_arrays(
        cls,
        lower: Any,
        upper: Any,
        rewards: Any,
        discount: Any,
        *,
        states: Sequence[Hashable] | None = None,
        actions: Sequence[Hashable] | None = None,
        horizon: int | None = None,
        reward_range: tuple[Any, Any] = (0, 1),
    ) -> InfraMDP:
        """Build an interval infra-MDP from arrays (fast, for large models).

        Parameters
        ----------
        lower, upper : array, shape (S, A, S)
            ``lower[s, a, s2] <= P(s2 | s, a) <= upper[s, a, s2]``.
        rewards : array, shape (S, A)
        discount, horizon, reward_range
            As for the constructor.
        states, actions : sequence, optional
            Names (default ``0, 1, ...``).

        Examples
        --------
        >>> import numpy as np
        >>> lower = np.array([[[0.5, 0.25]], [[0.0, 1.0]]])
        >>> upper = np.array([[[0.75, 0.5]], [[0.0, 1.0]]])
        >>> mdp = InfraMDP.from_arrays(lower, upper, [[1.0], [0.0]], 0.5)
        >>> mdp.solve().values   # v0 = 1 + (v0 / 2 + v1 / 2) / 2 with v1 = 0
        array([1.33333333, 0.        ])
        """
        obj = object.__new__(cls)
        obj._model = read_arrays(
            lower, upper, rewards, discount, states, actions, horizon, reward_range
        )
        return obj

    @classmethod
    def from_model(cls, model: Model) -> InfraMDP:
        """Wrap a checked :class:`~infrabayes.sequential.model.Model` (no copy)."""
        if not isinstance(model, Model):
            raise TypeError(f"from_model takes a Model; got {type(model).__name__}")
        obj = object.__new__(cls)
        obj._model = model
        return obj

    # -- data -----------------------------------------------------------------------------------

    @property
    def model(self) -> Model:
        """The checked plain-data model the function modules take."""
        return self._model

    @property
    def states(self) -> tuple[Hashable, ...]:
        """The state names."""
        return self._model.states

    @property
    def actions(self) -> tuple[Hashable, ...]:
        """The action names (over all states)."""
        return self._model.actions

    @property
    def discount(self) -> Number:
        r"""The discount :math:`\gamma`."""
        return self._model.discount

    @property
    def horizon(self) -> int | None:
        """The number of decisions, or None (discounted infinite horizon)."""
        return self._model.horizon

    @property
    def reward_range(self) -> tuple[Number, Number]:
        """The stated range of the rewards, ``(lo, hi)``."""
        return self._model.reward_range

    @property
    def exact(self) -> bool:
        """Whether the numbers are exact ``Fraction`` s."""
        return self._model.exact

    def available(self, state: Hashable) -> tuple[Hashable, ...]:
        """Return the actions available in a state."""
        s = state_index(self._model, state)
        return tuple(a for a, ok in zip(self.actions, self._model.available[s], strict=True) if ok)

    def credal_set(self, state: Hashable, action: Hashable) -> Any:
        """Return a pair's credal set as given: ``{next: (lower, upper)}`` or a list of vertices.

        Only next states with a nonzero bound (or probability) are listed.
        """
        m = self._model
        s = state_index(m, state)
        if action not in m.actions:
            raise ValueError(f"unknown action {action!r}; the actions are {m.actions!r}")
        kind, first, second = m.credal_set(m.row(s, m.actions.index(action)))
        if kind == "interval":
            assert second is not None
            return {
                x: (_py(lo), _py(up))
                for x, lo, up in zip(m.states, first, second, strict=True)
                if up != 0
            }
        return [{x: _py(p) for x, p in zip(m.states, v, strict=True) if p != 0} for v in first]

    def with_horizon(self, horizon: int | None, discount: Any = None) -> InfraMDP:
        """Return the same model with another horizon (and discount, if given)."""
        m = self._model
        gamma = m.discount if discount is None else scalar(discount, "discount")
        rebuilt = build(
            **{
                f: getattr(m, f)
                for f in (
                    "states",
                    "actions",
                    "available",
                    "rewards",
                    "reward_range",
                    "interval_rows",
                    "lower",
                    "upper",
                    "vertex_rows",
                    "vertices",
                    "vertex_counts",
                )
            },
            discount=gamma,
            horizon=horizon,
        )
        return InfraMDP.from_model(rebuilt)

    # -- computations ---------------------------------------------------------------------------

    def solve(
        self,
        method: str | None = None,
        tol: float = DEFAULT_TOLERANCE,
        max_iterations: int = DEFAULT_MAX_ITERATIONS,
    ) -> Solution:
        """Return the robust optimum. See :func:`solve`."""
        return solving.solve(self._model, method, tol, max_iterations)

    def evaluate(
        self,
        policy: Any,
        method: str | None = None,
        tol: float = DEFAULT_TOLERANCE,
        max_iterations: int = DEFAULT_MAX_ITERATIONS,
    ) -> PolicyValue:
        """Return the robust value of a deterministic policy. See :func:`evaluate`."""
        return solving.evaluate(
            self._model, read_policy(self._model, policy), method, tol, max_iterations
        )

    def nominal_kernel(self) -> np.ndarray:
        """Return the midpoint kernel (S, A, S).

        See :func:`~infrabayes.sequential.nominal.nominal_kernel`.
        """
        return nominal.nominal_kernel(self._model)

    def compare(
        self, nominal_kernel: Any = None, method: str | None = None, tol: float = DEFAULT_TOLERANCE
    ) -> Comparison:
        """Return nominal vs robust planning. See :func:`compare`."""
        kernel = (
            None
            if nominal_kernel is None
            else read_kernel(self._model, nominal_kernel, "nominal_kernel")
        )
        return nominal.compare(self._model, kernel, method, tol)

    def hidden_kernel_value(
        self, kernels: Any, policy: Any, start: Hashable, horizon: int | None = None
    ) -> HiddenKernelValue:
        """Return a policy's value when Murphy picks one of `kernels` once, for the whole run.

        Parameters
        ----------
        kernels : list of kernels, or array of shape (K, S, A, S)
            Each kernel is a mapping ``(state, action) -> {next state: probability}`` for every
            available pair, and must lie in the model's credal sets.
        policy
            A stationary policy (mapping state -> action) or, with a horizon, one per stage.
        start : hashable
            The initial state.
        horizon : int, optional
            Required if the model has none.

        See :func:`infrabayes.sequential.hidden.hidden_kernel_value`.
        """
        model = self._model if horizon is None else self.with_horizon(horizon).model
        arrays = [read_kernel(model, k, f"kernel {i}") for i, k in enumerate(kernels)]
        if not arrays:
            raise ValueError("kernels is empty; give at least one kernel")
        exact = all(a.dtype == object for a in arrays)
        stacked = np.stack([a if exact else a.astype(np.float64) for a in arrays])
        return hidden.hidden_kernel_value(
            model,
            stacked,
            read_policy(model, policy),
            state_index(model, start, "start"),
        )

    # -- display --------------------------------------------------------------------------------

    def __repr__(self) -> str:
        m = self._model
        lo, hi = m.reward_range
        when = f"horizon {m.horizon}, " if m.horizon is not None else ""
        head = (
            f"InfraMDP: {m.n_states} states, {m.n_actions} actions, {when}discount "
            f"{format_number(m.discount)}, rewards in [{number(lo)}, {number(hi)}] "
            f"({'exact' if m.exact else 'float64'}; (s, a)-rectangular)"
        )
        rows = []
        for row in m.available_rows()[:MAX_PAIRS_SHOWN]:
            s, a = divmod(int(row), m.n_actions)
            kind, first, second = m.credal_set(int(row))
            if kind == "interval":
                assert second is not None
                text = ", ".join(
                    f"{name(x)} {_bounds(lo_, up_)}"
                    for x, lo_, up_ in zip(m.states, first, second, strict=True)
                    if up_ != 0
                )
            else:
                text = " | ".join(f"[{distribution(m.states, v)}]" for v in first)
                text = f"hull of {text}"
            rows.append([name(m.states[s]), name(m.actions[a]), number(m.rewards[s, a]), text])
        lines = [head, *table(["state", "action", "reward", "next state"], rows)]
        n_pairs = int(m.available.sum())
        if n_pairs > MAX_PAIRS_SHOWN:
            lines.append(f"  ... ({n_pairs - MAX_PAIRS_SHOWN} more pairs)")
        return "\n".join(lines)


def _bounds(lo: Any, up: Any) -> str:
    return number(lo) if lo == up else f"[{number(lo)}, {number(up)}]"


def _py(x: Any) -> Number:
    return x if not isinstance(x, np.floating) else float(x)


def solve(
    mdp: InfraMDP,
    method: str | None = None,
    tol: float = DEFAULT_TOLERANCE,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
) -> Solution:
    """Return the robust values, an optimal policy with its ties, and Murphy's kernel.

    Parameters
    ----------
    mdp : InfraMDP
    method : {None, "value-iteration", "policy-iteration"}
        None: policy iteration for exact discounted models (exact result), value iteration
        otherwise. With a horizon, value iteration is backward induction (exact for exact
        models) and policy iteration is refused. See :mod:`infrabayes.sequential.solving`.
    tol : float, default 1e-9
        Value iteration stops when its certified sup-norm error bound is at most
        ``tol * (hi - lo) / (1 - discount)`` (relative to the width of the value range).
    max_iterations : int
        Value iteration's limit on sweeps (then ``converged`` is False).

    Returns
    -------
    Solution
    """
    return mdp.solve(method, tol, max_iterations)


def evaluate(
    mdp: InfraMDP,
    policy: Any,
    method: str | None = None,
    tol: float = DEFAULT_TOLERANCE,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
) -> PolicyValue:
    """Return the robust value of a deterministic policy and Murphy's answer to it.

    Parameters
    ----------
    mdp : InfraMDP
    policy : mapping state -> action, or sequence of actions in state order
        With a horizon, also a list of such mappings, one per stage.
    method, tol, max_iterations
        As for :func:`solve` (policy iteration here is Murphy's: the exact evaluation).

    Returns
    -------
    PolicyValue
    """
    return mdp.evaluate(policy, method, tol, max_iterations)


def compare(
    mdp: InfraMDP,
    nominal_kernel: Any = None,
    method: str | None = None,
    tol: float = DEFAULT_TOLERANCE,
) -> Comparison:
    """Return the plan for a nominal kernel against the robust plan, each under both views.

    Parameters
    ----------
    mdp : InfraMDP
    nominal_kernel : optional
        A mapping ``(state, action) -> {next state: probability}`` or an array (S, A, S); default
        the midpoint of each credal set (:func:`infrabayes.sequential.nominal.nominal_kernel`).
    method, tol
        As for :func:`solve`.

    Returns
    -------
    Comparison
    """
    return mdp.compare(nominal_kernel, method, tol)
