r"""Contracts: limited-liability payment schedules :math:`w: Y \to \mathbb{R}_{\ge 0}`.

Three kinds, all callable on outputs like functions and all convertible to a payment vector on a
grid with ``.on(outputs)``:

* :class:`Contract`: any payment schedule on a finite output grid (bonuses, debt, spikes, ...);
* :class:`LinearContract`: :math:`w(y) = \alpha (y - y_0)`, the form Carroll proves optimal
  (``origin`` :math:`y_0` is the lowest output, 0 in Carroll's normalisation);
* :class:`AffineContract`: :math:`w(y) = \alpha y + \beta`, what the improvement step produces.

Limited liability (:math:`w \ge 0` on the grid) is checked whenever a contract meets a grid.

Examples
--------
>>> from fractions import Fraction as F
>>> bonus = Contract.from_function(lambda y: 1 if y >= 2 else 0, [0, 1, 2, 3])
>>> bonus
Contract(outputs=[0, 1, 2, 3], payments=[0, 0, 1, 1])
>>> bonus(2)
Fraction(1, 1)
>>> LinearContract(F(1, 2))(3)
Fraction(3, 2)
>>> AffineContract(0.5, -1.0).on([0, 1, 2])
Traceback (most recent call last):
...
ValueError: AffineContract(alpha=0.5, beta=-1) pays -1 at output 0: limited liability requires w >= 0
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ._numbers import (
    Number,
    VectorLike,
    as_float,
    as_scalar,
    as_vector,
    common,
    fmt,
    fmt_seq,
    to_python,
)
from .model import check_outputs

__all__ = ["AffineContract", "Contract", "LinearContract", "on_grid", "payments_on"]

#: Grids longer than this are summarised in ``repr``.
_MAX_SHOWN = 12


def _check_payments(payments: np.ndarray, label: str, outputs: np.ndarray) -> None:
    neg = np.flatnonzero(payments < 0)
    if neg.size:
        i = int(neg[0])
        raise ValueError(
            f"{label} pays {fmt(payments[i])} at output {fmt(outputs[i])}: "
            "limited liability requires w >= 0"
        )


def _same_grid(a: np.ndarray, b: np.ndarray) -> bool:
    """Return True for equal grids: compared exactly if both are exact, else as floats.

    An exact grid with a value beyond the float range equals no float grid.
    """
    if a.dtype == object and b.dtype == object:
        return bool(np.array_equal(a, b))
    try:
        return bool(np.array_equal(as_float(a), as_float(b)))
    except ValueError:  # an exact entry beyond the float range
        return False


def _evaluate(values: Any, fn: Callable[[np.ndarray], np.ndarray]) -> Any:
    """Apply an array function to a scalar or an array of outputs; scalars come back as scalars."""
    if np.ndim(values) == 0:
        return to_python(fn(as_vector([values], "y"))[0])
    return fn(as_vector(values, "y"))


@dataclass(frozen=True, eq=False, init=False)
class Contract:
    """A limited-liability contract given by its payments on a finite output grid.

    Parameters
    ----------
    outputs : array_like
        The output grid (finite, ``>= 0``, strictly increasing).
    payments : array_like
        One payment per output, each ``>= 0`` (limited liability).

    See Also
    --------
    Contract.from_function : build one from a Python function of the output.
    """

    outputs: np.ndarray
    payments: np.ndarray

    def __init__(self, outputs: VectorLike, payments: VectorLike) -> None:
        y = check_outputs(outputs)
        w = as_vector(payments, "payments")
        if w.size != y.size:
            raise ValueError(f"payments has {w.size} entries but there are {y.size} outputs")
        _check_payments(w, "the contract", y)
        object.__setattr__(self, "outputs", y)
        object.__setattr__(self, "payments", w)

    @classmethod
    def from_function(cls, f: Callable[[Any], Any], outputs: Any) -> Contract:
        """Tabulate ``f`` on the grid: ``payments[i] = f(outputs[i])``.

        ``f`` is called once per output with a Python number (a ``Fraction`` for an exact grid),
        so it may use ``if``/``min``/``max`` freely.

        Examples
        --------
        >>> Contract.from_function(lambda y: max(y - 2, 0), [0, 1, 2, 3, 4])  # debt with face 2
        Contract(outputs=[0, 1, 2, 3, 4], payments=[0, 0, 0, 1, 2])
        """
        y = check_outputs(outputs)
        payments = [f(to_python(v)) for v in y]
        return cls(y, payments)

    @property
    def exact(self) -> bool:
        """True when outputs and payments are exact Fractions."""
        return self.outputs.dtype == object and self.payments.dtype == object

    def on(self, outputs: Any) -> Contract:
        """Return this contract on the grid ``outputs``; it must be the contract's own grid."""
        y = outputs if isinstance(outputs, np.ndarray) else check_outputs(outputs)
        if y.shape != self.outputs.shape or not _same_grid(y, self.outputs):
            raise ValueError(
                f"the contract is defined on outputs {fmt_seq(self.outputs[:_MAX_SHOWN])}"
                f"{' ...' if self.outputs.size > _MAX_SHOWN else ''} ({self.outputs.size} points)"
                f", not on the technology's outputs {fmt_seq(y[:_MAX_SHOWN])}"
                f"{' ...' if y.size > _MAX_SHOWN else ''} ({y.size} points)"
            )
        return self

    def __call__(self, y: Any) -> Any:
        """Return the payment at output ``y`` (a grid point, or an array of grid points)."""

        def lookup(values: np.ndarray) -> np.ndarray:
            grid, v = (
                (self.outputs, values) if values.dtype == object else common(self.outputs, values)
            )
            idx = np.clip(np.searchsorted(grid, v), 0, grid.size - 1)
            off = np.flatnonzero(grid[idx] != v)
            if off.size:
                raise ValueError(
                    f"output {fmt(values[off[0]])} is not on the contract's grid; "
                    "a Contract is defined on its outputs only"
                )
            return self.payments[idx]

        return _evaluate(y, lookup)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Contract):
            return NotImplemented
        return bool(
            np.array_equal(self.outputs, other.outputs)
            and np.array_equal(self.payments, other.payments)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        if self.outputs.size > _MAX_SHOWN:
            return (
                f"Contract({self.outputs.size} outputs {fmt(self.outputs[0])}.."
                f"{fmt(self.outputs[-1])}, payments {fmt(self.payments.min())}.."
                f"{fmt(self.payments.max())})"
            )
        return f"Contract(outputs={fmt_seq(self.outputs)}, payments={fmt_seq(self.payments)})"


def _affine_payments(alpha: Number, beta: Number, y: np.ndarray) -> np.ndarray:
    if isinstance(alpha, Fraction) and isinstance(beta, Fraction) and y.dtype == object:
        return alpha * y + beta
    return float(alpha) * as_float(y, "outputs") + float(beta)


@dataclass(frozen=True, eq=False)
class AffineContract:
    r"""The affine contract :math:`w(y) = \alpha y + \beta`.

    Limited liability is checked on the grid it is applied to (``beta`` may be negative when the
    lowest output is positive).

    Examples
    --------
    >>> AffineContract(0.5, 1)(4)
    3.0
    """

    alpha: Number
    beta: Number

    def __post_init__(self) -> None:
        object.__setattr__(self, "alpha", as_scalar(self.alpha, "alpha"))
        object.__setattr__(self, "beta", as_scalar(self.beta, "beta"))

    def on(self, outputs: Any) -> Contract:
        """Return the payments on the grid ``outputs`` as a :class:`Contract`."""
        y = outputs if isinstance(outputs, np.ndarray) else check_outputs(outputs)
        w = _affine_payments(self.alpha, self.beta, y)
        _check_payments(w, repr(self), y)
        return Contract(y, w)

    def __call__(self, y: Any) -> Any:
        r"""Return :math:`\alpha y + \beta` (scalar or array)."""
        return _evaluate(y, lambda v: _affine_payments(self.alpha, self.beta, v))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AffineContract):
            return NotImplemented
        return self.alpha == other.alpha and self.beta == other.beta

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"AffineContract(alpha={fmt(self.alpha)}, beta={fmt(self.beta)})"


