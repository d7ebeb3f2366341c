r"""A picture of a decision problem's tree (needs the ``plot`` extra: ``knightian[plot]``).

:func:`tree` draws on the axes it is given (``ax=``) or on a new figure built without pyplot (no
display needed) and returns the axes; save with ``ax.figure.savefig(path)``. matplotlib is
imported only when it is called. For a large tree, or a picture with Graphviz's own layout, export
the text of a DOT digraph with :meth:`Problem.to_dot <infrabayes.problems.Problem.to_dot>`.

Examples
--------
>>> from infrabayes.problems import parfits_hitchhiker
>>> ax = tree(parfits_hitchhiker())
>>> sorted(t.get_text() for t in ax.texts)[:3]
['desert\nutility 0', 'driver\nreads town', 'pay']
"""

from __future__ import annotations

from typing import Any

from infrabayes.problems._draw import label, layout, shape
from infrabayes.problems.problem import Problem

__all__ = ["tree"]

#: matplotlib's box style for each Graphviz shape of :func:`infrabayes.problems._draw.shape`.
_BOXES = {
    "box": "square,pad=0.3",
    "ellipse": "round,pad=0.3",
    "diamond": "round4,pad=0.3",
    "octagon": "sawtooth,pad=0.3",
    "plaintext": "round,pad=0.2",
}
_COLOURS = {
    "box": "#cfe2f3",
    "ellipse": "#fff2cc",
    "diamond": "#f4cccc",
    "octagon": "#ead1dc",
    "plaintext": "white",
}
#: The legend entry of each node shape.
_KINDS = {
    "ellipse": "chance",
    "box": "decision (named by its information set)",
    "diamond": "predictor (reads the policy at an information set)",
    "octagon": "correlate",
}


def _axes(ax: Any, width: float, height: float) -> Any:
    if ax is not None:
        return ax
    try:
        from matplotlib.figure import Figure
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(
            "infrabayes.problems.plot needs matplotlib: pip install 'knightian[plot]'"
        ) from err
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig.subplots()


def tree(problem: Problem, ax: Any = None) -> Any:
    """Draw the tree of `problem` top down and return the matplotlib axes.

    Chance nodes are yellow rounded boxes, decision nodes blue boxes labelled by their information
    set, predictors red (correlates purple), outcomes plain text with their utility (on white:
    no edge crosses a label); edges carry the branch labels; the decision nodes of one
    information set are joined by a dashed line. A legend below names the shapes drawn.
    Shared subtrees are unfolded (at most
    :data:`~infrabayes.problems._draw.MAX_LAYOUT_NODES` nodes, else a ValueError naming
    :meth:`~infrabayes.problems.Problem.to_dot`).

    Parameters
    ----------
    problem : Problem
    ax : matplotlib.axes.Axes, optional
        Drawn on a new figure when not given.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not isinstance(problem, Problem):
        raise TypeError(f"tree() draws a Problem; got {type(problem).__name__}")
    pic = layout(problem.root)
    xs = [x for x, _, _ in pic.nodes]
    ys = [y for _, y, _ in pic.nodes]
    width = max(4.0, 1.6 * (max(xs) - min(xs) + 1))
    height = max(3.0, 1.4 * (max(ys) - min(ys) + 1))
    ax = _axes(ax, width, height)
    for parent, child, text in pic.edges:
        (x0, y0, _), (x1, y1, _) = pic.nodes[parent], pic.nodes[child]
        ax.plot([x0, x1], [y0, y1], color="0.5", linewidth=1, zorder=1)
        # a branch label reaches outward from its edge's midpoint, so that the labels of two
        # sibling edges never run into each other (read as one label)
        side = "right" if x1 < x0 else "left" if x1 > x0 else "center"
        ax.text(
            (x0 + x1) / 2,
            (y0 + y1) / 2,
            text,
            ha=side,
            va="center",
            fontsize=7,
            color="0.25",
            bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none"},
            zorder=2,
        )
    for members in pic.infosets.values():
        if len(members) > 1:
            mx = [pic.nodes[k][0] for k in members]
            my = [pic.nodes[k][1] for k in members]
            ax.plot(mx, my, linestyle="--", color="#3d85c6", linewidth=1, zorder=1.5)
    kinds = []
    for x, y, node in pic.nodes:
        kind = shape(node)
        kinds.append(kind)
        # an outcome is plain text on white, so that no edge runs through its words
        edge = "none" if kind == "plaintext" else "0.3"
        style = {"boxstyle": _BOXES[kind], "facecolor": _COLOURS[kind], "edgecolor": edge}
        ax.text(x, y, label(node), ha="center", va="center", fontsize=8, bbox=style, zorder=3)
    ax.set_xlim(min(xs) - 0.8, max(xs) + 0.8)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
    ax.set_axis_off()
    ax.set_title(problem.name)
    _legend(ax, kinds, any(len(m) > 1 for m in pic.infosets.values()))
    return ax


def _legend(ax: Any, kinds: list[str], dashed: bool) -> None:
    """Explain the node shapes drawn (and the dashed line of an information set)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = [
        Patch(facecolor=_COLOURS[k], edgecolor="0.3", label=_KINDS[k]) for k in _KINDS if k in kinds
    ]
    if dashed:
        handles.append(Line2D([], [], linestyle="--", color="#3d85c6", label="one information set"))
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncols=1,  # one column: a row of long labels would widen the figure and squeeze the tree
        fontsize=7,
        frameon=False,
    )
