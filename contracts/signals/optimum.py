r"""The best affine contract on signals, searched numerically, with its certificate.

**Optimum.** :func:`optimal_affine` searches :math:`\alpha` numerically (a max-min with no closed
form in general): a grid over a box, then Nelder-Mead from the best grid points; each evaluation
is the convex program of :mod:`contracts.signals.worstcase`, built once with cvxpy parameters. Its
certificate is the returned contract's guarantee recomputed from scratch by
:func:`~contracts.signals.worstcase.worst_case_signals`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from typing import Any

import numpy as np

from .._numbers import as_float, as_vector, fmt, frozen
from ..costs import CostBound, check_cost_bound
from ..errors import SolverFailedError
from .programs import SOLVER_RTOL, simplex_program, solve_program
from .technology import AffineSignalContract, SignalTechnology, check_known_costs, signal_response
from .worstcase import worst_case_signals

__all__ = ["OptimalAffine", "optimal_affine"]


@dataclass(frozen=True, eq=False)
class OptimalAffine:
    r"""The best affine contract found on signals, with its certificate.

    Attributes
    ----------
    value : float
        The guarantee of ``contract`` found by the search.
    contract : AffineSignalContract
        :math:`\alpha \cdot z - \min_Z \alpha \cdot z`.
    certificate : float
        The same guarantee recomputed from scratch by :func:`worst_case_signals`.
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
    bounds: np.ndarray = field(repr=False)
    evaluations: int = field(repr=False)
    failures: int = field(repr=False)
    method: str = field(repr=False)

    def __repr__(self) -> str:
        return (
            f"OptimalAffine(value={fmt(self.value)}, contract={self.contract!r}, "
            f"certificate={fmt(self.certificate)})"
        )


class _AffineEvaluator:
    """V_P(alpha . z - min alpha . z) for many alphas, with the programs built once (DPP)."""

    def __init__(
        self, tech: SignalTechnology, cost_bound: CostBound | None, solver: str | None
    ) -> None:
        import cvxpy as cp

        self.tech, self.cost_bound, self.solver = tech, cost_bound, solver
        k = tech.signals.shape[1]
        self.alpha = cp.Parameter(k)
        self.v = cp.Parameter()
        _, m, constraints = simplex_program(tech.signals)
        cost = 0 if cost_bound is None else cp.pos(cost_bound(m))
        self.nature = cp.Problem(
            cp.Minimize((tech.value - self.alpha) @ m),
            [*constraints, self.alpha @ m - cost >= self.v],
        )
        _, m2, constraints2 = simplex_program(tech.signals)
        cost2 = 0 if cost_bound is None else cp.pos(cost_bound(m2))
        self.agent = cp.Problem(cp.Maximize(self.alpha @ m2 - cost2), constraints2)
        self.evaluations = 0
        self.failures = 0

    def __call__(self, alpha: np.ndarray) -> float:
        tech = self.tech
        z = tech.signals
        beta = -float(np.min(z @ alpha))
        utilities = tech.means @ alpha - tech.costs
        v = float(utilities.max())
        if self.cost_bound is None:
            best = float(np.max(z @ alpha))
        else:
            self.alpha.value = alpha
            try:
                solve_program(self.agent, self.solver, None, "the agent's best deviation", "ignore")
            except SolverFailedError:
                self.failures += 1
                return -np.inf
            best = float(self.agent.value)
            self.evaluations += 1
        scale = max(1.0, float(np.abs(z @ alpha).max()), float(np.abs(tech.payoffs).max()))
        if best <= v + SOLVER_RTOL * scale:  # degenerate: ties only, favourable to the principal
            w = z @ alpha + beta
            return signal_response(w, tech)[2]
        self.alpha.value, self.v.value = alpha, v
        try:
            solve_program(self.nature, self.solver, None, "nature's problem", "ignore")
        except SolverFailedError:  # near-degenerate slopes: skipped by the search, and counted
            self.failures += 1
            return -np.inf
        self.evaluations += 1
        return float(self.nature.value) - beta


def _default_bounds(tech: SignalTechnology) -> np.ndarray:
    z = tech.signals
    spread = z.max(axis=0) - z.min(axis=0)
    payoff_range = max(float(np.ptp(tech.payoffs)), 1e-12)
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
    in ``failures``. The search is local; the returned value is
    a lower bound of the optimum, and ``certificate`` recomputes it independently.

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
    evaluate_alpha = _AffineEvaluator(tech, cost_bound, solver)
    candidates = [np.array(a) for a in product(*(np.linspace(lo, hi, points) for lo, hi in box))]
    candidates += [np.clip(t * tech.value, box[:, 0], box[:, 1]) for t in np.linspace(0, 1, 21)]
    scored = sorted(((evaluate_alpha(a), tuple(a)) for a in candidates), reverse=True)
    best_value, best_alpha = scored[0][0], np.array(scored[0][1])

    def negative(a: np.ndarray) -> float:
        return -evaluate_alpha(np.clip(a, box[:, 0], box[:, 1]))

    for _, start in scored[:starts]:
        if k == 0:
            break
        result = minimize(
            negative,
            np.array(start),
            method="Nelder-Mead",
            options={"xatol": 1e-6, "fatol": 1e-9, "maxiter": 150 * k},
        )
        a = np.clip(result.x, box[:, 0], box[:, 1])
        value = evaluate_alpha(a)
        if value > best_value:
            best_value, best_alpha = value, a
    contract = AffineSignalContract(best_alpha, -float(np.min(tech.signals @ best_alpha)))
    certificate = worst_case_signals(contract, tech, cost_bound, solver=solver).value
    return OptimalAffine(
        value=best_value,
        contract=contract,
        certificate=certificate,
        bounds=frozen(box.copy()),
        evaluations=evaluate_alpha.evaluations,
        failures=evaluate_alpha.failures,
        method=f"grid of {points}^{k} + payoff shares, then Nelder-Mead from the best {starts}",
    )
