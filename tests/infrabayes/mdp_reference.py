"""Brute force for robust MDPs, sharing no code with infrabayes.sequential.

A model here is plain Python: ``states`` and ``actions`` lists, ``rewards[(s, a)]``,
``credal[(s, a)]`` either ``("interval", {next: (lo, hi)})`` or ``("vertices", [{next: p}])``,
and a discount. Vertices of interval sets are enumerated from the definition of a vertex of
``{p : lo <= p <= hi, sum p = 1}``: all coordinates but at most one at a bound. Values of a
fixed policy and kernel are solved by Gauss-Jordan elimination in Fractions (or floats).
"""

import itertools
from fractions import Fraction


def interval_vertices(bounds, states):
    """Every vertex of {p : lo <= p <= hi, sum p = 1}, as dicts, by the bound enumeration."""
    free = [x for x in states if bounds.get(x, (0, 0))[0] != bounds.get(x, (0, 0))[1]]
    fixed = {x: bounds.get(x, (0, 0))[0] for x in states if x not in free}
    found = []
    if not free:
        return [dict(fixed)]
    for j in free:
        others = [x for x in free if x != j]
        for choice in itertools.product((0, 1), repeat=len(others)):
            p = dict(fixed)
            for x, c in zip(others, choice, strict=True):
                p[x] = bounds[x][c]
            p[j] = 1 - sum(p.values())
            lo, hi = bounds[j]
            if lo <= p[j] <= hi and p not in found:
                found.append(p)
    return found


def vertices(credal, states):
    kind, data = credal
    if kind == "interval":
        return interval_vertices(data, states)
    return [{x: v.get(x, 0) for x in states} for v in data]


def solve_linear(matrix, rhs):
    """Gauss-Jordan elimination (works for Fractions and floats)."""
    n = len(rhs)
    a = [[*row, rhs[i]] for i, row in enumerate(matrix)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(a[r][c]))
        a[c], a[p] = a[p], a[c]
        piv = a[c][c]
        a[c] = [v / piv for v in a[c]]
        for r in range(n):
            if r != c and a[r][c] != 0:
                f = a[r][c]
                a[r] = [v - f * w for v, w in zip(a[r], a[c], strict=True)]
    return [a[i][n] for i in range(n)]


def policy_kernel_value(states, policy, kernel, rewards, gamma):
    """V = (I - gamma P_pi)^(-1) r_pi for a policy {s: a} and kernel {(s, a): {next: p}}."""
    idx = {s: i for i, s in enumerate(states)}
    n = len(states)
    one = Fraction(1) if isinstance(gamma, Fraction) else 1.0
    matrix = [[one * (i == j) for j in range(n)] for i in range(n)]
    rhs = []
    for s in states:
        a = policy[s]
        for x, p in kernel[(s, a)].items():
            matrix[idx[s]][idx[x]] -= gamma * p
        rhs.append(rewards[(s, a)] * one)
    return dict(zip(states, solve_linear(matrix, rhs), strict=True))


def policies(states, actions_of):
    for choice in itertools.product(*(actions_of[s] for s in states)):
        yield dict(zip(states, choice, strict=True))


def robust_policy_value(states, policy, credal, rewards, gamma):
    """min over all vertex kernels (one vertex per state, for the policy's pairs), per state."""
    options = [vertices(credal[(s, policy[s])], states) for s in states]
    best = None
    for choice in itertools.product(*options):
        kernel = {(s, policy[s]): p for s, p in zip(states, choice, strict=True)}
        v = policy_kernel_value(states, policy, kernel, rewards, gamma)
        best = v if best is None else {s: min(best[s], v[s]) for s in states}
    return best


def robust_optimum(states, actions_of, credal, rewards, gamma):
    """Return (V*, {policy tuple: robust value dict}) by brute force over policies and kernels."""
    table = {}
    best = None
    for policy in policies(states, actions_of):
        v = robust_policy_value(states, policy, credal, rewards, gamma)
        table[tuple(policy[s] for s in states)] = v
        best = v if best is None else {s: max(best[s], v[s]) for s in states}
    return best, table


def plain(mdp):
    """The reference's plain-Python description of an InfraMDP (read back through its API)."""
    states = list(mdp.states)
    actions_of = {s: list(mdp.available(s)) for s in states}
    credal, rewards = {}, {}
    for s in states:
        for a in actions_of[s]:
            c = mdp.credal_set(s, a)
            credal[(s, a)] = ("interval", c) if isinstance(c, dict) else ("vertices", c)
            i, j = mdp.states.index(s), mdp.actions.index(a)
            rewards[(s, a)] = mdp.model.rewards[i, j]
    return states, actions_of, credal, rewards
