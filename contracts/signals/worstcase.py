r"""The principal's worst case of a contract on signals, and the agent's best deviation.

**Nature's problem.** Nature adds the cheapest allowed action, :math:`c = b(E_G z)_+`, so in the
eligible case

.. math::

    V_P(w) = \min_{G \in \Delta(Z)} \{ E_G[p \cdot z - w] :
             E_G[w] - b(E_G z)_+ \ge V_A(w \mid A_0) \},

a convex program (explicit solver: HiGHS when it is an LP, Clarabel when a bound makes it conic;
:mod:`contracts.signals.programs`). It is degenerate, as in one dimension, when no :math:`G` gives
the agent strictly more than :math:`V_A`; then :math:`V_P(w) = V_P(w \mid A_0)`. Without a cost
bound (``cost_bound=None``) costs are only known to be :math:`\ge 0`.

The multiplier :math:`\lambda` of the agent's constraint and a subgradient :math:`s \in
\partial b(m^*)` (the dual of :math:`m = Z^\top G`, divided by :math:`-\lambda`) are the KKT
evidence that :mod:`contracts.signals.improvement` turns into a better contract.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._html import HtmlRepr
from .._numbers import binary_exponent, fmt, fmt_seq, frozen
from ..agent import Utilities
from ..costs import CostBound, check_cost_bound, evaluate
from ..model import Action
from ..tolerances import SOLVER_RTOL, SUPPORT_ATOL
from .programs import bound_term, signal_exponent, simplex_program, solve_program
from .technology import SignalTechnology, check_known_costs, payments_of, signal_choice

__all__ = [
    "SignalDistribution",
    "SignalWorstCase",
    "best_deviation",
    "in_program_units",
    "payment_exponent",
    "worst_case_signals",
]


def payment_exponent(utilities: Utilities) -> int:
    """Return the power of 2 the programs divide payments and costs by (clamped to be normal)."""
    return min(max(utilities.exponent, -1022), 1023)


def in_program_units(utilities: Utilities, value: float, ew: int) -> float:
    """Return a utility of ``utilities`` (units ``2**exponent``) in units of ``2**ew``."""
    with np.errstate(over="ignore"):
        return float(np.ldexp(value, utilities.exponent - ew))


def best_deviation(
    w: np.ndarray,
    tech: SignalTechnology,
    cost_bound: CostBound | None,
    solver: str | None,
    options: Any,
    ew: int = 0,
) -> tuple[float, np.ndarray, np.ndarray, str | None]:
    r"""Return the agent's best utility from nature, its distribution, a subgradient, the solver.

    The program is :math:`\max_G E_G[w] - b(E_G z)_+`. The subgradient :math:`s \in
    \partial b_+(m^*)` at its optimum comes from the dual of :math:`m = Z^\top G`; by
    stationarity :math:`w(z) \le s \cdot z + \kappa` on Z with equality on the optimum's
    support, the degenerate case's supporting plane. Without a cost bound, all mass goes to the
    top payment, :math:`s = 0` and no program is solved (solver None). The program is solved on
    signals divided by their power of 2 and payments and costs by ``2**ew``; the utility is
    returned in units of ``2**ew``, the subgradient in the caller's units.
    """
    k = tech.signals.shape[1]
    if cost_bound is None:
        i = int(np.argmax(w))
        g = np.zeros(w.size)
        g[i] = 1.0
        return float(np.ldexp(w[i], -ew)), g, np.zeros(k), None
    import cvxpy as cp

    ez = signal_exponent(tech.signals)
    g, m, constraints = simplex_program(np.ldexp(tech.signals, -ez))
    bound = bound_term(cost_bound, m, ez, float(2.0**-ew))
    problem = cp.Problem(cp.Maximize(np.ldexp(w, -ew) @ g - bound), constraints)
    used = solve_program(problem, solver, options, "the agent's best deviation")
    # the dual is a subgradient of b_+(2^ez m) 2^-ew in m: back to b_+ in the true mean
    subgradient = -np.ldexp(np.asarray(constraints[1].dual_value, dtype=float), ew - ez)
    dist = np.clip(np.asarray(g.value, dtype=float), 0.0, None)
    return float(problem.value), dist, subgradient, used


class SignalDistribution(Mapping[tuple[float, ...], float]):
    """A distribution on the signals, read by signal: ``dist[(0, 1)]`` is the probability of (0, 1).

    A read-only mapping ``{signal: probability}`` whose keys are the *support*, the signals (as
    tuples of floats, in the technology's order) whose probability exceeds
    :data:`~contracts.tolerances.SUPPORT_ATOL` (a solver leaves dust of that size on the others),
    which is also what it prints (probabilities rounded to 6 decimals). A signal of the
    technology outside the support has its probability, about 0, under ``dist[z]`` and
    ``z in dist`` is False; a signal that is not one of the technology's raises ``KeyError``. A
    signal is a tuple, list or array of its ``k`` coordinates, or a number when ``k = 1``; a
    signal listed twice in the technology gets the sum of its probabilities. The positional
    array (one probability per row of ``signals``, read-only) is :attr:`array`, and
    ``numpy.asarray(dist)`` gives it too.

    Examples
    --------
    >>> import numpy as np
    >>> z = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=float)
    >>> d = SignalDistribution(z, np.array([0.75, 0.0, 0.0, 0.25]))
    >>> d
    {(0.0, 0.0): 0.75, (1.0, 1.0): 0.25}
    >>> print(d[(1, 1)], d[[0, 1]], (0, 1) in d, len(d))
    0.25 0.0 False 2
    >>> d.array.tolist()
    [0.75, 0.0, 0.0, 0.25]
    """

    __slots__ = ("_array", "_index", "_signals")

    def __init__(self, signals: np.ndarray, probabilities: np.ndarray) -> None:
        z = np.asarray(signals, dtype=float)
        if z.ndim == 1:
            z = z.reshape(-1, 1)
        p = np.asarray(probabilities, dtype=float)
        if p.shape != (z.shape[0],):
            raise ValueError(f"{p.size} probabilities for {z.shape[0]} signals")
        self._signals = frozen(z.copy())
        self._array = frozen(p.copy())
        index: dict[tuple[float, ...], list[int]] = {}
        for i, row in enumerate(z):
            index.setdefault(tuple(float(v) for v in row), []).append(i)
        self._index = index

    @property
    def array(self) -> np.ndarray:
        """The probabilities in the order of the technology's signals, one per row (read-only)."""
        return self._array

    @property
    def signals(self) -> np.ndarray:
        """The signals the distribution is on, shape (N, k) (read-only)."""
        return self._signals

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if dtype is None and not copy:
            return self._array
        return np.array(self._array, dtype=dtype, copy=True)

    def _key(self, signal: object) -> tuple[float, ...] | None:
        try:
            z = np.asarray(signal, dtype=float)
        except (TypeError, ValueError):
            return None
        if z.ndim == 0 and self._signals.shape[1] == 1:
            z = z.reshape(1)
        if z.shape != (self._signals.shape[1],):
            return None
        key = tuple(float(v) for v in z)
        return key if key in self._index else None

    def _probability(self, key: tuple[float, ...]) -> float:
        return float(sum(self._array[i] for i in self._index[key]))

    def __getitem__(self, signal: Any) -> float:
        key = self._key(signal)
        if key is None:
            raise KeyError(f"{signal!r} is not a signal of the technology {list(self._index)}")
        return self._probability(key)

    def __contains__(self, signal: object) -> bool:
        key = self._key(signal)
        return key is not None and self._probability(key) > SUPPORT_ATOL

    def __iter__(self) -> Iterator[tuple[float, ...]]:
        return (key for key in self._index if self._probability(key) > SUPPORT_ATOL)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SignalDistribution):
            return bool(
                np.array_equal(self._signals, other._signals)
                and np.array_equal(self._array, other._array)
            )
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{k}: {round(v, 6)}" for k, v in self.items()) + "}"


