"""Figures: produced, with the expected artists and labels (not pixels); the tour writes them."""

import io
import itertools
import math

import numpy as np
import pytest

pytest.importorskip("matplotlib")

import portfolios
from portfolios import Portfolio, plot
from portfolios._tour import section


@pytest.fixture(scope="module")
def example():
    return portfolios.load(portfolios.EXAMPLE_PATH)


def _labels(ax):
    return {a.get_label() for a in [*ax.lines, *ax.patches, *ax.collections, *ax.containers]}


def test_network_highlights_the_cut_sets(example):
    ax = plot.network(example, "oversight_undermining")
    fig = ax.figure
    labels = _labels(ax)
    assert {"scenarios", "cases", "assumptions", "latent variables"} <= labels
    edge_labels = {label for label, *_ in plot.EDGE_STYLES.values()}
    # the example has every edge kind; each is its own collection, named in the legend
    assert edge_labels <= labels
    legend = {t.get_text() for t in ax.get_legend().get_texts()}
    assert edge_labels | {"single point of failure", "in an order-2 cut set"} <= legend
    assert {"single point of failure", "in an order-2 cut set"} <= labels
    texts = {t.get_text() for t in ax.texts}
    assert set(example.assumptions) | set(example.cases) <= texts
    assert "oversight_undermining" in texts and "weight_exfiltration" not in texts
    # the circled single points of failure are exactly the order-1 cut sets
    spof = next(c for c in ax.collections if c.get_label() == "single point of failure")
    circled = {tuple(xy) for xy in spof.get_offsets().tolist()}
    assumptions = next(c for c in ax.collections if c.get_label() == "assumptions")
    offsets = map(tuple, assumptions.get_offsets().tolist())
    positions = dict(zip(example.assumptions, offsets, strict=True))
    expected = {
        e.id for e in example.minimal_cut_sets("oversight_undermining").single_points_of_failure
    }
    assert circled == {positions[a] for a in expected}
    bold = {t.get_text() for t in ax.texts if t.get_fontweight() == "bold"}
    assert bold == set(example.covering_cases("oversight_undermining"))
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getvalue()[:4] == b"\x89PNG"


def test_network_without_a_scenario_shows_everything(example):
    ax = plot.network(example)
    assert "single point of failure" not in _labels(ax)
    assert set(example.scenarios) <= {t.get_text() for t in ax.texts}


def test_importance_bars(example):
    imp = example.importance("weight_exfiltration")
    ax = plot.importance_bars(imp, "birnbaum", limit=4)
    assert ax.containers[0].get_label() == "birnbaum"
    assert [t.get_text() for t in ax.get_yticklabels()] == list(imp.ranked("birnbaum")[:4])
    widths = [p.get_width() for p in ax.patches]
    assert widths == pytest.approx([imp[lab].birnbaum for lab in imp.ranked("birnbaum")[:4]])


def test_infinite_rrw_is_drawn_and_marked():
    P = Portfolio.from_dict(
        {
            "assumptions": {k: {"statement": k, "p_fail": v} for k, v in (("A", 0.1), ("B", 0.2))},
            "cases": {
                "X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]},
                "Y": {"statement": "y", "assumptions": ["B"], "covers": ["S"]},
            },
            "scenarios": {"S": {"statement": "s"}},
        }
    )
    imp = P.importance("S")
    assert math.isinf(imp["A"].rrw)
    ax = plot.importance_bars(imp, "rrw")
    assert any(t.get_text().strip() == "inf" for t in ax.texts)
    assert "no effect (1)" in _labels(ax)
    with pytest.raises(ValueError, match="unknown measure"):
        plot.importance_bars(imp, "magic")


def test_tour_section_writes_its_figures(tmp_path):
    out = io.StringIO()
    section(out, plots=tmp_path)
    text = out.getvalue()
    for phrase in ("importance measures", "Leinster-Cobbold", "Which case to add next", "BDD"):
        assert phrase in text
    written = sorted(p.name for p in tmp_path.glob("*.png"))
    assert written == [
        "portfolios_bounds.png",
        "portfolios_importance.png",
        "portfolios_network.png",
    ]


