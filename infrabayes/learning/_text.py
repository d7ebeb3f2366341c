"""Text for the reprs of the learning agents and results: policies and numbers.

Examples
--------
>>> from fractions import Fraction as F
>>> policy_label(("a", "b"), [F(1, 2), F(1, 2)]), policy_label(("a", "b"), [1.0, 0.0])
('a 1/2, b 1/2', 'a 1')
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from infrabayes._table import number

__all__ = ["name", "number", "policy_label"]


def name(x: Hashable) -> str:
    """Format an action or observation name: strings as they are, anything else by repr."""
    return x if isinstance(x, str) else repr(x)


def policy_label(actions: Sequence[Hashable], policy: Any) -> str:
    """Format a policy over its support: ``action probability, ...``."""
    return ", ".join(f"{name(a)} {number(p)}" for a, p in zip(actions, policy, strict=True) if p)
