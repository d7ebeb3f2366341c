r"""Combinatorial contracts: the agent picks a set of actions (small, exact).

The model of Dütting, Ezra, Feldman and Kesselheim ("Combinatorial Contracts", FOCS 2021): the
agent chooses a set :math:`S` of :math:`n` actions, the project succeeds with probability
:math:`f(S)` (monotone, :math:`f(\emptyset)` may be positive), costs add up, and a linear
contract pays the agent the share :math:`\alpha` of the reward on success.

* :class:`CombinatorialTechnology`: :math:`f` as a table or a callable, checked (values in
  :math:`[0, 1]`, monotone, at most :data:`~contracts.combinatorial.technology.MAX_ITEMS` items);
* :func:`demand` and :func:`greedy_demand`: the set the agent takes at a share;
* :func:`critical_values`: every share where the demand changes, by enumeration of the
  :math:`2^n` sets or by the demand-oracle algorithm of Dütting, Feldman and Gal-Tzur (2023),
  with the optimal share and the principal's payoff curve;
* :mod:`contracts.combinatorial.classes`: additive, unit-demand and :math:`k`-demand success
  functions (gross substitutes), budget-additive (not), and a check of gross substitutes.

Examples
--------
>>> from fractions import Fraction as F
>>> from contracts.combinatorial import additive, critical_values

Additive :math:`f`: item 0 adds 1/4 at cost 1/16 (worth taking once :math:`\alpha/4 \ge 1/16`),
item 1 adds 1/2 at cost 1/4 (once :math:`\alpha \ge 1/2`). The principal gets
:math:`\frac34 \cdot \frac14 = \frac3{16}` at 1/4 and :math:`\frac12 \cdot \frac34 = \frac38`
at 1/2:

>>> tech = additive([F(1, 4), F(1, 2)], [F(1, 16), F(1, 4)])
>>> best = critical_values(tech)
>>> best.breakpoints, best.alpha, best.value
((Fraction(1, 4), Fraction(1, 2)), Fraction(1, 2), Fraction(3, 8))
"""

from .classes import (
    additive,
    budget_additive,
    gross_substitutes_violation,
    is_gross_substitutes,
    k_demand,
    unit_demand,
)
from .critical import CriticalValues, critical_values
from .demand import Demand, demand, greedy_demand
from .technology import MAX_ITEMS, CombinatorialTechnology

__all__ = [
    "MAX_ITEMS",
    "CombinatorialTechnology",
    "CriticalValues",
    "Demand",
    "additive",
    "budget_additive",
    "critical_values",
    "demand",
    "greedy_demand",
    "gross_substitutes_violation",
    "is_gross_substitutes",
    "k_demand",
    "unit_demand",
]
