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
    fig = plot.hull(BONUS, KNOWN)
    (ax,) = fig.axes
    assert {
        "outputs",
        "convex hull",
        "E[w] = V_A",
        "worst case",
        "supporting line",
        "improved linear contract",
    } <= labels(ax)
    by_label = {line.get_label(): line for line in ax.lines}
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
    fig = plot.hull(Contract([0, 1, 2], [F(3, 10), F(3, 10), F(13, 10)]), known)
    by_label = {line.get_label(): line for line in fig.axes[0].lines}
    support, linear = by_label["supporting line"], by_label["improved linear contract"]
    assert support.get_xdata() == pytest.approx(support.get_ydata() / 2 + 0.3)
    assert linear.get_ydata() == pytest.approx([0, 1, 2])
    assert linear.get_xdata() == pytest.approx([0, 0.5, 1])
    assert "improved linear: w = 0.5 (y - 0)" in fig.axes[0].get_title()
    assert "guarantee 0.5" in fig.axes[0].get_title()


def test_hull_of_collinear_points():
    fig = plot.hull(LinearContract(F(1, 2)), KNOWN)  # points (y/2, y) are collinear
    assert "convex hull" in labels(fig.axes[0])


def test_guarantee_figure_marks_the_optimum():
    fig = plot.guarantee(KNOWN)
    by_label = {line.get_label(): line for line in fig.axes[0].lines}
    assert set(by_label) == {"guarantee", "optimum"}
    opt = optimal_linear(KNOWN)
    assert by_label["optimum"].get_xdata()[0] == pytest.approx(float(opt.alpha))
    assert by_label["optimum"].get_ydata()[0] == pytest.approx(float(opt.value))
    assert max(by_label["guarantee"].get_ydata()) <= float(opt.value) + 1e-12


def test_tour_writes_the_figures(tmp_path):
    out = io.StringIO()
    assert main(["tour", "--plots", str(tmp_path / "figs")], out=out) == 0
    written = {p.name for p in (tmp_path / "figs").glob("*.png")}
    assert {
        "contracts_hull_bonus.png",
        "contracts_hull_debt.png",
        "contracts_guarantee.png",
    } <= written
    assert "figures in" in out.getvalue()
