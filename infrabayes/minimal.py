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

from infrabayes import _minimal
from infrabayes.infradistribution import Infradistribution

__all__ = ["DOMINANCE_TOLERANCE", "FRACTION_DENOMINATOR_LIMIT", "minimal_points"]

#: A float generator is dominated when the LP optimum is at most :math:`b_p` plus this times
#: ``max(1, largest |mass| or |b|)``.
DOMINANCE_TOLERANCE = _minimal.DOMINANCE_TOLERANCE
#: Largest denominator tried when turning the LP's float weights into fractions (exact mode).
FRACTION_DENOMINATOR_LIMIT = _minimal.FRACTION_DENOMINATOR_LIMIT


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
    return h.minimal_points()