@dataclass(frozen=True, eq=False)
class SignalWorstCase(HtmlRepr):
    r"""The worst case of a contract on signals, with the KKT evidence.

    Attributes
    ----------
    value : float
        :math:`V_P(w)`.
    agent_value : float
        :math:`V_A(w \mid A_0)`.
    adversary : SignalDistribution
        Nature's distribution over the signals (the known chosen action's in the degenerate case),
        read by signal: ``wc.adversary[(0, 1)]`` is the probability of the signal (0, 1), and it
        prints as its support ``{signal: probability}``. The positional array, one probability
        per row of ``technology.signals`` as in earlier versions, is ``wc.adversary.array``.
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
    adversary: SignalDistribution
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
        dist = (1 - eps) * self.adversary.array + eps * self.agent_best
        dist = np.clip(dist, 0.0, None)
        dist /= dist.sum()
        mean = dist @ self.technology.signals
        cost = 0.0 if self.cost_bound is None else max(0.0, evaluate(self.cost_bound, mean))
        return self.technology.with_action(Action(dist, cost))

    def __repr__(self) -> str:
        lam = "None" if self.multiplier is None else fmt(self.multiplier)
        sub = "None" if self.subgradient is None else fmt_seq(self.subgradient)
        return (
            f"SignalWorstCase(value={fmt(self.value)}, agent_value={fmt(self.agent_value)}, "
            f"degenerate={self.degenerate},\n                adversary={self.adversary!r}, "
            f"multiplier={lam}, subgradient={sub}, solver={self.solver!r})"
        )


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
        check_known_costs(tech, cost_bound)
    w = payments_of(contract, tech)
    chosen, utilities, V, principal_known = signal_choice(w, tech)
    # the programs work in payment units 2^ew and on signals divided by 2^ez (exact scalings)
    ew = payment_exponent(utilities)
    x = np.ldexp(w, -ew)
    v = in_program_units(utilities, utilities.values[chosen], ew)
    best, best_dist, best_subgradient, used = best_deviation(
        w, tech, cost_bound, solver, solver_options, ew
    )
    if cost_bound is None:  # the best deviation is max w, exactly: the agent's tie tolerance
        degenerate = utilities.reaches_top_payment(chosen)
    else:  # read off a solver, on the normalised program: SOLVER_RTOL of the payments' scale
        scale = max(float(x.max()), abs(v), abs(best))
        degenerate = bool(best - v <= SOLVER_RTOL * scale)
    payments, agent_best = frozen(w.copy()), frozen(best_dist)
    if degenerate:
        dist = tech.dists[chosen].copy()
        return SignalWorstCase(
            value=principal_known,
            agent_value=V,
            adversary=SignalDistribution(tech.signals, dist),
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
    t = tech.payoffs - w
    ez, et = signal_exponent(tech.signals), binary_exponent(np.max(np.abs(t)), both_ways=True)
    g, m, constraints = simplex_program(np.ldexp(tech.signals, -ez))
    cost = 0 if cost_bound is None else bound_term(cost_bound, m, ez, float(2.0**-ew))
    agent_constraint = x @ g - cost >= v if np.isfinite(v) else None  # -inf: no constraint
    problem = cp.Problem(
        cp.Minimize(np.ldexp(t, -et) @ g),
        [*constraints] + ([agent_constraint] if agent_constraint is not None else []),
    )
    used = solve_program(problem, solver, solver_options, "nature's problem")
    lam_n = 0.0 if agent_constraint is None else max(0.0, float(agent_constraint.dual_value))
    lam = float(np.ldexp(lam_n, et - ew))  # d(p.z - w) / d(payment), in the caller's units
    subgradient = None
    if cost_bound is None:
        subgradient = np.zeros(k)
    elif lam_n > SOLVER_RTOL:  # the dual of m, per unit of the multiplier, in the caller's units
        nu = np.asarray(constraints[1].dual_value, dtype=float)
        subgradient = -np.ldexp(nu / lam_n, ew - ez)
    dist = np.clip(np.asarray(g.value, dtype=float), 0.0, None)
    dist /= dist.sum()
    return SignalWorstCase(
        value=float(np.ldexp(float(problem.value), et)),
        agent_value=V,
        adversary=SignalDistribution(tech.signals, dist),
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
