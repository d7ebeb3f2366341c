"""The one place where ``contracts`` calls cvxpy (imported lazily: it costs about a second).

Thread safety: cvxpy reports an inaccurate solution with a Python warning, which we replace by our
own. Filtering it takes ``warnings.catch_warnings``, which swaps the process-wide filter list and
is not thread-safe: two threads interleaving their entries and exits would leave each other's
"ignore" filters installed for good. Every filtered solve therefore holds one lock, so concurrent
solves run one at a time inside the filter and the filter list is restored exactly.

Quiet stdout: the first ``highspy.Highs`` object a process makes prints HiGHS's banner ("Running
HiGHS ... Copyright ...") from C on file descriptor 1, whatever the solver options (cvxpy turns the
solve's own log off, but the banner is printed by the constructor, before any option is set). Before
the first HiGHS solve, :func:`_absorb_highs_banner` makes that first object itself with descriptor 1
pointed at a temporary file, once per process under a lock, and passes on anything else written
there meanwhile; later objects print nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import difflib
import functools
import os
import sys
import tempfile
import threading
import warnings
from typing import Any

from .errors import InaccurateSolutionWarning, SolverFailedError, UnknownSolverError

__all__ = ["check_solver", "solve"]

#: Held by every filtered solve (see the module docstring).
_FILTER_LOCK = threading.Lock()

#: Held while the HiGHS banner is absorbed (see the module docstring).
_BANNER_LOCK = threading.Lock()
_banner_absorbed = False

#: The banner's lines (HiGHS 1.x): dropped from what descriptor 1 received meanwhile.
_BANNER_MARKERS = (b"Running HiGHS", b"Copyright (c)", b"third-party software components")


def _flush_c_stdout() -> None:
    """Flush the C library's stdio buffers (where a C extension's printf waits), if reachable."""
    with contextlib.suppress(OSError, AttributeError, TypeError):
        ctypes.CDLL(None).fflush(None)


def _absorb_highs_banner() -> None:
    """Make the process's first ``highspy.Highs`` with stdout (descriptor 1) captured; once."""
    global _banner_absorbed
    if _banner_absorbed:
        return
    with _BANNER_LOCK:
        if _banner_absorbed:
            return
        try:
            import highspy
        except ImportError:  # pragma: no cover - cvxpy's HiGHS interface needs highspy
            _banner_absorbed = True
            return
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()
        _flush_c_stdout()
        try:
            saved = os.dup(1)
        except OSError:  # pragma: no cover - no descriptor 1: nothing can reach stdout
            highspy.Highs()
            _banner_absorbed = True
            return
        with tempfile.TemporaryFile() as captured:
            try:
                os.dup2(captured.fileno(), 1)
                highspy.Highs()
                _flush_c_stdout()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
            captured.seek(0)
            others = b"".join(
                line
                for line in captured.read().splitlines(keepends=True)
                if not any(marker in line for marker in _BANNER_MARKERS)
            )
        if others:  # written by another thread in the meantime: pass it on
            os.write(1, others)
        _banner_absorbed = True


@functools.cache
def _installed_solvers() -> tuple[str, ...]:
    """Return cvxpy's installed solvers (looked up once: each lookup tries to import each one)."""
    import cvxpy as cp

    return tuple(cp.installed_solvers())


def check_solver(solver: str) -> str:
    """Return ``solver`` if it names an installed cvxpy solver (any case), else raise.

    Raises
    ------
    UnknownSolverError
        A ``ValueError`` listing the installed solvers, with the closest name if there is one.
    """
    installed = _installed_solvers()
    if not isinstance(solver, str):
        raise UnknownSolverError(
            f"solver must be a solver name (a string), got {solver!r}; installed: "
            f"{', '.join(installed)}"
        )
    if solver.upper() in installed:
        return solver
    close = difflib.get_close_matches(solver.upper(), installed, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise UnknownSolverError(
        f"solver {solver!r} is not an installed cvxpy solver; {hint}installed: "
        f"{', '.join(installed)}"
    )


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
    UnknownSolverError
        If ``solver`` is not an installed cvxpy solver (a ``ValueError``).
    SolverFailedError
        If the solver raises (cvxpy's ``SolverError``, or a ``ValueError``/``TypeError`` from a
        bad option or an unreadable solution), or ends without an optimal solution (nor, with
        ``infeasible="return"``, an infeasible status).
    """
    import cvxpy as cp

    check_solver(solver)
    if solver.upper() == "HIGHS":
        _absorb_highs_banner()
    try:
        with _FILTER_LOCK, warnings.catch_warnings():
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
    except (ValueError, TypeError) as err:  # a bad option, or a solution cvxpy cannot unpack
        raise SolverFailedError(
            f"{what}: solver {solver} raised {type(err).__name__}: {err}"
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
