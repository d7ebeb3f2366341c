r"""The worst case of a randomised contract: nature knows the lottery, not the draw.

The principal commits to a lottery :math:`G` over contracts. Nature, knowing :math:`G` but not
the draw, chooses a technology :math:`A \supseteq A_0`; then the contract is drawn and the agent
best-responds to it in :math:`A` (ties to the principal). The guarantee of :math:`G` is

.. math:: V_P(G) = \inf_{A \supseteq A_0} \; E_{w \sim G} \, V_P(w \mid A).

**The linear program** (finite :math:`G = \sum_k p_k \delta_{w_k}`). Let
:math:`V_k = V_A(w_k \mid A_0)`.

1. *Degenerate contracts* (:math:`V_k = \max_Y w_k`, as in :func:`contracts.worst_case`): no
   action can make the agent strictly better off, the known tied actions stay optimal, and the
   principal gets at least :math:`V_P(w_k \mid A_0)`. Set them aside with that payoff.
2. *One added action per contract suffices.* In any :math:`A` let :math:`(F_k, c_k)` be the
   action the agent takes under :math:`w_k` (a known one or not). Removing the actions nobody
   takes changes no choice. Contracts that differ by a constant rank all actions alike, for the
   agent and for the principal, so they share one action: group them.
3. *The constraints are linear.* :math:`(F_k, c_k)` is optimal under :math:`w_k`, so
   :math:`F_k \cdot w_k - c_k \ge V_k` (the known actions) and
   :math:`F_k \cdot w_k - c_k \ge F_j \cdot w_k - c_j` (the other chosen actions), with
   :math:`F_k \in \Delta(Y)`, :math:`c_k \ge 0`: linear in all the :math:`(F, c)` jointly.
   The principal gets :math:`\sum_k p_k F_k \cdot (y - w_k)`, also linear. So every technology
   gives at least the value :math:`L(G)` of the LP "minimise that subject to those", and
   :math:`V_P(G) \ge L(G)` (plus the degenerate contracts' constants).
4. *The infimum is the closure.* The LP's constraints are weak; ties go to the principal, so an
   optimal point need not be attained. But there is a point :math:`x^\circ` where every
   constraint holds strictly and every cost is positive (built by
   :meth:`RandomizedWorstCase.witness`), and
   :math:`(1 - \varepsilon) x^* + \varepsilon x^\circ` then makes each agent's choice strict:
   nature gets :math:`L(G) + O(\varepsilon)`. Hence :math:`V_P(G) = L(G)`. For one contract
   this is the worst-case lemma: :math:`c = 0` and :math:`F \cdot w \ge V`.

The program has :math:`K (n + 1)` variables and :math:`K^2` constraints for :math:`K` groups on
:math:`n` outputs; HiGHS solves it, and for exact inputs the vertex is recovered in Fractions
and certified by an exact dual (:mod:`contracts._exact_lp`).

**Linear contracts** :math:`\alpha_k (y - y_0)` depend on an action only through its mean
:math:`m`, and the incentive constraints between sorted slopes reduce to adjacent ones: a
program in :math:`2K` variables (:mod:`contracts._nature`), used for a discrete
:class:`~contracts.mixture.RandomizedContract`.

**A continuous CDF** :math:`\Phi` is computed on a grid :math:`0 = a_0 < \dots < a_N = 1`
(``grid`` cells plus the CDF's own breakpoints). In every technology the chosen mean
:math:`m(\alpha)` is non-decreasing in :math:`\alpha` (ties to the principal pick the largest),
so on a cell :math:`(a_k, a_{k+1}]` the payoff :math:`(1 - \alpha) (m(\alpha) - y_0)` lies
between :math:`(1 - a_{k+1}) (m(a_k) - y_0)` and :math:`(1 - a_k) (m(a_{k+1}) - y_0)`. Two LPs
on the grid give a certified **lower bound** (reported as ``value``) and an **upper bound** (a
technology that achieves it), and the gap is at most
:math:`(y_{hi} - y_0)(\max_k (a_{k+1} - a_k) + \max_k \Phi\text{-mass of a cell})`.

Examples
--------
A lottery that beats every deterministic contract. One known action: output 4 for sure at
cost 1, so Carroll's optimum is :math:`y/2`, worth :math:`(2 - 1)^2 = 1`; alone,
:math:`\tfrac38 y` guarantees :math:`\tfrac58 (4 - \tfrac83) = \tfrac56` and
:math:`\tfrac58 y` guarantees :math:`\tfrac38 (4 - \tfrac85) = \tfrac9{10}`. Against the
lottery that draws either with probability 1/2, nature's two replies get in each other's way:
"mean 12/5 at cost 0", the reply to :math:`\tfrac58 y`, is also taken under
:math:`\tfrac38 y` (utility :math:`\tfrac9{10} > \tfrac12`), where it leaves the principal
:math:`\tfrac58 \cdot \tfrac{12}5 = \tfrac32` (total :math:`\tfrac65`). Nature does better
with only "mean 4/3 at cost 0" against :math:`\tfrac38 y`; under :math:`\tfrac58 y` the agent
then keeps the known action (utility :math:`\tfrac32 > \tfrac56`), and the principal gets
:math:`\tfrac12 \cdot \tfrac56 + \tfrac12 \cdot \tfrac38 \cdot 4 = \tfrac76 > 1`:

>>> from fractions import Fraction as F
>>> from contracts import Technology, RandomizedContract
>>> known = Technology.from_arrays([0, 1, 2, 3, 4], [[0, 0, 0, 0, 1]], [1])
>>> worst_case_randomized(RandomizedContract([F(3, 8), F(5, 8)], [F(1, 2), F(1, 2)]), known).value
Fraction(7, 6)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ._html import HtmlRepr
from ._nature import linear_reply, mean_to_dist, mixture_reply, slater_actions
from ._numbers import Number, as_float, fmt, frozen, to_python
from .contract import LinearContract, payments_on
from .mixture import ContractMixture, RandomizedContract
from .model import Action, Technology

__all__ = ["DEFAULT_GRID", "DEFAULT_SOLVER", "RandomizedWorstCase", "worst_case_randomized"]

#: cvxpy solver for nature's linear programs unless ``solver=`` says otherwise.
DEFAULT_SOLVER = "HIGHS"

#: Grid cells on [0, 1] for a continuous distribution of slopes.
DEFAULT_GRID = 1000

#: Contracts tabulated in ``repr`` before it summarises.
_MAX_ROWS = 12


@dataclass(frozen=True, eq=False)
class RandomizedWorstCase(HtmlRepr):
    r"""The guarantee of a randomised contract, with nature's reply as the evidence.

    Attributes
    ----------
    value : Fraction or float
        :math:`V_P(G)`, the infimum over technologies containing ``known`` of the principal's
        expected payoff. For a continuous distribution: a certified lower bound (see ``upper``).
    upper : Fraction or float
        ``value`` for a finite lottery; for a continuous one, the payoff of a technology nature
        can choose, so :math:`V_P(G) \in` [``value``, ``upper``].
    contracts : tuple
        One label per contract of the lottery (``"w0"``, ...; ``"alpha=1/2"`` for linear ones;
        grid slopes for a continuous distribution).
    weights : numpy.ndarray
        The lottery's weights. For a continuous distribution: the mass of each grid cell
        :math:`(a_{k-1}, a_k]`, attached to its right end :math:`a_k` (:math:`a_0 = 0` carries
        the atom at 0).
    payoffs : numpy.ndarray
        The principal's payoff under each contract in nature's (limit) technology.
    agent_values : numpy.ndarray
        The agent's utility under each contract there.
    known_values : numpy.ndarray
        :math:`V_A(w_k \mid A_0)`, the agent's best utility among the known actions.
    actions : tuple
        Per contract, the action the agent takes in nature's technology: an
        :class:`~contracts.model.Action` (added by nature, or a known action nature makes him
        keep), or None for a degenerate contract (the known action in ``known_choice``).
    known_choice : tuple
        Per contract, the known action taken (degenerate contracts), else None.
    groups : tuple of tuple of int
        The eligible (not degenerate) contracts, grouped: contracts that differ by a constant
        rank every action alike and share one action of nature's; each group is a tuple of
        contract indices (singletons for linear contracts, whose slopes differ, unless there is
        only one output).
    exact : bool
        True when every number is an exact Fraction (exact inputs, certified LP vertex).
    status : str
        The solver's status (``"optimal"``; ``"optimal_inaccurate"`` also warns).
    method : str
        ``"mixture-lp"`` (any contracts), ``"linear-lp"`` (a discrete distribution of slopes) or
        ``"linear-lp-bounds"`` (a continuous one, on a grid).
    solver : str or None
        The cvxpy solver (None when no program was needed: every contract degenerate).
    grid : int or None
        Grid cells, for a continuous distribution.
    """

    value: Number
    upper: Number
    contracts: tuple[str, ...]
    weights: np.ndarray
    payoffs: np.ndarray
    agent_values: np.ndarray
    known_values: np.ndarray
    actions: tuple[Action | None, ...]
    known_choice: tuple[int | None, ...]
    groups: tuple[tuple[int, ...], ...]
    exact: bool
    status: str
    method: str
    solver: str | None
    grid: int | None
    known: Technology = field(repr=False)
    payments: np.ndarray = field(repr=False)

    @property
    def added(self) -> tuple[Action, ...]:
        """Nature's distinct added actions (the evidence, known actions left out), in order."""
        seen: list[Action] = []
        for a in self.actions:
            if a is None or self._known_index(a) is not None:
                continue
            if all(a != b for b in seen):
                seen.append(a)
        return tuple(seen)

    def _known_index(self, action: Action) -> int | None:
        for i, b in enumerate(self.known.actions):
            if action.cost == b.cost and np.array_equal(action.dist, b.dist):
                return i
        return None

    @property
    def technology(self) -> Technology:
        """The known actions plus nature's: the limit technology (ties there favour the principal)."""  # noqa: E501
        return Technology(self.known.outputs, (*self.known.actions, *self.added))

    def witness(self, eps: Fraction | float) -> Technology:
        r"""Return a technology containing ``known`` whose payoff is within :math:`O(\varepsilon)` of ``upper``.

        Nature's actions :math:`x^*` are mixed with a point :math:`x^\circ` where every
        incentive constraint holds strictly and every cost is positive
        (``contracts._nature.slater_actions``): :math:`(1 - \varepsilon) x^* +
        \varepsilon x^\circ`. The agent then *strictly* prefers, under each eligible contract,
        nature's action to every other, and under a degenerate contract keeps a known one, so
        the principal's payoff is :math:`(1 - \varepsilon)` ``upper`` :math:`+ \varepsilon P^\circ`
        for a constant :math:`P^\circ`. Check it with :func:`contracts.best_response` under each
        contract.

        Parameters
        ----------
        eps : Fraction or float
            :math:`0 < \varepsilon \le 1`. Exact results with a Fraction give an exact witness.
        """  # noqa: E501
        if not 0 < eps <= 1:
            raise ValueError(f"eps = {eps!r} must satisfy 0 < eps <= 1")
        eligible = [k for k, a in enumerate(self.actions) if a is not None]
        if not eligible:
            return self.known
        exact = self.exact and isinstance(eps, int | Fraction)
        e: Any = Fraction(eps) if exact else float(eps)
        y = self.known.outputs if exact else as_float(self.known.outputs)
        conv = (lambda v: v) if exact else float
        payments = [
            self.payments[k] if exact else as_float(np.asarray(self.payments[k])) for k in eligible
        ]
        actions = []
        for k in eligible:
            a = self.actions[k]
            assert a is not None
            actions.append((a.dist if exact else as_float(a.dist), conv(a.cost)))
        position = {k: i for i, k in enumerate(eligible)}
        reps = slater_actions(
            y,
            payments,
            [conv(self.known_values[k]) for k in eligible],
            actions,
            [conv(self.weights[k]) for k in eligible],
            [[position[k] for k in g] for g in self.groups],
        )
        added = [Action((1 - e) * F + e * F0, (1 - e) * c + e * c0) for F, c, F0, c0 in reps]
        return Technology(self.known.outputs, (*self.known.actions, *added))

    def __repr__(self) -> str:
        solver = f", solver={self.solver!r}" if self.solver else ""
        if self.method == "linear-lp-bounds":
            return (
                f"RandomizedWorstCase(value={fmt(self.value)} (lower bound), "
                f"upper={fmt(self.upper)}, grid={self.grid} cells, status={self.status!r},\n"
                f"                    method={self.method!r}{solver}; nature adds "
                f"{len(self.added)} actions)"
            )
        head = (
            f"RandomizedWorstCase(value={fmt(self.value)}, exact={self.exact}, "
            f"status={self.status!r}, method={self.method!r}{solver})"
        )
        k = len(self.contracts)
        if k > _MAX_ROWS:
            return f"{head}\n  {k} contracts; nature adds {len(self.added)} actions"
        y = self.known.outputs
        rows = [["contract", "weight", "payoff", "agent", "the agent takes"]]
        for i in range(k):
            a = self.actions[i]
            same = None if a is None else self._known_index(a)
            if a is None:
                what = f"known a{self.known_choice[i]} (degenerate)"
            elif same is not None:
                what = f"known a{same}"
            else:
                support = ", ".join(
                    f"{fmt(y[j])}: {fmt(a.dist[j])}" for j in np.flatnonzero(as_float(a.dist))
                )
                what = f"added {{{support}}}, cost {fmt(a.cost)}"
            rows.append(
                [
                    self.contracts[i],
                    fmt(self.weights[i]),
                    fmt(self.payoffs[i]),
                    fmt(self.agent_values[i]),
                    what,
                ]
            )
        return "\n".join([head, *_left_last(rows)])


