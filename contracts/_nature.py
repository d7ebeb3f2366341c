r"""Nature's reply to a randomised contract: the linear programs behind the randomised worst case.

A lottery :math:`G` puts weight :math:`p_k` on contract :math:`w_k`. Nature, who knows
:math:`G` but not the draw, chooses the technology; then the contract is drawn and the agent
best-responds (ties to the principal). Write :math:`V_k = V_A(w_k \mid A_0)`.

* A contract with :math:`V_k = \max_Y w_k` is *degenerate* (as for one contract): no action can
  make the agent strictly better off, the agent's best set keeps the known tied actions, and the
  principal gets at least :math:`V_P(w_k \mid A_0)`, exactly that if nature's actions cost more
  than 0. It contributes that constant and no constraint.
* Contracts that differ by a constant rank every action alike (agent and principal), so the
  agent takes the same action under all of them; they form one *group*, with one added action.
* For the eligible groups :math:`g` nature chooses actions :math:`(F_g, c_g)` and

  .. math::

      \min \sum_g F_g \cdot \sum_{k \in g} p_k (y - w_k) \quad \text{s.t.} \quad
      F_g \cdot w_g - c_g \ge V_g, \quad
      F_g \cdot w_g - c_g \ge F_h \cdot w_g - c_h \; (h \ne g), \quad
      F_g \in \Delta(Y),\; c_g \ge 0,

  linear in :math:`(F, c)` jointly (:func:`mixture_program`).

* For linear contracts :math:`\alpha_k (y - y_0)` only the mean :math:`m_k = E_{F_k}[y]`
  matters; with the agent's utility :math:`U_k = \alpha_k (m_k - y_0) - c_k` the constraints
  become :math:`U_k \ge V_k`, :math:`U_k \le \alpha_k (m_k - y_0)` (cost :math:`\ge 0`),
  :math:`y_{lo} \le m_k \le y_{hi}`, and, slopes sorted, the *adjacent* incentive constraints
  :math:`\Delta_k m_k \le U_{k+1} - U_k \le \Delta_k m_{k+1}` (they imply the others, and that
  :math:`m` is non-decreasing) (:func:`linear_reply`).

**Numerics** (:mod:`contracts.tolerances`). Exact data are compared exactly. For floats, the
agent's ties and the degenerate test under each contract follow :mod:`contracts.agent`'s rule on
that contract's own payments and costs (``TIE_RTOL`` times :math:`E_a[w] + c_a`), and two
contracts differ by a constant when their difference is within ``TIE_RTOL`` of their own
magnitude. Every program is normalised before it is solved, exact data too (so that the float
solve the exact recovery starts from is well scaled): payments, costs and utilities are divided
by the power of 2 nearest the largest payment (for linear contracts, nearest the largest output
above the origin, so that means are divided by it too), the objective by the one nearest its
largest coefficient; the solution is scaled back exactly. The solver's absolute tolerances are
then relative to the data's own scale: outputs of :math:`10^{15}` or payments of
:math:`10^{-15}` solve as numbers near 1 do.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ._exact_lp import LinearProgram, solve_lp
from ._numbers import Number, as_float, binary_exponent, to_python
from .agent import agent_utilities, choose, scaled_utilities
from .model import Technology
from .tolerances import TIE_RTOL

__all__ = [
    "LinearKnown",
    "LinearReply",
    "MixtureReply",
    "exponent",
    "linear_known",
    "linear_reply",
    "mean_to_dist",
    "mixture_reply",
    "same_shape",
    "scaled",
    "shape_groups",
    "slater_actions",
    "unscaled",
]


def exponent(x: Any) -> int:
    """Return ``e`` with ``|x| 2**-e`` in [1/2, 1) (0 for 0): exact numbers of any size, floats."""
    if isinstance(x, Fraction | int):
        q = abs(Fraction(x))
        if q == 0:
            return 0
        e = q.numerator.bit_length() - q.denominator.bit_length()
        return e + 1 if q >= Fraction(2) ** e else e
    return binary_exponent(abs(float(x)))


def scaled(values: Any, e: int, exact: bool) -> Any:
    """Return ``values * 2**-e``: exact for Fractions; for floats by ``ldexp`` (inf on overflow)."""
    if exact:
        return values * (Fraction(1, 2**e) if e >= 0 else Fraction(2 ** (-e)))
    with np.errstate(over="ignore"):
        return np.ldexp(values, -e)


def unscaled(values: Any, e: int, exact: bool) -> Any:
    """Return ``values * 2**e`` (the inverse of :func:`scaled`)."""
    return scaled(values, -e, exact)


@dataclass(frozen=True)
class MixtureReply:
    """Nature's reply to a finite mixture: per contract, the action the agent takes."""

    dists: list[np.ndarray]
    costs: list[Number]
    added: list[bool]
    known_choice: list[int | None]
    known_values: list[Number]
    groups: list[list[int]]
    exact: bool
    status: str


