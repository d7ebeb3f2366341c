r"""Classes of success functions, and a check of gross substitutes.

**Gross substitutes** (Kelso and Crawford 1982): raising the prices of some items never makes
the agent drop an item whose price did not rise. Here the "prices" are the costs scaled by
:math:`1/(\alpha R)`, so for gross-substitutes :math:`f` the demand can be found greedily
(:func:`contracts.combinatorial.demand.greedy_demand`) and the number of critical values is
polynomial in :math:`n`. The classes generated here, and why each is gross substitutes:

* :func:`additive`, :math:`f(S) = f_0 + \sum_{i \in S} p_i`: modular, so no item's value
  depends on the others at all;
* :func:`unit_demand`, :math:`f(S) = \max(f_0, \max_{i \in S} p_i)`: only the best item counts
  (the classical example of Kelso and Crawford);
* :func:`k_demand`, :math:`f(S) = f_0 + ` the sum of the :math:`k` largest weights in :math:`S`:
  a weighted rank function of the uniform matroid of rank :math:`k`, which is gross substitutes
  (every weighted matroid rank function is; unit demand is :math:`k = 1`, additive is
  :math:`k = n`).

:func:`budget_additive`, :math:`f(S) = \min(B, \sum_{i \in S} w_i)`, is submodular but **not**
gross substitutes in general (weights 1, 1, 2 with budget 2 fail the exchange condition below),
so it is offered only as a counterexample.

:func:`gross_substitutes_violation` checks the local characterisation of Reijnierse, van
Gellekom and Potters (2002) (equivalently, :math:`M^\natural`-concavity, Murota and Shioura): for
every set :math:`S` and distinct items :math:`i, j, k \notin S`,

.. math::

    f(S{+}i{+}j) + f(S) &\le f(S{+}i) + f(S{+}j), \\
    f(S{+}i{+}j) + f(S{+}k) &\le \max\{f(S{+}i{+}k) + f(S{+}j),\; f(S{+}j{+}k) + f(S{+}i)\}.

Exact for exact :math:`f`; float values are compared relatively: one side exceeds the other
only by more than ``TIE_RTOL`` (:mod:`contracts.tolerances`) times the larger of the two sums, so
a technology whose success probabilities are all of order :math:`10^{-9}` is judged as one of
order 1.

Examples
--------
>>> from fractions import Fraction as F
>>> gross_substitutes_violation(unit_demand([F(1, 2), F(1, 3), F(1, 4)], [0, 0, 0])) is None
True
>>> gross_substitutes_violation(budget_additive([F(1, 4), F(1, 4), F(1, 2)], F(1, 2), [0, 0, 0]))
'f({0,1}) + f({2}) > max(f({0,2}) + f({1}), f({1,2}) + f({0})): 1 > 3/4'
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from .._numbers import as_scalar, as_vector, fmt
from ..tolerances import TIE_RTOL
from .technology import CombinatorialTechnology

__all__ = [
    "additive",
    "budget_additive",
    "gross_substitutes_violation",
    "is_gross_substitutes",
    "k_demand",
    "unit_demand",
]


def _weights(values: Any, name: str) -> list[Any]:
    w = as_vector(values, name)
    neg = [i for i, v in enumerate(w) if v < 0]
    if neg:
        raise ValueError(f"{name}[{neg[0]}] = {fmt(w[neg[0]])} is negative")
    return [Fraction(v) if w.dtype == object else float(v) for v in w]


def additive(
    probs: Sequence[Any], costs: Sequence[Any], base: Any = 0, reward: Any = 1
) -> CombinatorialTechnology:
    r"""Return :math:`f(S) = f_0 + \sum_{i \in S} p_i` (needs :math:`f_0 + \sum_i p_i \le 1`).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> additive([F(1, 4), F(1, 2)], [0, F(1, 8)], base=F(1, 8)).value({0, 1})
    Fraction(7, 8)
    """
    p, b = _weights(probs, "probs"), as_scalar(base, "base")
    return CombinatorialTechnology(lambda s: b + sum((p[i] for i in s), 0 * b), costs, reward)


def unit_demand(
    probs: Sequence[Any], costs: Sequence[Any], base: Any = 0, reward: Any = 1
) -> CombinatorialTechnology:
    r"""Return :math:`f(S) = \max(f_0, \max_{i \in S} p_i)`: only the best item counts."""
    p, b = _weights(probs, "probs"), as_scalar(base, "base")
    return CombinatorialTechnology(lambda s: max([b, *(p[i] for i in s)]), costs, reward)


def k_demand(
    weights: Sequence[Any], k: int, costs: Sequence[Any], base: Any = 0, reward: Any = 1
) -> CombinatorialTechnology:
    r"""Return :math:`f(S) = f_0 +` the sum of the :math:`k` largest weights of the items in S."""
    w, b = _weights(weights, "weights"), as_scalar(base, "base")
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k = {k!r} must be a positive integer")
    return CombinatorialTechnology(
        lambda s: b + sum(sorted((w[i] for i in s), reverse=True)[:k], 0 * b), costs, reward
    )


def budget_additive(
    weights: Sequence[Any], budget: Any, costs: Sequence[Any], reward: Any = 1
) -> CombinatorialTechnology:
    r"""Return :math:`f(S) = \min(B, \sum_{i \in S} w_i)`: submodular, not always GS."""
    w, cap = _weights(weights, "weights"), as_scalar(budget, "budget")
    return CombinatorialTechnology(
        lambda s: min(cap, sum((w[i] for i in s), 0 * cap)), costs, reward
    )


def _fmt(mask: int) -> str:
    return "{" + ",".join(str(i) for i in range(mask.bit_length()) if mask >> i & 1) + "}"


def gross_substitutes_violation(tech: CombinatorialTechnology) -> str | None:
    """Return a violated local exchange condition of gross substitutes, or None if f is GS.

    Checks every set and every pair and triple of items outside it (Reijnierse et al. 2002):
    :math:`O(2^n n^3)` comparisons.
    """
    if not isinstance(tech, CombinatorialTechnology):
        raise TypeError(f"tech must be a CombinatorialTechnology, got {type(tech).__name__}")
    f, n = tech.values, tech.n
    rtol: Any = 0 if tech.exact else TIE_RTOL

    def exceeds(lhs: Any, rhs: Any) -> bool:
        # sums of values of f (all >= 0): a float excess counts beyond TIE_RTOL of their size
        return bool(lhs > rhs + rtol * max(lhs, rhs))

    for s in range(1 << n):
        out = [i for i in range(n) if not s >> i & 1]
        for a, i in enumerate(out):
            si = s | 1 << i
            for j in out[a + 1 :]:
                sj, sij = s | 1 << j, si | 1 << j
                lhs, rhs = f[sij] + f[s], f[si] + f[sj]
                if exceeds(lhs, rhs):
                    return (
                        f"f({_fmt(sij)}) + f({_fmt(s)}) > f({_fmt(si)}) + f({_fmt(sj)}): "
                        f"{fmt(lhs)} > {fmt(rhs)}"
                    )
                for k in out:
                    if k in (i, j):
                        continue
                    sk = s | 1 << k
                    lhs = f[sij] + f[sk]
                    rhs = max(f[si | 1 << k] + f[sj], f[sj | 1 << k] + f[si])
                    if exceeds(lhs, rhs):
                        return (
                            f"f({_fmt(sij)}) + f({_fmt(sk)}) > max(f({_fmt(si | 1 << k)}) + "
                            f"f({_fmt(sj)}), f({_fmt(sj | 1 << k)}) + f({_fmt(si)})): "
                            f"{fmt(lhs)} > {fmt(rhs)}"
                        )
    return None


def is_gross_substitutes(tech: CombinatorialTechnology) -> bool:
    """Return True when f satisfies the local conditions of gross substitutes."""
    return gross_substitutes_violation(tech) is None
