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

The first two return a :class:`matplotlib.figure.Figure` built without pyplot (no display
needed); save it with ``fig.savefig(path)``. :func:`randomized` draws into the axes it is given
(``ax=``, default a new figure's) and returns them. Every artist carries a ``label`` so the figure
can be inspected.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._numbers import as_float
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
    try:
        from matplotlib.figure import Figure
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError("contracts.plot needs matplotlib: pip install 'knightian[plot]'") from err
    fig = Figure(figsize=(6.4, 4.8), layout="constrained")
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


def hull(contract: AnyContract, known: Technology) -> Any:
    r"""Draw the worst case of ``contract`` and its improvements in the :math:`(w, y)` plane.

    Parameters
    ----------
    contract : Contract, LinearContract or AffineContract
        The contract (on ``known``'s grid).
    known : Technology
        The known actions.

    Returns
    -------
    matplotlib.figure.Figure
        Artists labelled ``outputs``, ``convex hull``, ``E[w] = V_A``, ``worst case``,
        ``supporting line`` (the affine contract :math:`\alpha y + \beta` of
        :func:`~contracts.improvement.improve`) and ``improved linear contract`` (its linear
        contract :math:`\alpha (y - y_0)`).

    Examples
    --------
    >>> from contracts import Technology, Contract
    >>> known = Technology.from_arrays([0, 1, 2, 3], [[0, 0.5, 0.25, 0.25]], [0.5])
    >>> fig = hull(Contract([0, 1, 2, 3], [0, 0, 1, 1]), known)
    >>> sorted(line.get_label() for line in fig.axes[0].lines)
    ['E[w] = V_A', 'improved linear contract', 'outputs', 'supporting line', 'worst case']
    """
    y = as_float(known.outputs, "the known outputs (a figure is drawn in float64)")
    wc = worst_case(contract, known)
    w = as_float(wc.contract.payments, "the contract's payments (a figure is drawn in float64)")
    imp = improve(contract, known)
    fig, ax = _figure()
    poly = _hull_polygon(w, y)
    if len(poly) >= 3:
        ax.fill(poly[:, 0], poly[:, 1], alpha=0.15, color="C0", label="convex hull")
    else:
        ax.plot(poly[:, 0], poly[:, 1], color="C0", alpha=0.4, lw=6, label="convex hull")
    ax.plot(w, y, "o", color="C0", label="outputs")
    V = float(wc.agent_value)
    ax.axvline(V, color="C3", ls="--", label="E[w] = V_A")
    g = as_float(wc.adversary.array)
    ax.plot([g @ w], [g @ y], "*", color="C3", ms=14, label="worst case")
    alpha, beta = float(imp.affine.alpha), float(imp.affine.beta)
    ys = np.linspace(y.min(), y.max(), 50)
    ax.plot(alpha * ys + beta, ys, color="C2", ls=":", label="supporting line")
    linear = as_float(imp.linear.on(known.outputs).payments)
    ax.plot(linear, y, color="C2", label="improved linear contract")
    ax.set_xlabel("payment w(y)")
    ax.set_ylabel("output y")
    ax.set_title(
        f"worst case {float(wc.value):.4g}; improved linear: w = {alpha:.3g} (y - {y[0]:.3g}) "
        f"(guarantee {float(imp.linear_value):.4g})"
    )
    ax.legend(loc="best", fontsize="small")
    return fig


def guarantee(known: Technology, alphas: Any = None) -> Any:
    r"""Draw the guarantee :math:`V_P(\alpha (y - y_0))` of linear contracts against the share.

    Parameters
    ----------
    known : Technology
        The known actions.
    alphas : array_like, optional
        Shares to draw (default: 401 points on [0, 1]).

    Returns
    -------
    matplotlib.figure.Figure
        Artists labelled ``guarantee`` (the curve) and ``optimum`` (Carroll's slopes).

    Examples
    --------
    >>> from contracts import Technology
    >>> known = Technology.from_arrays([0, 1, 2, 3], [[0, 0.5, 0.25, 0.25]], [0.5])
    >>> [line.get_label() for line in guarantee(known).axes[0].lines]
    ['guarantee', 'optimum']
    """
    as_float(known.outputs, "the known outputs (a figure is drawn in float64)")
    opt = optimal_linear(known)
    a = np.linspace(0.0, 1.0, 401) if alphas is None else np.asarray(alphas, dtype=float)
    origin = float(known.outputs[0])
    values = _guarantee(a, known, origin=origin)
    fig, ax = _figure()
    ax.plot(a, as_float(np.asarray(values)), color="C0", label="guarantee")
    slopes = [float(s) for s in opt.slopes] if not opt.trivial else [0.0]
    ax.plot(slopes, [float(opt.value)] * len(slopes), "*", color="C3", ms=14, label="optimum")
    ax.set_xlabel("share alpha of output above the lowest")
    ax.set_ylabel("guaranteed payoff V_P")
    ax.set_title(f"Carroll's optimum {float(opt.value):.4g} at alpha = {float(opt.alpha):.3g}")
    ax.legend(loc="best", fontsize="small")
    return fig


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
    ax.legend(loc="lower right", fontsize="small")
    return ax
