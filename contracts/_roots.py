r"""Exact comparison of Carroll's one-action optima :math:`[(\sqrt{m} - \sqrt{c})_+]^2`.

The optima of exact inputs are usually irrational, so they cannot be compared as Fractions, and
comparing decimal approximations merges values closer than the approximation. Here equality is
decided in the rationals and order by interval arithmetic with as many bits as it takes:

* **equality**: for :math:`m_1 > c_1` and :math:`m_2 > c_2`, :math:`\sqrt{m_1} - \sqrt{c_1} =
  \sqrt{m_2} - \sqrt{c_2}` iff :math:`\sqrt{X} - \sqrt{Y} = D` with :math:`X = 4 m_1 c_2`,
  :math:`Y = 4 m_2 c_1`, :math:`D = m_2 + c_1 - m_1 - c_2` (square both sides of
  :math:`\sqrt{m_1} + \sqrt{c_2} = \sqrt{m_2} + \sqrt{c_1}`). If :math:`D = 0` that is
  :math:`X = Y`; otherwise :math:`\sqrt{Y}` must be the rational :math:`r = (X - Y - D^2)/(2D)`,
  so the test is :math:`r \ge 0`, :math:`r^2 = Y` and :math:`r + D \ge 0`;
* **order** of unequal values: :math:`\sqrt{q}\, 2^k` lies in :math:`[s, s+1)` with
  :math:`s = \lfloor \sqrt{\lfloor q 4^k \rfloor} \rfloor` (``math.isqrt``), which bounds each gap
  :math:`\sqrt{m} - \sqrt{c}` within :math:`2^{1-k}`; :math:`k` doubles until the intervals of
  the two gaps are disjoint, which happens because the gaps differ.
"""

from __future__ import annotations

import decimal
import math
from fractions import Fraction
from functools import total_ordering

__all__ = ["RootGap", "exact_sqrt"]

#: Bits of the first interval comparison (doubled until the two intervals separate).
_FIRST_BITS = 64

#: Significant digits of the decimal evaluation behind ``float(RootGap)``.
_DIGITS = 40


def exact_sqrt(q: Fraction) -> Fraction | None:
    """Return the square root of a non-negative Fraction if it is rational, else None.

    Examples
    --------
    >>> exact_sqrt(Fraction(9, 4)), exact_sqrt(Fraction(2))
    (Fraction(3, 2), None)
    """
    p, r = math.isqrt(q.numerator), math.isqrt(q.denominator)
    if p * p == q.numerator and r * r == q.denominator:
        return Fraction(p, r)
    return None


def _floor_sqrt_scaled(q: Fraction, k: int) -> int:
    r"""Return :math:`s = \lfloor \sqrt{\lfloor q 4^k \rfloor} \rfloor`.

    Then :math:`\sqrt{q}\, 2^k \in [s, s + 1)`.
    """
    return math.isqrt((q.numerator << (2 * k)) // q.denominator)


@total_ordering
class RootGap:
    r"""The number :math:`[(\sqrt{m} - \sqrt{c})_+]^2` for rationals :math:`m, c \ge 0`, compared exactly.

    Examples
    --------
    >>> F = Fraction
    >>> RootGap(F(4), F(1)) == RootGap(F(9), F(4))  # (2 - 1)^2 = (3 - 2)^2
    True
    >>> RootGap(F(2), F(0)) == RootGap(F(8), F(2))  # (sqrt 8 - sqrt 2)^2 = 2
    True
    >>> RootGap(F(2), F(1)) < RootGap(F(2), F(1, 10**60))
    True
    >>> RootGap(F(2), F(1)).value, RootGap(F(9), F(4)).value, RootGap(F(1), F(4)).value
    (None, Fraction(1, 1), Fraction(0, 1))
    >>> float(RootGap(F(2), F(1)))  # 3 - 2 sqrt 2
    0.1715728752538099
    """  # noqa: E501

    __slots__ = ("c", "m")

    def __init__(self, m: Fraction, c: Fraction) -> None:
        self.m, self.c = Fraction(m), Fraction(c)

    @property
    def positive(self) -> bool:
        """True when :math:`m > c` (the gap is positive)."""
        return self.m > self.c

    @property
    def value(self) -> Fraction | None:
        r"""The value as a Fraction when it is rational (:math:`\sqrt{mc}` rational), else None."""
        if not self.positive:
            return Fraction(0)
        root = exact_sqrt(self.m * self.c)
        return None if root is None else self.m + self.c - 2 * root

    def _equal_gaps(self, other: RootGap) -> bool:
        X = 4 * self.m * other.c
        Y = 4 * other.m * self.c
        D = other.m + self.c - self.m - other.c
        if D == 0:
            return X == Y
        r = (X - Y - D * D) / (2 * D)
        return r >= 0 and r * r == Y and r + D >= 0

    def _bounds(self, k: int) -> tuple[int, int]:
        r"""Return integers ``(lo, hi)`` with :math:`lo < (\sqrt{m} - \sqrt{c})\, 2^k < hi`."""
        s = _floor_sqrt_scaled(self.m, k) - _floor_sqrt_scaled(self.c, k)
        return s - 1, s + 1

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RootGap):
            return NotImplemented
        if not (self.positive and other.positive):
            return self.positive == other.positive
        return self._equal_gaps(other)

    def __lt__(self, other: RootGap) -> bool:
        if self == other:
            return False
        if not (self.positive and other.positive):
            return other.positive
        k = _FIRST_BITS
        while True:
            lo1, hi1 = self._bounds(k)
            lo2, hi2 = other._bounds(k)
            if hi1 <= lo2:
                return True
            if hi2 <= lo1:
                return False
            k *= 2

    def __float__(self) -> float:
        r"""Return the value as the nearest float (``inf`` beyond the float range).

        Computed as :math:`((m - c) / (\sqrt{m} + \sqrt{c}))^2` in 40-digit decimals: no
        cancellation, so the relative error is about :math:`10^{-39}` before the final rounding.
        """
        if not self.positive:
            return 0.0
        with decimal.localcontext() as ctx:
            ctx.prec = _DIGITS

            def dec(q: Fraction) -> decimal.Decimal:
                return decimal.Decimal(q.numerator) / decimal.Decimal(q.denominator)

            return float((dec(self.m - self.c) / (dec(self.m).sqrt() + dec(self.c).sqrt())) ** 2)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RootGap(m={self.m}, c={self.c})"
