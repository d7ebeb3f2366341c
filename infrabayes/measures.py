r"""A-measures and sa-measures on a finite outcome space.

Definitions
-----------
Let :math:`X` be a finite tuple of outcomes. For a vector :math:`m \in \mathbb{R}^X` and
:math:`f: X \to [0,1]` write :math:`m(f) = \sum_x m(x) f(x)`, :math:`\lambda = m(1)` (the total
mass) and :math:`m^-(1) = \sum_x \min(m(x), 0)` (the total negative mass).

* An **sa-measure** is a pair :math:`(m, b)` with :math:`m` signed and
  :math:`b + m^-(1) \ge 0`; then :math:`m(f) + b \ge 0` for every :math:`f: X \to [0,1]`.
* An **a-measure** is an sa-measure with :math:`m \ge 0` and :math:`b \ge 0`, often written
  :math:`(\lambda\mu, b)` with :math:`\mu` a probability distribution.

Its **value** at a utility function :math:`f: X \to [0,1]` is :math:`m(f) + b`
(Diffractor & Kosoy, "Basic Inframeasure Theory", 2020).

Masses are exact ``Fraction`` s when every mass and ``b`` is an ``int`` or ``Fraction``, float64
otherwise. Objects are immutable; arithmetic returns new objects.

Examples
--------
>>> from fractions import Fraction as F
>>> p = AMeasure({"x1": F(1, 2), "x2": F(1, 4), "x3": F(1, 4)})
>>> p
AMeasure over 3 outcomes (exact), total mass 1:
     x1   x2   x3  |  b
    1/2  1/4  1/4  |  0
>>> p.value({"x1": 1, "x2": F(1, 2), "x3": 0})
Fraction(5, 8)
>>> s = SAMeasure({"x1": F(-1, 4), "x2": 0, "x3": 0}, F(1, 4))
>>> p + s
SAMeasure over 3 outcomes (exact), total mass 3/4:
     x1   x2   x3  |    b
    1/4  1/4  1/4  |  1/4
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from fractions import Fraction
from typing import Any, Self

import numpy as np

from infrabayes import _html
from infrabayes._numbers import (
    Number,
    as_float_array,
    format_number,
    is_exact,
    py_scalar,
    read_only,
    scalar,
    vector,
)
from infrabayes._space import OutcomeSpace
from infrabayes._table import generator_rows
from infrabayes.nirvana import check_nirvana

__all__ = ["AMeasure", "SAMeasure"]


class SAMeasure:
    r"""An sa-measure :math:`(m, b)`: signed masses on named outcomes and :math:`b + m^-(1) \ge 0`.

    Parameters
    ----------
    m : mapping or sequence of numbers
        A mapping outcome -> mass, or masses in the order of `outcomes`.
    b : int, Fraction or float, default 0
        The constant term.
    outcomes : iterable of hashable, optional
        The outcome tuple. Defaults to the keys of `m` in order; required when `m` is a sequence.
        With `outcomes` given, outcomes missing from a mapping `m` get mass 0.

    Raises
    ------
    ValueError
        If :math:`b + m^-(1) < 0`, a value is not finite, or `m` names an unknown outcome.
    TypeError
        If a mass is not a number.
    """

    __slots__ = ("_b", "_m", "_space")

    _space: OutcomeSpace
    _m: np.ndarray
    _b: Number

    def __init__(
        self,
        m: Mapping[Any, Any] | Iterable[Any],
        b: Any = 0,
        *,
        outcomes: Iterable[Hashable] | None = None,
    ) -> None:
        name = type(self).__name__
        space, masses = _read_masses(m, outcomes, name)
        b_value = scalar(b, f"b of the {name}")
        if not (is_exact(masses) and isinstance(b_value, Fraction)):
            masses = as_float_array(masses, _mass_label(space, name))
            b_value = _float(b_value, f"b of the {name}")
        self._check(space, masses, b_value)
        _check_float_total(masses, b_value, name)
        self._space, self._m, self._b = space, read_only(masses), b_value

    @classmethod
    def _trusted(cls, space: OutcomeSpace, masses: np.ndarray, b: Number) -> Self:
        """Build without checks from a read-only vector over `space` (internal)."""
        obj = object.__new__(cls)
        obj._space, obj._m, obj._b = space, masses, b
        return obj

    def _check(self, space: OutcomeSpace, masses: np.ndarray, b: Number) -> None:
        negative = _negative_part(masses)
        if b + negative < 0:
            raise ValueError(
                f"not an sa-measure: b + m^-(1) = {format_number(b)} + ({format_number(negative)}) "
                "< 0; the value m(f) + b would be negative for some f in [0, 1]"
            )

    # -- data -----------------------------------------------------------------------------------

    @property
    def outcomes(self) -> tuple[Hashable, ...]:
        """The outcome tuple."""
        return self._space.outcomes

    @property
    def m(self) -> np.ndarray:
        """The masses in the order of :attr:`outcomes` (read-only; dtype object when exact)."""
        return self._m

    @property
    def b(self) -> Number:
        """The constant term :math:`b`."""
        return self._b

    @property
    def exact(self) -> bool:
        """Whether the values are exact ``Fraction`` s."""
        return is_exact(self._m)

    @property
    def total_mass(self) -> Number:
        r""":math:`\lambda = m(1)`, the total (signed) mass."""
        return py_scalar(self._m.sum())

    @property
    def negative_mass(self) -> Number:
        """:math:`m^-(1)`, the total negative mass (0 for an a-measure)."""
        return py_scalar(_negative_part(self._m))

    def mass(self, outcome: Hashable) -> Number:
        r"""Return :math:`m(\{x\})` for the outcome `outcome`."""
        if outcome not in self._space.index:
            raise KeyError(
                f"{outcome!r} is not an outcome; the outcomes are {self._space.describe()}"
            )
        return py_scalar(self._m[self._space.index[outcome]])

    def as_dict(self) -> dict[Hashable, Number]:
        """Return the masses as a dict outcome -> mass."""
        return {x: py_scalar(v) for x, v in zip(self.outcomes, self._m, strict=True)}

    def value(self, f: Any, *, nirvana: float = math.inf) -> Number:
        """Return :math:`m(f) + b` for a utility function `f` into [0, 1].

        `f` is a mapping, a callable, an array or a number (see :mod:`infrabayes`). Mass on
        :data:`NIRVANA` is worth ``nirvana`` (``math.inf`` or 1) per unit.
        """
        nirvana = check_nirvana(nirvana)
        space = self._space
        fv = space.utility(f, nirvana)
        masses, b = self._m, self._b
        if not (is_exact(fv) and is_exact(masses)):
            fv = as_float_array(fv)
            masses = as_float_array(masses, _mass_label(space, type(self).__name__))
            b = _float(b, f"b of the {type(self).__name__}")
        total = masses[space.ordinary_index] @ fv + b
        j = space.nirvana_index
        if j is not None and masses[j] != 0:
            total = (
                (math.inf if masses[j] > 0 else -math.inf)
                if nirvana == math.inf
                else total + masses[j]
            )
        return py_scalar(total)

    # -- arithmetic -----------------------------------------------------------------------------

    def __add__(self, other: object) -> SAMeasure:
        if not isinstance(other, SAMeasure):
            return NotImplemented
        theirs = _aligned_to(other, self._space, "add")
        mine: np.ndarray = self._m
        b: Number
        if (
            is_exact(mine)
            and is_exact(theirs)
            and isinstance(self._b, Fraction)
            and isinstance(other._b, Fraction)
        ):
            b = self._b + other._b
        else:
            label = _mass_label(self._space, "the sum")
            mine, theirs = as_float_array(mine, label), as_float_array(theirs, label)
            b = _float(self._b, "the sum: b") + _float(other._b, "the sum: b")
        both_a = isinstance(self, AMeasure) and isinstance(other, AMeasure)
        cls = AMeasure if both_a else SAMeasure
        with np.errstate(over="ignore"):
            total = mine + theirs
        _check_float_total(total, b, "the sum")
        return cls._trusted(self._space, read_only(total), b)

    def __mul__(self, factor: object) -> Self:
        if isinstance(factor, SAMeasure):
            return NotImplemented
        c = scalar(factor, "the factor")
        if c < 0:
            raise ValueError(
                f"the factor is {c}; only nonnegative multiples of an sa-measure are sa-measures"
            )
        masses, b = self._m, self._b
        if not (is_exact(masses) and isinstance(c, Fraction)):
            masses = as_float_array(masses, _mass_label(self._space, type(self).__name__))
            b, c = _float(b, f"b of the {type(self).__name__}"), float(c)
        with np.errstate(over="ignore"):
            scaled, b = masses * c, b * c
        _check_float_total(scaled, b, "the product")
        return type(self)._trusted(self._space, read_only(scaled), b)

    __rmul__ = __mul__

    # -- comparison and display -----------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SAMeasure):
            return NotImplemented
        if set(self.outcomes) != set(other.outcomes):
            return False
        return bool(self._b == other._b) and self.as_dict() == other.as_dict()

    def __hash__(self) -> int:
        return hash((frozenset(self.as_dict().items()), self._b))

    def _report(self) -> list[_html.Block]:
        kind = "exact" if self.exact else "float64"
        head = (
            f"{type(self).__name__} over {len(self.outcomes)} outcomes ({kind}), "
            f"total mass {format_number(self.total_mass)}:"
        )
        header, rows, _ = generator_rows(self.outcomes, [list(self._m)], [self._b], labels=[""])
        return [head, _html.Table(header, rows, left=0)]

    def __repr__(self) -> str:
        return _html.text(self._report())

    def _repr_html_(self) -> str:
        """Return the HTML table Jupyter shows (fractions typeset)."""
        return _html.html(self._report())


class AMeasure(SAMeasure):
    r"""An a-measure :math:`(m, b)`: nonnegative masses on named outcomes and :math:`b \ge 0`.

    Parameters
    ----------
    m : mapping or sequence of numbers
        A mapping outcome -> mass (:math:`\ge 0`), or masses in the order of `outcomes`.
    b : int, Fraction or float, default 0
        The constant term, :math:`\ge 0`.
    outcomes : iterable of hashable, optional
        The outcome tuple; defaults to the keys of `m`. With `outcomes` given, outcomes missing
        from a mapping `m` get mass 0.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> AMeasure({"a": F(1, 2)}, F(1, 2), outcomes=("a", "b"))
    AMeasure over 2 outcomes (exact), total mass 1/2:
          a  b  |    b
        1/2  0  |  1/2
    >>> AMeasure({"a": -1})
    Traceback (most recent call last):
    ...
    ValueError: AMeasure: the mass of outcome 'a' is -1 < 0; an a-measure has nonnegative masses
    """

    __slots__ = ()

    def _check(self, space: OutcomeSpace, masses: np.ndarray, b: Number) -> None:
        for x, v in zip(space.outcomes, masses, strict=True):
            if v < 0:
                raise ValueError(
                    f"AMeasure: the mass of outcome {x!r} is {format_number(v)} < 0; an a-measure "
                    "has nonnegative masses"
                )
        if b < 0:
            raise ValueError(f"AMeasure: b is {format_number(b)} < 0; an a-measure has b >= 0")


def trusted_ameasure(space: OutcomeSpace, masses: np.ndarray, b: Number) -> AMeasure:
    """Return an a-measure from a read-only mass vector over `space`, without checks.

    For :class:`~infrabayes.Infradistribution`, which checks its generators as one matrix.
    """
    return AMeasure._trusted(space, masses, b)


def _mass_label(space: OutcomeSpace, name: str) -> Any:
    """Name entry `i` of a mass vector over `space` in an error message."""
    return lambda i: f"{name}: the mass of outcome {space.outcomes[i]!r}"


def _float(x: Number, what: str) -> float:
    """Return `x` as a float, or raise an OverflowError naming it (see ``as_float_array``)."""
    return float(as_float_array(vector([x], what), lambda _: what)[0])


def _check_float_total(masses: np.ndarray, b: Number, name: str) -> None:
    """Raise an OverflowError if a float64 measure's values m(f) + b can overflow."""
    if is_exact(masses) and isinstance(b, Fraction):
        return
    with np.errstate(over="ignore"):
        total = float(np.abs(masses).sum()) + abs(float(b))
    if not math.isfinite(total):
        raise OverflowError(
            f"{name}: its total |mass| plus |b| is beyond the float64 range (magnitudes up to "
            "about 1.8e308), so its values m(f) + b are not representable; give the numbers as "
            "ints or Fractions to compute exactly"
        )


