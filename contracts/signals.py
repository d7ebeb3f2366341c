r"""Several observables: contracts on signals :math:`z \in Z \subset \mathbb{R}^k` with a convex cost bound.

The seed's extension of Carroll's model (derived in ``shared/design/contracts.md`` section 1.6;
the statement there is the team's derivation, not checked against Carroll's text). The principal
observes a signal vector :math:`z` from a finite set :math:`Z` and contracts on it,
:math:`w: Z \to \mathbb{R}_{\ge 0}`; her payoff is linear, :math:`p \cdot z - w(z)` (``value``:
a coordinate, e.g. output, or a vector :math:`p`). Every action, known or not, satisfies
:math:`c \ge b(E_F z)` for a known **convex** cost bound :math:`b` (and :math:`c \ge 0`).

**Nature's problem.** Nature adds the cheapest allowed action, :math:`c = b(E_G z)_+`, so in the
eligible case

.. math::

    V_P(w) = \min_{G \in \Delta(Z)} \{ E_G[p \cdot z - w] :
             E_G[w] - b(E_G z)_+ \ge V_A(w \mid A_0) \},

a convex program (explicit solver: HiGHS when it is an LP, Clarabel when a bound makes it conic).
It is degenerate, as in one dimension, when no :math:`G` gives the agent strictly more than
:math:`V_A`; then :math:`V_P(w) = V_P(w \mid A_0)`. Without a cost bound (``cost_bound=None``)
costs are only known to be :math:`\ge 0`.

**Improvement.** With :math:`\lambda` the multiplier of the agent's constraint and :math:`s \in
\partial b(m^*)` read off the KKT conditions (the dual of :math:`m = Z^\top G`, divided by
:math:`-\lambda`), :math:`(1+\lambda) w(z) \le (p + \lambda s) \cdot z + \text{const}`, so the
affine contract :math:`\alpha \cdot z + \beta` with :math:`\alpha = (p + \lambda s)/(1+\lambda)`
dominates :math:`w` and guarantees at least as much; lowering :math:`\beta` to
:math:`-\min_Z \alpha \cdot z` (limited liability) gains one-for-one.

**Optimum.** :func:`optimal_affine` searches :math:`\alpha` numerically (a max-min with no closed
form in general): a grid over a box, then Nelder-Mead from the best grid points; each evaluation
is the convex program above, built once with cvxpy parameters. Its certificate is the returned
contract's guarantee recomputed from scratch by :func:`worst_case_signals`.
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Any

import numpy as np

from ._numbers import (
    MatrixLike,
    RealLike,
    VectorLike,
    as_float,
    as_scalar,
    as_vector,
    fmt,
    fmt_seq,
    frozen,
    table,
)
from .agent import TIE_RTOL, choose
from .costs import CostBound, check_cost_bound, evaluate
from .errors import SolverFailedError
from .model import Action

__all__ = [
    "DEFAULT_SIGNAL_SOLVER",
    "AffineSignalContract",
    "OptimalAffine",
    "SignalContract",
    "SignalImprovement",
    "SignalTechnology",
    "SignalWorstCase",
    "improve_signals",
    "optimal_affine",
    "worst_case_signals",
]

#: cvxpy solver for signal programs that are not LPs (a quadratic or user bound), unless ``solver=``
#: says otherwise. LPs (no bound, linear or max-affine bounds) go to ``LP_SOLVER``: HiGHS copes
#: with badly scaled data (payments of 10^6) where the interior-point solver reports "unbounded".
DEFAULT_SIGNAL_SOLVER = "CLARABEL"

#: cvxpy solver for signal programs that are LPs, unless ``solver=`` says otherwise.
LP_SOLVER = "HIGHS"

#: Relative tolerance of the convex solver's answers (degenerate test, cost-bound check).
SOLVER_RTOL = 1e-7


@dataclass(frozen=True, eq=False, init=False)
class SignalTechnology:
    r"""Known actions on a finite signal set :math:`Z \subset \mathbb{R}^k`.

    Parameters
    ----------
    signals : array_like, shape (N, k) or (N,)
        The signal vectors (rows), finite.
    actions : sequence of Action
        Each action's distribution over the N signals and its cost.
    value : int or array_like, optional
        The principal's payoff :math:`p \cdot z`: a coordinate index (default 0, e.g. output)
        or a vector :math:`p` of length k.

    Examples
    --------
    >>> z = [[0, 0], [1, 0], [0, 1], [1, 1]]   # (output, audit signal)
    >>> tech = SignalTechnology(z, [Action([0, 0.5, 0, 0.5], 0.25)], value=0)
    >>> tech.means.tolist()
    [[1.0, 0.5]]
    """

    signals: np.ndarray
    actions: tuple[Action, ...]
    value: np.ndarray
    dists: np.ndarray = field(init=False, repr=False)
    costs: np.ndarray = field(init=False, repr=False)

    def __init__(
        self, signals: MatrixLike, actions: Sequence[Action], value: int | VectorLike = 0
    ) -> None:
        raw = np.asarray(signals)
        z = as_float(as_vector(raw.reshape(-1, 1) if raw.ndim == 1 else raw, "signals", ndim=2))
        if z.shape[0] == 0:
            raise ValueError("signals must contain at least one signal")
        n, k = z.shape
        if isinstance(value, int | np.integer) and not isinstance(value, bool):
            if not 0 <= int(value) < k:
                raise ValueError(f"value = {value} is not a coordinate of {k}-dimensional signals")
            p = np.zeros(k)
            p[int(value)] = 1.0
        else:
            p = as_float(as_vector(value, "value"))
            if p.size != k:
                raise ValueError(f"value has {p.size} entries but signals have {k} coordinates")
        actions = tuple(actions)
        if not actions:
            raise ValueError("a technology needs at least one action (the known set is empty)")
        for i, a in enumerate(actions):
            if not isinstance(a, Action):
                raise TypeError(f"actions[{i}] must be an Action, got {type(a).__name__}")
            if a.dist.size != n:
                raise ValueError(
                    f"actions[{i}].dist has {a.dist.size} probabilities but there are {n} signals"
                )
        object.__setattr__(self, "signals", frozen(z))
        object.__setattr__(self, "value", frozen(p))
        object.__setattr__(self, "actions", actions)
        object.__setattr__(self, "dists", frozen(np.array([as_float(a.dist) for a in actions])))
        object.__setattr__(self, "costs", frozen(np.array([float(a.cost) for a in actions])))

    @property
    def means(self) -> np.ndarray:
        """Mean signal vector of each action, shape (K, k)."""
        return self.dists @ self.signals

    @property
    def payoffs(self) -> np.ndarray:
        r"""The principal's gross payoff :math:`p \cdot z` at each signal."""
        return self.signals @ self.value

    def with_action(self, action: Action) -> SignalTechnology:
        """Return a new technology with ``action`` added."""
        return SignalTechnology(self.signals, (*self.actions, action), value=self.value)

    def __repr__(self) -> str:
        n, k = self.signals.shape
        rows = [["action", "cost", "mean signal"]]
        rows += [
            [f"a{i}", fmt(c), fmt_seq(m)]
            for i, (c, m) in enumerate(zip(self.costs, self.means, strict=True))
        ]
        head = f"SignalTechnology: {n} signals in R^{k}, payoff p = {fmt_seq(self.value)}"
        return "\n".join([head, *table(rows)])


