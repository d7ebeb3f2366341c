"""Optional dependencies (the ``plot`` and ``test`` extras): a one-line hint when one is missing.

Each package has its own copy of this helper (the packages never import each other).
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["missing", "require"]


def missing(module: str, extra: str, needed_by: str) -> ImportError:
    """Return the ImportError for a missing optional dependency: one line, with the pip command.

    Its ``name`` is the missing module, so the command line can tell it from other errors.
    """
    return ImportError(
        f"{needed_by} needs {module} (the '{extra}' extra): pip install 'knightian[{extra}]'",
        name=module,
    )


def require(module: str, extra: str, needed_by: str) -> ModuleType:
    """Import and return ``module``, or raise :func:`missing`'s error (no chained traceback)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise missing(module.partition(".")[0], extra, needed_by) from None
