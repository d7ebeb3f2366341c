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

Arithmetic
----------
The LP only *proposes* a combination :math:`q = \sum_j w_j g_j`; a direct check on the generators
decides. For a relative tolerance :math:`s \ge 0`, :math:`q(f) \le (1 + s)\, p(f)` for every utility
:math:`f: X \to [0, 1]` exactly when

.. math:: b_q - (1 + s) b_p + \sum_x \max\big(m_q(x) - (1 + s) m_p(x), 0\big) \le 0

(an affine function is largest on the cube at a vertex). Then :math:`p` is dropped.

* **Exact** infradistributions use :math:`s = 0`: the LP's weights are rounded to fractions
  (denominators up to :data:`FRACTION_DENOMINATOR_LIMIT`) and the check runs in exact
  arithmetic, so every expectation stays exactly equal; a generator whose domination the
  rounded weights cannot verify is kept.
* **Float** infradistributions use :math:`s =` :data:`DOMINANCE_TOLERANCE`: a tolerance
  *relative to the values compared*, :math:`p(f)` itself, at every :math:`f`. Dropping a
  generator can only raise an expectation (a minimum over fewer points), and by at most the
  factor :math:`1 + s` (compounding to :math:`(1 + s)^r` after :math:`r` drops); an expectation
  that is 0 stays exactly 0. No absolute floor is involved, so scaling every generator by the
  same :math:`c > 0` scales the values and keeps the same minimal points, and a generator with a
  huge ``b`` (say :math:`10^9`) does not blur the comparison of two generators of size 1.
* **The LP** runs in float64 (HiGHS, ``scipy.optimize.linprog``). The generators are first
  divided by a power of 2 near the largest :math:`\lambda + b` (so exact generators beyond the
  float64 range, :math:`> 1.8 \cdot 10^{308}`, do not overflow), then each LP by a power of 2
  near :math:`\lambda_p + b_p` of the generator it tests: what decides that domination is of
  size 1 for the solver, whose tolerances are absolute, whatever the sizes of the other
  generators (one with :math:`b = 10^9` does not blind it to generators of size
  :math:`10^{-3}`). The LP itself has no tolerance: its optimum is a vertex, a combination with
  simple weights rather than a point at the edge of the tolerance; weights below
  :math:`10^{-12}` (they sum to 1) are dropped as solver noise before the check. If the LP
  still misses a domination the generator is kept: the result may hold a redundant generator,
  never lose a needed one.

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
Infradistribution: 2 generators over 2 outcomes (exact, normalized, nirvana=inf)
            a    b  |  b
       0  1/2  1/2  |  0
       1  1/4  3/4  |  0
"""

from __future__ import annotations

from infrabayes import _minimal
from infrabayes.infradistribution import Infradistribution
from infrabayes.limits import Progress

__all__ = ["DOMINANCE_TOLERANCE", "FRACTION_DENOMINATOR_LIMIT", "minimal_points"]

#: Relative tolerance of the dominance check on float infradistributions: :math:`p` is dropped when
#: some :math:`q` in the hull of the others has :math:`q(f) \le (1 + \text{this})\, p(f)` for
#: every utility :math:`f` (exact ones use 0).
DOMINANCE_TOLERANCE = _minimal.DOMINANCE_TOLERANCE
#: Largest denominator tried when turning the LP's float weights into fractions (exact mode).
FRACTION_DENOMINATOR_LIMIT = _minimal.FRACTION_DENOMINATOR_LIMIT


def minimal_points(h: Infradistribution, *, progress: Progress | None = None) -> Infradistribution:
    """Return the infradistribution spanned by the minimal generators of `h` (same expectations).

    Parameters
    ----------
    h : Infradistribution
    progress : callable, optional
        Called as ``progress(i, k)`` after each of the ``k`` generators is decided (one LP each;
        see :func:`infrabayes.limits.check_progress`).

    Returns
    -------
    Infradistribution
        A subset of the generators of `h`, in their order, with the same expectations (exactly
        in exact mode; within the relative :data:`DOMINANCE_TOLERANCE` per dropped generator in
        float mode). A generator whose domination the check cannot verify is kept, so the
        result may hold a redundant generator, never lose a needed one.

    Raises
    ------
    RuntimeError
        If the LP solver fails (it should not: the LP is always feasible and bounded).
    TypeError
        If `progress` is not callable.
    """
    return h.minimal_points(progress=progress)
