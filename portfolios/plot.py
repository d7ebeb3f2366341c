"""Pictures of a portfolio (needs the ``plot`` extra: ``pip install knightian[plot]``).

* :func:`network`: the case-assumption network in columns (scenarios, cases, assumptions,
  latent variables), edges as in :mod:`portfolios.network`; for a scenario, its covering cases
  are emphasised and the basic events of its smallest minimal cut sets are highlighted (red:
  single points of failure; orange: in a cut set of order 2; a soundness error is drawn on its
  case).
* :func:`importance_bars`: one importance measure per basic event, as horizontal bars (an
  infinite RRW is drawn past the largest finite bar and marked ``inf``).
* :func:`bounds`: per scenario, the point value (when there is one), the interval under
  independence and the interval under unknown dependence, side by side, against ``max_risk``.
* :func:`uncertainty`: the distribution of P(unprotected) from
  :func:`portfolios.uncertainty.uncertainty`: histogram, CDF and quantiles.
* :func:`argument`: a GSN argument (:mod:`portfolios.gsn`) as a tree, one row per depth from
  the root, each element with its P(unsupported); ``supportedBy`` edges solid,
  ``inContextOf`` edges dashed, multi-legged elements outlined.

:func:`network`, :func:`importance_bars` and :func:`argument` return a
:class:`matplotlib.figure.Figure` built without pyplot (no display needed; save it with
``fig.savefig(path)``); :func:`bounds` and :func:`uncertainty` draw on ``ax`` if given (else on
a new figure's axes) and return the axes. Artists carry labels so the figures can be inspected.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._extras import require
from .errors import ComputationLimitError
from .gsn import Argument
from .importance import Importance
from .portfolio import Portfolio
from .uncertainty import Uncertainty

__all__ = ["argument", "bounds", "importance_bars", "network", "uncertainty"]

_COLUMNS = (("scenario", 0.0), ("case", 1.0), ("assumption", 2.0), ("latent", 3.0))
_STYLE = {
    "scenario": {"marker": "s", "color": "#4c72b0"},
    "case": {"marker": "o", "color": "#55a868"},
    "assumption": {"marker": "D", "color": "#8c8c8c"},
    "latent": {"marker": "h", "color": "#8172b2"},
}
_HIGHLIGHT = {1: ("single point of failure", "#d62728"), 2: ("in an order-2 cut set", "#ff7f0e")}


def _figure(width: float = 8.0, height: float = 6.0) -> tuple[Any, Any]:
    Figure = require("matplotlib.figure", "plot", "portfolios.plot").Figure
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.subplots()


def _cut_highlights(portfolio: Portfolio, scenario: str) -> dict[str, int]:
    """Node id -> smallest order (1 or 2) of a cut set its failure belongs to."""
    S = portfolio.structure
    cuts = portfolio.minimal_cut_sets(scenario, max_order=2)
    out: dict[str, int] = {}
    for cut in cuts:
        for e in cut.events:
            node = e.id  # assumption, latent variable, or the case of a soundness error
            out[node] = min(out.get(node, 3), cut.order)
    return {
        k: v
        for k, v in out.items()
        if k in portfolio.assumptions or k in S.latent or k in portfolio.cases
    }


def network(portfolio: Portfolio, scenario: str | None = None) -> Any:
    """Draw the case-assumption network, with ``scenario``'s small cut sets highlighted.

    Parameters
    ----------
    portfolio : Portfolio
    scenario : str, optional
        Show only this scenario, emphasise its covering cases and highlight the events of its
        minimal cut sets of order 1 and 2.

    Returns
    -------
    matplotlib.figure.Figure
        Node collections labelled ``scenarios``, ``cases``, ``assumptions``, ``latent
        variables`` and, with a scenario, ``single point of failure`` / ``in an order-2 cut
        set``; edges labelled ``edges``; one text per node (its id).

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.load(portfolios.EXAMPLE_PATH)
    >>> fig = network(P, "oversight_undermining")
    >>> sorted(c.get_label() for c in fig.axes[0].collections)[:3]
    ['assumptions', 'cases', 'edges']
    """
    from matplotlib.collections import LineCollection

    G = portfolio.graph()
    nodes: dict[str, list[str]] = {kind: [] for kind, _ in _COLUMNS}
    for n, data in G.nodes(data=True):
        nodes[data["kind"]].append(n)
    if scenario is not None:
        cases = set(portfolio.covering_cases(scenario))
        nodes["scenario"] = [scenario]
    else:
        cases = set()
    position = {}
    for kind, x in _COLUMNS:
        members = nodes[kind]
        for i, n in enumerate(members):
            position[n] = (x, 1.0 - (i + 0.5) / max(len(members), 1))
    fig, ax = _figure(9.0, max(4.0, 0.32 * max(len(v) for v in nodes.values()) + 1.5))
    segments = [
        (position[u], position[v])
        for u, v, d in G.edges(data=True)
        if u in position and v in position and (d["kind"] != "covers" or v in nodes["scenario"])
    ]
    ax.add_collection(LineCollection(segments, colors="#bbbbbb", linewidths=0.8, label="edges"))
    names = {"scenario": "scenarios", "case": "cases", "assumption": "assumptions"}
    names["latent"] = "latent variables"
    for kind, _ in _COLUMNS:
        members = nodes[kind]
        if not members:
            continue
        xs, ys = zip(*(position[n] for n in members), strict=True)
        sizes = [110 if n in cases else 60 for n in members]
        ax.scatter(xs, ys, s=sizes, zorder=3, label=names[kind], **_STYLE[kind])
        for n in members:
            align = "right" if kind in ("scenario", "case") else "left"
            dx = -0.09 if align == "right" else 0.09
            weight = "bold" if n in cases else "normal"
            x, y = position[n]
            ax.text(x + dx, y, n, ha=align, va="center", fontsize=7, fontweight=weight)
    if scenario is not None:
        marks = _cut_highlights(portfolio, scenario)
        for order, (label, color) in _HIGHLIGHT.items():
            chosen = [n for n, o in marks.items() if o == order and n in position]
            if chosen:
                xs, ys = zip(*(position[n] for n in chosen), strict=True)
                ax.scatter(
                    xs,
                    ys,
                    s=260,
                    facecolors="none",
                    edgecolors=color,
                    linewidths=2.0,
                    zorder=4,
                    label=label,
                )
        ax.set_title(f"{scenario}: covering cases in bold; small minimal cut sets circled")
    else:
        ax.set_title(portfolio.title or "portfolio")
    ax.set_xlim(-1.2, 4.2)
    ax.set_ylim(-0.02, 1.02)
    ax.set_axis_off()
    ax.legend(loc="lower center", ncols=3, fontsize=7, frameon=False, bbox_to_anchor=(0.5, -0.08))
    return fig


def importance_bars(importance: Importance, measure: str = "birnbaum", *, limit: int = 15) -> Any:
    """Draw one importance measure per basic event, largest at the top.

    Parameters
    ----------
    importance : Importance
    measure : str
        One of :data:`portfolios.importance.MEASURES`.
    limit : int
        Show at most this many events.

    Returns
    -------
    matplotlib.figure.Figure
        The bars are labelled ``measure``; y tick labels are the events.

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.load(portfolios.EXAMPLE_PATH)
    >>> fig = importance_bars(P.importance("weight_exfiltration"), "raw", limit=5)
    >>> fig.axes[0].containers[0].get_label(), len(fig.axes[0].patches)
    ('raw', 5)
    """
    labels = list(importance.ranked(measure)[:limit])
    values = [getattr(importance[lab], measure) for lab in labels]
    finite = [v for v in values if math.isfinite(v)]
    cap = 1.15 * max(finite) if finite else 1.0
    shown = [cap if math.isinf(v) else (0.0 if math.isnan(v) else v) for v in values]
    fig, ax = _figure(7.0, 0.35 * len(labels) + 1.5)
    y = list(range(len(labels)))[::-1]
    bars = ax.barh(y, shown, color="#4c72b0", label=measure)
    for bar, v in zip(bars, values, strict=True):
        if math.isinf(v):
            bar.set_hatch("//")
            bar.set_color("#d62728")
            ax.text(
                bar.get_width(), bar.get_y() + bar.get_height() / 2, " inf", va="center", fontsize=8
            )
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel(measure.replace("_", "-"))
    if measure in ("raw", "rrw"):
        ax.axvline(1.0, color="#888888", linewidth=0.8, label="no effect")
    ax.set_title(f"{importance.top}: {measure.replace('_', '-')} (P(top) = {importance.p_top:.3g})")
    return fig


def bounds(portfolio: Portfolio, ax: Any = None, *, log: bool = False) -> Any:
    """Draw, per scenario, P(unprotected) as a point and as intervals, against ``max_risk``.

    For each scenario (one row): the point value (a dot, when the scenario depends on no
    interval), the interval under independence (:meth:`Portfolio.bounds
    <portfolios.portfolio.Portfolio.bounds>`, a thick bar; a point when every probability is
    a number) and the interval under unknown dependence (a thin bar below it: the linear
    programme, or Fréchet intervals past its limits, dotted when not tight), and
    ``max_risk`` (a red tick).

    Parameters
    ----------
    portfolio : Portfolio
    ax : matplotlib Axes, optional
        Draw here (default: a new figure).
    log : bool
        A logarithmic probability axis (for small probabilities).

    Returns
    -------
    matplotlib.axes.Axes
        Collections labelled ``independent``, ``unknown dependence``, ``point value`` and
        ``max_risk``.

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.load(portfolios.EXAMPLE_PATH)
    >>> ax = bounds(P)
    >>> sorted(c.get_label() for c in ax.collections)
    ['independent', 'max_risk', 'point value', 'unknown dependence']
    """
    from matplotlib.collections import LineCollection

    if ax is None:
        _, ax = _figure(8.5, 0.7 * len(portfolio.scenarios) + 1.5)
    names = list(portfolio.scenarios)
    Segment = list[tuple[float, float]]
    independent: list[Segment] = []
    unknown: list[Segment] = []
    loose: list[Segment] = []
    risks: list[Segment] = []
    points: list[tuple[float, float]] = []
    for row, s in enumerate(names):
        y = len(names) - 1 - row
        b = portfolio.bounds(s)
        independent.append([(b.lower, y + 0.12), (b.upper, y + 0.12)])
        if b.is_point:
            points.append((b.lower, y + 0.12))
        try:
            u = portfolio.bounds(s, dependence="unknown")
        except ComputationLimitError:
            u = portfolio.bounds(s, dependence="unknown", method="frechet")
        (unknown if u.tight else loose).append([(u.lower, y - 0.12), (u.upper, y - 0.12)])
        risk = portfolio.scenarios[s].max_risk
        if risk is not None:
            risks.append([(risk, y - 0.35), (risk, y + 0.35)])
    ax.add_collection(
        LineCollection(independent, colors="#4c72b0", linewidths=7, label="independent")
    )
    ax.add_collection(
        LineCollection(unknown + loose, colors="#dd8452", linewidths=3, label="unknown dependence")
    )
    if loose:
        ax.add_collection(
            LineCollection(
                loose, colors="#dd8452", linewidths=3, linestyles="dotted", label="not tight"
            )
        )
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    ax.scatter(xs, ys, s=30, color="black", zorder=3, label="point value")
    ax.add_collection(LineCollection(risks, colors="#d62728", linewidths=1.5, label="max_risk"))
    ax.set_yticks(range(len(names)), names[::-1], fontsize=8)
    ax.set_ylim(-0.6, len(names) - 0.4)
    values = [x for seg in independent + unknown + loose + risks for x, _ in seg]
    if log:
        positive = [v for v in values if v > 0] or [1e-12]
        ax.set_xscale("log")
        ax.set_xlim(min(positive) / 2, min(1.0, 2 * max(positive)))
    else:
        ax.set_xlim(0.0, min(1.0, 1.1 * max([*values, 1e-12])))
    ax.set_xlabel("P(unprotected)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
    ax.set_title("independent (thick), unknown dependence (thin)", fontsize=10)
    return ax


def uncertainty(result: Uncertainty, ax: Any = None, *, bins: int = 60) -> Any:
    """Draw the distribution of P(unprotected): histogram, CDF (right axis) and quantiles.

    Parameters
    ----------
    result : Uncertainty
        From :meth:`Portfolio.uncertainty <portfolios.portfolio.Portfolio.uncertainty>`.
    ax : matplotlib Axes, optional
        Draw here (default: a new figure).
    bins : int
        Histogram bins.

    Returns
    -------
    matplotlib.axes.Axes
        The histogram (patches labelled ``samples``), a vertical line per quantile (labelled
        ``q=...``), the mean and the point value; the CDF is on ``ax.right_ax`` (labelled
        ``CDF``).

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.Portfolio.from_dict({
    ...     "assumptions": {"A": {"statement": "a", "p_fail": {"beta": [2, 8]}}},
    ...     "cases": {"X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]}},
    ...     "scenarios": {"S": {"statement": "s"}},
    ... })
    >>> ax = uncertainty(P.uncertainty("S", 2000, rng=0))
    >>> sorted(line.get_label() for line in ax.lines)
    ['mean', 'point value', 'q=0.05', 'q=0.5', 'q=0.95']
    >>> ax.right_ax.lines[0].get_label()
    'CDF'
    """
    if ax is None:
        _, ax = _figure(7.0, 4.0)
    samples = np.asarray(result.samples)
    ax.hist(samples, bins=bins, density=True, color="#9db4d8", label="samples")
    for q, value in result.quantiles.items():
        ax.axvline(value, color="#4c72b0", linestyle="--", linewidth=1, label=f"q={q:g}")
    ax.axvline(result.mean, color="black", linewidth=1.5, label="mean")
    ax.axvline(result.point_value, color="#d62728", linewidth=1, label="point value")
    right = ax.twinx()
    ordered = np.sort(samples)
    right.plot(ordered, np.arange(1, len(ordered) + 1) / len(ordered), color="#55a868", label="CDF")
    right.set_ylim(0.0, 1.0)
    right.set_ylabel("CDF")
    ax.right_ax = right
    ax.set_xlabel("P(unprotected)")
    ax.set_ylabel("density")
    what = result.scenario or ", ".join(result.targets)
    ax.set_title(f"{what}: {result.n_samples} samples, mean {result.mean:.3g}")
    ax.legend(loc="upper right", fontsize=7)
    return ax


_GSN_STYLE = {
    "Goal": {"marker": "s", "color": "#4c72b0"},
    "Strategy": {"marker": "D", "color": "#55a868"},
    "Solution": {"marker": "o", "color": "#dd8452"},
    "Assumption": {"marker": "h", "color": "#8c8c8c"},
    "Justification": {"marker": "h", "color": "#b8b8b8"},
    "Context": {"marker": "p", "color": "#8172b2"},
}


def argument(arg: Argument, node: str | None = None, *, values: bool = True) -> Any:
    """Draw a GSN argument as a tree, with each element's P(unsupported).

    Parameters
    ----------
    arg : Argument
    node : str, optional
        The root to draw from (default: the argument's root goal).
    values : bool
        Write each element's P(unsupported) under its id.

    Returns
    -------
    matplotlib.figure.Figure
        One node collection per element type (labelled ``goals``, ``strategies``, ...), the
        edges labelled ``supportedBy`` and ``inContextOf``, one text per element.

    Examples
    --------
    >>> from portfolios import gsn
    >>> fig = argument(gsn.load(gsn.EXAMPLE_PATH))
    >>> sorted(c.get_label() for c in fig.axes[0].collections)[:3]
    ['assumptions', 'contexts', 'goals']
    """
    from matplotlib.collections import LineCollection

    top = arg.root if node is None else node
    model = arg.model
    depth: dict[str, float] = {top: 0.0}
    order = [top]
    for n in order:  # breadth first: each element at its smallest depth
        children = (*model.support.get(n, ()), *model.context.get(n, ()))
        for c in children:
            if c not in depth:
                depth[c] = depth[n] + (0.5 if c in model.context.get(n, ()) else 1.0)
                order.append(c)
    rows: dict[float, list[str]] = {}
    for n in order:
        rows.setdefault(depth[n], []).append(n)
    position = {}
    stagger = {}
    for d, members in rows.items():
        for i, n in enumerate(members):
            position[n] = ((i + 0.5) / len(members), -d)
            stagger[n] = 0.12 * (i % 2) if len(members) > 8 else 0.0
    width = max(8.0, 0.9 * max(len(m) for m in rows.values()))
    height = max(depth.values()) + 1.0
    fig, ax = _figure(width, 1.4 * height + 1.0)
    for kind, label in (("supportedBy", "support"), ("inContextOf", "context")):
        links = model.support if kind == "supportedBy" else model.context
        segments = [
            (position[u], position[v]) for u in order for v in links.get(u, ()) if v in position
        ]
        ax.add_collection(
            LineCollection(
                segments,
                colors="#999999" if label == "support" else "#c0c0c0",
                linewidths=0.8,
                linestyles="solid" if label == "support" else "dashed",
                label=kind,
            )
        )
    p = arg.fault_tree.solve(order).probabilities if values else {}
    names = {
        "Goal": "goals",
        "Strategy": "strategies",
        "Solution": "solutions",
        "Assumption": "assumptions",
        "Justification": "justifications",
        "Context": "contexts",
    }
    for kind, style in _GSN_STYLE.items():
        members = [n for n in order if arg.elements[n].type == kind]
        if not members:
            continue
        xs, ys = zip(*(position[n] for n in members), strict=True)
        edge = ["#d62728" if n in model.legged else "none" for n in members]
        ax.scatter(xs, ys, s=90, zorder=3, label=names[kind], edgecolors=edge, **style)
    for n in order:
        x, y = position[n]
        text = n if not values else f"{n}\n{p[n]:.3g}"
        ax.text(x, y - 0.1 - stagger[n], text, ha="center", va="top", fontsize=6)
    ax.set_title(f"{arg.title or arg.file}: P(unsupported); multi-legged outlined in red")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-height + 0.4, 0.4)
    ax.set_axis_off()
    ax.legend(loc="lower center", ncols=4, fontsize=7, frameon=False, bbox_to_anchor=(0.5, -0.1))
    return fig
