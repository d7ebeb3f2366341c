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
  after each coordinate is divided by its largest magnitude.

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
data's own scale, and the same relative scales as above apply to the answers.

``SUPPORT_ATOL`` (:math:`10^{-9}`): a probability of an LP solution below it is dropped from the
support (probabilities have the fixed scale 1, so an absolute tolerance is a relative one), and a
support point of the normalised LP whose payment is within it of :math:`V` (relative to the largest
payment) counts as paying exactly :math:`V`.

``DIST_ATOL`` (:math:`10^{-9}`): a float probability vector must sum to 1 within it (again a
quantity of fixed scale 1). It is a validation tolerance: data outside it are refused, not
rounded.

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

__all__ = ["DIST_ATOL", "SEARCH_RTOL", "SOLVER_RTOL", "SUPPORT_ATOL", "TIE_RTOL"]

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
