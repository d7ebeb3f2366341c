"""Exceptions of the ``contracts`` package."""

__all__ = ["SolverFailedError"]


class SolverFailedError(RuntimeError):
    """A convex solver failed, or returned a status that carries no solution.

    The message names the problem, the solver and the status; the solver's own exception, if any,
    is chained as ``__cause__``.
    """
