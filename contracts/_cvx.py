"""The one place where ``contracts`` calls cvxpy (imported lazily: it costs about a second)."""

from __future__ import annotations

import warnings
from typing import Any

from .errors import InaccurateSolutionWarning, SolverFailedError

__all__ = ["solve"]


def solve(
    problem: Any,
    solver: str,
    options: dict[str, Any] | None,
    *,
    what: str,
    inaccurate: str = "warn",
    infeasible: str = "raise",
) -> str:
    """Solve a cvxpy problem with an explicit solver; return its status.

    cvxpy's own "Solution may be inaccurate" warning is replaced by an
    :class:`~contracts.errors.InaccurateSolutionWarning` naming the problem (``inaccurate="warn"``),
    or silenced (``"ignore"``: callers that check the answer themselves). With
    ``infeasible="return"`` an infeasible status (``"infeasible"`` or ``"infeasible_inaccurate"``)
    is returned instead of raised, for callers to whom infeasibility is an answer and who check
    it themselves.

    Raises
    ------
    SolverFailedError
        If the solver is not installed, raises, or ends without an optimal solution (nor, with
        ``infeasible="return"``, an infeasible status).
    """
    import cvxpy as cp

    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Solution may be inaccurate")
            # cvxpy's interval-bound propagation multiplies 0 by an infinite bound while it
            # canonicalises cp.pos(...) for LP solvers; the bounds are advisory, the problem
            # data are unaffected.
            warnings.filterwarnings(
                "ignore", message="invalid value encountered in matmul", category=RuntimeWarning
            )
            problem.solve(solver=solver, **(options or {}))
    except cp.error.SolverError as err:
        raise SolverFailedError(
            f"{what}: solver {solver} failed ({err}); try another solver with solver=..."
        ) from err
    status = str(problem.status)
    if infeasible == "return" and status in ("infeasible", "infeasible_inaccurate"):
        return status
    if status == "optimal_inaccurate" and inaccurate == "warn":
        warnings.warn(
            f"{what}: solver {solver} reports an inaccurate solution",
            InaccurateSolutionWarning,
            stacklevel=3,
        )
    elif status != "optimal" and status != "optimal_inaccurate":
        raise SolverFailedError(f"{what}: solver {solver} ended with status {status!r}")
    return status
