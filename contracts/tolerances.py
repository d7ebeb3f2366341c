r"""Every tolerance of ``contracts``: what it compares, relative to what, and why.

Exact inputs (ints and Fractions) are compared exactly; nothing here applies to them. For float64
inputs every comparison is **relative to the scale of the quantities it compares** and no
absolute floor decides a tie: multiply every output, payment and cost by :math:`10^{9}` or by
:math:`10^{-12}` and every decision (which actions tie, whether a worst case is degenerate,
which known actions pin the optimum) stays the same, and every value scales.

Scales. A float is computed from a few terms; its rounding error is a small multiple of the unit
roundoff (:math:`1.1 \times 10^{-16}`) times the *sum of the magnitudes of those terms*, which is
the scale used below. Two quantities are compared relative to the larger of their two scales.

``TIE_RTOL`` (:math:`10^{-12}`), for values the package computes in closed form (sums over the
grid, a few roundings each):

* the agent's utilities :math:`u_a = E_a[w] - c_a` (:func:`contracts.agent.choose`, and
  :func:`contracts.signals.signal_response`): two actions tie when
  :math:`|u_a - u_b| \le` ``TIE_RTOL`` :math:`\max(s_a, s_b)` with :math:`s_a = E_a[w] + c_a`
  (payments and costs are :math:`\ge 0`). The scale is the payments' and the costs', never the
  outputs': utilities are differences of payments and costs;
* the degenerate worst case (:func:`contracts.worstcase.worst_case`): the agent's best known
  utility :math:`V` reaches :math:`\max w` within ``TIE_RTOL`` :math:`\max(\max w, s_a)`, for the
  chosen action :math:`a`;
* attainment of a worst case: a point's :math:`y - w(y)` equals the value :math:`L` within
  ``TIE_RTOL`` times the larger of :math:`y + w(y)` and the same sum over the adversary's support;
  it pays more than :math:`V` beyond ``TIE_RTOL`` :math:`\max(w(y), s_a)`;
* the one-action optima :math:`[(\sqrt{\mu} - \sqrt{c})_+]^2` of
  :func:`contracts.linear.optimal_linear`: two actions pin the optimum together when their optima
  differ by at most ``TIE_RTOL`` times the larger one; an action whose mean (above the lowest
  output) exceeds its cost by at most ``TIE_RTOL`` times the larger of the two contributes 0;
* the flatness of the points drawn by :func:`contracts.plot.hull`: a rank within ``TIE_RTOL``
  after each coordinate is divided by its largest magnitude;
* the contracts of a lottery (:func:`contracts.randomized.worst_case_randomized`,
  :func:`contracts.randomized_optimum.optimal_randomized`): the agent's ties and the degenerate
  test under each contract by the rule above, on that contract's own payments and costs (for
  :math:`\alpha (y - y_0)`: :math:`s_a = \alpha (E_a[y] - y_0) + c_a` and the top payment
  :math:`\alpha (y_{hi} - y_0)`), whatever the other contracts of the lottery pay;
* two payment vectors that differ by a constant (they share nature's action in a lottery):
  :math:`\max_y |(w(y) - w(y_0)) - (v(y) - v(y_0))| \le` ``TIE_RTOL``
  :math:`\max(\max |w|, \max |v|)`, the vectors' own magnitude (never the outputs').

Why :math:`10^{-12}`: the values above are dot products over the grid, accurate to about
:math:`n \times 10^{-16}` relative, so :math:`10^{-12}` leaves a margin of :math:`10^{4}` for grids
of a few thousand points while telling apart any two values that differ in their first twelve
significant digits. Payments and costs are first scaled by a power of 2 (exact in binary) so that
the largest payment is about 1: utilities of payments of :math:`10^{-320}` (subnormal) do not
underflow.

``SOLVER_RTOL`` (:math:`10^{-7}`), for values read off a convex solver's solution (HiGHS, Clarabel;
their default feasibility and optimality tolerances are :math:`10^{-7}` to :math:`10^{-8}`): the
worst-case LP's attainment test, the degenerate test of the signal programs, the tight constraints
of the MIN-PAY LPs (:mod:`contracts.known`), the known actions' costs against a cost bound, an
affine contract's payments against 0. Every program is *normalised* before it is solved (payments
and costs by the largest payment, the principal's objective by its largest coefficient, signals by
the largest signal, each by a power of 2), so the solver's absolute tolerances are relative to the
data's own scale, and the same relative scales as above apply to the answers. The programs of
randomised contracts (:mod:`contracts._nature`, :mod:`contracts.randomized_optimum`) are
normalised the same way (payments, costs and utilities by the largest payment, outputs and means
by the largest output above :math:`y_0`, the objective by its largest coefficient), and their
solutions are scaled back exactly.

``ACTIVE_RTOL`` (:math:`10^{-7}`, the solvers' tolerance): the exact recovery of an LP vertex
(:mod:`contracts._exact_lp`) takes as *candidates* the bounds and constraints a float solution
meets within ``ACTIVE_RTOL`` times the program's largest number (solution, right-hand sides and
bounds; its largest cost for the multipliers). It decides no number: the recovered vertex and its
dual are checked in exact arithmetic, and the float solution is returned (``exact=False``) if
the check fails.

``SUPPORT_ATOL`` (:math:`10^{-9}`): a probability of an LP solution below it is dropped from the
support (probabilities have the fixed scale 1, so an absolute tolerance is a relative one), and a
support point of the normalised LP whose payment is within it of :math:`V` (relative to the largest
payment) counts as paying exactly :math:`V`.

``DIST_ATOL`` (:math:`10^{-9}`): a float probability vector must sum to 1 within it (again a
quantity of fixed scale 1). It is a validation tolerance: data outside it are refused, not
rounded.

``WEIGHT_RTOL`` and ``CDF_ATOL`` (:math:`10^{-9}`), validation tolerances of lotteries
(:mod:`contracts.mixture`): float weights must sum to 1 within ``WEIGHT_RTOL``; a CDF must lie in
:math:`[0, 1]`, be non-decreasing and reach 1 at :math:`\alpha = 1`, each within ``CDF_ATOL``.
Both compare probabilities, of fixed scale 1.

``WEIGHT_FLOOR`` (:math:`10^{-12}`): a weight of the grid LP's optimal lottery
(:func:`contracts.randomized_optimum.optimal_randomized`) below ``WEIGHT_FLOOR`` times the total
weight is solver noise and dropped (a probability, scale 1; dropping it moves the guarantee by at
most that fraction of the output range, far below the solver's tolerance, and the certificate is
computed for the lottery returned).

``SEARCH_RTOL`` (:math:`10^{-6}`): the Nelder-Mead search of
:func:`contracts.signals.optimal_affine` stops when its simplex is within ``SEARCH_RTOL`` times
the width of the search box (the box scales with payoffs over signals, so the test is
scale-free). It decides no reported number: the value returned is the certified guarantee of the
contract found.

Exact inputs need no tolerance, including irrational optima: :func:`contracts.linear.optimal_linear`
compares :math:`(\sqrt{\mu_a} - \sqrt{c_a})^2` exactly (an equality test in the rationals and
interval arithmetic with as many bits as it takes to separate unequal values).
"""

