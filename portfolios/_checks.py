"""Checks of one entry's values, run when the entry is built: ids, texts, probabilities.

Definitions
-----------
id
    A string matching ``[A-Za-z0-9_][A-Za-z0-9_.-]*`` (:data:`ID_PATTERN`); unique across the
    four sections of a portfolio (checked with the portfolio, in :mod:`portfolios.validation`).
text
    A statement or a source: a non-empty string.
list of ids
    A list or tuple of strings without repeats, stored as a tuple.
probability
    A finite number in [0, 1], stored as a Python float; a ``bool`` is not a number here, and a
    string that reads as a number gets a hint (YAML 1.1 reads ``1e-3`` as a string).
probability value
    A probability, or one of the other forms of :mod:`portfolios.values`: an interval
    ``[lo, hi]``, a distribution (``{beta: [a, b]}``, ``{lognormal: {median: m,
    error_factor: k}}``, ``{uniform: [lo, hi]}``, ``{triangular: [lo, mode, hi]}``) or a
    shared parameter ``{param: NAME}``.

Every probability-valued field of every entry goes through :func:`check_value` (``p_fail``,
the ``holds`` and ``fails`` of a conditional ``p_fail``, ``soundness_error``, and the entries
of the ``parameters`` section) or :func:`check_probability` (``max_risk``, which is a
tolerance, always a number) and nothing else: a new form of probability is read and checked
there, and the entries, the file reader and the portfolio checks follow.

The tables of the file format live here too, below the entries and the reader: the sections
(:data:`SECTIONS`), the fields of each section and the required ones. Every error is a
:class:`~portfolios.errors.PortfolioError` naming the section, the entry and the field; the
reader adds the file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from numbers import Real
from typing import Any

from .errors import PortfolioError, quote
from .values import DISTRIBUTIONS, Distribution, Interval, Param, Value, parse_value

__all__ = [
    "FIELDS",
    "ID_PATTERN",
    "REQUIRED",
    "SECTIONS",
    "TOP_LEVEL",
    "check_id",
    "check_ids",
    "check_probability",
    "check_text",
    "check_unicode",
    "check_value",
    "is_value_form",
]

#: The sections of a portfolio, in file order.
SECTIONS = ("latent", "assumptions", "cases", "scenarios")
#: The keys of a portfolio file.
TOP_LEVEL = (*SECTIONS, "parameters", "title", "description")
#: The fields of an entry of each section.
FIELDS: dict[str, tuple[str, ...]] = {
    "latent": ("statement", "p_fail", "source"),
    "assumptions": ("statement", "p_fail", "requires", "source"),
    "cases": ("statement", "assumptions", "rests_on", "soundness_error", "covers", "source"),
    "scenarios": ("statement", "max_risk", "source"),
}
#: The fields an entry of each section must have.
REQUIRED: dict[str, tuple[str, ...]] = {
    "latent": ("statement", "p_fail"),
    "assumptions": ("statement", "p_fail"),
    "cases": ("statement",),
    "scenarios": ("statement",),
}
#: What an id looks like.
ID_PATTERN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


#: A number with an exponent; YAML 1.1 (PyYAML) reads it as a float only with a dot in the
#: mantissa and a sign in the exponent (``1.0e-3``, ``1.0e+3``), otherwise as a string.
_EXPONENT = re.compile(r"([-+]?)(\d*\.?\d*)[eE]([-+]?)(\d+)")


def _number_hint(text: str) -> str:
    """Return a hint for a string that reads as a number (``""`` if it does not)."""
    try:
        float(text)
    except ValueError:
        return ""
    text = text.strip()
    match = _EXPONENT.fullmatch(text)
    if match is None:
        return " (a string that reads as a number: write it without quotes)"
    sign, mantissa, exp_sign, exponent = match.groups()
    if "." not in mantissa:
        mantissa += ".0"
    return (
        f"; write {sign}{mantissa}e{exp_sign or '+'}{exponent} (YAML 1.1 reads {text} as a string)"
    )


def check_probability(
    value: Any, section: str | None, entry: str | None, field: str | None
) -> float:
    """Return ``value`` as a float if it is a finite number in [0, 1]; raise otherwise.

    Examples
    --------
    >>> from portfolios.validation import check_probability
    >>> check_probability(0.25, "latent", "W", "p_fail")
    0.25
    >>> check_probability(float("nan"), "latent", "W", "p_fail")
    Traceback (most recent call last):
    ...
    portfolios.errors.PortfolioError: latent entry 'W', field 'p_fail': nan is not a finite number
    >>> check_probability("1e-3", "latent", "W", "p_fail")
    Traceback (most recent call last):
    ...
    portfolios.errors.PortfolioError: latent entry 'W', field 'p_fail': expected a probability (a
    number in [0, 1]), got '1e-3'; write 1.0e-3 (YAML 1.1 reads 1e-3 as a string)
    """
    if isinstance(value, bool) or not isinstance(value, Real):
        hint = _number_hint(value) if isinstance(value, str) else ""
        raise PortfolioError(
            None,
            f"expected a probability (a number in [0, 1]), got {quote(value)}{hint}",
            section=section,
            entry=entry,
            field=field,
        )
    try:
        number = float(value)
    except (OverflowError, ValueError):  # an integer past the largest float
        raise PortfolioError(
            None,
            f"{quote(value)} is not a probability in [0, 1]",
            section=section,
            entry=entry,
            field=field,
        ) from None
    if not math.isfinite(number):
        raise PortfolioError(
            None,
            f"{quote(value)} is not a finite number",
            section=section,
            entry=entry,
            field=field,
        )
    if not 0.0 <= number <= 1.0:
        raise PortfolioError(
            None,
            f"{quote(value)} is not a probability in [0, 1]",
            section=section,
            entry=entry,
            field=field,
        )
    return number


def is_value_form(value: Any) -> bool:
    """Return True if a mapping is a distribution or a parameter, not a conditional ``p_fail``.

    ``{beta: [2, 8]}`` and ``{param: p}`` are values; ``{W: {holds: q, fails: q}}`` is a
    conditional, even when the latent variable is named ``beta`` (its value is a mapping with
    the keys ``holds`` and ``fails``, which no distribution has).

    Examples
    --------
    >>> is_value_form({"beta": [2, 8]}), is_value_form({"beta": {"holds": 0.1, "fails": 0.5}})
    (True, False)
    """
    if not isinstance(value, Mapping) or len(value) != 1:
        return False
    ((key, inner),) = value.items()
    if isinstance(inner, Mapping) and {"holds", "fails"} <= set(inner):
        return False
    return key in DISTRIBUTIONS or key == "param"


def check_value(value: Any, section: str | None, entry: str | None, field: str | None) -> Value:
    """Return a probability value: a float, or a value of :mod:`portfolios.values`.

    Examples
    --------
    >>> check_value([0.05, 0.15], "assumptions", "A", "p_fail")
    Interval(0.05, 0.15)
    >>> check_value({"beta": [2, -1]}, "assumptions", "A", "p_fail")
    Traceback (most recent call last):
    ...
    portfolios.errors.PortfolioError: assumptions entry 'A', field 'p_fail': beta: b must be
    positive, got -1.0
    """
    if not isinstance(value, list | tuple | Mapping | Interval | Distribution | Param):
        return check_probability(value, section, entry, field)
    try:
        return parse_value(value)
    except PortfolioError as err:
        raise PortfolioError(None, err.problem, section=section, entry=entry, field=field) from None


def check_text(value: Any, section: str, entry: str, field: str) -> str:
    """Return ``value`` if it is a non-empty string; raise otherwise."""
    if not isinstance(value, str) or not value.strip():
        raise PortfolioError(
            None,
            f"expected a non-empty string, got {quote(value)}",
            section=section,
            entry=entry,
            field=field,
        )
    check_unicode(value, section, entry, field)
    return value


def check_unicode(value: str, section: str | None, entry: str | None, field: str | None) -> None:
    r"""Refuse a string that is not valid Unicode text: one with a lone surrogate.

    A JSON escape such as ``"\ud800"`` (half of a surrogate pair) reads as such a string; it
    cannot be written out as UTF-8, so every report of it would fail.

    Examples
    --------
    >>> check_unicode("caf\u00e9", "cases", "C", "statement")
    >>> check_unicode("x\ud800", "cases", "C", "statement")
    Traceback (most recent call last):
    ...
    portfolios.errors.PortfolioError: cases entry 'C', field 'statement': not valid Unicode text:
    a lone surrogate '\ud800' at character 1 (surrogates come in pairs, as one character)
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise PortfolioError(
            None,
            f"not valid Unicode text: a lone surrogate {quote(value[err.start])} at character "
            f"{err.start:,} (surrogates come in pairs, as one character)",
            section=section,
            entry=entry,
            field=field,
        ) from None


def check_ids(value: Any, section: str, entry: str, field: str) -> tuple[str, ...]:
    """Return a list or tuple of ids as a tuple, refusing a lone string and repeats."""
    if not isinstance(value, list | tuple):
        raise PortfolioError(
            None,
            f"expected a list of ids, got {quote(value)}",
            section=section,
            entry=entry,
            field=field,
        )
    seen: dict[str, None] = {}  # a dict keeps the order and finds a repeat in constant time
    for item in value:
        if not isinstance(item, str):
            raise PortfolioError(
                None,
                f"expected an id (a string), got {quote(item)}",
                section=section,
                entry=entry,
                field=field,
            )
        if item in seen:
            raise PortfolioError(
                None, f"{quote(item)} is listed twice", section=section, entry=entry, field=field
            )
        seen[item] = None
    return tuple(seen)


def check_id(key: Any, section: str) -> str:
    """Return ``key`` if it is a valid id (``[A-Za-z0-9_][A-Za-z0-9_.-]*``); raise otherwise."""
    if not isinstance(key, str) or not ID_PATTERN.fullmatch(key):
        raise PortfolioError(
            None,
            f"invalid id {quote(key)}: ids are strings of letters, digits, '_', '.', '-'",
            section=section,
        )
    return key
