"""Pictures of infradistributions (needs the ``plot`` extra: ``pip install knightian[plot]``).

* :func:`simplex`: a credal set over three outcomes on the probability triangle: the
  generators, their convex hull and, optionally, the updated set.

Each function draws on the axes it is given (``ax=``) or on a new figure built without pyplot
(no display needed), and returns the axes; save with ``ax.figure.savefig(path)``. Artists
carry labels, so the figure can be inspected. matplotlib is imported only when a function is
called. See also :mod:`infrabayes.sequential.plot` and :mod:`infrabayes.learning.plot`.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from infrabayes.infradistribution import Infradistribution

__all__ = ["VERTICES", "hull", "simplex", "to_triangle"]

#: The corners of the triangle: outcome ``i`` (a point mass) sits at ``VERTICES[i]``.
VERTICES = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, math.sqrt(3) / 2]])

_PRIOR = "#3182bd"
_POSTERIOR = "#e6550d"


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    try:
        from matplotlib.figure import Figure
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(
            "infrabayes.plot needs matplotlib: pip install 'knightian[plot]'"
        ) from err
    fig = Figure(figsize=(6.0, 6.0), layout="constrained")
    return fig.subplots()


def to_triangle(p: Any) -> np.ndarray:
    """Return the points of the triangle of probability vectors ``p`` (rows, three entries).

    Barycentric coordinates: ``p @ VERTICES``.

    Examples
    --------
    >>> to_triangle([[1, 0, 0], [0, 0, 1], [0.5, 0.5, 0]]).round(3).tolist()
    [[0.0, 0.0], [0.5, 0.866], [0.5, 0.0]]
    """
    out: np.ndarray = np.asarray(p, dtype=float).reshape(-1, 3) @ VERTICES
    return out


def hull(points: Any) -> np.ndarray:
    """Return the vertices of the convex hull of 2-d points, counter-clockwise (monotone chain).

    One or two distinct points give themselves (a point, a segment).

    Examples
    --------
    >>> hull([[0, 0], [1, 0], [0, 1], [0.2, 0.2], [1, 0]]).tolist()
    [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
    """
    pts = sorted({(float(x), float(y)) for x, y in np.asarray(points, dtype=float)})
    if len(pts) <= 2:
        return np.array(pts, dtype=float).reshape(-1, 2)
    scale = max(1.0, *(abs(c) for p in pts for c in p))
    tol = 1e-12 * scale * scale  # collinear within rounding: dropped (relative to the size)

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    upper: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= tol:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= tol:
            upper.pop()
        upper.append(p)
    return np.array(lower[:-1] + upper[:-1], dtype=float)


def _directions(h: Infradistribution) -> tuple[np.ndarray, list[str]]:
    """Return each generator's measure scaled to total mass 1, and its note if not a law."""
    masses = np.array([[float(x) for x in row] for row in h.masses], dtype=float)
    b = [float(x) for x in h.b]
    points, notes = [], []
    for i, (row, bi) in enumerate(zip(masses, b, strict=True)):
        total = float(row.sum())
        if total <= 0.0:
            raise ValueError(
                f"generator {i} has total mass 0 (only b = {bi:g}): it has no point on the "
                "probability triangle"
            )
        points.append(row / total)
        law = math.isclose(total, 1.0, rel_tol=1e-9) and abs(bi) <= 1e-9
        notes.append("" if law else f" (mass {total:.3g}, b {bi:.3g})")
    return np.array(points), notes


def _draw(ax: Any, h: Infradistribution, name: str, color: str, marker: str) -> None:
    directions, notes = _directions(h)
    xy = to_triangle(directions)
    corners = hull(xy)
    what = "hull of the generators" if not any(notes) else "hull of the generators' directions"
    if len(corners) >= 3:
        ax.fill(*corners.T, color=color, alpha=0.22, label=f"{name}: {what}", zorder=1)
    elif len(corners) == 2:
        ax.plot(*corners.T, color=color, linewidth=3, alpha=0.5, label=f"{name}: {what}", zorder=1)
    laws = [i for i, n in enumerate(notes) if not n]
    other = [i for i, n in enumerate(notes) if n]
    if laws:
        ax.scatter(
            *xy[laws].T, s=45, color=color, marker=marker, zorder=3, label=f"{name}: generators"
        )
    if other:
        ax.scatter(
            *xy[other].T,
            s=45,
            facecolors="white",
            edgecolors=color,
            marker=marker,
            zorder=3,
            label=f"{name}: a-measures (direction; mass and b in the label)",
        )
    for i, ((x, y), note) in enumerate(zip(xy, notes, strict=True)):
        ax.annotate(
            f"{name[0]}{i}{note}",
            (x, y),
            xytext=(5, 4),
            textcoords="offset points",
            fontsize=7,
            color=color,
            zorder=4,
        )


def simplex(
    h: Infradistribution,
    *,
    update: Infradistribution | tuple[Any, Any] | None = None,
    ax: Any = None,
    grid: float | None = 0.25,
) -> Any:
    """Draw a credal set over three outcomes on the probability triangle.

    Each corner is an outcome (the law that puts all the mass on it); a point inside is a law,
    at distance ``p(x)`` of the way from the opposite side to the corner of ``x``. The
    generators are dots (labelled ``p0, p1, ...`` for the prior, ``u0, ...`` for the update)
    and their convex hull is shaded: the credal set. A generator that is not a probability law
    (total mass not 1, or ``b`` not 0: an a-measure of an update or of a non-crisp set) is
    drawn hollow at its measure rescaled to mass 1 (its direction), and its label gives its
    mass and ``b``. The shaded hull is then the hull of those directions: for an update on an
    event, the prior laws conditioned on the event (Bayes' rule, law by law), while the
    update itself also weighs each by its mass and ``b`` (what it kept, and what it was worth
    off the event).

    Parameters
    ----------
    h : Infradistribution
        Over exactly three outcomes.
    update : Infradistribution or (likelihood, g), optional
        The updated set to draw as well: an infradistribution over the same outcomes, or the
        arguments of :meth:`Infradistribution.update <infrabayes.Infradistribution.update>`
        (an event or likelihood, and the off-event utility ``g``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure's axes.
    grid : float or None, default 0.25
        Draw lines of constant probability at this step (None: no grid).

    Returns
    -------
    matplotlib.axes.Axes
        With the triangle (labelled ``simplex``), the hull (``prior: hull of the
        generators``), the generators (``prior: generators``) and the same for ``update``, the
        corners named by the outcomes, and a legend.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from infrabayes import Infradistribution
    >>> H = Infradistribution([
    ...     {"rain": F(1, 2), "cloud": F(1, 4), "sun": F(1, 4)},
    ...     {"rain": F(1, 10), "cloud": F(3, 5), "sun": F(3, 10)},
    ... ])
    >>> ax = simplex(H, update=({"rain", "cloud"}, 1))
    >>> sorted(t.get_text() for t in ax.texts if t.get_text() in H.outcomes)
    ['cloud', 'rain', 'sun']
    >>> [c.get_label() for c in ax.collections][:2]
    ['prior: generators', 'update: generators']
    """
    outcomes: Sequence[Hashable] = h.outcomes
    if len(outcomes) != 3:
        raise ValueError(
            f"simplex draws three outcomes; this infradistribution has {len(outcomes)}: "
            f"{list(outcomes)!r} (push it forward onto three with .pushforward)"
        )
    if isinstance(update, tuple):
        likelihood, g = update
        update = h.update(likelihood, g)
    if update is not None and tuple(update.outcomes) != tuple(outcomes):
        raise ValueError(
            f"update is over {list(update.outcomes)!r}, not over {list(outcomes)!r} in that order"
        )
    ax = _axes(ax)
    ring = np.vstack([VERTICES, VERTICES[:1]])
    ax.plot(*ring.T, color="black", linewidth=1.0, label="simplex", zorder=2)
    if grid:
        steps = np.arange(grid, 1.0 - 1e-9, grid)
        for k in range(3):
            i, j = (k + 1) % 3, (k + 2) % 3
            for t in steps:  # p_k = t: the segment between the two sides it meets
                a = t * VERTICES[k] + (1 - t) * VERTICES[i]
                b = t * VERTICES[k] + (1 - t) * VERTICES[j]
                ax.plot(*np.array([a, b]).T, color="#dddddd", linewidth=0.6, zorder=0)
    _draw(ax, h, "prior", _PRIOR, "o")
    if update is not None:
        _draw(ax, update, "update", _POSTERIOR, "s")
    offsets = [(-0.04, -0.05, "right"), (0.04, -0.05, "left"), (0.0, 0.04, "center")]
    for (x, y), (dx, dy, align), name in zip(VERTICES, offsets, outcomes, strict=True):
        label = name if isinstance(name, str) else repr(name)
        ax.text(x + dx, y + dy, label, ha=align, va="center", fontsize=10, fontweight="bold")
    ax.set_aspect("equal")
    ax.set_xlim(-0.2, 1.2)
    ax.set_ylim(-0.12, 0.98)
    ax.set_axis_off()
    title = "credal set on the probability triangle"
    if grid:
        title += f"\n(grey lines: one outcome's probability in steps of {grid:g})"
    ax.set_title(title, fontsize=10)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=2, fontsize=7, frameon=False)
    return ax
