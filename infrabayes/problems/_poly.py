r"""Exact polynomials in probabilities, and their maximum over a product of simplices.

A behavioural policy gives every information set a distribution over its actions, so it is a
point of a product of simplices :math:`\Delta_1 \times \dots \times \Delta_k`; the expected
utility of a tree problem is a polynomial in those probabilities (:mod:`infrabayes.problems.mixed`
builds it). This module is the algebra under that, on ``Fraction`` coefficients only (a float
problem's numbers are converted exactly, so no rounding enters until the caller converts back).

:func:`maximin` returns :math:`\max_x \min_k f_k(x)` over the product of simplices, with the
method and its guarantee:

``"critical points on every face"`` (one polynomial of total degree at most 2; exact)
    Every face of the product (a support for every simplex) is visited; on its relative interior
    the gradient of the restriction vanishes at a maximiser, a *linear* system for a quadratic.
    The maximum is attained at a vertex or at the unique solution of a nonsingular system: if the
    system of the face of a maximiser is singular, the quadratic is constant on the affine set of
    critical points, whose intersection with the closed face is a polytope of positive dimension,
    so a vertex of it (on a smaller face) is a maximiser too; repeat until the face is a vertex
    or the system is nonsingular. So the maximum over the candidates is the exact maximum.
``"vertices of the linear program"`` (several polynomials, all of degree at most 1; exact)
    :math:`\max t` subject to :math:`t \le f_k(x)` is a linear program; an optimal vertex lies in
    the relative interior of a face :math:`F` where :math:`\dim F + 1` of the :math:`f_k` are
    equal to :math:`t` and independent, so every face and every such subset is solved.
``"critical points of one variable"`` (one polynomial of one free probability; exact)
    The ends and the real roots of the derivative (:func:`roots_in`); exact when they are
    rational, else within :math:`L \cdot 2^{-60}` (reported as ``bound``).
``"grid"`` (anything else; certified bound)
    The grid of points whose coordinates are multiples of :math:`1/m`. Every point of a simplex
    with :math:`n` vertices is within total variation :math:`\lfloor n/2 \rfloor / m` of a grid
    point, and the caller passes a Lipschitz constant :math:`L` in total variation (for an
    expected utility: the largest number of random draws on one path, by a coupling argument).
    The grid maximum :math:`g`, evaluated exactly at the chosen point, is within
    :math:`L \lfloor n/2 \rfloor / m` (plus twice the float preselection allowance
    :data:`GRID_SLACK` times the scale) of the true maximum. A local pattern search from the
    best grid point then raises the value (evaluated exactly at a rational point); ``bound`` is
    the certified ceiling minus that value.

Univariate equations are solved exactly where their roots are rational (:func:`roots_in`:
Sturm isolation, then the one candidate denominator that can be a root); other roots come back as
floats with an isolating interval of width below :math:`2^{-60}`.

Examples
--------
The absent-minded driver's planning problem, :math:`4p - 3p^2` with :math:`p` the probability of
continuing (variable 0) and variable 1 the probability of exiting:

>>> from fractions import Fraction as F
>>> p, e = Poly.var(0), Poly.var(1)
>>> eu = p * e * 4 + p * p
>>> best = maximin([eu], [(0, 1)])
>>> best.value, best.points, best.method
(Fraction(4, 3), ({0: Fraction(2, 3), 1: Fraction(1, 3)},), 'critical points on every face')
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TypeVar

import numpy as np

from infrabayes.limits import Progress

T = TypeVar("T")

__all__ = [
    "GRID_POINTS",
    "GRID_SLACK",
    "MAX_FACES",
    "Maximum",
    "Poly",
    "counted",
    "faces",
    "maximin",
    "roots_in",
    "solve_linear",
]

Monomial = tuple[tuple[int, int], ...]

#: The exact methods visit at most this many (face, subset) systems; beyond, the grid is used.
MAX_FACES = 20_000
#: The grid holds at most this many points (its step 1/m is the finest that fits).
GRID_POINTS = 50_000
#: The grid preselects its best points in float64: every point within this relative distance of
#: the float maximum is re-evaluated exactly, and the bound grows by this times the value scale.
GRID_SLACK = Fraction(1, 10**9)
#: ... at most this many of them (the best in float64 first).
_GRID_EXACT = 64


class Poly:
    """A polynomial with ``Fraction`` coefficients in integer-numbered variables (immutable)."""

    __slots__ = ("terms",)

    def __init__(self, terms: Mapping[Monomial, Fraction] | None = None) -> None:
        self.terms: dict[Monomial, Fraction] = {m: c for m, c in (terms or {}).items() if c != 0}

    @classmethod
    def const(cls, c: Any) -> Poly:
        return cls({(): Fraction(c)})

    @classmethod
    def var(cls, v: int) -> Poly:
        return cls({((v, 1),): Fraction(1)})

    def __add__(self, other: Poly | Any) -> Poly:
        o = other if isinstance(other, Poly) else Poly.const(other)
        out = dict(self.terms)
        for m, c in o.terms.items():
            out[m] = out.get(m, Fraction(0)) + c
        return Poly(out)

    __radd__ = __add__

    def __neg__(self) -> Poly:
        return Poly({m: -c for m, c in self.terms.items()})

    def __sub__(self, other: Poly | Any) -> Poly:
        o = other if isinstance(other, Poly) else Poly.const(other)
        return self + (-o)

    def __rsub__(self, other: Any) -> Poly:
        return Poly.const(other) - self

    def __mul__(self, other: Poly | Any) -> Poly:
        if not isinstance(other, Poly):
            k = Fraction(other)
            return Poly({m: c * k for m, c in self.terms.items()})
        out: dict[Monomial, Fraction] = {}
        for m1, c1 in self.terms.items():
            for m2, c2 in other.terms.items():
                m = _times(m1, m2)
                out[m] = out.get(m, Fraction(0)) + c1 * c2
        return Poly(out)

    __rmul__ = __mul__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Poly) and self.terms == other.terms

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        if not self.terms:
            return "Poly(0)"
        parts = []
        for m, c in sorted(self.terms.items()):
            mono = "*".join(f"x{v}" + (f"^{e}" if e > 1 else "") for v, e in m)
            parts.append(f"{c}" + (f"*{mono}" if mono else ""))
        return f"Poly({' + '.join(parts)})"

    def degree(self) -> int:
        return max((sum(e for _, e in m) for m in self.terms), default=0)

    def variables(self) -> set[int]:
        return {v for m in self.terms for v, _ in m}

    def is_zero(self) -> bool:
        return not self.terms

    def evaluate(self, point: Mapping[int, Fraction]) -> Fraction:
        """Return the value at `point` (every variable of the polynomial must be given)."""
        total = Fraction(0)
        for m, c in self.terms.items():
            term = c
            for v, e in m:
                term *= point[v] ** e
            total += term
        return total

    def substitute(self, values: Mapping[int, Poly]) -> Poly:
        """Replace the variables in `values` by polynomials (others stay)."""
        out = Poly()
        powers: dict[tuple[int, int], Poly] = {}
        for m, c in self.terms.items():
            term = Poly.const(c)
            for v, e in m:
                if v in values:
                    key = (v, e)
                    if key not in powers:
                        p = Poly.const(1)
                        for _ in range(e):
                            p = p * values[v]
                        powers[key] = p
                    term = term * powers[key]
                else:
                    term = term * Poly({((v, e),): Fraction(1)})
            out = out + term
        return out

    def derivative(self, v: int) -> Poly:
        out: dict[Monomial, Fraction] = {}
        for m, c in self.terms.items():
            for k, (w, e) in enumerate(m):
                if w == v:
                    rest = m[:k] + (((w, e - 1),) if e > 1 else ()) + m[k + 1 :]
                    out[rest] = out.get(rest, Fraction(0)) + c * e
        return Poly(out)

    def linear_parts(self, unknowns: Sequence[int]) -> tuple[list[Fraction], Fraction]:
        """Return the coefficients of `unknowns` and the constant of a polynomial of degree <= 1."""
        index = {v: j for j, v in enumerate(unknowns)}
        row = [Fraction(0)] * len(unknowns)
        const = Fraction(0)
        for m, c in self.terms.items():
            if not m:
                const += c
            else:
                ((v, _),) = m
                row[index[v]] += c
        return row, const

    def univariate(self, v: int) -> list[Fraction]:
        """Return the coefficients (constant first) of a polynomial in the one variable `v`."""
        coefs = [Fraction(0)] * (self.degree() + 1)
        for m, c in self.terms.items():
            e = m[0][1] if m else 0
            if m and m[0][0] != v:
                raise ValueError("not a polynomial in one variable")
            coefs[e] += c
        return coefs


def _times(m1: Monomial, m2: Monomial) -> Monomial:
    if not m1:
        return m2
    if not m2:
        return m1
    powers = dict(m1)
    for v, e in m2:
        powers[v] = powers.get(v, 0) + e
    return tuple(sorted(powers.items()))


# -- linear algebra and univariate roots -------------------------------------------------------


def solve_linear(
    rows: Sequence[Sequence[Fraction]], rhs: Sequence[Fraction], free_value: Sequence[Fraction]
) -> tuple[list[Fraction] | None, bool]:
    """Solve ``rows @ x = rhs`` exactly by Gaussian elimination.

    Returns ``(x, unique)``: ``(None, False)`` when inconsistent; when singular, the solution with
    each non-pivot unknown ``j`` set to ``free_value[j]`` and ``unique`` False.
    """
    n = len(free_value)
    a = [[*r, b] for r, b in zip(rows, rhs, strict=True)]
    pivots: list[int] = []
    r = 0
    for col in range(n):
        pick = next((i for i in range(r, len(a)) if a[i][col] != 0), None)
        if pick is None:
            continue
        a[r], a[pick] = a[pick], a[r]
        inv = 1 / a[r][col]
        a[r] = [x * inv for x in a[r]]
        for i in range(len(a)):
            if i != r and a[i][col] != 0:
                f = a[i][col]
                a[i] = [x - f * y for x, y in zip(a[i], a[r], strict=True)]
        pivots.append(col)
        r += 1
    if any(all(x == 0 for x in row[:n]) and row[n] != 0 for row in a[r:]):
        return None, False
    x = [Fraction(v) for v in free_value]
    # Back-substitution in reduced row echelon form: each pivot row involves only free unknowns.
    for i, col in enumerate(pivots):
        x[col] = a[i][n] - sum((a[i][j] * x[j] for j in range(n) if j not in pivots), Fraction(0))
    return x, len(pivots) == n


def _peval(coefs: Sequence[Fraction], x: Fraction) -> Fraction:
    total = Fraction(0)
    for c in reversed(coefs):
        total = total * x + c
    return total


def _trim(coefs: list[Fraction]) -> list[Fraction]:
    while len(coefs) > 1 and coefs[-1] == 0:
        coefs.pop()
    return coefs or [Fraction(0)]


def _divmod(a: Sequence[Fraction], b: Sequence[Fraction]) -> tuple[list[Fraction], list[Fraction]]:
    """Return the quotient and remainder of polynomial division (coefficients constant first)."""
    r = list(a)
    q = [Fraction(0)] * max(len(a) - len(b) + 1, 1)
    while len(r) >= len(b) and any(r):
        f = r[-1] / b[-1]
        shift = len(r) - len(b)
        q[shift] = f
        for k, c in enumerate(b):
            r[shift + k] -= f * c
        r.pop()
    return _trim(q), _trim(r)


def _is_zero(p: Sequence[Fraction]) -> bool:
    return all(c == 0 for c in p)


def _sturm(p: list[Fraction]) -> list[list[Fraction]]:
    seq = [p, _trim([Fraction(k) * c for k, c in enumerate(p)][1:])]
    while len(seq[-1]) > 1:
        _, r = _divmod(seq[-2], seq[-1])
        if _is_zero(r):
            break
        seq.append([-c for c in r])
    return seq


def _sign_changes(seq: Sequence[list[Fraction]], x: Fraction) -> int:
    signs = [s for s in (_peval(p, x) for p in seq) if s != 0]
    return sum(1 for u, w in itertools.pairwise(signs) if (u > 0) != (w > 0))


def roots_in(coefs: Sequence[Fraction], lo: Fraction, hi: Fraction) -> list[tuple[Fraction, bool]]:
    """Return the distinct real roots in the open interval (lo, hi) of a nonzero polynomial.

    `coefs` are exact, constant first. Each root is ``(value, exact)``: an exact ``Fraction``
    when the root is rational, else the midpoint of an isolating interval narrower than
    :math:`2^{-60}` (``exact`` False). A rational root ``u/v`` has ``v`` dividing the leading
    coefficient ``L`` of the integer polynomial, so once its interval is narrower than
    :math:`1/L^2` the nearest fraction of denominator at most ``L`` is the only candidate.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> roots_in([F(-4), F(9)], F(0), F(1))  # 9x - 4
    [(Fraction(4, 9), True)]
    >>> [(float(r), e) for r, e in roots_in([F(-2), F(0), F(1)], F(0), F(2))]  # x^2 - 2
    [(1.4142135623730951, False)]
    """
    p = _trim([Fraction(c) for c in coefs])
    if len(p) == 1:
        if p[0] == 0:
            raise ValueError("the zero polynomial has every number as a root")
        return []
    d = _trim([Fraction(k) * c for k, c in enumerate(p)][1:])
    g, h = p, d
    while not _is_zero(h):
        g, h = h, _divmod(g, h)[1]
    if len(g) > 1:  # keep the square-free part p / gcd(p, p')
        p = _divmod(p, g)[0]
    found: list[tuple[Fraction, bool]] = []
    while True:
        for end in (lo, hi):
            while len(p) > 1 and _peval(p, end) == 0:
                p = _divmod(p, [-end, Fraction(1)])[0]
        if len(p) == 1:
            break
        seq = _sturm(p)
        stack, isolated, hit = [(lo, hi)], [], None
        while stack and hit is None:
            a, b = stack.pop()
            n = _sign_changes(seq, a) - _sign_changes(seq, b)
            if n == 1:
                isolated.append((a, b))
            elif n > 1:
                mid = (a + b) / 2
                if _peval(p, mid) == 0:
                    hit = mid
                stack += [(a, mid), (mid, b)]
        if hit is not None:  # an exact root met by bisection: divide it out and start again
            found.append((hit, True))
            p = _divmod(p, [-hit, Fraction(1)])[0]
            continue
        scale = math.lcm(*(c.denominator for c in p))
        lead = max(abs(int(p[-1] * scale)), 1)
        width = min(Fraction(1, 4 * lead * lead), Fraction(1, 2**60))
        for a, b in isolated:
            sa = _peval(p, a)
            exact = None
            while b - a > width:
                mid = (a + b) / 2
                sm = _peval(p, mid)
                if sm == 0:
                    exact = mid
                    break
                if (sm > 0) == (sa > 0):
                    a, sa = mid, sm
                else:
                    b = mid
            if exact is None:
                guess = ((a + b) / 2).limit_denominator(lead)
                if a < guess < b and _peval(p, guess) == 0:
                    exact = guess
            found.append((exact, True) if exact is not None else ((a + b) / 2, False))
        break
    return sorted(found)


# -- the maximum over a product of simplices ---------------------------------------------------


@dataclass(frozen=True)
class Maximum:
    """The result of :func:`maximin`.

    ``value`` is attained at every point of ``points`` (exactly); the true maximum lies in
    ``[value, value + bound]`` (``bound`` is 0 for the exact methods).
    """

    value: Fraction
    points: tuple[dict[int, Fraction], ...]
    method: str
    bound: Fraction


def faces(blocks: Sequence[Sequence[int]]) -> Iterable[tuple[tuple[int, ...], ...]]:
    """Yield every face of the product of simplices: a nonempty support in every block."""
    options = [
        [s for r in range(1, len(b) + 1) for s in itertools.combinations(b, r)] for b in blocks
    ]
    return itertools.product(*options)


def counted(items: Iterable[T], total: int, progress: Progress | None) -> Iterator[T]:
    """Yield `items`, calling ``progress(done, total)`` once each item has been dealt with.

    The call for an item comes when the loop asks for the next one (or ends), so an item whose
    loop body ends in ``continue`` is counted too.
    """
    for done, item in enumerate(items, start=1):
        yield item
        if progress is not None:
            progress(done, total)


def _count_faces(blocks: Sequence[Sequence[int]]) -> int:
    return math.prod(2 ** len(b) - 1 for b in blocks)


def face_map(
    blocks: Sequence[Sequence[int]], face: Sequence[Sequence[int]]
) -> tuple[dict[int, Poly], list[int]]:
    """Return the substitution onto a face and its free variables.

    On the support ``(v1, ..., vk)`` of a block, ``v1 .. v(k-1)`` stay free and ``vk`` becomes
    ``1 - v1 - ... - v(k-1)``; the variables off the support become 0.
    """
    sub: dict[int, Poly] = {}
    free: list[int] = []
    for block, support in zip(blocks, face, strict=True):
        for v in block:
            if v not in support:
                sub[v] = Poly()
        free += list(support[:-1])
        last = Poly.const(1)
        for v in support[:-1]:
            last = last - Poly.var(v)
        sub[support[-1]] = last
    return sub, free


def complete(
    blocks: Sequence[Sequence[int]], face: Sequence[Sequence[int]], free: Mapping[int, Fraction]
) -> dict[int, Fraction] | None:
    """Return the full point of a face from its free values (None unless all support > 0)."""
    point: dict[int, Fraction] = {}
    for block, support in zip(blocks, face, strict=True):
        for v in block:
            point[v] = Fraction(0)
        rest = Fraction(1)
        for v in support[:-1]:
            point[v] = free[v]
            rest -= free[v]
        point[support[-1]] = rest
        if any(point[v] <= 0 for v in support):
            return None
    return point


def barycentre(
    blocks: Sequence[Sequence[int]], face: Sequence[Sequence[int]]
) -> dict[int, Fraction]:
    """Return the centre of a face: each support uniform, 0 off it."""
    out = {v: Fraction(0) for b in blocks for v in b}
    out.update({v: Fraction(1, len(s)) for s in face for v in s})
    return out


def maximin(
    polys: Sequence[Poly],
    blocks: Sequence[Sequence[int]],
    *,
    lipschitz: Fraction | None = None,
    method: str = "auto",
    grid_points: int = GRID_POINTS,
    progress: Progress | None = None,
) -> Maximum:
    r"""Return :math:`\max_x \min_k f_k(x)` over the product of the simplices `blocks`.

    Parameters
    ----------
    polys : sequence of Poly
        Nonempty; their variables must lie in the blocks.
    blocks : sequence of sequences of int
        The variables of each simplex (nonnegative, summing to 1).
    lipschitz : Fraction, optional
        A bound on :math:`|f(x) - f(y)|` per unit of total variation (the largest over the
        blocks); for the grid. Default: the sum of degree times absolute coefficient.
    method : {"auto", "exact", "grid"}
        ``"auto"``: exact when the degrees allow it and the faces fit in :data:`MAX_FACES`.
    grid_points : int, default GRID_POINTS
        The most points of the grid.
    progress : callable, optional
        Called as ``progress(done, total)``: once per face by the exact methods that enumerate
        the faces, else once (one variable, and the grid: one vectorised pass and its
        refinement).

    Returns
    -------
    Maximum
    """
    if not polys:
        raise ValueError("maximin needs at least one polynomial")
    deg = max(p.degree() for p in polys)
    n_faces = _count_faces(blocks)
    quadratic = len(polys) == 1 and deg <= 2 and n_faces <= MAX_FACES
    linear = deg <= 1 and _linear_work(len(polys), blocks) <= MAX_FACES
    if method == "exact" and not (quadratic or linear):
        raise ValueError(
            f"no exact method: {len(polys)} functions of degree {deg} on {n_faces} faces (exact "
            "for one polynomial of degree <= 2, or several of degree <= 1, within MAX_FACES)"
        )
    if method != "grid" and (quadratic or (linear and len(polys) > 1)):
        if quadratic:
            return _quadratic(polys[0], blocks, progress)
        return _linear(polys, blocks, progress)
    sizes = sorted(len(b) for b in blocks)
    if (
        method != "grid"
        and len(polys) == 1
        and sizes
        and sizes[-1] == 2
        and sizes[:-1] == [1] * (len(sizes) - 1)
    ):
        best = _one_variable(polys[0], blocks)
    else:
        if lipschitz is None:
            lipschitz = max(
                sum((abs(c) * sum(e for _, e in m) for m, c in p.terms.items()), Fraction(0))
                for p in polys
            )
        best = _grid(polys, blocks, lipschitz, grid_points)
    if progress is not None:
        progress(1, 1)
    return best


def _quadratic(f: Poly, blocks: Sequence[Sequence[int]], progress: Progress | None) -> Maximum:
    best: Fraction | None = None
    points: list[dict[int, Fraction]] = []
    for face in counted(faces(blocks), _count_faces(blocks), progress):
        sub, free = face_map(blocks, face)
        g = f.substitute(sub)
        if free:
            rows, rhs = [], []
            for v in free:
                row, const = g.derivative(v).linear_parts(free)
                rows.append(row)
                rhs.append(-const)
            x, unique = solve_linear(rows, rhs, [Fraction(0)] * len(free))
            if x is None or not unique:
                continue
            point = complete(blocks, face, dict(zip(free, x, strict=True)))
        else:
            point = complete(blocks, face, {})
        if point is None:
            continue
        value = f.evaluate(point)
        if best is None or value > best:
            best, points = value, [point]
        elif value == best:
            points.append(point)
    assert best is not None  # the vertices are always candidates
    return Maximum(best, tuple(points), "critical points on every face", Fraction(0))


def _one_variable(f: Poly, blocks: Sequence[Sequence[int]]) -> Maximum:
    """Return the maximum of a polynomial in one free probability: ends and roots of f'."""
    point: dict[int, Fraction] = {}
    pair: Sequence[int] = ()
    for b in blocks:
        if len(b) == 1:
            point[b[0]] = Fraction(1)
        else:
            pair = b
    x, y = pair
    g = f.substitute({**{v: Poly.const(p) for v, p in point.items()}, y: 1 - Poly.var(x)})
    coefs = g.univariate(x) if g.degree() > 0 else [g.evaluate({})]
    derivative = [k * c for k, c in enumerate(coefs)][1:]
    candidates = [(Fraction(0), True), (Fraction(1), True)]
    if any(c != 0 for c in derivative):
        candidates += roots_in(derivative, Fraction(0), Fraction(1))
    best: Fraction | None = None
    points: list[dict[int, Fraction]] = []
    inexact = False
    for t, exact in candidates:
        full = {**point, x: t, y: 1 - t}
        value = f.evaluate(full)
        if best is None or value > best:
            best, points, inexact = value, [full], not exact
        elif value == best:
            points.append(full)
    assert best is not None
    # an inexact root is within 2**-60 of the critical point: f moves by at most L * 2**-60
    lipschitz = sum((abs(c) * k for k, c in enumerate(coefs)), Fraction(0))
    bound = lipschitz / 2**60 if inexact else Fraction(0)
    how = "critical points of one variable" + (" (an irrational root to 2**-60)" if inexact else "")
    return Maximum(best, tuple(points), how, bound)


