r"""Reading portfolio files: YAML or JSON with one schema, validated with errors that say where.

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

Safety: YAML is read with a subclass of ``yaml.SafeLoader`` (libyaml's ``CSafeLoader`` where
PyYAML has it), which builds only plain data (mappings, lists, strings, numbers, booleans,
null) and refuses tags such as ``!!python/object``; loading never executes code. YAML and JSON
parsers silently keep the last of two equal keys, so both loaders here refuse duplicate keys
instead.

Limits, each refused with an error naming the file (and the line, where the parser knows it)
before the work or the memory it would take:

* a file larger than :data:`MAX_FILE_BYTES` (4 MiB, 4,194,304 bytes): at most that many bytes
  plus one are read, so ``/dev/zero`` or an endless pipe is refused at once (a FIFO is opened
  without blocking: with no writer it reads as empty);
* lists and mappings nested deeper than :data:`MAX_NESTING` (64) levels (the format needs 7);
* YAML aliases (``*name``): one alias can stand for exponentially much data (a few hundred
  bytes of nested aliases expand to billions of items), and one can contain itself; anchors
  (``&name``) alone are harmless and read;
* an integer of more than 4,300 digits (Python's limit for reading one; ``sys.int_info``), and
  any number past the largest float is "not a probability";
* text that is not UTF-8 (a byte-order mark is allowed, in JSON too), control characters in
  YAML other than tab and newline, and a lone surrogate (a ``"\ud800"`` escape) in a
  statement, source, title or description.

Graph walks (``requires``, ``rests_on``, parameters, the duplicate-key checks) use explicit
stacks, so no depth of a valid file meets Python's recursion limit. Quoted values in error
messages are cut at :data:`~portfolios.errors.MAX_QUOTED_CHARS` (200) characters.

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
from ._files import read_limited
from .errors import PortfolioError, quote
from .portfolio import Portfolio

__all__ = [
    "EXAMPLE_PATH",
    "MAX_FILE_BYTES",
    "MAX_NESTING",
    "SCHEMA_PATH",
    "PortfolioError",
    "load",
    "parse",
    "schema",
    "to_dict",
]

#: The JSON Schema of the portfolio file format, shipped inside the package.
SCHEMA_PATH = Path(str(resources.files("portfolios") / "data" / "portfolio.schema.json"))
#: Largest portfolio file read (bytes, 4 MiB): a larger file is refused after reading at most
#: this many bytes plus one, so a huge file, ``/dev/zero`` or an endless pipe is refused at once.
MAX_FILE_BYTES = 4 * 2**20
#: Deepest nesting of lists and mappings read from a portfolio file (the format needs 7).
MAX_NESTING = 64
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


def _read_text(path: Path, file: str) -> str:
    """Read at most ``MAX_FILE_BYTES + 1`` bytes and decode them (UTF-8, a BOM allowed).

    The file is opened without blocking, so a FIFO with no writer reads as empty instead of
    hanging, and never more than the limit is read, so ``/dev/zero`` is refused at once.
    """
    data = read_limited(path, file, MAX_FILE_BYTES, "MAX_FILE_BYTES")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise PortfolioError(
            file,
            f"cannot read the file: not UTF-8 text (byte 0x{data[err.start]:02x} at offset "
            f"{err.start:,}: {err.reason})",
            line=data.count(b"\n", 0, err.start) + 1,
        ) from err
    return text.removeprefix("\ufeff")


def _nesting_error(file: str, line: int | None = None, where: str = "") -> PortfolioError:
    return PortfolioError(
        file,
        f"lists and mappings nested deeper than MAX_NESTING = {MAX_NESTING} levels{where} "
        "(a portfolio file needs at most 7)",
        line=line,
    )


def _check_yaml_events(yaml: Any, loader: Any, text: str, file: str) -> None:
    """Refuse aliases and nesting past ``MAX_NESTING`` in one linear pass over the events."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            raise PortfolioError(
                file,
                f"YAML alias *{quote(event.anchor)[1:-1]} refused: aliases are not read in "
                "portfolio files (one alias can stand for exponentially much data); write the "
                "value out",
                line=event.start_mark.line + 1,
            )
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                raise _nesting_error(file, event.start_mark.line + 1)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1


