"""Deprecated module path: the worst case now lives in :mod:`contracts.worstcase`.

The module was named after the function it defines, which the package re-exports: since
``contracts.worst_case`` is the function, ``import contracts.worst_case as m`` gave the function,
not this module. Its names are forwarded, with a :class:`DeprecationWarning`, so that
``from contracts.worst_case import WorstCase`` keeps working; write
``from contracts import WorstCase`` (or ``from contracts.worstcase import WorstCase``) instead.
The package imports this module before it binds the function, so importing it never rebinds
``contracts.worst_case``.
"""

from __future__ import annotations

import warnings
from typing import Any

from . import worstcase as _new

#: The names the module had, each forwarded (with a warning) to its new home.
_MOVED = ("DEFAULT_LP_SOLVER", "WorstCase", "worst_case")
__all__ = list(_MOVED)


def __dir__() -> list[str]:
    return list(_MOVED)


def __getattr__(name: str) -> Any:
    if name not in _MOVED:
        raise AttributeError(f"module 'contracts.worst_case' has no attribute {name!r}")
    warnings.warn(
        f"the module contracts.worst_case is deprecated: import {name} from contracts.worstcase",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(_new, name)
