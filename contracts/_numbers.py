"""Numbers for ``contracts``: exact Fractions or float64, validation, and display.

Every public function of the package accepts two kinds of numeric input:

* **exact**: Python ``int``, ``fractions.Fraction`` or numpy integers. Arrays of them are stored as
  numpy object arrays of ``Fraction`` and every result is an exact ``Fraction``;
* **float**: anything else numeric, stored as float64 arrays.

An operation that mixes the two falls back to float64. Validation errors name the argument and the
position, and nothing the caller passed is ever modified (arrays are copied, then made read-only).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any, Protocol, TypeAlias

import numpy as np

from .tolerances import DIST_ATOL

__all__ = [
    "DIST_ATOL",
    "MatrixLike",
    "Number",
    "RealLike",
    "SupportsArray",
    "VectorLike",
    "as_float",
    "as_scalar",
    "as_vector",
    "binary_exponent",
    "common",
    "fmt",
    "fmt_seq",
    "frozen",
    "is_exact",
    "table",
    "to_python",
]

#: A scalar result: an exact ``Fraction`` for exact inputs, a Python ``float`` otherwise.
Number = Fraction | float

# The argument types of the constructors, which validate them at run time (``as_scalar``,
# ``as_vector``) and store a Number or a read-only array. ``int`` is accepted wherever ``float``
# is (PEP 484). Not numpy's ``ArrayLike``: it has no Fractions, and a type checker
# cannot infer a list of ints and Fractions against that union.


class SupportsArray(Protocol):
    """Anything with ``__array__``: numpy arrays and other libraries' arrays."""

    def __array__(self, /) -> np.ndarray: ...


#: A real number as an argument: int, Fraction or float, or a numpy integer or float.
RealLike: TypeAlias = Fraction | float | np.integer | np.floating
#: A vector as an argument: an array, or a sequence of real numbers.
VectorLike: TypeAlias = SupportsArray | Sequence[RealLike]
#: A matrix as an argument: a 2-D array, or a sequence of rows.
MatrixLike: TypeAlias = SupportsArray | Sequence[Sequence[RealLike] | SupportsArray]


def _is_rational(x: Any) -> bool:
    return isinstance(x, numbers.Rational) and not isinstance(x, bool | np.bool_)


def frozen(a: np.ndarray) -> np.ndarray:
    """Return ``a`` marked read-only (``a`` must already be a private copy)."""
    a.flags.writeable = False
    return a


def is_exact(a: np.ndarray | Number) -> bool:
    """Return True for a Fraction (or int) scalar or an object array of Fractions."""
    if isinstance(a, np.ndarray):
        return a.dtype == object
    return _is_rational(a)


def as_float(a: np.ndarray, name: str = "an exact input") -> np.ndarray:
    """Return a float64 view or copy of an exact or float array.

    Raises
    ------
    ValueError
        If an exact entry lies beyond the float64 range (about 1.8e308), naming ``name``: a float
        computation cannot represent it. Keep every input exact (ints and Fractions) to compute
        exactly instead.
    """
    if a.dtype != object:
        return a
    try:
        return a.astype(np.float64)
    except OverflowError:
        big = max(a.flat, key=lambda v: abs(Fraction(v)))
        raise ValueError(
            f"{name} holds {_magnitude(big)}, beyond the float64 range (about 1.8e308), and this "
            "computation is done in float64; pass every input as exact numbers (ints and "
            "Fractions) to compute exactly, or rescale the data"
        ) from None


def _magnitude(x: Any) -> str:
    """Describe a huge exact number briefly, e.g. ``a number of about 1e+400``."""
    q = abs(Fraction(x))
    digits = len(str(q.numerator)) - len(str(q.denominator))
    return f"a number of about {'-' if x < 0 else ''}1e+{digits}"


def binary_exponent(top: Any, *, both_ways: bool = False) -> int:
    """Return the exponent ``e`` with ``top * 2**-e`` in [0.5, 1) (0 for a zero or infinite top).

    Dividing by ``2**e`` is exact in binary floating point (unless it over- or underflows), so a
    computation on data scaled by it gives bit for bit the result on the original data, scaled.
    With ``both_ways`` the exponent is clamped to [-1022, 1023], so that ``2**e`` and ``2**-e``
    are both normal floats (for scales used as constants, not only through ``numpy.ldexp``).

    Examples
    --------
    >>> binary_exponent(3.0), binary_exponent(5e-324), binary_exponent(0.0)
    (2, -1073, 0)
    >>> binary_exponent(5e-324, both_ways=True), binary_exponent(1.7e308, both_ways=True)
    (-1022, 1023)
    """
    top = float(top)
    if top == 0 or not np.isfinite(top):
        return 0
    e = math.frexp(top)[1]
    return min(max(e, -1022), 1023) if both_ways else e


def to_python(x: Any) -> Number:
    """Return a numpy or Python scalar as a ``Fraction`` (exact) or a Python ``float``."""
    if isinstance(x, Fraction):
        return x
    if _is_rational(x):
        return Fraction(int(x))
    return float(x)


def as_scalar(value: Any, name: str) -> Number:
    """Validate one finite real number and return it as a Fraction or a float.

    Raises
    ------
    TypeError
        If ``value`` is not a real number (strings, booleans and complex numbers are refused).
    ValueError
        If ``value`` is NaN or infinite.
    """
    if _is_rational(value):
        return Fraction(value)
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    x = float(value)
    if not np.isfinite(x):
        raise ValueError(f"{name} is {x}; it must be finite")
    return x


