r"""Carroll's improvement step on signals: an affine contract that guarantees at least as much.

**Improvement.** With :math:`\lambda` the multiplier of the agent's constraint and :math:`s \in
\partial b(m^*)` read off the KKT conditions of nature's problem
(:mod:`contracts.signals.worstcase`), :math:`(1+\lambda) w(z) \le (p + \lambda s) \cdot z +
\text{const}`, so the affine contract :math:`\alpha \cdot z + \beta` with :math:`\alpha = (p +
\lambda s)/(1+\lambda)` dominates :math:`w` and guarantees at least as much; lowering
:math:`\beta` to :math:`-\min_Z \alpha \cdot z` (limited liability) gains one-for-one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._html import HtmlRepr
from .._numbers import fmt, frozen
from ..costs import CostBound
from .technology import AffineSignalContract, SignalTechnology
from .worstcase import SignalWorstCase, worst_case_signals

__all__ = ["SignalImprovement", "improve_signals"]


@dataclass(frozen=True, eq=False)
class SignalImprovement(HtmlRepr):
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

    >>> from contracts import Action, SignalTechnology
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
