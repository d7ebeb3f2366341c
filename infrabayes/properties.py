r"""Special classes of infradistributions, decided on their minimal points.

Definitions
-----------
Following "Less Basic Inframeasure Theory" (Diffractor & Kosoy, 2020, section 2), for the
functional :math:`h = E_H`, the minimal points :math:`(m, b)` (:math:`\lambda = m(1)`) and
constants :math:`a \in [0, 1]`, :math:`c`:

============== ========================================== =====================================
class          functional property                        minimal points
============== ========================================== =====================================
crisp          :math:`h(af + c) = a h(f) + c`             probability distributions, b = 0
sharp          crisp and                                  all distributions on a set C
               :math:`h(f) = \min_{x \in C} f(x)`
homogeneous    :math:`h(af) = a h(f)`                     b = 0
cohomogeneous  :math:`h(1 - a + af) = 1 - a + a h(f)`     :math:`\lambda + b = 1`
============== ========================================== =====================================

A crisp infradistribution is a **credal set** of imprecise probability. The checks run on the
minimal points of the Nirvana-free translation (see :mod:`infrabayes.nirvana`), since they are
properties of the functional: a dominated generator, or Nirvana mass under ``nirvana=1``, can
change the answer. If every generator touches Nirvana under ``nirvana=math.inf`` the functional
is :math:`+\infty` and every predicate is False.

Exact infradistributions are decided exactly. Float ones use :data:`PREDICATE_TOLERANCE`,
relative to the scale of each comparison and with no absolute floor: :math:`b = 0` means
:math:`b \le` tolerance :math:`\times (\lambda + b)` (the largest value of that minimal point), so
scaling every generator by the same :math:`c > 0` keeps a set homogeneous or not; :math:`\lambda
= 1` and :math:`\lambda + b = 1` are within the tolerance of 1; an outcome is in the support of a
minimal point when its mass exceeds the tolerance times that point's :math:`\lambda`; and
:math:`E(1 - 1_{\{x\}}) = 0` (sharpness) means at most the tolerance times :math:`E(1)`.

Examples
--------
>>> from fractions import Fraction as F
>>> from infrabayes import Infradistribution
>>> H = Infradistribution([
...     {"x1": F(1, 2), "x2": F(1, 4), "x3": F(1, 4)},
...     {"x1": F(1, 10), "x2": F(3, 5), "x3": F(3, 10)},
... ])
>>> H.is_crisp(), H.is_sharp(), H.is_homogeneous(), H.is_cohomogeneous()
(True, False, True, True)

Updated with :math:`g = 1` it has the generators :math:`((2/3, 1/3, 0), 0)` and
:math:`((2/15, 4/5, 0), 1/15)`: neither dominates the other, the second has :math:`b > 0`, and
both have :math:`\lambda + b = 1`. Posteriors are not crisp in general:

>>> post = H.update({"x1", "x2"}, 1)
>>> post.is_crisp(), post.is_homogeneous(), post.is_cohomogeneous()
(False, False, True)
>>> Infradistribution.sharp(["x1", "x2"]).is_sharp()
True
"""

from __future__ import annotations

from infrabayes import _properties
from infrabayes.infradistribution import Infradistribution

__all__ = ["PREDICATE_TOLERANCE", "is_cohomogeneous", "is_crisp", "is_homogeneous", "is_sharp"]

#: Relative tolerance of the predicates on float infradistributions (each comparison's scale is
#: in the module docstring).
PREDICATE_TOLERANCE = _properties.PREDICATE_TOLERANCE


def is_crisp(h: Infradistribution) -> bool:
    """Return whether every minimal point is a probability distribution (b = 0, total mass 1)."""
    return h.is_crisp()


def is_sharp(h: Infradistribution) -> bool:
    r"""Return whether the minimal points are all the distributions on a set C (ignorance in C).

    Checked as: crisp, and for each x in the union C of the supports, :math:`E(1 - 1_{\{x\}}) = 0`
    (the point mass at x is in the credal set, so the set is all of :math:`\Delta(C)`).
    """
    return h.is_sharp()


def is_homogeneous(h: Infradistribution) -> bool:
    """Return whether every minimal point has b = 0."""
    return h.is_homogeneous()


def is_cohomogeneous(h: Infradistribution) -> bool:
    """Return whether every minimal point has total mass + b = 1."""
    return h.is_cohomogeneous()
