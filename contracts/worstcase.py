r"""The principal's worst-case payoff of any contract against every technology containing the known one.

Definitions (Carroll 2015). For a contract :math:`w` and the known actions :math:`A_0`,

.. math::

    V_A(w \mid A_0) = \max_{(F,c) \in A_0} E_F[w] - c, \qquad
    V_P(w) = \inf_{A \supseteq A_0} V_P(w \mid A).

**The lemma we compute** (derived in the explanation, :ref:`contracts-worst-case`). Let
:math:`V = V_A(w \mid A_0)` and :math:`t(y) = y - w(y)`. Nature's cheapest deviation is a new
action :math:`(G, 0)`, so whenever :math:`V < \max_Y w` (the *eligible* case)

.. math:: V_P(w) = L(w) = \min \{ E_G[t] : G \in \Delta(Y),\; E_G[w] \ge V \}.

The infimum is usually **not attained**: nature needs the agent to *strictly* prefer its action, so
it tilts the minimiser :math:`G^*` by :math:`\varepsilon` toward :math:`\arg\max w`;
:meth:`WorstCase.witness` builds that technology so the claim can be checked by simulation.

**Degenerate case** :math:`V = \max_Y w` (the agent's best known action costs 0 and puts all its
mass on :math:`\arg\max w`): nature can only create ties, ties go to the principal, so
:math:`V_P(w) = V_P(w \mid A_0) \ge L(w)`, attained by the known technology itself.

**Geometry** (``method="exact"``). :math:`(E_G[w], E_G[t])` ranges over the convex hull of the
points :math:`(w(y), t(y))`, so :math:`L(w) = \min_{x \ge V} \varphi(x)` with :math:`\varphi` the
lower convex hull. If the lowest point pays at least :math:`V` the constraint is slack
(multiplier :math:`\lambda = 0`, a one-point adversary); otherwise :math:`L = \varphi(V)` on the hull
edge straddling :math:`V` (the *bridge*), whose slope is the multiplier :math:`\lambda` and whose
endpoints carry the two-point adversary. We find the bridge without sorting, by alternating
tangents (:mod:`contracts._solvers`): a few O(n) vectorised passes, exact Fractions for exact
inputs.

``method="lp"`` solves the same linear program with cvxpy (HiGHS by default) as a second
algorithm; the two agree to solver precision.

Tolerances (float inputs, :mod:`contracts.tolerances`): the degenerate case is detected when
:math:`\max w - V \le` ``TIE_RTOL`` times the scale of payments and costs (never of outputs),
the agent's ties are judged as in :mod:`contracts.agent`, and attainment within ``TIE_RTOL``
(``SOLVER_RTOL`` for ``method="lp"``) of each compared quantity's own scale. The computation runs on
payments and costs scaled by a power of 2 (exact), so payments of :math:`10^{-300}` give the same
decisions as payments of 1.
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ._cvx import check_solver
from ._html import HtmlRepr
from ._numbers import Number, as_float, common, fmt, frozen, to_python
from ._solvers import solve_bridge, solve_lp
from .agent import Utilities, agent_utilities, choose, scaled_utilities
from .contract import AnyContract, on_grid
from .model import Action, Technology
from .tolerances import SOLVER_RTOL, TIE_RTOL

__all__ = ["DEFAULT_LP_SOLVER", "OutputDistribution", "WorstCase", "worst_case"]

#: cvxpy solver used by ``method="lp"`` unless ``solver=`` says otherwise.
DEFAULT_LP_SOLVER = "HIGHS"


class OutputDistribution(Mapping[Number, Number]):
    """A distribution on an output grid, read by output: ``dist[30]`` is the probability of 30.

    A read-only mapping ``{output: probability}`` whose keys are the *support* (the outputs of
    positive probability, in grid order), which is also what it prints; an output of the grid
    outside the support has probability 0 (``dist[y]`` returns 0, ``y in dist`` is False), and a
    value that is not on the grid raises ``KeyError``. The positional array (one probability per
    grid output, read-only) is :attr:`array`, and ``numpy.asarray(dist)`` gives it too.

    Examples
    --------
    >>> import numpy as np
    >>> from fractions import Fraction as F
    >>> d = OutputDistribution([0, 10, 20, 30], np.array([0, F(19, 20), 0, F(1, 20)], dtype=object))
    >>> d
    {10: 19/20, 30: 1/20}
    >>> print(d[30], d[20], *d)
    1/20 0 10 30
    >>> d.array.tolist()
    [0, Fraction(19, 20), 0, Fraction(1, 20)]
    """

    __slots__ = ("_array", "_index", "_outputs")

    def __init__(self, outputs: Any, probabilities: np.ndarray) -> None:
        y = [to_python(v) for v in outputs]
        if len(y) != len(probabilities):
            raise ValueError(
                f"{len(probabilities)} probabilities for an output grid of {len(y)} outputs"
            )
        self._outputs = tuple(y)
        self._index = {v: i for i, v in enumerate(y)}
        self._array = frozen(np.array(probabilities, copy=True))

    @property
    def array(self) -> np.ndarray:
        """The probabilities in grid order, one per output (read-only)."""
        return self._array

    @property
    def outputs(self) -> tuple[Number, ...]:
        """The output grid the distribution is on."""
        return self._outputs

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if dtype is None and not copy:
            return self._array
        return np.array(self._array, dtype=dtype, copy=True)

    def __getitem__(self, output: Any) -> Number:
        try:
            i = self._index[output]
        except (KeyError, TypeError):
            raise KeyError(
                f"{output!r} is not an output of the grid {list(self._outputs)}"
            ) from None
        return to_python(self._array[i])

    def __contains__(self, output: object) -> bool:
        i = self._index.get(output) if isinstance(output, int | float | Fraction) else None
        return i is not None and bool(self._array[i] != 0)

    def __iter__(self) -> Iterator[Number]:
        return (self._outputs[i] for i in np.flatnonzero(self._array))

    def __len__(self) -> int:
        return int(np.count_nonzero(self._array))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, OutputDistribution):
            return self._outputs == other._outputs and bool(
                np.array_equal(self._array, other._array)
            )
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{fmt(k)}: {fmt(v)}" for k, v in self.items()) + "}"


@dataclass(frozen=True, eq=False)
class WorstCase(HtmlRepr):
    r"""The worst-case payoff of a contract, with the evidence behind it.

    Attributes
    ----------
    value : Fraction or float
        :math:`V_P(w)`, the infimum over every technology containing ``known`` of the principal's
        payoff (ties to the principal).
    agent_value : Fraction or float
        :math:`V_A(w \mid A_0)`, the agent's best utility among the known actions.
    adversary : OutputDistribution
        A worst-case output distribution over ``known.outputs``, read by output:
        ``wc.adversary[30]`` is the probability of output 30 (0 off the support), and it prints
        as its support ``{output: probability}``. The positional array, one probability per
        output as in earlier versions, is ``wc.adversary.array``. In the eligible case
        it has at most two support points and satisfies :math:`E[w] \ge V_A`, :math:`E[y - w] =`
        ``value``. In the degenerate case it is the distribution of the known action the agent
        takes.
    attained : bool
        True when some technology containing ``known`` gives exactly ``value``; False when
        ``value`` is only approached (see :meth:`witness`).
    degenerate : bool
        True when :math:`V_A(w \mid A_0) = \max w`: the value is then :math:`V_P(w \mid A_0)`,
        not :math:`L(w)`.
    multiplier : Fraction, float or None
        :math:`\lambda \ge 0`, the multiplier of :math:`E_G[w] \ge V_A`: the slope of the
        supporting line :math:`y - w(y) \ge` ``value`` :math:`+ \lambda (w(y) - V_A)` of every
        point. At a kink it is the largest valid one. None in the degenerate case; ``inf`` when
        it exceeds the float range (payments near the float underflow limit, about 1e-308).
    multiplier_range : tuple or None
        All valid multipliers, ``(low, high)``. None in the degenerate case.
    method : str
        ``"exact"`` or ``"lp"``.
    solver : str or None
        The cvxpy solver for ``method="lp"``.
    contract : Contract
        The contract on the known grid (not shown in ``repr``).
    known : Technology
        The known technology (not shown in ``repr``).
    """

    value: Number
    agent_value: Number
    adversary: OutputDistribution
    attained: bool
    degenerate: bool
    multiplier: Number | None
    multiplier_range: tuple[Number, Number] | None
    method: str
    solver: str | None
    contract: Any = field(repr=False)
    known: Technology = field(repr=False)

    @property
    def support(self) -> dict[Number, Number]:
        """The adversary as a plain ``dict`` ``{output: probability}`` over its support."""
        return dict(self.adversary.items())

    def witness(self, eps: float | Fraction) -> Technology:
        r"""Return ``known`` plus one action whose best response gives ``value + O(eps)``.

        The added action is :math:`((1-\varepsilon) G^* + \varepsilon \delta_{y^*}, 0)` with
        :math:`y^* \in \arg\max w` (lowest :math:`y - w(y)` among ties): the agent strictly
        prefers it (its utility exceeds
        :math:`V_A` by :math:`\varepsilon (\max w - V_A)`), and the principal gets
        :math:`(1-\varepsilon)\,` ``value`` :math:`+ \varepsilon\,(y^* - w(y^*))`. Check the claim
        with ``best_response(contract, wc.witness(eps)).principal_value``. In the degenerate case
        the known technology itself attains the value and is returned unchanged.

        Parameters
        ----------
        eps : float or Fraction
            Tilt, ``0 < eps <= 1``. For float inputs keep ``eps`` well above the tie tolerance
            (``1e-12`` relative), or the agent's strict preference drowns in rounding.
        """
        if not (0 < eps <= 1):
            raise ValueError(f"eps = {eps!r} must satisfy 0 < eps <= 1")
        if self.degenerate:
            return self.known
        y, w = common(self.known.outputs, self.contract.payments)
        top_set = np.flatnonzero(w == w.max())
        t = y[top_set] - w[top_set]
        top = int(top_set[np.argmin(t)])  # argmax w, the principal's worst among ties
        g = self.adversary.array
        e: Number
        if g.dtype == object and isinstance(eps, int | Fraction):
            e = Fraction(eps)
            dist = g * (1 - e)
        else:
            e = float(eps)
            dist = as_float(g) * (1 - e)
        dist = np.array(dist, copy=True)
        dist[top] = dist[top] + e
        return self.known.with_action(Action(dist, 0 if g.dtype == object else 0.0))

    def __repr__(self) -> str:
        support = ", ".join(f"{fmt(k)}: {fmt(v)}" for k, v in self.adversary.items())
        if self.multiplier is None:
            lam = "None"
        elif self.multiplier_range and self.multiplier_range[0] != self.multiplier_range[1]:
            lo, hi = self.multiplier_range
            lam = f"{fmt(self.multiplier)} (any in [{fmt(lo)}, {fmt(hi)}])"
        else:
            lam = fmt(self.multiplier)
        solver = f", solver={self.solver!r}" if self.solver else ""
        return (
            f"WorstCase(value={fmt(self.value)}, agent_value={fmt(self.agent_value)}, "
            f"attained={self.attained}, degenerate={self.degenerate},\n"
            f"          adversary={{{support}}}, multiplier={lam}, "
            f"method={self.method!r}{solver})"
        )


def worst_case(
    contract: AnyContract,
    known: Technology,
    method: str = "exact",
    solver: str | None = None,
    solver_options: dict[str, Any] | None = None,
) -> WorstCase:
    """Return the principal's worst-case payoff :math:`V_P(w)` over all technologies containing ``known``.

    Parameters
    ----------
    contract : Contract, LinearContract or AffineContract
        Any limited-liability contract (a :class:`Contract` must be on ``known``'s grid).
    known : Technology
        The actions the principal knows the agent has (:math:`A_0`, non-empty).
    method : {"exact", "lp"}
        ``"exact"``: the lower-hull bridge over :math:`V_A`, a few O(n) passes, exact Fractions
        for exact inputs.
        ``"lp"``: the same linear program solved by cvxpy (float64).
    solver : str, optional
        cvxpy solver for ``method="lp"`` (default ``"HIGHS"``).
    solver_options : dict, optional
        Keyword options passed to the solver.

    Returns
    -------
    WorstCase
        The value, the agent's value, the adversary distribution, whether the infimum is attained,
        the degenerate flag, the multiplier and :meth:`WorstCase.witness`.

    Raises
    ------
    ValueError
        Bad input (see :class:`Contract`, :class:`Technology`), an unknown ``method``, a
        ``solver`` that is not an installed cvxpy solver (:class:`~contracts.errors.UnknownSolverError`),
        or, for ``method="lp"``, exact inputs beyond the float64 range.
    SolverFailedError
        If the LP solver fails (never for ``method="exact"``).

    Examples
    --------
    A bonus of 1 from output 2 on, with one known action (uniform on {1, 2, 3} at cost 1/2). The
    agent's known utility is 2/3 - 1/2 = 1/6; nature mixes outputs 0 and 2 so that the bonus is
    paid with probability 1/6 and the principal keeps 2 - 1 = 1 in that event only:

    >>> from fractions import Fraction as F
    >>> from contracts import Technology, Contract
    >>> known = Technology.from_arrays([0, 1, 2, 3], [[0, F(1, 3), F(1, 3), F(1, 3)]], [F(1, 2)])
    >>> bonus = Contract([0, 1, 2, 3], [0, 0, 1, 1])
    >>> wc = worst_case(bonus, known)
    >>> wc
    WorstCase(value=1/6, agent_value=1/6, attained=False, degenerate=False,
              adversary={0: 5/6, 2: 1/6}, multiplier=1, method='exact')
    >>> from contracts import best_response
    >>> best_response(bonus, wc.witness(F(1, 100))).principal_value  # (99/100)(1/6) + 1/100
    Fraction(7, 40)
    """  # noqa: E501
    if method not in ("exact", "lp"):
        raise ValueError(f"method must be 'exact' or 'lp', got {method!r}")
    if not isinstance(known, Technology):
        raise TypeError(f"known must be a Technology, got {type(known).__name__}")
    if solver is not None and method != "lp":
        raise ValueError("solver= applies to method='lp' only")
    if method == "lp":
        check_solver(solver or DEFAULT_LP_SOLVER)
    contract = on_grid(contract, known.outputs)
    names = ("the known outputs", "the contract's payments")
    y, w = common(known.outputs, contract.payments, names=names)
    if method == "lp":
        y, w = as_float(y, names[0]), as_float(w, names[1])
    agent, principal = agent_utilities(w, known)
    utilities = scaled_utilities(w, known.dists, known.costs)
    chosen, _ = choose(utilities, principal)
    V = agent[chosen]
    common_fields: dict[str, Any] = {
        "agent_value": to_python(V),
        "method": method,
        "solver": (solver or DEFAULT_LP_SOLVER) if method == "lp" else None,
        "contract": contract,
        "known": known,
    }
    if utilities.reaches_top_payment(chosen):
        adversary = known.dists[chosen]
        adversary = np.array(adversary if w.dtype == object else as_float(adversary), copy=True)
        return WorstCase(
            value=to_python(principal[chosen]),
            adversary=OutputDistribution(known.outputs, adversary),
            attained=True,
            degenerate=True,
            multiplier=None,
            multiplier_range=None,
            **common_fields,
        )
    # nature's problem on the scaled payments x = w 2^-e (exact: x = w) and t = y - w
    x, Vx, t = utilities.payments, utilities.values[chosen], y - w
    if method == "exact":
        L, adversary, low, high = solve_bridge(y, x, Vx, t)
    else:
        L, adversary, low, high = solve_lp(
            y, x, float(Vx), solver or DEFAULT_LP_SOLVER, solver_options, t
        )
    if not utilities.exact:  # multipliers per unit of x: back to d(y - w) / dw (inf beyond range)
        with np.errstate(over="ignore"):
            low, high = np.ldexp([low, high], -utilities.exponent).tolist()
    if utilities.exact:
        attained = bool(np.any((t == L) & (x > Vx))) or principal[chosen] == L
    else:
        size = y + w  # the scale of t = y - w at each output (both are >= 0)
        known_payoff = (principal[chosen], as_float(known.dists[chosen]) @ size)
        attained = _attained(t, x, Vx, L, adversary, known_payoff, utilities, chosen, size, method)
    return WorstCase(
        value=to_python(L),
        adversary=OutputDistribution(known.outputs, adversary),
        attained=attained,
        degenerate=False,
        multiplier=to_python(high),
        multiplier_range=(to_python(low), to_python(high)),
        **common_fields,
    )


def _attained(
    t: np.ndarray,
    x: np.ndarray,
    V: Any,
    L: Any,
    adversary: np.ndarray,
    known: tuple[Any, Any],
    utilities: Utilities,
    chosen: int,
    size: np.ndarray,
    method: str,
) -> bool:
    """Whether some technology containing the known one gives exactly ``L``.

    True iff a point with ``t = L`` pays strictly more than ``V`` (nature's action is then
    strictly preferred without tilting), or the known technology already gives ``L`` (``known`` is
    its value and that value's scale). For float inputs (exact ones compare exactly), within
    ``TIE_RTOL`` (``SOLVER_RTOL`` for an LP) of each quantity's scale: ``size = y + w`` at each
    output for the principal's payoffs, the payments and the chosen action's :math:`E[x] + c` for
    the agent's.
    """
    known_value, known_scale = known
    rtol = TIE_RTOL if method == "exact" else SOLVER_RTOL
    assert utilities.scales is not None  # float inputs
    scale_L = float(np.max(size[np.flatnonzero(adversary)]))
    if abs(known_value - L) <= rtol * max(scale_L, float(known_scale)):
        return True
    # the points on the value: a coarse pass with the largest tolerance, then each point's own
    slack = t - L
    near = np.flatnonzero(slack <= rtol * max(float(size.max()), scale_L))
    near = near[slack[near] <= rtol * np.maximum(size[near], scale_L)]
    xs = x[near]
    return bool(np.any(xs - V > rtol * np.maximum(xs, utilities.scales[chosen])))
