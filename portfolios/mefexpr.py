r"""The Open-PSA MEF probability layer: parameters, expressions and random deviates.

Definitions
-----------
A basic event's probability in the MEF is an *expression* over constants, the mission time and
*parameters* (``<define-parameter name=... unit=...>``, each defined once, referenced by name
from anywhere in the model; no cycle). :class:`Program` is the compiled form: every expression
node once, in an order where arguments come first, so that evaluating the model is one loop
(no recursion, however deep the nesting). A parameter referenced by many basic events is one
node, so in an uncertainty analysis it is drawn once per trial for all of them: the
state-of-knowledge correlation.

=======================  ==========================================================================
element                  value
=======================  ==========================================================================
``float`` ``int``        the ``value`` attribute; ``bool``: 1 for ``true``, 0 for ``false``
``pi``                   pi
``system-mission-time``  the mission time (``load(mission_time=...)``; default 8760 hours)
arithmetic               ``neg add sub mul div abs acos asin atan cos cosh exp log log10 mod pow
                         sin sinh sqrt tan tanh ceil floor min max mean``
Boolean                  ``not and or eq df lt gt leq geq`` (1 true, 0 false)
conditional              ``ite`` (condition, then, else); ``switch`` of ``case`` (condition, value)
                         and a last default value
``exponential``          ``1 - exp(-lambda t)`` for ``(lambda, t)``
``GLM``                  ``(lambda - (lambda - gamma (lambda + mu)) exp(-(lambda + mu) t)) /
                         (lambda + mu)`` for ``(gamma, lambda, mu, t)``
``Weibull``              ``1 - exp(-((t - t0) / alpha)^beta)`` for ``t > t0``, else 0
``periodic-test``        ``(lambda, tau, theta, t)``: ``1 - exp(-lambda t)`` until the first test
                         at ``theta``, then ``1 - exp(-lambda s)`` with ``s`` the time since the
                         last test (``tau`` at a test instant); ``(lambda, mu, tau, theta, t)``:
                         repair at rate ``mu``; ``(lambda, lambda*, mu, tau, theta, gamma, pi, x,
                         sigma, omega, t)``: tests that last, fail, miss, restart badly
                         (:mod:`portfolios.mefperiodic` derives the three)
``uniform-deviate``      ``(a, b)``, mean ``(a + b) / 2``
``normal-deviate``       ``(mu, sigma)``, mean ``mu``
``lognormal-deviate``    ``(mean, EF, level)``: ``sigma = ln(EF) / z_level``, ``mu = ln(mean) -
                         sigma^2 / 2``; or ``(mu, sigma)`` of the logarithm, mean
                         ``exp(mu + sigma^2 / 2)``
``gamma-deviate``        ``(k, theta)``, mean ``k theta``
``beta-deviate``         ``(alpha, beta)``, mean ``alpha / (alpha + beta)``
``histogram``            a lower boundary then ``bin`` elements ``(upper boundary, weight)``;
                         mean ``sum w_i (b_{i-1} + b_i) / 2 / sum w_i``
=======================  ==========================================================================

The *point value* of a model (what :meth:`FaultTree.probability
<portfolios.faulttree.FaultTree.probability>` uses) evaluates every deviate at its mean, as
SCRAM does. Units (``unit=`` of a parameter: ``bool int float hours hours-1 years years-1 fit
demands``) are checked, never converted: :func:`portfolios.openpsa.load` infers the unit of
every expression and refuses inconsistent ones (:mod:`portfolios.mefunits`). ``extern-function``
is refused.

The arguments of the built-ins are validated as SCRAM validates them: ``exponential`` needs
``lambda, t >= 0``; ``GLM`` ``gamma`` in [0, 1], ``lambda > 0``, ``mu, t >= 0``; ``Weibull``
``alpha, beta > 0``, ``t0, t >= 0``; ``periodic-test`` as in :mod:`portfolios.mefperiodic`.

Errors (an invalid deviate or built-in argument, a probability outside [0, 1], a division by
zero) name the file, the line and the element of the expression, and for a sampled value in how
many trials.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np

from . import mefperiodic
from ._mefchecks import require
from .errors import PortfolioError

__all__ = [
    "DEFAULT_MISSION_TIME",
    "DEVIATES",
    "OPERATIONS",
    "UNITS",
    "Program",
    "Where",
]

#: The mission time (hours) when a model gives none (SCRAM's and XFTA's default).
DEFAULT_MISSION_TIME = 8760.0
#: The units a parameter may declare (checked by :mod:`portfolios.mefunits`, not converted).
UNITS = ("bool", "int", "float", "hours", "hours-1", "years", "years-1", "fit", "demands")
#: The random deviates and their numbers of arguments.
DEVIATES: dict[str, tuple[int, ...]] = {
    "uniform-deviate": (2,),
    "normal-deviate": (2,),
    "lognormal-deviate": (2, 3),
    "gamma-deviate": (2,),
    "beta-deviate": (2,),
    "histogram": (),
}


def _ite(c: Any, a: Any, b: Any) -> Any:
    return np.where(np.asarray(c) != 0, a, b)


def _exponential(lam: Any, t: Any) -> Any:
    require(np.asarray(lam) >= 0, "a failure rate lambda >= 0", lam)
    require(np.asarray(t) >= 0, "a time t >= 0", t)
    return -np.expm1(-np.asarray(lam) * t)


def _glm(gamma: Any, lam: Any, mu: Any, t: Any) -> Any:
    require(
        (np.asarray(gamma) >= 0) & (np.asarray(gamma) <= 1), "a probability gamma in [0, 1]", gamma
    )
    require(np.asarray(lam) > 0, "a failure rate lambda > 0", lam)
    require(np.asarray(mu) >= 0, "a repair rate mu >= 0", mu)
    require(np.asarray(t) >= 0, "a time t >= 0", t)
    r = lam + mu
    return (lam - (lam - gamma * r) * np.exp(-r * t)) / r


def _weibull(alpha: Any, beta: Any, t0: Any, t: Any) -> Any:
    require(np.asarray(alpha) > 0, "a scale alpha > 0", alpha)
    require(np.asarray(beta) > 0, "a shape beta > 0", beta)
    require(np.asarray(t0) >= 0, "a time shift t0 >= 0", t0)
    require(np.asarray(t) >= 0, "a time t >= 0", t)
    with np.errstate(invalid="ignore"):
        return np.where(t <= t0, 0.0, -np.expm1(-np.power(np.maximum(t - t0, 0) / alpha, beta)))


#: Operations: name -> (numbers of arguments allowed (empty: at least one), function).
OPERATIONS: dict[str, tuple[tuple[int, ...], Callable[..., Any]]] = {
    "neg": ((1,), np.negative),
    "add": ((), lambda *a: sum(a[1:], a[0])),
    "sub": ((), lambda *a: a[0] - sum(a[2:], a[1]) if len(a) > 1 else a[0]),
    "mul": ((), lambda *a: math.prod(a[1:], start=a[0])),
    "div": ((), lambda *a: a[0] / math.prod(a[2:], start=a[1]) if len(a) > 1 else a[0]),
    "abs": ((1,), np.abs),
    "acos": ((1,), np.arccos),
    "asin": ((1,), np.arcsin),
    "atan": ((1,), np.arctan),
    "cos": ((1,), np.cos),
    "cosh": ((1,), np.cosh),
    "exp": ((1,), np.exp),
    "log": ((1,), np.log),
    "log10": ((1,), np.log10),
    "mod": ((2,), np.fmod),
    "pow": ((2,), np.power),
    "sin": ((1,), np.sin),
    "sinh": ((1,), np.sinh),
    "sqrt": ((1,), np.sqrt),
    "tan": ((1,), np.tan),
    "tanh": ((1,), np.tanh),
    "ceil": ((1,), np.ceil),
    "floor": ((1,), np.floor),
    "min": ((), lambda *a: np.minimum.reduce(np.broadcast_arrays(*a))),
    "max": ((), lambda *a: np.maximum.reduce(np.broadcast_arrays(*a))),
    "mean": ((), lambda *a: sum(a[1:], a[0]) / len(a)),
    "not": ((1,), lambda a: (np.asarray(a) == 0).astype(float)),
    "and": ((), lambda *a: np.logical_and.reduce([np.asarray(x) != 0 for x in a]).astype(float)),
    "or": ((), lambda *a: np.logical_or.reduce([np.asarray(x) != 0 for x in a]).astype(float)),
    "eq": ((2,), lambda a, b: (np.asarray(a) == b).astype(float)),
    "df": ((2,), lambda a, b: (np.asarray(a) != b).astype(float)),
    "lt": ((2,), lambda a, b: (np.asarray(a) < b).astype(float)),
    "gt": ((2,), lambda a, b: (np.asarray(a) > b).astype(float)),
    "leq": ((2,), lambda a, b: (np.asarray(a) <= b).astype(float)),
    "geq": ((2,), lambda a, b: (np.asarray(a) >= b).astype(float)),
    "ite": ((3,), _ite),
    "exponential": ((2,), _exponential),
    "GLM": ((4,), _glm),
    "Weibull": ((4,), _weibull),
    "periodic-test": ((4, 5, 11), mefperiodic.periodic_test),
}


@dataclass(frozen=True)
class Where:
    """Where an expression node was read: file, line, the element and its owner."""

    file: str | None
    line: int | None
    element: str
    owner: str | None = None

    def error(self, problem: str) -> PortfolioError:
        """Return a :class:`PortfolioError` placed here."""
        return PortfolioError(
            self.file,
            f"<{self.element}>: {problem}",
            section="define-parameter" if self.owner is None else "expression",
            entry=self.owner,
            line=self.line,
        )


class Program:
    """Compiled expressions: nodes ``(op, arguments, constant, where)``, arguments first.

    ``op`` is ``"const"`` (the constant), an :data:`OPERATIONS` name, a :data:`DEVIATES` name
    or ``"histogram"`` (arguments: the lower boundary, then upper boundary and weight of each
    bin).

    Examples
    --------
    >>> P = Program()
    >>> lam = P.add("const", (), 1e-4)
    >>> t = P.add("const", (), 1000.0)
    >>> q = P.add("exponential", (lam, t))
    >>> round(float(P.point()[q]), 10)  # 1 - exp(-0.1)
    0.095162582
    >>> x = P.add("uniform-deviate", (P.add("const", (), 0.0), P.add("const", (), 0.2)))
    >>> float(P.point()[x])  # a deviate's point value is its mean
    0.1
    >>> s = P.sample(np.random.default_rng(1), 4)[x]
    >>> s.shape, bool(((0 <= s) & (s <= 0.2)).all())
    ((4,), True)
    """

    def __init__(self) -> None:
        self.nodes: list[tuple[str, tuple[int, ...], float, Where | None]] = []

    def __len__(self) -> int:
        return len(self.nodes)

    def add(
        self, op: str, args: Sequence[int] = (), constant: float = 0.0, where: Where | None = None
    ) -> int:
        """Append a node (its arguments must exist) and return its index."""
        for a in args:
            if not 0 <= a < len(self.nodes):
                raise PortfolioError(None, f"expression argument {a} does not exist yet")
        arity = OPERATIONS[op][0] if op in OPERATIONS else DEVIATES.get(op)
        if op != "const" and arity is None:
            raise (where or Where(None, None, op)).error(f"unknown expression <{op}>")
        if op == "histogram":
            if len(args) < 3 or len(args) % 2 == 0:
                raise (where or Where(None, None, op)).error(
                    "a histogram is a lower boundary and at least one bin"
                )
        elif arity is not None and op != "const":
            if arity and len(args) not in arity:
                expected = " or ".join(map(str, arity))
                raise (where or Where(None, None, op)).error(
                    f"takes {expected} arguments, got {len(args)}"
                )
            if not arity and not args:
                raise (where or Where(None, None, op)).error("needs arguments")
        self.nodes.append((op, tuple(args), float(constant), where))
        return len(self.nodes) - 1

    def is_random(self) -> np.ndarray:
        """Return a mask of the nodes whose value depends on a deviate."""
        random = np.zeros(len(self.nodes), bool)
        for i, (op, args, _, _) in enumerate(self.nodes):
            random[i] = op in DEVIATES or any(random[a] for a in args)
        return random

    def point(self) -> list[Any]:
        """Return the value of every node with each deviate at its mean (floats)."""
        return self._run(None, 1, point=True)

    def sample(self, rng: np.random.Generator, n: int) -> list[Any]:
        """Return ``n`` joint samples of every node (arrays of shape ``(n,)`` or scalars).

        Each deviate node is drawn once per trial (``n`` draws), whatever refers to it.
        """
        return self._run(rng, n, point=False)

    def _run(self, rng: np.random.Generator | None, n: int, *, point: bool) -> list[Any]:
        values: list[Any] = []
        for op, args, constant, where in self.nodes:
            here = where or Where(None, None, op)
            if op == "const":
                values.append(constant)
                continue
            a = [np.float64(values[i]) if isinstance(values[i], float) else values[i] for i in args]
            with np.errstate(all="ignore"):
                if op in DEVIATES:
                    value = _deviate(op, a, here, rng, n, point)
                else:
                    try:
                        value = OPERATIONS[op][1](*a)
                    except ValueError as err:  # an argument out of its domain
                        raise here.error(str(err)) from err
            arr = np.asarray(value, dtype=float)
            if not np.isfinite(arr).all():
                raise here.error(
                    f"the value is not a finite number ({_show(arr)}): check its arguments "
                    f"({', '.join(_show(np.asarray(x, float)) for x in a)})"
                )
            values.append(float(arr) if arr.ndim == 0 else arr)
        return values


def _show(x: np.ndarray) -> str:
    if x.ndim == 0:
        return f"{float(x):g}"
    bad = x[~np.isfinite(x)] if not np.isfinite(x).all() else x
    return f"{float(bad.flat[0]):g} in one of {x.size} trials"


def _check(ok: Any, where: Where, problem: str, *values: Any) -> None:
    if not np.all(ok):
        shown = ", ".join(_show(np.asarray(v, float)) for v in values)
        raise where.error(f"{problem} (got {shown})")


def _deviate(
    op: str, a: list[Any], where: Where, rng: np.random.Generator | None, n: int, point: bool
) -> Any:
    g = rng if rng is not None else np.random.default_rng(0)  # used only when sampling
    if op == "uniform-deviate":
        lo, hi = a
        _check(np.asarray(lo) <= hi, where, "needs min <= max", lo, hi)
        return (np.asarray(lo) + hi) / 2 if point else g.uniform(lo, hi, n)
    if op == "normal-deviate":
        mu, sigma = a
        _check(np.asarray(sigma) > 0, where, "needs sigma > 0", sigma)
        return mu if point else g.normal(mu, sigma, n)
    if op == "lognormal-deviate":
        if len(a) == 3:
            mean, ef, level = a
            _check(np.asarray(mean) > 0, where, "needs mean > 0", mean)
            _check(np.asarray(ef) > 1, where, "needs an error factor > 1", ef)
            _check(
                (np.asarray(level) > 0) & (np.asarray(level) < 1),
                where,
                "needs 0 < level < 1",
                level,
            )
            z = np.vectorize(NormalDist().inv_cdf)(level)
            sigma = np.log(ef) / z
            mu = np.log(mean) - sigma**2 / 2
        else:
            mu, sigma = a
            _check(np.asarray(sigma) > 0, where, "needs sigma > 0", sigma)
        if point:
            return np.exp(np.asarray(mu) + np.asarray(sigma) ** 2 / 2)
        return g.lognormal(mu, sigma, n)
    if op == "gamma-deviate":
        k, theta = a
        _check((np.asarray(k) > 0) & (np.asarray(theta) > 0), where, "needs k, theta > 0", k, theta)
        return np.asarray(k) * theta if point else g.gamma(k, theta, n)
    if op == "beta-deviate":
        alpha, beta = a
        _check(
            (np.asarray(alpha) > 0) & (np.asarray(beta) > 0),
            where,
            "needs alpha, beta > 0",
            alpha,
            beta,
        )
        if point:
            return np.asarray(alpha) / (np.asarray(alpha) + beta)
        return g.beta(alpha, beta, n)
    # histogram: lower boundary, then (upper, weight) per bin
    bounds = [np.asarray(x, float) for x in [a[0], *a[1::2]]]
    weights = [np.asarray(x, float) for x in a[2::2]]
    for lower, upper in itertools.pairwise(bounds):
        _check(lower < upper, where, "bin boundaries must increase", lower, upper)
    for w in weights:
        _check(w >= 0, where, "bin weights must be non-negative", w)
    total = sum(weights[1:], weights[0])
    _check(total > 0, where, "bin weights must not all be 0", total)
    if point:
        return (
            sum(w * (lo + hi) / 2 for w, lo, hi in zip(weights, bounds, bounds[1:], strict=False))
            / total
        )
    b = np.array([np.broadcast_to(x, (n,)) for x in bounds])  # (bins + 1, n)
    w = np.array([np.broadcast_to(x, (n,)) for x in weights])  # (bins, n)
    cum = np.cumsum(w, axis=0) / np.broadcast_to(total, (n,))
    u = g.uniform(size=n)
    which = np.minimum((u[None, :] > cum).sum(axis=0), len(weights) - 1)
    cols = np.arange(n)
    return g.uniform(b[which, cols], b[which + 1, cols])


@dataclass(frozen=True, eq=False)
class Model:
    """The probability model of a fault tree read from the MEF.

    Attributes
    ----------
    program : Program
        Every expression, compiled.
    basic_events : mapping of str to int
        The node of each basic event's probability.
    ccf_groups : mapping of str to (int or None, tuple of int)
        The nodes of each CCF group's distribution and factors.
    where : mapping of str to (str, int)
        The file and line of each definition.
    """

    program: Program
    basic_events: dict[str, int]
    ccf_groups: dict[str, tuple[int | None, tuple[int, ...]]]
    where: dict[str, tuple[str, int]]

    def random_events(self) -> list[str]:
        """Return the basic events whose probability depends on a deviate."""
        random = self.program.is_random()
        return [b for b, i in self.basic_events.items() if random[i]]

    def sample(self, rng: np.random.Generator, n: int) -> list[Any]:
        """Return ``n`` joint samples of every node (see :meth:`Program.sample`)."""
        return self.program.sample(rng, n)
