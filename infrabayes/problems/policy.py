"""Policies: deterministic maps from information sets to actions, with readable names.

A :class:`Policy` is an immutable mapping ``infoset -> action``. It compares equal to any mapping
with the same items (so ``policy == {"town": "pay"}``) and prints as the action alone when it has
one information set (``pay``), else as ``full: one-box, empty: two-box``. A *prediction* (what a
hard-coded environment of the Nirvana trick assumes) is a policy over the predicted information
sets only.

Examples
--------
>>> p = Policy({"full": "one-box", "empty": "two-box"})
>>> print(p), p["empty"], p == {"empty": "two-box", "full": "one-box"}
full: one-box, empty: two-box
(None, 'two-box', True)
>>> print(Policy({"town": "pay"}))
pay
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["Policy"]


class Policy(Mapping[str, str]):
    """An immutable map from information sets to actions (hashable; equal to equal mappings).

    Parameters
    ----------
    choices : mapping infoset -> action
        Kept in the given order (the problem's order of information sets).
    """

    __slots__ = ("_hash", "_items")

    def __init__(self, choices: Mapping[str, str]) -> None:
        if not isinstance(choices, Mapping):
            raise TypeError(f"a policy is a mapping infoset -> action; got {choices!r}")
        items = tuple(choices.items())
        for k, v in items:
            if not (isinstance(k, str) and isinstance(v, str)):
                raise TypeError(
                    f"a policy maps information sets (str) to actions (str); got {k!r}: {v!r}"
                )
        self._items = items
        self._hash: int | None = None

    @classmethod
    def _of_items(cls, items: tuple[tuple[str, str], ...]) -> Policy:
        """Build from checked ``(infoset, action)`` pairs of strings, without checks (internal)."""
        obj = object.__new__(cls)
        obj._items = items
        obj._hash = None
        return obj

    def __getitem__(self, infoset: str) -> str:
        for k, v in self._items:
            if k == infoset:
                return v
        raise KeyError(infoset)

    def __iter__(self) -> Iterator[str]:
        return (k for k, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._items))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Policy):
            return dict(self._items) == dict(other._items)
        if isinstance(other, Mapping):
            return dict(self._items) == dict(other.items())
        return NotImplemented

    def __str__(self) -> str:
        if not self._items:
            return "(no choice)"
        if len(self._items) == 1:
            return self._items[0][1]
        return ", ".join(f"{k}: {v}" for k, v in self._items)

    def __repr__(self) -> str:
        return f"Policy({dict(self._items)!r})"

    def replace(self, infoset: str, action: str) -> Policy:
        """Return the policy with `action` at `infoset` (which must be one of its keys)."""
        if infoset not in dict(self._items):
            raise KeyError(f"{infoset!r} is not an information set of the policy {self}")
        return Policy({k: (action if k == infoset else v) for k, v in self._items})

    def __reduce__(self) -> tuple[Any, ...]:
        return (Policy, (dict(self._items),))
