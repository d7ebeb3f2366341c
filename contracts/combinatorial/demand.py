r"""The agent's demand under a linear contract: the set he takes, two ways.

Under the share :math:`\alpha` the agent takes a set in :math:`\arg\max_S \alpha R f(S) - c(S)`.
**Ties** go to the principal, who gets :math:`(1 - \alpha) R f(S)`: among the agent-optimal sets
the largest :math:`f`, then (for sets with the same :math:`f` and cost, which nobody can tell
apart) the smallest bitmask. At :math:`\alpha = 1` the principal gets 0 from every set and the
same rule (largest :math:`f`) names the set. The largest-:math:`f` set is the demand just right
of :math:`\alpha`, the *right* derivative of the agent's utility, which is what the
critical-value algorithms need.

* :func:`demand`: by enumeration of the :math:`2^n` sets, exact for exact inputs.
* :func:`greedy_demand`: add the item with the largest marginal utility while it is positive,
  comparing (marginal utility, marginal :math:`f`) lexicographically. :math:`n^2` value queries.
  It finds a demanded set whenever :math:`f` is **gross substitutes** (the greedy
  characterisation of gross substitutes, Paes Leme 2017; the lexicographic comparison is the
  greedy run at :math:`\alpha + \varepsilon` for a small enough :math:`\varepsilon > 0`, which
  picks the largest-:math:`f` set among those demanded at :math:`\alpha`). For other :math:`f`
  it may return a set that is not demanded: check with :func:`demand`.

Examples
--------
>>> from fractions import Fraction as F
>>> from contracts.combinatorial import CombinatorialTechnology
>>> tech = CombinatorialTechnology([0, F(1, 2), F(1, 2), F(3, 4)], [F(1, 8), F(1, 4)])
>>> demand(tech, F(1, 2))   # {0}: 1/4 - 1/8; {1}: 0; {0,1}: 3/8 - 3/8
Demand(items={0}, success=1/2, cost=1/8, agent=1/8, principal=1/4)
>>> greedy_demand(tech, F(1, 2)).items
frozenset({0})
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from .._numbers import Number, as_scalar, fmt, to_python
from .technology import CombinatorialTechnology, set_of

__all__ = [
    "Demand",
    "demand",
    "demand_mask",
    "enumerate_mask",
    "greedy_bits",
    "greedy_demand",
    "greedy_mask",
]


@dataclass(frozen=True)
class Demand:
    """The set the agent takes, with its success probability, cost and both payoffs."""

    items: frozenset[int]
    success: Number
    cost: Number
    agent: Number
    principal: Number

    def __repr__(self) -> str:
        items = "{" + ",".join(str(i) for i in sorted(self.items)) + "}"
        return (
            f"Demand(items={items}, success={fmt(self.success)}, cost={fmt(self.cost)}, "
            f"agent={fmt(self.agent)}, principal={fmt(self.principal)})"
        )


def check_alpha(alpha: Any, tech: CombinatorialTechnology) -> Number:
    """Validate a share in [0, 1]; an exact share on an exact technology stays a Fraction."""
    a = as_scalar(alpha, "alpha")
    if not 0 <= a <= 1:
        raise ValueError(f"alpha = {fmt(a)} is outside [0, 1]")
    return a if tech.exact and isinstance(a, Fraction) else float(a)


def _result(tech: CombinatorialTechnology, mask: int, a: Number) -> Demand:
    f, c, r = tech.values[mask], tech.set_costs[mask], tech.reward
    return Demand(
        items=set_of(mask),
        success=to_python(f),
        cost=to_python(c),
        agent=to_python(a * r * f - c),
        principal=to_python((1 - a) * r * f),
    )


def demand_mask(tech: CombinatorialTechnology, alpha: Number) -> int:
    """Return the bitmask of the demanded set, by enumeration (ties as in :func:`demand`)."""
    return enumerate_mask(tech.values, tech.set_costs, tech.reward, alpha)


def enumerate_mask(values: np.ndarray, set_costs: np.ndarray, reward: Any, alpha: Any) -> int:
    """Return the demanded bitmask for the table ``values`` and the set costs ``set_costs``."""
    utility = alpha * reward * values - set_costs
    tied = np.flatnonzero(utility == utility.max())
    best_f = values[tied].max()
    return int(tied[np.flatnonzero(values[tied] == best_f)[0]])


def demand(tech: CombinatorialTechnology, alpha: Any) -> Demand:
    r"""Return the agent's demand at share ``alpha`` by enumerating every set.

    Parameters
    ----------
    tech : CombinatorialTechnology
    alpha : number
        The share of the reward paid on success, in :math:`[0, 1]`.

    Returns
    -------
    Demand
        The set, :math:`f`, :math:`c`, the agent's and the principal's payoffs (ties to the
        principal: the largest :math:`f`). Exact for exact inputs and an exact ``alpha``; float
        utilities are compared exactly as computed.
    """
    a = check_alpha(alpha, tech)
    return _result(tech, demand_mask(tech, a), a)


def greedy_mask(tech: CombinatorialTechnology, alpha: Number) -> int:
    """Return the bitmask the greedy algorithm builds at ``alpha`` (see :func:`greedy_demand`)."""
    values = tech.values
    return greedy_bits(lambda m: values[m], list(tech.costs), tech.reward, alpha)


def greedy_bits(value: Callable[[int], Any], costs: list[Any], reward: Any, alpha: Any) -> int:
    """Run the greedy algorithm with the value oracle ``value(mask)`` (n^2 value queries)."""
    mask = 0
    current = value(0)
    remaining = list(range(len(costs)))
    while remaining:
        best: tuple[Any, Any] | None = None
        pick, pick_value = -1, current
        for i in remaining:
            v = value(mask | 1 << i)
            gain = v - current
            key = (alpha * reward * gain - costs[i], gain)
            if best is None or key > best:
                best, pick, pick_value = key, i, v
        assert best is not None
        if best <= (0, 0):
            break
        mask |= 1 << pick
        current = pick_value
        remaining.remove(pick)
    return mask


def greedy_demand(tech: CombinatorialTechnology, alpha: Any) -> Demand:
    r"""Return the set the greedy algorithm picks at share ``alpha`` (demanded if f is GS).

    Starting from the empty set, add the item whose (marginal utility
    :math:`\alpha R \Delta f - c_i`, marginal success :math:`\Delta f`) is lexicographically
    largest (the lowest index among equals), while that pair exceeds :math:`(0, 0)`.

    Parameters
    ----------
    tech : CombinatorialTechnology
    alpha : number
        The share, in :math:`[0, 1]`.

    Returns
    -------
    Demand
        A demanded set, with ties to the principal, when :math:`f` is gross substitutes.
    """
    a = check_alpha(alpha, tech)
    return _result(tech, greedy_mask(tech, a), a)
