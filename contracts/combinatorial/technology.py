r"""A combinatorial technology: the agent picks a *set* of actions (Dütting et al., FOCS 2021).

The agent has :math:`n` actions (items) :math:`0, \dots, n-1`. Taking a set :math:`S` costs
:math:`c(S) = \sum_{i \in S} c_i` and makes the project succeed with probability :math:`f(S)`,
with :math:`f` monotone (:math:`S \subseteq T \Rightarrow f(S) \le f(T)`) and :math:`f(\emptyset)`
possibly positive. Success is worth the reward :math:`R` to the principal (1 unless stated); a
linear contract pays the agent :math:`\alpha R` on success, so the agent gets
:math:`\alpha R f(S) - c(S)` and the principal :math:`(1 - \alpha) R f(S)`.

Everything here enumerates the :math:`2^n` sets, so :math:`n` is capped at :data:`MAX_ITEMS`.
:math:`f` is stored as a table indexed by bitmask: set :math:`S` is the mask
:math:`\sum_{i \in S} 2^i`.

Examples
--------
>>> from fractions import Fraction as F
>>> tech = CombinatorialTechnology({frozenset(): 0, frozenset({0}): F(1, 2),
...                                 frozenset({1}): F(1, 2), frozenset({0, 1}): F(3, 4)},
...                                [F(1, 8), F(1, 4)])
>>> tech
CombinatorialTechnology: 2 items, reward 1
  set     f  cost
  {}      0     0
  {0}   1/2   1/8
  {1}   1/2   1/4
  {0,1} 3/4   3/8
>>> tech.value(frozenset({0, 1}))
Fraction(3, 4)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from .._numbers import Number, as_float, as_scalar, as_vector, fmt, frozen, table, to_python

__all__ = ["MAX_ITEMS", "CombinatorialTechnology", "mask_of", "set_of"]

#: The largest number of items: everything enumerates the 2^n sets.
MAX_ITEMS = 16

#: Technologies with more sets than this are summarised, not tabulated, in ``repr``.
_MAX_ROWS = 16


def set_of(mask: int) -> frozenset[int]:
    """Return the set of items of a bitmask (item ``i`` is bit ``2**i``)."""
    return frozenset(i for i in range(mask.bit_length()) if mask >> i & 1)


def mask_of(items: Iterable[int]) -> int:
    """Return the bitmask of a set of items."""
    mask = 0
    for i in items:
        mask |= 1 << int(i)
    return mask


def _fmt_set(mask: int) -> str:
    return "{" + ",".join(str(i) for i in sorted(set_of(mask))) + "}"


def _table_from(f: Any, n: int) -> list[Any]:
    size = 1 << n
    if callable(f):
        values = []
        for mask in range(size):
            try:
                values.append(f(set_of(mask)))
            except Exception as err:
                raise ValueError(f"f raised on the set {_fmt_set(mask)}: {err}") from err
        return values
    if isinstance(f, Mapping):
        lookup: dict[frozenset[int], Any] = {}
        for key, value in f.items():
            s = frozenset(key)
            bad = [i for i in s if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < n]
            if bad:
                raise ValueError(
                    f"f has the set {sorted(s, key=str)} with item {bad[0]!r}; items are the "
                    f"integers 0..{n - 1} (one per cost)"
                )
            lookup[s] = value
        missing = [m for m in range(size) if set_of(m) not in lookup]
        if missing:
            raise ValueError(
                f"f gives no value for the set {_fmt_set(missing[0])} ({len(missing)} of the "
                f"{size} sets of {n} items are missing); give every set, or a callable"
            )
        return [lookup[set_of(m)] for m in range(size)]
    values = list(np.asarray(f, dtype=object).reshape(-1)) if not isinstance(f, list) else f
    if len(values) != size:
        raise ValueError(
            f"f has {len(values)} entries but {n} items have {size} sets (index f by bitmask)"
        )
    return values


@dataclass(frozen=True, eq=False, init=False)
class CombinatorialTechnology:
    """A success probability on sets of actions, with additive costs.

    Parameters
    ----------
    f : mapping, array_like or callable
        The success probability of every set: a dict from (frozen)sets of items to numbers, an
        array of length :math:`2^n` indexed by bitmask, or a callable on frozensets (called once
        per set). Each value must be finite and in :math:`[0, 1]`, and :math:`f` monotone.
    costs : array_like
        One cost per item, each finite and ``>= 0``; :math:`n` is their number
        (``1 <= n <=`` :data:`MAX_ITEMS`).
    reward : number, optional
        The principal's value of success (default 1), ``> 0``.

    Attributes
    ----------
    values : numpy.ndarray
        Read-only :math:`f` indexed by bitmask (Fractions for exact inputs, float64 otherwise).
    costs : numpy.ndarray
        Read-only item costs.
    set_costs : numpy.ndarray
        Read-only :math:`c(S)` indexed by bitmask.
    exact : bool
        True when :math:`f`, the costs and the reward are all exact.
    """

    values: np.ndarray
    costs: np.ndarray
    set_costs: np.ndarray = field(repr=False)
    reward: Number = Fraction(1)
    exact: bool = field(default=True, repr=False)

    def __init__(
        self,
        f: Mapping[Any, Any] | Sequence[Any] | np.ndarray | Callable[[frozenset[int]], Any],
        costs: Any,
        reward: Any = 1,
    ) -> None:
        c = as_vector(costs, "costs")
        n = c.size
        if n == 0:
            raise ValueError("costs is empty: give one cost per action (item)")
        if n > MAX_ITEMS:
            raise ValueError(
                f"{n} items have 2^{n} sets; everything here enumerates them, so at most "
                f"{MAX_ITEMS} items are accepted"
            )
        neg = np.flatnonzero(as_float(c) < 0)
        if neg.size:
            i = int(neg[0])
            raise ValueError(f"costs[{i}] = {fmt(c[i])} is negative; costs must be >= 0")
        r = as_scalar(reward, "reward")
        if r <= 0:
            raise ValueError(f"reward = {fmt(r)} must be positive")
        raw = _table_from(f, n)
        try:
            v = as_vector(raw, "f")
        except (TypeError, ValueError) as err:
            raise type(err)(f"{err} (entries indexed by bitmask)") from err
        fv = as_float(v)
        bad = np.flatnonzero((fv < 0) | (fv > 1))
        if bad.size:
            m = int(bad[0])
            raise ValueError(
                f"f({_fmt_set(m)}) = {fmt(v[m])} is not a probability (it must lie in [0, 1])"
            )
        exact = v.dtype == object and c.dtype == object and isinstance(r, Fraction)
        if not exact:
            v, c = frozen(fv.copy()) if v.dtype == object else v, frozen(as_float(c).copy())
            r = float(r)
        _check_monotone(v, n)
        set_costs = np.empty(1 << n, dtype=object if exact else np.float64)
        set_costs[0] = Fraction(0) if exact else 0.0
        for mask in range(1, 1 << n):
            low = mask & -mask
            set_costs[mask] = set_costs[mask ^ low] + c[low.bit_length() - 1]
        object.__setattr__(self, "values", v)
        object.__setattr__(self, "costs", c)
        object.__setattr__(self, "set_costs", frozen(set_costs))
        object.__setattr__(self, "reward", r)
        object.__setattr__(self, "exact", exact)

    @property
    def n(self) -> int:
        """The number of items."""
        return int(self.costs.size)

    def value(self, items: Iterable[int]) -> Number:
        """Return :math:`f(S)` for a set of items."""
        return to_python(self.values[self._mask(items)])

    def cost(self, items: Iterable[int]) -> Number:
        """Return :math:`c(S)` for a set of items."""
        return to_python(self.set_costs[self._mask(items)])

    def _mask(self, items: Iterable[int]) -> int:
        s = list(items)
        bad = [i for i in s if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < self.n]
        if bad:
            raise ValueError(f"item {bad[0]!r} is not one of 0..{self.n - 1}")
        return mask_of(s)

    def __repr__(self) -> str:
        n = self.n
        head = f"CombinatorialTechnology: {n} item{'s' * (n != 1)}, reward {fmt(self.reward)}"
        if (1 << n) > _MAX_ROWS:
            full = (1 << n) - 1
            return (
                f"{head}\n  f(empty) = {fmt(self.values[0])}, f(all) = {fmt(self.values[full])}"
                f", costs {fmt(self.costs.min())}..{fmt(self.costs.max())}"
            )
        rows = [["set", "f", "cost"]]
        rows += [[_fmt_set(m), fmt(self.values[m]), fmt(self.set_costs[m])] for m in range(1 << n)]
        return "\n".join([head, *table(rows)])


def _check_monotone(values: np.ndarray, n: int) -> None:
    """Raise if adding an item ever lowers f (the first violation, by set and item)."""
    masks = np.arange(1 << n)
    fv = values
    for i in range(n):
        bit = 1 << i
        without = masks[(masks & bit) == 0]
        drops = np.flatnonzero(fv[without] > fv[without | bit])
        if drops.size:
            m = int(without[drops[0]])
            raise ValueError(
                f"f is not monotone: f({_fmt_set(m | bit)}) = {fmt(fv[m | bit])} < "
                f"f({_fmt_set(m)}) = {fmt(fv[m])} (adding an action never lowers the success "
                "probability)"
            )
