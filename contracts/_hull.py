"""Lower convex hull of points in the plane, exact (Fractions) or vectorised (float64).

The worst case of a contract is read off the lower convex hull of the points ``(w(y), y - w(y))``
(see :mod:`contracts.worstcase`), so this is the hot path of the package.

* Float input: sort once (stable ``argsort``), keep the lowest point of each abscissa, then
  repeatedly delete, all at once, every point that does not make a strict left turn with its
  current neighbours. A deleted point lies on or above the chord between two input points, so it
  is never a hull vertex, whichever other points are deleted in the same pass. Each pass is one
  vectorised sweep; after ``_MAX_PASSES`` passes the remaining points go through Andrew's
  monotone chain, so the worst case stays O(n log n).
* Exact input: Andrew's monotone chain in Python on Fractions (exact orientation tests).
"""

from __future__ import annotations

import numpy as np

__all__ = ["lower_hull"]

#: Vectorised deletion passes before falling back to the sequential monotone chain.
_MAX_PASSES = 48


def _monotone_chain(idx: np.ndarray, x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Andrew's monotone chain on points already sorted by x with distinct x; returns positions."""
    hull: list[int] = []
    for i in range(len(idx)):
        while len(hull) >= 2:
            a, b = hull[-2], hull[-1]
            cross = (x[b] - x[a]) * (t[i] - t[a]) - (t[b] - t[a]) * (x[i] - x[a])
            if cross > 0:
                break
            hull.pop()
        hull.append(i)
    return np.asarray(hull, dtype=np.intp)


def _lowest_per_abscissa(x: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, ...]:
    """Sort by x and keep, for each distinct x, the first point with the lowest t (vectorised).

    A stable ``argsort`` on x plus a segmented minimum is several times faster than
    ``numpy.lexsort((t, x))`` on a million floats.
    """
    order = np.argsort(x, kind="stable")
    xs, ts = x[order], t[order]
    start = np.ones(xs.size, dtype=bool)
    start[1:] = xs[1:] != xs[:-1]
    if start.all():
        return order, xs, ts
    starts = np.flatnonzero(start)
    group = np.cumsum(start) - 1
    lowest = np.minimum.reduceat(ts, starts)
    at_min = np.flatnonzero(ts == lowest[group])
    first = at_min[np.r_[True, group[at_min[1:]] != group[at_min[:-1]]]]
    return order[first], xs[first], ts[first]


def lower_hull(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Return the indices of the lower convex hull vertices, sorted by increasing ``x``.

    Collinear points on a hull edge are not vertices. Among points with equal ``x`` only one of
    the lowest can be a vertex.

    Parameters
    ----------
    x, t : numpy.ndarray
        Coordinates, both float64 or both object arrays of Fractions, same length >= 1.

    Returns
    -------
    numpy.ndarray
        Indices into ``x``/``t`` of the hull vertices, left to right.

    Examples
    --------
    >>> lower_hull(np.array([0.0, 1.0, 2.0, 3.0]), np.array([0.0, -1.0, 5.0, 0.0])).tolist()
    [0, 1, 3]
    """
    n = x.size
    if x.dtype == object:
        order = np.array(sorted(range(n), key=lambda i: (x[i], t[i])), dtype=np.intp)
        xs, ts = x[order], t[order]
        first = np.ones(n, dtype=bool)
        first[1:] = xs[1:] != xs[:-1]
        idx, xs, ts = order[first], xs[first], ts[first]
        return idx[_monotone_chain(idx, xs, ts)]
    idx, xs, ts = _lowest_per_abscissa(x, t)
    for _ in range(_MAX_PASSES):
        if idx.size <= 2:
            return idx
        cross = (xs[1:-1] - xs[:-2]) * (ts[2:] - ts[:-2]) - (ts[1:-1] - ts[:-2]) * (
            xs[2:] - xs[:-2]
        )
        bad = cross <= 0
        if not bad.any():
            return idx
        keep = np.ones(idx.size, dtype=bool)
        keep[1:-1] = ~bad
        idx, xs, ts = idx[keep], xs[keep], ts[keep]
    keep = _monotone_chain(idx, xs, ts)
    return idx[keep]
