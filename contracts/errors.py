"""Exceptions and warnings of the ``contracts`` package."""

__all__ = ["InaccurateSolutionWarning", "SolverFailedError"]


class SolverFailedError(RuntimeError):
    """A convex solver failed, or returned a status that carries no solution.

    The message names the problem, the solver and the status; the solver's own exception, if any,
    is chained as ``__cause__``.
    """


class InaccurateSolutionWarning(RuntimeWarning):
    """A convex solver flagged its solution as inaccurate (cvxpy status ``optimal_inaccurate``)."""
