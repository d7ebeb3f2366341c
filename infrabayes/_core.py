r"""The core of an infradistribution: its generators as arrays, and Murphy's expectation on them.

A :class:`Core` is the internal interface between the facade
:class:`~infrabayes.Infradistribution` and the modules that compute with infradistributions
(``_update``, ``_operations``, ``_minimal``, ``_properties``). Those modules take cores and return
cores or plain numbers; they never see the facade. The facade holds one core, checks the user's
input before building it, and wraps every core it gets back.

What a core holds
-----------------
``space``
    The :class:`~infrabayes._space.OutcomeSpace`: the outcome tuple (the column order), with
    NIRVANA's position if it is one of the outcomes.
``masses``
    The ``(k, n)`` mass matrix, one row per generator, ``n = len(space.outcomes)``.
``b``
    The ``k`` constant terms.
``nirvana``
    The value of NIRVANA: ``math.inf`` or ``1`` (see :mod:`infrabayes.nirvana`).

Invariants (the constructors of the facade check them on user input; the modules that build new
cores from old ones preserve them, and nothing here re-checks them):

* ``k >= 1``; every mass and every ``b`` is finite and ``>= 0`` (the generators are a-measures);
* in float64, every generator's largest value :math:`\lambda + b` is finite, so every value
  :math:`m(f) + b` with :math:`f` in [0, 1] is (the constructor checks this one, as operations
  such as dividing by a small normalizer can break it: an ``OverflowError`` names the generator);
* ``masses`` and ``b`` are of one kind: dtype ``object`` holding ``Fraction`` s (*exact*), or
  float64;
* both arrays are read-only (the constructor marks them so) and never modified: cores share them
  freely, also between threads (the one cache, :meth:`Core.effective`, is filled with
  ``dict.setdefault``, so concurrent first calls agree on the stored object).

Derived views
-------------
:meth:`Core.effective` is Murphy's view of the generators: which of them he may pick and their
values as affine functions of a utility over the *ordinary* outcomes (Nirvana's value booked in,
or the generator left out). :meth:`Core.values` and :meth:`Core.expect` evaluate it at a checked
utility vector. :meth:`Core.with_generators` and :meth:`Core.with_nirvana` build new cores.

Examples
--------
>>> from fractions import Fraction as F
>>> import numpy as np
>>> from infrabayes._numbers import vector
>>> from infrabayes.nirvana import NIRVANA
>>> space = OutcomeSpace(("a", NIRVANA))
>>> masses = np.array([[F(1), F(0)], [F(1, 4), F(1, 2)]], dtype=object)
>>> core = Core(space, masses, vector([0, 0], "b"), math.inf)
>>> core.expect(vector([1], "f"))  # the second generator touches Nirvana: never chosen
Fraction(1, 1)
>>> core.with_nirvana(1).expect(vector([1], "f"))  # Nirvana worth 1: 1/4 * 1 + 1/2 * 1
Fraction(3, 4)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from infrabayes._numbers import Number, as_float_array, is_exact, py_scalar, read_only
from infrabayes._space import OutcomeSpace

__all__ = ["Core"]


@dataclass(frozen=True, eq=False, slots=True)
class Core:
    """Generators over an outcome space under a Nirvana convention (see the module docstring)."""

    space: OutcomeSpace
    masses: np.ndarray
    b: np.ndarray
    nirvana: float
    _cache: dict[bool, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(
        default_factory=dict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        read_only(self.masses)
        read_only(self.b)
        if not is_exact(self.masses):
            _check_float_range(self.masses, self.b)

    @property
    def exact(self) -> bool:
        """Whether the generators are exact ``Fraction`` s."""
        return is_exact(self.masses)

    def with_generators(
        self, masses: np.ndarray, b: np.ndarray, space: OutcomeSpace | None = None
    ) -> Core:
        """Return a core with these generators, the same Nirvana setting (and space by default).

        The arrays become read-only; the caller passes arrays it owns (or read-only ones).
        """
        return Core(self.space if space is None else space, masses, b, self.nirvana)

    def with_nirvana(self, nirvana: float) -> Core:
        """Return the same generators under the other Nirvana convention (a checked value)."""
        return Core(self.space, self.masses, self.b, nirvana)

    def effective(self, exact: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return ``(rows, M, c)``: Murphy's options as (generator indices, masses, constants).

        ``M`` is over the ordinary outcomes, so the value of row ``i`` at a utility vector ``f``
        over the ordinary outcomes is ``M[i] @ f + c[i]``. Under ``nirvana=inf`` the generators
        touching Nirvana are left out; under ``nirvana=1`` their Nirvana mass is added to ``c``.
        ``exact=False`` gives the float64 view of an exact core. Computed once, read-only.
        """
        if exact not in self._cache:
            masses, b = self.masses, self.b
            if not exact:
                masses, b = self.float_arrays()
            space = self.space
            j = space.nirvana_index
            rows = np.arange(len(b))
            if j is None:
                eff = (rows, masses, b)
            elif self.nirvana == math.inf:
                free = np.flatnonzero(masses[:, j] == 0)
                eff = (free, masses[np.ix_(free, space.ordinary_index)], b[free])
            else:
                eff = (rows, masses[:, space.ordinary_index], b + masses[:, j])
            for arr in eff:
                read_only(arr)
            # setdefault: under threads every caller gets the one stored view
            return self._cache.setdefault(exact, eff)
        return self._cache[exact]

    def float_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(masses, b)`` in float64 (the core's own arrays when it is float).

        Raises an ``OverflowError`` naming the generator when an exact core holds a value beyond
        the float64 range (its float view does not exist).
        """
        if not self.exact:
            return self.masses, self.b
        outcomes = self.space.outcomes

        def mass(index: tuple[int, int]) -> str:
            return f"generator {index[0]}: the mass of outcome {outcomes[index[1]]!r}"

        masses = as_float_array(self.masses, mass)
        b = as_float_array(self.b, lambda i: f"generator {i}: b")
        _check_float_range(masses, b)
        return masses, b

    def values(self, fv: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (rows, values) of Murphy's options at a checked utility vector `fv`.

        `fv` is over the ordinary outcomes, in [0, 1] (``space.utility`` reads and checks one).
        The values are exact when the core and `fv` are, float64 otherwise.
        """
        exact = self.exact and is_exact(fv)
        if self.exact and not exact:
            try:
                self.effective(False)
            except OverflowError as error:
                raise OverflowError(
                    f"the utility is float64, so the expectation is computed in float64, but "
                    f"{error}"
                ) from None
        rows, masses, c = self.effective(exact)
        if not exact:
            fv = as_float_array(fv)
        return rows, masses @ fv + c

    def expect(self, fv: Any) -> Number:
        r"""Return :math:`E_H(f) = \min_i m_i(f) + b_i` at a checked utility vector `fv`.

        ``math.inf`` when every generator touches Nirvana under ``nirvana=math.inf``.
        """
        rows, values = self.values(fv)
        if rows.size == 0:
            return math.inf
        return py_scalar(values.min())


def _check_float_range(masses: np.ndarray, b: np.ndarray) -> None:
    """Raise an OverflowError if some generator's lambda + b is not finite in float64."""
    with np.errstate(over="ignore", invalid="ignore"):
        top = masses.sum(axis=1) + b
    bad = np.flatnonzero(~np.isfinite(top))
    if bad.size:
        raise OverflowError(
            f"generator {int(bad[0])}: its total mass plus b is beyond the float64 range "
            f"(magnitudes up to about 1.8e308), so its values m(f) + b are not representable; "
            "give the numbers as ints or Fractions to compute exactly"
        )