@dataclass(frozen=True, eq=False, init=False)
class SignalContract:
    """A limited-liability contract given by its payment at each signal of a technology."""

    payments: np.ndarray

    def __init__(self, payments: VectorLike) -> None:
        w = as_float(as_vector(payments, "payments"))
        if (w < 0).any():
            i = int(np.flatnonzero(w < 0)[0])
            raise ValueError(
                f"payments[{i}] = {w[i]:g} is negative: limited liability requires w >= 0"
            )
        object.__setattr__(self, "payments", frozen(w))

    def on(self, tech: SignalTechnology) -> np.ndarray:
        """Return the payments (checked against the number of signals)."""
        if self.payments.size != tech.signals.shape[0]:
            raise ValueError(
                f"the contract has {self.payments.size} payments but the technology has "
                f"{tech.signals.shape[0]} signals"
            )
        return self.payments

    def __repr__(self) -> str:
        return f"SignalContract(payments={fmt_seq(self.payments)})"


@dataclass(frozen=True, eq=False, init=False)
class AffineSignalContract:
    r"""The affine contract :math:`w(z) = \alpha \cdot z + \beta` (limited liability checked)."""

    alpha: np.ndarray
    beta: float

    def __init__(self, alpha: VectorLike, beta: RealLike) -> None:
        object.__setattr__(self, "alpha", frozen(as_float(as_vector(alpha, "alpha")).copy()))
        object.__setattr__(self, "beta", float(as_scalar(beta, "beta")))

    def on(self, tech: SignalTechnology) -> np.ndarray:
        """Return the payments at the technology's signals."""
        if self.alpha.size != tech.signals.shape[1]:
            raise ValueError(
                f"alpha has {self.alpha.size} entries but signals have {tech.signals.shape[1]}"
            )
        w = tech.signals @ self.alpha + self.beta
        scale = max(1.0, float(np.abs(w).max()))
        if (w < -SOLVER_RTOL * scale).any():
            i = int(np.argmin(w))
            raise ValueError(
                f"{self!r} pays {w[i]:g} at signal {fmt_seq(tech.signals[i])}: "
                "limited liability requires w >= 0"
            )
        return np.maximum(w, 0.0)

    def __call__(self, z: Any) -> Any:
        r"""Return :math:`\alpha \cdot z + \beta`."""
        return np.asarray(z, dtype=float) @ self.alpha + self.beta

    def __repr__(self) -> str:
        return f"AffineSignalContract(alpha={fmt_seq(self.alpha)}, beta={fmt(self.beta)})"