def _linear_work(n: int, blocks: Sequence[Sequence[int]]) -> int:
    total = 0
    for face in faces(blocks) if _count_faces(blocks) <= MAX_FACES else [()]:
        if not face:
            return MAX_FACES + 1
        d = sum(len(s) - 1 for s in face)
        total += math.comb(n, d + 1) if d + 1 <= n else 0
        if total > MAX_FACES:
            return total
    return total


def _linear(
    polys: Sequence[Poly], blocks: Sequence[Sequence[int]], progress: Progress | None
) -> Maximum:
    best: Fraction | None = None
    points: list[dict[int, Fraction]] = []
    for face in counted(faces(blocks), _count_faces(blocks), progress):
        sub, free = face_map(blocks, face)
        gs = [p.substitute(sub) for p in polys]
        d = len(free)
        for subset in itertools.combinations(range(len(gs)), d + 1):
            if d:
                rows, rhs = [], []
                for k in subset[1:]:
                    row, const = (gs[subset[0]] - gs[k]).linear_parts(free)
                    rows.append(row)
                    rhs.append(-const)
                x, unique = solve_linear(rows, rhs, [Fraction(0)] * d)
                if x is None or not unique:
                    continue
                point = complete(blocks, face, dict(zip(free, x, strict=True)))
            else:
                point = complete(blocks, face, {})
            if point is None:
                continue
            value = min(p.evaluate(point) for p in polys)
            if best is None or value > best:
                best, points = value, [point]
            elif value == best and point not in points:
                points.append(point)
    assert best is not None
    return Maximum(best, tuple(points), "vertices of the linear program", Fraction(0))


