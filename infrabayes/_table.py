r"""Small text tables of generators, for the reprs: one row per a-measure, one column per outcome.

Examples
--------
>>> from fractions import Fraction as F
>>> print("\n".join(generator_table(("x1", "x2"), [[F(1, 2), F(1, 2)], [1, 0]], [0, F(1, 4)])))
       x1   x2  |    b
  0   1/2  1/2  |    0
  1     1    0  |  1/4
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from infrabayes._numbers import format_number

__all__ = ["MAX_COLUMNS", "MAX_ROWS", "generator_table"]

#: The reprs show at most this many generators (the first ones) ...
MAX_ROWS = 12
#: ... and at most this many outcome columns (the first ones).
MAX_COLUMNS = 10


def generator_table(
    outcomes: Sequence[Hashable],
    masses: np.ndarray | Sequence[Sequence[Any]],
    b: np.ndarray | Sequence[Any],
    *,
    labels: Sequence[str] | None = None,
) -> list[str]:
    """Return the lines of a table: one row per generator, columns the outcomes and then ``b``."""
    k = len(b)
    shown_rows = min(k, MAX_ROWS)
    shown_cols = min(len(outcomes), MAX_COLUMNS)
    more_cols = len(outcomes) > shown_cols
    header = ["", *(_name(x) for x in outcomes[:shown_cols])]
    if more_cols:
        header.append("...")
    header += ["|", "b"]
    rows = [header]
    for i in range(shown_rows):
        label = labels[i] if labels is not None else str(i)
        row = [label, *(format_number(masses[i][j]) for j in range(shown_cols))]
        if more_cols:
            row.append("...")
        row += ["|", format_number(b[i])]
        rows.append(row)
    widths = [max(len(r[c]) for r in rows) for c in range(len(header))]
    lines = ["  " + "  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    if k > shown_rows:
        lines.append(f"  ... ({k - shown_rows} more generators)")
    return lines


def _name(x: Hashable) -> str:
    return x if isinstance(x, str) else repr(x)
