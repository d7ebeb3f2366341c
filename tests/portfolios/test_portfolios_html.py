"""The HTML renderings Jupyter shows: real tables, parsed back with html.parser, ids escaped."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from portfolios import Portfolio
from portfolios._html import document, pairs, table


class _Cells(HTMLParser):
    """Collect the tables as rows of cell texts, and the paragraphs; check that tags nest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.captions: list[str] = []
        self.paragraphs: list[str] = []
        self.stack: list[str] = []
        self.text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th", "p", "caption"):
            self.text = []

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()
        if tag in ("td", "th", "p", "caption"):
            assert self.text is not None
            content = "".join(self.text)
            if tag == "p":
                self.paragraphs.append(content)
            elif tag == "caption":
                self.captions.append(content)
            else:
                self.tables[-1][-1].append(content)
            self.text = None

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)


def parse(fragment: str) -> _Cells:
    doc = _Cells()
    doc.feed(fragment)
    doc.close()
    assert doc.stack == []
    return doc


# Two cases share assumption A: P(U) = P(A) + P(not A) P(B) P(C) = 0.1 + 0.9 * 0.2 * 0.3 = 0.154
DATA = {
    "title": "two cases <&> one scenario",
    "assumptions": {
        "A": {"statement": "a", "p_fail": 0.1},
        "B": {"statement": "b", "p_fail": 0.2},
        "C": {"statement": "c", "p_fail": 0.3},
    },
    "cases": {
        "X": {"statement": "x", "assumptions": ["A", "B"], "covers": ["S"]},
        "Y": {"statement": "y", "assumptions": ["A", "C"], "covers": ["S"]},
    },
    "scenarios": {"S": {"statement": "s", "max_risk": 0.1}},
}


@pytest.fixture(scope="module")
def P() -> Portfolio:
    return Portfolio.from_dict(DATA)


def test_helpers_escape_and_typeset() -> None:
    doc = parse(document("<t>", table(["a", "b"], [["<x>", "1/3"]], "lr"), pairs([("k&", "v")])))
    assert doc.paragraphs == ["<t>"]
    assert doc.tables == [[["a", "b"], ["<x>", "1\u20443"]], [["k&", "v"]]]
    with pytest.raises(ValueError, match="align"):
        table(["a"], [["x"]], "lr")


def test_portfolio_score_html(P: Portfolio) -> None:
    score = P.score()
    doc = parse(score._repr_html_())
    assert doc.paragraphs[0] == "Safety-case portfolio: two cases <&> one scenario"
    summary, cuts = doc.tables
    header = summary[0]
    row = dict(zip(header, summary[1], strict=True))
    assert row["scenario"] == "S" and row["P(unprotected)"] == "0.154"
    # the independent product: P(X) P(Y) = 0.28 * 0.37 = 0.1036
    assert row["if independent"] == "0.1036"
    assert cuts[0] == ["order", "probability", "events"]
    # single point of failure A (0.1), then {B, C} with 0.2 * 0.3 = 0.06
    assert cuts[1:] == [["1", "0.1", "{A}"], ["2", "0.06", "{B, C}"]]
    scenario = parse(score["S"]._repr_html_())
    assert ["P(unprotected)", "0.154"] in scenario.tables[0]
    assert scenario.tables[1][1:] == [["X", "0.28"], ["Y", "0.37"]]


def test_importance_diversity_cutsets_html(P: Portfolio) -> None:
    imp = parse(P.importance("S")._repr_html_())
    [rows] = imp.tables
    assert rows[0][:3] == ["event", "kind", "P(e)"]
    # Birnbaum of A: P(U | A fails) - P(U | A holds) = 1 - 0.06 = 0.94, the largest
    assert rows[1][0] == "A" and rows[1][rows[0].index("Birnbaum")] == "0.94"
    assert len(rows) == 1 + 3
    div = parse(P.diversity("S")._repr_html_())
    assert div.tables[0][0] == ["order q", "effective number of dissimilar cases"]
    assert len(div.tables[0]) == 1 + len(P.diversity("S").orders)
    cuts = parse(P.minimal_cut_sets("S")._repr_html_())
    assert cuts.tables[0][1] == ["1", "0.1", "{A}"]


