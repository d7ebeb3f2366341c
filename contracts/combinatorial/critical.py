r"""Critical values of a combinatorial technology, and the optimal linear contract.

The agent's utility :math:`U(\alpha) = \max_S \alpha R f(S) - c(S)` is the upper envelope of
:math:`2^n` lines, one per set (slope :math:`R f(S)`, intercept :math:`-c(S)`). Its breakpoints in
:math:`(0, 1]` are the *critical values* :math:`\alpha_1 < \dots < \alpha_K`, where the demand
changes (Dütting, Ezra, Feldman and Kesselheim, FOCS 2021). Between them the demanded set is
fixed and the principal's payoff :math:`(1 - \alpha) R f(S(\alpha))` falls, so the optimal
linear contract is at :math:`\alpha = 0` or at a critical value. With a binary outcome the
optimal contract is linear (it pays only on success), as Dütting et al. note.

Two routes (``method=``):

* ``"enumerate"``: the upper envelope of all :math:`2^n` lines
  (:func:`contracts.envelope.upper_envelope`): exact, :math:`O(2^n n)`.
* ``"demand"``: the demand-oracle enumeration of Dütting, Feldman and Gal-Tzur (2023): only
  demand queries, at most :math:`2K + 2` of them for :math:`K` critical values
  (:func:`contracts.envelope.envelope_by_oracle`). The oracle is ``"greedy"`` (valid for gross
  substitutes :math:`f`, :math:`n^2` value queries each), ``"enumerate"`` (any :math:`f`), or a
  callable ``alpha -> frozenset`` returning the demand with ties to the principal.

For gross-substitutes :math:`f` the number of critical values is polynomial in :math:`n`
(:math:`O(n^2)`, Dütting et al. 2021); for general :math:`f` it can be exponential.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from .._html import HtmlRepr
from .._numbers import Number, fmt, table, to_python
from ..envelope import as_fraction, envelope_by_oracle, upper_envelope
from .demand import check_alpha, enumerate_mask, greedy_bits
from .technology import CombinatorialTechnology, set_of

__all__ = ["CriticalValues", "critical_values"]

#: Intervals shown in ``repr`` before the rest is summarised.
_MAX_SHOWN = 12


def _fmt_set(items: frozenset[int]) -> str:
    return "{" + ",".join(str(i) for i in sorted(items)) + "}"


@dataclass(frozen=True, eq=False)
class CriticalValues(HtmlRepr):
    r"""The demand for every share :math:`\alpha \in [0, 1]`, and the best share.

    Attributes
    ----------
    breakpoints : tuple
        The critical values in :math:`(0, 1]`, ascending (Fractions for exact inputs).
    sets : tuple of frozenset
        ``K + 1`` demanded sets: on :math:`[0, \alpha_1)`, ..., :math:`[\alpha_K, 1]` (at each
        left end with ties to the principal).
    success : tuple
        :math:`f` of each of those sets (non-decreasing).
    values : tuple
        The principal's payoff :math:`(1 - \alpha_k) R f(S_k)` at each left end.
    alpha : Fraction or float
        The optimal share (the smallest among ties).
    value : Fraction or float
        The principal's optimal payoff.
    method : str
        ``"enumerate"`` or ``"demand"``.
    queries : int
        Demand queries asked (``"demand"``), or the :math:`2^n` lines enumerated.
    """

    breakpoints: tuple[Number, ...]
    sets: tuple[frozenset[int], ...]
    success: tuple[Number, ...]
    values: tuple[Number, ...]
    alpha: Number
    value: Number
    method: str
    queries: int
    technology: CombinatorialTechnology = field(repr=False)

    @property
    def starts(self) -> tuple[Number, ...]:
        """The left ends of the intervals: 0 and every critical value."""
        zero = Fraction(0) if self.technology.exact else 0.0
        return (zero, *self.breakpoints)

    def set_at(self, alpha: Any) -> frozenset[int]:
        r"""Return the demanded set at share :math:`\alpha` (ties to the principal)."""
        a = check_alpha(alpha, self.technology)
        return self.sets[sum(1 for b in self.breakpoints if b <= a)]

    def payoff(self, alpha: Any) -> Number:
        r"""Return the principal's payoff :math:`(1 - \alpha) R f(S(\alpha))`."""
        a = check_alpha(alpha, self.technology)
        k = sum(1 for b in self.breakpoints if b <= a)
        return to_python((1 - a) * self.technology.reward * self.success[k])

    def __repr__(self) -> str:
        k = len(self.breakpoints)
        head = (
            f"CriticalValues: {k} critical value{'s' * (k != 1)} in (0, 1] ({self.method}, "
            f"{self.queries} {'queries' if self.method == 'demand' else 'sets'}); best alpha = "
            f"{fmt(self.alpha)}, principal {fmt(self.value)}"
        )
        rows = [["from alpha", "set", "f", "principal at start"]]
        for j, (start, s, f, v) in enumerate(
            zip(self.starts, self.sets, self.success, self.values, strict=True)
        ):
            if j == _MAX_SHOWN:
                rows.append([f"... {k + 1 - j} more", "", "", ""])
                break
            rows.append([fmt(start), _fmt_set(s), fmt(f), fmt(v)])
        return "\n".join([head, *table(rows)])


