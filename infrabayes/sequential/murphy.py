r"""Murphy's inner problem: the worst next-state distribution in a credal set, exactly.

Definitions
-----------
Given next-state values :math:`v`, Murphy picks :math:`p \in C(s, a)` minimising
:math:`p \cdot v`.

* **Intervals** :math:`\{p : \ell \le p \le u, \sum_j p_j = 1\}` (Nilim and El Ghaoui 2005;
  Iyengar 2005; the "interval value iteration" of Givan, Leach and Dean 2000): sort
  the next states by value, ascending; give each its lower bound; pour the remaining mass
  :math:`1 - \sum_j \ell_j` into the lowest-value states, each up to its upper bound. The
  result is optimal because moving mass from a higher-value state to a lower-value one never
  raises :math:`p \cdot v`. Ties between equal values are broken by state order (any order of
  tied states gives the same value).
* **Vertices** :math:`\operatorname{conv}\{v_1, \dots, v_K\}`: a linear function attains its
  minimum over a polytope at a vertex, so Murphy's value is :math:`\min_k v_k \cdot v`; ties go
  to the first vertex.

Both are exact: with ``Fraction`` arrays the arithmetic is exact, with float64 it is the same
algorithm in floating point. The interval solution is vectorised over the rows:
with ``c`` the cumulative sums of :math:`u - \ell` in sorted order and :math:`b = 1 - \sum
\ell`, the mass poured into the :math:`k`-th lowest state is
:math:`\min(c_k, b) - \min(c_{k-1}, b)`.

The vertices of an interval credal set are the sort-based solutions over all orderings of the
next states (:func:`interval_vertices`, for brute force on small sets).

Examples
--------
>>> from fractions import Fraction as F
>>> import numpy as np
>>> lower = np.array([[F(1, 10), F(1, 5), F(1, 5)]], dtype=object)
>>> upper = np.array([[F(1, 2), F(1, 2), F(1, 2)]], dtype=object)
>>> values = np.array([F(3), F(1), F(2)], dtype=object)
>>> value, kernel = interval_worst(lower, upper, values)
>>> value[0], list(kernel[0])
(Fraction(8, 5), [Fraction(1, 10), Fraction(1, 2), Fraction(2, 5)])
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np

from infrabayes.sequential.model import Model

__all__ = [
    "MAX_VERTEX_ENUMERATION",
    "interval_vertices",
    "interval_worst",
    "sort_order",
    "vertex_worst",
    "worst_case_rows",
]

#: :func:`interval_vertices` refuses sets with more than this many free next states (it tries
#: every ordering of them).
MAX_VERTEX_ENUMERATION = 8


def sort_order(values: np.ndarray) -> np.ndarray:
    """Return the indices that sort `values` ascending, ties in index order (exact or float)."""
    if values.dtype == object:
        return np.array(sorted(range(len(values)), key=values.__getitem__), dtype=np.int64)
    return np.argsort(values, kind="stable")


def _exact(arr: np.ndarray) -> np.ndarray:
    """Return an object array whose entries are all Fractions (numpy may leave ints)."""
    out = np.empty(arr.shape, dtype=object)
    out.reshape(-1)[:] = [Fraction(x) for x in arr.reshape(-1)]
    return out


def interval_worst(
    lower: np.ndarray, upper: np.ndarray, values: np.ndarray, order: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    r"""Return Murphy's value and distribution for each row of interval bounds.

    Parameters
    ----------
    lower, upper : ndarray, shape (n, S)
        Bounds that admit a distribution (as :func:`~infrabayes.sequential.model.build`
        checks).
    values : ndarray, shape (S,)
        The values of the next states.
    order : ndarray of int, optional
        A sorting of `values` (ascending); computed when not given.

    Returns
    -------
    value : ndarray, shape (n,)
        :math:`\min_p p \cdot v` per row.
    kernel : ndarray, shape (n, S)
        The minimising distributions (the sort-based ones).

    Notes
    -----
    A float row whose lower bounds sum to slightly more than 1 (within the input tolerance)
    gets no extra mass, and one whose upper bounds sum to slightly less gets them all: its
    distribution then misses 1 by at most that tolerance.
    """
    exact = lower.dtype == object
    if order is None:
        order = sort_order(values)
    budget = np.maximum(1 - lower.sum(axis=1), 0)[:, None]
    if exact:
        poured = np.cumsum((upper - lower)[:, order], axis=1)
        np.minimum(poured, budget, out=poured)
        kernel = lower.copy()
        kernel[:, order] += np.diff(poured, axis=1, prepend=0)
        kernel = _exact(kernel)
        return kernel @ values, kernel
    # float64: the same steps on two buffers (large models: no other temporary of this size)
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    sorted_kernel = np.take(lower, order, axis=1)
    poured = np.take(upper, order, axis=1)
    poured -= sorted_kernel
    np.cumsum(poured, axis=1, out=poured)
    np.minimum(poured, budget, out=poured)
    sorted_kernel += poured  # lower + min(c_k, b) - min(c_{k-1}, b):
    sorted_kernel[:, 1:] -= poured[:, :-1]
    kernel = np.take(sorted_kernel, inverse, axis=1, out=poured)
    return kernel @ values, kernel


def vertex_worst(vertices: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Return Murphy's value and vertex for each row of vertex lists.

    Parameters
    ----------
    vertices : ndarray, shape (n, K, S)
    values : ndarray, shape (S,)

    Returns
    -------
    value : ndarray, shape (n,)
        :math:`\min_k v_k \cdot v` per row.
    kernel : ndarray, shape (n, S)
        The first minimising vertex of each row.
    """
    scores = vertices @ values
    if scores.size == 0:
        return scores.reshape(len(vertices)), vertices[:, 0, :].copy()
    if vertices.dtype == object:
        best = np.array([min(range(row.size), key=row.__getitem__) for row in scores])
    else:
        best = np.argmin(scores, axis=1)
    rows = np.arange(len(vertices))
    return scores[rows, best], vertices[rows, best].copy()


