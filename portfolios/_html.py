"""HTML fragments for Jupyter's ``_repr_html_``: real tables, every piece of text escaped.

Cells are preformatted strings (the same ones the text and Markdown reports print); each is
escaped with :func:`html.escape`, so an id such as ``<b>`` shows as written, and an exact fraction
``p/q`` in a cell is typeset as a stacked fraction.

Examples
--------
>>> print(table(["event"], [["A<1>"]]))
<table><thead><tr><th style="text-align:left">event</th></tr>
</thead><tbody><tr><td style="text-align:left">A&lt;1&gt;</td></tr>
</tbody></table>
"""

from __future__ import annotations

import html as _html_module
import re
from collections.abc import Sequence

__all__ = ["document", "pairs", "table", "typeset"]

# An exact fraction: 7/10, -1/3 (not part of a longer word, path or decimal).
_FRACTION = re.compile(r"(?<![\w./])(-?)(\d+)/(\d+)(?![\w/]|\.\d)")


def typeset(cell: str) -> str:
    """Return `cell` escaped for HTML, its fractions ``p/q`` typeset as stacked ones.

    Examples
    --------
    >>> typeset("1/3 < x")
    '<sup>1</sup>&frasl;<sub>3</sub> &lt; x'
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


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    align: str | None = None,
    *,
    caption: str | None = None,
) -> str:
    """Return an HTML table; ``align`` has one letter per column, ``l`` or ``r`` (default all l)."""
    align = align or "l" * len(header)
    if len(align) != len(header):
        raise ValueError(f"align {align!r} has {len(align)} letters for {len(header)} columns")
    side = ["right" if a == "r" else "left" for a in align]
    head = "".join(
        f'<th style="text-align:{s}">{typeset(h)}</th>' for h, s in zip(header, side, strict=True)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td style="text-align:{s}">{typeset(c)}</td>' for c, s in zip(r, side, strict=True)
        )
        + "</tr>\n"
        for r in rows
    )
    cap = "" if caption is None else f"<caption>{typeset(caption)}</caption>"
    return f"<table>{cap}<thead><tr>{head}</tr>\n</thead><tbody>{body}</tbody></table>"


def pairs(items: Sequence[tuple[str, str]], *, caption: str | None = None) -> str:
    """Return a two-column table of ``(field, value)`` rows (no header)."""
    body = "".join(
        f'<tr><th style="text-align:left">{typeset(k)}</th>'
        f'<td style="text-align:right">{typeset(v)}</td></tr>\n'
        for k, v in items
    )
    cap = "" if caption is None else f"<caption>{typeset(caption)}</caption>"
    return f"<table>{cap}<tbody>{body}</tbody></table>"


def document(title: str, *parts: str, notes: Sequence[str] = ()) -> str:
    """Return a result's fragment: the title in bold, the parts (tables), then ``notes``."""
    text = "".join(f"<p>{typeset(n)}</p>" for n in notes)
    return (
        f'<div class="knightian-result"><p><strong>{typeset(title)}</strong></p>'
        f"{''.join(parts)}{text}</div>"
    )
