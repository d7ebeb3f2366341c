r"""Text for the reprs of infra-MDP results: names, numbers and distributions.

Tables are aligned by the package's one formatter, :func:`infrabayes._table.table`.

Examples
--------
>>> import numpy as np
>>> from fractions import Fraction as F
>>> distribution(("a", "b", "c"), np.array([F(1, 2), 0, F(1, 2)], dtype=object))
'a 1/2, c 1/2'
>>> number(float("nan")), name(3), name("worn")
('-', '3', 'worn')
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from infrabayes._table import number as _number

__all__ = ["MAX_ROWS", "distribution", "name", "number"]

#: Reprs list at most this many states.
MAX_ROWS = 20


def number(x: Any) -> str:
    """Format a value: ``7/10``, ``0.3``, ``inf``, ``-inf``; ``-`` for None or nan."""
    if isinstance(x, float) and math.isnan(x):
        return "-"
    if isinstance(x, float) and x == -math.inf:
        return "-inf"
    return _number(x)


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
