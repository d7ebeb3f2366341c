r"""The upper envelope of lines on an interval, exactly: where a maximiser changes.

An agent facing a one-parameter family of contracts :math:`w_\theta` with payments linear in
:math:`\theta` picks the action :math:`i` that maximises :math:`u_i(\theta) = b_i \theta + a_i`
(slope :math:`b_i`, intercept :math:`a_i`). The choice changes only at the *breakpoints* of the
upper envelope :math:`\max_i u_i`, and the principal's favourite among tied actions is, for the
families of this package, the one with the largest slope (the action that responds most to
:math:`\theta`). Two routes find the breakpoints:

* :func:`upper_envelope`: every line is known. Sort by slope, keep the best line of each slope,
  and build the envelope with one pass of a stack (the "convex hull trick"), then clip it to
  :math:`[lo, hi]`: :math:`O(k \log k)` for :math:`k` lines.
* :func:`envelope_by_oracle`: only an oracle is known, which returns a maximising line at a
  given :math:`\theta` (the principal-favoured one: largest slope among the tied). Intersect the
  lines found at the two ends of an interval; ask the oracle there; if it returns a line above
  both, split, else the intersection is a breakpoint. This is the "demand-query" enumeration of
  critical values in combinatorial contracts (Dütting, Feldman and Gal-Tzur 2023); with
  :math:`K` breakpoints it asks at most :math:`2K + 2` queries.

**Exactness.** Every number is turned into an exact ``Fraction`` before any comparison (a float
is a rational number, so this is exact too), so no tolerance decides a breakpoint; callers
convert back to float for float inputs. Internally the slopes and the intercepts are scaled to
integers by the least common multiple of their denominators, so the hull needs integer
arithmetic only.

Examples
--------
Three lines :math:`0`, :math:`2\theta - 1/2` and :math:`3\theta - 1` on :math:`[0, 1]`: the second
overtakes the first at :math:`1/4`, the third overtakes the second at :math:`1/2`:

>>> from fractions import Fraction as F
>>> env = upper_envelope([0, 2, 3], [0, F(-1, 2), -1], 0, 1)
>>> env.breakpoints, env.lines
((Fraction(1, 4), Fraction(1, 2)), (0, 1, 2))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from typing import Any

__all__ = ["Envelope", "OracleEnvelope", "as_fraction", "envelope_by_oracle", "upper_envelope"]


def as_fraction(x: Any) -> Fraction:
    """Return ``x`` (an int, a Fraction, a numpy number or a finite float) as an exact Fraction."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    value = x.item() if hasattr(x, "item") else x
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value} is not a finite number")
    return Fraction(value)


@dataclass(frozen=True)
class Envelope:
    """The upper envelope of lines on :math:`[lo, hi]`.

    Attributes
    ----------
    breakpoints : tuple of Fraction
        The points of :math:`(lo, hi]` where the maximising line changes, ascending.
    lines : tuple of int
        ``len(breakpoints) + 1`` line indices: the maximiser on :math:`[lo, b_1)`,
        :math:`[b_1, b_2)`, ..., :math:`[b_K, hi]`. At a breakpoint the line of the interval it
        opens is chosen (the largest slope among the tied; among identical lines, the lowest
        index).
    """

    breakpoints: tuple[Fraction, ...]
    lines: tuple[int, ...]


