r"""Instance families that make the approximation bounds of linear contracts tight.

Dütting, Roughgarden and Talgam-Cohen ("Simple versus Optimal Contracts", EC 2019,
arXiv:1808.03713) show that with a known technology of :math:`n` actions the best linear contract
earns at least :math:`1/n` of the optimal contract, and that no better factor holds: their
*equal-revenue* instances push the ratio to :math:`n`. The same instances, with an output 0 that
no action reaches, have :math:`m = n + 1` outputs and push the ratio to :math:`m - 1`, the bound in
the number of outputs (when the lowest output is 0).

The construction (derived here in full; checked exactly in the tests). Action :math:`i = 1..n`
produces the output :math:`\gamma^{-(i-1)}` (with probability ``success``, else 0, the output then
being scaled by ``1/success`` so the mean is unchanged) at the cost that makes every action
indifferent with the previous one at :math:`\alpha_i = 1 - \gamma^{i-1}`:

.. math::

    c_1 = 0, \qquad c_i = c_{i-1} + \alpha_i (R_i - R_{i-1})
        = \gamma^{-(i-1)} - i + (i - 1)\gamma .

At the critical value :math:`\alpha_i` the principal keeps :math:`(1 - \alpha_i) R_i = 1`, for
every :math:`i`: the best linear contract earns exactly 1 ("equal revenue"). Action :math:`i`'s
welfare is :math:`R_i - c_i = i - (i - 1)\gamma`, and a contract that pays :math:`c_n` (divided by
the success probability) on action :math:`n`'s output alone implements it and extracts all of it,
so the optimum is :math:`n - (n - 1)\gamma` and the ratio tends to :math:`n` as
:math:`\gamma \to 0`.

Examples
--------
>>> from fractions import Fraction as F
>>> equal_revenue(3, F(1, 2))
Technology: 4 outputs, 3 actions
      y  0  1  2  4 |  cost  mean
  a0     0  1  0  0 |     0     1
  a1     0  0  1  0 |   1/2     2
  a2     0  0  0  1 |     2     4
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from ._numbers import as_scalar, fmt
from .model import Technology

__all__ = ["equal_revenue", "equal_revenue_ratio"]


def _check(n: Any, gamma: Any, success: Any) -> tuple[int, Any, Any]:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n = {n!r} must be a positive integer (the number of actions)")
    g = as_scalar(gamma, "gamma")
    if not 0 < g < 1:
        raise ValueError(f"gamma = {fmt(g)} must lie strictly between 0 and 1")
    q = as_scalar(success, "success")
    if not 0 < q <= 1:
        raise ValueError(f"success = {fmt(q)} must lie in (0, 1]")
    return int(n), g, q


def equal_revenue(n: int, gamma: Any = Fraction(1, 10), success: Any = 1) -> Technology:
    r"""Return the equal-revenue technology of :math:`n` actions (ratio :math:`n - (n-1)\gamma`).

    Parameters
    ----------
    n : int
        The number of actions (at least 1). There are :math:`n + 1` outputs,
        :math:`0, 1, \gamma^{-1}, \dots, \gamma^{-(n-1)}` (divided by ``success``).
    gamma : number, optional
        In :math:`(0, 1)`; the smaller, the closer the ratio to :math:`n` (default 1/10). A
        Fraction (or int-free exact value) gives an exact technology.
    success : number, optional
        In :math:`(0, 1]`: each action reaches its output with this probability, else produces 0
        (default 1, deterministic). The means, costs, critical values and ratio do not depend
        on it.

    Returns
    -------
    Technology
        Action :math:`i` (index :math:`i - 1`) has mean :math:`\gamma^{-(i-1)}` and cost
        :math:`\gamma^{-(i-1)} - i + (i-1)\gamma`.

    Examples
    --------
    The best linear contract earns 1; the optimum earns :math:`3 - 2 \cdot \frac12 = 2`:

    >>> from fractions import Fraction as F
    >>> from contracts import best_linear_known, optimal_contract
    >>> tech = equal_revenue(3, F(1, 2))
    >>> best_linear_known(tech).value, optimal_contract(tech).value
    (Fraction(1, 1), Fraction(2, 1))
    """
    n, g, q = _check(n, gamma, success)
    one = Fraction(1) if isinstance(g, Fraction) and isinstance(q, Fraction) else 1.0
    rewards = [one / g**i for i in range(n)]  # the means R_1 .. R_n
    outputs = [0 * one, *(r / q for r in rewards)]
    costs = [r - (i + 1) + i * g for i, r in enumerate(rewards)]
    costs[0] = 0 * one  # exactly 0 (1 - 1 + 0), also in floats
    dists = []
    for i in range(n):
        row = [0 * one] * (n + 1)
        row[0] = one - q
        row[i + 1] = q * one
        dists.append(row)
    return Technology.from_arrays(outputs, dists, costs)


def equal_revenue_ratio(n: int, gamma: Any = Fraction(1, 10)) -> Any:
    r"""Return the ratio :math:`n - (n-1)\gamma` of :func:`equal_revenue` (optimum over linear).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> equal_revenue_ratio(5, F(1, 100))
    Fraction(124, 25)
    """
    n, g, _ = _check(n, gamma, 1)
    return n - (n - 1) * g
