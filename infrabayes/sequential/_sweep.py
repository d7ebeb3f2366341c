r"""Fast repeated interval worst cases for value iteration on large float models.

Value iteration asks Murphy's interval problem for every row at every sweep, each time with new
values. The sort-based solution (:func:`~infrabayes.sequential.murphy.interval_worst`) depends on
the values only through their *order*: with the next states sorted ascending, the poured mass
is :math:`x_k = \min(c_k, b) - \min(c_{k-1}, b)`, where :math:`c` is the cumulative sum of
:math:`u - \ell` in that order and :math:`b = 1 - \sum \ell`. By Abel summation Murphy's value is

.. math::

   \ell \cdot v + \sum_{k < S-1} \min(c_k, b)\,(v_{(k)} - v_{(k+1)})
   + \min(c_{S-1}, b)\, v_{(S-1)},

two matrix-vector products once the table :math:`\min(c, b)` (one row per pair) is known.

The table's column :math:`k` depends only on the *set* of the :math:`k + 1` lowest states. When
the order changes between sweeps, the sets change only at the positions where the running
maximum of the old ranks, read in the new order, differs from the position; only those columns
are recomputed, from the last unchanged column. Early sweeps reorder everything; once the value
order settles, a sweep costs two matrix-vector products. The result is the same as recomputing
from scratch (a test compares them), up to the order of floating-point additions.
"""

from __future__ import annotations

import numpy as np

__all__ = ["IntervalSweeper"]


class IntervalSweeper:
    """Murphy's interval values for fixed bounds and changing next-state values (float64).

    Parameters
    ----------
    lower, upper : ndarray, shape (n, S)
        Float64 bounds that admit a distribution; read, never modified.
    """

    def __init__(self, lower: np.ndarray, upper: np.ndarray) -> None:
        self._lower = lower
        self._gaps = upper - lower
        self._budget = np.maximum(1.0 - lower.sum(axis=1), 0.0)[:, None]
        self._table = np.empty_like(self._gaps)
        self._order: np.ndarray | None = None

    def values(self, values: np.ndarray) -> np.ndarray:
        r"""Return :math:`\min_{p} p \cdot v` per row for next-state values `values`."""
        order = np.argsort(values, kind="stable")
        self._update(order)
        v = values[order]
        weights = np.empty_like(v)
        weights[:-1] = v[:-1] - v[1:]
        weights[-1] = v[-1]
        out: np.ndarray = self._lower @ values + self._table @ weights
        return out

    def kernel(self) -> np.ndarray:
        """Return the minimising distributions (n, S) for the values of the last call."""
        if self._order is None:
            raise RuntimeError("kernel() needs a call of values() first")
        extra = np.diff(self._table, axis=1, prepend=0.0)
        kernel = self._lower.copy()
        kernel[:, self._order] += extra
        return kernel

    def _update(self, order: np.ndarray) -> None:
        table, gaps, budget = self._table, self._gaps, self._budget
        n_s = len(order)
        changed = None
        if self._order is not None:
            rank = np.empty(n_s, dtype=np.int64)
            rank[self._order] = np.arange(n_s)
            same_set = np.maximum.accumulate(rank[order]) == np.arange(n_s)
            changed = np.flatnonzero(~same_set)
        if changed is None or 2 * changed.size > n_s:
            # First call, or most columns changed: recompute the whole table in place.
            np.take(gaps, order, axis=1, out=table)
            np.cumsum(table, axis=1, out=table)
            np.minimum(table, budget, out=table)
        elif changed.size:
            breaks = np.flatnonzero(np.diff(changed) > 1) + 1
            for run in np.split(changed, breaks):
                first, last = int(run[0]), int(run[-1])
                block = np.take(gaps, order[first : last + 1], axis=1)
                np.cumsum(block, axis=1, out=block)
                if first > 0:
                    block += table[:, first - 1 : first]
                np.minimum(block, budget, out=block)
                table[:, first : last + 1] = block
        self._order = order
