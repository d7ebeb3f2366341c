"""``_repr_html_`` of the contracts results: real tables, exact fractions typeset, escaped."""

from fractions import Fraction as F
from html.parser import HTMLParser

from contracts import (
    Contract,
    Technology,
    _html,
    improve,
    optimal_linear,
    price_of_robustness,
    worst_case,
)
from contracts._tour import example_technology
from contracts.comparison import compare_families
from contracts.landscape import linear_breakpoints
from contracts.mixture import RandomizedContract
from contracts.randomized import worst_case_randomized


class Table(HTMLParser):
    """Collect a table's caption and its rows of cells; a fraction cell reads ``p/q``.

    A typeset fraction ``<sup>p</sup>&frasl;<sub>q</sub>`` is read back from its parts (and
    checked against its ``title``), so a cell's text is what the text repr prints.
    """

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.caption, self.rows, self.titles = "", [], []
        self.where, self.cell, self.stack = None, None, []
        self.feed(text)
        self.close()
        assert self.stack == [], f"unclosed tags {self.stack}"

    def handle_starttag(self, tag, attrs):
        if tag not in ("br",):
            self.stack.append(tag)
        if tag == "caption":
            self.where = "caption"
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = ""
        elif tag == "span" and ("class", "frac") in attrs:
            self.titles.append(dict(attrs)["title"])

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()
        if tag == "caption":
            self.where = None
        elif tag in ("td", "th"):
            self.rows[-1].append(self.cell)
            self.cell = None

    def handle_data(self, data):
        data = data.replace("\u2044", "/").replace("\u2212", "-")
        if self.where == "caption":
            self.caption += data
        elif self.cell is not None:
            self.cell += data


def parse(obj):
    text = obj._repr_html_()
    assert text.startswith("<table") and text.rstrip().endswith("</table>")
    table = Table(text)
    for title in table.titles:  # every typeset fraction carries its plain form
        F(title)
    return table


def fields(table):
    return {row[0]: row[1] for row in table.rows[1:]}


KNOWN = example_technology()
BONUS = Contract(list(KNOWN.outputs), [0, 0, 0, 1, 1])


def test_number_typesets_fractions_and_escapes():
    assert _html.number(F(7, 10)) == (
        '<span class="frac" title="7/10"><sup>7</sup>&frasl;<sub>10</sub></span>'
    )
    assert _html.number(F(-1, 3)).startswith("&minus;<span")
    assert _html.number(F(4)) == "4" and _html.number(0.25) == "0.25"
    assert _html.cell("<b>&") == "&lt;b&gt;&amp;"
    assert "<script>" not in _html.table("<script>", ["<i>"], [["<x>", "<y>"]])


def test_technology_is_its_grid():
    table = parse(KNOWN)
    assert table.caption == "Technology: 5 outputs, 3 actions"
    assert table.rows[0] == ["y", "0", "1", "2", "3", "4", "cost", "mean"]
    # the tour's firm: shirk (1/2, 1/4, 1/8, 1/8, 0) free, mean 1/4 + 2/8 + 3/8 = 7/8
    assert table.rows[1] == ["a0", "1/2", "1/4", "1/8", "1/8", "0", "0", "7/8"]
    assert table.rows[2] == ["a1", "0", "1/10", "1/5", "3/10", "2/5", "1/3", "3"]


def test_worst_case_fields_and_adversary():
    wc = worst_case(BONUS, KNOWN)
    got = fields(parse(wc))
    assert got["value"] == "11/15" and got["agent_value"] == "11/30"  # as the tour derives
    assert got["adversary"] == repr(wc.adversary)
    assert got["attained"] == str(wc.attained) and got["method"] == "exact"


def test_improvement_and_optimal_linear():
    imp = improve(BONUS, KNOWN)
    got = fields(parse(imp))
    assert got["linear"] == repr(imp.linear)
    assert got["linear_value"] == str(imp.linear_value) and "/" in got["linear_value"]
    opt = fields(parse(optimal_linear(KNOWN)))
    # (sqrt 3 - sqrt(1/3))^2 = 4/3 at alpha = 1/3 (the tour's numbers)
    assert opt["value"] == "4/3" and opt["alpha"] == "1/3" and opt["slopes"] == "1/3"


def test_price_of_robustness_is_the_text_table():
    por = price_of_robustness(KNOWN)
    table = parse(por)
    assert table.rows[0] == ["contract", "if known", "guaranteed"]
    text_rows = [line.split() for line in repr(por).splitlines()[2:]]
    for html_row, text_row in zip(table.rows[1:], text_rows, strict=True):
        assert html_row[1:] == text_row[-2:]


def test_this_turns_results_render():
    lb = parse(linear_breakpoints(KNOWN))
    assert lb.rows[0][0] == "from alpha" and lb.rows[-1][1] == "1"
    cmp = parse(compare_families(KNOWN))
    assert cmp.rows[0][:2] == ["family", "known"] and len(cmp.rows) > 2
    lottery = RandomizedContract([F(1, 3), F(1, 2)], [F(1, 2), F(1, 2)])
    r = fields(parse(worst_case_randomized(lottery, KNOWN)))
    assert F(r["value"]) > 0


def test_floats_show_the_text_digits():
    floats = Technology.from_arrays([0.0, 1.0], [[0.5, 0.5]], [0.125])
    assert parse(floats).rows[1] == ["a0", "0.5", "0.5", "0.125", "0.5"]


def test_a_long_grid_is_summarised_as_in_the_text_repr():
    y = list(range(40))
    known = Technology.from_arrays(y, [[F(int(v == 39)) for v in y]], [F(1, 7)])
    table = parse(known)
    assert table.caption == "Technology: 40 outputs, 1 action; outputs 0 .. 39"
    assert table.rows == [["action", "cost", "mean"], ["a0", "1/7", "39"]]


def test_signal_and_combinatorial_results_render():
    from contracts import Action, SignalTechnology, optimal_affine
    from contracts.combinatorial import additive, critical_values

    z = [[0, 0], [1, 0], [0, 1], [1, 1]]
    opt = optimal_affine(SignalTechnology(z, [Action([0, 0.5, 0, 0.5], 0.25)]))
    assert fields(parse(opt))["value"] == _html.cell(opt.value)
    # additive items 1/4 at cost 1/16 and 1/2 at cost 1/4: breakpoints 1/4 and 1/2, and the
    # principal's 1/2 * 3/4 = 3/8 at alpha = 1/2 (module docstring of contracts.combinatorial)
    best = fields(parse(critical_values(additive([F(1, 4), F(1, 2)], [F(1, 16), F(1, 4)]))))
    assert best["breakpoints"] == "1/4, 1/2"
    assert best["value"] == "3/8"