def _negative_part(masses: np.ndarray) -> Number:
    """Return :math:`m^-(1)`, the sum of the negative masses (exact when `masses` is)."""
    return sum((v for v in masses if v < 0), Fraction(0) if is_exact(masses) else 0.0)


def _read_masses(
    m: Any, outcomes: Iterable[Hashable] | None, name: str
) -> tuple[OutcomeSpace, np.ndarray]:
    if isinstance(m, Mapping):
        space = OutcomeSpace(m.keys() if outcomes is None else outcomes)
        if outcomes is not None:
            space.check_known(m.keys(), f"the masses of the {name}")
        values = [m.get(x, 0) for x in space.outcomes]
        return space, vector(values, f"{name} mass", space.outcomes)
    if outcomes is None:
        raise TypeError(
            f"{name}: masses given as a sequence need outcomes=...; or give a mapping "
            "outcome -> mass"
        )
    space = OutcomeSpace(outcomes)
    masses = vector(m, f"{name} mass", space.outcomes) if np.ndim(m) == 1 else None
    if masses is None or masses.shape[0] != len(space.outcomes):
        raise ValueError(
            f"{name}: {np.shape(m)} masses for {len(space.outcomes)} outcomes {space.describe()}"
        )
    return space, masses


def _aligned_to(other: SAMeasure, space: OutcomeSpace, verb: str) -> np.ndarray:
    if other._space == space:
        return other._m
    if set(other.outcomes) != set(space.outcomes):
        raise ValueError(
            f"cannot {verb} measures over different outcomes: {space.describe()} and "
            f"{other._space.describe()}"
        )
    return other._m[[other._space.index[x] for x in space.outcomes]]
