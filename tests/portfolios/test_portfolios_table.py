"""The plain-text and Markdown tables of the reports (``portfolios._table``)."""

from pathlib import Path

import pytest

from portfolios._table import text_table

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
    import io

    from contracts._cli import main

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
