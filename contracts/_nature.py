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
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ._exact_lp import LinearProgram, solve_lp
from ._numbers import Number, as_float, to_python
from .agent import agent_utilities, choose, scaled_utilities
from .model import Technology
from .tolerances import TIE_RTOL

__all__ = [
    "LinearReply",
    "MixtureReply",
    "linear_reply",
    "mean_to_dist",
    "mixture_reply",
    "slater_actions",
]


@dataclass(frozen=True)
class MixtureReply:
    """Nature's reply to a finite mixture: per contract, the action the agent takes."""

    dists: list[np.ndarray]
    costs: list[Number]
    added: list[bool]
    known_choice: list[int | None]
    known_values: list[Number]
    exact: bool
    status: str


def _same_shape(a: np.ndarray, b: np.ndarray, tol: float | int) -> bool:
    """Return True when two payment vectors differ by a constant (within ``tol``)."""
    d = (a - a[0]) - (b - b[0])
    if d.dtype == object and tol == 0:
        return all(v == 0 for v in d)
    return bool(np.max(np.abs(as_float(d))) <= tol)


def _groups(W: np.ndarray, eligible: list[int], tol: float | int) -> list[list[int]]:
    groups: list[list[int]] = []
    for k in eligible:
        for g in groups:
            if _same_shape(W[k], W[g[0]], tol):
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
    scale = max(1.0, float(np.max(np.abs(as_float(W)))), float(as_float(y)[-1]))
    groups = _groups(W, eligible, 0 if exact else TIE_RTOL * scale)
    dists: list[np.ndarray] = [np.empty(0)] * K
    costs: list[Number] = [0.0] * K
    for k in range(K):
        if degenerate[k]:
            d = known.dists[choice[k]]
            dists[k] = d if exact else as_float(d)
            costs[k] = to_python(known.costs[choice[k]])
    status, solved_exact = "optimal", exact
    if groups:
        lp = mixture_program(y, W, p, groups, known_values, exact)
        sol = solve_lp(lp, solver, options, what="nature's reply to the mixture", exact=exact)
        status, solved_exact = sol.status, sol.exact
        for g, members in enumerate(groups):
            base = g * (n + 1)
            F = np.array(sol.x[base : base + n], dtype=object if sol.exact else float)
            if not sol.exact:
                F = np.clip(F, 0.0, None)
                F = F / F.sum()
            c = sol.x[base + n]
            c = c if sol.exact else max(0.0, float(c))
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
        exact=solved_exact,
        status=status,
    )


def mixture_program(
    y: np.ndarray,
    W: np.ndarray,
    p: np.ndarray,
    groups: list[list[int]],
    V: list[Number],
    exact: bool,
) -> LinearProgram:
    """Nature's LP for the eligible ``groups`` (variables ``F_g`` then ``c_g`` per group)."""
    n = y.size
    num: Any = (lambda v: v) if exact else float
    lp = LinearProgram.empty(len(groups) * (n + 1), lower=Fraction(0) if exact else 0.0)
    one = num(Fraction(1))
    for g, members in enumerate(groups):
        base = g * (n + 1)
        objective = p[members[0]] * (y - W[members[0]])
        for k in members[1:]:
            objective = objective + p[k] * (y - W[k])
        for j in range(n):
            lp.cost[base + j] = num(objective[j])
        lp.cost[base + n] = num(Fraction(0))
        lp.add({base + j: one for j in range(n)}, one, equality=True)
        w = W[members[0]]
        own = {base + j: num(w[j]) for j in range(n) if w[j] != 0}
        own[base + n] = -one
        lp.add(own, num(V[members[0]]))
        for h in range(len(groups)):
            if h == g:
                continue
            other = h * (n + 1)
            row = dict(own)
            for j in range(n):
                if w[j] != 0:
                    row[other + j] = -num(w[j])
            row[other + n] = one
            lp.add(row, num(Fraction(0)))
    return lp