def same_shape(a: np.ndarray, b: np.ndarray, exact: bool) -> bool:
    """Return True when two payment vectors differ by a constant.

    Exactly for exact vectors; for floats within ``TIE_RTOL`` times the larger of the vectors'
    own magnitudes (the rounding of ``a - a[0]`` is relative to ``max |a|``), never an absolute
    floor: payments of :math:`10^{-12}` are told apart as payments of 1 are.
    """
    d = (a - a[0]) - (b - b[0])
    if exact:
        return all(v == 0 for v in d)
    size = max(float(np.max(np.abs(a))), float(np.max(np.abs(b))))
    return bool(np.max(np.abs(d)) <= TIE_RTOL * size)


def shape_groups(W: Any, members: list[int], exact: bool) -> list[list[int]]:
    """Group the rows ``W[k]`` (``k`` in ``members``) that differ by a constant, in order."""
    groups: list[list[int]] = []
    for k in members:
        for g in groups:
            if same_shape(W[k], W[g[0]], exact):
                g.append(k)
                break
        else:
            groups.append([k])
    return groups


def mixture_reply(
    y: np.ndarray,
    W: np.ndarray,
    p: np.ndarray,
    known: Technology,
    *,
    solver: str,
    options: dict[str, Any] | None,
    exact: bool,
) -> MixtureReply:
    """Solve nature's LP against the mixture ``p`` of the payment rows ``W`` (on ``y``)."""
    K, n = W.shape
    known_values: list[Number] = []
    degenerate: list[bool] = []
    choice: list[int] = []
    for k in range(K):
        agent, principal = agent_utilities(W[k], known)
        utilities = scaled_utilities(W[k], known.dists, known.costs)
        chosen, _ = choose(utilities, principal)
        known_values.append(to_python(agent[chosen]))
        choice.append(chosen)
        degenerate.append(utilities.reaches_top_payment(chosen))
    eligible = [k for k in range(K) if not degenerate[k]]
    groups = shape_groups(W, eligible, exact)
    dists: list[np.ndarray] = [np.empty(0)] * K
    costs: list[Number] = [0.0] * K
    for k in range(K):
        if degenerate[k]:
            d = known.dists[choice[k]]
            dists[k] = d if exact else as_float(d)
            costs[k] = to_python(known.costs[choice[k]])
    status, solved_exact = "optimal", exact
    if groups:
        lp, e_w = mixture_program(y, W, p, groups, known, choice, exact)
        sol = solve_lp(lp, solver, options, what="nature's reply to the mixture", exact=exact)
        status, solved_exact = sol.status, sol.exact
        for g, members in enumerate(groups):
            base = g * (n + 1)
            F = np.array(sol.x[base : base + n], dtype=object if sol.exact else float)
            c = sol.x[base + n]
            if sol.exact:
                c = unscaled(c, e_w, True)
            else:
                F = np.clip(F, 0.0, None)
                F = F / F.sum()
                c = float(unscaled(max(0.0, float(c)), e_w, False))
            for k in members:
                dists[k], costs[k] = F, c
    if not solved_exact:
        dists = [as_float(np.asarray(d)) for d in dists]
        costs = [float(c) for c in costs]
    return MixtureReply(
        dists=dists,
        costs=costs,
        added=[not d for d in degenerate],
        known_choice=[choice[k] if degenerate[k] else None for k in range(K)],
        known_values=known_values,
        groups=groups,
        exact=solved_exact,
        status=status,
    )