def _payments(contract: Any, tech: SignalTechnology) -> np.ndarray:
    if isinstance(contract, SignalContract | AffineSignalContract):
        return contract.on(tech)
    return SignalContract(contract).on(tech)


def _check_known_costs(tech: SignalTechnology, cost_bound: CostBound) -> None:
    """Every known action must satisfy the bound it is declared under."""
    for i, (m, c) in enumerate(zip(tech.means, tech.costs, strict=True)):
        need = evaluate(cost_bound, m)
        if c < need - SOLVER_RTOL * max(1.0, abs(need)):
            raise ValueError(
                f"actions[{i}] costs {c:g} but the cost bound requires at least {need:g} at its "
                f"mean signal {fmt_seq(m)}: the known actions must satisfy c >= b(E_F z)"
            )


def _simplex_program(tech: SignalTechnology) -> tuple[Any, Any, list[Any]]:
    import cvxpy as cp

    g = cp.Variable(tech.signals.shape[0], nonneg=True)
    m = cp.Variable(tech.signals.shape[1])
    return g, m, [cp.sum(g) == 1, m == tech.signals.T @ g]


def _solve(
    problem: Any,
    solver: str | None,
    options: dict[str, Any] | None,
    what: str,
    inaccurate: str = "warn",
) -> str:
    """Solve with ``solver``, or by default HiGHS for an LP and Clarabel otherwise; return it."""
    from ._cvx import solve

    chosen = solver or (LP_SOLVER if problem.is_lp() else DEFAULT_SIGNAL_SOLVER)
    solve(problem, chosen, options, what=what, inaccurate=inaccurate)
    return chosen


def _agent_best(
    w: np.ndarray,
    tech: SignalTechnology,
    cost_bound: CostBound | None,
    solver: str | None,
    options: Any,
) -> tuple[float, np.ndarray, np.ndarray, str | None]:
    r"""Return the agent's best utility from nature, its distribution, a subgradient, the solver.

    The program is :math:`\max_G E_G[w] - b(E_G z)_+`. The subgradient :math:`s \in
    \partial b_+(m^*)` at its optimum comes from the dual of :math:`m = Z^\top G`; by
    stationarity :math:`w(z) \le s \cdot z + \kappa` on Z with equality on the optimum's
    support, the degenerate case's supporting plane. Without a cost bound, all mass goes to the
    top payment, :math:`s = 0` and no program is solved (solver None).
    """
    k = tech.signals.shape[1]
    if cost_bound is None:
        i = int(np.argmax(w))
        g = np.zeros(w.size)
        g[i] = 1.0
        return float(w[i]), g, np.zeros(k), None
    import cvxpy as cp

    g, m, constraints = _simplex_program(tech)
    problem = cp.Problem(cp.Maximize(w @ g - cp.pos(cost_bound(m))), constraints)
    used = _solve(problem, solver, options, "the agent's best deviation")
    subgradient = -np.asarray(constraints[1].dual_value, dtype=float)
    dist = np.clip(np.asarray(g.value, dtype=float), 0.0, None)
    return float(problem.value), dist, subgradient, used