def test_bounds_draws_each_interval_where_bounds_puts_it():
    from matplotlib.figure import Figure

    d = portfolios.load(portfolios.EXAMPLE_PATH).to_dict()
    d["assumptions"]["trusted_models"]["p_fail"] = [0.01, 0.1]
    P = Portfolio.from_dict(d)
    ax = Figure().subplots()
    assert plot.bounds(P, ax=ax) is ax
    bars = {c.get_label(): c for c in ax.collections}
    assert {"independent", "unknown dependence", "max_risk"} <= set(bars)
    names = list(P.scenarios)
    independent = bars["independent"].get_segments()
    unknown = bars["unknown dependence"].get_segments()
    for row, s in enumerate(names):
        b = P.bounds(s)
        u = P.bounds(s, dependence="unknown")
        assert independent[row][:, 0].tolist() == pytest.approx([b.lower, b.upper])
        assert unknown[row][:, 0].tolist() == pytest.approx([u.lower, u.upper])
        assert u.lower <= b.lower and b.upper <= u.upper
    risks = [seg[0, 0] for seg in bars["max_risk"].get_segments()]
    assert risks == [P.scenarios[s].max_risk for s in names]
    assert [t.get_text() for t in ax.get_yticklabels()] == names[::-1]
    assert plot.bounds(P, log=True).get_xscale() == "log"