def mixture_program(
    y: np.ndarray,
    W: np.ndarray,
    p: np.ndarray,
    groups: list[list[int]],
    known: Technology,
    choice: list[int],
    exact: bool,
) -> tuple[LinearProgram, int]:
    r"""Nature's LP for the eligible ``groups`` (variables ``F_g`` then ``c_g`` per group).

    The program is normalised: payments, costs and the known utilities :math:`V_g` are divided by
    :math:`2^{e_w}`, the power of 2 nearest the largest payment of the groups (their largest
    :math:`|V_g|` if they pay nothing), the objective by the power of 2 nearest its largest
    coefficient. Returns the program and :math:`e_w`: the costs of its solution are in units of
    :math:`2^{e_w}`, its probabilities need no scaling.
    """
    n = y.size
    reps = [g[0] for g in groups]
    dists, known_costs = known.dists, known.costs
    if not exact:
        dists, known_costs = as_float(dists), as_float(known_costs)
    top = max(W[k].max() for k in reps)
    if top == 0:  # zero contracts only (eligible: no known action is free): the costs' scale
        top = max(known_costs[choice[k]] for k in reps)
    e_w = exponent(top)
    objectives = []
    for members in groups:
        objective = p[members[0]] * (y - W[members[0]])
        for k in members[1:]:
            objective = objective + p[k] * (y - W[k])
        objectives.append(objective)
    e_t = exponent(max(max(abs(v) for v in row) for row in objectives))
    num: Any = (lambda v: v) if exact else float
    lp = LinearProgram.empty(len(groups) * (n + 1), lower=Fraction(0) if exact else 0.0)
    one = num(Fraction(1))
    zero = num(Fraction(0))
    payments = [scaled(W[k], e_w, exact) for k in reps]
    for g, k in enumerate(reps):
        base = g * (n + 1)
        objective = scaled(objectives[g], e_t, exact)
        for j in range(n):
            lp.cost[base + j] = num(objective[j])
        lp.cost[base + n] = zero
        lp.add({base + j: one for j in range(n)}, one, equality=True)
        w = payments[g]
        # V_g computed in the normalised units (no underflow for tiny payments)
        V = dists[choice[k]] @ w - scaled(known_costs[choice[k]], e_w, exact)
        own = {base + j: num(w[j]) for j in range(n) if w[j] != 0}
        own[base + n] = -one
        if exact or np.isfinite(V):  # -inf: every cost beyond the float range, no constraint
            lp.add(own, num(V))
        for h in range(len(groups)):
            if h == g:
                continue
            other = h * (n + 1)
            row = dict(own)
            for j in range(n):
                if w[j] != 0:
                    row[other + j] = -num(w[j])
            row[other + n] = one
            lp.add(row, zero)
    return lp, e_w


def mean_to_dist(y: np.ndarray, m: Number) -> np.ndarray:
    """Return a distribution on ``y`` with mean ``m`` (at most two adjacent support points)."""
    exact = y.dtype == object and isinstance(m, Fraction)
    yy = y if exact else as_float(y)
    if not exact:
        m = min(max(float(m), float(yy[0])), float(yy[-1]))
    n = yy.size
    dist = np.array([Fraction(0)] * n, dtype=object) if exact else np.zeros(n)
    if exact:  # compared exactly, at any magnitude
        j = bisect.bisect_right(yy.tolist(), m) - 1
    else:
        j = int(np.searchsorted(yy, float(m), side="right")) - 1
    j = min(max(j, 0), n - 1)
    if yy[j] == m or j == n - 1:
        dist[j] = Fraction(1) if exact else 1.0
        return dist
    q = (m - yy[j]) / (yy[j + 1] - yy[j])
    dist[j], dist[j + 1] = 1 - q, q
    return dist