def _left_last(rows: list[list[str]]) -> list[str]:
    """Lay out a table: first column left-aligned, then right-aligned, the last left-aligned."""
    cols = len(rows[0]) - 1
    widths = [max(len(r[j]) for r in rows) for j in range(cols)]
    out = []
    for r in rows:
        cells = [r[0].ljust(widths[0])] + [r[j].rjust(widths[j]) for j in range(1, cols)]
        out.append(("  " + "  ".join(cells) + "  " + r[-1]).rstrip())
    return out


def _array(values: list[Any], exact: bool) -> np.ndarray:
    if exact:
        out = np.empty(len(values), dtype=object)
        out[:] = [to_python(v) for v in values]
        return frozen(out)
    return frozen(np.array([float(v) for v in values], dtype=float))


def worst_case_randomized(
    G: ContractMixture | RandomizedContract,
    known: Technology,
    *,
    grid: int = DEFAULT_GRID,
    solver: str | None = None,
    solver_options: dict[str, Any] | None = None,
) -> RandomizedWorstCase:
    r"""Return the guarantee of the randomised contract ``G`` against every technology containing ``known``.

    Parameters
    ----------
    G : ContractMixture or RandomizedContract
        A finite lottery over any contracts, or a distribution of linear slopes (discrete, or
        continuous given by a CDF).
    known : Technology
        The known actions :math:`A_0`.
    grid : int, optional
        Grid cells on [0, 1] for a continuous ``G`` (default 1000; its breakpoints are added).
    solver : str, optional
        cvxpy solver (default ``"HIGHS"``).
    solver_options : dict, optional
        Passed to the solver.

    Returns
    -------
    RandomizedWorstCase
        The value, nature's added actions, the payoff under each contract, the status.
        Exact Fractions when ``known`` and ``G`` are exact (the LP vertex is recovered and
        certified by an exact dual; if that fails the result is float, ``exact=False``).
        Float results carry the solver's precision (HiGHS: feasibility tolerance 1e-7).

    Raises
    ------
    ValueError
        A contract not on ``known``'s outputs, a linear contract whose origin exceeds the lowest
        output, a grid of fewer than 1 cell.
    SolverFailedError
        If the solver fails.

    Examples
    --------
    The lottery of the module's example: nature's reply, then a technology that approaches it.
    Under :math:`\tfrac58 y` nature's "reply" is the known action itself (shown as such):

    >>> from fractions import Fraction as F
    >>> from contracts import Technology, RandomizedContract, LinearContract, best_response
    >>> known = Technology.from_arrays([0, 1, 2, 3, 4], [[0, 0, 0, 0, 1]], [1])
    >>> lottery = RandomizedContract([F(3, 8), F(5, 8)], [F(1, 2), F(1, 2)])
    >>> wc = worst_case_randomized(lottery, known)
    >>> wc
    RandomizedWorstCase(value=7/6, exact=True, status='optimal', method='linear-lp', solver='HIGHS')
      contract   weight  payoff  agent  the agent takes
      alpha=3/8     1/2     5/6    1/2  added {1: 2/3, 2: 1/3}, cost 0
      alpha=5/8     1/2     3/2    3/2  known a0
    >>> tech = wc.witness(F(1, 100))   # nature's actions, made strictly preferred
    >>> sum(F(1, 2) * best_response(LinearContract(a), tech).principal_value for a in lottery.slopes)
    Fraction(1113, 950)

    :math:`\tfrac{1113}{950} \approx 1.1716`, and :math:`\tfrac76 \approx 1.1667` as
    ``eps`` goes to 0. Any contracts can be mixed (:class:`~contracts.mixture.ContractMixture`):
    half a bonus of 1 from output 2 on, half :math:`y/2`, against one known action uniform on
    {1, 2, 3} at cost 1/2. Alone they guarantee 1/6 and 1/2, and the lottery their average:

    >>> from contracts import Contract, ContractMixture
    >>> known = Technology.from_arrays([0, 1, 2, 3], [[0, F(1, 3), F(1, 3), F(1, 3)]], [F(1, 2)])
    >>> bonus = Contract([0, 1, 2, 3], [0, 0, 1, 1])
    >>> worst_case_randomized(ContractMixture([F(1, 2), F(1, 2)], [bonus, LinearContract(F(1, 2))]), known)
    RandomizedWorstCase(value=1/3, exact=True, status='optimal', method='mixture-lp', solver='HIGHS')
      contract   weight  payoff  agent  the agent takes
      w0            1/2     1/6    1/6  added {0: 5/6, 2: 1/6}, cost 0
      alpha=1/2     1/2     1/2    1/2  added {0: 1/3, 1: 1/2, 3: 1/6}, cost 0
    """  # noqa: E501
    if not isinstance(known, Technology):
        raise TypeError(f"known must be a Technology, got {type(known).__name__}")
    solver_name = solver or DEFAULT_SOLVER
    if isinstance(G, ContractMixture):
        return _mixture(G, known, solver_name, solver_options)
    if isinstance(G, RandomizedContract):
        lowest = known.outputs[0]
        if G.origin > lowest:
            raise ValueError(
                f"the contracts' origin {fmt(G.origin)} exceeds the lowest output {fmt(lowest)}: "
                "alpha (y - origin) would pay a negative amount there (limited liability)"
            )
        if G.slopes is not None:
            return _discrete(G, known, solver_name, solver_options)
        if not isinstance(grid, int | np.integer) or grid < 1:
            raise ValueError(f"grid must be a positive number of cells, got {grid!r}")
        return _continuous(G, known, int(grid), solver_name, solver_options)
    raise TypeError(
        f"G must be a ContractMixture or a RandomizedContract, got {type(G).__name__}; "
        "for one contract use contracts.worst_case"
    )


