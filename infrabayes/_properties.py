"""The crisp, sharp, homogeneous and cohomogeneous predicates on cores.

The definitions are in the docstring of :mod:`infrabayes.properties`; this module decides them
on :class:`~infrabayes._core.Core` values, on the minimal points of the Nirvana-free
translation. :class:`~infrabayes.Infradistribution` delegates its ``is_crisp``, ``is_sharp``,
``is_homogeneous`` and ``is_cohomogeneous`` here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from infrabayes._core import Core
from infrabayes._minimal import minimal_points
from infrabayes._operations import nirvana_free

__all__ = ["PREDICATE_TOLERANCE", "is_cohomogeneous", "is_crisp", "is_homogeneous", "is_sharp"]

# Documented as infrabayes.properties.PREDICATE_TOLERANCE (relative; see there).
PREDICATE_TOLERANCE = 1e-9


def _reduced(core: Core) -> Core | None:
    """Return the minimal points of the Nirvana-free translation (None if E is +inf)."""
    rows, _, _ = core.effective(core.exact)
    if rows.size == 0:
        return None
    return minimal_points(nirvana_free(core))


def _all_one(values: np.ndarray, exact: bool) -> bool:
    """Whether every value is 1 (within PREDICATE_TOLERANCE, relative to 1, for floats)."""
    if exact:
        return bool(all(v == 1 for v in values))
    return bool(np.all(np.abs(values - 1.0) <= PREDICATE_TOLERANCE))


def _all_zero_b(core: Core) -> bool:
    """Whether every b is 0 (for floats: at most PREDICATE_TOLERANCE times lambda + b)."""
    if core.exact:
        return bool(all(v == 0 for v in core.b))
    scale = core.masses.sum(axis=1) + core.b  # the largest value of each generator
    return bool(np.all(core.b <= PREDICATE_TOLERANCE * scale))


def is_crisp(core: Core) -> bool:
    """Return whether every minimal point is a probability distribution (b = 0, total mass 1)."""
    reduced = _reduced(core)
    if reduced is None:
        return False
    return _all_zero_b(reduced) and _all_one(reduced.masses.sum(axis=1), reduced.exact)


def is_sharp(core: Core) -> bool:
    r"""Return whether the minimal points are all the distributions on a set C (ignorance in C).

    Checked as: crisp, and for each x in the union C of the supports, :math:`E(1 - 1_{\{x\}}) = 0`
    (the point mass at x is in the credal set, so the set is all of :math:`\Delta(C)`).
    """
    reduced = _reduced(core)
    if reduced is None or not is_crisp(reduced):
        return False
    outcomes = reduced.space.outcomes
    masses = reduced.masses
    if reduced.exact:
        floor: Any = 0
    else:  # a mass counts when above the tolerance relative to its generator's total mass
        floor = PREDICATE_TOLERANCE * masses.sum(axis=1)[:, None]
    in_support = np.asarray(np.asarray(masses > floor).any(axis=0))
    support = [x for j, x in enumerate(outcomes) if in_support[j]]
    for x in support:
        others = reduced.space.utility({y: 0 if y == x else 1 for y in outcomes}, reduced.nirvana)
        value = reduced.expect(others)
        if value > (0 if reduced.exact else PREDICATE_TOLERANCE * reduced.expect(1)):
            return False
    return True


def is_homogeneous(core: Core) -> bool:
    """Return whether every minimal point has b = 0."""
    reduced = _reduced(core)
    return reduced is not None and _all_zero_b(reduced)


def is_cohomogeneous(core: Core) -> bool:
    """Return whether every minimal point has total mass + b = 1."""
    reduced = _reduced(core)
    if reduced is None:
        return False
    return _all_one(reduced.masses.sum(axis=1) + reduced.b, reduced.exact)
