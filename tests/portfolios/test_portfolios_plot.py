"""Figures: produced, with the expected artists and labels (not pixels); the tour writes them."""

import io
import math

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
    fig = plot.network(example, "oversight_undermining")
    (ax,) = fig.axes
    labels = _labels(ax)
    assert {"edges", "scenarios", "cases", "assumptions", "latent variables"} <= labels
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
    ax = plot.network(example).axes[0]
    assert "single point of failure" not in _labels(ax)
    assert set(example.scenarios) <= {t.get_text() for t in ax.texts}


def test_importance_bars(example):
    imp = example.importance("weight_exfiltration")
    fig = plot.importance_bars(imp, "birnbaum", limit=4)
    ax = fig.axes[0]
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
    ax = plot.importance_bars(imp, "rrw").axes[0]
    assert any(t.get_text().strip() == "inf" for t in ax.texts)
    assert "no effect" in _labels(ax)
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
