r"""How much the best linear contract loses against the optimal one, for a known technology.

The *approximation ratio* of linear contracts on a technology is

.. math:: \rho = \frac{\text{OPT}}{\text{LIN}}, \qquad
    \text{OPT} = \max_i \big(R_i - \text{MIN-PAY}(i)\big), \quad
    \text{LIN} = \max_{\alpha \in [0, 1]} V_P(\alpha (y - y_0) \mid A),

with :func:`~contracts.known.optimal_contract` (one MIN-PAY LP per action) and
:func:`~contracts.known.best_linear_known` (the critical values). Dütting, Roughgarden and
Talgam-Cohen (EC 2019) prove :math:`\rho \le n` for :math:`n` actions, tight by their
equal-revenue instances (:mod:`contracts.families`); with :math:`m` outputs and the lowest one 0,
:math:`\rho \le m - 1` (so linear contracts are optimal with two outputs). Linear contracts here
pay :math:`\alpha (y - y_0)`, a share of output above the lowest; with :math:`y_0 = 0` that is
their :math:`\alpha y`, and with :math:`y_0 > 0` it is weakly better (the agent's choice is the
same, the principal keeps :math:`\alpha y_0` more), so both bounds hold:
:math:`\rho \le \max(1, \min(n, m - 1))`. The property tests check them on random and on
adversarially searched technologies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from ._html import HtmlRepr
from ._numbers import Number, fmt
from .known import KnownLinear, KnownOptimum, best_linear_known, optimal_contract
from .model import Technology

__all__ = ["ApproximationRatio", "approximation_ratio"]


@dataclass(frozen=True, eq=False)
class ApproximationRatio(HtmlRepr):
    r"""The optimal contract's payoff over the best linear contract's, with both behind it.

    Attributes
    ----------
    ratio : Fraction or float
        ``optimum / linear``: a Fraction when both are exact; 1 when both are 0 (nothing to
        gain); ``float("inf")`` if only the linear payoff is 0 (impossible by the bound, kept
        so that a violation would show rather than crash).
    optimum : Fraction or float
        The known-technology optimum (:func:`~contracts.known.optimal_contract`).
    linear : Fraction or float
        The best linear contract's payoff (:func:`~contracts.known.best_linear_known`).
    bound : int
        :math:`\max(1, \min(n, m - 1))`: the ratio never exceeds it.
    exact : bool
        True when the ratio is an exact Fraction (exact inputs and an exactly recovered LP).
    """

    ratio: Number
    optimum: Number
    linear: Number
    bound: int
    exact: bool
    optimal: KnownOptimum = field(repr=False)
    best_linear: KnownLinear = field(repr=False)

    def __repr__(self) -> str:
        return (
            f"ApproximationRatio(ratio={fmt(self.ratio)}, optimum={fmt(self.optimum)}, "
            f"linear={fmt(self.linear)}, bound={self.bound}, exact={self.exact})"
        )


def approximation_ratio(technology: Technology, solver: str | None = None) -> ApproximationRatio:
    r"""Return the known-technology optimum over the best linear contract's payoff.

    Parameters
    ----------
    technology : Technology
        Every action the agent has.
    solver : str, optional
        cvxpy solver for the MIN-PAY LPs (default HiGHS).

    Returns
    -------
    ApproximationRatio
        Exact (a Fraction) for exact inputs whenever the LP optimum is recovered exactly.

    Examples
    --------
    The equal-revenue technology with :math:`n = 4`, :math:`\gamma = 1/10`: ratio
    :math:`4 - 3/10`:

    >>> from fractions import Fraction as F
    >>> from contracts.families import equal_revenue
    >>> approximation_ratio(equal_revenue(4, F(1, 10)))
    ApproximationRatio(ratio=37/10, optimum=37/10, linear=1, bound=4, exact=True)
    """
    if not isinstance(technology, Technology):
        raise TypeError(f"technology must be a Technology, got {type(technology).__name__}")
    optimal = optimal_contract(technology, solver=solver)
    linear = best_linear_known(technology)
    opt, lin = optimal.value, linear.value
    exact = isinstance(opt, Fraction) and isinstance(lin, Fraction)
    ratio: Number
    if lin > 0:
        ratio = opt / lin if exact else float(opt) / float(lin)
    elif opt <= lin:
        ratio = Fraction(1) if exact else 1.0
    else:
        ratio, exact = float("inf"), False
    n, m = len(technology), technology.outputs.size
    return ApproximationRatio(
        ratio=ratio,
        optimum=opt,
        linear=lin,
        bound=max(1, min(n, m - 1)),
        exact=exact,
        optimal=optimal,
        best_linear=linear,
    )
