r"""Randomised contracts: a lottery over contracts, drawn after nature has chosen the technology.

Two kinds:

* :class:`ContractMixture`: finitely many contracts of any kind (on the same outputs) with
  weights;
* :class:`RandomizedContract`: a distribution over the slope :math:`\alpha \in [0, 1]` of the
  linear contract :math:`\alpha (y - y_0)`, either *discrete* (finitely many slopes with
  weights) or *continuous* (a cumulative distribution function on :math:`[0, 1]`, given as a
  callable or by breakpoints with linear interpolation).

Both can be drawn from (``sample``), averaged (``mean_contract``) and evaluated by
:func:`contracts.randomized.worst_case_randomized`.

**Validation.** Weights must be finite and non-negative and sum to 1: exactly for exact weights
(ints, Fractions), within ``WEIGHT_RTOL = 1e-9`` relative to the total 1 for floats (float weights
are then divided by their sum). A CDF must take values in :math:`[0, 1]`, be non-decreasing and
reach 1 at :math:`\alpha = 1`, each within ``CDF_ATOL = 1e-9`` (probabilities, whose scale is 1:
an absolute tolerance is a relative one; both are defined in :mod:`contracts.tolerances`); a
callable is checked on ``CHECK_POINTS`` evenly spaced slopes plus its support's end points.

Examples
--------
>>> from fractions import Fraction as F
>>> g = RandomizedContract([0, F(1, 2)], [F(1, 4), F(3, 4)])
>>> g
RandomizedContract: 2 slopes, mean slope 3/8
  slope       0  1/2
  weight    1/4  3/4
>>> g.cdf(F(1, 4)), g.mean_contract()
(Fraction(1, 4), LinearContract(alpha=3/8))
>>> g.sample(rng=0)
LinearContract(alpha=1/2)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ._numbers import Number, as_float, as_scalar, as_vector, fmt, frozen, table, to_python
from .contract import AffineContract, AnyContract, Contract, LinearContract
from .model import check_outputs
from .tolerances import CDF_ATOL, WEIGHT_RTOL

__all__ = [
    "CDF_ATOL",
    "CHECK_POINTS",
    "WEIGHT_RTOL",
    "ContractMixture",
    "RandomizedContract",
    "check_weights",
]

#: Slopes at which a callable CDF is checked (and tabulated for :attr:`breakpoints`).
CHECK_POINTS = 4097

#: Trapezoid points for the mean slope of a callable CDF given without its mean.
_MEAN_POINTS = 2**16 + 1

#: Bisection steps when a callable CDF without quantile function is sampled (2^-60 of the support).
_BISECTIONS = 60

#: Slopes and weights shown in ``repr`` before it summarises.
_MAX_SHOWN = 10


def _rng(rng: Any) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, int | np.integer):
        return np.random.default_rng(rng)
    raise TypeError(f"rng must be a numpy Generator, an int seed or None, got {type(rng).__name__}")


def check_weights(weights: Any, name: str = "weights") -> np.ndarray:
    """Validate mixture weights; return them read-only (float weights divided by their sum).

    Examples
    --------
    >>> check_weights([0.5, 0.6])
    Traceback (most recent call last):
    ...
    ValueError: weights sum to 1.1; float weights must sum to 1 within 1e-09 (relative)
    >>> check_weights([-1, 2])
    Traceback (most recent call last):
    ...
    ValueError: weights[0] = -1 is negative; weights must be >= 0
    """
    w = as_vector(weights, name)
    if w.size == 0:
        raise ValueError(f"{name} must not be empty")
    neg = np.flatnonzero(as_float(w) < 0)
    if neg.size:
        i = int(neg[0])
        raise ValueError(f"{name}[{i}] = {fmt(w[i])} is negative; weights must be >= 0")
    total = w.sum()
    if w.dtype == object:
        if total != 1:
            raise ValueError(f"{name} sum to {fmt(total)}; exact weights must sum to exactly 1")
        return w
    if abs(float(total) - 1.0) > WEIGHT_RTOL:
        raise ValueError(
            f"{name} sum to {float(total):.12g}; float weights must sum to 1 within "
            f"{WEIGHT_RTOL:g} (relative)"
        )
    return frozen(w / total)


def _call_cdf(fn: Callable[[Any], Any], alphas: np.ndarray) -> np.ndarray:
    """Evaluate a user CDF on an array (vectorised if it accepts arrays, else point by point)."""
    try:
        values = np.asarray(fn(alphas), dtype=float)
        if values.shape == alphas.shape:
            return values
    except (TypeError, ValueError):
        pass
    return np.array([float(fn(float(a))) for a in alphas], dtype=float)


def _check_cdf_values(alphas: np.ndarray, values: np.ndarray, name: str) -> None:
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"{name}({alphas[i]:.6g}) is {values[i]}; a CDF must be finite")
    out = np.flatnonzero((values < -CDF_ATOL) | (values > 1 + CDF_ATOL))
    if out.size:
        i = int(out[0])
        raise ValueError(f"{name}({alphas[i]:.6g}) = {values[i]:.6g} is outside [0, 1]")
    drops = np.flatnonzero(np.diff(values) < -CDF_ATOL)
    if drops.size:
        i = int(drops[0])
        raise ValueError(
            f"{name} is not non-decreasing on [0, 1]: {name}({alphas[i]:.6g}) = {values[i]:.6g} "
            f"> {name}({alphas[i + 1]:.6g}) = {values[i + 1]:.6g}"
        )
    if abs(values[-1] - 1.0) > CDF_ATOL:
        raise ValueError(
            f"{name}(1) = {values[-1]:.12g}; a distribution of slopes in [0, 1] must have "
            f"{name}(1) = 1 (within {CDF_ATOL:g})"
        )


@dataclass(frozen=True, eq=False, init=False)
class RandomizedContract:
    r"""A distribution over linear contracts :math:`\alpha (y - y_0)`, :math:`\alpha \in [0, 1]`.

    Parameters
    ----------
    slopes : array_like
        The support of a discrete distribution: distinct slopes in :math:`[0, 1]` (any order;
        they are stored ascending).
    weights : array_like
        One weight per slope (see :func:`check_weights`).
    origin : number, optional
        :math:`y_0` of the contracts :math:`\alpha (y - y_0)`; default 0.

    Use :meth:`from_cdf` or :meth:`from_breakpoints` for a continuous distribution.

    Attributes
    ----------
    kind : str
        ``"discrete"`` or ``"continuous"``.
    slopes, weights : numpy.ndarray or None
        The support and its weights (discrete only; read-only, slopes ascending).
    support : tuple
        The smallest interval known to contain the support.
    label : str
        A description of the CDF (continuous only).
    """

    kind: str
    origin: Number
    slopes: np.ndarray | None
    weights: np.ndarray | None
    support: tuple[Number, Number]
    label: str
    _cdf: Callable[[Any], Any] | None = field(repr=False)
    _quantile: Callable[[Any], Any] | None = field(repr=False)
    _mean: Number | None = field(repr=False)
    _table: tuple[np.ndarray, np.ndarray] | None = field(repr=False)

    def __init__(self, slopes: Any, weights: Any, origin: Any = 0) -> None:
        s = as_vector(slopes, "slopes")
        w = check_weights(weights)
        if s.size != w.size:
            raise ValueError(f"slopes has {s.size} entries but weights has {w.size}")
        sf = as_float(s)
        out = np.flatnonzero((sf < 0) | (sf > 1))
        if out.size:
            i = int(out[0])
            raise ValueError(f"slopes[{i}] = {fmt(s[i])} is outside [0, 1]")
        order = np.argsort(sf, kind="stable")
        s, w = s[order], w[order]
        dup = np.flatnonzero(s[1:] == s[:-1])
        if dup.size:
            raise ValueError(f"slope {fmt(s[dup[0]])} appears twice; merge its weights")
        if s.dtype != w.dtype:
            s, w = as_float(s), as_float(w)
        keep = w != 0
        if not keep.all():
            s, w = s[keep], w[keep]
        self._set(
            kind="discrete",
            origin=_origin(origin),
            slopes=frozen(np.array(s, copy=True)),
            weights=frozen(np.array(w, copy=True)),
            support=(to_python(s[0]), to_python(s[-1])),
            label="",
            _cdf=None,
            _quantile=None,
            _mean=to_python((s * w).sum()),
            _table=None,
        )

    def _set(self, **values: Any) -> None:
        for k, v in values.items():
            object.__setattr__(self, k, v)

    @classmethod
    def from_cdf(
        cls,
        cdf: Callable[[Any], Any],
        *,
        origin: Any = 0,
        support: tuple[Any, Any] = (0, 1),
        quantile: Callable[[Any], Any] | None = None,
        mean: Any = None,
        label: str = "",
    ) -> RandomizedContract:
        r"""Build a continuous distribution of slopes from its CDF :math:`\Phi` on :math:`[0, 1]`.

        Parameters
        ----------
        cdf : callable
            :math:`\Phi(\alpha) = P(\text{slope} \le \alpha)`, a function of one float (called on
            numpy arrays if it accepts them). Checked on ``CHECK_POINTS`` points.
        origin : number, optional
            :math:`y_0` of the contracts.
        support : (lo, hi), optional
            An interval containing the support (default [0, 1]): :math:`\Phi = 0` below ``lo``
            (except an atom at ``lo``) and :math:`\Phi(hi) = 1`. Used by sampling and the mean.
        quantile : callable, optional
            The inverse CDF for sampling (otherwise bisection on ``cdf``).
        mean : number, optional
            The mean slope if known (otherwise a trapezoid rule on :math:`1 - \Phi`, with error
            at most ``(hi - lo) / 2**17``).
        label : str, optional
            Shown in ``repr``.

        Examples
        --------
        >>> g = RandomizedContract.from_cdf(lambda a: a, label="uniform")
        >>> g.cdf(0.25), round(g.mean_slope, 9)
        (0.25, 0.5)
        >>> RandomizedContract.from_cdf(lambda a: 1 - a)
        Traceback (most recent call last):
        ...
        ValueError: cdf is not non-decreasing on [0, 1]: cdf(0) = 1 > cdf(0.000244141) = 0.999756
        """
        if not callable(cdf):
            raise TypeError(f"cdf must be callable, got {type(cdf).__name__}")
        lo, hi = (float(as_scalar(v, "support")) for v in support)
        if not 0 <= lo <= hi <= 1:
            raise ValueError(f"support = ({lo:g}, {hi:g}) must satisfy 0 <= lo <= hi <= 1")
        grid = np.union1d(np.linspace(0.0, 1.0, CHECK_POINTS), [lo, hi])
        values = _call_cdf(cdf, grid)
        _check_cdf_values(grid, values, "cdf")
        if hi < 1 and abs(values[np.searchsorted(grid, hi)] - 1) > CDF_ATOL:
            raise ValueError(f"cdf({hi:g}) must be 1: the support was said to end at {hi:g}")
        m = None if mean is None else float(as_scalar(mean, "mean"))
        g = cls.__new__(cls)
        g._set(
            kind="continuous",
            origin=_origin(origin),
            slopes=None,
            weights=None,
            support=(lo, hi),
            label=label or "a CDF",
            _cdf=cdf,
            _quantile=quantile,
            _mean=m,
            _table=(frozen(grid), frozen(np.clip(values, 0.0, 1.0))),
        )
        return g

    @classmethod
    def from_breakpoints(cls, slopes: Any, cdf: Any, *, origin: Any = 0) -> RandomizedContract:
        r"""Build the piecewise-linear CDF through the points ``(slopes[i], cdf[i])``.

        :math:`\Phi = 0` below ``slopes[0]`` (so ``cdf[0] > 0`` is an atom there), linear
        between breakpoints, and ``cdf[-1]`` must be 1.

        Examples
        --------
        >>> g = RandomizedContract.from_breakpoints([0, 0.5, 1], [0, 1, 1])   # uniform on [0, 1/2]
        >>> float(g.cdf(0.25)), g.mean_slope
        (0.5, 0.25)
        >>> RandomizedContract.from_breakpoints([0, 0.5, 1], [0, 0.6, 0.5])
        Traceback (most recent call last):
        ...
        ValueError: cdf is not non-decreasing on [0, 1]: cdf(0.5) = 0.6 > cdf(1) = 0.5
        """
        a = as_float(as_vector(slopes, "slopes"))
        v = as_float(as_vector(cdf, "cdf"))
        if a.size != v.size or a.size == 0:
            raise ValueError(f"slopes has {a.size} entries but cdf has {v.size}; need >= 1 each")
        if a[0] < 0 or a[-1] > 1:
            raise ValueError(f"breakpoints must lie in [0, 1], got {a[0]:g} .. {a[-1]:g}")
        steps = np.flatnonzero(np.diff(a) <= 0)
        if steps.size:
            i = int(steps[0]) + 1
            raise ValueError(f"breakpoint slopes must increase: slopes[{i}] = {a[i]:g}")
        _check_cdf_values(a, v, "cdf")
        v = np.clip(v, 0.0, 1.0)
        v[-1] = 1.0
        # mean slope: a0 + integral of 1 - Phi over [a0, a_last] (exact for linear pieces)
        mean = float(a[0] + np.sum(np.diff(a) * (1 - (v[1:] + v[:-1]) / 2)))
        table_a, table_v = frozen(a.copy()), frozen(v.copy())

        def piecewise(alpha: Any) -> Any:
            return np.where(np.asarray(alpha) < table_a[0], 0.0, np.interp(alpha, table_a, table_v))

        g = cls.__new__(cls)
        g._set(
            kind="continuous",
            origin=_origin(origin),
            slopes=None,
            weights=None,
            support=(float(a[0]), float(a[np.searchsorted(v, 1.0)])),
            label=f"piecewise linear through {a.size} breakpoints",
            _cdf=piecewise,
            _quantile=None,
            _mean=mean,
            _table=(table_a, table_v),
        )
        return g

    @property
    def exact(self) -> bool:
        """True for a discrete distribution with exact slopes and weights."""
        return self.slopes is not None and self.slopes.dtype == object

    @property
    def breakpoints(self) -> tuple[np.ndarray, np.ndarray]:
        """``(slopes, cdf)``: the CDF at its breakpoints (read-only arrays).

        Discrete: the support and the cumulative weights (a right-continuous step function).
        Continuous: the given breakpoints (linear interpolation in between), or for a callable
        CDF its values on the ``CHECK_POINTS`` check grid.
        """
        if self.slopes is not None and self.weights is not None:
            return self.slopes, frozen(np.cumsum(self.weights))
        assert self._table is not None
        return self._table

    def cdf(self, alpha: Any) -> Any:
        r""":math:`\Phi(\alpha) = P(\text{slope} \le \alpha)` (scalar or array)."""
        scalar = np.ndim(alpha) == 0
        if self.slopes is not None and self.weights is not None:
            if self.exact and scalar and isinstance(alpha, int | Fraction):
                x = Fraction(alpha)
                pairs = zip(self.slopes, self.weights, strict=True)
                return sum((w for s, w in pairs if s <= x), Fraction(0))
            a = np.asarray([alpha] if scalar else alpha, dtype=float)
            cum = np.cumsum(as_float(self.weights))
            idx = np.searchsorted(as_float(self.slopes), a, side="right")
            out = np.where(idx > 0, cum[np.maximum(idx - 1, 0)], 0.0)
            return float(out[0]) if scalar else out
        assert self._cdf is not None
        a = np.asarray([alpha] if scalar else alpha, dtype=float)
        out = np.clip(_call_cdf(self._cdf, a), 0.0, 1.0)
        out = np.where(a >= 1.0, 1.0, np.where(a < 0.0, 0.0, out))
        return float(out[0]) if scalar else out

    @property
    def mean_slope(self) -> Number:
        r"""The expected slope :math:`E[\alpha]` (see :meth:`from_cdf` for its accuracy)."""
        if self._mean is not None:
            return self._mean
        lo, hi = (float(v) for v in self.support)
        a = np.linspace(lo, hi, _MEAN_POINTS)
        tail = 1.0 - self.cdf(a)
        mean = lo + float(np.sum((tail[1:] + tail[:-1]) / 2) * (hi - lo) / (a.size - 1))
        object.__setattr__(self, "_mean", mean)
        return mean

    def mean_contract(self) -> LinearContract:
        r"""Return the linear contract with the mean slope, :math:`E[\alpha] (y - y_0)`."""
        return LinearContract(self.mean_slope, origin=self.origin)

    def sample_slopes(self, rng: Any = None, size: int = 1) -> np.ndarray:
        """Draw ``size`` slopes (float64) with ``rng`` (a numpy Generator, an int seed or None)."""
        gen = _rng(rng)
        if self.slopes is not None and self.weights is not None:
            return np.asarray(
                gen.choice(as_float(self.slopes), size=size, p=as_float(self.weights)), dtype=float
            )
        u = gen.random(size)
        if self._quantile is not None:
            return np.clip(np.asarray(self._quantile(u), dtype=float), 0.0, 1.0)
        lo = np.full(size, float(self.support[0]))
        hi = np.full(size, float(self.support[1]))
        for _ in range(_BISECTIONS):
            mid = (lo + hi) / 2
            below = self.cdf(mid) < u
            lo = np.where(below, mid, lo)
            hi = np.where(below, hi, mid)
        return hi

    def sample(self, rng: Any = None) -> LinearContract:
        """Draw one linear contract (a discrete support keeps its exact slopes).

        ``rng`` is a numpy Generator, an int seed or None (fresh entropy).
        """
        gen = _rng(rng)
        if self.slopes is not None and self.weights is not None:
            i = int(gen.choice(self.slopes.size, p=as_float(self.weights)))
            return LinearContract(self.slopes[i], origin=self.origin)
        return LinearContract(float(self.sample_slopes(gen, 1)[0]), origin=self.origin)

    def to_mixture(self) -> ContractMixture:
        """Return a discrete distribution as a :class:`ContractMixture` of linear contracts."""
        if self.slopes is None or self.weights is None:
            raise ValueError("only a discrete RandomizedContract is a finite mixture")
        contracts = [LinearContract(s, origin=self.origin) for s in self.slopes]
        return ContractMixture(self.weights, contracts)

    def __repr__(self) -> str:
        origin = f", origin {fmt(self.origin)}" if self.origin != 0 else ""
        if self.slopes is not None and self.weights is not None:
            k = self.slopes.size
            head = (
                f"RandomizedContract: {k} slope{'s' * (k != 1)}, mean slope "
                f"{fmt(self.mean_slope)}{origin}"
            )
            if k > _MAX_SHOWN:
                heavy = np.argsort(-as_float(self.weights), kind="stable")[:3]
                top = ", ".join(f"{fmt(self.slopes[i])}: {fmt(self.weights[i])}" for i in heavy)
                return (
                    f"{head}\n  support {fmt(self.slopes[0])} .. {fmt(self.slopes[-1])}; "
                    f"heaviest {top}"
                )
            rows = [
                ["slope", *(fmt(s) for s in self.slopes)],
                ["weight", *(fmt(w) for w in self.weights)],
            ]
            return "\n".join([head, *table(rows)])
        lo, hi = self.support
        return (
            f"RandomizedContract: continuous, CDF {self.label}, support [{fmt(lo)}, {fmt(hi)}], "
            f"mean slope {fmt(self.mean_slope)}{origin}"
        )


def _origin(origin: Any) -> Number:
    o = as_scalar(origin, "origin")
    if o < 0:
        raise ValueError(f"origin = {fmt(o)} is negative; outputs are >= 0")
    return o


@dataclass(frozen=True, eq=False, init=False)
class ContractMixture:
    """A lottery over finitely many contracts, of any kind, on the same outputs.

    Parameters
    ----------
    weights : array_like
        One probability per contract (see :func:`check_weights`).
    contracts : sequence
        :class:`~contracts.contract.Contract`, :class:`~contracts.contract.LinearContract` or
        :class:`~contracts.contract.AffineContract`; every ``Contract`` on the same outputs.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from contracts import Contract, LinearContract
    >>> mix = ContractMixture([F(1, 2), F(1, 2)], [Contract([0, 1, 2], [0, 0, 1]), LinearContract(F(1, 2))])
    >>> mix
    ContractMixture: 2 contracts
      weight  contract
      1/2     Contract(outputs=[0, 1, 2], payments=[0, 0, 1])
      1/2     LinearContract(alpha=1/2)
    >>> mix.mean_contract([0, 1, 2])
    Contract(outputs=[0, 1, 2], payments=[0, 1/4, 1])
    >>> ContractMixture([F(1, 2), F(1, 2)], [Contract([0, 1], [0, 1]), Contract([0, 2], [0, 1])])
    Traceback (most recent call last):
    ...
    ValueError: contracts[1] is on outputs [0, 2] but contracts[0] is on outputs [0, 1]: a mixture's contracts must share their outputs
    """  # noqa: E501

    weights: np.ndarray
    contracts: tuple[AnyContract, ...]

    def __init__(self, weights: Any, contracts: Sequence[AnyContract]) -> None:
        w = check_weights(weights)
        if isinstance(contracts, Contract | LinearContract | AffineContract):
            raise TypeError("contracts must be a sequence of contracts, not a single contract")
        contracts = tuple(contracts)
        if len(contracts) != w.size:
            raise ValueError(f"{len(contracts)} contracts but {w.size} weights")
        first: int | None = None
        for i, c in enumerate(contracts):
            if not isinstance(c, Contract | LinearContract | AffineContract):
                raise TypeError(
                    f"contracts[{i}] must be a Contract, LinearContract or AffineContract, "
                    f"got {type(c).__name__}"
                )
            if isinstance(c, Contract):
                if first is None:
                    first = i
                    continue
                ref = contracts[first]
                assert isinstance(ref, Contract)
                if c.outputs.size != ref.outputs.size or not np.array_equal(
                    as_float(c.outputs), as_float(ref.outputs)
                ):
                    raise ValueError(
                        f"contracts[{i}] is on outputs {_grid(c.outputs)} but contracts[{first}] "
                        f"is on outputs {_grid(ref.outputs)}: a mixture's contracts must share "
                        "their outputs"
                    )
        object.__setattr__(self, "weights", w)
        object.__setattr__(self, "contracts", contracts)

    def sample(self, rng: Any = None) -> AnyContract:
        """Draw one contract; ``rng`` is a numpy Generator, an int seed or None."""
        i = int(_rng(rng).choice(len(self.contracts), p=as_float(self.weights)))
        return self.contracts[i]

    def mean_contract(self, outputs: Any = None) -> Contract:
        """Return the expected payments on ``outputs`` (default: the contracts' own grid)."""
        if outputs is None:
            grids = [c.outputs for c in self.contracts if isinstance(c, Contract)]
            if not grids:
                raise ValueError("pass outputs=: no contract of the mixture carries a grid")
            outputs = grids[0]
        y = outputs if isinstance(outputs, np.ndarray) else check_outputs(outputs)
        rows = [c.on(y).payments for c in self.contracts]
        exact = self.weights.dtype == object and all(r.dtype == object for r in rows)
        if exact:
            total = self.weights[0] * rows[0]
            for p, r in zip(self.weights[1:], rows[1:], strict=True):
                total = total + p * r
            return Contract(y, total)
        payments = sum(float(p) * as_float(r) for p, r in zip(self.weights, rows, strict=True))
        return Contract(as_float(y) if y.dtype == object else y, np.asarray(payments))

    def __repr__(self) -> str:
        k = len(self.contracts)
        head = f"ContractMixture: {k} contract{'s' * (k != 1)}"
        shown = min(k, _MAX_SHOWN)
        rows = [["weight", "contract"]]
        rows += [[fmt(self.weights[i]), repr(self.contracts[i])] for i in range(shown)]
        lines = [head, *(line for line in _left(rows))]
        if k > shown:
            lines.append(f"  ... {k - shown} more")
        return "\n".join(lines)


def _left(rows: list[list[str]]) -> list[str]:
    width = max(len(r[0]) for r in rows)
    return [f"  {r[0].ljust(width)}  {r[1]}" for r in rows]


def _grid(y: np.ndarray) -> str:
    shown = ", ".join(fmt(v) for v in y[:6])
    return f"[{shown}{', ...' if y.size > 6 else ''}]"