@dataclass(frozen=True, eq=False)
class LinearContract:
    r"""The linear contract :math:`w(y) = \alpha (y - y_0)`: a share of output above ``origin``.

    Parameters
    ----------
    alpha : number
        The share, ``>= 0`` (values above 1 are allowed and lose money for sure).
    origin : number, optional
        :math:`y_0`, default 0. Carroll's optimum on a grid whose lowest output is
        :math:`y_0 > 0` is :math:`\alpha (y - y_0)`; the contract may not be applied to outputs
        below ``origin`` (limited liability).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> LinearContract(F(1, 2))
    LinearContract(alpha=1/2)
    >>> LinearContract(F(1, 2), origin=1).on([1, 2, 3]).payments.tolist()
    [Fraction(0, 1), Fraction(1, 2), Fraction(1, 1)]
    """

    alpha: Number
    origin: Number = Fraction(0)

    def __post_init__(self) -> None:
        alpha = as_scalar(self.alpha, "alpha")
        origin = as_scalar(self.origin, "origin")
        if alpha < 0:
            raise ValueError(f"alpha = {fmt(alpha)} is negative; linear contracts need alpha >= 0")
        if origin < 0:
            raise ValueError(f"origin = {fmt(origin)} is negative; outputs are >= 0")
        object.__setattr__(self, "alpha", alpha)
        object.__setattr__(self, "origin", origin)

    @property
    def as_affine(self) -> AffineContract:
        r"""The same contract as :math:`\alpha y + \beta` with :math:`\beta = -\alpha y_0`."""
        return AffineContract(self.alpha, -self.alpha * self.origin)

    def on(self, outputs: Any) -> Contract:
        """Return the payments on the grid ``outputs`` as a :class:`Contract`."""
        y = outputs if isinstance(outputs, np.ndarray) else check_outputs(outputs)
        w = _affine_payments(self.alpha, -self.alpha * self.origin, y)
        _check_payments(w, repr(self), y)
        return Contract(y, w)

    def __call__(self, y: Any) -> Any:
        r"""Return :math:`\alpha (y - y_0)` (scalar or array)."""
        return self.as_affine(y)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LinearContract):
            return NotImplemented
        return self.alpha == other.alpha and self.origin == other.origin

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        extra = f", origin={fmt(self.origin)}" if self.origin != 0 else ""
        return f"LinearContract(alpha={fmt(self.alpha)}{extra})"


AnyContract = Contract | LinearContract | AffineContract


def on_grid(contract: AnyContract, outputs: np.ndarray) -> Contract:
    """Return ``contract`` as a :class:`Contract` on ``outputs`` (type, grid, liability checked)."""
    if not isinstance(contract, Contract | LinearContract | AffineContract):
        raise TypeError(
            f"contract must be a Contract, LinearContract or AffineContract, got "
            f"{type(contract).__name__}; wrap a function with Contract.from_function(f, outputs)"
        )
    return contract.on(outputs)


def payments_on(contract: AnyContract, outputs: np.ndarray) -> np.ndarray:
    """Return the contract's payment vector on ``outputs`` (validated), in the grid's number type.

    A float contract on an exact grid (or the reverse) gives float64 payments.
    """
    return common(on_grid(contract, outputs).payments, outputs)[0]
