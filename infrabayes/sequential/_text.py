r"""Plain-text tables and distributions for the reprs of infra-MDP results.

Examples
--------
>>> print("\n".join(table(["state", "value"], [["low", "1/2"], ["high", "3/4"]])))
  state  value
  low      1/2
  high     3/4
>>> import numpy as np
>>> from fractions import Fraction as F
>>> distribution(("a", "b", "c"), np.array([F(1, 2), 0, F(1, 2)], dtype=object))
'a 1/2, c 1/2'
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from infrabayes._numbers import format_number

__all__ = ["MAX_ROWS", "distribution", "name", "number", "table"]

_NUMBER = re.compile(r"-|[+-]?inf|[+-]?\d+(/\d+)?|[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?")

#: Reprs list at most this many states.
MAX_ROWS = 20


def number(x: Any) -> str:
    """Format a value: ``7/10``, ``0.3``, ``inf``; ``-`` for None or nan."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if isinstance(x, float) and math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return format_number(x)


def name(x: Hashable) -> str:
    """Format a state or action name: strings as they are, anything else by repr."""
    return x if isinstance(x, str) else repr(x)


def distribution(states: Sequence[Hashable], probs: np.ndarray) -> str:
    """Format a distribution as ``state p, ...`` over its support (``-`` if undefined)."""
    parts = []
    for x, p in zip(states, probs, strict=True):
        if p is None or (isinstance(p, float) and math.isnan(p)):
            return "-"
        if p != 0:
            parts.append(f"{name(x)} {number(p)}")
    return ", ".join(parts)


def table(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    """Return aligned lines; a column is right-aligned when all its entries are numbers."""
    cells = [list(header), *(list(r) for r in rows)]
    widths = [max(len(r[c]) for r in cells) for c in range(len(header))]
    right = [all(_NUMBER.fullmatch(r[c].strip()) for r in cells[1:]) for c in range(len(header))]
    lines = []
    for r in cells:
        parts = [
            v.rjust(w) if rt else v.ljust(w) for v, w, rt in zip(r, widths, right, strict=True)
        ]
        lines.append((indent + "  ".join(parts)).rstrip())
    return lines
