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
:class:`CancellationWarning` (a ``UserWarning``, not an error)
    A float result that cancellation may have emptied of its digits: a sum of terms of
    alternating sign (inclusion-exclusion) whose largest term exceeds the result by so many
    orders of magnitude that rounding of the terms can account for the whole result. The
    message says how many digits were lost and which method keeps them.
:class:`ComputationLimitError` (a ``PortfolioError``)
    The input is valid but too large for the chosen method: a table, diagram or enumeration
    would exceed one of the documented limits (``MAX_EXACT_CELLS``, ``MAX_BDD_NODES``,
    ``MAX_CUT_SETS``, ...); the message names the limit and, where there is one, the method to
    use instead.

A value quoted in a message (a bad probability, an unknown id, a field's content) is cut after
:data:`MAX_QUOTED_CHARS` characters with the marker ``...[N more characters]``, and a nested
one shows its first items: no message grows with the input.

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
import reprlib
from collections.abc import Iterable
from typing import Any

__all__ = [
    "MAX_QUOTED_CHARS",
    "CancellationWarning",
    "ComputationLimitError",
    "PortfolioError",
    "PortfolioTypeError",
    "UnknownIdError",
    "did_you_mean",
    "printable",
    "quote",
]


#: The longest quoted user value in an error message (characters); a longer one is cut, with a
#: marker saying how many characters were left out.
MAX_QUOTED_CHARS = 200

_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxlong, _REPR.maxother = 4, 60, 60, 60
_REPR.maxdict = _REPR.maxlist = _REPR.maxtuple = _REPR.maxset = 8


def quote(value: Any, limit: int = MAX_QUOTED_CHARS) -> str:
    """Return the ``repr`` of a user value for an error message, at most about ``limit`` chars.

    Nested or long containers show their first items and ``...`` (``reprlib``, which also
    stops at a nesting depth, so a self-containing list is safe); a longer text is cut after
    ``limit`` characters with the marker ``...[N more characters]``; a huge integer is
    described by its number of digits (its ``repr`` may not even exist past 4,300 digits).

    Examples
    --------
    >>> print(quote("x" * 500, limit=8))
    'xxxxxxxx'...[492 more characters]
    >>> print(quote(10**400), quote(-(10**5000)))
    <an integer of 401 digits> <an integer of about 5,001 digits>
    >>> loop = []; loop.append(loop); print(quote(loop))
    [[[[[...]]]]]
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        digits = len(str(abs(value))) if value.bit_length() < 14_000 else None
        if digits is None:
            digits = int(value.bit_length() * 0.30103) + 1  # log10(2): within one digit
            return f"<an integer of about {digits:,} digits>"
        return f"<an integer of {digits:,} digits>"
    if isinstance(value, str):
        if len(value) > limit:
            return f"{value[:limit]!r}...[{len(value) - limit:,} more characters]"
        text = repr(value)
    else:
        try:
            text = _REPR.repr(value)
        except Exception:  # a user object whose repr fails
            text = f"<{type(value).__name__}>"
    if len(text) > limit:
        return f"{text[:limit]}...[{len(text) - limit:,} more characters]"
    return text


def printable(text: str) -> str:
    r"""Return ``text`` with every non-printable character escaped as in a ``repr``.

    For messages written to a terminal: control characters (a newline, ``ESC`` starting a
    terminal escape sequence), lone surrogates (an undecodable file name) and invisible
    formatting characters (a right-to-left override) become ``\n``, ``\x1b``, ``\udcff``,
    ``\u202e``; everything else (accented letters included) is kept.

    Examples
    --------
    >>> print(printable("evil\x1b[31m\nname.yaml"))
    evil\x1b[31m\nname.yaml
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


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
            parts.append(f"{section} entry {quote(entry)}")
        elif section is not None:
            parts.append(f"section {quote(section)}")
        where = ": ".join(parts)
        if field is not None:
            where += f", field {quote(field)}" if where else f"field {quote(field)}"
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


class CancellationWarning(UserWarning):
    """A float result whose significant digits cancellation may have eaten (module docstring).

    Attributes
    ----------
    lost_digits : float
        ``log10(largest |term| / |result|)`` (``inf`` for a result of 0): the decimal digits
        of the terms that cancelled; a float64 carries about 16.
    """

    def __init__(self, message: str, lost_digits: float = float("inf")) -> None:
        super().__init__(message)
        self.lost_digits = lost_digits


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
