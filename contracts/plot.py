r"""Pictures of Carroll's argument (needs the ``plot`` extra: ``pip install knightian[plot]``).

* :func:`hull`: the picture of Carroll's argument (:ref:`contracts-improvement`). The points
  :math:`(w(y), y)`, their convex hull, the line :math:`E[w] = V_A` (nature must stay right of
  it), nature's worst-case point :math:`(E_G w, E_G y)`, the supporting line through that point,
  read as the affine contract :math:`w = \alpha y + \beta`, and the improved linear contract
  :math:`w = \alpha (y - y_0)` (``Improvement.linear``): the same slope with the base payment
  removed, so the two lines coincide when :math:`\alpha y_0 + \beta = 0` and the linear one lies
  to the left (pays less) otherwise.
* :func:`guarantee`: :math:`V_P(\alpha (y - y_0))` against :math:`\alpha`, with Carroll's optimum.
* :func:`randomized`: the CDF of a lottery of slopes (the optimal randomised contract) beside
  Carroll's deterministic slope.

Every function draws into the axes it is given (``ax=``, so it fits in a user's subplots; by
default a new figure's, built without pyplot: no display needed) and returns them; save the figure
with ``ax.figure.savefig(path)``. Every artist carries a ``label`` so the figure can be inspected,
and the legends sit outside the axes, where they cover nothing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._extras import require
from ._numbers import as_float, fmt
from .contract import AnyContract
from .improvement import improve
from .linear import guarantee as _guarantee
from .linear import optimal_linear
from .mixture import RandomizedContract
from .model import Technology
from .randomized_optimum import OptimalRandomized
from .tolerances import TIE_RTOL
from .worstcase import worst_case

__all__ = ["guarantee", "hull", "randomized"]


def _figure() -> tuple[Any, Any]:
    Figure = require("matplotlib.figure", "plot", "contracts.plot").Figure
    fig = Figure(figsize=(8.0, 4.8), layout="constrained")
    return fig, fig.subplots()


def _hull_polygon(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Vertices of the convex hull of the points, in order (a segment or a point if flat).

    Each coordinate is divided by its largest magnitude first (a positive diagonal scaling keeps
    the hull's vertices), so payments of 1e-12 beside outputs of 1 are not taken for a flat set:
    the flatness test is a rank within ``TIE_RTOL`` of the scaled points' scale, 1.
    """
    points = np.unique(np.column_stack([x, y]), axis=0)
    if len(points) <= 2:
        return points
    size = np.abs(points).max(axis=0)
    unit = points / np.where(size > 0, size, 1.0)
    if np.linalg.matrix_rank(unit[1:] - unit[0], tol=TIE_RTOL) < 2:
        order = np.lexsort((points[:, 1], points[:, 0]))
        return points[order[[0, -1]]]
    from scipy.spatial import ConvexHull

    return points[ConvexHull(unit).vertices]


#: Colours of the one-action curves: not C0 (the envelope) nor C3 (the optimum).
_ACTION_COLORS = ("C1", "C2", "C4", "C5", "C6", "C7", "C8", "C9")


def _axes(ax: Any) -> Any:
    """Return ``ax``, or the axes of a new figure (built without pyplot) if it is None."""
    if ax is not None:
        return ax
    return _figure()[1]