def _mixture(
    G: ContractMixture, known: Technology, solver: str, options: dict[str, Any] | None
) -> RandomizedWorstCase:
    rows = [payments_on(c, known.outputs) for c in G.contracts]
    exact = known.exact and G.weights.dtype == object and all(r.dtype == object for r in rows)
    y = known.outputs if exact else as_float(known.outputs)
    W = np.array(rows, dtype=object) if exact else np.array([as_float(r) for r in rows])
    p = G.weights if exact else as_float(G.weights)
    reply = mixture_reply(y, W, p, known, solver=solver, options=options, exact=exact)
    exact = reply.exact
    if not exact:
        y, W, p = as_float(y), as_float(W), as_float(p)
    K = len(G.contracts)
    payoffs = [reply.dists[k] @ (y - W[k]) for k in range(K)]
    agent = [reply.dists[k] @ W[k] - reply.costs[k] for k in range(K)]
    value = to_python(sum((p[k] * payoffs[k] for k in range(K)), Fraction(0) if exact else 0.0))
    actions = tuple(
        Action(reply.dists[k], reply.costs[k]) if reply.added[k] else None for k in range(K)
    )
    used_lp = any(reply.added)
    return RandomizedWorstCase(
        value=value,
        upper=value,
        contracts=tuple(_label(c, k) for k, c in enumerate(G.contracts)),
        weights=frozen(np.array(p, copy=True)),
        payoffs=_array(payoffs, exact),
        agent_values=_array(agent, exact),
        known_values=_array(reply.known_values, exact),
        actions=actions,
        known_choice=tuple(reply.known_choice),
        groups=tuple(tuple(g) for g in reply.groups),
        exact=exact,
        status=reply.status,
        method="mixture-lp",
        solver=solver if used_lp else None,
        grid=None,
        known=known,
        payments=frozen(np.array(W, copy=True)),
    )


