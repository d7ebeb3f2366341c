"""Deprecated module path: the improvement step now lives in :mod:`contracts.improvement`.

The module was named after the function it defines, which the package re-exports: since
``contracts.improve`` is the function, ``import contracts.improve as m`` gave the function, not
this module. Its names are forwarded, with a :class:`DeprecationWarning`, so that
``from contracts.improve import Improvement`` keeps working; write
``from contracts import Improvement`` (or ``from contracts.improvement import Improvement``)
instead. The package imports this module before it binds the function, so importing it never
rebinds ``contracts.improve``.
"""

from __future__ import annotations

import warnings
from typing import Any

from . import improvement as _new

#: The names the module had, each forwarded (with a warning) to its new home.
_MOVED = ("Improvement", "improve")
__all__ = list(_MOVED)


def __dir__() -> list[str]:
    return list(_MOVED)


def __getattr__(name: str) -> Any:
    if name not in _MOVED:
        raise AttributeError(f"module 'contracts.improve' has no attribute {name!r}")
    warnings.warn(
        f"the module contracts.improve is deprecated: import {name} from contracts.improvement",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(_new, name)
