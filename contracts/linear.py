r"""Linear contracts: their guarantee curve and Carroll's optimal robust linear contract.

For a linear contract :math:`w = \alpha y` with :math:`0 < \alpha \le 1` and lowest output 0,
the worst-case lemma collapses to (derived in the explanation, :ref:`contracts-linear-guarantee`)

.. math::

    V_P(\alpha y) = \frac{1-\alpha}{\alpha} \max(V_A(\alpha y \mid A_0), 0)
                  = \max_{(F,c) \in A_0} (1-\alpha)\,(E_F[y] - c/\alpha)_+ ,

and maximising each term over :math:`\alpha` gives Carroll's optimum

.. math::

    V^* = \max_{(F,c) \in A_0} \big[(\sqrt{E_F[y]} - \sqrt{c})_+\big]^2, \qquad
    \alpha^* = \sqrt{c^*/E_{F^*}[y]}.

Carroll's theorem: no contract whatsoever guarantees more than :math:`V^*` (among deterministic
contracts; randomisation can do better, Kambhampati 2023).

**Lowest output above zero.** If :math:`y_0 = \min Y > 0`, write :math:`y = y_0 + y'`: the
principal's payoff is :math:`y_0` plus the payoff of the shifted problem, so the optimum is
:math:`\alpha^* (y - y_0)` with value :math:`y_0 + \max[(\sqrt{E_F[y] - y_0} - \sqrt{c})_+]^2`.
A pure share :math:`\alpha y` is then strictly worse in general.

**Ties.** Several known actions may pin the optimum with different slopes (return them all);
with a zero-cost maximiser the optimum is the zero contract, optimal only because ties go to the
principal; if no known action has :math:`E_F[y] - y_0 > c` the problem is *trivial*: every slope in
[0, 1] guarantees exactly :math:`y_0`. For float inputs two actions' optima are tied when they
differ by at most ``TIE_RTOL`` (the tie tolerance of :mod:`contracts.agent`) times the largest
optimum (at least 1); for exact inputs, when their values computed to 60 digits agree within
:math:`10^{-50}`.
"""

from __future__ import annotations

import decimal
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ._numbers import Number, as_float, as_scalar, as_vector, fmt, to_python
from .agent import TIE_RTOL
from .contract import LinearContract
from .model import Technology

__all__ = ["OptimalLinear", "guarantee", "optimal_linear"]

#: Digits used to compare irrational optima of exact inputs.
_DIGITS = 60

#: Slopes per vectorised block in :func:`guarantee` (bounds memory at 8192 x actions floats).
_BLOCK = 8192


def _exact_sqrt(q: Fraction) -> Fraction | None:
    """Return the square root of a non-negative Fraction if it is rational, else None."""
    p, r = math.isqrt(q.numerator), math.isqrt(q.denominator)
    if p * p == q.numerator and r * r == q.denominator:
        return Fraction(p, r)
    return None


def _sqrt_decimal(q: Fraction) -> decimal.Decimal:
    with decimal.localcontext() as ctx:
        ctx.prec = _DIGITS
        return (decimal.Decimal(q.numerator) / decimal.Decimal(q.denominator)).sqrt()


def _best_for_action(m: Number, c: Number) -> tuple[Any, Number]:
    """Return (sort key, value) of one action's best linear guarantee; ``m`` is its shifted mean."""
    if m <= c:
        return 0, (Fraction(0) if isinstance(m, Fraction) else 0.0)
    if isinstance(m, Fraction) and isinstance(c, Fraction):
        root = _exact_sqrt(m * c)
        key = (_sqrt_decimal(m) - _sqrt_decimal(c)) ** 2
        value: Number = m + c - 2 * root if root is not None else float(key)
        return key, value
    v = (math.sqrt(m) - math.sqrt(c)) ** 2
    return v, v


def _slope(m: Number, c: Number) -> Number:
    """Return the maximising slope sqrt(c / m) (exact when rational)."""
    if isinstance(m, Fraction) and isinstance(c, Fraction):
        root = _exact_sqrt(c / m)
        return root if root is not None else math.sqrt(c / m)
    return math.sqrt(c / m)


