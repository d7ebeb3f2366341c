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
[0, 1] guarantees exactly :math:`y_0`. For exact inputs the one-action optima are compared
exactly, irrational or not (:mod:`contracts._roots`); for float inputs two are tied when they
differ by at most ``TIE_RTOL`` times the larger one (:mod:`contracts.tolerances`; no absolute
floor, so outputs of :math:`10^{-13}` are compared as well as outputs of 1).

**The reported value is certified.** When the optimal slope is irrational or the inputs are
floats, ``value`` is the exact guarantee of the returned contract (its pinning action's term,
computed in rationals from the float slope and data), rounded down to a float: never more than
what the returned contract guarantees, and within an ulp or so of :math:`V^*`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ._html import HtmlRepr
from ._numbers import Number, as_float, as_scalar, as_vector, fmt, to_python
from ._rational import exact_dot
from ._roots import RootGap, exact_sqrt
from .contract import LinearContract
from .model import Technology
from .tolerances import TIE_RTOL

__all__ = ["OptimalLinear", "guarantee", "optimal_linear"]

#: Slopes per vectorised block in :func:`guarantee` (bounds memory at 8192 x actions floats).
_BLOCK = 8192


def _float_optimum(m: float, c: float, scale: float) -> float:
    """Return one action's best guarantee ``[(sqrt m - sqrt c)_+]^2`` in floats.

    Computed as ``((m - c) / (sqrt m + sqrt c))^2``: no cancellation when ``m`` is close to ``c``.
    A shifted mean ``m`` within ``TIE_RTOL * scale`` of the cost (``scale``: the larger of the
    unshifted mean and the cost, the magnitudes ``m`` was computed from) is tied with it: the
    action contributes 0, as it does when ``m <= c``.
    """
    if m - c <= TIE_RTOL * scale:
        return 0.0
    return ((m - c) / (math.sqrt(m) + math.sqrt(c))) ** 2


def _slope(m: Number, c: Number) -> Number:
    """Return the maximising slope sqrt(c / m) (exact when rational)."""
    if isinstance(m, Fraction) and isinstance(c, Fraction):
        root = exact_sqrt(c / m)
        return root if root is not None else math.sqrt(c / m)
    return math.sqrt(c / m)


def _term(alpha: Fraction, mean: Fraction, cost: Fraction, y0: Fraction) -> Fraction:
    r"""Return one action's term of the guarantee of :math:`\alpha (y - y_0)`, exactly.

    :math:`y_0 + (1 - \alpha)(E[y] - y_0 - c/\alpha)_+` for :math:`0 < \alpha \le 1`; for
    :math:`\alpha = 0`, the action's mean if it is free (ties go to the principal), else
    :math:`y_0`. The guarantee of the contract is the largest term over the known actions, so
    each term is a lower bound of it.
    """
    if alpha == 0:
        return mean if cost == 0 else y0
    return y0 + (1 - alpha) * max(Fraction(0), mean - y0 - cost / alpha)


def _floor_float(q: Fraction, what: str) -> float:
    """Return the largest float ``<= q`` (refusing a ``q`` beyond the float range)."""
    try:
        f = float(q)
    except OverflowError:
        raise ValueError(
            f"{what} is irrational and about 1e+{len(str(q.numerator)) - len(str(q.denominator))}"
            ", beyond the float64 range (about 1.8e308) in which irrational values are reported;"
            " rescale the outputs and costs"
        ) from None
    return math.nextafter(f, -math.inf) if Fraction(f) > q else f


def _exact_value(key: RootGap, i: int) -> Number:
    """One exact action's optimum: a Fraction when rational, else the nearest float (checked)."""
    value = key.value
    if value is not None:
        return value
    f = float(key)
    if not math.isfinite(f):
        raise ValueError(
            f"the best linear guarantee of known.actions[{i}] is irrational and beyond the float64"
            " range (about 1.8e308) in which irrational values are reported; rescale the outputs"
            " and costs"
        )
    return f


