r"""The known-technology benchmark: the optimal contract when the principal knows every action.

Grossman and Hart (1983) in the risk-neutral, limited-liability case; the LP form of Dütting,
Roughgarden and Talgam-Cohen (2019). With actions :math:`(f_i, c_i)` on outputs :math:`y`,

.. math::

    \text{MIN-PAY}(i) = \min_{t \ge 0} f_i \cdot t \quad \text{s.t.} \quad
    (f_i - f_k) \cdot t \ge c_i - c_k \;\; \forall k,

and the principal's optimum is :math:`\max_i \, (f_i \cdot y - \text{MIN-PAY}(i))` over the
implementable actions. The IC constraints are weak because ties go to the principal (as in
Carroll's model). By Farkas' lemma, action :math:`i` is **not implementable** exactly when a convex
combination of the other actions induces :math:`f_i` at a strictly lower cost; that mix is returned
as the certificate.

For exact inputs the LP's vertex is recovered exactly: the tight constraints of the floating
solution are solved in Fractions and the result is checked against every constraint (if the check
fails the float solution is kept).

This module also gives the best *linear* contract under known technology, :func:`best_linear_known`
(the optimum sits at :math:`\alpha = 0` or at a breakpoint of the agent's upper envelope), and
:func:`price_of_robustness`, which sets the known-technology numbers beside Carroll's guarantee.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from . import _html
from ._cvx import check_solver, solve
from ._html import HtmlRepr
from ._numbers import Number, as_float, binary_exponent, fmt, frozen, table, to_python
from ._rational import solve_square
from .agent import best_response
from .contract import Contract, LinearContract
from .errors import SolverFailedError
from .landscape import linear_breakpoints
from .linear import optimal_linear
from .model import Technology
from .tolerances import SOLVER_RTOL
from .worstcase import worst_case

__all__ = [
    "DEFAULT_KNOWN_SOLVER",
    "Implementation",
    "KnownLinear",
    "KnownOptimum",
    "PriceOfRobustness",
    "best_linear_known",
    "optimal_contract",
    "price_of_robustness",
]

#: cvxpy solver for the MIN-PAY LPs unless ``solver=`` says otherwise.
DEFAULT_KNOWN_SOLVER = "HIGHS"


@dataclass(frozen=True, eq=False)
class Implementation(HtmlRepr):
    """Whether and how cheaply one action can be implemented.

    Attributes
    ----------
    action : int
        The action's index.
    implementable : bool
        True when some limited-liability contract makes it agent-optimal (ties to the principal).
    min_pay : Fraction, float or None
        MIN-PAY: the least expected payment that implements it.
    contract : Contract or None
        A cheapest implementing contract.
    principal_value : Fraction, float or None
        Expected output minus ``min_pay``.
    certificate : numpy.ndarray or None
        For a non-implementable action: weights of a convex combination of the *other* actions
        that induces the same output distribution (read-only).
    certificate_cost : Fraction, float or None
        The mix's cost, strictly below the action's own.
    """

    action: int
    implementable: bool
    min_pay: Number | None
    contract: Contract | None
    principal_value: Number | None
    certificate: np.ndarray | None
    certificate_cost: Number | None

    def __repr__(self) -> str:
        if self.implementable:
            return (
                f"Implementation(action={self.action}, min_pay={fmt(self.min_pay)}, "
                f"principal_value={fmt(self.principal_value)})"
            )
        # not implementable: the certificate (a cheaper mix) is set
        mix = {i: fmt(p) for i, p in enumerate(self.certificate) if p}  # type: ignore[arg-type]
        return (
            f"Implementation(action={self.action}, implementable=False, "
            f"cheaper_mix={mix}, mix_cost={fmt(self.certificate_cost)})"
        )


@dataclass(frozen=True, eq=False)
class KnownOptimum(HtmlRepr):
    """The principal's optimal contract when the technology is known.

    Attributes
    ----------
    value : Fraction or float
        The principal's best expected payoff.
    action : int
        The action the optimal contract implements.
    contract : Contract
        The optimal contract.
    actions : tuple of Implementation
        One record per action (implementable or not, with its evidence).
    solver : str
        The cvxpy solver used.
    """

    value: Number
    action: int
    contract: Contract
    actions: tuple[Implementation, ...]
    solver: str
    technology: Technology = field(repr=False)

    def __repr__(self) -> str:
        rows = [["action", "implementable", "min pay", "principal", "cheaper mix (cost)"]]
        for imp in self.actions:
            if imp.implementable:
                rows.append(
                    [f"a{imp.action}", "yes", fmt(imp.min_pay), fmt(imp.principal_value), ""]
                )
            else:
                assert imp.certificate is not None
                mix = " + ".join(f"{fmt(p)} a{i}" for i, p in enumerate(imp.certificate) if p)
                rows.append(
                    [f"a{imp.action}", "no", "", "", f"{mix} ({fmt(imp.certificate_cost)})"]
                )
        head = (
            f"KnownOptimum(value={fmt(self.value)}, action={self.action}, "
            f"contract={self.contract!r})"
        )
        return "\n".join([head, *table(rows)])


def _normalised_costs(tech: Technology) -> tuple[np.ndarray, Number]:
    """Return the costs divided by a scale ``S`` (float64, the largest in [1/2, 1]) and ``S``.

    The MIN-PAY LP and the certificate LP are homogeneous in the payments and the costs, so they
    are solved on costs of order 1 (the solver's absolute tolerances are then relative to the
    costs) and the payments scaled back by ``S``. Exact costs are divided exactly by their
    largest (so exact costs beyond the float range are fine); float costs by a power of 2.
    """
    c = tech.costs
    if tech.exact:
        top = c.max()
        scale: Number = top if top > 0 else Fraction(1)
        return as_float(c / scale), scale
    e = binary_exponent(c.max(), both_ways=True)
    return np.ldexp(c, -e), float(np.ldexp(1.0, e))


def _active(values: np.ndarray, scale: float) -> np.ndarray:
    return np.flatnonzero(np.abs(values) <= SOLVER_RTOL * scale)


def _exact_min_pay(
    tech: Technology, i: int, t: np.ndarray, cf: np.ndarray, S: Number
) -> np.ndarray | None:
    """Recover the exact vertex behind a float MIN-PAY solution ``t`` (on costs ``cf = c / S``)."""
    f, c = tech.dists, tech.costs
    m = f.shape[1]
    ff = as_float(f)
    scale = max(float(np.max(np.abs(t))), float(cf.max()))
    rows: list[list[Fraction]] = []
    rhs: list[Fraction] = []
    for j in _active(t, scale):
        rows.append([Fraction(int(j == col)) for col in range(m)])
        rhs.append(Fraction(0))
    slack = (ff[i] - ff) @ t - (cf[i] - cf)
    for k in _active(slack, scale):
        if k != i:
            rows.append(list(f[i] - f[k]))
            rhs.append(c[i] - c[k])
    sol = solve_square(rows, rhs)
    if sol is None:
        return None
    exact = np.array(sol, dtype=object)
    feasible = all(v >= 0 for v in exact) and all((f[i] - f) @ exact >= c[i] - c)
    if not feasible or abs(float(f[i] @ exact / S) - float(ff[i] @ t)) > SOLVER_RTOL * scale:
        return None
    return exact


def _exact_mix(tech: Technology, i: int, mu: np.ndarray) -> np.ndarray | None:
    """Recover an exact cheaper mix behind a float certificate, or None."""
    f, c = tech.dists, tech.costs
    k, m = f.shape
    rows = [list(f[:, j]) for j in range(m)] + [[Fraction(1)] * k]
    rhs = [*f[i], Fraction(1)]
    for j in range(k):
        if j == i or mu[j] <= SOLVER_RTOL:  # weights of a mix: scale 1
            rows.append([Fraction(int(j == col)) for col in range(k)])
            rhs.append(Fraction(0))
    sol = solve_square(rows, rhs)
    if sol is None:
        return None
    exact = np.array(sol, dtype=object)
    if any(v < 0 for v in exact) or exact @ c >= c[i] or list(exact @ f) != list(f[i]):
        return None
    return exact


def _cheaper_mix(
    tech: Technology, i: int, solver: str, c: np.ndarray, S: Number
) -> tuple[np.ndarray, Number]:
    """Return the cheapest mix of the other actions that induces action ``i``'s distribution.

    Solved on the normalised costs ``c = costs / S``; the mix's cost is returned in true units.
    """
    import cvxpy as cp

    f = as_float(tech.dists)
    k = f.shape[0]
    mu = cp.Variable(k, nonneg=True)
    constraints = [cp.sum(mu) == 1, f.T @ mu == f[i], mu[i] == 0]
    problem = cp.Problem(cp.Minimize(c @ mu), constraints)
    solve(problem, solver, None, what=f"the implementability certificate of action {i}")
    weights = np.clip(np.asarray(mu.value, dtype=float), 0.0, None)
    if tech.exact:
        exact = _exact_mix(tech, i, weights)
        if exact is not None:
            return exact, to_python(exact @ tech.costs)
    if not float(problem.value) < c[i]:
        raise SolverFailedError(
            f"MIN-PAY for action {i} was reported infeasible, but no cheaper mix of the other "
            f"actions was found (best mix cost {problem.value} vs {c[i]}, in units of the "
            "largest cost): numerical trouble"
        )
    return weights, float(problem.value) * _float(S)


def _float(S: Number) -> float:
    """Return the cost scale as a float (refused, naming the costs, beyond the float range)."""
    return float(as_float(np.array([S], dtype=object), "the costs")[0])


def optimal_contract(technology: Technology, solver: str | None = None) -> KnownOptimum:
    """Return the principal's optimal contract when she knows the whole technology.

    Solves MIN-PAY for every action (one cvxpy LP each, built once with parameters), reports for
    each whether it is implementable, with the cheapest contract or the certificate (a cheaper mix
    of the other actions), and picks the action that is best for the principal.

    Parameters
    ----------
    technology : Technology
        All of the agent's actions.
    solver : str, optional
        cvxpy solver (default ``"HIGHS"``).

    Returns
    -------
    KnownOptimum

    Raises
    ------
    SolverFailedError
        If the solver fails, ends without a solution, or contradicts itself (reports an action
        not implementable but finds no cheaper mix of the others).

    Warns
    -----
    InaccurateSolutionWarning
        If the solver flags a MIN-PAY solution as inaccurate (status ``optimal_inaccurate``).

    Examples
    --------
    Outputs {0, 4}; shirking (all mass on 0) is free; working puts 3/4 on 4 at cost 1. A bonus b
    on output 4 implements work if (3/4) b >= 1, so MIN-PAY = 1 and the principal keeps 3 - 1 = 2:

    >>> from fractions import Fraction as F
    >>> from contracts import Technology
    >>> tech = Technology.from_arrays([0, 4], [[1, 0], [F(1, 4), F(3, 4)]], [0, 1])
    >>> optimal_contract(tech)
    KnownOptimum(value=2, action=1, contract=Contract(outputs=[0, 4], payments=[0, 4/3]))
      action  implementable  min pay  principal  cheaper mix (cost)
      a0      yes                  0          0
      a1      yes                  1          2
    """
    import cvxpy as cp

    if not isinstance(technology, Technology):
        raise TypeError(f"technology must be a Technology, got {type(technology).__name__}")
    solver = check_solver(solver or DEFAULT_KNOWN_SOLVER)
    f, y = as_float(technology.dists), technology.outputs
    c, S = _normalised_costs(technology)
    k, m = f.shape
    gap = cp.Parameter((k, m))
    cost_gap = cp.Parameter(k)
    target = cp.Parameter(m, nonneg=True)
    t = cp.Variable(m, nonneg=True)
    problem = cp.Problem(cp.Minimize(target @ t), [gap @ t >= cost_gap])
    records = []
    implemented: list[tuple[Number, Contract, Implementation]] = []
    for i in range(k):
        gap.value, cost_gap.value, target.value = f[i] - f, c[i] - c, f[i]
        # infeasible means "not implementable": an answer, checked by the certificate below
        # (_cheaper_mix raises if no cheaper mix exists); optimal_inaccurate warns
        status = solve(problem, solver, None, what=f"MIN-PAY for action {i}", infeasible="return")
        if status in ("infeasible", "infeasible_inaccurate"):
            weights, mix_cost = _cheaper_mix(technology, i, solver, c, S)
            records.append(Implementation(i, False, None, None, None, frozen(weights), mix_cost))
            continue
        pay = np.clip(np.asarray(t.value, dtype=float), 0.0, None)
        exact = _exact_min_pay(technology, i, pay, c, S) if technology.exact else None
        payments = exact if exact is not None else pay * _float(S)
        contract = Contract(y if exact is not None else as_float(y, "outputs"), payments)
        dist = technology.dists[i] if exact is not None else f[i]
        min_pay = to_python(dist @ payments)
        value = to_python(dist @ contract.outputs) - min_pay
        records.append(Implementation(i, True, min_pay, contract, value, None, None))
        implemented.append((value, contract, records[-1]))
    best_value, best_contract, best = max(implemented, key=lambda rec: rec[0])
    return KnownOptimum(
        value=best_value,
        action=best.action,
        contract=best_contract,
        actions=tuple(records),
        solver=solver,
        technology=technology,
    )


@dataclass(frozen=True, eq=False)
class KnownLinear(HtmlRepr):
    r"""The best linear contract :math:`\alpha (y - y_0)` when the technology is known.

    Attributes
    ----------
    value : Fraction or float
        The principal's payoff (ties to the principal).
    alpha : Fraction or float
        The best share (the smallest among ties).
    action : int
        The action the agent takes.
    contract : LinearContract
    candidates : tuple
        The slopes examined: 0 and every critical value of the agent's upper envelope in
        (0, 1].
    """

    value: Number
    alpha: Number
    action: int
    contract: LinearContract
    candidates: tuple[Number, ...] = field(repr=False)

    def __repr__(self) -> str:
        return (
            f"KnownLinear(value={fmt(self.value)}, alpha={fmt(self.alpha)}, "
            f"action={self.action}, contract={self.contract!r})"
        )


def best_linear_known(technology: Technology) -> KnownLinear:
    r"""Return the best linear contract :math:`\alpha (y - y_0)` against a known technology.

    Between two critical values of the agent's upper envelope :math:`\max_i \alpha (R_i - y_0)
    - c_i` the chosen action is fixed and the principal's payoff falls with :math:`\alpha`, so the
    optimum is at :math:`\alpha = 0` or at a critical value, evaluated with ties to the principal
    (:func:`contracts.landscape.linear_breakpoints`: one sort and one pass over the actions,
    :math:`O(k \log k)`). Exact for exact inputs.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from contracts import Technology
    >>> tech = Technology.from_arrays([0, 4], [[1, 0], [F(1, 4), F(3, 4)]], [0, 1])
    >>> best_linear_known(tech)  # alpha * 3 >= 1 at alpha = 1/3: the principal keeps (2/3) 3
    KnownLinear(value=2, alpha=1/3, action=1, contract=LinearContract(alpha=1/3))
    """
    if not isinstance(technology, Technology):
        raise TypeError(f"technology must be a Technology, got {type(technology).__name__}")
    landscape = linear_breakpoints(technology)
    # the first of the largest values: the smallest maximising slope
    k = max(range(len(landscape.values)), key=lambda j: (landscape.values[j], -j))
    alpha = landscape.starts[k]
    y0 = landscape.origin
    return KnownLinear(
        value=landscape.values[k],
        alpha=alpha,
        action=landscape.actions[k],
        contract=LinearContract(alpha, origin=y0),
        candidates=landscape.starts,
    )


@dataclass(frozen=True, eq=False)
class PriceOfRobustness:
    """Known-technology benchmarks beside Carroll's robust guarantee, for one technology.

    Treating the technology as the principal's known set :math:`A_0`:

    Attributes
    ----------
    known_optimum : Fraction or float
        The optimal contract's payoff if the technology is all there is.
    known_linear : Fraction or float
        The best linear contract's payoff under the same assumption.
    robust : Fraction or float
        Carroll's :math:`V^*`: the best guarantee against every technology containing it.
    robust_if_known : Fraction or float
        What Carroll's optimal contract earns if the technology is all there is (at least
        ``robust``, at most ``known_linear``).
    known_optimum_guarantee : Fraction or float
        The guarantee of the known-technology optimal contract (often far lower; can be negative).
    known_linear_guarantee : Fraction or float
        The guarantee of the best known-technology linear contract.
    """

    known_optimum: Number
    known_linear: Number
    robust: Number
    robust_if_known: Number
    known_optimum_guarantee: Number
    known_linear_guarantee: Number
    optimum: KnownOptimum = field(repr=False)
    linear: KnownLinear = field(repr=False)

    def _repr_html_(self) -> str:
        rows = [
            ["known-technology optimum", self.known_optimum, self.known_optimum_guarantee],
            ["best linear, known technology", self.known_linear, self.known_linear_guarantee],
            ["Carroll's robust linear contract", self.robust_if_known, self.robust],
        ]
        return _html.table("PriceOfRobustness", ["contract", "if known", "guaranteed"], rows)

    def __repr__(self) -> str:
        rows = [
            [
                "known-technology optimum",
                fmt(self.known_optimum),
                fmt(self.known_optimum_guarantee),
            ],
            [
                "best linear, known technology",
                fmt(self.known_linear),
                fmt(self.known_linear_guarantee),
            ],
            ["Carroll's robust linear contract", fmt(self.robust_if_known), fmt(self.robust)],
        ]
        return "\n".join(
            ["PriceOfRobustness:", *table([["contract", "if known", "guaranteed"], *rows])]
        )


def price_of_robustness(technology: Technology, solver: str | None = None) -> PriceOfRobustness:
    """Set the known-technology optimum and best linear contract beside Carroll's guarantee.

    Always ``robust <= robust_if_known <= known_linear <= known_optimum`` (up to LP precision),
    and each known-technology contract's guarantee is at most ``robust`` (Carroll's theorem).

    Examples
    --------
    Outputs {0, 1, 4}. Free: a gamble on 0 or 4 (mean 2); cost 3/4: mostly 4 (mean 13/4), or
    half 0, half 1. The known optimum implements the costly high action with payments 9/4 at
    output 1 and 3/4 at output 4 (MIN-PAY 9/8, value 13/4 - 9/8 = 17/8). It pays more than the
    output at y = 1, so nature adds "produce 1 for free" and the principal gets 1 - 9/4 = -5/4.
    The free gamble pins Carroll's optimum: the zero contract guarantees 2.

    >>> from fractions import Fraction as F
    >>> from contracts import Technology
    >>> half, q = F(1, 2), F(1, 4)
    >>> tech = Technology.from_arrays(
    ...     [0, 1, 4], [[half, 0, half], [0, q, 3 * q], [half, half, 0]], [0, 3 * q, 3 * q]
    ... )
    >>> price_of_robustness(tech)
    PriceOfRobustness:
      contract                          if known  guaranteed
      known-technology optimum              17/8        -5/4
      best linear, known technology            2           2
      Carroll's robust linear contract         2           2
    """
    optimum = optimal_contract(technology, solver=solver)
    linear = best_linear_known(technology)
    robust = optimal_linear(technology)
    return PriceOfRobustness(
        known_optimum=optimum.value,
        known_linear=linear.value,
        robust=robust.value,
        robust_if_known=best_response(robust.contract, technology).principal_value,
        known_optimum_guarantee=worst_case(optimum.contract, technology).value,
        known_linear_guarantee=worst_case(linear.contract, technology).value,
        optimum=optimum,
        linear=linear,
    )
