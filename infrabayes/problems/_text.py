r"""Plain-text tables for the reprs of decision problems and their solutions.

Examples
--------
>>> rows = [["pay", "1/2", "refuse"], ["refuse", "0", "pay"]]
>>> print("\n".join(table(["policy", "value", "Murphy"], rows)))
  policy  value  Murphy
  pay       1/2  refuse
  refuse      0  pay
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from infrabayes._numbers import format_number

__all__ = ["MAX_ROWS", "number", "table"]

_NUMBER = re.compile(r"-|[+-]?inf|[+-]?\d+(/\d+)?|[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?")

#: Reprs list at most this many policies (the optimal ones always among them).
MAX_ROWS = 16


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