def _linear_groups(known_choice: list[int | None], outputs: int) -> tuple[tuple[int, ...], ...]:
    r"""Group the eligible slopes: each alone, or all together on a single output.

    :math:`\alpha (y - y_0)` and :math:`\alpha' (y - y_0)` differ by a constant only if
    :math:`\alpha = \alpha'` or there is one output.
    """
    eligible = tuple(k for k, c in enumerate(known_choice) if c is None)
    if outputs == 1:
        return (eligible,) if eligible else ()
    return tuple((k,) for k in eligible)


def _label(contract: Any, k: int) -> str:
    if isinstance(contract, LinearContract) and contract.origin == 0:
        return f"alpha={fmt(contract.alpha)}"
    return f"w{k}"


def _linear_payments(alphas: np.ndarray, y: np.ndarray, origin: Number) -> np.ndarray:
    return np.array([a * (y - origin) for a in alphas], dtype=y.dtype)


def _discrete(
    G: RandomizedContract, known: Technology, solver: str, options: dict[str, Any] | None
) -> RandomizedWorstCase:
    assert G.slopes is not None
    assert G.weights is not None
    alphas, p, o = G.slopes, G.weights, G.origin
    exact = known.exact and G.exact and isinstance(o, Fraction)
    if not exact:
        alphas, p, o = as_float(alphas), as_float(p), float(o)
    omega = p * (1 - alphas)
    reply = linear_reply(alphas, omega, known, o, solver=solver, options=options, exact=exact)
    exact = reply.exact
    if not exact:
        alphas, p, o = as_float(alphas), as_float(p), float(o)
    y = known.outputs if exact else as_float(known.outputs)
    K = alphas.size
    payoffs = [(1 - alphas[k]) * reply.means[k] + o for k in range(K)]
    value = to_python(sum((p[k] * payoffs[k] for k in range(K)), Fraction(0) if exact else 0.0))
    actions: list[Action | None] = []
    for k in range(K):
        if reply.known_choice[k] is not None:
            actions.append(None)
        else:
            actions.append(Action(mean_to_dist(y, reply.means[k] + o), reply.costs[k]))
    used_lp = any(a is not None for a in actions)
    origin = f" (y - {fmt(o)})" if o != 0 else ""
    return RandomizedWorstCase(
        value=value,
        upper=value,
        contracts=tuple(f"alpha={fmt(a)}{origin}" for a in alphas),
        weights=frozen(np.array(p, copy=True)),
        payoffs=_array(payoffs, exact),
        agent_values=_array(reply.utilities, exact),
        known_values=_array(reply.known_values, exact),
        actions=tuple(actions),
        known_choice=tuple(reply.known_choice),
        groups=_linear_groups(reply.known_choice, known.outputs.size),
        exact=exact,
        status=reply.status,
        method="linear-lp",
        solver=solver if used_lp else None,
        grid=None,
        known=known,
        payments=frozen(_linear_payments(alphas, y, o)),
    )


