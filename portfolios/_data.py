"""Plain data in the file format <-> the entries of a portfolio.

:func:`from_data` checks the shape of the data (a mapping of sections, each a mapping from id
to a mapping of known fields, the required fields present) and builds the entries of
:mod:`portfolios.model`, whose own checks run as they are built; every error names the file
(``"<dict>"`` for data passed in Python), the section, the entry and the field.
:func:`to_data` is the inverse. The checks of the portfolio as a whole (references, cycles,
coverage) are not run here: they are :func:`portfolios.validation.check_portfolio`'s, run by
the :class:`~portfolios.portfolio.Portfolio` constructor. Reading files (YAML, JSON, duplicate
keys) is :mod:`portfolios.io`'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._checks import (
    FIELDS,
    REQUIRED,
    SECTIONS,
    TOP_LEVEL,
    check_id,
    check_unicode,
    check_value,
    is_value_form,
)
from .errors import PortfolioError, quote
from .model import Assumption, Case, Conditional, Entries, Latent, Scenario
from .values import Value, value_to_data

__all__ = ["from_data", "read_sections", "to_data"]

_KINDS: dict[str, type[Latent] | type[Assumption] | type[Case] | type[Scenario]] = {
    "latent": Latent,
    "assumptions": Assumption,
    "cases": Case,
    "scenarios": Scenario,
}


class _Reader:
    """Check the shape of plain data and build entries, naming ``file`` in every error."""

    def __init__(self, file: str) -> None:
        self.file = file

    def error(
        self,
        problem: str,
        section: str | None = None,
        entry: str | None = None,
        field: str | None = None,
    ) -> PortfolioError:
        return PortfolioError(self.file, problem, section=section, entry=entry, field=field)

    def top_level(self, data: Any) -> None:
        if not isinstance(data, Mapping):
            kind = "empty" if data is None else type(data).__name__
            raise self.error(f"a portfolio is a mapping of sections, got {kind}")
        for key in data:
            if key not in TOP_LEVEL:
                raise self.error(
                    f"unknown top-level key {quote(key)} (expected one of {', '.join(TOP_LEVEL)})"
                )
        for key in ("title", "description"):
            if key in data and not isinstance(data[key], str):
                raise self.error(f"expected a string, got {quote(data[key])}", field=key)
            if key in data:
                try:
                    check_unicode(data[key], None, None, key)
                except PortfolioError as err:
                    raise err.located(self.file) from None

    def shape(self, section: str, raw: Any) -> dict[str, dict[str, Any]]:
        """Check one section's shape; return its entries as dicts of fields."""
        if raw is None:
            raw = {}
        if not isinstance(raw, Mapping):
            raise self.error(
                f"expected a mapping from ids to entries, got {type(raw).__name__}", section
            )
        entries: dict[str, dict[str, Any]] = {}
        for key, entry in raw.items():
            if not isinstance(entry, Mapping):
                raise self.error(
                    f"an entry is a mapping of fields, got {quote(entry)}", section, str(key)
                )
            for field in entry:
                if field not in FIELDS[section]:
                    raise self.error(
                        f"unknown field (expected one of {', '.join(FIELDS[section])})",
                        section,
                        str(key),
                        str(field),
                    )
            for field in REQUIRED[section]:
                if field not in entry:
                    raise self.error("missing required field", section, str(key), field)
            entries[key] = dict(entry)
        return entries

    def make(self, kind: Any, **fields: Any) -> Any:
        """Build an entry; its own checks raise, and the error gets the file's name."""
        try:
            return kind(**fields)
        except PortfolioError as err:
            raise err.located(self.file) from None

    def conditional(self, value: Mapping[str, Any], entry: str) -> Conditional:
        where = ("assumptions", entry, "p_fail")
        if len(value) != 1:
            raise self.error(
                "a conditional p_fail names exactly one latent variable: "
                "{LATENT_ID: {holds: q, fails: q}}",
                *where,
            )
        ((name, table),) = value.items()
        if not isinstance(table, Mapping) or set(table) != {"holds", "fails"}:
            hint = (
                ""
                if isinstance(table, Mapping)
                else " (a distribution is one of beta, lognormal, uniform, triangular; a "
                "shared parameter is {param: NAME})"
            )
            raise self.error(
                f"p_fail of {quote(name)} must be a mapping with exactly the keys 'holds' and "
                f"'fails', got {quote(table)}{hint}",
                *where,
            )
        try:
            return Conditional(latent=name, holds=table["holds"], fails=table["fails"])
        except PortfolioError as err:
            raise err.located(self.file, section=where[0], entry=where[1], field=where[2]) from None

    def parameters(self, raw: Any) -> dict[str, Value]:
        """Check the ``parameters`` section: a mapping from names to probability values."""
        if raw is None:
            return {}
        if not isinstance(raw, Mapping):
            raise self.error(
                "expected a mapping from parameter names to probability values, got "
                f"{type(raw).__name__}",
                "parameters",
            )
        out = {}
        for key, value in raw.items():
            try:
                out[check_id(key, "parameters")] = check_value(value, "parameters", key, None)
            except PortfolioError as err:
                raise err.located(self.file) from None
        return out

    def build(self, section: str, entries: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
        """Build the entries of one section (already shape-checked)."""
        out = {}
        for key, fields in entries.items():
            p_fail = fields.get("p_fail")
            if (
                section == "assumptions"
                and isinstance(p_fail, Mapping)
                and not is_value_form(p_fail)
            ):
                fields = {**fields, "p_fail": self.conditional(fields["p_fail"], key)}
            out[key] = self.make(_KINDS[section], id=key, **fields)
        return out

    def sections(self, sections: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
        """Shape-check every given section (in file order), then build them."""
        names = [s for s in SECTIONS if s in sections]
        shaped = {s: self.shape(s, sections[s]) for s in names}
        return {s: self.build(s, shaped[s]) for s in names}


def read_sections(sections: Mapping[str, Any], *, file: str) -> dict[str, dict[str, Any]]:
    """Check and build some sections of plain data (each a mapping from id to fields).

    The same checks as :func:`from_data`, for a part of a portfolio: new entries to add to one
    (the candidates of :func:`portfolios.whatnext.best_addition`).

    Examples
    --------
    >>> read_sections({"assumptions": {"A": {"statement": "a", "p_fail": 0.1}}}, file="<new>")
    {'assumptions': {'A': Assumption(id='A', statement='a', p_fail=0.1, requires=(), source=None)}}
    """
    return _Reader(file).sections(sections)


def from_data(data: Any, *, file: str = "<dict>") -> Entries:
    """Check plain data in the file format and return its entries (module docstring).

    Examples
    --------
    >>> entries = from_data({
    ...     "cases": {"C": {"statement": "c", "covers": ["S"]}},
    ...     "scenarios": {"S": {"statement": "s"}},
    ... })
    >>> entries
    Entries(<dict>: 0 latent, 0 assumptions, 1 cases, 1 scenarios)
    >>> from_data({"cases": {"C": {"statement": "c", "cover": ["S"]}}})
    Traceback (most recent call last):
    ...
    portfolios.errors.PortfolioError: <dict>: cases entry 'C', field 'cover': unknown field ...
    """
    reader = _Reader(file)
    reader.top_level(data)
    parameters = reader.parameters(data.get("parameters"))
    sections = reader.sections({s: data.get(s) for s in SECTIONS})
    return Entries(
        latent=sections["latent"],
        assumptions=sections["assumptions"],
        cases=sections["cases"],
        scenarios=sections["scenarios"],
        title=data.get("title"),
        description=data.get("description"),
        file=file,
        parameters=parameters,
    )


def _probability_out(value: Value | Conditional) -> Any:
    if isinstance(value, Conditional):
        return {
            value.latent: {"holds": value_to_data(value.holds), "fails": value_to_data(value.fails)}
        }
    return value_to_data(value)


def to_data(entries: Entries) -> dict[str, Any]:
    """Return the entries as plain data in the file format.

    Optional fields at their defaults are left out; ``from_data(to_data(e))`` has the same
    entries as ``e``.

    Examples
    --------
    >>> d = {"cases": {"C": {"statement": "c", "soundness_error": 0.2, "covers": ["S"]}},
    ...      "scenarios": {"S": {"statement": "s", "max_risk": 0.5}}}
    >>> to_data(from_data(d)) == d
    True
    """
    out: dict[str, Any] = {}
    for key in ("title", "description"):
        if getattr(entries, key) is not None:
            out[key] = getattr(entries, key)
    if entries.parameters:
        out["parameters"] = {k: value_to_data(v) for k, v in entries.parameters.items()}
    for section, items in entries.sections().items():
        if not items:
            continue
        out[section] = {}
        for key, entry in items.items():
            fields: dict[str, Any] = {"statement": entry.statement}
            for field in FIELDS[section]:
                if field in ("statement", "source"):
                    continue
                value = getattr(entry, field)
                if field == "p_fail":
                    fields[field] = _probability_out(value)
                elif field == "soundness_error":
                    if not (isinstance(value, float) and value == 0.0):
                        fields[field] = value_to_data(value)
                elif isinstance(value, tuple):
                    if value:
                        fields[field] = list(value)
                elif value is not None:
                    fields[field] = value
            if entry.source is not None:
                fields["source"] = entry.source
            out[section][key] = fields
    return out
