r"""Numbers, exact or float: conversion, checks and formatting shared by the package.

A value is *exact* when it is an ``int`` or a :class:`fractions.Fraction`; it is then stored as a
``Fraction`` and all arithmetic on it stays exact. A ``float`` (Python or numpy) makes the value,
and any vector it belongs to, float64. Exact vectors are numpy arrays of dtype ``object`` holding
``Fraction`` s; float vectors have dtype float64. ``bool`` is rejected: it is almost always a
mistake for a mass or a utility.

Exact values have no size limit; float64 stops at about :math:`1.8 \cdot 10^{308}`
(:data:`FLOAT64_MAX`). Converting an exact value beyond it to float64 (because a float elsewhere
makes the computation float64) raises an ``OverflowError`` that names the entry and says how to
stay exact; it never becomes ``inf``.
"""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Callable, Sequence
from decimal import Context, Decimal
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = [
    "FLOAT64_MAX",
    "OUT_OF_FLOAT_RANGE",
    "Number",
    "as_float_array",
    "common_kind",
    "format_number",
    "is_exact",
    "magnitude",
    "py_scalar",
    "read_only",
    "scalar",
    "vector",
]

#: A number as the package returns it: exact ``Fraction`` or ``float``.
Number = Fraction | float

#: The largest finite float64, about 1.8e308.
FLOAT64_MAX = sys.float_info.max

#: The end of every message about an exact value too large for float64.
OUT_OF_FLOAT_RANGE = (
    "beyond the float64 range (magnitudes up to about 1.8e308); a float among the inputs makes the "
    "computation float64: give every input as ints or Fractions to compute exactly"
)


def scalar(x: Any, where: str) -> Number:
    """Return `x` as a ``Fraction`` (int, Fraction) or a finite ``float``; `where` names it.

    Examples
    --------
    >>> scalar(3, "b"), scalar(0.5, "b")
    (Fraction(3, 1), 0.5)
    >>> scalar(float("nan"), "b of generator 0")
    Traceback (most recent call last):
    ...
    ValueError: b of generator 0 is nan; expected a finite number
    """
    if isinstance(x, bool | np.bool_):
        raise TypeError(f"{where} is the bool {x!r}; expected an int, Fraction or float")
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int | np.integer):
        return Fraction(int(x))
    if isinstance(x, float | np.floating):
        value = float(x)
        if not math.isfinite(value):
            raise ValueError(f"{where} is {value}; expected a finite number")
        return value
    if isinstance(x, numbers.Rational):
        return Fraction(int(x.numerator), int(x.denominator))
    raise TypeError(
        f"{where} is {x!r} of type {type(x).__name__}; expected an int, Fraction or float"
    )


def vector(
    values: Any, where: str, names: Sequence[Any] | Callable[[int], str] | None = None
) -> np.ndarray:
    """Return a fresh 1-d array: dtype object of ``Fraction`` if every entry is exact, else float64.

    `names` label the entries in error messages (``where`` at outcome ``names[i]``, or
    ``names(i)`` when it is a callable). The input is never modified: the result is always a new
    array.

    Examples
    --------
    >>> vector([1, Fraction(1, 2)], "m")
    array([Fraction(1, 1), Fraction(1, 2)], dtype=object)
    >>> vector([1, 0.5], "m")
    array([1. , 0.5])
    """
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{where} must be one-dimensional; got shape {arr.shape}")

    def label(i: int) -> str:
        if callable(names):
            return str(names(i))
        return f"{where} at outcome {names[i]!r}" if names is not None else f"{where}[{i}]"

    kind = arr.dtype.kind
    if kind in "iuf" and not isinstance(values, np.ndarray):
        # numpy turns [True, 0] into integers: look at the entries as given.
        for i, v in enumerate(values):
            if isinstance(v, bool | np.bool_):
                scalar(v, label(i))  # raises, naming the entry
    if kind == "f":
        out = arr.astype(np.float64, copy=True)
        bad = np.flatnonzero(~np.isfinite(out))
        if bad.size:
            raise ValueError(f"{label(int(bad[0]))} is {out[bad[0]]}; expected a finite number")
        return out
    if kind in "iu":
        return _object_array([Fraction(int(v)) for v in arr])
    # Objects (Fractions, mixed), bools, strings, ...: scalar() converts or names the bad entry.
    items = [scalar(v, label(i)) for i, v in enumerate(arr.astype(object))]
    if all(isinstance(v, Fraction) for v in items):
        return _object_array(items)
    return as_float_array(_object_array(items), label)


def _object_array(items: Sequence[Any]) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def is_exact(arr: np.ndarray) -> bool:
    """Return whether `arr` is an exact (dtype object, ``Fraction``) array."""
    return arr.dtype == object


def as_float_array(arr: np.ndarray, label: Any = None) -> np.ndarray:
    """Return `arr` as float64 (a view if it already is).

    An exact entry beyond the float64 range raises an ``OverflowError`` naming it: `label` is a
    callable taking the entry's index tuple (an int for a vector) and returning its name, or a
    string naming the array.

    Examples
    --------
    >>> as_float_array(vector([1, 10**400], "b"), "b")
    Traceback (most recent call last):
    ...
    OverflowError: b[1] is about 1.00000e+400, beyond the float64 range (...
    """
    if arr.dtype == np.float64:
        return arr
    try:
        return arr.astype(np.float64)
    except OverflowError:
        pass
    for index in np.ndindex(arr.shape):
        try:
            float(arr[index])
        except OverflowError:
            key: Any = index[0] if len(index) == 1 else index
            if callable(label):
                name = label(key)
            else:
                name = f"{label or 'a value'}[{', '.join(map(str, index))}]"
            raise OverflowError(
                f"{name} is {magnitude(arr[index])}, {OUT_OF_FLOAT_RANGE}"
            ) from None
    raise AssertionError("unreachable: the conversion overflowed")  # pragma: no cover


def magnitude(x: Any) -> str:
    """Return ``"about 1.00000e+400"`` for a number, whatever its size (six significant digits).

    Examples
    --------
    >>> magnitude(Fraction(10**400, 3)), magnitude(0.5)
    ('about 3.33333e+399', 'about 5.00000e-01')
    """
    if isinstance(x, Fraction):
        context = Context(prec=6)
        value = context.divide(Decimal(x.numerator), Decimal(x.denominator))
        return f"about {value:.5e}"
    return f"about {float(x):.5e}"


def common_kind(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return the arrays unchanged if all are exact, else all as float64."""
    if all(is_exact(a) for a in arrays):
        return arrays
    return tuple(as_float_array(a) for a in arrays)


def read_only(arr: np.ndarray) -> np.ndarray:
    """Return `arr` after marking it read-only (the caller passes an array it owns)."""
    arr.flags.writeable = False
    return arr


def py_scalar(x: Any) -> Number:
    """Return a Python scalar: ``Fraction`` stays, anything else becomes ``float``."""
    if isinstance(x, Fraction):
        return x
    return float(x)


def format_number(x: Any) -> str:
    """Format a value for a table: ``7/10`` for fractions, 6 significant digits for floats.

    Examples
    --------
    >>> format_number(Fraction(7, 10)), format_number(0.1 + 0.2), format_number(math.inf)
    ('7/10', '0.3', 'inf')
    """
    if isinstance(x, Fraction):
        return str(x)
    return f"{float(x):.6g}"
