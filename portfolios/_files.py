"""Opening input files safely: no hang on a FIFO, never more than a size limit read.

:func:`open_input` opens a file for reading without blocking on the open, so a FIFO with no
writer reads as empty instead of hanging, then reads it blocking as usual; :func:`read_limited`
reads at most ``limit + 1`` bytes, so ``/dev/zero``, an endless pipe or a huge file is refused
after ``limit`` bytes, never read in full. :class:`LimitedReader` does the same for a parser that
pulls the bytes itself (expat's ``ParseFile``). Every failure is a
:class:`~portfolios.errors.PortfolioError` naming the file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from .errors import PortfolioError

__all__ = ["FileTooLarge", "LimitedReader", "open_input", "read_limited", "too_large"]


class FileTooLarge(Exception):
    """Raised by :class:`LimitedReader` past its limit (the caller says which limit)."""


def open_input(path: Path, file: str) -> BinaryIO:
    """Open ``path`` for binary reading; a FIFO without a writer does not block the open."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        raise PortfolioError(file, f"cannot read the file: {err}") from err
    try:
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except OSError as err:
        os.close(fd)
        raise PortfolioError(file, f"cannot read the file: {err}") from err


def read_limited(path: Path, file: str, limit: int, name: str) -> bytes:
    """Return the bytes of ``path``; refuse it, naming the limit ``name``, past ``limit`` bytes.

    Examples
    --------
    >>> import os, tempfile
    >>> fd, name = tempfile.mkstemp()
    >>> _ = os.write(fd, b"12345"); os.close(fd)
    >>> read_limited(Path(name), "f.txt", 5, "LIMIT")
    b'12345'
    >>> read_limited(Path(name), "f.txt", 4, "LIMIT")
    Traceback (most recent call last):
    ...
    portfolios.errors.PortfolioError: f.txt: the file is larger than LIMIT = 4 bytes ...
    >>> os.remove(name)
    """
    try:
        with open_input(path, file) as f:
            data = f.read(limit + 1)
    except OSError as err:
        raise PortfolioError(file, f"cannot read the file: {err}") from err
    if len(data) > limit:
        raise too_large(file, limit, name)
    return data


def too_large(file: str, limit: int, name: str) -> PortfolioError:
    """Return the error for a file past the limit ``name`` of ``limit`` bytes."""
    return PortfolioError(
        file,
        f"the file is larger than {name} = {limit:,} bytes (a file past this size is refused "
        "before it is read in full)",
    )


class LimitedReader:
    """A binary file's ``read`` that raises :class:`FileTooLarge` past ``limit`` bytes."""

    def __init__(self, f: BinaryIO, limit: int) -> None:
        self.f, self.limit, self.count = f, limit, 0

    def read(self, n: int = -1) -> bytes:
        """Read as ``f.read(n)``, never more than ``limit + 1`` bytes in all."""
        room = self.limit + 1 - self.count
        data = self.f.read(room if n < 0 else min(n, room))
        self.count += len(data)
        if self.count > self.limit:
            raise FileTooLarge
        return data