def _scaled(values: Sequence[Fraction]) -> tuple[list[int], int]:
    """Return (integers, scale) with ``values[i] == integers[i] / scale``."""
    scale = 1
    for v in values:
        d = v.denominator
        if scale % d:
            scale = scale * d // math.gcd(scale, d)
    return [v.numerator * (scale // v.denominator) for v in values], scale


def upper_envelope(
    slopes: Sequence[Any], intercepts: Sequence[Any], lo: Any, hi: Any | None
) -> Envelope:
    r"""Return the upper envelope of the lines ``slopes[i] * t + intercepts[i]`` on ``[lo, hi]``.

    Parameters
    ----------
    slopes, intercepts : sequences of numbers
        One line per index (ints, Fractions or finite floats; all compared exactly).
    lo : number
        Left end of the interval.
    hi : number or None
        Right end; None for :math:`+\infty`.

    Returns
    -------
    Envelope
        The breakpoints in ``(lo, hi]`` and the maximising line of each interval (ties at a
        breakpoint go to the largest slope, then to the lowest index).

    Examples
    --------
    Identical lines keep the lowest index; a line that only touches the envelope at a point
    (here :math:`t` at :math:`t = 1`, between :math:`1` and :math:`2t - 1`) is not chosen:

    >>> upper_envelope([0, 0, 1, 2], [1, 1, 0, -1], 0, None)
    Envelope(breakpoints=(Fraction(1, 1),), lines=(0, 3))
    """
    if len(slopes) != len(intercepts):
        raise ValueError(f"{len(slopes)} slopes but {len(intercepts)} intercepts")
    if not slopes:
        raise ValueError("the envelope of no lines is undefined: give at least one line")
    b_int, b_scale = _scaled([as_fraction(b) for b in slopes])
    a_int, a_scale = _scaled([as_fraction(a) for a in intercepts])
    lo_f = as_fraction(lo)
    hi_f = None if hi is None else as_fraction(hi)
    if hi_f is not None and hi_f < lo_f:
        raise ValueError(f"the interval is empty: lo = {lo_f} > hi = {hi_f}")
    # ascending slope; within a slope the largest intercept, then the lowest index, comes last
    order = sorted(range(len(b_int)), key=lambda i: (b_int[i], a_int[i], -i))
    best: list[int] = []
    for i in order:
        if best and b_int[best[-1]] == b_int[i]:
            best[-1] = i
        else:
            best.append(i)
    # The envelope over the whole line. Line q is dropped when the next line r overtakes it no
    # later than q overtook p (x(q, r) <= x(p, q)): then q is never strictly above both.
    # With x(p, q) = (a_p - a_q) / (b_q - b_p) in scaled units, cross-multiplied:
    stack: list[int] = []
    for r in best:
        while len(stack) >= 2:
            p, q = stack[-2], stack[-1]
            if (a_int[q] - a_int[r]) * (b_int[q] - b_int[p]) <= (a_int[p] - a_int[q]) * (
                b_int[r] - b_int[q]
            ):
                stack.pop()
            else:
                break
        stack.append(r)
    # breakpoints in real units: x = (a_p - a_q) / a_scale / ((b_q - b_p) / b_scale)
    points = [
        Fraction((a_int[p] - a_int[q]) * b_scale, (b_int[q] - b_int[p]) * a_scale)
        for p, q in pairwise(stack)
    ]
    # clip to [lo, hi]: the line active just right of lo, then the breakpoints in (lo, hi]
    start = sum(1 for x in points if x <= lo_f)
    inside = [x for x in points[start:] if hi_f is None or x <= hi_f]
    lines = stack[start : start + len(inside) + 1]
    return Envelope(breakpoints=tuple(inside), lines=tuple(lines))


#: What an oracle returns at a point: a hashable key naming the maximiser, its slope and its
#: intercept (the line's value at the point is slope * point + intercept).
OracleAnswer = tuple[Any, Any, Any]


@dataclass(frozen=True)
class OracleEnvelope:
    """The upper envelope found by queries to a maximisation oracle.

    Attributes
    ----------
    breakpoints : tuple of Fraction
        The points of :math:`(lo, hi]` where the maximiser's line changes, ascending.
    keys : tuple
        ``len(breakpoints) + 1`` keys returned by the oracle: the maximiser on each interval.
    queries : int
        How many times the oracle was called.
    """

    breakpoints: tuple[Fraction, ...]
    keys: tuple[Any, ...]
    queries: int


def envelope_by_oracle(
    oracle: Callable[[Fraction], OracleAnswer], lo: Any, hi: Any
) -> OracleEnvelope:
    r"""Find the breakpoints of :math:`U(t) = \max_i (b_i t + a_i)` on ``[lo, hi]`` by queries.

    ``oracle(t)`` must return ``(key, slope, intercept)`` of a maximiser at ``t`` whose slope is
    the largest among the maximisers (the right derivative of :math:`U`); ``t`` is passed as a
    ``Fraction``. Invariant of the recursion on :math:`(l, h]`: line ``A`` is the maximiser just
    right of :math:`l` and line ``B`` the oracle's answer at :math:`h`. If they differ, their
    intersection :math:`x` lies in :math:`(l, h]`; the oracle's answer ``C`` at :math:`x` is
    either ``B`` (then :math:`U` is ``A`` on :math:`[l, x]` and ``B`` on :math:`[x, h]`, by
    convexity: :math:`x` is a breakpoint) or a line strictly above both at :math:`x` (split).
    Each query confirms a breakpoint or finds a new line of the envelope, so the oracle is called
    at most :math:`2K + 2` times for :math:`K` breakpoints.

    Examples
    --------
    The oracle of three lines, by enumeration:

    >>> from fractions import Fraction as F
    >>> lines = {"a": (0, 0), "b": (2, F(-1, 2)), "c": (3, -1)}
    >>> def oracle(t):
    ...     key = max(lines, key=lambda k: (lines[k][0] * t + lines[k][1], lines[k][0]))
    ...     return (key, *lines[key])
    >>> env = envelope_by_oracle(oracle, 0, 1)
    >>> env.breakpoints, env.keys, env.queries
    ((Fraction(1, 4), Fraction(1, 2)), ('a', 'b', 'c'), 5)
    """
    lo_f, hi_f = as_fraction(lo), as_fraction(hi)
    if hi_f < lo_f:
        raise ValueError(f"the interval is empty: lo = {lo_f} > hi = {hi_f}")
    calls = 0

    def ask(t: Fraction) -> tuple[Any, Fraction, Fraction]:
        nonlocal calls
        calls += 1
        key, slope, intercept = oracle(t)
        return key, as_fraction(slope), as_fraction(intercept)

    found: list[tuple[Fraction, Any]] = []  # (breakpoint, key of the line it opens)

    def same(p: tuple[Any, Fraction, Fraction], q: tuple[Any, Fraction, Fraction]) -> bool:
        return p[1] == q[1] and p[2] == q[2]

    first, last = ask(lo_f), ask(hi_f)
    # an explicit stack instead of recursion (depth can reach the number of breakpoints)
    todo: list[tuple[tuple[Any, Fraction, Fraction], tuple[Any, Fraction, Fraction]]] = [
        (first, last)
    ]
    while todo:
        A, B = todo.pop()
        if same(A, B):
            continue
        if B[1] <= A[1]:
            raise ValueError(
                "the oracle is inconsistent: the maximiser at the right end of an interval has "
                f"slope {B[1]}, not above {A[1]} at the left end (it must return the maximiser "
                "with the largest slope)"
            )
        x = (A[2] - B[2]) / (B[1] - A[1])
        C = ask(x)
        if same(C, B):
            found.append((x, B[0]))
            continue
        if C[1] * x + C[2] <= B[1] * x + B[2]:
            raise ValueError(
                f"the oracle is inconsistent at {x}: its answer {C[0]!r} is neither the line "
                f"{B[0]!r} that ties there nor above it"
            )
        todo.append((C, B))
        todo.append((A, C))
    found.sort(key=lambda item: item[0])
    return OracleEnvelope(
        breakpoints=tuple(x for x, _ in found),
        keys=(first[0], *(key for _, key in found)),
        queries=calls,
    )
