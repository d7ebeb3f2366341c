r"""The value of a fixed kernel and policy: solve :math:`(I - \gamma P) v = r`, exactly or in float.

For :math:`0 \le \gamma < 1` and a stochastic matrix :math:`P` the matrix :math:`I - \gamma P`
is strictly diagonally dominant, hence invertible. Exact inputs (dtype object) are solved by
Gaussian elimination in ``Fraction`` s; float inputs by :func:`numpy.linalg.solve`.

Examples
--------
>>> from fractions import Fraction as F
>>> import numpy as np
>>> P = np.array([[F(1, 2), F(1, 2)], [0, 1]], dtype=object)
>>> r = np.array([F(1), F(0)], dtype=object)
>>> [str(x) for x in discounted_values(P, r, F(1, 2))]
['4/3', '0']
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from infrabayes._numbers import Number

__all__ = ["discounted_values"]


def discounted_values(kernel: np.ndarray, rewards: np.ndarray, discount: Number) -> np.ndarray:
    r"""Return :math:`v = (I - \gamma P)^{-1} r` for a stochastic matrix ``kernel`` (S, S)."""
    n = len(rewards)
    if kernel.dtype != object:
        return np.linalg.solve(np.eye(n) - discount * kernel, rewards)
    a = [[Fraction(int(i == j)) - discount * kernel[i, j] for j in range(n)] for i in range(n)]
    b = [Fraction(x) for x in rewards]
    for col in range(n):
        pivot = next(r for r in range(col, n) if a[r][col] != 0)
        a[col], a[pivot] = a[pivot], a[col]
        b[col], b[pivot] = b[pivot], b[col]
        inv = 1 / a[col][col]
        for r in range(col + 1, n):
            f = a[r][col] * inv
            if f:
                row_r, row_c = a[r], a[col]
                for c in range(col, n):
                    row_r[c] -= f * row_c[c]
                b[r] -= f * b[col]
    x = [Fraction(0)] * n
    for r in range(n - 1, -1, -1):
        s = b[r] - sum((a[r][c] * x[c] for c in range(r + 1, n)), Fraction(0))
        x[r] = s / a[r][r]
    out = np.empty(n, dtype=object)
    out[:] = x
    return out