def _oracle_of(
    tech: CombinatorialTechnology, oracle: str | Callable[[Any], Any]
) -> Callable[[Fraction], tuple[Any, Any, Any]]:
    reward = as_fraction(tech.reward)
    # The built-in oracles compare exactly, also on float data (each float is a rational):
    # rounding the query point or the utilities could return a line that does not tie there.
    # Float tables are read as Fractions lazily (greedy) or once (enumeration).
    pick: Callable[[Fraction], int]
    if oracle == "greedy":
        costs = [as_fraction(c) for c in tech.costs]
        table = tech.values
        cache: dict[int, Fraction] = {}

        def value(mask: int) -> Fraction:
            if mask not in cache:
                cache[mask] = as_fraction(table[mask])
            return cache[mask]

        def pick(t: Fraction) -> int:
            return greedy_bits(value, costs, reward, t)
    elif oracle == "enumerate":
        values, set_costs = tech.values, tech.set_costs
        if not tech.exact:
            values = np.array([as_fraction(v) for v in values], dtype=object)
            set_costs = np.array([as_fraction(c) for c in set_costs], dtype=object)

        def pick(t: Fraction) -> int:
            return enumerate_mask(values, set_costs, reward, t)
    elif callable(oracle):
        user = oracle

        def pick(t: Fraction) -> int:
            return tech._mask(user(t if tech.exact else float(t)))
    else:
        raise ValueError(f"oracle must be 'greedy', 'enumerate' or a callable, got {oracle!r}")

    def answer(t: Fraction) -> tuple[Any, Any, Any]:
        mask = pick(t)
        return mask, reward * as_fraction(tech.values[mask]), -as_fraction(tech.set_costs[mask])

    return answer


def critical_values(
    tech: CombinatorialTechnology,
    method: str = "enumerate",
    oracle: str | Callable[[Any], Any] = "greedy",
) -> CriticalValues:
    r"""Return every critical value of :math:`\alpha` in :math:`(0, 1]` and the optimal share.

    Parameters
    ----------
    tech : CombinatorialTechnology
    method : {"enumerate", "demand"}
        The upper envelope of all :math:`2^n` sets, or the demand-oracle algorithm.
    oracle : {"greedy", "enumerate"} or callable
        The demand oracle of ``method="demand"`` (see the module notes). ``"greedy"`` is correct
        for gross-substitutes :math:`f` only; a float table of a gross-substitutes function may
        fail to be one by rounding (then the oracle contradicts itself and a ``ValueError``
        says so): prefer exact Fractions.

    Returns
    -------
    CriticalValues
        Exact for exact inputs (the envelope of float data is also computed exactly, then
        rounded to floats).

    Examples
    --------
    Two items, :math:`f = 0, 1/2, 1/2, 3/4`, costs 1/8 and 1/4. The sets' lines are
    :math:`0`, :math:`\alpha/2 - 1/8`, :math:`\alpha/2 - 1/4` and :math:`3\alpha/4 - 3/8`:
    {0} overtakes {} at 1/4, {0,1} overtakes {0} at 1; the principal gets
    :math:`(3/4)(1/2) = 3/8` at 1/4:

    >>> from fractions import Fraction as F
    >>> from contracts.combinatorial import CombinatorialTechnology
    >>> tech = CombinatorialTechnology([0, F(1, 2), F(1, 2), F(3, 4)], [F(1, 8), F(1, 4)])
    >>> critical_values(tech)
    CriticalValues: 2 critical values in (0, 1] (enumerate, 4 sets); best alpha = 1/4, principal 3/8
      from alpha  set      f  principal at start
      0           {}       0                   0
      1/4         {0}    1/2                 3/8
      1           {0,1}  3/4                   0
    >>> critical_values(tech, method="demand").breakpoints
    (Fraction(1, 4), Fraction(1, 1))
    """
    if not isinstance(tech, CombinatorialTechnology):
        raise TypeError(f"tech must be a CombinatorialTechnology, got {type(tech).__name__}")
    reward = as_fraction(tech.reward)
    if method == "enumerate":
        size = tech.values.size
        slopes = [reward * as_fraction(v) for v in tech.values]
        intercepts = [-as_fraction(c) for c in tech.set_costs]
        env = upper_envelope(slopes, intercepts, 0, 1)
        breakpoints, masks, queries = env.breakpoints, list(env.lines), size
    elif method == "demand":
        try:
            found = envelope_by_oracle(_oracle_of(tech, oracle), 0, 1)
        except ValueError as err:
            if oracle != "greedy":
                raise
            raise ValueError(
                f"{err}. The greedy demand is exact only for gross-substitutes f; a float "
                "table can miss that by rounding (use exact Fractions), or use "
                "oracle='enumerate' or method='enumerate'"
            ) from err
        breakpoints, masks, queries = found.breakpoints, list(found.keys), found.queries
    else:
        raise ValueError(f"method must be 'enumerate' or 'demand', got {method!r}")
    starts = [Fraction(0), *breakpoints]
    values = [
        (1 - a) * reward * as_fraction(tech.values[m]) for a, m in zip(starts, masks, strict=True)
    ]
    k = max(range(len(values)), key=lambda j: (values[j], -j))
    exact = tech.exact

    def out(x: Fraction) -> Number:
        return x if exact else float(x)

    return CriticalValues(
        breakpoints=tuple(out(b) for b in breakpoints),
        sets=tuple(set_of(m) for m in masks),
        success=tuple(to_python(tech.values[m]) for m in masks),
        values=tuple(out(v) for v in values),
        alpha=out(starts[k]),
        value=out(values[k]),
        method=method,
        queries=queries,
        technology=tech,
    )