def mean_to_dist(y: np.ndarray, m: Number) -> np.ndarray:
    """Return a distribution on ``y`` with mean ``m`` (at most two adjacent support points)."""
    exact = y.dtype == object and isinstance(m, Fraction)
    yy = y if exact else as_float(y)
    if not exact:
        m = min(max(float(m), float(yy[0])), float(yy[-1]))
    n = yy.size
    dist = np.array([Fraction(0)] * n, dtype=object) if exact else np.zeros(n)
    j = int(np.searchsorted(as_float(yy), float(m), side="right")) - 1
    j = min(max(j, 0), n - 1)
    while exact and j > 0 and yy[j] > m:
        j -= 1
    while exact and j + 1 < n and yy[j + 1] <= m:
        j += 1
    if yy[j] == m or j == n - 1:
        dist[j] = Fraction(1) if exact else 1.0
        return dist
    q = (m - yy[j]) / (yy[j + 1] - yy[j])
    dist[j], dist[j + 1] = 1 - q, q
    return dist


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
    y = known.outputs
    exact = bool(exact and known.exact and alphas.dtype == object and omega.dtype == object)
    exact = exact and isinstance(origin, Fraction)
    if exact:
        mu = (known.dists @ y) - origin
        cost = known.costs
        lo, hi = y[0] - origin, y[-1] - origin
        a, om = alphas, omega
        zero: Any = Fraction(0)
        tol: Any = 0
    else:
        mu = as_float(known.dists) @ as_float(y) - float(origin)
        cost = as_float(known.costs)
        lo, hi = float(y[0]) - float(origin), float(y[-1]) - float(origin)
        a, om = as_float(alphas), as_float(omega)
        zero = 0.0
        tol = TIE_RTOL * max(1.0, float(as_float(y)[-1]), float(cost.max()))
    K = a.size
    util = np.multiply.outer(a, mu) - cost  # (K, actions)
    V = util.max(axis=1)
    degenerate = [bool(V[k] >= a[k] * hi - tol) for k in range(K)]
    means = np.empty(K, dtype=object if exact else float)
    costs: list[Number] = [zero] * K
    utilities: list[Number] = [zero] * K
    choice: list[int | None] = [None] * K
    for k in range(K):
        if degenerate[k]:
            tied = np.flatnonzero(util[k] >= V[k] - tol)
            i = int(tied[np.argmax((1 - a[k]) * mu[tied] if a[k] != 1 else mu[tied])])
            choice[k] = i
            means[k] = mu[i]
            costs[k] = to_python(cost[i])
            utilities[k] = to_python(V[k])
    E = [k for k in range(K) if not degenerate[k]]
    status, solved_exact = "optimal", exact
    if E:
        lp = LinearProgram.empty(2 * len(E))
        one = Fraction(1) if exact else 1.0
        for i, k in enumerate(E):
            u, m = 2 * i, 2 * i + 1
            lp.lower[m], lp.upper[m] = lo, hi
            lp.cost[m] = om[k]
            lp.add({u: one}, V[k])
            lp.add({m: a[k], u: -one}, zero)
            if i + 1 < len(E):
                k2 = E[i + 1]
                d = a[k2] - a[k]
                u2, m2 = u + 2, m + 2
                lp.add({u2: one, u: -one, m: -d}, zero)
                lp.add({u: one, u2: -one, m2: d}, zero)
        if not exact:
            lp.cost = [float(c) for c in lp.cost]
        sol = solve_lp(lp, solver, options, what="nature's reply to the slopes", exact=exact)
        status, solved_exact = sol.status, sol.exact
        for i, k in enumerate(E):
            u_val, m_val = sol.x[2 * i], sol.x[2 * i + 1]
            if not sol.exact:
                m_val = min(max(float(m_val), float(lo)), float(hi))
                u_val = float(u_val)
            means[k] = m_val
            utilities[k] = u_val
            c = a[k] * m_val - u_val
            costs[k] = c if sol.exact else max(0.0, float(c))
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
        known_values=[to_python(v) for v in V],
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
) -> list[tuple[np.ndarray, Number, np.ndarray, Number]]:
    r"""Group eligible contracts and return, per group, nature's action and a strict one.

    For each group (contracts differing by a constant) the returned tuple is ``(F, c, F0, c0)``:
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
    enough weight :math:`\theta` on :math:`x^b` does both.
    """
    exact = all(w.dtype == object for w in payments) and all(
        isinstance(v, Fraction) for v in values
    )
    num: Any = Fraction if exact else float
    scale = max(
        [1.0, float(as_float(y)[-1])] + [float(np.max(np.abs(as_float(w)))) for w in payments]
    )
    tol = 0 if exact else TIE_RTOL * scale
    stacked = np.array(payments, dtype=object if exact else float)
    groups = _groups(stacked, list(range(len(payments))), tol)
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
        top = max(max(abs(v) for v in pw) for pw in projected)
        eta = num(1) / (2 * n * (num(top) + 1))
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
