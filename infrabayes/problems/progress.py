r"""A progress bar for long solves: ``problem.solve(progress=bar())``.

:func:`bar` returns a ``progress(done, total)`` callable. It draws with ``rich`` when that is
installed (it is not a dependency of knightian), else it writes one line to standard error,
rewritten in place at most every ``interval`` seconds and finished with a newline when
``done == total``.

Examples
--------
>>> import io
>>> stream = io.StringIO()
>>> show = bar("solving", stream=stream, interval=0)
>>> for done in range(1, 5):
...     show(done, 4)
>>> stream.getvalue().split("\r")[-1]
'solving: 4/4 (100%)\n'
"""

from __future__ import annotations

import importlib.util
import sys
import time
from typing import Any, TextIO

__all__ = ["bar"]


class _Text:
    """``progress(done, total)`` that rewrites one line of text (module docstring)."""

    def __init__(self, label: str, stream: TextIO, interval: float) -> None:
        self._label, self._stream, self._interval = label, stream, interval
        self._last = -float("inf")

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < self._interval:
            return
        self._last = now
        share = f" ({100 * done // total}%)" if total else ""
        end = "\n" if done >= total else ""
        self._stream.write(f"\r{self._label}: {done}/{total}{share}{end}")
        self._stream.flush()


class _Rich:
    """``progress(done, total)`` drawn by ``rich.progress`` (started on the first call)."""

    def __init__(self, label: str, stream: TextIO | None) -> None:
        from rich.console import Console
        from rich.progress import Progress

        console = Console(file=stream) if stream is not None else Console(stderr=True)
        self._progress = Progress(console=console, transient=False)
        self._label = label
        self._task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self._task is None:
            self._progress.start()
            self._task = self._progress.add_task(self._label, total=total)
        self._progress.update(self._task, completed=done, total=total)
        if done >= total:
            self._progress.stop()
            self._task = None


def bar(
    label: str = "solving",
    *,
    stream: TextIO | None = None,
    interval: float = 0.2,
    use_rich: bool | None = None,
) -> Any:
    """Return a ``progress(done, total)`` callable that shows a progress bar.

    Parameters
    ----------
    label : str, default "solving"
    stream : file, optional
        Where to draw (default: standard error).
    interval : float, default 0.2
        The plain-text bar redraws at most this often (seconds); the last call always draws.
    use_rich : bool, optional
        Use ``rich`` (True), the plain-text line (False), or ``rich`` when it is installed and
        `stream` is not given (None).
    """
    if use_rich is None:
        use_rich = stream is None and importlib.util.find_spec("rich") is not None
    if use_rich:
        return _Rich(label, stream)
    return _Text(label, sys.stderr if stream is None else stream, interval)