@dataclass(frozen=True, eq=False)
class OptimalLinear:
    r"""Carroll's optimal robust contract among all (deterministic) contracts.

    Attributes
    ----------
    value : Fraction or float
        :math:`V^* = y_0 + \max_a [(\sqrt{E_a[y] - y_0} - \sqrt{c_a})_+]^2`, the best guarantee
        of any contract. A ``Fraction`` for exact inputs when it is rational, else a float.
    alpha : Fraction or float
        The smallest maximising slope.
    contract : LinearContract
        ``LinearContract(alpha, origin=y0)``.
    slopes : tuple
        Every maximising slope, ascending. When ``trivial`` is True every slope in [0, 1] is
        optimal and ``slopes`` is ``(0, 1)``, the interval's end points.
    pinned_by : tuple of int
        The known actions whose one-action optimum equals the value (those that pin the optimum).
    action_values : tuple
        For each known action, the best guarantee a linear contract gets from it alone.
    trivial : bool
        True when no known action has :math:`E_F[y] - y_0 > c`: then every contract guarantees at
        most :math:`y_0`, and the value is :math:`y_0`.
    """

    value: Number
    alpha: Number
    contract: LinearContract
    slopes: tuple[Number, ...]
    pinned_by: tuple[int, ...]
    action_values: tuple[Number, ...]
    trivial: bool
    known: Technology = field(repr=False)

    def __repr__(self) -> str:
        slopes = ", ".join(fmt(s) for s in self.slopes) + ("," if len(self.slopes) == 1 else "")
        return (
            f"OptimalLinear(value={fmt(self.value)}, alpha={fmt(self.alpha)}, "
            f"contract={self.contract!r},\n              slopes=({slopes}), "
            f"pinned_by={self.pinned_by}, trivial={self.trivial})"
        )


def optimal_linear(known: Technology) -> OptimalLinear:
    """Return the optimal robust contract for the known actions (Carroll's theorem).

    Parameters
    ----------
    known : Technology
        The actions the principal knows (non-empty).

    Returns
    -------
    OptimalLinear
        The value, the contract, all maximising slopes and the actions that pin them.

    Examples
    --------
    Two known actions that tie (see :ref:`contracts-pitfalls`): means 4 and 9, costs
    1 and 4 give :math:`(2-1)^2 = (3-2)^2 = 1` with slopes 1/2 and 2/3:

    >>> from contracts import Technology
    >>> y = list(range(10))
    >>> known = Technology.from_arrays(y, [[int(v == 4) for v in y], [int(v == 9) for v in y]], [1, 4])
    >>> optimal_linear(known)
    OptimalLinear(value=1, alpha=1/2, contract=LinearContract(alpha=1/2),
                  slopes=(1/2, 2/3), pinned_by=(0, 1), trivial=False)
    """  # noqa: E501
    if not isinstance(known, Technology):
        raise TypeError(f"known must be a Technology, got {type(known).__name__}")
    y0 = known.outputs[0]
    means = known.dists @ known.outputs
    shifted = [to_python(mu - y0) for mu in means]
    costs = [to_python(c) for c in known.costs]
    best = [_best_for_action(m, c) for m, c in zip(shifted, costs, strict=True)]
    keys = [b[0] for b in best]
    top = max(keys)
    trivial = top == 0
    zero = Fraction(0) if known.exact else 0.0
    y0 = to_python(y0)
    if trivial:
        return OptimalLinear(
            value=y0,
            alpha=zero,
            contract=LinearContract(zero, origin=y0),
            slopes=(zero, zero + 1),
            pinned_by=tuple(range(len(known))),
            action_values=tuple(y0 + b[1] for b in best),
            trivial=True,
            known=known,
        )
    if known.exact:
        tol: Any = decimal.Decimal(10) ** (10 - _DIGITS)
    else:
        tol = TIE_RTOL * max(1.0, top)
    pinned = tuple(i for i, k in enumerate(keys) if abs(k - top) <= tol)
    slopes = sorted({_slope(shifted[i], costs[i]) for i in pinned}, key=float)
    alpha = slopes[0]
    value = y0 + best[pinned[0]][1]
    return OptimalLinear(
        value=value,
        alpha=alpha,
        contract=LinearContract(alpha, origin=y0),
        slopes=tuple(slopes),
        pinned_by=pinned,
        action_values=tuple(y0 + b[1] for b in best),
        trivial=False,
        known=known,
    )


