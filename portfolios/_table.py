"""Tables of preformatted cells, as plain text (aligned columns) or as Markdown."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["markdown_table", "text_table"]


def text_table(
    header: Sequence[str], rows: Iterable[Sequence[str]], widths: Sequence[int]
) -> list[str]:
    r"""Return the lines of a plain-text table.

    The first column is left-aligned to its longest cell, followed by two spaces; each other
    column ``i`` is right-aligned to at least ``widths[i - 1]`` characters (a longer cell
    overflows; it does not widen the column), the columns separated by one space.

    Examples
    --------
    >>> print("\n".join(text_table(["event", "P"], [["A", "0.1"], ["longer", "0.25"]], [5])))
    event       P
    A         0.1
    longer   0.25
    """
    rows = [list(r) for r in rows]
    first = max([len(header[0]), *(len(r[0]) for r in rows)])

    def line(cells: Sequence[str]) -> str:
        rest = " ".join(c.rjust(w) for c, w in zip(cells[1:], widths, strict=True))
        return f"{cells[0]:<{first}}  {rest}"

    return [line(header), *(line(r) for r in rows)]


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]], align: str) -> list[str]:
    r"""Return the lines of a Markdown table; ``align`` has one letter per column, ``l`` or ``r``.

    Examples
    --------
    >>> print("\n".join(markdown_table(["order", "events"], [["1", "`A`"]], "rl")))
    | order | events |
    | ---: | --- |
    | 1 | `A` |
    """
    rule = ["---:" if a == "r" else "---" for a in align]
    return [f"| {' | '.join(cells)} |" for cells in (header, rule, *rows)]