@dataclass(frozen=True, eq=False)
class OptimalLinear(HtmlRepr):
    r"""Carroll's optimal robust contract among all (deterministic) contracts.

    Attributes
    ----------
    value : Fraction or float
        :math:`V^* = y_0 + \max_a [(\sqrt{E_a[y] - y_0} - \sqrt{c_a})_+]^2`, the best guarantee
        of any contract. A ``Fraction`` for exact inputs when it is rational; else the guarantee of
        ``contract`` rounded down to a float (at most what ``contract`` guarantees).
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
    y0 = to_python(known.outputs[0])
    means = known.dists @ known.outputs
    shifted = [to_python(mu - y0) for mu in means]
    costs = [to_python(c) for c in known.costs]
    pinned: tuple[int, ...]
    if known.exact:  # compared exactly, irrational or not
        keys = [RootGap(Fraction(m), Fraction(c)) for m, c in zip(shifted, costs, strict=True)]
        top = max(keys)
        trivial = not top.positive
        pinned = tuple(i for i, k in enumerate(keys) if k == top)
        action_values = tuple(y0 + _exact_value(k, i) for i, k in enumerate(keys))
    else:  # tied within TIE_RTOL of the larger optimum (no absolute floor)
        optima = [
            _float_optimum(float(m), float(c), max(float(mu), float(c)))
            for m, c, mu in zip(shifted, costs, means, strict=True)
        ]
        best = max(optima)
        trivial = best == 0
        pinned = tuple(i for i, v in enumerate(optima) if best - v <= TIE_RTOL * best)
        action_values = tuple(y0 + v for v in optima)
    zero = Fraction(0) if known.exact else 0.0
    if trivial:
        return OptimalLinear(
            value=y0,
            alpha=zero,
            contract=LinearContract(zero, origin=y0),
            slopes=(zero, zero + 1),
            pinned_by=tuple(range(len(known))),
            action_values=action_values,
            trivial=True,
            known=known,
        )
    slope_of = {i: _slope(shifted[i], costs[i]) for i in pinned}
    slopes = sorted(set(slope_of.values()), key=float)
    alpha = slopes[0]
    p = next(i for i in pinned if slope_of[i] == alpha)
    value: Number
    if known.exact and isinstance(alpha, Fraction):
        value = action_values[p]  # rational, and exactly the guarantee of alpha (y - y0)
    else:  # the returned contract's exact guarantee (its action-p term), rounded down
        mean = means[p] if known.exact else exact_dot(known.dists[p], known.outputs)
        exact_term = _term(Fraction(alpha), mean, Fraction(costs[p]), Fraction(y0))
        value = _floor_float(exact_term, f"the optimum (pinned by known.actions[{p}])")
    return OptimalLinear(
        value=value,
        alpha=alpha,
        contract=LinearContract(alpha, origin=y0),
        slopes=tuple(slopes),
        pinned_by=pinned,
        action_values=action_values,
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
    neg = np.flatnonzero(a < 0)
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
        a = as_float(a, "alphas")
        means, costs = as_float(means, "the known means"), as_float(costs, "the known costs")
        lo, hi, o = (float(v) for v in as_float(np.array([lo, hi, o], dtype=object), "outputs"))
    free = costs == 0
    zero_value = means[free].max() if free.any() else lo
    out = np.empty(a.shape, dtype=object if exact else np.float64)
    for start in range(0, a.size, _BLOCK):
        block = a[start : start + _BLOCK]
        pos = block > 0
        safe = np.where(pos, block, 1)
        # V(alpha) / alpha = max_a (E_a[y] - y0 - c_a / alpha), computed without forming
        # V(alpha) itself: alpha (E_a[y] - y0) underflows for subnormal slopes, c_a / alpha only
        # overflows (to inf, so the action drops out, as the max with the lowest output absorbs).
        with np.errstate(over="ignore"):
            ratio = ((means - o) - np.divide.outer(costs, safe).T).max(axis=1)
        mid = o * safe + (1 - safe) * np.maximum(ratio + o, lo)
        high = o * safe + (1 - safe) * hi
        out[start : start + block.size] = np.where(pos, np.where(safe <= 1, mid, high), zero_value)
    if scalar:
        return to_python(out[0])
    return out
