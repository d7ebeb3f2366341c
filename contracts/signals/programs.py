r"""The convex programs of the signal model: their variables, their solvers and their tolerance.

Nature's problem and the agent's best deviation (:mod:`contracts.signals.worstcase`), and the
search of :mod:`contracts.signals.optimum`, are programs over a distribution :math:`G` on the N
signals and its mean :math:`m = Z^\top G`. :func:`simplex_program` builds those variables and
constraints; :func:`solve_program` solves with the solver named by ``solver=``, or by default
HiGHS when the program is an LP and Clarabel when a cost bound makes it conic. cvxpy is imported
inside the functions (about a second).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._cvx import solve
from .._numbers import binary_exponent
from ..tolerances import SOLVER_RTOL

__all__ = [
    "DEFAULT_SIGNAL_SOLVER",
    "LP_SOLVER",
    "SOLVER_RTOL",
    "bound_term",
    "signal_exponent",
    "simplex_program",
    "solve_program",
]

#: cvxpy solver for signal programs that are not LPs (a quadratic or user bound), unless ``solver=``
#: says otherwise. LPs (no bound, linear or max-affine bounds) go to ``LP_SOLVER``: HiGHS copes
#: with badly scaled data (payments of 10^6) where the interior-point solver reports "unbounded".
DEFAULT_SIGNAL_SOLVER = "CLARABEL"

#: cvxpy solver for signal programs that are LPs, unless ``solver=`` says otherwise.
LP_SOLVER = "HIGHS"


def signal_exponent(signals: np.ndarray) -> int:
    """Return ``e`` with the largest signal magnitude times ``2**-e`` in [1/2, 1) (0 if all 0).

    The programs are solved on the signals divided by ``2**e`` (exact in binary), with payments
    and costs divided by the power of 2 of the largest payment and the objective by that of its
    largest coefficient: every quantity the solver sees is of order 1, so its absolute
    tolerances are relative to the data (``SOLVER_RTOL``, :mod:`contracts.tolerances`).
    """
    return binary_exponent(np.max(np.abs(signals)), both_ways=True)


def bound_term(cost_bound: Any, m: Any, signal_exp: int, inverse_payment_scale: Any) -> Any:
    r"""Return :math:`b_+(2^{e_z} m) / 2^{e_w}`: the cost bound at the true mean, in payment units.

    ``m`` is the normalised mean (a cvxpy expression), ``inverse_payment_scale`` is
    :math:`2^{-e_w}` (a float or a non-negative cvxpy parameter). Convex when the bound is.
    """
    import cvxpy as cp

    return inverse_payment_scale * cp.pos(cost_bound(float(2.0**signal_exp) * m))


def simplex_program(signals: np.ndarray) -> tuple[Any, Any, list[Any]]:
    r"""Return cvxpy variables ``(g, m)`` and the constraints :math:`g \in \Delta`, :math:`m = Z^\top g`.

    ``signals`` is the (N, k) matrix :math:`Z` of the signal vectors; the constraint
    ``m == Z.T @ g`` is the second of the list, so its dual value is the subgradient read by
    :mod:`contracts.signals.worstcase`.
    """  # noqa: E501
    import cvxpy as cp

    g = cp.Variable(signals.shape[0], nonneg=True)
    m = cp.Variable(signals.shape[1])
    return g, m, [cp.sum(g) == 1, m == signals.T @ g]


def solve_program(
    problem: Any,
    solver: str | None,
    options: dict[str, Any] | None,
    what: str,
    inaccurate: str = "warn",
) -> str:
    """Solve with ``solver``, or by default HiGHS for an LP and Clarabel otherwise; return it.

    ``what`` names the program in errors and warnings; ``inaccurate`` is ``"warn"`` or
    ``"ignore"`` (see ``contracts._cvx.solve``).
    """
    chosen = solver or (LP_SOLVER if problem.is_lp() else DEFAULT_SIGNAL_SOLVER)
    solve(problem, chosen, options, what=what, inaccurate=inaccurate)
    return chosen
