"""The entries of a portfolio: latent variables, assumptions, safety cases and scenarios.

Definitions
-----------
latent variable
    A binary world-structure variable ``W_j`` ("models are parsimonious enough for present-day
    interpretability to work") that *fails* with probability ``p_fail``; the latent variables
    are independent of one another.
assumption
    A world-model premise that fails on its own with probability ``p_fail``, or with
    probability ``holds`` / ``fails`` depending on the state of one latent variable
    (:class:`Conditional`). An assumption may ``require`` other assumptions: the failure of a
    required assumption makes it fail too. Given the latent states, the assumptions' own
    failures are independent.
safety case
    An argument that rests on ``assumptions`` and optionally on other cases (``rests_on``); it
    fails if anything it rests on fails, and otherwise with its residual ``soundness_error``
    (the probability that the argument itself is wrong). It ``covers`` scenarios.
scenario
    A deployment context with an optional risk tolerance ``max_risk``; it is *unprotected*
    when every case covering it fails.

Each entry is a frozen dataclass; ids are unique across the four sections of a portfolio.
Building an entry checks it (the entry checks listed in :mod:`portfolios.validation`):
probabilities are finite numbers in [0, 1] (stored as Python floats) or the values of
:mod:`portfolios.values` (an :class:`~portfolios.values.Interval`, a distribution, a shared
:class:`~portfolios.values.Param`; their file forms are read too), statements non-empty
strings, lists of ids lists or tuples of strings without repeats (stored as tuples); anything
else raises a :class:`~portfolios.errors.PortfolioError` naming the entry and the field.

Examples
--------
>>> from portfolios import Assumption, Conditional
>>> a = Assumption("A", "a", Conditional("W", holds=0.1, fails=1), requires=["B"])
>>> a.p_fail, a.requires
(Conditional(latent='W', holds=0.1, fails=1.0), ('B',))
>>> Assumption("A", "a", float("nan"))
Traceback (most recent call last):
...
portfolios.errors.PortfolioError: assumptions entry 'A', field 'p_fail': nan is not a finite number
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ._checks import (
    SECTIONS,
    check_id,
    check_ids,
    check_probability,
    check_text,
    check_unicode,
    check_value,
    is_value_form,
)
from .errors import PortfolioError, PortfolioTypeError, quote
from .values import Value

__all__ = ["Assumption", "Case", "Conditional", "Entries", "Latent", "Scenario"]


def _set(entry: Any, field: str, value: Any) -> None:
    object.__setattr__(entry, field, value)


def _check_common(entry: Any, section: str) -> None:
    check_id(entry.id, section)
    check_text(entry.statement, section, entry.id, "statement")
    if entry.source is not None:
        check_text(entry.source, section, entry.id, "source")


@dataclass(frozen=True)
class Latent:
    """A latent world-structure variable.

    Parameters
    ----------
    id : str
        Its id.
    statement : str
        What holds when the variable holds.
    p_fail : float or value
        The probability that it fails: a number in [0, 1], or an interval, a distribution or a
        shared parameter (:mod:`portfolios.values`).
    source : str or None
        Where the statement comes from.
    """

    id: str
    statement: str
    p_fail: Value
    source: str | None = None

    def __post_init__(self) -> None:
        _check_common(self, "latent")
        _set(self, "p_fail", check_value(self.p_fail, "latent", self.id, "p_fail"))


@dataclass(frozen=True)
class Conditional:
    """The failure probability of an assumption given the state of one latent variable.

    Parameters
    ----------
    latent : str
        The id of the latent variable.
    holds : float or value
        P(assumption fails | latent variable holds).
    fails : float or value
        P(assumption fails | latent variable fails).

    Each is a number or any value of :mod:`portfolios.values`.
    """

    latent: str
    holds: Value
    fails: Value

    def __post_init__(self) -> None:
        if not isinstance(self.latent, str):
            raise PortfolioError(
                None, f"a conditional p_fail names a latent variable id, got {quote(self.latent)}"
            )
        for field in ("holds", "fails"):
            try:
                value = check_value(getattr(self, field), None, None, field)
            except PortfolioError as err:
                raise PortfolioError(
                    None,
                    f"{err.problem} (P(fails | {self.latent} {field}))",
                    field=field,
                ) from None
            _set(self, field, value)


@dataclass(frozen=True)
class Assumption:
    """A world-model assumption that safety cases rest on.

    Parameters
    ----------
    id : str
        Its id.
    statement : str
        The assumption.
    p_fail : float, value or Conditional
        The probability that it fails on its own (a number, or a value of
        :mod:`portfolios.values`), or that probability per latent state.
    requires : tuple of str
        Assumptions whose failure makes this one fail.
    source : str or None
        Where the assumption comes from.
    """

    id: str
    statement: str
    p_fail: Value | Conditional
    requires: tuple[str, ...] = ()
    source: str | None = None

    def __post_init__(self) -> None:
        _check_common(self, "assumptions")
        if isinstance(self.p_fail, Mapping) and not is_value_form(self.p_fail):
            raise PortfolioError(
                None,
                "a conditional p_fail is written Conditional(LATENT_ID, holds=q, fails=q) in "
                f"Python, got {quote(self.p_fail)}",
                section="assumptions",
                entry=self.id,
                field="p_fail",
            )
        if not isinstance(self.p_fail, Conditional):
            _set(self, "p_fail", check_value(self.p_fail, "assumptions", self.id, "p_fail"))
        _set(self, "requires", check_ids(self.requires, "assumptions", self.id, "requires"))

    @property
    def latent(self) -> str | None:
        """The latent variable its failure probability depends on, or None."""
        return self.p_fail.latent if isinstance(self.p_fail, Conditional) else None


@dataclass(frozen=True)
class Case:
    """A safety case.

    Parameters
    ----------
    id : str
        Its id.
    statement : str
        The top-level claim.
    assumptions : tuple of str
        The assumptions it rests on.
    rests_on : tuple of str
        Other cases it rests on (their failure makes it fail).
    soundness_error : float or value
        The probability that the argument fails although everything it rests on holds (a
        number, or a value of :mod:`portfolios.values`).
    covers : tuple of str
        The scenarios it covers.
    source : str or None
        Where the case comes from.
    """

    id: str
    statement: str
    assumptions: tuple[str, ...] = ()
    rests_on: tuple[str, ...] = ()
    soundness_error: Value = 0.0
    covers: tuple[str, ...] = ()
    source: str | None = None

    def __post_init__(self) -> None:
        _check_common(self, "cases")
        for field in ("assumptions", "rests_on", "covers"):
            _set(self, field, check_ids(getattr(self, field), "cases", self.id, field))
        value = check_value(self.soundness_error, "cases", self.id, "soundness_error")
        _set(self, "soundness_error", value)


@dataclass(frozen=True)
class Scenario:
    """A deployment context.

    Parameters
    ----------
    id : str
        Its id.
    statement : str
        The context.
    max_risk : float or None
        The largest acceptable probability that it is unprotected.
    source : str or None
        Where the scenario comes from.
    """

    id: str
    statement: str
    max_risk: float | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        _check_common(self, "scenarios")
        if self.max_risk is not None:
            _set(
                self, "max_risk", check_probability(self.max_risk, "scenarios", self.id, "max_risk")
            )


@dataclass(frozen=True, eq=False)
class Entries:
    """The entries of one portfolio, by section, with its title, description and file.

    Plain data: each entry checked itself when it was built, but the entries are not checked
    together here (references, cycles, coverage: :func:`portfolios.validation.check_portfolio`,
    which the :class:`~portfolios.portfolio.Portfolio` constructor runs). The sections are
    copied into read-only mappings from id to entry, in file order; a section that is not a
    mapping, or a title that is not a string, raises a
    :class:`~portfolios.errors.PortfolioTypeError`.

    Parameters
    ----------
    latent, assumptions, cases, scenarios : mapping of str to entry
        The four sections.
    title, description, file : str or None
        The labels of the portfolio and the file it was read from.
    parameters : mapping of str to value, optional
        The shared parameters: name -> a probability value (:mod:`portfolios.values`), named
        by ``{param: NAME}`` wherever a probability is expected; each is checked here (the
        names and values; references and cycles with the portfolio).

    Examples
    --------
    >>> E = Entries(latent={}, assumptions={}, cases={"C": Case("C", "c", covers=("S",))},
    ...             scenarios={"S": Scenario("S", "s")}, title="tiny")
    >>> E
    Entries(tiny: 0 latent, 0 assumptions, 1 cases, 1 scenarios)
    >>> list(E.sections())
    ['latent', 'assumptions', 'cases', 'scenarios']
    """

    latent: Mapping[str, Latent]
    assumptions: Mapping[str, Assumption]
    cases: Mapping[str, Case]
    scenarios: Mapping[str, Scenario]
    title: str | None = None
    description: str | None = None
    file: str | None = None
    parameters: Mapping[str, Value] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.parameters, Mapping):
            raise PortfolioTypeError(
                None,
                "parameters must be a mapping from names to probability values, got "
                f"{type(self.parameters).__name__}",
            )
        checked = {}
        for key, value in self.parameters.items():
            check_id(key, "parameters")
            checked[key] = check_value(value, "parameters", key, None)
        _set(self, "parameters", MappingProxyType(checked))
        for name in SECTIONS:
            value = getattr(self, name)
            if not isinstance(value, Mapping):
                raise PortfolioTypeError(
                    None,
                    f"{name} must be a mapping from ids to entries, got {type(value).__name__}",
                )
            _set(self, name, MappingProxyType(dict(value)))
        for name in ("title", "description", "file"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise PortfolioTypeError(
                    None, f"{name} must be a string or None, got {quote(value)}"
                )
            if value is not None and name != "file":
                check_unicode(value, None, None, name)

    def sections(self) -> dict[str, Mapping[str, Any]]:
        """Return ``{section name: its entries}`` for the four sections, in file order."""
        return {name: getattr(self, name) for name in SECTIONS}

    def __repr__(self) -> str:
        params = f", {len(self.parameters)} parameters" if self.parameters else ""
        return (
            f"Entries({self.title or self.file}: {len(self.latent)} latent, "
            f"{len(self.assumptions)} assumptions, {len(self.cases)} cases, "
            f"{len(self.scenarios)} scenarios{params})"
        )
