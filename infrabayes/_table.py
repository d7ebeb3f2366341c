r"""Small aligned text tables for the reprs: generators of measures, policies of problems.

:func:`table` aligns any table of strings: text columns left, number columns right.
:func:`generator_table` is the table of a list of a-measures: one row per generator, one column
per outcome, then ``b``.

Examples
--------
>>> from fractions import Fraction as F
>>> print("\n".join(generator_table(("x1", "x2"), [[F(1, 2), F(1, 2)], [1, 0]], [0, F(1, 4)])))
       x1   x2  |    b
  0   1/2  1/2  |    0
  1     1    0  |  1/4
>>> rows = [["pay", number(F(1, 2)), "refuse"], ["refuse", number(None), "pay"]]
>>> print("\n".join(table(["policy", "value", "Murphy"], rows)))
  policy  value  Murphy
  pay       1/2  refuse
  refuse      -  pay
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np

from infrabayes._numbers import format_number

__all__ = [
    "MAX_COLUMNS",
    "MAX_ROWS",
    "did_you_mean",
    "generator_rows",
    "generator_table",
    "number",
    "table",
]

#: The reprs show at most this many generators (the first ones) ...
MAX_ROWS = 12
#: ... and at most this many outcome columns (the first ones).
MAX_COLUMNS = 10

_NUMBER = re.compile(r"-|[+-]?inf|[+-]?\d+(/\d+)?|[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?")


def number(x: Any) -> str:
    """Format a value: ``7/10``, ``0.3``, ``inf``; ``-`` for None (undefined)."""
    if x is None:
        return "-"
    if isinstance(x, float) and math.isinf(x):
        return "inf"
    return format_number(x)


def table(
    header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ", left: int = 1
) -> list[str]:
    """Return aligned lines: text columns (numbers and ``-`` excepted) left-aligned.

    The first `left` columns are always left-aligned; another column is right-aligned when every
    entry is a number (``7/10``, ``0.3``, ``inf``, ``-``, or a comma-separated list of them).
    Columns are two spaces apart; lines carry no trailing spaces.
    """
    cells = [list(header), *(list(r) for r in rows)]
    widths = [max(len(r[c]) for r in cells) for c in range(len(header))]
    right = [c >= left and all(_numeric(r[c]) for r in cells[1:]) for c in range(len(header))]
    lines = []
    for r in cells:
        parts = [
            v.rjust(w) if rt else v.ljust(w) for v, w, rt in zip(r, widths, right, strict=True)
        ]
        lines.append((indent + "  ".join(parts)).rstrip())
    return lines


def _numeric(text: str) -> bool:
    return all(_NUMBER.fullmatch(part.strip()) for part in text.split(","))


def generator_table(
    outcomes: Sequence[Hashable],
    masses: np.ndarray | Sequence[Sequence[Any]],
    b: np.ndarray | Sequence[Any],
    *,
    labels: Sequence[str] | None = None,
) -> list[str]:
    """Return the lines of a table: one row per generator, columns the outcomes and then ``b``.

    Rows are labelled ``0, 1, ...`` unless `labels` are given (an a-measure's repr gives ``""``).
    """
    header, rows, more = generator_rows(outcomes, masses, b, labels=labels)
    lines = table(header, rows, left=0)
    return lines if more is None else [*lines, more]


def generator_rows(
    outcomes: Sequence[Hashable],
    masses: np.ndarray | Sequence[Sequence[Any]],
    b: np.ndarray | Sequence[Any],
    *,
    labels: Sequence[str] | None = None,
) -> tuple[list[str], list[list[str]], str | None]:
    """Return the header, the rows and the ``... (k more generators)`` line (or None).

    The column before ``b`` is the separator ``|``.
    """
    k = len(b)
    shown_rows = min(k, MAX_ROWS)
    shown_cols = min(len(outcomes), MAX_COLUMNS)
    more_cols = len(outcomes) > shown_cols
    header = ["", *(_name(x) for x in outcomes[:shown_cols])]
    if more_cols:
        header.append("...")
    header += ["|", "b"]
    rows = []
    for i in range(shown_rows):
        label = labels[i] if labels is not None else str(i)
        row = [label, *(format_number(masses[i][j]) for j in range(shown_cols))]
        if more_cols:
            row.append("...")
        row += ["|", format_number(b[i])]
        rows.append(row)
    more = f"  ... ({k - shown_rows} more generators)" if k > shown_rows else None
    return header, rows, more


def _name(x: Hashable) -> str:
    return x if isinstance(x, str) else repr(x)


def did_you_mean(name: object, known: Iterable[object]) -> str:
    """Return `` (did you mean 'x'?)`` for the closest known names (difflib), or ``""``.

    Case-insensitive; at most three suggestions.

    Examples
    --------
    >>> did_you_mean("refuze", ["pay", "refuse"])
    " (did you mean 'refuse'?)"
    >>> did_you_mean("zzz", ["a", "b"])
    ''
    """
    if not isinstance(name, str):
        return ""
    names = {str(k).lower(): str(k) for k in known}
    close = difflib.get_close_matches(name.lower(), list(names), n=3, cutoff=0.6)
    if not close:
        return ""
    return f" (did you mean {' or '.join(repr(names[c]) for c in close)}?)"
