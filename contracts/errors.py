"""Exceptions and warnings of the ``contracts`` package."""

__all__ = ["InaccurateSolutionWarning", "SolverFailedError", "UnknownSolverError"]


class SolverFailedError(RuntimeError):
    """A convex solver failed, or returned a status that carries no solution.

    The message names the problem, the solver and the status; the solver's own exception, if any,
    is chained as ``__cause__``.
    """


class UnknownSolverError(SolverFailedError, ValueError):
    """The solver named by ``solver=`` is not an installed cvxpy solver.

    A ``ValueError`` (a bad argument) that is also a :class:`SolverFailedError`, so code written
    against either keeps working. The message lists the installed solvers and the closest name.
    """


class InaccurateSolutionWarning(RuntimeWarning):
    """A convex solver flagged its solution as inaccurate (cvxpy status ``optimal_inaccurate``)."""
