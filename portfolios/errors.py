"""The errors of the package: one hierarchy, rooted at :class:`PortfolioError`.

Definitions
-----------
:class:`PortfolioError` (a ``ValueError``)
    Bad input: a portfolio file, dict or entry that is invalid, an argument out of its domain
    (a method name, a number of samples, a similarity matrix), a fault tree that is not well
    formed. It says where: the file, the section, the entry, the field and, where the parser
    knows it, the line.
:class:`UnknownIdError` (a ``PortfolioError`` and a ``KeyError``)
    A lookup by an id the portfolio (or the result) does not have: a scenario, case,
    assumption, gate or basic event. A ``ValueError`` too, so code that caught ``ValueError``
    for an unknown scenario keeps working; its message reads as the text, without the quotes a
    ``KeyError`` adds.
:class:`PortfolioTypeError` (a ``PortfolioError`` and a ``TypeError``)
    An argument of the wrong type in Python: sections that are not mappings, a single string
    where a list of ids is expected.
:class:`ComputationLimitError` (a ``PortfolioError``)
    The input is valid but too large for the chosen method: a table, diagram or enumeration
    would exceed one of the documented limits (``MAX_EXACT_CELLS``, ``MAX_BDD_NODES``,
    ``MAX_CUT_SETS``, ...); the message names the limit and, where there is one, the method to
    use instead.

Examples
--------
>>> import portfolios
>>> P = portfolios.load(portfolios.EXAMPLE_PATH)
>>> try:
...     P.p_unprotected("nowhere")
... except KeyError as err:  # or ValueError, or PortfolioError
...     print(type(err).__name__, err)
UnknownIdError unknown scenario 'nowhere'; known: ...
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

__all__ = [
    "ComputationLimitError",
    "PortfolioError",
    "PortfolioTypeError",
    "UnknownIdError",
    "did_you_mean",
]


class PortfolioError(ValueError):
    """A portfolio file, dict, entry or argument is invalid.

    Attributes
    ----------
    file : str or None
        The file (``"<dict>"`` for :meth:`Portfolio.from_dict
        <portfolios.portfolio.Portfolio.from_dict>`; None for entries built in Python).
    section, entry, field : str or None
        Where the problem is: for instance ``"assumptions"``, ``"A1"``, ``"p_fail"``.
    problem : str
        What is wrong.
    line : int or None
        The line in the file, where the parser knows it.
    """

    def __init__(
        self,
        file: str | None,
        problem: str,
        *,
        section: str | None = None,
        entry: str | None = None,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.file, self.problem, self.line = file, problem, line
        self.section, self.entry, self.field = section, entry, field
        parts = []
        if file is not None:
            parts.append(file if line is None else f"{file}, line {line}")
        if section is not None and entry is not None:
            parts.append(f"{section} entry {entry!r}")
        elif section is not None:
            parts.append(f"section {section!r}")
        where = ": ".join(parts)
        if field is not None:
            where += f", field {field!r}" if where else f"field {field!r}"
        super().__init__(f"{where}: {problem}" if where else problem)

    def located(
        self,
        file: str | None,
        *,
        section: str | None = None,
        entry: str | None = None,
        field: str | None = None,
    ) -> PortfolioError:
        """Return the same problem placed in ``file`` (and where given, another place).

        The result has the class of this error (an :class:`UnknownIdError` stays one).
        """
        return type(self)(
            file,
            self.problem,
            section=self.section if section is None else section,
            entry=self.entry if entry is None else entry,
            field=self.field if field is None else field,
            line=self.line,
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception pickles its message as the only argument, which __init__ cannot take back.
        where = (self.section, self.entry, self.field, self.line)
        return (_restore, (type(self), self.file, self.problem, *where))


def _restore(
    cls: type[PortfolioError],
    file: str | None,
    problem: str,
    section: str | None,
    entry: str | None,
    field: str | None,
    line: int | None,
) -> PortfolioError:
    return cls(file, problem, section=section, entry=entry, field=field, line=line)


class UnknownIdError(PortfolioError, KeyError):
    """An id (or key) that is not there: a scenario, case, assumption, gate or basic event.

    Both a ``KeyError`` (a failed lookup) and a ``ValueError`` (through
    :class:`PortfolioError`).
    """

    def __str__(self) -> str:
        # KeyError.__str__ would quote the message (it shows the missing key's repr).
        return str(self.args[0]) if self.args else ""


class PortfolioTypeError(PortfolioError, TypeError):
    """An argument of the wrong type (both a :class:`PortfolioError` and a ``TypeError``)."""


class ComputationLimitError(PortfolioError):
    """The input is valid but exceeds a documented computation limit of the chosen method."""


def did_you_mean(name: object, known: Iterable[object]) -> str:
    """Return `` (did you mean 'x'?)`` for the closest known names (difflib), or ``""``.

    Case-insensitive; at most three suggestions.

    Examples
    --------
    >>> did_you_mean("weight_exfiltraton", ["weight_exfiltration", "eval_sandbagging"])
    " (did you mean 'weight_exfiltration'?)"
    >>> did_you_mean("zzz", ["a", "b"])
    ''
    """
    if not isinstance(name, str):
        return ""
    names = {str(k).lower(): str(k) for k in known}
    close = difflib.get_close_matches(name.lower(), list(names), n=3, cutoff=0.6)
    if not close:
        return ""
    return f" (did you mean {' or '.join(repr(names[c]) for c in close)}?)"
