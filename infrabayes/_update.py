r"""Normalization and the update on cores: the computations behind :mod:`infrabayes.update`.

The definitions, facts and Nirvana conventions are in the docstring of :mod:`infrabayes.update`;
this module computes them on :class:`~infrabayes._core.Core` values (taking cores, returning new
cores or numbers). :class:`~infrabayes.Infradistribution` delegates its ``probability``,
``raw_update``, ``update`` and ``normalize`` here; :mod:`infrabayes.update` re-exports the error
and the tolerance with their documentation.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from infrabayes._core import Core
from infrabayes._numbers import Number, as_float_array, format_number, is_exact, py_scalar

__all__ = [
    "NULL_PROBABILITY_TOLERANCE",
    "NullUpdateError",
    "is_null",
    "normalize",
    "probability",
    "raw_update",
    "update",
]

# Documented as infrabayes.update.NULL_PROBABILITY_TOLERANCE (relative to E_H(1 *_L g)).
NULL_PROBABILITY_TOLERANCE = 1e-12


class NullUpdateError(ZeroDivisionError, ValueError):
    """The update is undefined: :math:`P^g_H(L) = 0`; nothing after L changes the worst case.

    Also a ``ZeroDivisionError`` (the normalizer is zero) and a ``ValueError`` (this input has no
    update).
    """


# Defined beside the code that raises it; its public home (tracebacks, pickles) is the module
# that documents it.
NullUpdateError.__module__ = "infrabayes.update"


def probability(core: Core, likelihood: Any, g: Any) -> Number:
    r"""Return :math:`P^g_H(L) = E_H(1 \star_L g) - E_H(0 \star_L g)`."""
    _, e0, e1 = _glued_bounds(core, likelihood, g)
    return py_scalar(e1 - e0)


def raw_update(core: Core, likelihood: Any, g: Any) -> Core:
    r"""Return the raw update :math:`\{(L m, b + m((1 - L) g))\}` of every generator."""
    space = core.space
    lv = space.likelihood(likelihood, "the likelihood L")
    gv = space.utility(g, core.nirvana, "the off-branch utility g")
    exact = core.exact and is_exact(lv) and is_exact(gv)
    masses, b = core.masses, core.b
    if not exact:
        try:
            masses, b = core.float_arrays()
        except OverflowError as error:
            which = "the likelihood L" if not is_exact(lv) else "the off-branch utility g"
            raise OverflowError(
                f"{which} is float64, so the update is computed in float64, but {error}"
            ) from None
        lv, gv = as_float_array(lv), as_float_array(gv)
    ordinary = space.ordinary_index
    off_branch = (1 - lv[ordinary]) * gv  # the utility each unit of mass collects off L
    new_masses = masses * lv
    new_b = b + masses[:, ordinary] @ off_branch
    j = space.nirvana_index
    if j is not None:
        nirvana_mass = masses[:, j]
        if core.nirvana == 1:  # Nirvana is worth the constant 1: book all of its mass into b
            new_b = new_b + nirvana_mass
            new_masses[:, j] = Fraction(0) if exact else 0.0
        else:  # worth +inf: off the branch the image has b = +inf and is no a-measure; drop it
            keep = np.flatnonzero((nirvana_mass == 0) | (lv[j] == 1))
            if keep.size == 0:
                raise NullUpdateError(_ALL_NIRVANA)
            new_masses, new_b = new_masses[keep], new_b[keep]
    return core.with_generators(new_masses, new_b)


def update(core: Core, likelihood: Any, g: Any) -> Core:
    r"""Return :math:`H|^g_L`: the raw update, minus :math:`(0, E_H(0 \star_L g))`, divided by P.

    Raises :class:`NullUpdateError` if :math:`P^g_H(L) = 0` (within
    ``NULL_PROBABILITY_TOLERANCE`` in float64).
    """
    raw, e0, e1 = _glued_bounds(core, likelihood, g)
    p = e1 - e0
    if is_null(p, e1):
        raise NullUpdateError(
            f"P^g_H(L) = E_H(1 *_L g) - E_H(0 *_L g) = {format_number(e1)} - {format_number(e0)} "
            f"= {format_number(p)}{'' if p == 0 else ' (zero within NULL_PROBABILITY_TOLERANCE)'}, "
            "so the update is undefined: Murphy can make the observation irrelevant. Every "
            "continuation f after L gives the prior the same value E_H(f *_L g) = "
            f"{format_number(e0)}, so nothing done after observing L changes the worst case "
            "(any continuation is prior-optimal)"
        )
    return _rescale(raw, e0, p, "the update divides by P^g_H(L)")


def normalize(core: Core) -> Core:
    r"""Return the core normalized: :math:`(m, b) \mapsto (m, b - E(0)) / (E(1) - E(0))`."""
    e0, e1 = _bounds(core)
    if e0 == math.inf:
        raise ValueError(_ALL_NIRVANA.replace("update", "normalize"))
    if is_null(e1 - e0, e1):
        raise ValueError(
            f"cannot normalize: E(1) - E(0) = {format_number(e1)} - {format_number(e0)} = "
            f"{format_number(e1 - e0)}; every utility function has the same expectation"
        )
    return _rescale(core, e0, e1 - e0, "normalizing divides by E(1) - E(0)")


def is_null(p: Any, e1: Any) -> bool:
    r"""Return whether a normalizer :math:`p = e_1 - e_0` counts as zero.

    Exactly for a ``Fraction``; in float64 when at most ``NULL_PROBABILITY_TOLERANCE`` times
    :math:`|e_1|`, the larger of the two expectations it is the difference of (both are
    :math:`\ge 0`). No absolute floor: :math:`p = 10^{-30}` with :math:`e_0 = 0` is not null, and
    :math:`p = 0` always is.
    """
    if isinstance(p, Fraction):
        return p == 0
    return bool(p <= NULL_PROBABILITY_TOLERANCE * abs(float(e1)))


_ALL_NIRVANA = (
    "every generator reaches Nirvana (nirvana=math.inf): the expectation of every utility is +inf, "
    "so there is no worst case to update"
)


def _glued_bounds(core: Core, likelihood: Any, g: Any) -> tuple[Core, Any, Any]:
    r"""Return the raw update and :math:`E_H(0 \star_L g)`, :math:`E_H(1 \star_L g)` (finite)."""
    raw = raw_update(core, likelihood, g)
    e0, e1 = _bounds(raw)
    if e0 == math.inf:
        raise NullUpdateError(_ALL_NIRVANA)
    return raw, e0, e1


def _bounds(core: Core) -> tuple[Any, Any]:
    """Return :math:`(E_H(0), E_H(1))` (``inf`` when every generator touches Nirvana)."""
    rows, masses, c = core.effective(core.exact)
    if rows.size == 0:
        return math.inf, math.inf
    return c.min(), (masses.sum(axis=1) + c).min()


def _rescale(core: Core, e0: Any, scale: Any, what: str) -> Core:
    r"""Return :math:`\{(m / s, (b - e_0) / s)\}`, with the Nirvana bookkeeping of the module.

    `what` names the division for the error raised when a float result leaves the float64 range.
    """
    masses, b = core.masses, core.b
    j = core.space.nirvana_index
    if j is not None:
        if core.nirvana == 1:
            b = b + masses[:, j]
            masses = masses.copy()
            masses[:, j] = Fraction(0) if core.exact else 0.0
        else:
            keep = np.flatnonzero((masses[:, j] == 0) | (b >= e0))
            masses, b = masses[keep], b[keep]
    with np.errstate(over="ignore"):
        new_masses, new_b = masses / scale, (b - e0) / scale
    try:
        return core.with_generators(new_masses, new_b)
    except OverflowError as error:
        raise OverflowError(f"{what} = {format_number(scale)}, and then {error}") from None
