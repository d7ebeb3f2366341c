r"""The agent's best response to a contract within a known, full technology.

Given a contract :math:`w` and a technology :math:`A`, the agent picks an action in

.. math:: A^*(w \mid A) = \arg\max_{(F, c) \in A} \; E_F[w(y)] - c,

and ties are broken in the principal's favour (Carroll's convention): among the agent-optimal
actions the principal gets :math:`V_P(w \mid A) = \max_{(F,c) \in A^*} E_F[y - w(y)]`.

Exact inputs are compared exactly. For float inputs two utilities :math:`u_a = E_a[w] - c_a` tie
when they differ by at most ``TIE_RTOL`` times the larger of :math:`E_a[w] + c_a` and
:math:`E_b[w] + c_b` (:mod:`contracts.tolerances`): the scale of payments and costs, whatever the
scale of the outputs. The comparison is made on payments and costs scaled by a power of 2 (exact),
so that tiny payments do not underflow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._numbers import Number, binary_exponent, common, fmt, to_python
from .contract import AnyContract, payments_on
from .model import Technology
from .tolerances import TIE_RTOL

__all__ = [
    "TIE_RTOL",
    "BestResponse",
    "Utilities",
    "agent_utilities",
    "best_response",
    "choose",
    "scaled_utilities",
]

#: How the arrays are named when an exact one cannot be converted to float64.
_NAMES = ("the contract's payments", "the technology's distributions", "the technology's costs")


@dataclass(frozen=True, eq=False)
class Utilities:
    r"""The agent's utilities in the units they are compared in.

    For float inputs payments and costs are divided by :math:`2^e`, the power of 2 that brings the
    largest payment into [1/2, 1) (by the costs instead when every cost exceeds every payment
    beyond the float range): exact in binary, and free of underflow for tiny payments.

    Attributes
    ----------
    payments : numpy.ndarray
        :math:`x = w \, 2^{-e}` (the payments themselves for exact inputs).
    values : numpy.ndarray
        :math:`u_a = E_a[x] - c_a 2^{-e}`; ``-inf`` for an action whose cost exceeds the largest
        payment by more than the float range (it is never chosen over a finite one).
    scales : numpy.ndarray or None
        :math:`s_a = E_a[x] + c_a 2^{-e}`, the scale of :math:`u_a` (None for exact inputs).
    exponent : int
        :math:`e` (0 for exact inputs).
    """

    payments: np.ndarray
    values: np.ndarray
    scales: np.ndarray | None
    exponent: int

    @property
    def exact(self) -> bool:
        """True for exact inputs (compared exactly)."""
        return self.scales is None

    def tied_with_best(self) -> np.ndarray:
        """Return the indices of the agent-optimal actions, ties included."""
        u = self.values
        if self.scales is None:
            return np.flatnonzero(u == u.max())
        finite = np.isfinite(u)
        top = u[finite].max()
        s_top = self.scales[u == top].max()
        return np.flatnonzero(finite & (top - u <= TIE_RTOL * np.maximum(self.scales, s_top)))

    def reaches_top_payment(self, a: int) -> bool:
        r"""Return True when action ``a``'s utility reaches the largest payment (within ties).

        This is the degenerate case of the worst case: :math:`V_A = \max w`.
        """
        u, top = self.values[a], self.payments.max()
        if self.scales is None:
            return bool(u >= top)
        return bool(np.isfinite(u) and top - u <= TIE_RTOL * max(top, self.scales[a]))


def scaled_utilities(w: np.ndarray, dists: np.ndarray, costs: np.ndarray) -> Utilities:
    """Return the agent's :class:`Utilities` for payments ``w`` (exact if all three are exact)."""
    if w.dtype == object and dists.dtype == object and costs.dtype == object:
        return Utilities(w, dists @ w - costs, None, 0)
    w, dists, costs = common(w, dists, costs, names=_NAMES)
    top, top_cost = float(w.max()), float(costs.max())
    exponent = binary_exponent(top if top > 0 else top_cost)
    if binary_exponent(top_cost) - exponent > 1023:  # a cost beyond the float range in x units
        with np.errstate(over="ignore"):
            c = np.ldexp(costs, -exponent)
        if np.isinf(c).all():  # every cost beyond every payment by 2**1024: measure in costs
            exponent = binary_exponent(top_cost)
            c = np.ldexp(costs, -exponent)
    else:
        c = np.ldexp(costs, -exponent)
    x = np.ldexp(w, -exponent)
    expected = dists @ x
    return Utilities(x, expected - c, expected + c, exponent)


@dataclass(frozen=True, eq=False)
class BestResponse:
    r"""The agent's choice in a known technology.

    Attributes
    ----------
    action : int
        Index of the chosen action (agent-optimal; the principal's favourite among ties).
    agent_value : Fraction or float
        :math:`V_A(w \mid A)`, the agent's expected payment minus cost.
    principal_value : Fraction or float
        :math:`V_P(w \mid A)`, the principal's expected output minus payment.
    tied : tuple of int
        Every agent-optimal action (ties included), in index order.
    """

    action: int
    agent_value: Number
    principal_value: Number
    tied: tuple[int, ...]

    def __repr__(self) -> str:
        return (
            f"BestResponse(action={self.action}, agent_value={fmt(self.agent_value)}, "
            f"principal_value={fmt(self.principal_value)}, tied={self.tied})"
        )


def agent_utilities(w: np.ndarray, technology: Technology) -> tuple[np.ndarray, np.ndarray]:
    """Return (agent utilities, principal payoffs) of every action for payments ``w``."""
    y, dists, costs, w = common(
        technology.outputs,
        technology.dists,
        technology.costs,
        w,
        names=("the technology's outputs", *_NAMES[1:], _NAMES[0]),
    )
    return dists @ w - costs, dists @ (y - w)


def best_response(contract: AnyContract, technology: Technology) -> BestResponse:
    """Return the agent's best response to ``contract`` in a known, full technology.

    Parameters
    ----------
    contract : Contract, LinearContract or AffineContract
        The contract; a :class:`Contract` must be on the technology's output grid.
    technology : Technology
        Every action the agent has (not just the known ones: this is the full-information
        response).

    Returns
    -------
    BestResponse
        The chosen action index, the agent's and the principal's values, and all tied actions.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from contracts import Technology, LinearContract
    >>> tech = Technology.from_arrays([0, 4], [[1, 0], [F(1, 2), F(1, 2)]], [0, 1])
    >>> best_response(LinearContract(F(1, 2)), tech)  # a tie at utility 0: the principal picks a1
    BestResponse(action=1, agent_value=0, principal_value=1, tied=(0, 1))
    """
    if not isinstance(technology, Technology):
        raise TypeError(f"technology must be a Technology, got {type(technology).__name__}")
    w = payments_on(contract, technology.outputs)
    agent, principal = agent_utilities(w, technology)
    choice, tied = choose(scaled_utilities(w, technology.dists, technology.costs), principal)
    return BestResponse(
        action=choice,
        agent_value=to_python(agent[choice]),
        principal_value=to_python(principal[choice]),
        tied=tied,
    )


def choose(utilities: Utilities, principal: np.ndarray) -> tuple[int, tuple[int, ...]]:
    """Return (chosen action, agent-optimal actions): ties go to the principal.

    Ties are judged by :meth:`Utilities.tied_with_best` (exactly, or within ``TIE_RTOL`` of the
    payments' and costs' scale); among them the principal's favourite is chosen (the first one
    if she is indifferent too).
    """
    tied = utilities.tied_with_best()
    return int(tied[np.argmax(principal[tied])]), tuple(int(i) for i in tied)
