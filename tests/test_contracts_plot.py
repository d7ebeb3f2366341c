"""Figures: produced, with the expected artists (not pixels)."""

import io
from fractions import Fraction as F

import pytest

pytest.importorskip("matplotlib")

from contracts import (
    Contract,
    LinearContract,
    Technology,
    improve,
    optimal_linear,
    plot,
    worst_case,
)
from contracts._cli import main

KNOWN = Technology.from_arrays([0, 1, 2, 3], [[0, F(1, 3), F(1, 3), F(1, 3)]], [F(1, 2)])
BONUS = Contract([0, 1, 2, 3], [0, 0, 1, 1])


def labels(ax):
    return {a.get_label() for a in [*ax.lines, *ax.patches, *ax.collections]}


def test_hull_figure_draws_carrolls_argument():
    ax = plot.hull(BONUS, KNOWN)
    fig = ax.figure
    assert {
        "outputs",
        "convex hull",
        "E[w] = V_A",
        "worst case",
        "supporting line (= improved linear contract)",
        "improved linear contract",
    } <= labels(ax)
    by_label = {line.get_label().split(" (")[0]: line for line in ax.lines}
    # the worst-case point is (E_G w, E_G y) = (1/6, 1/3) for G = 5/6 at 0 + 1/6 at 2
    wc = worst_case(BONUS, KNOWN)
    star = by_label["worst case"]
    assert star.get_xdata()[0] == pytest.approx(1 / 6)
    assert star.get_ydata()[0] == pytest.approx(1 / 3)
    assert by_label["E[w] = V_A"].get_xdata()[0] == pytest.approx(float(wc.agent_value))
    # the supporting line w = y / 2 + 0 passes through the worst-case point; with beta = 0 it is
    # also the improved linear contract
    alpha = float(improve(BONUS, KNOWN).affine.alpha)
    for label in ("supporting line", "improved linear contract"):
        line = by_label[label]
        assert line.get_xdata() == pytest.approx(alpha * line.get_ydata())
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getvalue()[:4] == b"\x89PNG"


def test_hull_of_a_base_wage_draws_the_linear_contract_apart_from_the_supporting_line():
    # w = 3/10 + 1[y = 2] on {0, 1, 2}, known delta_2 at cost 1/2 (the base-wage example of
    # tests/test_contracts_linear.py): the supporting line is y/2 + 3/10, the improved linear
    # contract drops the base wage: y/2.
    known = Technology.from_arrays([0, 1, 2], [[0, 0, 1]], [F(1, 2)])
    ax = plot.hull(Contract([0, 1, 2], [F(3, 10), F(3, 10), F(13, 10)]), known)
    by_label = {line.get_label(): line for line in ax.lines}
    support, linear = by_label["supporting line"], by_label["improved linear contract"]
    assert support.get_xdata() == pytest.approx(support.get_ydata() / 2 + 0.3)
    assert linear.get_ydata() == pytest.approx([0, 1, 2])
    assert linear.get_xdata() == pytest.approx([0, 0.5, 1])
    # exact numbers as fractions, and no zero origin "(y - 0)"
    assert "improved linear contract w = 1/2 y: guarantee 1/2" in ax.get_title()


def test_hull_of_collinear_points():
    ax = plot.hull(LinearContract(F(1, 2)), KNOWN)  # points (y/2, y) are collinear
    assert "convex hull" in labels(ax)


def test_guarantee_figure_marks_the_optimum():
    ax = plot.guarantee(KNOWN)
    by_label = {line.get_label(): line for line in ax.lines}
    assert set(by_label) == {"guarantee", "optimum", "action a0 alone"}
    opt = optimal_linear(KNOWN)
    assert by_label["optimum"].get_xdata()[0] == pytest.approx(float(opt.alpha))
    assert by_label["optimum"].get_ydata()[0] == pytest.approx(float(opt.value))
    assert max(by_label["guarantee"].get_ydata()) <= float(opt.value) + 1e-12


def test_tour_writes_the_figures(tmp_path):
    out = io.StringIO()
    assert main(["tour", "contracts", "--plots", str(tmp_path / "figs")], out=out) == 0
    written = {p.name for p in (tmp_path / "figs").glob("*.png")}
    assert {
        "contracts_hull_bonus.png",
        "contracts_hull_debt.png",
        "contracts_guarantee.png",
        "contracts_randomized.png",
    } <= written
    assert "figures in" in out.getvalue()


TWO = Technology.from_arrays(
    [0, 1, 2, 3, 4],
    [[F(1, 2), F(1, 2), 0, 0, 0], [0, F(1, 4), F(1, 4), F(1, 4), F(1, 4)]],
    [0, F(2, 5)],
)


def test_guarantee_is_the_envelope_of_one_curve_per_action():
    """As the tutorial says: shirk's (1 - alpha)/2, work's (1 - alpha)(5/2 - 2/(5 alpha))_+."""
    ax = plot.guarantee(TWO, alphas=[F(1, 10), F(1, 5), F(2, 5), F(1, 2), 1])
    by_label = {line.get_label(): line for line in ax.lines}
    a = [0.1, 0.2, 0.4, 0.5, 1.0]
    shirk = [(1 - x) / 2 for x in a]
    work = [(1 - x) * max(0.0, 2.5 - 0.4 / x) for x in a]
    assert by_label["action a0 alone"].get_ydata() == pytest.approx(shirk)
    assert by_label["action a1 alone"].get_ydata() == pytest.approx(work)
    assert by_label["guarantee"].get_ydata() == pytest.approx(
        [max(s, w) for s, w in zip(shirk, work, strict=True)]
    )
    assert "Carroll's optimum 9/10 at alpha = 2/5" in ax.get_title()


@pytest.mark.parametrize("draw", ["hull", "guarantee", "randomized"])
def test_every_plot_draws_into_the_given_axes(draw):
    from matplotlib.figure import Figure

    from contracts import optimal_randomized

    fig = Figure(figsize=(12, 4), layout="constrained")
    axes = fig.subplots(1, 3)
    target = axes[1]
    if draw == "hull":
        got = plot.hull(BONUS, KNOWN, ax=target)
    elif draw == "guarantee":
        got = plot.guarantee(KNOWN, ax=target)
    else:
        got = plot.randomized(optimal_randomized(KNOWN, grid=8), ax=target)
    assert got is target and target.lines and not axes[0].lines and not axes[2].lines


@pytest.mark.parametrize("draw", ["hull", "guarantee"])
def test_the_legend_covers_nothing_and_the_title_fits(draw, tmp_path):
    """Rendered to PNG: the legend's box is outside the axes' box, the title inside the figure."""
    ax = plot.hull(BONUS, KNOWN) if draw == "hull" else plot.guarantee(TWO)
    fig = ax.figure
    path = tmp_path / f"{draw}.png"
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    fig.savefig(path, dpi=80)
    assert path.read_bytes()[:4] == b"\x89PNG"
    canvas.draw()
    renderer = canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    legend = ax.get_legend().get_window_extent(renderer)
    assert legend.x0 >= box.x1  # to the right of the axes: covers no point of the hull
    title = ax.title.get_window_extent(renderer)
    figure = fig.bbox
    assert figure.x0 <= title.x0 and title.x1 <= figure.x1 and title.y1 <= figure.y1
    assert legend.x1 <= figure.x1
