"""The one place where ``contracts`` calls cvxpy (imported lazily: it costs about a second)."""

from __future__ import annotations

from typing import Any

from .errors import SolverFailedError

__all__ = ["solve"]

_OK = ("optimal", "optimal_inaccurate")


def solve(problem: Any, solver: str, options: dict[str, Any] | None, *, what: str) -> str:
    """Solve a cvxpy problem with an explicit solver; return its status.

    Raises
    ------
    SolverFailedError
        If the solver is not installed, raises, or ends without an optimal solution.
    """
    import cvxpy as cp

    try:
        problem.solve(solver=solver, **(options or {}))
    except cp.error.SolverError as err:
        raise SolverFailedError(f"{what}: solver {solver} failed: {err}") from err
    status = str(problem.status)
    if status not in _OK:
        raise SolverFailedError(f"{what}: solver {solver} ended with status {status!r}")
    return status
