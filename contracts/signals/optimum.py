r"""The best affine contract on signals, searched numerically, with its certificate.

**Optimum.** :func:`optimal_affine` searches :math:`\alpha` numerically (a max-min with no closed
form in general): a grid over a box, then Nelder-Mead from the best grid points; each evaluation
is the convex program of :mod:`contracts.signals.worstcase`, built once with cvxpy parameters and
normalised for each slope (payments by the largest payment, the objective by its largest
coefficient), so that tiny slopes are solved as accurately as large ones. The value returned is
a **certificate**: the guarantee of the returned contract recomputed from scratch by
:func:`~contracts.signals.worstcase.worst_case_signals` (the best of the search's best few
contracts by that measure), never the search's own estimate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from typing import Any

import numpy as np

from .._cvx import check_solver
from .._html import HtmlRepr
from .._numbers import as_float, as_vector, binary_exponent, fmt, frozen
from ..costs import CostBound, check_cost_bound
from ..errors import SolverFailedError
from ..tolerances import SEARCH_RTOL, SOLVER_RTOL
from .programs import bound_term, signal_exponent, simplex_program, solve_program
from .technology import AffineSignalContract, SignalTechnology, check_known_costs, signal_choice
from .worstcase import in_program_units, payment_exponent, worst_case_signals

__all__ = ["OptimalAffine", "optimal_affine"]

#: Contracts of the search whose guarantee is recomputed from scratch (the best by the search).
_CERTIFIED = 6


@dataclass(frozen=True, eq=False)
class OptimalAffine(HtmlRepr):
    r"""The best affine contract found on signals, with its certificate.

    Attributes
    ----------
    value : float
        The guarantee of ``contract``, recomputed from scratch by :func:`worst_case_signals`
        (the certificate): never the search's own estimate.
    contract : AffineSignalContract
        :math:`\alpha \cdot z - \min_Z \alpha \cdot z`.
    certificate : float
        The same number as ``value`` (kept for code that reads it).
    search_value : float
        What the search's evaluations gave for ``contract`` (agrees with ``value`` to solver
        precision).
    bounds : numpy.ndarray
        The search box for :math:`\alpha`, shape (k, 2).
    evaluations : int
        Convex programs solved by the search.
    failures : int
        Slopes skipped because the solver failed on them (near-degenerate programs).
    method : str
        How the search was done.
    """

    value: float
    contract: AffineSignalContract
    certificate: float
    search_value: float = field(repr=False)
    bounds: np.ndarray = field(repr=False)
    evaluations: int = field(repr=False)
    failures: int = field(repr=False)
    method: str = field(repr=False)

    def __repr__(self) -> str:
        return f"OptimalAffine(value={fmt(self.value)}, contract={self.contract!r})"


class _AffineEvaluator:
    """V_P(alpha . z - min alpha . z) for many alphas, with the programs built once (DPP).

    The programs are normalised like those of :func:`worst_case_signals`: signals by their power
    of 2 (fixed), and for each alpha the payments and costs by the power of 2 of the largest
    payment and the objective by that of its largest coefficient (parameters), so slopes of
    1e-7 are solved as accurately as slopes of 1.
    """

    def __init__(
        self, tech: SignalTechnology, cost_bound: CostBound | None, solver: str | None
    ) -> None:
        import cvxpy as cp

        self.tech, self.cost_bound, self.solver = tech, cost_bound, solver
        k = tech.signals.shape[1]
        self.ez = signal_exponent(tech.signals)
        z = np.ldexp(tech.signals, -self.ez)
        self.pay = cp.Parameter(k)  # payment per normalised signal, in units 2^ew
        self.objective = cp.Parameter(k)  # (p - alpha) per normalised signal, in units 2^et
        self.v = cp.Parameter()
        self.inverse = cp.Parameter(nonneg=True)  # 2^-ew
        _, m, constraints = simplex_program(z)
        cost = 0 if cost_bound is None else bound_term(cost_bound, m, self.ez, self.inverse)
        self.nature = cp.Problem(
            cp.Minimize(self.objective @ m), [*constraints, self.pay @ m - cost >= self.v]
        )
        _, m2, constraints2 = simplex_program(z)
        cost2 = 0 if cost_bound is None else bound_term(cost_bound, m2, self.ez, self.inverse)
        self.agent = cp.Problem(cp.Maximize(self.pay @ m2 - cost2), constraints2)
        self.evaluations = 0
        self.failures = 0

    def __call__(self, alpha: np.ndarray) -> float:
        tech = self.tech
        za = tech.signals @ alpha
        beta = -float(np.min(za))
        w = za + beta
        chosen, utilities, _, principal = signal_choice(w, tech)
        ew = payment_exponent(utilities)
        v = in_program_units(utilities, utilities.values[chosen], ew)
        shift = float(np.ldexp(beta, -ew))  # beta in units 2^ew: E[w] = pay . m + shift
        if self.cost_bound is None:
            degenerate = utilities.reaches_top_payment(chosen)
        else:
            self.pay.value = np.ldexp(alpha, self.ez - ew)
            self.inverse.value = float(2.0**-ew)
            try:
                solve_program(self.agent, self.solver, None, "the agent's best deviation", "ignore")
            except SolverFailedError:
                self.failures += 1
                return -np.inf
            self.evaluations += 1
            best = float(self.agent.value) + shift
            scale = max(float(np.ldexp(w.max(), -ew)), abs(v), abs(best))
            degenerate = best - v <= SOLVER_RTOL * scale
        if degenerate:  # ties only, favourable to the principal
            return principal
        t = tech.payoffs - w
        if not np.isfinite(v):  # every known action costs beyond the payments: no constraint
            return float(t.min())
        et = binary_exponent(np.max(np.abs(t)), both_ways=True)
        self.pay.value = np.ldexp(alpha, self.ez - ew)
        self.inverse.value = float(2.0**-ew)
        self.objective.value = np.ldexp(tech.value - alpha, self.ez - et)
        self.v.value = v - shift
        try:
            solve_program(self.nature, self.solver, None, "nature's problem", "ignore")
        except SolverFailedError:  # near-degenerate slopes: skipped by the search, and counted
            self.failures += 1
            return -np.inf
        self.evaluations += 1
        return float(np.ldexp(float(self.nature.value), et)) - beta


def _default_bounds(tech: SignalTechnology) -> np.ndarray:
    z = tech.signals
    spread = z.max(axis=0) - z.min(axis=0)
    payoff_range = float(np.ptp(tech.payoffs))  # 0: the principal's payoff is constant, alpha = 0
    half = np.where(spread > 0, payoff_range / np.where(spread > 0, spread, 1.0), 0.0)
    return np.column_stack([-half, half])


def optimal_affine(
    tech: SignalTechnology,
    cost_bound: CostBound | None = None,
    *,
    solver: str | None = None,
    bounds: Any = None,
    grid: int | None = None,
    starts: int = 2,
) -> OptimalAffine:
    r"""Search the best affine contract :math:`\alpha \cdot z - \min_Z \alpha \cdot z`.

    Method: evaluate the guarantee on a grid over the box ``bounds`` (``grid`` points per
    coordinate; default 9 for k <= 2, 5 for k = 3, 3 beyond) plus the shares of the payoff
    :math:`t\,p` for 21 values of t in [0, 1]; then run Nelder-Mead (scipy) from the ``starts``
    best points, clipping to the box. Each evaluation solves nature's convex program (and the
    agent's, with a cost bound) of :mod:`contracts.signals.worstcase`, built once with cvxpy
    parameters; slopes where the solver fails (near-degenerate programs) are skipped and counted
    in ``failures``. The search is local; the returned ``value`` is the guarantee of the returned
    contract recomputed from scratch by :func:`worst_case_signals` (so a lower bound of the
    optimum, up to that program's precision), for the best by that measure of the search's best
    few contracts.

    Parameters
    ----------
    tech : SignalTechnology
    cost_bound : callable, optional
        As in :func:`worst_case_signals`.
    solver : str, optional
        cvxpy solver (default: ``"HIGHS"`` for LPs, ``"CLARABEL"`` otherwise).
    bounds : array_like, optional
        Shape (k, 2): the box of :math:`\alpha`. Default: :math:`|\alpha_j| \le` (range of
        the payoff) / (range of signal j), and 0 for a constant signal.
    grid : int, optional
        Grid points per coordinate.
    starts : int
        Nelder-Mead runs from the best grid points.

    Examples
    --------
    Without a cost bound, a second signal is ignored and Carroll's one-dimensional optimum comes
    back: mean output 1 at cost 1/4 gives (1 - 1/2)^2 = 1/4 with alpha = (1/2, 0).

    >>> from contracts import Action, SignalTechnology
    >>> z = [[0, 0], [1, 0], [0, 1], [1, 1]]
    >>> tech = SignalTechnology(z, [Action([0, 0.5, 0, 0.5], 0.25)])
    >>> opt = optimal_affine(tech)
    >>> round(opt.value, 4), [round(float(a), 3) + 0.0 for a in opt.contract.alpha]
    (0.25, [0.5, 0.0])
    """
    from scipy.optimize import minimize

    if not isinstance(tech, SignalTechnology):
        raise TypeError(f"tech must be a SignalTechnology, got {type(tech).__name__}")
    k = tech.signals.shape[1]
    if cost_bound is not None:
        check_cost_bound(cost_bound, k)
        check_known_costs(tech, cost_bound)
    box = _default_bounds(tech) if bounds is None else as_float(as_vector(bounds, "bounds", ndim=2))
    if box.shape != (k, 2) or (box[:, 0] > box[:, 1]).any():
        raise ValueError(f"bounds must have shape ({k}, 2) with low <= high, got {box.tolist()}")
    points = grid or {1: 9, 2: 9, 3: 5}.get(k, 3)
    if solver is not None:
        check_solver(solver)
    evaluate_alpha = _AffineEvaluator(tech, cost_bound, solver)
    candidates = [np.array(a) for a in product(*(np.linspace(lo, hi, points) for lo, hi in box))]
    candidates += [np.clip(t * tech.value, box[:, 0], box[:, 1]) for t in np.linspace(0, 1, 21)]
    scored = sorted(((evaluate_alpha(a), tuple(a)) for a in candidates), reverse=True)

    def negative(a: np.ndarray) -> float:
        return -evaluate_alpha(np.clip(a, box[:, 0], box[:, 1]))

    # Nelder-Mead stops when its simplex is within SEARCH_RTOL of the box's width: the guarantee
    # jumps at degenerate slopes (ties go to the principal at alpha = 0 only), where the values at
    # the simplex's corners never agree, so no tolerance on the values is asked for.
    xatol = SEARCH_RTOL * (float(np.max(box[:, 1] - box[:, 0])) or 1.0)

    found = list(scored)
    for _, start in scored[:starts]:
        if k == 0:
            break
        result = minimize(
            negative,
            np.array(start),
            method="Nelder-Mead",
            options={"xatol": xatol, "fatol": np.inf, "maxiter": 150 * k},
        )
        a = np.clip(result.x, box[:, 0], box[:, 1])
        found.append((evaluate_alpha(a), tuple(a)))
    # the value is a certificate: the best few contracts' guarantees recomputed from scratch
    best: tuple[float, float, AffineSignalContract] | None = None
    seen: set[tuple[float, ...]] = set()
    for search_value, a in sorted(found, reverse=True):
        if len(seen) == _CERTIFIED or not np.isfinite(search_value):
            break
        if a in seen:
            continue
        seen.add(a)
        alpha = np.array(a)
        contract = AffineSignalContract(alpha, -float(np.min(tech.signals @ alpha)))
        certificate = worst_case_signals(contract, tech, cost_bound, solver=solver).value
        if best is None or certificate > best[0]:
            best = (certificate, search_value, contract)
    if best is None:
        raise SolverFailedError(
            "optimal_affine: the solver failed on every slope of the search; try another solver "
            "with solver=..."
        )
    certificate, search_value, contract = best
    return OptimalAffine(
        value=certificate,
        contract=contract,
        certificate=certificate,
        search_value=search_value,
        bounds=frozen(box.copy()),
        evaluations=evaluate_alpha.evaluations,
        failures=evaluate_alpha.failures,
        method=f"grid of {points}^{k} + payoff shares, then Nelder-Mead from the best {starts}",
    )
