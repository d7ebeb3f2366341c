"""Reading portfolio files: YAML or JSON with one schema, validated with errors that say where.

The file format
---------------
A portfolio file is a mapping with the sections ``latent``, ``assumptions``, ``cases`` and
``scenarios`` (``cases`` and ``scenarios`` required and non-empty), each a mapping from an id to
an entry, the optional strings ``title`` and ``description``, and an optional ``parameters``
section. Ids are unique across all five sections and match ``[A-Za-z0-9_][A-Za-z0-9_.-]*``.
Entry fields:

=============  ============================================================================
section        fields (required in bold)
=============  ============================================================================
latent         **statement**, **p_fail** (a probability), source
assumptions    **statement**, **p_fail** (a probability, or
               ``{LATENT_ID: {holds: q, fails: q}}`` with probabilities ``q``),
               requires (list of assumption ids), source
cases          **statement**, assumptions (list), rests_on (list of case ids),
               soundness_error (a probability, default 0), covers (list of scenario ids),
               source
scenarios      **statement**, max_risk (a number), source
parameters     ``NAME: probability`` (shared parameters)
=============  ============================================================================

A *probability* (:mod:`portfolios.values`) is a finite number in [0, 1]; an interval
``[lo, hi]`` (0 <= lo <= hi <= 1: some number in the range, nothing more said); a
distribution ``{beta: [a, b]}``, ``{lognormal: {median: m, error_factor: k}}``,
``{uniform: [lo, hi]}`` or ``{triangular: [lo, mode, hi]}``; or ``{param: NAME}``, the value of
the parameter ``NAME`` (shared by every probability that names it). In YAML write ``1.0e-3``,
not ``1e-3``, which YAML 1.1 (PyYAML) reads as a string (the error says so). ``requires``,
``rests_on`` and the parameters' references must form DAGs, and every scenario must be covered
by at least one case. The JSON Schema of this
format ships with the package (:data:`SCHEMA_PATH`, :func:`schema`); the loader checks
everything the schema says and what a schema cannot say (references, cycles, coverage,
duplicate keys).

Safety: YAML is read with a subclass of ``yaml.SafeLoader``, which builds only plain data
(mappings, lists, strings, numbers, booleans, null) and refuses tags such as
``!!python/object``; loading never executes code. YAML and JSON parsers silently keep the last
of two equal keys, so both loaders here refuse duplicate keys instead.

Every error is a :class:`PortfolioError` (a ``ValueError``) naming the file, the entry and the
field.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from ._checks import SECTIONS
from ._data import to_data
from .errors import PortfolioError
from .portfolio import Portfolio

__all__ = ["EXAMPLE_PATH", "SCHEMA_PATH", "PortfolioError", "load", "parse", "schema", "to_dict"]

#: The JSON Schema of the portfolio file format, shipped inside the package.
SCHEMA_PATH = Path(str(resources.files("portfolios") / "data" / "portfolio.schema.json"))
#: The shipped example: Anthropic's three ASL-4 sketches, the debate and the control sketches.
EXAMPLE_PATH = Path(str(resources.files("portfolios") / "data" / "asl4_portfolio.yaml"))


def schema() -> dict[str, Any]:
    """Return the JSON Schema of the portfolio file format (a fresh dict).

    Examples
    --------
    >>> from portfolios.io import schema
    >>> sorted(schema()["properties"])
    ['assumptions', 'cases', 'description', 'latent', 'parameters', 'scenarios', 'title']
    """
    result: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return result


# --------------------------------------------------------------------------- reading the text


def _yaml_data(text: str, file: str) -> Any:
    import yaml

    class _StrictSafeLoader(yaml.SafeLoader):
        """SafeLoader that composes the node tree first and refuses duplicate keys."""

    loader = _StrictSafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_yaml_duplicates(node, (), file)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = " ".join(p for p in (err.context, err.problem) if p)
        if "constructor for the tag" in problem:
            problem += " (only plain YAML data is read: tags that build objects are refused)"
        raise PortfolioError(
            file, f"not valid YAML: {problem}", line=None if mark is None else mark.line + 1
        ) from err
    except yaml.YAMLError as err:
        raise PortfolioError(file, f"not valid YAML: {err}") from err
    finally:
        loader.dispose()


def _check_yaml_duplicates(node: Any, path: tuple[str, ...], file: str) -> None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name = str(key.value)
            line = key.start_mark.line + 1
            if isinstance(key, yaml.ScalarNode) and name != "<<":
                if name in seen:
                    raise _duplicate_error(file, (*path, name), line, seen[name])
                seen[name] = line
            _check_yaml_duplicates(value, (*path, name), file)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_yaml_duplicates(item, path, file)


def _duplicate_error(
    file: str, path: tuple[str, ...], line: int | None, first: int | None
) -> PortfolioError:
    name = path[-1]
    first_at = "" if first is None else f" (first at line {first})"
    what = "id" if len(path) == 2 and path[0] in SECTIONS else "key"
    problem = f"duplicate {what} {name!r}{first_at}; the parser would silently keep the last one"
    section, entry, field = _locate(path[:-1] if what == "key" else path[:1])
    if what == "id":
        entry = name
    elif entry is not None and field is None:
        field = name
    return PortfolioError(file, problem, section=section, entry=entry, field=field, line=line)


def _locate(path: tuple[str, ...]) -> tuple[str | None, str | None, str | None]:
    section = path[0] if path and path[0] in SECTIONS else None
    entry = path[1] if section and len(path) > 1 else None
    field = path[2] if entry and len(path) > 2 else None
    return section, entry, field


class _JsonObject(dict[str, Any]):
    duplicates: tuple[str, ...] = ()


def _json_object(pairs: list[tuple[str, Any]]) -> _JsonObject:
    obj = _JsonObject()
    duplicates = []
    for key, value in pairs:
        if key in obj:
            duplicates.append(key)
        obj[key] = value
    obj.duplicates = tuple(duplicates)
    return obj


def _check_json_duplicates(data: Any, path: tuple[str, ...], file: str) -> None:
    if isinstance(data, _JsonObject):
        if data.duplicates:
            raise _duplicate_error(file, (*path, data.duplicates[0]), None, None)
        for key, value in data.items():
            _check_json_duplicates(value, (*path, key), file)
    elif isinstance(data, list):
        for item in data:
            _check_json_duplicates(item, path, file)


def _json_data(text: str, file: str) -> Any:
    try:
        data = json.loads(text, object_pairs_hook=_json_object)
    except json.JSONDecodeError as err:
        raise PortfolioError(file, f"not valid JSON: {err.msg}", line=err.lineno) from err
    _check_json_duplicates(data, (), file)
    return data


def load(path: str | Path) -> Portfolio:
    """Load a portfolio from a YAML or JSON file.

    Files ending in ``.json`` are read as JSON, all others as YAML (safe loading only).

    Parameters
    ----------
    path : str or path-like
        The file.

    Returns
    -------
    Portfolio

    Raises
    ------
    PortfolioError
        If the file cannot be read or is invalid; the message names the file, the entry and the
        field.

    Examples
    --------
    >>> import portfolios
    >>> P = portfolios.load(portfolios.EXAMPLE_PATH)
    >>> len(P.cases)
    5
    """
    path = Path(path)
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise PortfolioError(file, f"cannot read the file: {err}") from err
    data = _json_data(text, file) if path.suffix.lower() == ".json" else _yaml_data(text, file)
    return parse(data, file=file)


def loads(text: str, *, file: str = "<string>", format: str | None = None) -> Portfolio:
    """Load a portfolio from the text of a YAML or JSON file (what ``knightian ... -`` reads).

    Parameters
    ----------
    text : str
    file : str, optional
        The name to use in error messages.
    format : {"yaml", "json"}, optional
        Default: JSON if the text starts with ``{``, else YAML.

    Examples
    --------
    >>> P = loads('{"cases": {"C": {"statement": "c", "soundness_error": 0.2, "covers": ["S"]}},'
    ...           ' "scenarios": {"S": {"statement": "s"}}}')
    >>> P.p_unprotected("S")
    0.2
    """
    if format is None:
        format = "json" if text.lstrip().startswith("{") else "yaml"
    if format not in ("yaml", "json"):
        raise PortfolioError(file, f"unknown format {format!r}; choose 'yaml' or 'json'")
    data = _json_data(text, file) if format == "json" else _yaml_data(text, file)
    return parse(data, file=file)


def dump(portfolio: Portfolio, path: str | Path) -> None:
    """Write a portfolio to a file, JSON or YAML by the suffix (``.json``; ``.yaml``, ``.yml``).

    The file holds the plain data of :func:`to_dict` (``load(path)`` gives the portfolio
    back); YAML keeps the file's order of sections and entries. For the Open-PSA MEF (XML) see
    :func:`portfolios.openpsa.dump`.

    Raises
    ------
    PortfolioError
        For another suffix, or when the file cannot be written.

    Examples
    --------
    >>> import tempfile, portfolios
    >>> P = portfolios.load(portfolios.EXAMPLE_PATH)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     dump(P, f"{tmp}/copy.json")
    ...     load(f"{tmp}/copy.json").to_dict() == P.to_dict()
    True
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".yaml", ".yml"):
        raise PortfolioError(
            str(path),
            f"cannot tell the format from the suffix {suffix!r}: use .json, .yaml or .yml",
        )
    data = to_dict(portfolio)
    if suffix == ".json":
        text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    else:
        import yaml

        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise PortfolioError(str(path), f"cannot write the file: {err}") from err


