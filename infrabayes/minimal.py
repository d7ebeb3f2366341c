r"""Minimal points: prune the generators that Murphy never needs.

Definitions
-----------
A point :math:`p` of an infradistribution :math:`H` is **minimal** when it cannot be written as
another point of :math:`H` plus a nonzero sa-measure (Diffractor & Kosoy, "Basic Inframeasure
Theory", 2020). For a difference :math:`p - q = (d, c)` of two a-measures,

.. math:: p - q \text{ is an sa-measure} \iff c + d^-(1) \ge 0
          \iff p(f) \ge q(f) \text{ for every } f: X \to [0, 1],

so a generator :math:`p` is redundant exactly when some :math:`q` in the convex hull of the other
generators is at most :math:`p` on every utility function. Deciding this is a linear program in
the weights :math:`w` of :math:`q = \sum_j w_j g_j` and slacks :math:`t \ge (-d)^+`:

.. math:: \min_{w \in \Delta, \; t \ge 0, \; t \ge \sum_j w_j m_j - m_p}
          \; \sum_j w_j b_j + \sum_x t_x \quad \le b_p \;\iff\; p \text{ is dominated.}

The pruning removes dominated generators one at a time (a removed one lies in the hull of the
rest plus sa-measures, so the set, hence every expectation, is unchanged). What remains are
minimal points, and every minimal point is a convex combination of them.

Under ``nirvana=1`` Nirvana mass counts as part of ``b``; under ``nirvana=math.inf`` generators
touching Nirvana are dropped first when a Nirvana-free generator exists (they are never Murphy's
choice).

Arithmetic: each LP is solved in float64 by HiGHS (``scipy.optimize.linprog``). For a float
infradistribution a generator is dropped when the LP optimum is within
:data:`DOMINANCE_TOLERANCE` (times the scale of the data) of :math:`b_p`, which may move an
expectation by at most that much. For an exact one, the LP's weights are rounded to fractions and
the domination is **verified in exact arithmetic** before the generator is dropped, so the
expectations stay exactly equal (a generator whose domination cannot be verified is kept).

Examples
--------
>>> from fractions import Fraction as F
>>> from infrabayes import Infradistribution
>>> H = Infradistribution([
...     ({"a": F(1, 2), "b": F(1, 2)}, 0),
...     ({"a": F(1, 2), "b": F(1, 2)}, F(1, 4)),  # the first one plus (0, 1/4)
...     ({"a": F(1, 4), "b": F(3, 4)}, 0),
...     ({"a": F(3, 8), "b": F(5, 8)}, 0),        # the midpoint of generators 0 and 2
... ])
>>> H.minimal_points()
Infradistribution: 2 generators over 2 outcomes (exact, nirvana=inf)
            a    b  |  b
       0  1/2  1/2  |  0
       1  1/4  3/4  |  0
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from infrabayes._numbers import as_float_array

if TYPE_CHECKING:
    from infrabayes.infradistribution import Infradistribution

__all__ = ["DOMINANCE_TOLERANCE", "FRACTION_DENOMINATOR_LIMIT", "minimal_points"]

#: A float generator is dominated when the LP optimum is at most :math:`b_p` plus this times
#: ``max(1, largest |mass| or |b|)``.
DOMINANCE_TOLERANCE = 1e-9
#: Largest denominator tried when turning the LP's float weights into fractions (exact mode).
FRACTION_DENOMINATOR_LIMIT = 10**9


def minimal_points(h: Infradistribution) -> Infradistribution:
    """Return the infradistribution spanned by the minimal generators of `h` (same expectations).

    Parameters
    ----------
    h : Infradistribution

    Returns
    -------
    Infradistribution
        A subset of the generators of `h`, in their order, with the same expectations. Every
        generator found dominated (up to :data:`DOMINANCE_TOLERANCE` in float mode; verified
        in exact arithmetic in exact mode) is dropped. In exact mode a generator whose
        domination the rounded LP weights cannot verify is kept, so the result may hold a
        redundant generator, never lose a needed one.

    Raises
    ------
    RuntimeError
        If the LP solver fails (it should not: the LP is always feasible and bounded).
    """
    exact = h.exact
    rows, masses, c = h._effective(exact)
    if rows.size == 0:  # every generator touches Nirvana (inf): all are equally worthless
        return h
    alive = _prune(masses, c, exact)
    keep = rows[alive]
    return h._with_generators(h.masses[keep], h.b[keep])


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
