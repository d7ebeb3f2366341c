"""Hypothesis strategies for property-testing robustness claims about contracts.

Requires the ``hypothesis`` package (``pip install knightian[test]``). Not imported by
``contracts/__init__``. Every strategy builds valid objects directly (probabilities from integer
weights, sorted grids from positive steps), so nothing is filtered away.

Exactness, the same rule in :mod:`contracts.strategies`, :mod:`infrabayes.strategies` and
:mod:`portfolios.strategies`: every strategy that draws numbers takes the keyword ``exact``,
default True. With ``exact=True`` all numbers are ``Fraction`` values and every result of the
package is exact, which makes equalities in properties exact too; ``exact=False`` draws float64
values (compare within a tolerance scaled to the data). A strategy that draws no numbers has no
``exact``.

Examples
--------
A property of your own: no contract guarantees more than the optimal linear one (Carroll's
theorem), checked on 20 random problems:

>>> from hypothesis import given, settings
>>> from contracts import worst_case, optimal_linear
>>> from contracts.strategies import problems
>>> @settings(max_examples=20, deadline=None)
... @given(problems(exact=True))
... def test_carroll(problem):
...     known, contract = problem
...     assert worst_case(contract, known).value <= optimal_linear(known).value
>>> test_carroll()
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from ._extras import missing

try:
    from hypothesis import strategies as st
except ImportError:
    raise missing("hypothesis", "test", "contracts.strategies") from None

from .combinatorial import (
    CombinatorialTechnology,
    additive,
    budget_additive,
    k_demand,
    unit_demand,
)
from .contract import Contract, LinearContract
from .mixture import ContractMixture, RandomizedContract
from .model import Action, Technology

__all__ = [
    "COMBINATORIAL_KINDS",
    "CONTRACT_KINDS",
    "actions",
    "combinatorial_technologies",
    "contract_mixtures",
    "contracts",
    "distributions",
    "envelope_technologies",
    "linear_contracts",
    "outputs",
    "problems",
    "randomized_contracts",
    "technologies",
]

#: The kinds of contract :func:`contracts` draws from.
CONTRACT_KINDS = (
    "zero",
    "linear",
    "base_wage",
    "bonus",
    "spike",
    "debt",
    "capped",
    "arbitrary",
    "huge",
)


def _number(k: int, denominator: int, exact: bool) -> Any:
    return Fraction(k, denominator) if exact else k / denominator


@st.composite
def outputs(
    draw: st.DrawFn,
    *,
    min_size: int = 1,
    max_size: int = 6,
    exact: bool = True,
    lowest: int | None = 0,
) -> np.ndarray:
    """Draw an output grid: strictly increasing, non-negative.

    Parameters
    ----------
    min_size, max_size : int
        Number of outputs.
    exact : bool
        Fractions (object array) if True, float64 otherwise.
    lowest : int or None
        The lowest output (0 by default, Carroll's normalisation); None draws it from 0..5.
    """
    if not 1 <= min_size <= max_size:
        raise TypeError(f"need 1 <= min_size <= max_size, got {min_size}, {max_size}")
    n = draw(st.integers(min_size, max_size))
    start = draw(st.integers(0, 5)) if lowest is None else lowest
    denominator = draw(st.sampled_from([1, 2, 4]))
    steps = draw(st.lists(st.integers(1, 8), min_size=n - 1, max_size=n - 1))
    ticks = np.cumsum([start * denominator, *steps])
    return np.array(
        [_number(int(k), denominator, exact) for k in ticks], dtype=object if exact else float
    )


@st.composite
def distributions(draw: st.DrawFn, n: int, *, exact: bool = True) -> np.ndarray:
    """Draw a probability vector of length ``n`` from integer weights (often sparse)."""
    weights = draw(st.lists(st.integers(0, 6), min_size=n, max_size=n))
    if sum(weights) == 0:
        weights[draw(st.integers(0, n - 1))] = 1
    total = sum(weights)
    if exact:
        return np.array([Fraction(v, total) for v in weights], dtype=object)
    return np.array(weights, dtype=float) / total


@st.composite
def actions(draw: st.DrawFn, n: int, *, exact: bool = True, zero_cost: bool = True) -> Action:
    """Draw an action on ``n`` outputs; its cost is 0 only if ``zero_cost`` allows it."""
    dist = draw(distributions(n, exact=exact))
    cost = _number(draw(st.integers(0 if zero_cost else 1, 16)), 4, exact)
    return Action(dist, cost)


@st.composite
def technologies(
    draw: st.DrawFn,
    *,
    grid: Sequence[Any] | np.ndarray | None = None,
    min_actions: int = 1,
    max_actions: int = 4,
    exact: bool = True,
    zero_cost: bool = True,
    lowest: int | None = 0,
) -> Technology:
    """Draw a known technology (a grid from :func:`outputs` unless ``grid`` is given)."""
    y = draw(outputs(exact=exact, lowest=lowest)) if grid is None else np.asarray(grid)
    k = draw(st.integers(min_actions, max_actions))
    acts = [draw(actions(y.size, exact=exact, zero_cost=zero_cost)) for _ in range(k)]
    return Technology(y, tuple(acts))


@st.composite
def contracts(
    draw: st.DrawFn,
    grid: Sequence[Any] | np.ndarray,
    *,
    exact: bool = True,
    kinds: Sequence[str] = CONTRACT_KINDS,
) -> Contract:
    """Draw a limited-liability contract on ``grid``.

    Kinds: ``zero``; ``linear`` (a share); ``base_wage`` (a constant plus a share); ``bonus`` (a
    step at a threshold); ``spike`` (pay at one output only); ``debt`` (the agent keeps output
    above a face value); ``capped`` (a share up to a cap); ``arbitrary`` (any non-negative,
    discontinuous schedule); ``huge`` (arbitrary with payments up to a million times the top
    output).
    """
    unknown = set(kinds) - set(CONTRACT_KINDS)
    if unknown or not kinds:
        raise TypeError(f"kinds must be a non-empty subset of {CONTRACT_KINDS}, got {kinds!r}")
    y = np.asarray(grid)
    n = y.size
    kind = draw(st.sampled_from(tuple(kinds)))

    def num(lo: int, hi: int, den: int = 4) -> Any:
        return _number(draw(st.integers(lo, hi)), den, exact)

    top = y[-1]
    if kind == "zero":
        pay = [0 * v for v in y]
    elif kind == "linear":
        share = num(0, 8, 8)
        pay = [share * v for v in y]
    elif kind == "base_wage":
        base, share = num(1, 8), num(0, 8, 8)
        pay = [base + share * v for v in y]
    elif kind == "bonus":
        k, b = draw(st.integers(0, n - 1)), num(1, 16)
        pay = [b if i >= k else 0 * b for i in range(n)]
    elif kind == "spike":
        k, b = draw(st.integers(0, n - 1)), num(1, 16)
        pay = [b if i == k else 0 * b for i in range(n)]
    elif kind == "debt":
        face = y[draw(st.integers(0, n - 1))]
        pay = [max(v - face, 0 * v) for v in y]
    elif kind == "capped":
        share, cap = num(1, 8, 8), num(0, 16)
        pay = [min(share * v, cap) for v in y]
    elif kind == "arbitrary":
        pay = [num(0, 16) * (top if top else 1) / 4 for _ in y]
    else:  # huge
        pay = [num(0, 16) * (top if top else 1) * 250_000 for _ in y]
    return Contract(y, pay)


@st.composite
def linear_contracts(
    draw: st.DrawFn, *, max_alpha: int = 1, exact: bool = True, origin: Any = 0
) -> LinearContract:
    """Draw ``LinearContract(alpha, origin)``, alpha on a grid of step 1/16 in [0, max_alpha]."""
    alpha = _number(draw(st.integers(0, 16 * max_alpha)), 16, exact)
    return LinearContract(alpha, origin=origin)


@st.composite
def problems(
    draw: st.DrawFn, *, exact: bool = True, lowest: int | None = 0, max_actions: int = 3
) -> tuple[Technology, Contract]:
    """Draw ``(known, contract)``: a known technology and a contract on its grid."""
    known = draw(technologies(exact=exact, lowest=lowest, max_actions=max_actions))
    return known, draw(contracts(known.outputs, exact=exact))


def _weights(draw: st.DrawFn, k: int, exact: bool) -> list[Any]:
    raw = draw(st.lists(st.integers(1, 6), min_size=k, max_size=k))
    total = sum(raw)
    return [Fraction(v, total) if exact else v / total for v in raw]


@st.composite
def randomized_contracts(
    draw: st.DrawFn, *, max_size: int = 4, exact: bool = True, origin: Any = 0
) -> RandomizedContract:
    """Draw a discrete lottery of slopes: distinct slopes on a grid of step 1/16 in [0, 1]."""
    k = draw(st.integers(1, max_size))
    ticks = draw(st.lists(st.integers(0, 16), min_size=k, max_size=k, unique=True))
    slopes = [_number(t, 16, exact) for t in ticks]
    return RandomizedContract(slopes, _weights(draw, k, exact), origin=origin)


@st.composite
def contract_mixtures(
    draw: st.DrawFn,
    grid: Sequence[Any] | np.ndarray,
    *,
    max_size: int = 3,
    exact: bool = True,
    kinds: Sequence[str] = CONTRACT_KINDS,
) -> ContractMixture:
    """Draw a lottery over 1 to ``max_size`` contracts on ``grid`` (see :func:`contracts`)."""
    k = draw(st.integers(1, max_size))
    drawn = [draw(contracts(grid, exact=exact, kinds=kinds)) for _ in range(k)]
    return ContractMixture(_weights(draw, k, exact), drawn)


@st.composite
def envelope_technologies(
    draw: st.DrawFn,
    *,
    max_actions: int = 5,
    max_outputs: int = 6,
    exact: bool = True,
    deterministic: bool = False,
) -> Technology:
    """Draw a technology in which every action is the agent's choice for some linear contract.

    The region where linear contracts do worst: the actions' means strictly increase, and the
    costs are built so that action ``i`` overtakes action ``i - 1`` at a drawn critical value
    ``alpha_i`` (increasing in ``i``, in (0, 1), a multiple of 1/64): ``c_i = c_{i-1} + alpha_i
    (R_i - R_{i-1})``. Each action's distribution is drawn on a grid from :func:`outputs`
    (lowest output 0); actions whose mean repeats an earlier one are dropped. With
    ``deterministic=True`` action ``i`` instead produces its own output for sure, the outputs
    growing by factors from 1 to 16 (as in the equal-revenue technologies of
    :mod:`contracts.families`), and ``max_outputs`` is ignored. Use it with
    ``hypothesis.target`` to search for technologies with a large approximation ratio.
    """
    if deterministic:
        k = draw(st.integers(1, max_actions))
        factors = draw(st.lists(st.integers(1, 16), min_size=k, max_size=k))
        levels: list[Any] = []
        for factor in factors:
            levels.append((levels[-1] if levels else _number(1, 1, exact)) * (1 + factor))
        y = np.array([0 * levels[0], *levels], dtype=object if exact else float)
        acts = [np.array([int(j == i + 1) for j in range(k + 1)], dtype=object) for i in range(k)]
        if exact:
            acts = [np.array([Fraction(v) for v in a], dtype=object) for a in acts]
        else:
            acts = [a.astype(float) for a in acts]
    else:
        y = draw(outputs(min_size=2, max_size=max_outputs, exact=exact))
        k = draw(st.integers(1, max_actions))
        acts = [draw(distributions(y.size, exact=exact)) for _ in range(k)]
    by_mean: dict[Any, np.ndarray] = {}
    for dist in acts:
        by_mean.setdefault(dist @ y, dist)
    means = sorted(by_mean)
    ticks = sorted(
        draw(st.lists(st.integers(1, 63), min_size=len(means), max_size=len(means), unique=True))
    )
    cost = _number(draw(st.integers(0, 4)), 4, exact)
    costs = [cost]
    for i in range(1, len(means)):
        alpha = _number(ticks[i], 64, exact)
        costs.append(costs[-1] + alpha * (means[i] - means[i - 1]))
    return Technology(y, tuple(Action(by_mean[mu], c) for mu, c in zip(means, costs, strict=True)))


#: The kinds of success function :func:`combinatorial_technologies` draws from.
COMBINATORIAL_KINDS = ("monotone", "additive", "unit_demand", "k_demand", "budget_additive")


@st.composite
def combinatorial_technologies(
    draw: st.DrawFn,
    *,
    min_items: int = 1,
    max_items: int = 4,
    kinds: Sequence[str] = COMBINATORIAL_KINDS,
    exact: bool = True,
) -> CombinatorialTechnology:
    """Draw a combinatorial technology: item costs and a success function of a drawn kind.

    Kinds: ``monotone`` (any monotone f: integer weights per set, closed upwards by taking the
    largest over subsets, scaled into [0, 1]); ``additive``, ``unit_demand``, ``k_demand``
    (gross substitutes, see :mod:`contracts.combinatorial.classes`); ``budget_additive``
    (submodular, not always gross substitutes). ``f(empty)`` is often positive. Costs are
    multiples of 1/32 in [0, 1/2].
    """
    unknown = set(kinds) - set(COMBINATORIAL_KINDS)
    if unknown or not kinds:
        raise TypeError(f"kinds must be a non-empty subset of {COMBINATORIAL_KINDS}, got {kinds!r}")
    n = draw(st.integers(min_items, max_items))
    kind = draw(st.sampled_from(tuple(kinds)))
    costs = [_number(draw(st.integers(0, 16)), 32, exact) for _ in range(n)]
    base = _number(draw(st.sampled_from([0, 0, 1, 2])), 8, exact)
    room = 1 - base  # what the items may add

    def shares(count: int) -> list[Any]:
        raw = draw(st.lists(st.integers(0, 8), min_size=count, max_size=count))
        return [_number(v, 8 * max(count, 1), exact) * room for v in raw]

    if kind == "additive":
        return additive(shares(n), costs, base=base)
    if kind == "unit_demand":
        return unit_demand([base + p * n for p in shares(n)], costs, base=base)
    if kind == "k_demand":
        k = draw(st.integers(1, n))
        return k_demand([p * n / k for p in shares(n)], k, costs, base=base)
    if kind == "budget_additive":
        weights = [p * n / 2 for p in shares(n)]
        return budget_additive(weights, _number(draw(st.integers(1, 8)), 8, exact), costs)
    raw = draw(st.lists(st.integers(0, 12), min_size=1 << n, max_size=1 << n))
    closed = list(raw)
    for i in range(n):  # the largest weight over subsets: a monotone function
        for mask in range(1 << n):
            if mask >> i & 1:
                closed[mask] = max(closed[mask], closed[mask ^ 1 << i])
    top = max(closed[-1], 1)
    return CombinatorialTechnology([_number(v, top, exact) for v in closed], costs)