def guarantee(alphas: Any, known: Technology, *, origin: Any = 0) -> Any:
    r"""Return :math:`V_P(\alpha (y - y_0))` for each slope, vectorised.

    Closed form of the worst-case lemma for linear contracts (derived, and cross-checked against
    :func:`~contracts.worstcase.worst_case` in the tests). With :math:`V(\alpha) = \max_a \alpha (E_a[y] -
    y_0) - c_a`, lowest output :math:`y_{lo}` and highest :math:`y_{hi}`:

    * :math:`\alpha = 0` (the zero contract): :math:`\max\{E_a[y] : c_a = 0\}` if some known action
      is free (ties to the principal), else :math:`y_{lo}`;
    * :math:`0 < \alpha \le 1`: :math:`\alpha y_0 + (1 - \alpha) \max(V/\alpha + y_0, y_{lo})`;
    * :math:`\alpha > 1`: :math:`\alpha y_0 + (1 - \alpha) y_{hi}` (a sure loss).

    Parameters
    ----------
    alphas : number or array_like
        Slopes, each finite and ``>= 0``.
    known : Technology
        The known actions.
    origin : number, optional
        :math:`y_0` of the contracts :math:`\alpha (y - y_0)`; default 0 (:math:`\alpha y`). Must
        not exceed the lowest output (limited liability).

    Returns
    -------
    float, Fraction or numpy.ndarray
        One guarantee per slope (a scalar for a scalar slope). Exact Fractions when the slopes and
        the technology are exact.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from contracts import Technology
    >>> y = list(range(10))
    >>> known = Technology.from_arrays(y, [[int(v == 4) for v in y], [int(v == 9) for v in y]], [1, 4])
    >>> guarantee([F(1, 2), F(3, 5), F(2, 3)], known).tolist()
    [Fraction(1, 1), Fraction(14, 15), Fraction(1, 1)]
    """  # noqa: E501
    if not isinstance(known, Technology):
        raise TypeError(f"known must be a Technology, got {type(known).__name__}")
    scalar = np.ndim(alphas) == 0
    a = as_vector([alphas] if scalar else alphas, "alphas")
    neg = np.flatnonzero(as_float(a) < 0)
    if neg.size:
        raise ValueError(
            f"alphas[{int(neg[0])}] = {fmt(a[neg[0]])} is negative; slopes must be >= 0"
        )
    o = as_scalar(origin, "origin")
    lo, hi = known.outputs[0], known.outputs[-1]
    if o < 0 or o > lo:
        raise ValueError(
            f"origin = {fmt(o)} must lie in [0, lowest output = {fmt(lo)}] (limited liability)"
        )
    exact = known.exact and a.dtype == object and isinstance(o, Fraction)
    means = known.dists @ known.outputs
    costs = known.costs
    if not exact:
        a, means, costs = as_float(a), as_float(means), as_float(costs)
        lo, hi, o = float(lo), float(hi), float(o)
    free = costs == 0
    zero_value = means[free].max() if free.any() else lo
    out = np.empty(a.shape, dtype=object if exact else np.float64)
    for start in range(0, a.size, _BLOCK):
        block = a[start : start + _BLOCK]
        pos = block > 0
        safe = np.where(pos, block, 1)
        V = (np.multiply.outer(safe, means - o) - costs).max(axis=1)
        # V / alpha <= max mean when V > 0, so only a negative V can overflow (to -inf, which
        # the max with the lowest output absorbs) for subnormal slopes.
        with np.errstate(over="ignore"):
            mid = o * safe + (1 - safe) * np.maximum(V / safe + o, lo)
        high = o * safe + (1 - safe) * hi
        out[start : start + block.size] = np.where(pos, np.where(safe <= 1, mid, high), zero_value)
    if scalar:
        return to_python(out[0])
    return out
