"""The HTML renderings Jupyter shows: real tables, exact fractions typeset, everything escaped."""

from __future__ import annotations

import math
from fractions import Fraction as F
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infrabayes import Infradistribution
from infrabayes._html import Table, html, typeset


class _Cells(HTMLParser):
    """Collect the tables of an HTML fragment as lists of rows of cell texts; check nesting."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.paragraphs: list[str] = []
        self.stack: list[str] = []
        self.cell: list[str] | None = None
        self.para: list[str] | None = None
        self.fractions = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "p":
            self.para = []
        elif tag == "sup":
            self.fractions += 1

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()
        if tag in ("td", "th"):
            assert self.cell is not None
            self.tables[-1][-1].append("".join(self.cell))
            self.cell = None
        elif tag == "p":
            assert self.para is not None
            self.paragraphs.append("".join(self.para))
            self.para = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        if self.para is not None:
            self.para.append(data)


def parse(fragment: str) -> _Cells:
    parser = _Cells()
    parser.feed(fragment)
    parser.close()
    assert parser.stack == []
    return parser


def test_infradistribution_html_is_the_generator_table_with_fractions_typeset() -> None:
    H = Infradistribution(
        [{"x1": F(1, 2), "x2": F(1, 4), "<b>": F(1, 4)}, ({"x1": 0, "x2": 1, "<b>": 0}, F(1, 3))]
    )
    doc = parse(H._repr_html_())
    [rows] = doc.tables
    assert rows[0] == ["", "x1", "x2", "<b>", "b"]  # escaped: the outcome shows as written
    # U+2044 FRACTION SLASH between the superscript numerator and subscript denominator
    assert rows[1] == ["0", "1\u20442", "1\u20444", "1\u20444", "0"]
    assert rows[2] == ["1", "0", "1", "0", "1\u20443"]
    assert doc.fractions == 4
    assert "normalized" in doc.paragraphs[0]
    assert "&lt;b&gt;" in H._repr_html_()


def test_unnormalized_infradistribution_says_so_in_both_renderings() -> None:
    H = Infradistribution([{"a": F(11, 10), "b": 0}])
    # the symptom: the whole space's lower probability exceeds its upper one
    assert H.lower_probability({"a", "b"}) > H.upper_probability({"a", "b"})
    assert not H.is_normalized()
    text = repr(H)
    assert "NOT normalized" in text.splitlines()[0]
    assert "E(1) = 11/10" in text
    doc = parse(H._repr_html_())
    assert any("E(1) = 11\u204410" in p for p in doc.paragraphs)
    assert "(exact, normalized" in repr(Infradistribution([{"a": F(1, 10), "b": F(9, 10)}]))


@pytest.mark.parametrize("build", ["init", "arrays"])
def test_normalized_true_refuses_a_mass_of_eleven_tenths(build: str) -> None:
    with pytest.raises(ValueError, match=r"E\(0\) = 0 and E\(1\) = 11/10.*exactly"):
        if build == "init":
            Infradistribution([{"a": F(11, 10), "b": 0}], normalized=True)
        else:
            Infradistribution.from_arrays([[F(11, 10), 0]], outcomes=("a", "b"), normalized=True)
    ok = Infradistribution([{"a": F(1, 2), "b": F(1, 2)}], normalized=True)
    assert ok.is_normalized()


def test_normalized_true_tolerance_is_relative_for_floats() -> None:
    near = Infradistribution([{"a": 0.1 + 0.2, "b": 0.7}], normalized=True)  # 1.0000000000000002
    assert near.is_normalized()
    with pytest.raises(ValueError, match="relative tolerance 1e-09"):
        Infradistribution([{"a": 0.3, "b": 0.7 + 1e-6}], normalized=True)
    with pytest.raises(ValueError, match="E\\(0\\) = 0.5"):
        Infradistribution([({"a": 0.5, "b": 0.5}, 0.5)], normalized=True)
    assert math.isfinite(near.expect(1))


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=12), st.lists(st.fractions(min_value=-5, max_value=5), max_size=3))
def test_any_cell_text_is_escaped_and_fractions_kept(word: str, numbers: list[F]) -> None:
    cells = [word, *(str(x) for x in numbers)]
    doc = parse(html(["head <i>", Table(["name", *("v" * len(numbers))], [cells])]))
    # every cell reads back exactly as written, a fraction's slash shown as U+2044
    assert doc.tables[0][1] == [c if c is word else c.replace("/", "\u2044") for c in cells]
    assert doc.paragraphs[0] == "head <i>"


def test_typeset_leaves_words_and_decimals_alone() -> None:
    assert typeset("a1/2") == "a1/2"
    assert typeset("0.5/2.5") == "0.5/2.5"
    assert typeset("x/y") == "x/y"
    assert "<sup>3</sup>" in typeset("3/4")