def _legend_outside(ax: Any) -> None:
    """Put the legend to the right of the axes, where it covers nothing that is drawn."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, fontsize="small")


def _linear_formula(alpha: Any, origin: Any) -> str:
    """``w = 1/3 y`` or ``w = 1/3 (y - 2)``: exact numbers as fractions, no zero origin."""
    y = "y" if origin == 0 else f"(y - {fmt(origin, 4)})"
    return f"w = {fmt(alpha, 4)} {y}"


def hull(contract: AnyContract, known: Technology, *, ax: Any = None) -> Any:
    r"""Draw the worst case of ``contract`` and its improvements in the :math:`(w, y)` plane.

    Parameters
    ----------
    contract : Contract, LinearContract or AffineContract
        The contract (on ``known``'s grid).
    known : Technology
        The known actions.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: the axes of a new figure, built without pyplot).

    Returns
    -------
    matplotlib.axes.Axes
        With artists labelled ``outputs``, ``convex hull``, ``E[w] = V_A``, ``worst case``,
        ``supporting line`` (the affine contract :math:`\alpha y + \beta` of
        :func:`~contracts.improvement.improve`) and ``improved linear contract`` (its linear
        contract :math:`\alpha (y - y_0)`). When the two lines coincide (:math:`\beta = 0` with
        :math:`y_0 = 0`) the supporting line is drawn wide and pale under the linear contract, so
        both show, and its legend entry says they are the same line. The legend sits to the
        right of the axes.

    Examples
    --------
    >>> from contracts import Technology, Contract
    >>> known = Technology.from_arrays([0, 1, 2, 3], [[0, 0.5, 0.25, 0.25]], [0.5])
    >>> ax = hull(Contract([0, 1, 2, 3], [0, 0, 1, 1]), known)
    >>> sorted(line.get_label().split(" (")[0] for line in ax.lines)
    ['E[w] = V_A', 'improved linear contract', 'outputs', 'supporting line', 'worst case']
    >>> import io
    >>> ax.figure.savefig(io.BytesIO(), format="png")
    """
    y = as_float(known.outputs, "the known outputs (a figure is drawn in float64)")
    wc = worst_case(contract, known)
    w = as_float(wc.contract.payments, "the contract's payments (a figure is drawn in float64)")
    imp = improve(contract, known)
    ax = _axes(ax)
    poly = _hull_polygon(w, y)
    if len(poly) >= 3:
        ax.fill(poly[:, 0], poly[:, 1], alpha=0.15, color="C0", label="convex hull")
    else:
        ax.plot(poly[:, 0], poly[:, 1], color="C0", alpha=0.4, lw=6, label="convex hull")
    ax.plot(w, y, "o", color="C0", label="outputs")
    V = float(wc.agent_value)
    ax.axvline(V, color="C3", ls="--", label="E[w] = V_A")
    g = as_float(wc.adversary.array)
    ax.plot([g @ w], [g @ y], "*", color="C3", ms=14, zorder=5, label="worst case")
    alpha, beta = float(imp.affine.alpha), float(imp.affine.beta)
    ys = np.linspace(y.min(), y.max(), 50)
    # the lines w = alpha y + beta and w = alpha (y - y0) coincide when beta = -alpha y0
    gap = abs(beta + alpha * float(imp.linear.origin))
    same = gap <= TIE_RTOL * max(abs(alpha) * float(np.abs(y).max()), abs(beta))
    ax.plot(
        alpha * ys + beta,
        ys,
        color="C2",
        lw=6 if same else 1.5,
        alpha=0.35 if same else 1.0,
        ls="-" if same else ":",
        label="supporting line (= improved linear contract)" if same else "supporting line",
    )
    linear = as_float(imp.linear.on(known.outputs).payments)
    ax.plot(linear, y, color="C2", label="improved linear contract")
    ax.set_xlabel("payment w(y)")
    ax.set_ylabel("output y")
    ax.set_title(
        f"worst case V_P = E[y] - E[w] = {fmt(wc.value, 4)} at the star\nimproved linear contract "
        f"{_linear_formula(imp.linear.alpha, imp.linear.origin)}: guarantee "
        f"{fmt(imp.linear_value, 4)}",
        fontsize="medium",
    )
    _legend_outside(ax)
    return ax


def guarantee(known: Technology, alphas: Any = None, *, ax: Any = None) -> Any:
    r"""Draw the guarantee :math:`V_P(\alpha (y - y_0))` of linear contracts against the share.

    The guarantee is the upper envelope of one curve per known action,
    :math:`y_0 + (1 - \alpha)(E_F[y] - y_0 - c/\alpha)_+` (what that action alone guarantees);
    each is drawn thin and dashed under the envelope.

    Parameters
    ----------
    known : Technology
        The known actions.
    alphas : array_like, optional
        Shares to draw (default: 401 points on [0, 1]).
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: the axes of a new figure, built without pyplot).

    Returns
    -------
    matplotlib.axes.Axes
        With artists labelled ``guarantee`` (the envelope), ``optimum`` (Carroll's slopes) and
        ``action a<i> alone`` (one per known action).

    Examples
    --------
    >>> from contracts import Technology
    >>> known = Technology.from_arrays([0, 1, 2, 3], [[0, 0.5, 0.25, 0.25]], [0.5])
    >>> [line.get_label() for line in guarantee(known).lines]
    ['action a0 alone', 'guarantee', 'optimum']
    """
    as_float(known.outputs, "the known outputs (a figure is drawn in float64)")
    opt = optimal_linear(known)
    a = np.linspace(0.0, 1.0, 401) if alphas is None else np.asarray(alphas, dtype=float)
    origin = float(known.outputs[0])
    values = as_float(np.asarray(_guarantee(a, known, origin=origin)))
    ax = _axes(ax)
    means = as_float(known.dists) @ as_float(known.outputs)
    costs = as_float(known.costs)
    with np.errstate(divide="ignore", invalid="ignore"):
        for i, (mean, cost) in enumerate(zip(means, costs, strict=True)):
            term = origin + (1 - a) * np.maximum(0.0, mean - origin - cost / a)
            term = np.where(a == 0, mean if cost == 0 else origin, term)
            color = _ACTION_COLORS[i % len(_ACTION_COLORS)]
            ax.plot(a, term, color=color, lw=1, ls="--", label=f"action a{i} alone")
    ax.plot(a, values, color="C0", lw=2.5, label="guarantee")
    slopes = [float(s) for s in opt.slopes] if not opt.trivial else [0.0]
    ax.plot(slopes, [float(opt.value)] * len(slopes), "*", color="C3", ms=14, label="optimum")
    ax.set_xlabel("share alpha of output above the lowest")
    ax.set_ylabel("guaranteed payoff V_P")
    top = max(float(np.nanmax(values)), float(opt.value))
    bottom = min(float(np.nanmin(values)), origin)
    ax.set_ylim(bottom - 0.05 * (top - bottom or 1.0), top + 0.1 * (top - bottom or 1.0))
    ax.set_title(
        f"Carroll's optimum {fmt(opt.value, 4)} at alpha = {fmt(opt.alpha, 4)}", fontsize="medium"
    )
    _legend_outside(ax)
    return ax


def randomized(
    lottery: OptimalRandomized | RandomizedContract, *, carroll: Any = None, ax: Any = None
) -> Any:
    r"""Draw the CDF of a lottery of slopes beside Carroll's deterministic optimum slope.

    Parameters
    ----------
    lottery : OptimalRandomized or RandomizedContract
        The lottery; from an :class:`~contracts.randomized_optimum.OptimalRandomized` its
        contract, and Carroll's slopes are marked.
    carroll : number, sequence of numbers or OptimalLinear, optional
        Slope(s) to mark as Carroll's (default: those of an ``OptimalRandomized``).
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: the axes of a new figure).

    Returns
    -------
    matplotlib.axes.Axes
        With artists labelled ``CDF of the slope``, ``Carroll's slope`` and ``mean slope``.

    Examples
    --------
    >>> from contracts import Technology, optimal_randomized
    >>> known = Technology.from_arrays([0, 1, 2, 3, 4], [[0, 0, 0, 0, 1]], [1])
    >>> ax = randomized(optimal_randomized(known))
    >>> [line.get_label() for line in ax.lines]
    ['CDF of the slope', "Carroll's slope", 'mean slope']
    """
    from .linear import OptimalLinear

    if isinstance(lottery, OptimalRandomized):
        contract = lottery.contract
        if carroll is None:
            carroll = lottery.carroll
    elif isinstance(lottery, RandomizedContract):
        contract = lottery
    else:
        raise TypeError(
            "lottery must be an OptimalRandomized or a RandomizedContract, got "
            f"{type(lottery).__name__}"
        )
    if ax is None:
        _, ax = _figure()
    if contract.slopes is not None and contract.weights is not None:
        s = as_float(contract.slopes)
        cum = np.cumsum(as_float(contract.weights))
        xs = np.concatenate([[0.0], s, [1.0]])
        ys = np.concatenate([[0.0], cum, [1.0]])
        ax.plot(xs, ys, drawstyle="steps-post", color="C0", label="CDF of the slope")
    else:
        a = np.linspace(0.0, 1.0, 1001)
        ax.plot(a, contract.cdf(a), color="C0", label="CDF of the slope")
    if isinstance(carroll, OptimalLinear):
        slopes = [0.0] if carroll.trivial else [float(v) for v in carroll.slopes]
    elif carroll is None:
        slopes = []
    else:
        slopes = [float(v) for v in np.atleast_1d(np.asarray(carroll, dtype=float))]
    for i, v in enumerate(slopes):
        ax.axvline(v, color="C3", ls="--", label="Carroll's slope" if i == 0 else "_nolegend_")
    ax.axvline(float(contract.mean_slope), color="C2", ls=":", label="mean slope")
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(0.0, 1.05)
    ax.set_xlabel("slope alpha of the linear contract alpha (y - y0)")
    ax.set_ylabel("P(slope <= alpha)")
    ax.set_title("randomised contract: the distribution of the slope")
    _legend_outside(ax)
    return ax
