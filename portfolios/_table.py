"""Tables of preformatted cells, as plain text (aligned columns) or as Markdown."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

__all__ = ["markdown_cell", "markdown_table", "text_table"]

_BREAKS = re.compile(r"[\r\n]+")


def text_table(
    header: Sequence[str], rows: Iterable[Sequence[str]], widths: Sequence[int]
) -> list[str]:
    r"""Return the lines of a plain-text table.

    The first column is left-aligned to its longest cell, followed by two spaces; each other
    column ``i`` is right-aligned to ``widths[i - 1]`` characters or to its longest cell
    (header or body) if that is longer, the columns separated by one space. No cell overflows
    its column, so every row has the same layout whatever the lengths of the names.

    Examples
    --------
    >>> print("\n".join(text_table(["event", "P"], [["A", "0.1"], ["longer", "0.25"]], [5])))
    event       P
    A         0.1
    longer   0.25
    >>> print("\n".join(text_table(["event", "P"], [["A", "0.123456789"]], [5])))
    event            P
    A      0.123456789
    """
    rows = [list(r) for r in rows]
    if len(widths) != len(header) - 1:
        raise ValueError(f"{len(header)} columns need {len(header) - 1} widths, got {widths!r}")
    for r in rows:
        if len(r) != len(header):
            raise ValueError(f"a row of {len(r)} cells in a table of {len(header)}: {r!r}")
    columns = list(zip(header, *rows, strict=True))
    first = max(len(c) for c in columns[0])
    rest = [max(w, *(len(c) for c in cells)) for w, cells in zip(widths, columns[1:], strict=True)]

    def line(cells: Sequence[str]) -> str:
        right = " ".join(c.rjust(w) for c, w in zip(cells[1:], rest, strict=True))
        return f"{cells[0]:<{first}}  {right}"

    return [line(header), *(line(r) for r in rows)]


def markdown_cell(text: str) -> str:
    r"""Return ``text`` as the content of a Markdown table cell.

    A ``|`` is escaped as ``\|`` (also inside a code span: GitHub's tables split rows on every
    unescaped pipe first), and a line break becomes a space (it would end the row), so a name
    with either stays in its cell.

    Examples
    --------
    >>> print(markdown_cell("`A|B`"))
    `A\|B`
    """
    return _BREAKS.sub(" ", text).replace("|", "\\|")


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]], align: str) -> list[str]:
    r"""Return the lines of a Markdown table; ``align`` has one letter per column, ``l`` or ``r``.

    Every cell goes through ``markdown_cell``, so every row has as many cells as the header.

    Examples
    --------
    >>> print("\n".join(markdown_table(["order", "events"], [["1", "`A`"]], "rl")))
    | order | events |
    | ---: | --- |
    | 1 | `A` |
    >>> print("\n".join(markdown_table(["gate", "P"], [["a|b", "0.1"]], "lr")))
    | gate | P |
    | --- | ---: |
    | a\|b | 0.1 |
    """
    rule = ["---:" if a == "r" else "---" for a in align]
    body = [[markdown_cell(c) for c in cells] for cells in (header, *rows)]
    return [f"| {' | '.join(cells)} |" for cells in (body[0], rule, *body[1:])]