def test_bounds_uncertainty_montecarlo_html() -> None:
    data = {
        "assumptions": {
            "A": {"statement": "a", "p_fail": [0.1, 0.3]},
            "B": {"statement": "b", "p_fail": {"beta": [2, 8]}},
        },
        "cases": {
            "X": {"statement": "x", "assumptions": ["A"], "covers": ["S"]},
            "Y": {"statement": "y", "assumptions": ["B"], "covers": ["T"]},
        },
        "scenarios": {"S": {"statement": "s"}, "T": {"statement": "t"}},
    }
    Q = Portfolio.from_dict(data)
    b = parse(Q.bounds("S")._repr_html_())
    assert b.tables[0][:2] == [["lower", "0.1"], ["upper", "0.3"]]
    assert b.tables[1][1:] == [["A", "0.1", "0.3"]]
    u = Q.uncertainty("T", samples=200, rng=1)
    doc = parse(u._repr_html_())
    assert ["mean", f"{u.mean:.4g}"] in doc.tables[0]
    mc = Portfolio.from_dict(DATA).p_unprotected("S", method="montecarlo", n_samples=2000, rng=1)
    doc = parse(mc._repr_html_())
    assert doc.tables[0][2] == ["samples in which every target failed", f"{mc.n_hits} of 2000"]


def test_fault_tree_uncertainty_html(tmp_path) -> None:
    from portfolios import openpsa

    path = tmp_path / "t.xml"
    path.write_text(
        "<opsa-mef><define-fault-tree name='t'><define-gate name='top'><or>"
        "<basic-event name='A&lt;1&gt;'/><basic-event name='B'/></or></define-gate>"
        "<define-basic-event name='A&lt;1&gt;'><uniform-deviate><float value='0.1'/>"
        "<float value='0.3'/></uniform-deviate></define-basic-event>"
        "<define-basic-event name='B'><float value='0.5'/></define-basic-event>"
        "</define-fault-tree></opsa-mef>"
    )
    u = openpsa.load(path).uncertainty(samples=300, rng=2)
    doc = parse(u._repr_html_())
    # P(top) = 1 - (1 - a) 0.5 = 0.5 + 0.5 a: point value 0.6 (a at its mean 0.2)
    assert doc.paragraphs == ["P(top): 300 samples"]
    assert ["point value", "0.6"] in doc.tables[0] and ["engine", u.engine] in doc.tables[0]
    assert ["5% quantile", f"{u.quantiles[0.05]:.4g}"] in doc.tables[0]
    # the deviate, named by its basic event, escaped: 'A<1>' reads back as written
    assert doc.tables[1][0] == ["parameter", "first-order index", "Spearman"]
    assert doc.tables[1][1][0] == "A<1>" and doc.tables[1][1][2] == "+1.000"


def test_ranking_html(P: Portfolio) -> None:
    # P(U) = 0.154 (above). Shoring up A leaves P(B) P(C) = 0.06; B (or C) leaves P(A) = 0.1.
    r = P.most_load_bearing("S")
    doc = parse(r._repr_html_())
    assert doc.paragraphs == [
        "What next for scenario S: each assumption shored up, ranked by the drop in "
        "P(unprotected) = 0.154 (3 options, method exact)"
    ]
    [rows] = doc.tables
    assert rows[0] == ["assumption shored up", "P(U) after", "drop", "drop %"]
    # drops 0.154 - 0.06 = 0.094 (61.0 %) and 0.154 - 0.1 = 0.054 (35.1 %); B, C tie, by id
    assert rows[1:] == [
        ["A", "0.06", "0.094", "61.0%"],
        ["B", "0.1", "0.054", "35.1%"],
        ["C", "0.1", "0.054", "35.1%"],
    ]
    # two identical candidates tie for best (a note says so); the list is cut at max_listed
    same = {"statement": "z", "assumptions": ["B"]}
    r = P.best_addition("S", {"Z2": same, "Z1": same, "W": {"statement": "w", "assumptions": []}})
    doc = parse(r._repr_html_(max_listed=1))
    # W rests on nothing and never fails: P(U) after = 0. Z fails with B: P(B) P(A or C) = 0.074
    assert doc.tables[0][1:] == [["W", "0", "0.154", "100.0%"]]
    assert doc.paragraphs[1:] == ["... and 2 more (to_text())"]
    r = P.best_addition("S", {"Z2": same, "Z1": same})
    doc = parse(r._repr_html_())
    assert doc.tables[0][1:] == [["Z1", "0.074", "0.08", "51.9%"], ["Z2", "0.074", "0.08", "51.9%"]]
    assert doc.paragraphs[1:] == ["Tied best (within TIE_TOLERANCE): Z1, Z2"]
