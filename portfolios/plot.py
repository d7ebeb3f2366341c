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

Each draws on ``ax`` if given (else on the axes of a new :class:`matplotlib.figure.Figure`
built without pyplot: no display needed) and returns the axes; save with
``ax.figure.savefig(path)``. Artists carry labels so the figures can be inspected.
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

__all__ = [
    "EDGE_STYLES",
    "argument",
    "bounds",
    "edge_path",
    "importance_bars",
    "network",
    "uncertainty",
]

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


#: Edge kinds of :func:`network`: graph kind -> (legend label, colour, line style, width).
EDGE_STYLES = {
    "covers": ("covers (case - scenario)", "#4c72b0", "solid", 1.2),
    "assumptions": ("assumes (case - assumption)", "#a0a0a0", "solid", 0.7),
    "rests_on": ("rests on (case -> case)", "#2ca02c", "dashed", 1.3),
    "requires": ("requires (assumption -> assumption)", "#9467bd", "dashdot", 1.3),
    "latent": ("depends on (assumption - latent variable)", "#8c564b", "dotted", 1.4),
}

#: How far (x units; columns are 1 apart) the arc of a same-column edge bulges at most.
_MAX_BULGE = 0.42
_ARC_POINTS = 40


def edge_path(start: tuple[float, float], end: tuple[float, float], side: float) -> np.ndarray:
    """Return the points of an edge's route: a straight line, or an arc beside the column.

    Nodes sit in columns (x = 0, 1, 2, 3), so a straight segment between two columns passes no
    node; a segment between two nodes of one column would pass through every node between them.
    Such an edge is drawn as a cubic Bezier arc that leaves its nodes at an angle on the
    ``side`` (+1 right, -1 left) and bulges further the further apart they are, never more
    than ``_MAX_BULGE`` (0.42): it stays between two columns and touches its column only at its
    ends.

    Examples
    --------
    >>> arc = edge_path((1.0, 0.9), (1.0, 0.1), side=1.0)
    >>> bool(arc[0, 0] == arc[-1, 0] == 1.0), bool((arc[1:-1, 0] > 1.0).all())
    (True, True)
    >>> edge_path((1.0, 0.5), (2.0, 0.2), side=1.0).shape
    (2, 2)
    """
    (x0, y0), (x1, y1) = start, end
    if x0 != x1:
        return np.array([start, end], dtype=float)
    c = side * min(_MAX_BULGE, 0.2 + 0.4 * abs(y1 - y0)) / 0.75  # peak offset 3c/4
    t = np.linspace(0.0, 1.0, _ARC_POINTS)[:, None]
    # the arc leaves at an angle, so it does not run along a horizontal edge of its node
    dy = 0.15 * (y1 - y0)
    controls = np.array([[x0, y0], [x0 + c, y0 + dy], [x0 + c, y1 - dy], [x1, y1]], dtype=float)
    weights = np.hstack([(1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t**2 * (1 - t), t**3])
    out: np.ndarray = weights @ controls
    return out


def network(portfolio: Portfolio, scenario: str | None = None, *, ax: Any = None) -> Any:
    """Draw the case-assumption network, with ``scenario``'s small cut sets highlighted.

    Nodes are in columns: scenarios, cases, assumptions, latent variables. Edges between two
    columns are straight; an edge within a column (a case resting on a case, an assumption
    requiring another) is an arc beside the column with an arrowhead at the entry it rests on
    or requires, so no edge passes through a node (:func:`edge_path`). Each edge kind has its
    colour and line style, explained in the legend, as is every mark: with a scenario, its
    covering cases are drawn larger with bold names, and the entries in its minimal cut sets
    of order 1 and 2 are circled (a circled case: its soundness error; a circled assumption:
    its failure, on its own or through its latent variable; a circled latent variable: its
    failure).

    Parameters
    ----------
    portfolio : Portfolio
    scenario : str, optional
        Show only this scenario, emphasise its covering cases and highlight the events of its
        minimal cut sets of order 1 and 2.
    ax : matplotlib Axes, optional
        Draw here (default: a new figure sized to the portfolio).

    Returns
    -------
    matplotlib.axes.Axes
        Node collections labelled ``scenarios``, ``cases``, ``assumptions``, ``latent
        variables`` and, with a scenario, ``single point of failure`` / ``in an order-2 cut
        set``; one line collection per edge kind present, labelled as in
        :data:`EDGE_STYLES`; one text per node (its id). Save with ``ax.figure.savefig``.

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.load(portfolios.EXAMPLE_PATH)
    >>> ax = network(P, "oversight_undermining")
    >>> sorted(c.get_label() for c in ax.collections)[:3]
    ['assumes (case - assumption)', 'assumptions', 'cases']
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
    if ax is None:
        height = max(4.5, 0.32 * max(len(v) for v in nodes.values()) + 2.5)
        _, ax = _figure(9.5, height)
    # Arcs bulge away from the node names: cases are named on their left, assumptions on
    # their right, so case arcs go right and assumption arcs left (between the two columns).
    routes: dict[str, list[np.ndarray]] = {kind: [] for kind in EDGE_STYLES}
    heads: dict[str, list[tuple[float, float, str]]] = {kind: [] for kind in EDGE_STYLES}
    for u, v, d in G.edges(data=True):
        kind = d["kind"]
        if u not in position or v not in position:
            continue
        if kind == "covers" and v not in nodes["scenario"]:
            continue
        side = 1.0 if G.nodes[u]["kind"] == "case" else -1.0
        path = edge_path(position[u], position[v], side)
        routes[kind].append(path)
        if len(path) > 2:  # an arc: its arrowhead points into the node it rests on / requires
            x, y = position[v]
            heads[kind].append((x + 0.1 * side, y, "<" if side > 0 else ">"))
    for kind, (label, color, style, width) in EDGE_STYLES.items():
        if not routes[kind]:
            continue
        ax.add_collection(
            LineCollection(
                routes[kind], colors=color, linestyles=style, linewidths=width, label=label
            )
        )
        for x, y, marker in heads[kind]:
            ax.plot([x], [y], marker=marker, color=color, markersize=6, linestyle="none", zorder=5)
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
            ax.text(
                x + dx,
                y,
                n,
                ha=align,
                va="center",
                fontsize=7,
                fontweight=weight,
                zorder=5,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 0.5},
            )
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
        ax.set_title(
            f"{scenario}: its covering cases are large with bold names;\n"
            "entries in its minimal cut sets of order 1 and 2 are circled",
            fontsize=10,
        )
        note = (
            "Circled: a case's soundness error, an assumption's failure (on its own or through "
            "its latent variable), a latent variable's failure.\n"
        )
    else:
        ax.set_title(portfolio.title or "portfolio", fontsize=10)
        note = ""
    note += (
        "Arcs beside a column join two entries of that column; the arrowhead points to the case "
        "rested on, or the assumption required."
    )
    for (_, x), head in zip(
        _COLUMNS, ("scenarios", "cases", "assumptions", "latent variables"), strict=True
    ):
        ax.text(x, 1.03, head, ha="center", va="bottom", fontsize=8, color="#555555")
    ax.set_xlim(-1.3, 4.3)
    ax.set_ylim(-0.02, 1.07)
    ax.set_axis_off()
    ax.legend(
        loc="upper center",
        ncols=3,
        fontsize=7,
        frameon=False,
        bbox_to_anchor=(0.5, 0.0),
        title=note,
        title_fontsize=7,
    )
    return ax


def importance_bars(
    importance: Importance, measure: str = "birnbaum", *, limit: int = 15, ax: Any = None
) -> Any:
    """Draw one importance measure per basic event, largest at the top.

    Parameters
    ----------
    importance : Importance
    measure : str
        One of :data:`portfolios.importance.MEASURES`.
    limit : int
        Show at most this many events.
    ax : matplotlib Axes, optional
        Draw here (default: a new figure).

    Returns
    -------
    matplotlib.axes.Axes
        The bars are labelled ``measure``; y tick labels are the events.

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.load(portfolios.EXAMPLE_PATH)
    >>> ax = importance_bars(P.importance("weight_exfiltration"), "raw", limit=5)
    >>> ax.containers[0].get_label(), len(ax.patches)
    ('raw', 5)
    """
    labels = list(importance.ranked(measure)[:limit])
    values = [getattr(importance[lab], measure) for lab in labels]
    finite = [v for v in values if math.isfinite(v)]
    cap = 1.15 * max(finite) if finite else 1.0
    shown = [cap if math.isinf(v) else (0.0 if math.isnan(v) else v) for v in values]
    if ax is None:
        _, ax = _figure(7.0, 0.35 * len(labels) + 1.5)
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
        ax.axvline(1.0, color="#888888", linewidth=0.8, label="no effect (1)")
        ax.legend(loc="lower right", fontsize=7)
    ax.set_title(f"{importance.top}: {measure.replace('_', '-')} (P(top) = {importance.p_top:.3g})")
    return ax


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
    >>> sorted(c.get_label() for c in ax.collections if not c.get_label().startswith("_"))
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
    # an exact probability is a zero-length independent interval: a blue disc behind its dot
    ax.scatter(xs, ys, s=110, color="#4c72b0", zorder=2, label="_independent point")
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
    """Draw the distribution of P(unprotected) (or a gate's): histogram, CDF and quantiles.

    Parameters
    ----------
    result : Uncertainty
        From :meth:`Portfolio.uncertainty <portfolios.portfolio.Portfolio.uncertainty>` or
        :meth:`FaultTree.uncertainty <portfolios.faulttree.FaultTree.uncertainty>` (the
        x-axis is then labelled ``P(gate)``).
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
    ax.set_xlabel(result.quantity or "P(unprotected)")
    ax.set_ylabel("density")
    what = result.scenario or ", ".join(result.targets)
    ax.set_title(f"{what}: {result.n_samples} samples, mean {result.mean:.3g}")
    handles, labels = ax.get_legend_handles_labels()
    more, more_labels = right.get_legend_handles_labels()
    ax.legend(handles + more, labels + more_labels, loc="upper right", fontsize=7)
    return ax


_GSN_STYLE = {
    "Goal": {"marker": "s", "color": "#4c72b0"},
    "Strategy": {"marker": "D", "color": "#55a868"},
    "Solution": {"marker": "o", "color": "#dd8452"},
    "Assumption": {"marker": "h", "color": "#8c8c8c"},
    "Justification": {"marker": "h", "color": "#b8b8b8"},
    "Context": {"marker": "p", "color": "#8172b2"},
}


def argument(arg: Argument, node: str | None = None, *, values: bool = True, ax: Any = None) -> Any:
    """Draw a GSN argument as a tree, with each element's P(unsupported).

    Parameters
    ----------
    arg : Argument
    node : str, optional
        The root to draw from (default: the argument's root goal).
    values : bool
        Write each element's P(unsupported) under its id.
    ax : matplotlib.axes.Axes, optional
        Draw here (default: a new figure sized to the tree).

    Returns
    -------
    matplotlib.axes.Axes
        One node collection per element type (labelled ``goals``, ``strategies``, ...), the
        edges labelled ``supportedBy`` and ``inContextOf``, one text per element.

    Examples
    --------
    >>> from portfolios import gsn
    >>> ax = argument(gsn.load(gsn.EXAMPLE_PATH))
    >>> sorted(c.get_label() for c in ax.collections)[:3]
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
    if ax is None:
        _, ax = _figure(width, 1.4 * height + 1.0)
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
    return ax
