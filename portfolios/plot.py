"""Pictures of a portfolio (needs the ``plot`` extra: ``pip install knightian[plot]``).

* :func:`network`: the case-assumption network in columns (scenarios, cases, assumptions,
  latent variables), edges as in :mod:`portfolios.network`; for a scenario, its covering cases
  are emphasised and the basic events of its smallest minimal cut sets are highlighted (red:
  single points of failure; orange: in a cut set of order 2; a soundness error is drawn on its
  case).
* :func:`importance_bars`: one importance measure per basic event, as horizontal bars (an
  infinite RRW is drawn past the largest finite bar and marked ``inf``).

Both return a :class:`matplotlib.figure.Figure` built without pyplot (no display needed); save
it with ``fig.savefig(path)``. Artists carry labels so the figures can be inspected.
"""

from __future__ import annotations

import math
from typing import Any

from .importance import Importance
from .portfolio import Portfolio

__all__ = ["importance_bars", "network"]

_COLUMNS = (("scenario", 0.0), ("case", 1.0), ("assumption", 2.0), ("latent", 3.0))
_STYLE = {
    "scenario": {"marker": "s", "color": "#4c72b0"},
    "case": {"marker": "o", "color": "#55a868"},
    "assumption": {"marker": "D", "color": "#8c8c8c"},
    "latent": {"marker": "h", "color": "#8172b2"},
}
_HIGHLIGHT = {1: ("single point of failure", "#d62728"), 2: ("in an order-2 cut set", "#ff7f0e")}


def _figure(width: float = 8.0, height: float = 6.0) -> tuple[Any, Any]:
    try:
        from matplotlib.figure import Figure
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(
            "portfolios.plot needs matplotlib: pip install 'knightian[plot]'"
        ) from err
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
