r"""The agent's best response to a contract within a known, full technology.

Given a contract :math:`w` and a technology :math:`A`, the agent picks an action in

.. math:: A^*(w \mid A) = \arg\max_{(F, c) \in A} \; E_F[w(y)] - c,

and ties are broken in the principal's favour (Carroll's convention): among the agent-optimal
actions the principal gets :math:`V_P(w \mid A) = \max_{(F,c) \in A^*} E_F[y - w(y)]`.

For float inputs, two agent utilities are tied when they differ by at most
``TIE_RTOL * scale`` with ``scale = max(1, max |y|, max w, max c)``; exact inputs use exact
equality.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._numbers import Number, common, fmt, to_python
from .contract import AnyContract, payments_on
from .model import Technology

__all__ = ["TIE_RTOL", "BestResponse", "agent_utilities", "best_response", "choose"]

#: Relative tolerance under which two float values count as tied: the agent's utilities here
#: (times ``scale``), the one-action optima of :func:`contracts.linear.optimal_linear` (times the
#: largest, at least 1) and the agent's utilities on signals (:mod:`contracts.signals`). The one
#: tie tolerance of the package; exact inputs are compared exactly.
TIE_RTOL = 1e-12


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
    y, dists, costs, w = common(technology.outputs, technology.dists, technology.costs, w)
    return dists @ w - costs, dists @ (y - w)


def tie_tolerance(w: np.ndarray, technology: Technology) -> float | int:
    """Absolute tie tolerance for float utilities (the integer 0 for exact inputs)."""
    if w.dtype == object and technology.exact:
        return 0
    # outputs, payments and costs are all >= 0 (validated), so their maxima are their scales
    scale = max(1.0, float(technology.outputs[-1]), float(w.max()), float(technology.costs.max()))
    return TIE_RTOL * scale


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
    choice, tied = choose(agent, principal, tie_tolerance(w, technology))
    return BestResponse(
        action=choice,
        agent_value=to_python(agent[choice]),
        principal_value=to_python(principal[choice]),
        tied=tied,
    )


def choose(
    agent: np.ndarray, principal: np.ndarray, tol: float | int
) -> tuple[int, tuple[int, ...]]:
    """Return (chosen action, agent-optimal actions): ties within ``tol`` go to the principal."""
    tied = np.flatnonzero(agent >= agent.max() - tol)
    return int(tied[np.argmax(principal[tied])]), tuple(int(i) for i in tied)
