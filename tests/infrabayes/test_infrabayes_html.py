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
    # the text's "|" before b is a rule on the b column: one per row and one in the header
    assert H._repr_html_().count("border-left") == 1 + 2


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
    def make() -> Infradistribution:
        if build == "init":
            return Infradistribution([{"a": F(11, 10), "b": 0}], normalized=True)
        return Infradistribution.from_arrays([[F(11, 10), 0]], outcomes=("a", "b"), normalized=True)

    with pytest.raises(ValueError, match=r"E\(0\) = 0 and E\(1\) = 11/10.*exactly"):
        make()
    ok = Infradistribution([{"a": F(1, 2), "b": F(1, 2)}], normalized=True)
    assert ok.is_normalized()


def test_normalized_true_tolerance_is_relative_for_floats() -> None:
    near = Infradistribution([{"a": 0.1 + 0.2, "b": 0.7}], normalized=True)  # 1.0000000000000002
    assert near.is_normalized()
    with pytest.raises(ValueError, match=r"relative tolerance 1e-09"):
        Infradistribution([{"a": 0.3, "b": 0.7 + 1e-6}], normalized=True)
    with pytest.raises(ValueError, match=r"E\(0\) = 0\.5"):
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


def _table_of(result: object) -> list[list[str]]:
    fragment = result._repr_html_()  # type: ignore[attr-defined]
    doc = parse(fragment)
    assert len(doc.tables) == 1
    # the first paragraph is the repr's first line (its fractions typeset)
    assert doc.paragraphs[0].replace("\u2044", "/") == repr(result).splitlines()[0]
    return doc.tables[0]


def test_problem_results_render_as_tables() -> None:
    from infrabayes.problems.library import parfits_hitchhiker

    noisy = parfits_hitchhiker(epsilon=F(1, 10))
    sol = noisy.solve("ib")
    rows = _table_of(sol)
    assert rows[0][:2] == ["policy", "value"]
    by_policy = {r[0]: r for r in rows[1:]}
    # the values, computed by hand in the Parfit's Hitchhiker tutorial: pay 8991/10000, refuse 1/10
    assert by_policy["pay"][1] == "8991\u204410000" and by_policy["refuse"][1] == "1\u204410"
    comparison = noisy.compare()
    rows = _table_of(comparison)
    assert rows[0] == ["theory", "chooses", "value", "expected utility"]
    assert len(rows) == 1 + len(comparison.rows)
    redecision = noisy.after("town").solve()
    rows = _table_of(redecision)
    assert rows[0] == ["action", "ex ante", "raw update", "IB update", "naive conditioning"]
    # IB update: 8991/10000 / (9/10) = 999/1000 for pay, 1/10 / (9/10) = 1/9 for refuse
    assert rows[1][3] == "999\u20441000" and rows[2][3] == "1\u20449"
    assert any(
        "naive conditioning: refuse" in p for p in parse(redecision._repr_html_()).paragraphs
    )


def test_sequential_and_learning_results_render_as_tables() -> None:
    from test_infrabayes_mdp_hand import machine

    from infrabayes.learning import EXP3, NewcombBandit, run, sweep
    from infrabayes.sequential import compare, solve

    sol = solve(machine())
    rows = _table_of(sol)
    assert rows[0] == ["state", "value", "optimal action(s)", "Murphy's next state"]
    assert rows[1][:2] == ["new", "200\u204429"]  # V_new = 200/29, by hand in the MDP tests
    rows = _table_of(compare(machine()))
    assert len(rows) == 1 + 3
    env = NewcombBandit()
    result = run(EXP3(env.actions), env, steps=10, seeds=2, seed=1)
    rows = _table_of(result)
    assert rows[1][0] == "best policy in hindsight"
    s = sweep([EXP3(env.actions)], {"e": env}, 10, 2, seed=1)
    assert _table_of(s)[1][:2] == ["EXP3", "e"]


def test_ameasure_html() -> None:
    from infrabayes import AMeasure

    rows = parse(AMeasure({"a": F(1, 3), "b": 0}, F(1, 2))._repr_html_()).tables[0]
    assert rows == [["", "a", "b", "b"], ["", "1\u20443", "0", "1\u20442"]]