def grid_points(G: RandomizedContract, cells: int) -> np.ndarray:
    """Return the evaluation grid of a continuous ``G``: ``cells`` equal cells plus its kinks."""
    kinks = [float(v) for v in G.support]
    if G.label.startswith("piecewise"):
        kinks += [float(v) for v in G.breakpoints[0]]
    return np.union1d(np.linspace(0.0, 1.0, cells + 1), np.clip(kinks, 0.0, 1.0))


def _continuous(
    G: RandomizedContract,
    known: Technology,
    cells: int,
    solver: str,
    options: dict[str, Any] | None,
) -> RandomizedWorstCase:
    a = grid_points(G, cells)
    o = float(G.origin)
    phi = np.asarray(G.cdf(a), dtype=float)
    phi = np.maximum.accumulate(np.clip(phi, 0.0, 1.0))
    phi[-1] = 1.0
    q = np.diff(phi)  # mass of (a_k, a_{k+1}]
    lower_w = np.zeros(a.size)
    upper_w = np.zeros(a.size)
    lower_w[0] = upper_w[0] = phi[0]  # the atom at 0 pays (1 - 0) (m(0) - y0)
    lower_w[:-1] += q * (1 - a[1:])
    upper_w[1:] += q * (1 - a[:-1])
    low = linear_reply(a, lower_w, known, o, solver=solver, options=options, exact=False)
    up = linear_reply(a, upper_w, known, o, solver=solver, options=options, exact=False)
    y = as_float(known.outputs)
    payoffs = (1 - a) * as_float(up.means) + o
    actions: list[Action | None] = []
    for k in range(a.size):
        if up.known_choice[k] is not None:
            actions.append(None)
        else:
            actions.append(Action(mean_to_dist(y, float(up.means[k]) + o), float(up.costs[k])))
    status = "optimal" if {low.status, up.status} == {"optimal"} else "optimal_inaccurate"
    cell_mass = np.concatenate([[phi[0]], q])
    return RandomizedWorstCase(
        value=float(low.objective) + o,
        upper=float(up.objective) + o,
        contracts=tuple(f"alpha={v:.6g}" for v in a),
        weights=frozen(cell_mass),
        payoffs=frozen(payoffs),
        agent_values=frozen(np.array([float(u) for u in up.utilities])),
        known_values=frozen(np.array([float(v) for v in up.known_values])),
        actions=tuple(actions),
        known_choice=tuple(up.known_choice),
        groups=_linear_groups(up.known_choice, known.outputs.size),
        exact=False,
        status=status,
        method="linear-lp-bounds",
        solver=solver,
        grid=cells,
        known=known,
        payments=frozen(_linear_payments(a, y, o)),
    )
