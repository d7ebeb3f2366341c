"""The uncertain parameters of a portfolio: which probabilities each interval or distribution sets.

Definitions
-----------
A *parameter* is a probability of the portfolio that is not a plain number: an
:class:`~portfolios.values.Interval` or a :class:`~portfolios.values.Distribution`
(:mod:`portfolios.values`). Written inline, it sets one probability and is named after it:

=================================================  ===================================
the probability                                    the parameter's name
=================================================  ===================================
``p_fail`` of latent variable ``W``                ``W``
``p_fail`` of assumption ``A``                     ``A``
``holds`` / ``fails`` of ``A``'s conditional        ``A[W holds]`` / ``A[W fails]``
``p_fail`` on ``W``
``soundness_error`` of case ``C``                  ``soundness(C)``
=================================================  ===================================

Named in the ``parameters`` section and referred to by ``{param: NAME}``, it sets every
probability that names it (following ``{param: ...}`` chains to the first value that is not
one) and keeps its own name; a shared parameter whose value is a number is just that number.
No name can clash: ids cannot contain brackets, spaces or parentheses, and the portfolio checks
refuse a parameter named like an entry.

:class:`Parameters` is the table the compiled :class:`~portfolios.structure.Structure` carries:
for every latent variable and every unit (and each of its two latent states), the index of the
parameter that sets its probability, or -1 for a number. The structure's own probability
arrays hold the *point values*: a number, a distribution's mean, and ``nan`` for an interval
(which has none; the engines refuse it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ._arrays import readonly
from .errors import PortfolioError
from .values import Distribution, Interval, Param, Value, point_value

__all__ = ["ParameterResolver", "Parameters"]


@dataclass(frozen=True, eq=False)
class Parameters:
    """The uncertain parameters of a compiled portfolio (module docstring).

    Attributes
    ----------
    names : tuple of str
        The parameters, in the order they are first used: the latent variables', then the
        assumptions', then the cases' probabilities, each section in file order (a parameter
        of the ``parameters`` section that nothing uses is not listed).
    values : tuple of Interval or Distribution
    latent_slot : ndarray of int, shape (L,)
        For each latent variable, the parameter that sets its ``p_fail`` (-1: a number).
    unit_slot : ndarray of int, shape (n_units, 2)
        For each unit of the structure, the parameter that sets its probability when its
        latent variable holds (column 0) and fails (column 1); -1 for a number.

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.Portfolio.from_dict({
    ...     "parameters": {"shared": {"beta": [2, 8]}},
    ...     "assumptions": {"A": {"statement": "a", "p_fail": {"param": "shared"}},
    ...                     "B": {"statement": "b", "p_fail": {"param": "shared"}},
    ...                     "C": {"statement": "c", "p_fail": [0.1, 0.2]}},
    ...     "cases": {"X": {"statement": "x", "assumptions": ["A", "C"], "covers": ["S"]},
    ...               "Y": {"statement": "y", "assumptions": ["B"], "covers": ["S"]}},
    ...     "scenarios": {"S": {"statement": "s"}},
    ... })
    >>> P.structure.parameters
    Parameters(shared: Beta(2.0, 8.0) (used 2x), C: Interval(0.1, 0.2) (used 1x))
    """

    names: tuple[str, ...]
    values: tuple[Interval | Distribution, ...]
    latent_slot: np.ndarray
    unit_slot: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "latent_slot", readonly(self.latent_slot, np.intp))
        object.__setattr__(self, "unit_slot", readonly(self.unit_slot, np.intp).reshape(-1, 2))

    def __len__(self) -> int:
        return len(self.names)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Parameters):
            return NotImplemented
        return (
            self.names == other.names
            and self.values == other.values
            and np.array_equal(self.latent_slot, other.latent_slot)
            and np.array_equal(self.unit_slot, other.unit_slot)
        )

    __hash__ = None  # type: ignore[assignment]

    @property
    def intervals(self) -> tuple[int, ...]:
        """The indices of the interval parameters."""
        return tuple(i for i, v in enumerate(self.values) if isinstance(v, Interval))

    @property
    def distributions(self) -> tuple[int, ...]:
        """The indices of the distribution parameters."""
        return tuple(i for i, v in enumerate(self.values) if isinstance(v, Distribution))

    def uses(self, i: int) -> int:
        """Return how many latent variables and units parameter ``i`` sets."""
        units = np.count_nonzero((self.unit_slot == i).any(axis=1))
        return int(units) + int(np.count_nonzero(self.latent_slot == i))

    def __repr__(self) -> str:
        rows = ", ".join(
            f"{name}: {value!r} (used {self.uses(i)}x)"
            for i, (name, value) in enumerate(zip(self.names, self.values, strict=True))
        )
        return f"Parameters({rows or 'none'})"


class ParameterResolver:
    """Turn the probability values of entries into point values and parameter indices.

    Used by the structure compiler: :meth:`resolve` returns ``(point value, index)`` for one
    probability (index -1 for a number) and registers its parameter, once per name.

    Parameters
    ----------
    shared : mapping of str to value
        The portfolio's ``parameters`` section (references checked, acyclic).
    """

    def __init__(self, shared: Mapping[str, Value]) -> None:
        self.shared = shared
        self.names: list[str] = []
        self.values: list[Interval | Distribution] = []
        self._index: dict[str, int] = {}

    def resolve(self, value: Value, label: str) -> tuple[float, int]:
        """Return ``(point value, parameter index or -1)`` of the probability named ``label``."""
        name = label
        seen = set()
        while isinstance(value, Param):
            name = value.name
            if name in seen or name not in self.shared:  # the portfolio checks refuse both
                raise PortfolioError(None, f"parameter {name!r} is unknown or in a cycle")
            seen.add(name)
            value = self.shared[name]
        if not isinstance(value, Interval | Distribution):
            return float(value), -1
        if name not in self._index:
            self._index[name] = len(self.names)
            self.names.append(name)
            self.values.append(value)
        return point_value(value), self._index[name]