@dataclass(frozen=True)
class LinearKnown:
    r"""The known actions under each slope of :math:`\alpha (y - y_0)`, in normalised units.

    The means, costs, utilities, ``lo`` and ``hi`` are divided by :math:`2^e` (``exponent``), the
    power of 2 nearest the largest output above the origin (the largest cost if every output
    equals the origin); exact data are scaled exactly.

    Attributes
    ----------
    exponent : int
        :math:`e`.
    mu, cost : numpy.ndarray
        Per known action: :math:`(E_a[y] - y_0) 2^{-e}` and :math:`c_a 2^{-e}` (``inf`` for a
        cost beyond the float range in these units: such an action is never chosen).
    lo, hi : Fraction or float
        :math:`(y_{lo} - y_0) 2^{-e}` and :math:`(y_{hi} - y_0) 2^{-e}`.
    V : numpy.ndarray
        Per slope, the best known utility (``-inf`` when every cost is beyond the float range).
    choice : list of int
        Per slope, the known action the agent takes (agent-optimal, ties to the principal).
    degenerate : list of bool
        Per slope, whether the chosen action's utility reaches the top payment
        :math:`\alpha\, hi`.
    exact : bool
        True for exact data (compared exactly).
    """

    exponent: int
    mu: np.ndarray
    cost: np.ndarray
    lo: Any
    hi: Any
    V: np.ndarray
    choice: list[int]
    degenerate: list[bool]
    exact: bool


def linear_known(alphas: np.ndarray, known: Technology, origin: Number, exact: bool) -> LinearKnown:
    r"""Return the known actions' utilities, choices and degenerate flags for every slope.

    For floats, the rule of :mod:`contracts.agent` on each contract's own payments and costs:
    utilities :math:`u_a = \alpha \mu_a - c_a` tie within ``TIE_RTOL`` times the larger of
    :math:`\alpha \mu_a + c_a` and :math:`\alpha \mu_b + c_b`; the contract is degenerate when
    the chosen utility reaches :math:`\alpha\, hi` within ``TIE_RTOL`` times the larger of
    :math:`\alpha\, hi` and the chosen :math:`\alpha \mu_a + c_a`. The means are computed from
    the shifted outputs :math:`y - y_0` (no cancellation against :math:`y_0`).
    """
    a = alphas
    if exact:
        shifted = known.outputs - origin
        costs = known.costs
        e = exponent(shifted[-1] if shifted[-1] > 0 else max(costs))
        x = scaled(shifted, e, True)
        mu = known.dists @ x
        cost = scaled(costs, e, True)
        util = np.multiply.outer(a, mu) - cost
        V = util.max(axis=1)
        choice, degenerate = [], []
        for k in range(a.size):
            tied = np.flatnonzero(util[k] == V[k])
            key = (1 - a[k]) * mu[tied] if a[k] != 1 else mu[tied]
            i = int(tied[np.argmax(key)])
            choice.append(i)
            degenerate.append(bool(util[k, i] >= a[k] * x[-1]))
        return LinearKnown(e, mu, cost, x[0], x[-1], V, choice, degenerate, True)
    shifted = as_float(known.outputs) - float(origin)
    costs = as_float(known.costs)
    e = binary_exponent(shifted[-1] if shifted[-1] > 0 else costs.max())
    x = np.ldexp(shifted, -e)
    mu = as_float(known.dists) @ x
    with np.errstate(over="ignore"):
        cost = np.ldexp(costs, -e)
    pay = np.multiply.outer(a, mu)
    util = pay - cost
    size = pay + cost  # the scale of each utility
    V = util.max(axis=1)
    s_top = np.where(util == V[:, None], size, 0.0).max(axis=1)
    tied = np.isfinite(util) & (V[:, None] - util <= TIE_RTOL * np.maximum(size, s_top[:, None]))
    key = np.where(a[:, None] < 1, (1 - a)[:, None] * mu, mu)
    rows = np.arange(a.size)
    chosen = np.where(tied, key, -np.inf).argmax(axis=1)
    u = util[rows, chosen]
    top = a * x[-1]
    degenerate = np.isfinite(u) & (top - u <= TIE_RTOL * np.maximum(top, size[rows, chosen]))
    return LinearKnown(
        exponent=e,
        mu=mu,
        cost=cost,
        lo=float(x[0]),
        hi=float(x[-1]),
        V=V,
        choice=[int(i) for i in chosen],
        degenerate=[bool(d) for d in degenerate],
        exact=False,
    )


@dataclass(frozen=True)
class LinearReply:
    """Nature's reply on a grid of slopes: the chosen means (shifted by the origin) and costs."""

    means: np.ndarray  # m_k - origin, per slope
    costs: list[Number]
    utilities: list[Number]
    known_values: list[Number]
    known_choice: list[int | None]
    objective: Number  # sum of omega_k (m_k - origin)
    exact: bool
    status: str


