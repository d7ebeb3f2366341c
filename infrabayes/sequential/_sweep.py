r"""Fast repeated interval worst cases for value iteration on large float models.

Value iteration asks Murphy's interval problem for every row at every sweep, each time with new
values. The sort-based solution (:func:`~infrabayes.sequential.murphy.interval_worst`) depends on
the values only through their *order*: with the next states sorted ascending, state :math:`(k)`
gets :math:`\ell_{(k)} + \min(c_k, b) - \min(c_{k-1}, b)`, where :math:`c` is the cumulative sum
of :math:`u - \ell` in that order and :math:`b = 1 - \sum \ell`. With :math:`L` the cumulative
sum of :math:`\ell` in the same order, Abel summation gives Murphy's value as

.. math::

   \sum_{k < S-1} M_k\,(v_{(k)} - v_{(k+1)}) + M_{S-1}\, v_{(S-1)},
   \qquad M_k = \min(c_k, b) + L_k,

one matrix-vector product once the table :math:`M` (one row per pair) is known.

Column :math:`k` of the tables depends only on the *set* of the :math:`k + 1` lowest states.
When the order changes between sweeps, the sets change only at the positions where the running
maximum of the old ranks, read in the new order, differs from the position; only those columns
are recomputed, from the last unchanged column (whose :math:`L` is :math:`M - \min(c, b)`).
Early sweeps reorder everything; once the value order settles, a sweep costs one matrix-vector
product. The result is the same as recomputing from scratch (a test compares them), up to the
order of floating-point additions.
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
        self._poured = np.empty_like(self._gaps)  # min(c, b) in the current order
        self._table = np.empty_like(self._gaps)  # M = min(c, b) + L
        self._order: np.ndarray | None = None

    def values(self, values: np.ndarray) -> np.ndarray:
        r"""Return :math:`\min_{p} p \cdot v` per row for next-state values `values`."""
        order = np.argsort(values, kind="stable")
        self._update(order)
        v = values[order]
        weights = np.empty_like(v)
        weights[:-1] = v[:-1] - v[1:]
        weights[-1] = v[-1]
        out: np.ndarray = self._table @ weights
        return out

    def kernel(self) -> np.ndarray:
        """Return the minimising distributions (n, S) for the values of the last call."""
        if self._order is None:
            raise RuntimeError("kernel() needs a call of values() first")
        extra = np.diff(self._poured, axis=1, prepend=0.0)
        kernel = self._lower.copy()
        kernel[:, self._order] += extra
        return kernel

    def _update(self, order: np.ndarray) -> None:
        n_s = len(order)
        changed = None
        if self._order is not None:
            rank = np.empty(n_s, dtype=np.int64)
            rank[self._order] = np.arange(n_s)
            same_set = np.maximum.accumulate(rank[order]) == np.arange(n_s)
            changed = np.flatnonzero(~same_set)
        if changed is None or 2 * changed.size > n_s:
            self._recompute(order)  # first call, or most columns changed
        elif changed.size:
            breaks = np.flatnonzero(np.diff(changed) > 1) + 1
            for run in np.split(changed, breaks):
                self._recompute_columns(order, int(run[0]), int(run[-1]))
        self._order = order

    def _recompute(self, order: np.ndarray) -> None:
        poured, table = self._poured, self._table
        np.take(self._gaps, order, axis=1, out=poured)
        np.cumsum(poured, axis=1, out=poured)
        np.minimum(poured, self._budget, out=poured)
        np.take(self._lower, order, axis=1, out=table)
        np.cumsum(table, axis=1, out=table)
        table += poured

    def _recompute_columns(self, order: np.ndarray, first: int, last: int) -> None:
        poured, table = self._poured, self._table
        cols = order[first : last + 1]
        gaps = np.take(self._gaps, cols, axis=1)
        np.cumsum(gaps, axis=1, out=gaps)
        low = np.take(self._lower, cols, axis=1)
        np.cumsum(low, axis=1, out=low)
        if first > 0:
            gaps += poured[:, first - 1 : first]
            low += table[:, first - 1 : first] - poured[:, first - 1 : first]
        np.minimum(gaps, self._budget, out=gaps)
        poured[:, first : last + 1] = gaps
        table[:, first : last + 1] = gaps + low