def _ragged(values: Any, name: str) -> str:
    """Say where a nested sequence that numpy could not make rectangular goes wrong."""

    def size(x: Any) -> int | None:  # entries of a row, None for a scalar
        if isinstance(x, str | bytes) or not hasattr(x, "__len__"):
            return None
        return len(x)

    def describe(i: int, n: int | None) -> str:
        if n is None:
            return f"{name}[{i}] is a number"
        return f"{name}[{i}] has {n} entr{'y' if n == 1 else 'ies'}"

    try:
        sizes = [size(row) for row in values]
    except TypeError:
        sizes = []
    for i, n in enumerate(sizes[1:], start=1):
        if n != sizes[0]:
            return (
                f"{name} is ragged: {describe(0, sizes[0])} but {describe(i, n)}; every row "
                "must have the same length"
            )
    return f"{name} must be a rectangular array of numbers (rows of equal length)"


def as_vector(values: Any, name: str, *, ndim: int = 1) -> np.ndarray:
    """Validate a finite numeric array and return a private, read-only copy.

    Parameters
    ----------
    values : array_like
        Numbers; ints and Fractions give an exact (object) array, anything else float64.
    name : str
        Used in error messages, e.g. ``"outputs"`` gives ``outputs[3] is nan``.
    ndim : int
        Required number of dimensions (1 or 2).

    Returns
    -------
    numpy.ndarray
        An object array of ``Fraction`` (exact input) or a float64 array, read-only.

    Examples
    --------
    >>> as_vector([0, 1, 2], "outputs")
    array([Fraction(0, 1), Fraction(1, 1), Fraction(2, 1)], dtype=object)
    >>> as_vector([0.0, float("nan")], "outputs")
    Traceback (most recent call last):
    ...
    ValueError: outputs[1] is nan; every entry must be finite
    >>> as_vector([[0.5, 0.5], [1.0]], "dists", ndim=2)
    Traceback (most recent call last):
    ...
    ValueError: dists is ragged: dists[0] has 2 entries but dists[1] has 1 entry; every row must have the same length
    """  # noqa: E501
    try:
        arr = np.asarray(values)
    except ValueError as err:  # numpy: "inhomogeneous shape", which names no argument
        raise ValueError(_ragged(values, name)) from err
    kind = arr.dtype.kind
    if arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if kind == "b":
        raise TypeError(f"{name} must hold numbers, not booleans")
    if kind in "iu":
        out = np.empty(arr.shape, dtype=object)
        out.flat[:] = [Fraction(int(v)) for v in arr.flat]
        return frozen(out)
    if kind == "f":
        out = arr.astype(np.float64, copy=True)
    elif kind == "O":
        flat = list(arr.flat)
        if all(_is_rational(v) for v in flat):
            out = np.empty(arr.shape, dtype=object)
            out.flat[:] = [Fraction(v) for v in flat]
            return frozen(out)
        for pos, v in zip(np.ndindex(arr.shape), flat, strict=True):
            if isinstance(v, bool | np.bool_) or not isinstance(v, numbers.Real):
                where = ", ".join(str(i) for i in pos)
                raise TypeError(f"{name}[{where}] must be a real number, got {v!r}")
        out = np.array([float(v) for v in flat], dtype=np.float64).reshape(arr.shape)
    else:
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    bad = ~np.isfinite(out)
    if bad.any():
        pos = tuple(int(i) for i in np.argwhere(bad)[0])
        where = ", ".join(str(i) for i in pos)
        raise ValueError(f"{name}[{where}] is {out[pos]}; every entry must be finite")
    return frozen(out)


def common(*arrays: np.ndarray, names: Sequence[str] = ()) -> tuple[np.ndarray, ...]:
    """Return the arrays unchanged if all are exact, else all as float64.

    ``names`` name the arrays in the error of :func:`as_float` (an exact entry beyond the float64
    range when the others are floats).
    """
    if all(a.dtype == object for a in arrays):
        return arrays
    labels = list(names) + ["an exact input"] * (len(arrays) - len(names))
    return tuple(as_float(a, label) for a, label in zip(arrays, labels, strict=True))


def fmt(x: Any, digits: int = 6) -> str:
    """Format a number for display: ``7/10`` for Fractions, 6 significant digits for floats."""
    if isinstance(x, Fraction):
        return str(x)
    if _is_rational(x):
        return str(int(x))
    x = float(x)
    if x == 0:
        return "0"
    return f"{x:.{digits}g}"


def fmt_seq(values: Iterable[Any], digits: int = 6) -> str:
    """Format a sequence of numbers as ``[a, b, c]``."""
    return "[" + ", ".join(fmt(v, digits) for v in values) + "]"


def table(rows: list[list[str]], indent: int = 2) -> list[str]:
    """Lay out rows of cells: first column left-aligned, the others right-aligned.

    A cell ``"|"`` is kept as a bare separator column.
    """
    ncol = max(len(r) for r in rows)
    rows = [r + [""] * (ncol - len(r)) for r in rows]
    widths = [max(len(r[j]) for r in rows) for j in range(ncol)]
    lines = []
    for r in rows:
        cells = [r[0].ljust(widths[0])]
        cells += [c if c == "|" else c.rjust(widths[j + 1]) for j, c in enumerate(r[1:])]
        lines.append((" " * indent + "  ".join(cells)).rstrip())
    return lines