@dataclass(frozen=True, eq=False)
class SignalWorstCase:
    r"""The worst case of a contract on signals, with the KKT evidence.

    Attributes
    ----------
    value : float
        :math:`V_P(w)`.
    agent_value : float
        :math:`V_A(w \mid A_0)`.
    adversary : numpy.ndarray
        Nature's distribution over the signals (the known chosen action's in the degenerate case).
    mean : numpy.ndarray
        Its mean signal :math:`m^* = E_G z`.
    multiplier : float or None
        :math:`\lambda`, the multiplier of the agent's constraint (None when degenerate).
    subgradient : numpy.ndarray or None
        :math:`s \in \partial b(m^*)` from the KKT conditions (zeros without a cost bound; None
        when :math:`\lambda = 0`, where it plays no role). In the degenerate case, a subgradient
        at the agent's best deviation: :math:`w(z) \le s \cdot z + \kappa` on Z.
    degenerate : bool
        True when no deviation makes the agent strictly better off than :math:`V_A`.
    solver : str or None
        The cvxpy solver of the last program solved (HiGHS for LPs, Clarabel otherwise, unless
        ``solver=`` was given); None when no program was needed.
    """

    value: float
    agent_value: float
    adversary: np.ndarray
    mean: np.ndarray
    multiplier: float | None
    subgradient: np.ndarray | None
    degenerate: bool
    solver: str | None
    payments: np.ndarray = field(repr=False)
    technology: SignalTechnology = field(repr=False)
    cost_bound: Any = field(repr=False)
    agent_best: np.ndarray = field(repr=False)

    def witness(self, eps: float) -> SignalTechnology:
        """Return the known technology plus nature's action tilted by ``eps`` toward the agent's
        best deviation; its cost is the bound at its mean (and at least 0).

        The agent's utility is concave in the distribution, so the tilted action beats
        :math:`V_A` strictly, and the principal's payoff is within O(eps) of ``value``.
        """  # noqa: D205
        if not 0 < eps <= 1:
            raise ValueError(f"eps = {eps!r} must satisfy 0 < eps <= 1")
        if self.degenerate:
            return self.technology
        dist = (1 - eps) * self.adversary + eps * self.agent_best
        dist = np.clip(dist, 0.0, None)
        dist /= dist.sum()
        mean = dist @ self.technology.signals
        cost = 0.0 if self.cost_bound is None else max(0.0, evaluate(self.cost_bound, mean))
        return self.technology.with_action(Action(dist, cost))

    def __repr__(self) -> str:
        lam = "None" if self.multiplier is None else fmt(self.multiplier)
        sub = "None" if self.subgradient is None else fmt_seq(self.subgradient)
        support = {
            tuple(float(v) for v in self.technology.signals[i]): round(float(p), 6)
            for i, p in enumerate(self.adversary)
            if p > 1e-9
        }
        return (
            f"SignalWorstCase(value={fmt(self.value)}, agent_value={fmt(self.agent_value)}, "
            f"degenerate={self.degenerate},\n                adversary={support}, "
            f"multiplier={lam}, subgradient={sub}, solver={self.solver!r})"
        )


def signal_response(w: np.ndarray, tech: SignalTechnology) -> tuple[int, float, float]:
    """Return (action, agent value, principal value): the agent's choice, ties to the principal."""
    agent = tech.dists @ w - tech.costs
    principal = tech.dists @ (tech.payoffs - w)
    scale = max(1.0, float(np.abs(tech.signals).max()), float(w.max()), float(tech.costs.max()))
    i, _ = choose(agent, principal, TIE_RTOL * scale)
    return i, float(agent[i]), float(principal[i])


