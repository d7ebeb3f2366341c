"""Exact linear algebra on Fractions: an LP vertex made exact, and exact dot products of floats."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np

__all__ = ["exact_dot", "solve_square"]


def solve_square(
    rows: Sequence[Sequence[Fraction]], rhs: Sequence[Fraction]
) -> list[Fraction] | None:
    """Solve a linear system exactly, choosing independent equations from an over-complete list.

    ``rows`` may hold more equations than unknowns (an LP vertex usually has several tight
    constraints); Gaussian elimination with exact pivots keeps the first independent ones.

    Returns
    -------
    list of Fraction or None
        The unique solution, or None if the equations do not determine every unknown or are
        inconsistent.

    Examples
    --------
    >>> F = Fraction
    >>> solve_square([[F(1), F(1)], [F(2), F(2)], [F(1), F(-1)]], [F(3), F(6), F(1)])
    [Fraction(2, 1), Fraction(1, 1)]
    """
    if not rows:
        return None
    n = len(rows[0])
    # augmented matrix, reduced row by row
    pivots: list[tuple[int, list[Fraction]]] = []
    for row, b in zip(rows, rhs, strict=True):
        r = [Fraction(v) for v in row] + [Fraction(b)]
        for pcol, prow in pivots:
            if r[pcol]:
                f = r[pcol]
                r = [x - f * y for x, y in zip(r, prow, strict=True)]
        col = next((j for j in range(n) if r[j]), None)
        if col is None:
            if r[n]:
                return None  # inconsistent
            continue
        inv = 1 / r[col]
        r = [x * inv for x in r]
        pivots = [(c, [x - p[col] * y for x, y in zip(p, r, strict=True)]) for c, p in pivots]
        pivots.append((col, r))
        if len(pivots) == n:
            break
    if len(pivots) < n:
        return None
    solution = [Fraction(0)] * n
    for col, r in pivots:
        solution[col] = r[n]
    return solution


def exact_dot(a: np.ndarray, b: np.ndarray) -> Fraction:
    """Return the exact value of ``a @ b`` for two float64 vectors, as a Fraction.

    Every float is an integer times a power of 2, so the products and their sum are computed in
    Python integers (no rounding). Used to certify a float result against its exact definition.

    Examples
    --------
    >>> exact_dot(np.array([0.1, 0.2]), np.array([1.0, 1.0])) == Fraction(0.1) + Fraction(0.2)
    True
    """
    nonzero = np.flatnonzero((a != 0) & (b != 0))
    if nonzero.size == 0:
        return Fraction(0)
    ma, ea = np.frexp(a[nonzero])
    mb, eb = np.frexp(b[nonzero])
    ia, ib = np.ldexp(ma, 53).astype(np.int64), np.ldexp(mb, 53).astype(np.int64)
    exponents = ea.astype(np.int64) + eb - 106
    low = int(exponents.min())
    total = sum(int(x) * int(z) << int(k - low) for x, z, k in zip(ia, ib, exponents, strict=True))
    return Fraction(total) * Fraction(2) ** low