from __future__ import annotations

__all__ = [
    "ACTIVE_RTOL",
    "CDF_ATOL",
    "DIST_ATOL",
    "SEARCH_RTOL",
    "SOLVER_RTOL",
    "SUPPORT_ATOL",
    "TIE_RTOL",
    "WEIGHT_FLOOR",
    "WEIGHT_RTOL",
]

#: Relative tolerance for ties between float values computed in closed form (agent utilities,
#: the degenerate test, worst-case attainment, one-action optima): see the module docstring.
TIE_RTOL = 1e-12

#: Relative tolerance for values read off a convex solver's solution, on normalised programs.
SOLVER_RTOL = 1e-7

#: Probabilities of an LP solution below this are dropped from the support (scale 1).
SUPPORT_ATOL = 1e-9

#: A float probability vector must sum to 1 within this (exact ones must sum to exactly 1).
DIST_ATOL = 1e-9

#: optimal_affine's Nelder-Mead stops within this fraction of the search box's width.
SEARCH_RTOL = 1e-6

#: Exact LP recovery: bounds and rows met within this (relative to the program's largest number)
#: are candidates for the active set, checked exactly afterwards.
ACTIVE_RTOL = 1e-7

#: Float weights of a lottery must sum to 1 within this (relative to the total, 1).
WEIGHT_RTOL = 1e-9

#: Tolerance on a CDF's values (non-decreasing, in [0, 1], equal to 1 at alpha = 1).
CDF_ATOL = 1e-9

#: Weights of the grid LP's lottery below this fraction of the total are dropped (solver noise).
WEIGHT_FLOOR = 1e-12