def linear_program(
    alphas: np.ndarray, omega: np.ndarray, lk: LinearKnown, E: list[int]
) -> LinearProgram:
    """Nature's LP for the eligible slopes ``E``: variables ``U_i, m_i`` per slope, normalised.

    ``lk`` holds the normalised known data; the objective ``omega`` is divided by the power of 2
    nearest its largest entry (it does not change the solution).
    """
    exact = lk.exact
    a = alphas
    e_o = exponent(max(abs(omega[k]) for k in E))
    om = [scaled(omega[k], e_o, exact) for k in E]
    one: Any = Fraction(1) if exact else 1.0
    zero: Any = Fraction(0) if exact else 0.0
    lp = LinearProgram.empty(2 * len(E))
    for i, k in enumerate(E):
        u, m = 2 * i, 2 * i + 1
        lp.lower[m], lp.upper[m] = lk.lo, lk.hi
        lp.cost[m] = om[i] if exact else float(om[i])
        if exact or np.isfinite(lk.V[k]):  # -inf: every cost beyond the float range
            lp.add({u: one}, lk.V[k] if exact else float(lk.V[k]))
        lp.add({m: a[k], u: -one}, zero)
        if i + 1 < len(E):
            d = a[E[i + 1]] - a[k]
            u2, m2 = u + 2, m + 2
            lp.add({u2: one, u: -one, m: -d}, zero)
            lp.add({u: one, u2: -one, m2: d}, zero)
    return lp


def linear_reply(
    alphas: np.ndarray,
    omega: np.ndarray,
    known: Technology,
    origin: Number,
    *,
    solver: str,
    options: dict[str, Any] | None,
    exact: bool,
) -> LinearReply:
    """Minimise ``sum(omega * (m - origin))`` over nature's replies to the slopes ``alphas``."""
    exact = bool(exact and known.exact and alphas.dtype == object and omega.dtype == object)
    exact = exact and isinstance(origin, Fraction)
    if exact:
        a, om = alphas, omega
        zero: Any = Fraction(0)
        means_known = known.dists @ (known.outputs - origin)
        costs_known = known.costs
    else:
        a, om = as_float(alphas), as_float(omega)
        zero = 0.0
        means_known = as_float(known.dists) @ (as_float(known.outputs) - float(origin))
        costs_known = as_float(known.costs)
    # V_A of each slope as reported (in the caller's units)
    reported = (np.multiply.outer(a, means_known) - costs_known).max(axis=1)
    lk = linear_known(a, known, origin, exact)
    K = a.size
    means = np.empty(K, dtype=object if exact else float)
    costs: list[Number] = [zero] * K
    utilities: list[Number] = [zero] * K
    choice: list[int | None] = [None] * K
    for k in range(K):
        if lk.degenerate[k]:
            i = lk.choice[k]
            choice[k] = i
            means[k] = means_known[i]
            costs[k] = to_python(known.costs[i])
            utilities[k] = to_python(reported[k])
    E = [k for k in range(K) if not lk.degenerate[k]]
    status, solved_exact = "optimal", exact
    if E:
        lp = linear_program(a, om, lk, E)
        sol = solve_lp(lp, solver, options, what="nature's reply to the slopes", exact=exact)
        status, solved_exact = sol.status, sol.exact
        for i, k in enumerate(E):
            u_val, m_val = sol.x[2 * i], sol.x[2 * i + 1]
            if sol.exact:
                c = a[k] * m_val - u_val
            else:
                m_val = min(max(float(m_val), float(lk.lo)), float(lk.hi))
                u_val = float(u_val)
                c = max(0.0, float(a[k]) * m_val - u_val)
            means[k] = unscaled(m_val, lk.exponent, sol.exact)
            utilities[k] = unscaled(u_val, lk.exponent, sol.exact)
            costs[k] = unscaled(c, lk.exponent, sol.exact)
    if not solved_exact:
        means = as_float(np.asarray(means, dtype=object if exact else float))
        costs = [float(c) for c in costs]
        utilities = [float(u) for u in utilities]
        om = as_float(om)
    objective = to_python(np.dot(om, means)) if solved_exact else float(np.dot(om, means))
    return LinearReply(
        means=means,
        costs=costs,
        utilities=utilities,
        known_values=[to_python(v) for v in reported],
        known_choice=choice,
        objective=objective,
        exact=solved_exact,
        status=status,
    )