def worst_case_rows(
    model: Model, values: np.ndarray, rows: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Return Murphy's value and distribution for the flat rows `rows` of a model.

    Parameters
    ----------
    model : Model
    values : ndarray, shape (S,)
        Next-state values, of the model's kind (exact or float).
    rows : ndarray of int, optional
        Flat rows ``s * n_actions + a`` of available pairs; default all of them, ascending.

    Returns
    -------
    value : ndarray, shape (len(rows),)
    kernel : ndarray, shape (len(rows), S)
    """
    if rows is None:
        rows = model.available_rows()
    n_s = model.n_states
    exact = model.exact
    if np.array_equal(rows, model.interval_rows):  # every interval row, none other: no copies
        return interval_worst(model.lower, model.upper, values)
    value = np.empty(len(rows), dtype=object if exact else np.float64)
    kernel = np.empty((len(rows), n_s), dtype=object if exact else np.float64)
    slot = np.full(model.n_states * model.n_actions, -1, dtype=np.int64)
    slot[model.interval_rows] = np.arange(len(model.interval_rows))
    is_i = slot[rows] >= 0
    if is_i.any():
        sel = slot[rows[is_i]]
        v, k = interval_worst(model.lower[sel], model.upper[sel], values)
        value[is_i], kernel[is_i] = v, k
    if (~is_i).any():
        sel = np.searchsorted(model.vertex_rows, rows[~is_i])
        v, k = vertex_worst(model.vertices[sel], values)
        value[~is_i], kernel[~is_i] = v, k
    return value, kernel


def interval_vertices(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    r"""Return the vertices of :math:`\{p : \ell \le p \le u, \sum_j p_j = 1\}`.

    They are the sort-based solutions over all orderings of the next states (each vertex
    minimises some linear function, and the sort-based solution for an ordering consistent with
    that function is a minimiser; conversely each sort-based solution is the unique minimiser of
    a generic function with that order). States with :math:`\ell_j = u_j` are fixed and not
    permuted. Duplicates are removed; the order is that of first appearance over the
    permutations in lexicographic order.

    Raises
    ------
    ValueError
        If more than :data:`MAX_VERTEX_ENUMERATION` states are free.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> lo = np.array([F(1, 4), F(1, 4), 0], dtype=object)
    >>> up = np.array([F(1, 2), F(3, 4), 0], dtype=object)
    >>> [list(map(str, v)) for v in interval_vertices(lo, up)]
    [['1/2', '1/2', '0'], ['1/4', '3/4', '0']]
    """
    free = np.flatnonzero(upper != lower)
    if len(free) > MAX_VERTEX_ENUMERATION:
        raise ValueError(
            f"{len(free)} next states have lower < upper; enumerating the vertices tries every "
            f"ordering of them, refused beyond {MAX_VERTEX_ENUMERATION}"
        )
    found: list[np.ndarray] = []
    seen: set[tuple[object, ...]] = set()
    fixed = np.flatnonzero(upper == lower)
    for perm in itertools.permutations(free.tolist()):
        order = np.array([*perm, *fixed.tolist()], dtype=np.int64)
        _, kernel = interval_worst(lower[None, :], upper[None, :], lower, order=order)
        key = tuple(kernel[0].tolist())
        if key not in seen:
            seen.add(key)
            found.append(kernel[0])
    return np.array(found, dtype=lower.dtype)