def worst_case_signals(
    contract: Any,
    tech: SignalTechnology,
    cost_bound: CostBound | None = None,
    *,
    solver: str | None = None,
    solver_options: dict[str, Any] | None = None,
) -> SignalWorstCase:
    """Return the principal's worst-case payoff of a contract on signals.

    Parameters
    ----------
    contract : SignalContract, AffineSignalContract or array_like
        Payments at the technology's signals (``>= 0``).
    tech : SignalTechnology
        The known actions; each must satisfy ``c >= b(E_F z)``.
    cost_bound : callable, optional
        Convex :math:`b`: a built-in from :mod:`contracts.costs` or a function building a cvxpy
        expression of the mean signal vector. None: costs only known to be ``>= 0``.
    solver : str, optional
        cvxpy solver (default: ``"HIGHS"`` when the program is an LP, ``"CLARABEL"`` otherwise).
    solver_options : dict, optional
        Passed to the solver.

    Returns
    -------
    SignalWorstCase

    Raises
    ------
    ValueError
        A non-convex or non-scalar cost bound, a known action violating it, bad payments.
    SolverFailedError
        If the solver fails.

    Examples
    --------
    Output y and an audit signal s, both in {0, 1}; producing the signal costs the agent at
    least half its frequency, b(m) = m_s / 2. The known action gives (0, 0) or (1, 1) with
    probabilities 1/4 and 3/4 at cost 3/8. A contract that pays 1 whenever s = 1 leaves the agent
    3/4 - 3/8 = 3/8; nature offers "produce the signal, not the output": all mass on (0, 1) at
    cost 1/2, which the agent prefers (1 - 1/2 > 3/8), and the principal gets 0 - 1 = -1.

    >>> from contracts.costs import LinearCost
    >>> z = [[0, 0], [1, 0], [0, 1], [1, 1]]
    >>> tech = SignalTechnology(z, [Action([0.25, 0, 0, 0.75], 0.375)])
    >>> wc = worst_case_signals([0, 0, 1, 1], tech, LinearCost([0, 0.5]))
    >>> round(wc.value, 6), wc.agent_value, wc.degenerate, wc.multiplier < 1e-7
    (-1.0, 0.375, False, True)
    """
    import cvxpy as cp

    if not isinstance(tech, SignalTechnology):
        raise TypeError(f"tech must be a SignalTechnology, got {type(tech).__name__}")
    k = tech.signals.shape[1]
    if cost_bound is not None:
        check_cost_bound(cost_bound, k)
        _check_known_costs(tech, cost_bound)
    w = _payments(contract, tech)
    chosen, V, principal_known = signal_response(w, tech)
    scale = max(1.0, float(np.abs(tech.payoffs).max()), float(w.max()))
    best_utility, best_dist, best_subgradient, used = _agent_best(
        w, tech, cost_bound, solver, solver_options
    )
    payments, agent_best = frozen(w.copy()), frozen(best_dist)
    if best_utility <= V + SOLVER_RTOL * scale:
        dist = tech.dists[chosen].copy()
        return SignalWorstCase(
            value=principal_known,
            agent_value=V,
            adversary=frozen(dist),
            mean=frozen(dist @ tech.signals),
            multiplier=None,
            subgradient=frozen(best_subgradient),
            degenerate=True,
            solver=used,
            payments=payments,
            technology=tech,
            cost_bound=cost_bound,
            agent_best=agent_best,
        )
    g, m, constraints = _simplex_program(tech)
    cost = 0 if cost_bound is None else cp.pos(cost_bound(m))
    agent_constraint = w @ g - cost >= V
    problem = cp.Problem(cp.Minimize((tech.payoffs - w) @ g), [*constraints, agent_constraint])
    used = _solve(problem, solver, solver_options, "nature's problem")
    lam = max(0.0, float(agent_constraint.dual_value))
    subgradient = None
    if cost_bound is None:
        subgradient = np.zeros(k)
    elif lam > SOLVER_RTOL:
        subgradient = -np.asarray(constraints[1].dual_value, dtype=float) / lam
    dist = np.clip(np.asarray(g.value, dtype=float), 0.0, None)
    dist /= dist.sum()
    return SignalWorstCase(
        value=float(problem.value),
        agent_value=V,
        adversary=frozen(dist),
        mean=frozen(dist @ tech.signals),
        multiplier=lam,
        subgradient=None if subgradient is None else frozen(subgradient),
        degenerate=False,
        solver=used,
        payments=payments,
        technology=tech,
        cost_bound=cost_bound,
        agent_best=agent_best,
    )


@dataclass(frozen=True, eq=False)
class SignalImprovement:
    r"""Carroll's improvement on signals: an affine contract that guarantees at least as much.

    Attributes
    ----------
    contract : AffineSignalContract
        :math:`\alpha \cdot z + \beta` with :math:`\beta = -\min_Z \alpha \cdot z`.
    alpha : numpy.ndarray
        :math:`(p + \lambda s) / (1 + \lambda)` (:math:`s` in the degenerate case).
    dominating_beta : float
        The smallest :math:`\beta` with :math:`\alpha \cdot z + \beta \ge w(z)` on Z.
    original_value, dominating_value, improved_value : float
        Guarantees of the original contract, of the dominating affine contract and of
        ``contract``: ``original_value <= dominating_value <= improved_value`` (up to solver
        precision).
    """

    contract: AffineSignalContract
    alpha: np.ndarray
    dominating_beta: float
    multiplier: float | None
    original_value: float
    dominating_value: float
    improved_value: float
    worst_case: SignalWorstCase = field(repr=False)

    def __repr__(self) -> str:
        return (
            f"SignalImprovement(contract={self.contract!r},\n"
            f"                  original_value={fmt(self.original_value)}, "
            f"dominating_value={fmt(self.dominating_value)}, "
            f"improved_value={fmt(self.improved_value)})"
        )


