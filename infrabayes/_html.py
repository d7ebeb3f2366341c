"""One report, two renderings: the text ``repr`` and the HTML table Jupyter shows.

A result's report is a list of *blocks*: a string is a line of text, a :class:`Table` a table of
preformatted cells (see :mod:`infrabayes._table`). :func:`text` renders the blocks as the text
``repr`` (the tables aligned), :func:`html` as an HTML fragment for ``_repr_html_``: every table a
real ``<table>``, every exact fraction ``7/10`` typeset as a stacked fraction, and every piece of
text escaped with :func:`html.escape`, so an outcome named ``<b>`` shows as written.

Examples
--------
>>> blocks = ["H: 2 generators", Table(["", "x"], [["0", "1/2"], ["1", "<1>"]])]
>>> print(text(blocks))
H: 2 generators
     x
  0  1/2
  1  <1>
>>> print(html(blocks))  # doctest: +ELLIPSIS
<div class="knightian-result"><p><strong>H: 2 generators</strong></p><table>...
<tr><td style="text-align:left">0</td><td style="text-align:left"><sup>1</sup>&frasl;...
"""

from __future__ import annotations

import html as _html_module
import re
from collections.abc import Sequence
from dataclasses import dataclass

from infrabayes._table import _numeric, table

__all__ = ["Block", "Table", "html", "text", "typeset"]


@dataclass(frozen=True)
class Table:
    """A table of preformatted cells; the first `left` columns are always left-aligned.

    Columns whose header is ``|`` are separators: drawn in the text; in the HTML the next
    column gets a rule on its left instead.
    """

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    left: int = 1

    def lines(self) -> list[str]:
        """Return the aligned text lines (see :func:`infrabayes._table.table`)."""
        return table(self.header, self.rows, left=self.left)


Block = str | Table

# An exact fraction as the package prints it: 7/10, -1/3 (not part of a longer word or path).
_FRACTION = re.compile(r"(?<![\w./])(-?)(\d+)/(\d+)(?![\w/]|\.\d)")


def typeset(cell: str) -> str:
    """Return `cell` escaped for HTML, its exact fractions ``p/q`` typeset as stacked ones.

    Examples
    --------
    >>> typeset("1/2 & -3/4")
    '<sup>1</sup>&frasl;<sub>2</sub> &amp; -<sup>3</sup>&frasl;<sub>4</sub>'
    """
    out = []
    end = 0
    for match in _FRACTION.finditer(cell):
        out.append(_html_module.escape(cell[end : match.start()]))
        sign, p, q = match.groups()
        out.append(f"{sign}<sup>{p}</sup>&frasl;<sub>{q}</sub>")
        end = match.end()
    out.append(_html_module.escape(cell[end:]))
    return "".join(out)


def text(blocks: Sequence[Block]) -> str:
    """Return the text rendering: lines as given, tables aligned."""
    lines: list[str] = []
    for block in blocks:
        lines.extend(block.lines() if isinstance(block, Table) else [block])
    return "\n".join(lines)


def html(blocks: Sequence[Block]) -> str:
    """Return the HTML rendering: the first line bold, each table a ``<table>``, lines ``<p>``."""
    parts = ['<div class="knightian-result">']
    for i, block in enumerate(blocks):
        if isinstance(block, Table):
            parts.append(_table_html(block))
        elif i == 0:
            parts.append(f"<p><strong>{typeset(block.strip())}</strong></p>")
        else:
            parts.append(f"<p>{typeset(block.strip())}</p>")
    parts.append("</div>")
    return "".join(parts)


def _table_html(block: Table) -> str:
    # the text table's rule: a column of numbers (after the first `left`) is right-aligned
    n = len(block.header)
    right = [c >= block.left and all(_numeric(r[c]) for r in block.rows) for c in range(n)]
    shown = [c for c in range(n) if block.header[c] != "|"]
    # the column after a separator gets a rule on its left, as the text's "|"
    rule = {c: c > 0 and block.header[c - 1] == "|" for c in shown}

    def style(c: int) -> str:
        parts = [f"text-align:{'right' if right[c] else 'left'}"]
        if rule[c]:
            parts.append("border-left:2px solid #888")
        return "; ".join(parts)

    head = "".join(f'<th style="{style(c)}">{typeset(block.header[c])}</th>' for c in shown)
    body = []
    for row in block.rows:
        cells = "".join(f'<td style="{style(c)}">{typeset(row[c])}</td>' for c in shown)
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{chr(10).join(body)}\n</tbody></table>"
