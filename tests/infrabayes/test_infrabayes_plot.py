"""infrabayes.plot.simplex: geometry checked independently, and every figure rendered to PNG."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("matplotlib")

from infrabayes import Infradistribution, plot

H = Infradistribution(
    [
        {"rain": F(1, 2), "cloud": F(1, 4), "sun": F(1, 4)},
        {"rain": F(1, 10), "cloud": F(3, 5), "sun": F(3, 10)},
        {"rain": F(1, 5), "cloud": F(1, 5), "sun": F(3, 5)},
    ]
)


def test_barycentric_coordinates_by_hand():
    # corners: rain (0, 0), cloud (1, 0), sun (1/2, sqrt(3)/2); (1/2, 1/4, 1/4) is
    # 1/4 (1, 0) + 1/4 (1/2, sqrt 3 / 2) = (3/8, sqrt 3 / 8)
    xy = plot.to_triangle([[0.5, 0.25, 0.25]])[0]
    assert xy == pytest.approx([3 / 8, np.sqrt(3) / 8])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-20, 20), st.integers(-20, 20)), min_size=1, max_size=12))
def test_hull_matches_scipy(points):
    spatial = pytest.importorskip("scipy.spatial")
    pts = np.array(points, dtype=float)
    corners = plot.hull(pts)
    assert {tuple(c) for c in corners} <= {tuple(p) for p in pts}
    distinct = np.unique(pts, axis=0)
    try:
        reference = spatial.ConvexHull(distinct)
    except Exception:  # fewer than 3 points or all collinear: no area
        area = 0.0
        if len(corners) >= 3:  # then collinear points must not make a polygon
            x, y = corners.T
            area = 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))
        assert area == pytest.approx(0.0, abs=1e-9)
        return
    x, y = corners.T
    area = 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))  # shoelace
    assert area == pytest.approx(reference.volume)
    assert len(corners) == len(reference.vertices)


def test_simplex_draws_the_generators_hull_and_update(tmp_path):
    ax = plot.simplex(H, update=({"rain", "cloud"}, 1))
    labels = [c.get_label() for c in ax.collections]
    assert labels[0] == "prior: generators"
    prior = ax.collections[0].get_offsets()
    assert np.asarray(prior) == pytest.approx(
        plot.to_triangle([[0.5, 0.25, 0.25], [0.1, 0.6, 0.3], [0.2, 0.2, 0.6]])
    )
    # the update lives on the rain-cloud side (y = 0), at each prior law conditioned on it:
    # (1/2, 1/4) / (3/4) = (2/3, 1/3): x = 1/3; (1/10, 3/5) / (7/10): x = 6/7; (1/5, 1/5): 1/2
    update = np.vstack(
        [np.asarray(c.get_offsets()) for c in ax.collections if c.get_label().startswith("update")]
    )
    assert update[:, 1] == pytest.approx([0.0, 0.0, 0.0], abs=1e-12)
    assert sorted(update[:, 0]) == pytest.approx([1 / 3, 1 / 2, 6 / 7])
    texts = {t.get_text() for t in ax.texts}
    assert {"rain", "cloud", "sun"} <= texts
    # the a-measures that are not laws say their mass and b: generator 2 kept 4/15 + 4/15
    assert any(t.startswith("u2 (mass 0.533, b 0.467)") for t in texts)
    legend = {t.get_text() for t in ax.get_legend().get_texts()}
    assert "prior: hull of the generators" in legend
    path = tmp_path / "simplex.png"
    ax.figure.savefig(path, dpi=80)
    assert path.read_bytes()[:4] == b"\x89PNG"


def test_simplex_takes_ax_and_refuses_other_than_three_outcomes():
    from matplotlib.figure import Figure

    fig = Figure()
    left, right = fig.subplots(1, 2)
    assert plot.simplex(H, ax=right, grid=None) is right
    two = Infradistribution([{"a": 1, "b": 0}])
    with pytest.raises(ValueError, match="three outcomes; this infradistribution has 2"):
        plot.simplex(two, ax=left)
    other = Infradistribution([{"x": 1, "y": 0, "z": 0}])
    with pytest.raises(ValueError, match="update is over"):
        plot.simplex(H, update=other, ax=left)


def test_every_infrabayes_figure_renders_to_png(tmp_path):
    from test_infrabayes_mdp_hand import machine

    from infrabayes.learning import EXP3, NewcombBandit, run
    from infrabayes.learning import plot as learning_plot
    from infrabayes.sequential import compare
    from infrabayes.sequential import plot as sequential_plot

    env = NewcombBandit()
    result = run(EXP3(env.actions), env, steps=20, seeds=2, seed=1)
    axes = {
        "simplex": plot.simplex(H, update=({"rain", "cloud"}, 1)),
        "comparison": sequential_plot.comparison(compare(machine())),
        "regret": learning_plot.regret(result),
        "reward": learning_plot.average_reward(result),
    }
    for name, ax in axes.items():
        path = tmp_path / f"{name}.png"
        ax.figure.savefig(path, dpi=70)
        assert path.read_bytes()[:4] == b"\x89PNG", name