def improve_signals(
    contract: Any,
    tech: SignalTechnology,
    cost_bound: CostBound | None = None,
    *,
    solver: str | None = None,
    solver_options: dict[str, Any] | None = None,
) -> SignalImprovement:
    r"""Return the affine improvement of a contract on signals (from the KKT multipliers).

    See the module docstring for the construction. In the degenerate case (no deviation makes the
    agent strictly better off) the supporting plane is vertical: ``alpha`` is a subgradient
    :math:`s` of the cost bound at the agent's best deviation, so :math:`s \cdot z + \beta \ge w`
    keeps every deviation a tie and, ties going to the principal, guarantees at least as much
    (without a cost bound :math:`s = 0`: the constant :math:`\max w`, then the zero contract).

    Examples
    --------
    The audit-signal contract of :func:`worst_case_signals` (guarantee -1): the constraint is
    slack (lambda = 0), so alpha = p = (1, 0), the contract w = y, which guarantees 0.

    >>> from contracts.costs import LinearCost
    >>> z = [[0, 0], [1, 0], [0, 1], [1, 1]]
    >>> tech = SignalTechnology(z, [Action([0.25, 0, 0, 0.75], 0.375)])
    >>> imp = improve_signals([0, 0, 1, 1], tech, LinearCost([0, 0.5]))
    >>> [round(float(v), 6) + 0 for v in (*imp.alpha, imp.contract.beta, imp.improved_value)]
    [1.0, 0.0, 0.0, 0.0]
    """
    wc = worst_case_signals(
        contract, tech, cost_bound, solver=solver, solver_options=solver_options
    )
    w = wc.payments
    z = tech.signals
    if wc.degenerate:
        # vertical supporting line (lambda -> infinity): alpha = s, paying the agent exactly the
        # marginal cost bound, keeps every deviation a tie (see the module docstring)
        assert wc.subgradient is not None
        alpha = np.array(wc.subgradient, dtype=float)
    else:
        assert wc.multiplier is not None
        lam = wc.multiplier
        s = wc.subgradient if wc.subgradient is not None else np.zeros(z.shape[1])
        alpha = (tech.value + lam * s) / (1 + lam)
    dominating_beta = float(np.max(w - z @ alpha))
    beta = float(-np.min(z @ alpha))
    dominating = worst_case_signals(
        AffineSignalContract(alpha, dominating_beta),
        tech,
        cost_bound,
        solver=solver,
        solver_options=solver_options,
    )
    improved_contract = AffineSignalContract(alpha, beta)
    improved = worst_case_signals(
        improved_contract, tech, cost_bound, solver=solver, solver_options=solver_options
    )
    return SignalImprovement(
        contract=improved_contract,
        alpha=frozen(alpha.copy()),
        dominating_beta=dominating_beta,
        multiplier=wc.multiplier,
        original_value=wc.value,
        dominating_value=dominating.value,
        improved_value=improved.value,
        worst_case=wc,
    )


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
        _, m, constraints = _simplex_program(tech)
        cost = 0 if cost_bound is None else cp.pos(cost_bound(m))
        self.nature = cp.Problem(
            cp.Minimize((tech.value - self.alpha) @ m),
            [*constraints, self.alpha @ m - cost >= self.v],
        )
        _, m2, constraints2 = _simplex_program(tech)
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
                _solve(self.agent, self.solver, None, "the agent's best deviation", "ignore")
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
            _solve(self.nature, self.solver, None, "nature's problem", "ignore")
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
    best points, clipping to the box. Each evaluation solves the convex program(s) of the module
    docstring, built once with cvxpy parameters; slopes where the solver fails (near-degenerate
    programs) are skipped and counted in ``failures``. The search is local; the returned value is
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
        _check_known_costs(tech, cost_bound)
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
