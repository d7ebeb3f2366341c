r"""The known-technology landscape of linear contracts: where the agent's choice changes.

Under the linear contract :math:`\alpha (y - y_0)` action :math:`i` (mean :math:`R_i`, cost
:math:`c_i`) gives the agent :math:`\alpha (R_i - y_0) - c_i`: a line in :math:`\alpha`. The agent
takes an action on the upper envelope of these lines, so his choice changes only at the
envelope's breakpoints, the *critical values* :math:`0 < \alpha_1 < \dots < \alpha_K \le 1`. On
:math:`[\alpha_k, \alpha_{k+1})` one action :math:`i_k` is chosen and the principal gets

.. math:: y_0 + (1 - \alpha)(R_{i_k} - y_0),

which falls with :math:`\alpha`: the best linear contract sits at :math:`\alpha = 0` or at a
critical value (Dütting, Roughgarden and Talgam-Cohen 2019), evaluated with ties to the
principal. The common shift :math:`-\alpha y_0` of every action's line moves no breakpoint.

**Ties** (as :func:`contracts.agent.best_response` breaks them). At a critical value several
actions are agent-optimal; the principal prefers the one with the largest mean (it pays the
most output for the same share), which is the action of the interval the critical value opens.
Among actions with the same mean and cost, the lowest index. At :math:`\alpha = 1` every action
leaves the principal exactly :math:`y_0`, so she is indifferent among the tied actions and, as
in ``best_response``, the lowest index is named.

**Exactness.** For exact inputs the critical values and payoffs are Fractions. For float inputs
the envelope of the float64 means and costs is still computed exactly (every float is a rational
number), so no tolerance decides a critical value; the results are then rounded to floats.
(:func:`~contracts.agent.best_response` treats float utilities within ``TIE_RTOL * scale`` as
tied, so where a third action comes that close to a breakpoint the two may name different
actions, with payoffs that agree to that tolerance.)

The cost is one sort of the :math:`k` actions plus a linear pass, :math:`O(k \log k)` after the
means (:math:`O(k n)`), against :math:`O(k^2)` pairwise intersections each checked by a best
response in :math:`O(k n)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from . import _html
from ._numbers import Number, as_scalar, fmt, table, to_python
from .envelope import as_fraction, upper_envelope
from .model import Technology

__all__ = ["LinearBreakpoints", "linear_breakpoints"]


@dataclass(frozen=True, eq=False)
class LinearBreakpoints:
    r"""The agent's choice under :math:`\alpha (y - y_0)` for every :math:`\alpha \in [0, 1]`.

    Attributes
    ----------
    breakpoints : tuple
        The critical values :math:`0 < \alpha_1 < \dots < \alpha_K \le 1` where the agent's
        choice changes (Fractions for exact inputs, floats otherwise).
    actions : tuple of int
        ``K + 1`` actions: the agent's choice on :math:`[0, \alpha_1)`, :math:`[\alpha_1,
        \alpha_2)`, ..., :math:`[\alpha_K, 1]` (at each left end, with ties to the principal).
    means : tuple
        The expected output of each of those actions.
    values : tuple
        The principal's payoff at each interval's left end, :math:`y_0 + (1 - \alpha_k)(R - y_0)`:
        the best on that interval.
    agent_values : tuple
        The agent's utility at each interval's left end.
    origin : Fraction or float
        :math:`y_0`, the lowest output.
    """

    breakpoints: tuple[Number, ...]
    actions: tuple[int, ...]
    means: tuple[Number, ...]
    values: tuple[Number, ...]
    agent_values: tuple[Number, ...]
    origin: Number
    technology: Technology = field(repr=False)

    @property
    def starts(self) -> tuple[Number, ...]:
        """The left ends of the intervals: 0 and every critical value."""
        zero = Fraction(0) if self.technology.exact else 0.0
        return (zero, *self.breakpoints)

    def action_at(self, alpha: Any) -> int:
        r"""Return the agent's choice under :math:`\alpha (y - y_0)`, ties to the principal."""
        a = _alpha(alpha)
        k = sum(1 for b in self.breakpoints if b <= a)
        return self.actions[k]

    def payoff(self, alpha: Any) -> Number:
        r"""Return the principal's payoff :math:`y_0 + (1 - \alpha)(R_{i(\alpha)} - y_0)`."""
        a = _alpha(alpha)
        k = sum(1 for b in self.breakpoints if b <= a)
        mean, y0 = self.means[k], self.origin
        if isinstance(a, Fraction) and isinstance(mean, Fraction) and isinstance(y0, Fraction):
            return y0 + (1 - a) * (mean - y0)
        return float(y0) + (1 - float(a)) * (float(mean) - float(y0))

    def _repr_html_(self) -> str:
        one = Fraction(1) if self.technology.exact else 1.0
        rows = [
            [start, end, f"a{action}", mean, value]
            for start, end, action, mean, value in zip(
                self.starts,
                (*self.breakpoints, one),
                self.actions,
                self.means,
                self.values,
                strict=True,
            )
        ]
        k = len(self.breakpoints)
        caption = f"LinearBreakpoints: {k} critical value{'s' * (k != 1)} in (0, 1]"
        header = ["from alpha", "to", "action", "mean", "principal at start"]
        return _html.table(caption, header, rows)

    def __repr__(self) -> str:
        ends = [*(fmt(b) for b in self.breakpoints), "1"]
        rows = [["from alpha", "to", "action", "mean", "principal at start"]]
        for start, end, action, mean, value in zip(
            self.starts, ends, self.actions, self.means, self.values, strict=True
        ):
            rows.append([fmt(start), end, f"a{action}", fmt(mean), fmt(value)])
        k = len(self.breakpoints)
        head = f"LinearBreakpoints: {k} critical value{'s' * (k != 1)} in (0, 1]"
        return "\n".join([head, *table(rows)])


def _alpha(alpha: Any) -> Number:
    a = as_scalar(alpha, "alpha")
    if not 0 <= a <= 1:
        raise ValueError(f"alpha = {fmt(a)} is outside [0, 1]")
    return a


def linear_breakpoints(technology: Technology) -> LinearBreakpoints:
    r"""Return the critical values of :math:`\alpha` and the agent's choice between them.

    Parameters
    ----------
    technology : Technology
        Every action the agent has (a known technology).

    Returns
    -------
    LinearBreakpoints
        The critical values in :math:`(0, 1]`, the action on each interval, and the principal's
        payoff at each interval's left end (the best linear contract is the largest of these).

    Examples
    --------
    Outputs {0, 1, 4}. Free: half 0, half 4 (mean 2); cost 3/4: mean 13/4; cost 3/4: mean 1/2
    (never chosen). Work overtakes the gamble where :math:`2\alpha = \frac{13}4 \alpha -
    \frac34`, at :math:`\alpha = 3/5`:

    >>> from fractions import Fraction as F
    >>> from contracts import Technology
    >>> half, q = F(1, 2), F(1, 4)
    >>> tech = Technology.from_arrays(
    ...     [0, 1, 4], [[half, 0, half], [0, q, 3 * q], [half, half, 0]], [0, 3 * q, 3 * q]
    ... )
    >>> linear_breakpoints(tech)
    LinearBreakpoints: 1 critical value in (0, 1]
      from alpha   to  action  mean  principal at start
      0           3/5      a0     2                   2
      3/5           1      a1  13/4               13/10
    """
    if not isinstance(technology, Technology):
        raise TypeError(f"technology must be a Technology, got {type(technology).__name__}")
    exact = technology.exact
    y0 = technology.outputs[0]
    means = technology.dists @ technology.outputs  # exact objects or float64
    costs = technology.costs
    # slopes R_i - y0 (the common shift moves no breakpoint, but keeps slopes >= 0) and
    # intercepts -c_i, compared exactly (floats are rationals too)
    slopes = [as_fraction(m) - as_fraction(y0) for m in means]
    intercepts = [-as_fraction(c) for c in costs]
    env = upper_envelope(slopes, intercepts, 0, 1)
    actions = list(env.lines)
    if env.breakpoints and env.breakpoints[-1] == 1:
        # at alpha = 1 the principal gets y0 from every action: name the lowest tied index
        top = max(s + i for s, i in zip(slopes, intercepts, strict=True))
        actions[-1] = next(
            j for j, (s, i) in enumerate(zip(slopes, intercepts, strict=True)) if s + i == top
        )
    y0f = as_fraction(y0)
    starts = [Fraction(0), *env.breakpoints]
    values = [y0f + (1 - a) * slopes[i] for a, i in zip(starts, actions, strict=True)]
    agent = [a * slopes[i] + intercepts[i] for a, i in zip(starts, actions, strict=True)]

    def out(x: Fraction) -> Number:
        return x if exact else float(x)

    return LinearBreakpoints(
        breakpoints=tuple(out(b) for b in env.breakpoints),
        actions=tuple(actions),
        means=tuple(to_python(means[i]) for i in actions),
        values=tuple(out(v) for v in values),
        agent_values=tuple(out(v) for v in agent),
        origin=to_python(y0),
        technology=technology,
    )
