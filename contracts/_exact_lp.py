r"""A small linear program, solved by cvxpy, and made exact by vertex recovery when its data are.

The program is

.. math::

    \min_x \; c \cdot x \quad \text{s.t.} \quad a_r \cdot x \ge h_r \; (r \in \text{ineq}),
    \quad a_r \cdot x = h_r \; (r \in \text{eq}), \quad l \le x \le u,

stored row by row (a dict ``{column: coefficient}`` per row, so the sparse programs of
:mod:`contracts._nature` cost memory in proportion to their non-zeros). :func:`solve_lp` solves
it in float64 with cvxpy and a named solver (HiGHS by default for the callers) and returns the
solution and the multipliers.

**Exact recovery** (:func:`solve_lp` with ``exact=True``). If every datum is a ``Fraction``, the
float solution is turned into an exact, *certified* optimum:

1. *Primal*: the variables the float solution puts on a bound (within ``ACTIVE_RTOL`` times the
   program's largest number: solution, right-hand sides, bounds; no absolute floor, so callers
   normalise their programs first) are fixed there; the others are solved from the equalities
   and the inequalities the float solution makes tight, in Fractions
   (:func:`contracts._rational.solve_square`, which accepts an over-complete list of equations).
2. *Dual*: the multipliers of the tight inequalities with a positive float multiplier, and of the
   equalities, are solved from "reduced cost 0" on the variables strictly inside their bounds;
   the reduced costs of the variables on a bound are then read off (those whose float reduced
   cost vanishes also get the equation "reduced cost 0", which pins a degenerate dual).
3. *Certificate*: the exact primal must satisfy every constraint, the exact multipliers must be
   dual feasible (inequality multipliers and reduced costs of the right sign), and the two
   objective values must be equal, all checked in exact arithmetic. Weak duality then proves the
   primal optimal.

If any step fails (a tolerance picked the wrong active set, or the solver returned a point that
is not a vertex), the float solution is returned and the result says ``exact=False``: the
tolerances choose candidates, they never decide a number. Callers normalise their programs
(:mod:`contracts._nature`), so the candidates are read at the data's own scale; what the float
solve cannot resolve is structure far below its tolerance (data mixing magnitudes :math:`10^{12}`
apart), where it may end on a neighbouring vertex and the recovery then reports floats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ._rational import solve_square
from .tolerances import ACTIVE_RTOL

__all__ = ["ACTIVE_RTOL", "LPSolution", "LinearProgram", "solve_lp"]

#: Exact recovery is attempted only when at most this many variables lie strictly inside their
#: bounds (the size of the Fraction linear systems solved).
MAX_EXACT_BASIC = 600


@dataclass
class LinearProgram:
    """The data of a linear program, built row by row.

    Entries are ``Fraction`` (exact data) or ``float``. ``lower``/``upper`` hold ``None`` for an
    infinite bound.
    """

    cost: list[Any]
    lower: list[Any]
    upper: list[Any]
    rows: list[dict[int, Any]]
    rhs: list[Any]
    equality: list[bool]

    @classmethod
    def empty(cls, n: int, lower: Any = None, upper: Any = None) -> LinearProgram:
        """Return a program in ``n`` variables with zero cost, the given bounds and no rows."""
        zero = Fraction(0)
        return cls([zero] * n, [lower] * n, [upper] * n, [], [], [])

    @property
    def n(self) -> int:
        """The number of variables."""
        return len(self.cost)

    def add(self, row: dict[int, Any], rhs: Any, *, equality: bool = False) -> None:
        """Append the constraint ``row . x >= rhs`` (or ``== rhs``)."""
        self.rows.append(row)
        self.rhs.append(rhs)
        self.equality.append(equality)

    def is_exact(self) -> bool:
        """Return True when every datum is a Fraction (or None for an infinite bound)."""

        def ok(v: Any) -> bool:
            return v is None or isinstance(v, Fraction)

        return (
            all(ok(v) for v in self.cost)
            and all(ok(v) for v in self.lower)
            and all(ok(v) for v in self.upper)
            and all(ok(v) for v in self.rhs)
            and all(ok(v) for row in self.rows for v in row.values())
        )


@dataclass(frozen=True)
class LPSolution:
    """A solution: ``x`` (Fractions when ``exact``), the objective value and the solver status."""

    x: list[Any]
    value: Any
    exact: bool
    status: str


def _sparse(rows: Sequence[dict[int, Any]], n: int) -> Any:
    import scipy.sparse as sp

    data: list[float] = []
    ri: list[int] = []
    ci: list[int] = []
    for r, row in enumerate(rows):
        for c, v in row.items():
            ri.append(r)
            ci.append(c)
            data.append(float(v))
    return sp.csr_matrix((data, (ri, ci)), shape=(len(rows), n))


def _float_solve(
    lp: LinearProgram, solver: str, options: dict[str, Any] | None, what: str
) -> tuple[np.ndarray, np.ndarray, str]:
    """Solve in float64; return (x, multipliers of the rows, status)."""
    import cvxpy as cp

    from ._cvx import solve

    n = lp.n
    x = cp.Variable(n)
    ineq = [r for r in range(len(lp.rows)) if not lp.equality[r]]
    eq = [r for r in range(len(lp.rows)) if lp.equality[r]]
    constraints = []
    if ineq:
        A = _sparse([lp.rows[r] for r in ineq], n)
        constraints.append(A @ x >= np.array([float(lp.rhs[r]) for r in ineq]))
    if eq:
        B = _sparse([lp.rows[r] for r in eq], n)
        constraints.append(B @ x == np.array([float(lp.rhs[r]) for r in eq]))
    lo = [j for j in range(n) if lp.lower[j] is not None]
    hi = [j for j in range(n) if lp.upper[j] is not None]
    if lo:
        constraints.append(x[lo] >= np.array([float(lp.lower[j]) for j in lo]))
    if hi:
        constraints.append(x[hi] <= np.array([float(lp.upper[j]) for j in hi]))
    cost = np.array([float(v) for v in lp.cost])
    problem = cp.Problem(cp.Minimize(cost @ x), constraints)
    status = solve(problem, solver, options, what=what)
    duals = np.zeros(len(lp.rows))
    k = 0
    if ineq:
        duals[ineq] = np.asarray(constraints[k].dual_value, dtype=float).reshape(-1)
        k += 1
    if eq:
        # cvxpy's equality multipliers enter as c + B^T nu = ...: flip them to the convention
        # c = A^T lambda + B^T nu used here (inequality multipliers are already >= 0 in it)
        duals[eq] = -np.asarray(constraints[k].dual_value, dtype=float).reshape(-1)
    return np.asarray(x.value, dtype=float), duals, status


def _row_value(row: dict[int, Any], x: Sequence[Any]) -> Any:
    return sum((v * x[c] for c, v in row.items()), Fraction(0))


def _recover(lp: LinearProgram, xf: np.ndarray, duals: np.ndarray) -> list[Fraction] | None:
    """Return the certified exact optimum behind the float solution ``xf``, or None."""
    n = lp.n
    # the program's own scale (no floor: callers normalise their programs, and a program of tiny
    # numbers is read at its own scale)
    bounds = [abs(float(v)) for v in (*lp.lower, *lp.upper) if v is not None]
    scale = max(
        float(np.max(np.abs(xf))) if n else 0.0,
        max((abs(float(v)) for v in lp.rhs), default=0.0),
        max(bounds, default=0.0),
    )
    tol = ACTIVE_RTOL * scale
    fixed: dict[int, Fraction] = {}
    for j in range(n):
        lo, hi = lp.lower[j], lp.upper[j]
        if lo is not None and abs(xf[j] - float(lo)) <= tol:
            fixed[j] = lo
        elif hi is not None and abs(xf[j] - float(hi)) <= tol:
            fixed[j] = hi
    basic = [j for j in range(n) if j not in fixed]
    if len(basic) > MAX_EXACT_BASIC:
        return None
    position = {j: i for i, j in enumerate(basic)}
    active = []
    for r, row in enumerate(lp.rows):
        slack = sum(float(v) * xf[c] for c, v in row.items()) - float(lp.rhs[r])
        if lp.equality[r] or abs(slack) <= tol:
            active.append(r)
    # primal: the tight rows, restricted to the free variables
    eqs: list[list[Fraction]] = []
    rhs: list[Fraction] = []
    for r in active:
        coeffs = [Fraction(0)] * len(basic)
        b = lp.rhs[r]
        for c, v in lp.rows[r].items():
            if c in fixed:
                b = b - v * fixed[c]
            else:
                coeffs[position[c]] = v
        eqs.append(coeffs)
        rhs.append(b)
    if basic:
        sol = solve_square(eqs, rhs)
        if sol is None:
            return None
    else:
        sol = []
    x: list[Fraction] = [Fraction(0)] * n
    for j, v in fixed.items():
        x[j] = v
    for j, v in zip(basic, sol, strict=True):
        x[j] = v
    # exact primal feasibility
    for j in range(n):
        if (lp.lower[j] is not None and x[j] < lp.lower[j]) or (
            lp.upper[j] is not None and x[j] > lp.upper[j]
        ):
            return None
    for r, row in enumerate(lp.rows):
        value = _row_value(row, x)
        if (lp.equality[r] and value != lp.rhs[r]) or (not lp.equality[r] and value < lp.rhs[r]):
            return None
    # dual: multipliers of the equalities and of the tight inequalities with positive weight
    dual_tol = ACTIVE_RTOL * max((abs(float(v)) for v in lp.cost), default=0.0)
    support = [r for r in active if lp.equality[r] or duals[r] > dual_tol]
    dpos = {r: i for i, r in enumerate(support)}
    columns: dict[int, list[tuple[int, Fraction]]] = {}
    for r in support:
        for c, v in lp.rows[r].items():
            columns.setdefault(c, []).append((dpos[r], v))
    # "reduced cost 0" holds on the free variables, and on the bound ones whose float reduced
    # cost vanishes (a degenerate dual needs those equations to be determined)
    reduced_f = np.array([float(v) for v in lp.cost])
    for r in support:
        for c, v in lp.rows[r].items():
            reduced_f[c] -= float(v) * duals[r]
    tight_columns = [j for j in range(n) if j not in fixed or abs(reduced_f[j]) <= dual_tol]
    deqs: list[list[Fraction]] = []
    drhs: list[Fraction] = []
    for j in tight_columns:
        coeffs = [Fraction(0)] * len(support)
        for i, v in columns.get(j, []):
            coeffs[i] = v
        deqs.append(coeffs)
        drhs.append(lp.cost[j])
    if support:
        y = solve_square(deqs, drhs) if deqs else None
        if y is None:
            return None
    else:
        if any(lp.cost[j] != 0 for j in basic):
            return None
        y = []
    if any(y[dpos[r]] < 0 for r in support if not lp.equality[r]):
        return None
    dual_value = sum((lp.rhs[r] * y[dpos[r]] for r in support), Fraction(0))
    for j in range(n):
        reduced = lp.cost[j] - sum((v * y[i] for i, v in columns.get(j, [])), Fraction(0))
        if j not in fixed:
            if reduced != 0:
                return None
            continue
        at_lower = lp.lower[j] is not None and fixed[j] == lp.lower[j]
        at_upper = lp.upper[j] is not None and fixed[j] == lp.upper[j]
        if (reduced > 0 and not at_lower) or (reduced < 0 and not at_upper):
            return None
        dual_value += reduced * fixed[j]
    primal_value = sum((c * v for c, v in zip(lp.cost, x, strict=True)), Fraction(0))
    if dual_value != primal_value:
        return None
    return x


def solve_lp(
    lp: LinearProgram,
    solver: str,
    options: dict[str, Any] | None = None,
    *,
    what: str,
    exact: bool = False,
) -> LPSolution:
    """Solve ``lp`` with cvxpy; with ``exact=True`` and exact data, certify an exact optimum.

    Raises
    ------
    SolverFailedError
        If the solver fails or ends without a solution.
    """
    xf, duals, status = _float_solve(lp, solver, options, what)
    if exact and lp.is_exact():
        x = _recover(lp, xf, duals)
        if x is not None:
            value = sum((c * v for c, v in zip(lp.cost, x, strict=True)), Fraction(0))
            return LPSolution(x=x, value=value, exact=True, status=status)
    value = float(np.dot([float(c) for c in lp.cost], xf))
    return LPSolution(x=[float(v) for v in xf], value=value, exact=False, status=status)