def _simplex_grid(n: int, m: int) -> np.ndarray:
    """All points of the simplex with n coordinates that are multiples of 1/m, as integers."""
    rows = [(*c, m - sum(c)) for c in itertools.product(range(m + 1), repeat=n - 1) if sum(c) <= m]
    return np.array(rows, dtype=np.int64).reshape(-1, n)


def grid_step(blocks: Sequence[Sequence[int]], points: int = GRID_POINTS) -> int:
    """Return the largest m whose grid on the product of simplices has at most `points` points."""
    if all(len(b) <= 1 for b in blocks):  # a single point
        return 1
    m = 1
    while math.prod(math.comb(m + 1 + len(b) - 1, len(b) - 1) for b in blocks) <= points:
        m += 1
        if m > 10**6:
            break
    return m


def _grid(
    polys: Sequence[Poly], blocks: Sequence[Sequence[int]], lipschitz: Fraction, budget: int
) -> Maximum:
    m = grid_step(blocks, budget)
    grids = [_simplex_grid(len(b), m) for b in blocks]
    sizes = [g.shape[0] for g in grids]
    idx = np.indices(sizes).reshape(len(sizes), -1).T if sizes else np.zeros((1, 0), np.int64)
    variables = [v for b in blocks for v in b]
    column = {v: j for j, v in enumerate(variables)}
    ints = np.concatenate([g[idx[:, k]] for k, g in enumerate(grids)], axis=1) if grids else idx
    x = ints.astype(np.float64) / m
    values = np.full(x.shape[0], np.inf)
    for p in polys:
        acc = np.zeros(x.shape[0])
        for mono, c in p.terms.items():
            term = np.full(x.shape[0], float(c))
            for v, e in mono:
                term = term * x[:, column[v]] ** e
            acc += term
        values = np.minimum(values, acc)
    top = float(values.max())
    scale = Fraction(max(abs(top), 1.0))
    near = np.flatnonzero(values >= top - float(GRID_SLACK * scale))
    near = near[np.argsort(-values[near], kind="stable")][:_GRID_EXACT]
    best: Fraction | None = None
    points: list[dict[int, Fraction]] = []
    for row in near:
        point = {v: Fraction(int(ints[row, column[v]]), m) for v in variables}
        value = min(p.evaluate(point) for p in polys)
        if best is None or value > best:
            best, points = value, [point]
        elif value == best:
            points.append(point)
    assert best is not None
    widest = max((len(b) for b in blocks), default=1)
    ceiling = best + lipschitz * Fraction(widest // 2, m) + 2 * GRID_SLACK * scale
    refined, value = _refine(polys, blocks, points[0], m)
    if value > best:
        best, points = value, [refined]
    return Maximum(best, tuple(points), f"grid (step 1/{m}), refined", ceiling - best)


def _refine(
    polys: Sequence[Poly], blocks: Sequence[Sequence[int]], start: dict[int, Fraction], m: int
) -> tuple[dict[int, Fraction], Fraction]:
    """Return a local improvement of a grid point and its exact value (a pattern search).

    Mass moves between two actions of one block by a step that halves down to 2**-40 when no
    move improves the float64 value; the point found is rounded to the simplest fractions
    (denominators 10**2, 10**3, ... up to 10**12) that keep its float64 value, and evaluated
    exactly. It never lowers the certified bound's ceiling (computed
    from the grid), only the gap between it and the value.
    """
    terms = [[(float(c), m_) for m_, c in p.terms.items()] for p in polys]

    def value(x: dict[int, float]) -> float:
        out = math.inf
        for ts in terms:
            total = 0.0
            for c, mono in ts:
                for v, e in mono:
                    c *= x[v] ** e
                total += c
            out = min(out, total)
        return out

    x = {v: float(p) for v, p in start.items()}
    current = value(x)
    h = 1.0 / m
    while h > 2.0**-40:
        moved = False
        for block in blocks:
            for i, j in itertools.permutations(block, 2):
                step = min(h, x[j])
                if step <= 0:
                    continue
                trial = dict(x)
                trial[i] += step
                trial[j] -= step
                got = value(trial)
                if got > current:
                    x, current, moved = trial, got, True
        if not moved:
            h /= 2
    best_point, best_value = start, min(p.evaluate(start) for p in polys)
    for digits in (2, 3, 4, 6, 9, 12):  # the simplest fractions that keep the float value
        point: dict[int, Fraction] = {}
        for block in blocks:
            parts = [max(Fraction(x[v]).limit_denominator(10**digits), Fraction(0)) for v in block]
            parts[-1] = 1 - sum(parts[:-1], Fraction(0))
            point.update(zip(block, parts, strict=True))
        if any(p < 0 for p in point.values()):
            continue
        exact = min(p.evaluate(point) for p in polys)
        if exact > best_value:
            best_point, best_value = point, exact
        if float(exact) >= current - 1e-12 * max(abs(current), 1.0):
            break
    return best_point, best_value
