r"""Carroll's improvement step: from any contract to an affine, then a linear one that does better.

Let :math:`L = V_P(w)` with multiplier :math:`\lambda \ge 0` (see :mod:`contracts.worstcase`).
Every point lies above the supporting line: :math:`y - w(y) \ge L + \lambda (w(y) - V_A)`.
Rearranged,

.. math::

    w(y) \le \alpha y + \beta, \qquad \alpha = \frac{1}{1+\lambda} \in (0, 1], \qquad
    \beta = \frac{\lambda V_A - L}{1 + \lambda},

so the affine contract :math:`w' = \alpha y + \beta` dominates :math:`w` pointwise, and
:math:`V_P(w) \le V_P(w')` (nature's constraint only gets harder). For an affine contract
:math:`\beta` cancels from nature's constraint and costs the principal one-for-one, so lowering it
until the payment at the lowest output is zero gives the linear contract :math:`\alpha (y - y_0)`
with :math:`V_P(\text{linear}) = V_P(w') + \alpha y_0 + \beta \ge V_P(w')` (:math:`\alpha y_0 +
\beta \ge w(y_0) \ge 0`). Chain: :math:`V_P(w) \le V_P(w') \le V_P(\text{linear}) \le V^*`.

At a kink (the adversary puts all its mass on one point) any multiplier in
``WorstCase.multiplier_range`` gives a valid line: we try both ends and keep the one whose linear
contract guarantees more. In the degenerate case (:math:`V_A = \max w`) the line is vertical
(:math:`\lambda = \infty`): the constant contract :math:`\max w` dominates :math:`w`, and the zero
contract improves on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ._html import HtmlRepr
from ._numbers import Number, as_float, fmt, to_python
from .contract import AffineContract, AnyContract, LinearContract
from .model import Technology
from .worstcase import WorstCase, worst_case

__all__ = ["Improvement", "improve"]


@dataclass(frozen=True, eq=False)
class Improvement(HtmlRepr):
    r"""An affine and a linear contract that guarantee at least as much as the original.

    Attributes
    ----------
    affine : AffineContract
        :math:`\alpha y + \beta`, pointwise at least the original contract on the grid.
    linear : LinearContract
        :math:`\alpha (y - y_0)`: the affine contract with its base payment removed.
    multiplier : Fraction or float
        The :math:`\lambda` used (``math.inf`` in the degenerate case).
    original_value, affine_value, linear_value : Fraction or float
        :math:`V_P` of the three contracts; ``original_value <= affine_value <= linear_value``.
    worst_case : WorstCase
        The original contract's worst case, the evidence the line comes from.
    """

    contract: Any = field(repr=False)
    affine: AffineContract
    linear: LinearContract
    multiplier: Number
    original_value: Number
    affine_value: Number
    linear_value: Number
    worst_case: WorstCase = field(repr=False)

    @property
    def gain(self) -> Number:
        """``linear_value - original_value`` (never negative)."""
        return self.linear_value - self.original_value

    def __repr__(self) -> str:
        return (
            f"Improvement(affine={self.affine!r}, linear={self.linear!r},\n"
            f"            multiplier={fmt(self.multiplier)}, "
            f"original_value={fmt(self.original_value)}, "
            f"affine_value={fmt(self.affine_value)}, linear_value={fmt(self.linear_value)})"
        )


def _line(wc: WorstCase, lam: Number) -> tuple[Number, Number]:
    """Return (alpha, beta) of the supporting line with multiplier ``lam``."""
    V, L = wc.agent_value, wc.value
    return 1 / (1 + lam), (lam * V - L) / (1 + lam)


def improve(contract: AnyContract, known: Technology, method: str = "exact") -> Improvement:
    """Return Carroll's affine and linear improvements of ``contract``, with their guarantees.

    Parameters
    ----------
    contract : Contract, LinearContract or AffineContract
        Any limited-liability contract on ``known``'s grid.
    known : Technology
        The known actions.
    method : {"exact", "lp"}
        How the worst cases are computed (see :func:`~contracts.worstcase.worst_case`).

    Returns
    -------
    Improvement
        The affine and linear contracts, the multiplier and the three worst-case values.

    Examples
    --------
    A bonus of 1 from output 2 on, one known action uniform on {1, 2, 3} at cost 1/2. The
    adversary mixes outputs 0 and 2 on the hull edge of slope 1, so alpha = 1/2:

    >>> from fractions import Fraction as F
    >>> from contracts import Technology, Contract
    >>> known = Technology.from_arrays([0, 1, 2, 3], [[0, F(1, 3), F(1, 3), F(1, 3)]], [F(1, 2)])
    >>> improve(Contract([0, 1, 2, 3], [0, 0, 1, 1]), known)
    Improvement(affine=AffineContract(alpha=1/2, beta=0), linear=LinearContract(alpha=1/2),
                multiplier=1, original_value=1/6, affine_value=1/2, linear_value=1/2)
    """
    wc = worst_case(contract, known, method=method)
    w = wc.contract.payments
    y = known.outputs
    y0 = to_python(y[0])
    exact = wc.contract.exact and known.exact and method == "exact"
    candidates: list[tuple[Number, Number, Number]]  # (multiplier, alpha, beta)
    if wc.degenerate:
        wmax = to_python(w.max()) if exact else float(as_float(w, "the contract's payments").max())
        zero = Fraction(0) if exact else 0.0
        candidates = [(math.inf, zero, wmax)]
    else:
        assert wc.multiplier_range is not None
        lams = dict.fromkeys(wc.multiplier_range)  # one or two distinct multipliers
        if any(math.isinf(lam) for lam in lams):
            raise ValueError(
                "the supporting line's slope (the multiplier) overflows float64: the contract's "
                f"payments are too small (the largest is {float(as_float(w).max()):.3g}) for a "
                "float improvement; scale payments and costs up, or pass exact numbers"
            )
        candidates = [(lam, *_line(wc, lam)) for lam in lams]
        if not exact:  # the line dominates w at the lowest output: re-impose it against rounding
            candidates = [
                (lam, a, max(b, float(w[0]) - a * float(y[0]))) for lam, a, b in candidates
            ]
    best: tuple[Any, ...] | None = None
    for lam, alpha, beta in candidates:
        affine = AffineContract(alpha, beta)
        linear = LinearContract(alpha, origin=y0)
        affine_value = worst_case(affine, known, method=method).value
        linear_value = worst_case(linear, known, method=method).value
        if best is None or linear_value > best[4]:
            best = (lam, affine, linear, affine_value, linear_value)
    assert best is not None
    lam, affine, linear, affine_value, linear_value = best
    return Improvement(
        contract=wc.contract,
        affine=affine,
        linear=linear,
        multiplier=lam,
        original_value=wc.value,
        affine_value=affine_value,
        linear_value=linear_value,
        worst_case=wc,
    )