def parse(data: Any, *, file: str = "<dict>") -> Portfolio:
    """Validate plain data (as read from a file) and return the :class:`Portfolio`.

    Parameters
    ----------
    data : mapping
        The portfolio, in the file format (see the module docstring).
    file : str, optional
        The name to use in error messages.

    Returns
    -------
    Portfolio

    Raises
    ------
    PortfolioError
        Naming the file, the entry and the field of the first problem found.

    Examples
    --------
    >>> from portfolios.io import parse
    >>> P = parse({
    ...     "assumptions": {"A": {"statement": "a", "p_fail": 0.1}},
    ...     "cases": {"C": {"statement": "c", "assumptions": ["A"], "covers": ["S"]}},
    ...     "scenarios": {"S": {"statement": "s"}},
    ... })
    >>> P.p_unprotected("S")
    0.1
    >>> parse({"cases": {}, "scenarios": {}})
    Traceback (most recent call last):
    ...
    portfolios.errors.PortfolioError: <dict>: missing or empty section 'cases'
    """
    return Portfolio.from_dict(data, file=file)


def to_dict(portfolio: Portfolio) -> dict[str, Any]:
    """Return a portfolio as plain data in the file format (``parse(to_dict(P))`` equals P).

    Optional fields at their defaults are left out.

    Examples
    --------
    >>> from portfolios.io import parse, to_dict
    >>> d = {"cases": {"C": {"statement": "c", "soundness_error": 0.2, "covers": ["S"]}},
    ...      "scenarios": {"S": {"statement": "s", "max_risk": 0.5}}}
    >>> to_dict(parse(d)) == d
    True
    """
    return to_data(portfolio.entries)
