r"""Minimal points on cores: the pruning behind :mod:`infrabayes.minimal`.

The definitions, the dominance LP and the arithmetic (float tolerance, exact verification) are
in the docstring of :mod:`infrabayes.minimal`; this module computes them on
:class:`~infrabayes._core.Core` values. :meth:`Infradistribution.minimal_points
<infrabayes.Infradistribution.minimal_points>` delegates here.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from infrabayes._core import Core
from infrabayes._numbers import as_float_array

__all__ = ["DOMINANCE_TOLERANCE", "FRACTION_DENOMINATOR_LIMIT", "minimal_points"]

# Documented as infrabayes.minimal.DOMINANCE_TOLERANCE and FRACTION_DENOMINATOR_LIMIT.
DOMINANCE_TOLERANCE = 1e-9
FRACTION_DENOMINATOR_LIMIT = 10**9


def minimal_points(core: Core) -> Core:
    """Return the core of the minimal generators (the same core if every one touches Nirvana).

    A subset of the generators, in their order, with the same expectations (see
    :func:`infrabayes.minimal.minimal_points`).
    """
    exact = core.exact
    rows, masses, c = core.effective(exact)
    if rows.size == 0:  # every generator touches Nirvana (inf): all are equally worthless
        return core
    alive = _prune(masses, c, exact)
    keep = rows[alive]
    return core.with_generators(core.masses[keep], core.b[keep])


def _prune(masses: np.ndarray, c: np.ndarray, exact: bool) -> np.ndarray:
    """Return the indices of the rows kept after removing dominated ones, one at a time."""
    float_masses, float_c = as_float_array(masses), as_float_array(c)
    scale = max(1.0, float(np.abs(float_masses).max()), float(np.abs(float_c).max()))
    alive = list(range(len(c)))
    for i in range(len(c)):
        others = np.array([j for j in alive if j != i], dtype=int)
        if others.size and _dominated(i, others, masses, c, float_masses, float_c, exact, scale):
            alive.remove(i)
    return np.array(alive, dtype=int)


def _gap(p: int, masses: np.ndarray, c: np.ndarray, weights: Any, others: np.ndarray) -> Any:
    r"""Return :math:`b_p - w \cdot b + \min(d, 0)(1)` for :math:`d = m_p - \sum w_j m_j`."""
    d = masses[p] - weights @ masses[others]
    zero = Fraction(0) if d.dtype == object else 0.0
    return c[p] - weights @ c[others] + sum((v for v in d if v < 0), zero)


def _dominated(
    p: int,
    others: np.ndarray,
    masses: np.ndarray,
    c: np.ndarray,
    float_masses: np.ndarray,
    float_c: np.ndarray,
    exact: bool,
    scale: float,
) -> bool:
    # One other generator at a time first (cheap, exact in exact mode; catches duplicates).
    diff = masses[p] - masses[others]
    single = c[p] - c[others] + np.minimum(diff, 0).sum(axis=1)
    if exact and (single >= 0).any():
        return True
    if not exact and (single >= -DOMINANCE_TOLERANCE * scale).any():
        return True
    if others.size < 2:
        return False
    weights = _lp_weights(p, others, float_masses, float_c, DOMINANCE_TOLERANCE * scale)
    if weights is None:
        return False
    if not exact:
        return True
    exact_weights = _as_fractions(weights)
    return exact_weights is not None and _gap(p, masses, c, exact_weights, others) >= 0


def _lp_weights(
    p: int, others: np.ndarray, masses: np.ndarray, c: np.ndarray, tolerance: float
) -> np.ndarray | None:
    """Solve the dominance LP; return the weights if generator `p` is dominated, else None."""
    from scipy.optimize import linprog  # scipy.optimize costs ~0.6 s to import: only when needed

    r, n = others.size, masses.shape[1]
    cost = np.concatenate([c[others], np.ones(n)])
    a_ub = np.hstack([masses[others].T, -np.eye(n)])
    a_eq = np.concatenate([np.ones(r), np.zeros(n)])[None, :]
    res = linprog(
        cost, A_ub=a_ub, b_ub=masses[p], A_eq=a_eq, b_eq=[1.0], bounds=(0, None), method="highs"
    )
    if res.status != 0:
        raise RuntimeError(
            f"minimal_points: the dominance LP of generator {p} failed in scipy.optimize.linprog "
            f"(HiGHS), status {res.status}: {res.message}"
        )
    if res.fun > c[p] + tolerance:
        return None
    weights: np.ndarray = res.x[:r]
    return weights


def _as_fractions(weights: np.ndarray) -> np.ndarray | None:
    """Round float weights to fractions summing to 1 (None if they are all zero)."""
    rounded = [
        Fraction(max(float(w), 0.0)).limit_denominator(FRACTION_DENOMINATOR_LIMIT) for w in weights
    ]
    total = sum(rounded, Fraction(0))
    if total == 0:
        return None
    out = np.empty(len(rounded), dtype=object)
    out[:] = [w / total for w in rounded]
    return out