def test_uncertainty_draws_the_sample_and_its_quantiles():
    P = Portfolio.from_dict(
        {
            "assumptions": {"A": {"statement": "a", "p_fail": {"beta": [2, 8]}}},
            "cases": {"X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]}},
            "scenarios": {"S": {"statement": "s"}},
        }
    )
    u = P.uncertainty("S", 5000, rng=1, quantiles=(0.1, 0.9))
    ax = plot.uncertainty(u, bins=20)
    lines = {line.get_label(): line for line in ax.lines}
    assert lines["q=0.1"].get_xdata()[0] == u.quantiles[0.1]
    assert lines["mean"].get_xdata()[0] == u.mean
    assert len(ax.patches) == 20
    cdf = ax.right_ax.lines[0]
    assert cdf.get_ydata()[-1] == 1.0 and len(cdf.get_xdata()) == 5000
    assert ax.get_xlabel() == "P(unprotected)"


def test_uncertainty_draws_a_fault_tree_result(tmp_path):
    from portfolios import openpsa

    path = tmp_path / "t.xml"
    path.write_text(
        "<opsa-mef><define-fault-tree name='t'><define-gate name='top'><or>"
        "<basic-event name='A'/></or></define-gate><define-basic-event name='A'>"
        "<beta-deviate><float value='2'/><float value='8'/></beta-deviate>"
        "</define-basic-event></define-fault-tree></opsa-mef>"
    )
    u = openpsa.load(path).uncertainty(samples=1000, rng=0)
    ax = plot.uncertainty(u, bins=10)
    assert ax.get_xlabel() == "P(top)" and len(ax.patches) == 10
    lines = {line.get_label(): line for line in ax.lines}
    assert lines["point value"].get_xdata()[0] == pytest.approx(0.2)  # Beta(2, 8)'s mean
    assert set(lines) >= {f"q={q:g}" for q in (0.05, 0.25, 0.5, 0.75, 0.95)}


def _node_centres_and_radii(ax):
    """Display coordinates and radii (pixels) of every node marker (not the highlight rings)."""
    kinds = {"scenarios", "cases", "assumptions", "latent variables"}
    centres, radii = [], []
    for c in ax.collections:
        if c.get_label() in kinds:
            xy = ax.transData.transform(c.get_offsets())
            sizes = np.broadcast_to(c.get_sizes(), (len(xy),))
            centres.extend(map(tuple, xy))
            radii.extend(np.sqrt(sizes) / 2 * ax.figure.dpi / 72)
    return np.array(centres), np.array(radii)


# Same-column edges that skip a node: A0 requires A2 over A1, X rests on Z over Y.
SKIPPING = {
    "assumptions": {
        "A0": {"statement": "a0", "p_fail": 0.1, "requires": ["A2"]},
        "A1": {"statement": "a1", "p_fail": 0.1},
        "A2": {"statement": "a2", "p_fail": 0.1, "requires": ["A1"]},
    },
    "cases": {
        "X": {"statement": "x", "assumptions": ["A0"], "rests_on": ["Z"], "covers": ["S"]},
        "Y": {"statement": "y", "assumptions": ["A1"], "covers": ["S"]},
        "Z": {"statement": "z", "assumptions": ["A2"], "covers": ["T"]},
    },
    "scenarios": {"S": {"statement": "s"}, "T": {"statement": "t"}},
}


@pytest.mark.parametrize("which", [None, "oversight_undermining", "skipping", "skipping S"])
def test_no_edge_passes_through_a_node(example, which):
    """Sampled densely, every edge keeps clear of every node but its own two ends."""
    if which is None or which == "oversight_undermining":
        ax = plot.network(example, which)
        enough = 40
    else:
        ax = plot.network(Portfolio.from_dict(SKIPPING), which.split()[1] if " " in which else None)
        enough = 6
    ax.figure.canvas.draw()  # fixes the layout, so transData is final
    centres, radii = _node_centres_and_radii(ax)
    edge_labels = {label for label, *_ in plot.EDGE_STYLES.values()}
    checked = 0
    for c in ax.collections:
        if c.get_label() not in edge_labels:
            continue
        for path in c.get_paths():
            pts = path.vertices
            # densify: 30 points on each piece of the polyline
            t = np.linspace(0.0, 1.0, 30)[:, None]
            dense = np.vstack([a + t * (b - a) for a, b in itertools.pairwise(pts)])
            xy = ax.transData.transform(dense)
            ends = ax.transData.transform(pts[[0, -1]])
            for centre, r in zip(centres, radii, strict=True):
                if np.min(np.hypot(*(ends - centre).T)) < 1e-6:
                    continue  # one of the edge's own nodes
                gap = np.min(np.hypot(*(xy - centre).T))
                assert gap > r + 1.0, (c.get_label(), pts[0], pts[-1], centre)
            checked += 1
    assert checked >= enough


def test_a_straight_same_column_edge_would_cross_and_the_arc_does_not():
    """The defect the routing fixes: A0 requires A2 through A1, drawn in one column."""
    a0, a1, a2 = (2.0, 0.9), (2.0, 0.5), (2.0, 0.1)
    straight = np.array([a0, a2])
    t = np.linspace(0, 1, 101)[:, None]
    line = straight[0] + t * (straight[1] - straight[0])
    assert np.min(np.hypot(*(line - a1).T)) == 0.0  # straight: through A1
    arc = plot.edge_path(a0, a2, side=-1.0)
    assert np.min(np.hypot(*(arc - a1).T)) > 0.3  # the arc passes A1 far to its left
    assert arc[:, 0].min() >= 2.0 - plot._MAX_BULGE - 1e-12  # and stays short of column 1


def test_every_portfolio_figure_renders_to_png(example, tmp_path):
    """Render each figure with Agg; the files are there to be looked at (see tmp_path)."""
    imp = example.importance("weight_exfiltration")
    figures = {
        "network": plot.network(example, "oversight_undermining"),
        "network_all": plot.network(example),
        "importance": plot.importance_bars(imp, "rrw"),
        "bounds": plot.bounds(example),
    }
    for name, ax in figures.items():
        path = tmp_path / f"{name}.png"
        ax.figure.savefig(path, dpi=80)
        assert path.read_bytes()[:4] == b"\x89PNG"


def test_plot_functions_draw_on_the_given_axes(example):
    from matplotlib.figure import Figure

    fig = Figure()
    left, right = fig.subplots(1, 2)
    assert plot.network(example, "weight_exfiltration", ax=left) is left
    assert plot.importance_bars(example.importance("weight_exfiltration"), ax=right) is right
    assert len(fig.axes) == 2
