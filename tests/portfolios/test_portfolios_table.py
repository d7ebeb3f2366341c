"""The plain-text and Markdown tables of the reports (``portfolios._table``, GSN's Markdown)."""

import io
import re
from pathlib import Path

import pytest

from contracts._cli import main
from portfolios import gsn
from portfolios._table import markdown_cell, markdown_table, text_table

ROOT = Path(__file__).resolve().parents[2]


def _cells(lines, header):
    """Cut each line at the right edges of the columns.

    The first column is left-aligned to its longest cell (none has two spaces in a row); each
    other column ends where its header ends.
    """
    head = lines[0]
    edges = [max(len(line.split("  ")[0]) for line in lines)]
    for name in header[1:]:
        edges.append(head.index(name, edges[-1]) + len(name))
    out = []
    for line in lines:
        assert len(line) == len(head), (line, head)  # no cell overflows or falls short
        assert all(line[e] == " " for e in edges[:-1]), line  # a space between columns
        starts = [0, *edges[:-1]]
        out.append([line[a:b].strip() for a, b in zip(starts, edges, strict=True)])
    return out


@pytest.mark.parametrize(
    ("header", "rows", "widths"),
    [
        (["event", "P"], [["A", "0.1"], ["a-very-long-basic-event-name", "0.25"]], [5]),
        (["e", "P"], [["A", "0.123456789012345"]], [3]),  # a body cell longer than its width
        (["phase", "a header longer than its width", "x"], [["p", "1", "2"]], [4, 1]),
        (["phase", "house events", "P(gate)"], [["a_out", "pump_a_out=true", "0.1355"]], [9, 9]),
    ],
)
def test_each_column_widens_to_its_longest_cell(header, rows, widths):
    lines = text_table(header, rows, widths)
    assert _cells(lines, header) == [header, *rows]


def test_widths_are_minimum_widths():
    lines = text_table(["a", "b"], [["x", "1"]], [6])
    assert lines == ["a       b", "x       1"]


def test_a_row_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="2 cells in a table of 3"):
        text_table(["a", "b", "c"], [["x", "1"]], [3, 3])


def test_the_phase_table_of_the_faulttree_command_is_aligned(monkeypatch):
    monkeypatch.chdir(ROOT / "docs" / "how-to")
    out = io.StringIO()
    assert main(["faulttree", "two-trains.xml", "--phases"], out=out) == 0
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("phase "))
    table = lines[start : start + 5]  # header, three phases, the time-weighted mean
    header = ["phase", "fraction", "house events", "P(no_cooling)"]
    rows = _cells(table, header)
    assert [r[0] for r in rows[1:]] == ["normal", "a_out", "b_out", "time-weighted mean"]
    assert rows[2][2] == "pump_a_out=true" and rows[4][2] == ""


# Markdown: a cell ends at every unescaped pipe, so a pipe in a name must be written \|.
UNESCAPED = re.compile(r"(?<!\\)\|")


def _columns(row):
    """The number of cells of a Markdown table row (split on unescaped pipes)."""
    assert row.startswith("| ") and row.endswith(" |"), row
    return len(UNESCAPED.split(row)) - 2


def _tables(text):
    """The Markdown tables of ``text``: runs of lines starting with ``|``."""
    tables, current = [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables


def _check_tables(text, count):
    tables = _tables(text)
    assert len(tables) == count, text
    for table in tables:
        n = _columns(table[0])
        assert table[1].replace("-", "").replace(":", "").replace(" ", "") == "|" * (n + 1)
        assert all(_columns(row) == n for row in table), table
    return tables


def test_a_pipe_in_a_markdown_cell_is_escaped():
    rows = [["a|b", "`c|d`", "0.1"], ["two\nlines", "e", "|"]]
    lines = markdown_table(["name|x", "code", "P"], rows, "llr")
    assert [_columns(line) for line in lines] == [3, 3, 3, 3]
    assert lines[2] == r"| a\|b | `c\|d` | 0.1 |"
    assert lines[3] == r"| two lines | e | \| |"
    assert markdown_cell("no pipe") == "no pipe"


PIPES = """<?xml version="1.0"?>
<opsa-mef><define-fault-tree name="t">
  <define-gate name="top|gate"><or><basic-event name="A|1"/><and><basic-event name="B"/>
    <basic-event name="C|or|D"/></and></or></define-gate>
  <define-basic-event name="A|1"><float value="0.1"/></define-basic-event>
  <define-basic-event name="B"><float value="0.2"/></define-basic-event>
  <define-basic-event name="C|or|D"><float value="0.3"/></define-basic-event>
</define-fault-tree></opsa-mef>"""


def test_the_faulttree_markdown_tables_keep_their_columns_with_pipes_in_names(tmp_path):
    path = tmp_path / "pipes.xml"
    path.write_text(PIPES)
    out = io.StringIO()
    argv = ["faulttree", str(path), "--mcs", "--importance", "--format", "markdown"]
    assert main(argv, out=out) == 0
    cuts, importance = _check_tables(out.getvalue(), 2)
    assert _columns(cuts[0]) == 3 and len(cuts) == 4
    assert r"B, C\|or\|D" in cuts[3] or r"B, C\|or\|D" in cuts[2]
    assert _columns(importance[0]) == 8  # its header "P(e|top)" is one cell too
    assert {row.split(" | ")[0] for row in importance[2:]} == {r"| A\|1", "| B", r"| C\|or\|D"}


def test_the_gsn_markdown_tables_keep_their_columns_with_pipes_in_ids(tmp_path):
    text = (ROOT / "docs" / "how-to" / "two-legs.gsn.yaml").read_text()
    for old in ("G1", "S1"):
        text = re.sub(rf"\b{old}\b", f'"{old[0]}|{old[1:]}"', text)
    path = tmp_path / "pipes.gsn.yaml"
    path.write_text(text)
    md = gsn.load(path).score().to_markdown()
    roots, legs = _check_tables(md, 2)
    assert roots[2].startswith(r"| G\|1 | ") and legs[2].startswith(r"| S\|1 | G2, G3 | ")
