"""The argument check shared by the MEF built-ins.

Used by :mod:`portfolios.mefexpr` and :mod:`portfolios.mefperiodic`: vectorised over trials,
naming the first bad value.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["require"]


def require(ok: Any, problem: str, value: Any, subject: str = "") -> None:
    """Raise :class:`ValueError` unless every entry of ``ok`` is true.

    The message is ``"{subject}needs {problem} (got v)"`` with ``v`` the first offending entry
    of ``value`` (broadcast against ``ok``), and how many trials there were when the arguments
    are arrays. :class:`~portfolios.mefexpr.Program` places it in the file.

    Examples
    --------
    >>> require(np.array([1.0, 2.0]) > 0, "rate > 0", np.array([1.0, 2.0]))
    >>> require(np.array([1.0, -2.0]) > 0, "rate > 0", np.array([1.0, -2.0]))
    Traceback (most recent call last):
    ...
    ValueError: needs rate > 0 (got -2 in one of 2 trials)
    """
    ok = np.asarray(ok)
    if not ok.all():
        v = np.asarray(value, float)
        shape = np.broadcast_shapes(ok.shape, v.shape)
        bad = np.broadcast_to(v, shape)[~np.broadcast_to(ok, shape)]
        shown = f"{float(bad.flat[0]):g}"
        if len(shape):
            shown += f" in one of {int(np.prod(shape))} trials"
        raise ValueError(f"{subject}needs {problem} (got {shown})")