def slater_actions(
    y: np.ndarray,
    payments: list[np.ndarray],
    values: list[Number],
    actions: list[tuple[np.ndarray, Number]],
    weights: list[Number],
    groups: list[list[int]],
) -> list[tuple[np.ndarray, Number, np.ndarray, Number]]:
    r"""Return, per group of contracts, nature's action and a strictly preferred one.

    ``groups`` lists the contracts (indices into ``payments``) that differ by a constant, as
    nature's program grouped them. For each group the returned tuple is ``(F, c, F0, c0)``:
    ``(F, c)`` is the member's action best for nature (all members' actions tie under every
    member's contract, so the agent would take any of them); ``(F0, c0)`` is a point where every
    incentive constraint holds strictly and the cost is positive, so that
    :math:`(1 - \varepsilon)(F, c) + \varepsilon (F_0, c_0)` is strictly preferred by the
    agent under every member's contract to every known action and every other group's action.

    Construction: :math:`x^a_g = (\delta_{\arg\max w_g}, \bar c)` with
    :math:`\bar c = \tfrac12 \min_g (\max w_g - V_g) > 0` satisfies the known constraints
    strictly and the cross ones weakly; :math:`x^b_g = (u + \eta P w_g, \eta \lVert P w_g
    \rVert^2 / 2)` (:math:`u` uniform, :math:`P` removes the mean) satisfies the cross ones
    strictly, by :math:`\eta \lVert P w_g - P w_h \rVert^2 / 2 > 0`; a mixture with a small
    enough weight :math:`\theta` on :math:`x^b` does both. The step
    :math:`\eta = 1 / (2 n \max_{g, y} |P w_g(y)|)` keeps :math:`F \ge 1 / (2n)` and is in units
    of the payments, so the strict margins scale with the payments, whatever their magnitude.
    """
    exact = all(w.dtype == object for w in payments) and all(
        isinstance(v, Fraction) for v in values
    )
    num: Any = Fraction if exact else float
    yy = y if exact else as_float(y)
    reps: list[tuple[np.ndarray, Number, np.ndarray, Number]] = []
    n = y.size
    picked: list[tuple[np.ndarray, Number]] = []
    for g in groups:

        def loss(i: int, members: list[int] = g) -> Any:
            F = actions[i][0]
            return sum(weights[k] * (F @ (yy - payments[k])) for k in members)

        best = min(g, key=loss)
        picked.append(actions[best])
    slack = min(num(payments[g[0]].max() - values[g[0]]) for g in groups)
    c_bar = slack / 2
    theta: Any = 0
    xb: list[tuple[np.ndarray, Any]] = []
    if len(groups) > 1:
        projected = [payments[g[0]] - num(sum(payments[g[0]])) / n for g in groups]
        top = max(max(abs(v) for v in pw) for pw in projected)  # > 0: the groups differ
        eta = num(1) / (2 * n * num(top))
        for pw in projected:
            F = np.array([num(1) / n + eta * v for v in pw], dtype=object if exact else float)
            xb.append((F, eta * num(sum(v * v for v in pw)) / 2))
        worst = max(
            num(values[g[0]]) - (xb[i][0] @ payments[g[0]] - xb[i][1]) for i, g in enumerate(groups)
        )
        theta = num(1) / 2 if worst <= 0 else (slack / 2) / (2 * (slack / 2 + worst))
    for i, g in enumerate(groups):
        w = payments[g[0]]
        top_index = int(np.argmax(as_float(w)))
        Fa = np.array([num(0)] * n, dtype=object if exact else float)
        Fa[top_index] = num(1)
        if xb:
            F0 = (1 - theta) * Fa + theta * xb[i][0]
            c0 = (1 - theta) * c_bar + theta * xb[i][1]
        else:
            F0, c0 = Fa, c_bar
        reps.append((picked[i][0], picked[i][1], F0, c0))
    return reps
