"""Exact linear algebra on Fractions, to turn a floating LP vertex into an exact one."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

__all__ = ["solve_square"]


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
