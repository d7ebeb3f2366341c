"""Pictures of robust planning (needs the ``plot`` extra: ``pip install knightian[plot]``).

* :func:`comparison`: per state, what the nominal plan's policy and the robust policy earn under
  the nominal kernel and guarantee against Murphy (a :class:`~infrabayes.sequential.Comparison`).

The function draws on the axes it is given (``ax=``) or on a new figure built without pyplot
(no display needed), and returns the axes; save with ``ax.figure.savefig(path)``. Every bar
group carries a ``label``, so the figure can be inspected. matplotlib is imported only when a
function is called.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from infrabayes._extras import require
from infrabayes.sequential._text import name
from infrabayes.sequential.results import Comparison

__all__ = ["SERIES", "comparison"]

#: Bar groups of :func:`comparison`: (label, colour, hatch).
SERIES = (
    ("nominal policy: nominal value", "#9ecae1", ""),
    ("nominal policy: guarantee against Murphy", "#3182bd", "//"),
    ("robust policy: nominal value", "#fdae6b", ""),
    ("robust policy: guarantee against Murphy", "#e6550d", "//"),
)


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    Figure = require("matplotlib.figure", "plot", "infrabayes.sequential.plot").Figure
    fig = Figure(figsize=(6.4, 4.0), layout="constrained")
    return fig.subplots()


def comparison(result: Comparison, *, ax: Any = None) -> Any:
    """Draw nominal vs robust planning: four bars per state.

    Parameters
    ----------
    result : Comparison
        From :func:`infrabayes.sequential.compare`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure's axes.

    Returns
    -------
    matplotlib.axes.Axes
        With one bar container per entry of :data:`SERIES` (in that order, labelled so), the
        states as tick labels, and a legend.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from infrabayes.sequential import InfraMDP
    >>> mdp = InfraMDP(["s"], ["a"], {("s", "a"): {"s": 1}}, {("s", "a"): F(1, 2)}, F(1, 2))
    >>> ax = comparison(mdp.compare())
    >>> [c.get_label() for c in ax.containers][1]
    'nominal policy: guarantee against Murphy'
    """
    ax = _axes(ax)
    states = result.states
    x = np.arange(len(states), dtype=np.float64)
    width = 0.2
    heights = (
        result.nominal.values,
        result.nominal_guarantee.values,
        result.robust_under_nominal.values,
        result.robust.values,
    )
    floats = [np.asarray(values, dtype=np.float64) for values in heights]
    for i, ((label, colour, hatch), values) in enumerate(zip(SERIES, floats, strict=True)):
        ax.bar(
            x + (i - 1.5) * width,
            values,
            width,
            label=label,
            color=colour,
            hatch=hatch,
            edgecolor="white",
        )
    ax.set_xticks(x, [name(s) for s in states])
    ax.set_xlabel("state")
    ax.set_ylabel("value (total discounted reward)")
    ax.set_title("The nominal plan and the robust plan, believed and guaranteed")
    top = max(float(v.max()) for v in floats)
    if top > 0:  # room above the bars for the legend
        ax.set_ylim(top=1.4 * top)
    ax.legend(fontsize="small", loc="upper center", ncols=2)
    return ax
