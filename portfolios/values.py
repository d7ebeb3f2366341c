"""Probabilities that are not one number: intervals, distributions and shared parameters.

Definitions
-----------
Any probability of a portfolio (the ``p_fail`` of a latent variable or an assumption, each
``holds`` / ``fails`` entry of a conditional ``p_fail``, a case's ``soundness_error``) is one
of these values:

a number
    A point: a finite float in [0, 1].
:class:`Interval` ``[lo, hi]``
    The probability is some number in ``[lo, hi]`` and nothing more is said about it (a
    *credal* or imprecise probability: "between 5% and 15%"). ``0 <= lo <= hi <= 1``; an
    interval with ``lo == hi`` is read as the point ``lo``. It has no point value: the
    analyses that need one refuse it and name :func:`portfolios.bounds.bounds`.
a distribution
    The probability is uncertain with a stated spread (an elicited belief, a posterior):
    :class:`Beta` ``{beta: [a, b]}``, :class:`LogNormal` ``{lognormal: {median: m,
    error_factor: k}}``, :class:`Uniform` ``{uniform: [lo, hi]}``, :class:`Triangular`
    ``{triangular: [lo, mode, hi]}``. Its *point value* (what ``p_unprotected`` and the score
    use) is its mean; :func:`portfolios.uncertainty.uncertainty` propagates the whole
    distribution.
:class:`Param` ``{param: NAME}``
    The value of the parameter ``NAME`` of the portfolio's ``parameters`` section (any of the
    forms above, or another ``{param: ...}``). Every probability that names the same parameter
    takes the *same* value: one draw of a distribution serves them all (state-of-knowledge
    correlation, as in probabilistic safety assessment), and a shared interval is one unknown
    number.

The lognormal follows the convention of probabilistic safety assessment: the error factor
``k`` is the ratio of the 95th percentile to the median, so ``sigma = ln(k) / z`` with
``z = 1.6448...`` the standard normal 95% quantile and ``mu = ln(m)``. Its support is
``(0, inf)``: a lognormal whose mass above 1 exceeds :data:`LOGNORMAL_MAX_TAIL` is refused
(the error states the mass); below that, it is *truncated* to ``(0, 1]`` (conditioned on
``X <= 1``): samples are drawn from the truncated law by inverse transform, and its mean is
the truncated law's, in closed form. The other three distributions live in [0, 1] by their
parameters.

Every check raises a :class:`~portfolios.errors.PortfolioError`; the file reader and the
entries add the file, the entry and the field.

Examples
--------
>>> from portfolios.values import Beta, Interval, LogNormal, parse_value
>>> parse_value([0.05, 0.15])
Interval(0.05, 0.15)
>>> parse_value([0.1, 0.1])  # an interval of width 0 is a point
0.1
>>> b = parse_value({"beta": [2, 8]})
>>> b, b.mean
(Beta(2.0, 8.0), 0.2)
>>> round(LogNormal(1.0e-3, 10.0).tail, 9)  # Phi(ln(1e-3) / sigma): tiny, so truncated
4.02e-07
>>> parse_value({"lognormal": {"median": 0.1, "error_factor": 30}})
Traceback (most recent call last):
...
portfolios.errors.PortfolioError: lognormal: median 0.1 and error factor 30 put mass 0.133
above 1 (at most LOGNORMAL_MAX_TAIL = 0.0001 is truncated); use a smaller error factor, or a beta
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Real
from statistics import NormalDist
from typing import Any, ClassVar

import numpy as np

from .errors import PortfolioError, quote

__all__ = [
    "DISTRIBUTIONS",
    "LOGNORMAL_MAX_TAIL",
    "Beta",
    "Distribution",
    "Interval",
    "LogNormal",
    "Param",
    "Triangular",
    "Uniform",
    "Value",
    "is_point",
    "parse_value",
    "point_value",
    "value_to_data",
]

#: A lognormal whose probability mass above 1 exceeds this is refused; below it, it is
#: truncated to (0, 1] (see the module docstring).
LOGNORMAL_MAX_TAIL = 1e-4

#: The standard normal 95% quantile: the error factor is exp(Z95 * sigma).
Z95 = NormalDist().inv_cdf(0.95)


def _number(value: Any, what: str) -> float:
    """Return ``value`` as a finite float; raise naming ``what`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise PortfolioError(None, f"{what} must be a number, got {quote(value)}")
    try:
        number = float(value)
    except (OverflowError, ValueError):  # an integer past the largest float
        number = math.inf
    if not math.isfinite(number):
        raise PortfolioError(None, f"{what} must be a finite number, got {quote(value)}")
    return number


def _probability(value: Any, what: str) -> float:
    number = _number(value, what)
    if not 0.0 <= number <= 1.0:
        raise PortfolioError(None, f"{what} must be a probability in [0, 1], got {quote(value)}")
    return number


def _set(obj: Any, field: str, value: Any) -> None:
    object.__setattr__(obj, field, value)


@dataclass(frozen=True)
class Interval:
    """A probability known only to lie in ``[lo, hi]`` (``0 <= lo <= hi <= 1``).

    Written ``[lo, hi]`` in files. Built directly, ``lo == hi`` is allowed (the readers turn
    it into a point).

    Examples
    --------
    >>> Interval(0.05, 0.15).width, 0.1 in Interval(0.05, 0.15)
    (0.09999999999999999, True)
    >>> Interval(0.2, 0.1)
    Traceback (most recent call last):
    ...
    portfolios.errors.PortfolioError: interval [0.2, 0.1]: lo must not exceed hi
    """

    lo: float
    hi: float

    def __post_init__(self) -> None:
        _set(self, "lo", _probability(self.lo, "interval lo"))
        _set(self, "hi", _probability(self.hi, "interval hi"))
        if self.lo > self.hi:
            raise PortfolioError(
                None, f"interval [{self.lo!r}, {self.hi!r}]: lo must not exceed hi"
            )

    @property
    def width(self) -> float:
        """``hi - lo``."""
        return self.hi - self.lo

    def __contains__(self, value: float) -> bool:
        return self.lo <= value <= self.hi

    def to_data(self) -> list[float]:
        """Return the file form ``[lo, hi]``."""
        return [self.lo, self.hi]

    def __repr__(self) -> str:
        return f"Interval({self.lo!r}, {self.hi!r})"


class Distribution:
    """A probability distribution on [0, 1]: the common interface of the four kinds.

    Attributes
    ----------
    kind : str
        The key of its file form (``"beta"``, ``"lognormal"``, ``"uniform"``,
        ``"triangular"``).
    mean : float
        Its mean: the point value used where one number is needed.
    variance : float
        Its variance.
    """

    kind: ClassVar[str] = ""

    @property
    def mean(self) -> float:  # pragma: no cover - every subclass defines it
        """The mean."""
        raise NotImplementedError

    @property
    def variance(self) -> float:  # pragma: no cover - every subclass defines it
        """The variance."""
        raise NotImplementedError

    def sample(self, generator: np.random.Generator, size: int) -> np.ndarray:  # pragma: no cover
        """Return ``size`` independent draws (a float64 array) from ``generator``."""
        raise NotImplementedError

    def to_data(self) -> dict[str, Any]:  # pragma: no cover
        """Return the file form ``{kind: parameters}``."""
        raise NotImplementedError


@dataclass(frozen=True, repr=False)
class Beta(Distribution):
    """The Beta(a, b) distribution (``a, b > 0``), written ``{beta: [a, b]}``.

    Examples
    --------
    >>> b = Beta(2, 8)
    >>> b.mean, round(b.variance, 6)  # a / (a + b), ab / ((a + b)^2 (a + b + 1))
    (0.2, 0.014545)
    """

    a: float
    b: float
    kind: ClassVar[str] = "beta"

    def __post_init__(self) -> None:
        for name in ("a", "b"):
            value = _number(getattr(self, name), f"beta: {name}")
            if value <= 0.0:
                raise PortfolioError(None, f"beta: {name} must be positive, got {quote(value)}")
            _set(self, name, value)

    @property
    def mean(self) -> float:
        """``a / (a + b)``."""
        return self.a / (self.a + self.b)

    @property
    def variance(self) -> float:
        """``a b / ((a + b)^2 (a + b + 1))``."""
        s = self.a + self.b
        return self.a * self.b / (s * s * (s + 1.0))

    def sample(self, generator: np.random.Generator, size: int) -> np.ndarray:
        """Draw with ``generator.beta``."""
        return np.asarray(generator.beta(self.a, self.b, size), dtype=float)

    def to_data(self) -> dict[str, Any]:
        """Return ``{"beta": [a, b]}``."""
        return {"beta": [self.a, self.b]}

    def __repr__(self) -> str:
        return f"Beta({self.a!r}, {self.b!r})"


@dataclass(frozen=True, repr=False)
class LogNormal(Distribution):
    """A lognormal given by its median and error factor, truncated to (0, 1].

    Written ``{lognormal: {median: m, error_factor: k}}``: ``0 < m <= 1``, ``k > 1``, with
    ``k`` the ratio of the 95th percentile to the median (module docstring). The mass above 1
    (:attr:`tail`) must not exceed :data:`LOGNORMAL_MAX_TAIL`; the law used is the lognormal
    conditioned on ``X <= 1``.

    Examples
    --------
    >>> d = LogNormal(0.01, 3)
    >>> round(d.sigma, 6), d.tail < 1e-11  # ln 3 / 1.644854; Phi(ln 0.01 / sigma) = 2.7e-12
    (0.667909, True)
    >>> round(d.mean / 0.01, 6)  # exp(sigma^2 / 2): the tail above 1 is negligible here
    1.249884
    """

    median: float
    error_factor: float
    kind: ClassVar[str] = "lognormal"

    def __post_init__(self) -> None:
        m = _number(self.median, "lognormal: median")
        k = _number(self.error_factor, "lognormal: error_factor")
        if not 0.0 < m <= 1.0:
            raise PortfolioError(None, f"lognormal: median must be in (0, 1], got {quote(m)}")
        if k <= 1.0:
            raise PortfolioError(
                None,
                f"lognormal: error_factor must exceed 1 (the 95th percentile over the "
                f"median), got {quote(k)}",
            )
        _set(self, "median", m)
        _set(self, "error_factor", k)
        if self.tail > LOGNORMAL_MAX_TAIL:
            raise PortfolioError(
                None,
                f"lognormal: median {self.median:g} and error factor {self.error_factor:g} put "
                f"mass {self.tail:.3g} above 1 (at most LOGNORMAL_MAX_TAIL = "
                f"{LOGNORMAL_MAX_TAIL:g} is truncated); use a smaller error factor, or a beta",
            )

    @property
    def sigma(self) -> float:
        """``ln(error_factor) / z_0.95``."""
        return math.log(self.error_factor) / Z95

    @property
    def mu(self) -> float:
        """``ln(median)``."""
        return math.log(self.median)

    @property
    def tail(self) -> float:
        """The untruncated lognormal's mass above 1: ``Phi(ln(m) / sigma)``."""
        x = self.mu / self.sigma
        return 0.5 * math.erfc(-x / math.sqrt(2.0))

    def _raw_moment(self, r: int) -> float:
        """``E[X^r ; X <= 1]`` of the untruncated law (closed form)."""
        mu, s = self.mu, self.sigma
        x = (-mu - r * s * s) / s
        return math.exp(r * mu + 0.5 * r * r * s * s) * 0.5 * math.erfc(-x / math.sqrt(2.0))

    @property
    def mean(self) -> float:
        """The mean of the truncated law: ``E[X ; X <= 1] / P(X <= 1)``."""
        return self._raw_moment(1) / (1.0 - self.tail)

    @property
    def variance(self) -> float:
        """The variance of the truncated law."""
        second = self._raw_moment(2) / (1.0 - self.tail)
        return max(0.0, second - self.mean**2)

    def sample(self, generator: np.random.Generator, size: int) -> np.ndarray:
        """Draw by inverse transform of the truncated law: ``exp(mu + sigma ndtri(u F(1)))``."""
        from scipy.special import ndtri

        u = generator.random(size) * (1.0 - self.tail)
        return np.minimum(np.exp(self.mu + self.sigma * ndtri(u)), 1.0)

    def to_data(self) -> dict[str, Any]:
        """Return ``{"lognormal": {"median": m, "error_factor": k}}``."""
        return {"lognormal": {"median": self.median, "error_factor": self.error_factor}}

    def __repr__(self) -> str:
        return f"LogNormal(median={self.median!r}, error_factor={self.error_factor!r})"


@dataclass(frozen=True, repr=False)
class Uniform(Distribution):
    """The uniform distribution on ``[lo, hi]`` (``0 <= lo < hi <= 1``): ``{uniform: [lo, hi]}``.

    Unlike :class:`Interval`, it says every value of the range is equally likely.

    Examples
    --------
    >>> Uniform(0.0, 0.5).mean, Uniform(0.0, 0.5).variance  # (hi - lo)^2 / 12
    (0.25, 0.020833333333333332)
    """

    lo: float
    hi: float
    kind: ClassVar[str] = "uniform"

    def __post_init__(self) -> None:
        _set(self, "lo", _probability(self.lo, "uniform: lo"))
        _set(self, "hi", _probability(self.hi, "uniform: hi"))
        if not self.lo < self.hi:
            raise PortfolioError(
                None,
                f"uniform: needs lo < hi, got [{self.lo!r}, {self.hi!r}] (for a known value write "
                "the number)",
            )

    @property
    def mean(self) -> float:
        """``(lo + hi) / 2``."""
        return 0.5 * (self.lo + self.hi)

    @property
    def variance(self) -> float:
        """``(hi - lo)^2 / 12``."""
        return (self.hi - self.lo) ** 2 / 12.0

    def sample(self, generator: np.random.Generator, size: int) -> np.ndarray:
        """Draw with ``generator.uniform``."""
        return np.asarray(generator.uniform(self.lo, self.hi, size), dtype=float)

    def to_data(self) -> dict[str, Any]:
        """Return ``{"uniform": [lo, hi]}``."""
        return {"uniform": [self.lo, self.hi]}

    def __repr__(self) -> str:
        return f"Uniform({self.lo!r}, {self.hi!r})"


@dataclass(frozen=True, repr=False)
class Triangular(Distribution):
    """The triangular distribution ``{triangular: [lo, mode, hi]}`` (``lo <= mode <= hi > lo``).

    Examples
    --------
    >>> t = Triangular(0.0, 0.1, 0.5)
    >>> round(t.mean, 12)  # (lo + mode + hi) / 3
    0.2
    """

    lo: float
    mode: float
    hi: float
    kind: ClassVar[str] = "triangular"

    def __post_init__(self) -> None:
        for name in ("lo", "mode", "hi"):
            _set(self, name, _probability(getattr(self, name), f"triangular: {name}"))
        if not (self.lo <= self.mode <= self.hi and self.lo < self.hi):
            raise PortfolioError(
                None,
                f"triangular: needs lo <= mode <= hi and lo < hi, got "
                f"[{self.lo!r}, {self.mode!r}, {self.hi!r}]",
            )

    @property
    def mean(self) -> float:
        """``(lo + mode + hi) / 3``."""
        return (self.lo + self.mode + self.hi) / 3.0

    @property
    def variance(self) -> float:
        """``(a^2 + b^2 + c^2 - ab - ac - bc) / 18``."""
        a, c, b = self.lo, self.mode, self.hi
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0

    def sample(self, generator: np.random.Generator, size: int) -> np.ndarray:
        """Draw with ``generator.triangular``."""
        return np.asarray(generator.triangular(self.lo, self.mode, self.hi, size), dtype=float)

    def to_data(self) -> dict[str, Any]:
        """Return ``{"triangular": [lo, mode, hi]}``."""
        return {"triangular": [self.lo, self.mode, self.hi]}

    def __repr__(self) -> str:
        return f"Triangular({self.lo!r}, {self.mode!r}, {self.hi!r})"


@dataclass(frozen=True)
class Param:
    """A reference to the parameter ``name`` of the portfolio's ``parameters`` section.

    Written ``{param: NAME}``. Which value it stands for is resolved with the portfolio
    (unknown names and cycles are refused by :func:`portfolios.validation.check_portfolio`).
    """

    name: str

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise PortfolioError(None, f"param: expected a parameter name, got {quote(self.name)}")

    def to_data(self) -> dict[str, Any]:
        """Return ``{"param": name}``."""
        return {"param": self.name}


#: The distribution kinds by their file key.
DISTRIBUTIONS: dict[str, type[Distribution]] = {
    "beta": Beta,
    "lognormal": LogNormal,
    "uniform": Uniform,
    "triangular": Triangular,
}

#: A probability value: a point, an interval, a distribution or a shared parameter.
Value = float | Interval | Distribution | Param


def _sequence(value: Any, n: int, kind: str, names: str) -> list[Any]:
    if not isinstance(value, list | tuple) or len(value) != n:
        raise PortfolioError(None, f"{kind}: expected a list [{names}], got {quote(value)}")
    return list(value)


def _distribution(kind: str, raw: Any) -> Distribution:
    if kind == "beta":
        a, b = _sequence(raw, 2, kind, "a, b")
        return Beta(a, b)
    if kind == "uniform":
        lo, hi = _sequence(raw, 2, kind, "lo, hi")
        return Uniform(lo, hi)
    if kind == "triangular":
        lo, mode, hi = _sequence(raw, 3, kind, "lo, mode, hi")
        return Triangular(lo, mode, hi)
    if not isinstance(raw, Mapping) or set(raw) != {"median", "error_factor"}:
        raise PortfolioError(
            None, f"lognormal: expected {{median: m, error_factor: k}}, got {quote(raw)}"
        )
    return LogNormal(raw["median"], raw["error_factor"])


def is_point(value: Any) -> bool:
    """Return True if ``value`` is a plain number (not an interval, distribution or parameter)."""
    return isinstance(value, float | int) and not isinstance(value, bool)


def parse_value(value: Any) -> Value:
    """Return a probability value from its file form or a value object; raise if invalid.

    The file forms: a number; ``[lo, hi]`` (an :class:`Interval`; a point when ``lo == hi``);
    ``{beta: [a, b]}``, ``{lognormal: {median: m, error_factor: k}}``, ``{uniform: [lo,
    hi]}``, ``{triangular: [lo, mode, hi]}``; ``{param: NAME}``. A number is checked to be a
    finite probability by the caller (:func:`portfolios.validation.check_probability`), which
    gives the hints of the file format; here it is returned as a float.
    """
    if isinstance(value, Interval):
        return value.lo if value.lo == value.hi else value
    if isinstance(value, Distribution | Param):
        return value
    if isinstance(value, list | tuple):
        if len(value) != 2:
            raise PortfolioError(
                None, f"an interval is written [lo, hi] (two numbers), got {quote(list(value))}"
            )
        interval = Interval(value[0], value[1])
        return interval.lo if interval.lo == interval.hi else interval
    if isinstance(value, Mapping):
        if len(value) != 1:
            raise PortfolioError(
                None,
                "a distribution or parameter is a mapping with one key (beta, lognormal, "
                f"uniform, triangular or param), got {quote(dict(value))}",
            )
        ((kind, raw),) = value.items()
        if kind == "param":
            return Param(raw)
        if kind not in DISTRIBUTIONS:
            raise PortfolioError(
                None,
                f"unknown kind of probability {quote(kind)} (expected beta, lognormal, uniform, "
                "triangular or param)",
            )
        return _distribution(kind, raw)
    if isinstance(value, bool) or not isinstance(value, Real):
        raise PortfolioError(None, f"expected a probability, got {quote(value)}")
    try:
        return float(value)
    except (OverflowError, ValueError):  # an integer past the largest float
        raise PortfolioError(None, f"{quote(value)} is not a probability in [0, 1]") from None


def point_value(value: Value) -> float:
    """Return the point value: the number, a distribution's mean, nan for an interval.

    A :class:`Param` has no value on its own (resolve it with the portfolio first).
    """
    if isinstance(value, Distribution):
        return value.mean
    if isinstance(value, Interval):
        return math.nan
    if isinstance(value, Param):
        raise PortfolioError(None, f"parameter {value.name!r} is not resolved")
    return float(value)


def value_to_data(value: Value) -> Any:
    """Return the file form of a value (a number, ``[lo, hi]`` or a one-key mapping)."""
    if isinstance(value, Interval | Distribution | Param):
        return value.to_data()
    return value