def _yaml_data(text: str, file: str) -> Any:
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _StrictSafeLoader(base):  # type: ignore[misc, valid-type]
        """SafeLoader (libyaml's where installed) that composes the node tree first."""

    loader = None
    try:
        _check_yaml_events(yaml, _StrictSafeLoader, text, file)
        loader = _StrictSafeLoader(text)
        node = loader.get_single_node()
        if node is None:
            return None
        _check_yaml_duplicates(node, file)
        return loader.construct_document(node)
    except PortfolioError:
        raise
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = " ".join(p for p in (err.context, err.problem) if p)
        if "constructor for the tag" in problem:
            problem += " (only plain YAML data is read: tags that build objects are refused)"
        raise PortfolioError(
            file, f"not valid YAML: {problem}", line=None if mark is None else mark.line + 1
        ) from err
    except yaml.reader.ReaderError as err:
        character = chr(err.character) if isinstance(err.character, int) else err.character
        line = text.count("\n", 0, err.position) + 1 if isinstance(err.position, int) else None
        raise PortfolioError(
            file,
            f"not valid YAML: the character {quote(character)} is not allowed (control "
            "characters other than tab and newline cannot appear in YAML)",
            line=line,
        ) from err
    except yaml.YAMLError as err:
        raise PortfolioError(file, f"not valid YAML: {quote(str(err))}") from err
    except ValueError as err:  # int() past sys.get_int_max_str_digits()
        raise PortfolioError(file, f"a number too long to read: {quote(str(err))}") from err
    finally:
        if loader is not None:
            loader.dispose()


def _check_yaml_duplicates(root: Any, file: str) -> None:
    """Refuse a mapping with two equal keys, anywhere (an iterative walk; no aliases here)."""
    import yaml

    stack: list[tuple[Any, tuple[str, ...]]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, _ in node.value:
                name = str(key.value)
                line = key.start_mark.line + 1
                if isinstance(key, yaml.ScalarNode) and name != "<<":
                    if name in seen:
                        raise _duplicate_error(file, (*path, name), line, seen[name])
                    seen[name] = line
            stack.extend((value, (*path, str(key.value))) for key, value in reversed(node.value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, path) for item in reversed(node.value))


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


def _check_json_duplicates(data: Any, file: str) -> None:
    """Refuse an object with two equal keys and nesting past ``MAX_NESTING`` (iteratively)."""
    stack: list[tuple[Any, tuple[str, ...], int]] = [(data, (), 0)]
    while stack:
        item, path, depth = stack.pop()
        if depth > MAX_NESTING:
            raise _nesting_error(file, where=f" (under {quote('.'.join(path[:3]))})")
        if isinstance(item, _JsonObject):
            if item.duplicates:
                raise _duplicate_error(file, (*path, item.duplicates[0]), None, None)
            stack.extend((value, (*path, key), depth + 1) for key, value in item.items())
        elif isinstance(item, list):
            stack.extend((value, path, depth + 1) for value in item)


def _json_data(text: str, file: str) -> Any:
    try:
        data = json.loads(text, object_pairs_hook=_json_object)
    except json.JSONDecodeError as err:
        raise PortfolioError(file, f"not valid JSON: {err.msg}", line=err.lineno) from err
    except RecursionError as err:  # the C decoder's depth guard, far past MAX_NESTING
        raise _nesting_error(file) from err
    except ValueError as err:  # int() past sys.get_int_max_str_digits()
        raise PortfolioError(file, f"a number too long to read: {quote(str(err))}") from err
    _check_json_duplicates(data, file)
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
    text = _read_text(path, file)
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
