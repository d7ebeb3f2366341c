"""Read ``<define-substitution>`` and ``<define-alignment>`` elements of an Open-PSA MEF model.

:mod:`portfolios.openpsa` parses the XML and hands the elements here once every file is read
(names may be defined in any file). Substitutions become
:class:`~portfolios.substitutions.Substitution` s; an alignment becomes an
:class:`~portfolios.alignment.Alignment` whose phases' trees the caller builds
(``make_tree(time_fraction, house_events)``). Errors name the file, the line, the element and
its name.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from .alignment import Alignment, Phase, check_phases
from .errors import PortfolioError
from .faulttree import FaultTree
from .substitutions import Substitution

__all__ = ["Element", "read_alignments", "read_substitutions"]

_REFERENCES = ("basic-event", "event", "gate", "house-event")

#: ``resolve(name)``: ``(kind, key)`` of a public name, or None.
Resolve = Callable[[str], "tuple[str, str] | None"]
#: ``make_tree(time_fraction, house_events)``: the model in a phase and its mission time.
MakeTree = Callable[[float, Mapping[str, bool]], "tuple[FaultTree, float | None]"]


class Element(Protocol):
    """A parsed XML element (``openpsa._Node``)."""

    tag: str
    attrs: dict[str, str]
    line: int

    def kids(self) -> Sequence[Element]: ...


def _error(
    file: str, node: Element, section: str, name: str | None, problem: str
) -> PortfolioError:
    return PortfolioError(file, problem, section=section, entry=name, line=node.line)


def _name(file: str, node: Element, section: str) -> str:
    name = node.attrs.get("name")
    if not name:
        raise PortfolioError(
            file, "missing attribute 'name'", section=section, field="name", line=node.line
        )
    return name


def _basic_event(file: str, node: Element, name: str, resolve: Resolve, what: str) -> str:
    """Return the key of the basic event ``node`` refers to."""
    where = "define-substitution"
    if node.tag not in _REFERENCES:
        raise _error(
            file,
            node,
            where,
            name,
            f"<{node.tag}> in the {what}: a substitution is built over basic events only "
            "(no nested formula, constant or gate)",
        )
    ref = node.attrs.get("name", "")
    found = resolve(ref)
    if found is None:
        raise _error(file, node, where, name, f"unknown basic event {ref!r} in the {what}")
    kind, key = found
    if kind != "basic-event" or node.tag not in ("basic-event", "event"):
        shown = kind if node.tag == "event" else node.tag
        raise _error(
            file,
            node,
            where,
            name,
            f"{ref!r} ({shown}) in the {what}: a substitution is built over basic events only",
        )
    return key


def _substitution(file: str, node: Element, resolve: Resolve) -> Substitution:
    name = _name(file, node, "define-substitution")
    parts: dict[str, Element] = {}
    for child in node.kids():
        if child.tag not in ("hypothesis", "source", "target") or child.tag in parts:
            raise _error(
                file,
                child,
                "define-substitution",
                name,
                f"unexpected <{child.tag}>: a substitution holds one <hypothesis>, an optional "
                "<source> and one <target>",
            )
        parts[child.tag] = child
    for needed in ("hypothesis", "target"):
        if needed not in parts:
            raise _error(file, node, "define-substitution", name, f"missing <{needed}>")
    formulas = parts["hypothesis"].kids()
    if len(formulas) != 1:
        raise _error(
            file,
            parts["hypothesis"],
            "define-substitution",
            name,
            f"<hypothesis> holds one formula, found {len(formulas)}",
        )
    formula = formulas[0]
    k: int | None = None
    if formula.tag in _REFERENCES:
        connective = "null"
        args = [formula]
    else:
        connective, args = formula.tag, list(formula.kids())
        if connective == "atleast":
            raw = formula.attrs.get("min", "")
            k = int(raw) if raw.isdigit() else None
    hypothesis = tuple(_basic_event(file, a, name, resolve, "hypothesis") for a in args)
    source: tuple[str, ...] = ()
    if "source" in parts:
        source = tuple(
            _basic_event(file, a, name, resolve, "source") for a in parts["source"].kids()
        )
    targets = parts["target"].kids()
    if len(targets) != 1:
        raise _error(
            file,
            parts["target"],
            "define-substitution",
            name,
            f"<target> holds one basic event or constant, found {len(targets)}",
        )
    target: str | bool
    if targets[0].tag in ("constant", "bool"):
        value = targets[0].attrs.get("value")
        if value not in ("true", "false"):
            raise _error(
                file,
                targets[0],
                "define-substitution",
                name,
                f"value={value!r} must be 'true' or 'false'",
            )
        target = value == "true"
    else:
        target = _basic_event(file, targets[0], name, resolve, "target")
    return Substitution(
        name=name,
        connective=connective,
        hypothesis=hypothesis,
        source=source,
        target=target,
        min=k,
        declared_type=node.attrs.get("type"),
        file=file,
        line=node.line,
    )


def read_substitutions(
    nodes: Sequence[tuple[Element, str]], resolve: Resolve
) -> list[Substitution]:
    """Return the substitutions of ``(element, file)`` pairs (refusing a repeated name)."""
    out: list[Substitution] = []
    where: dict[str, tuple[str, int]] = {}
    for node, file in nodes:
        s = _substitution(file, node, resolve)
        if s.name in where:
            first = where[s.name]
            raise s.error(
                f"the substitution is defined twice (first in {first[0]}, line {first[1]})"
            )
        where[s.name] = (file, node.line)
        out.append(s)
    return out


def _phase(file: str, node: Element, resolve: Resolve) -> tuple[str, float, dict[str, bool]]:
    name = _name(file, node, "define-phase")
    raw = node.attrs.get("time-fraction")
    try:
        fraction = float(raw) if raw is not None else math.nan
    except ValueError:
        fraction = math.nan
    if not (math.isfinite(fraction) and 0.0 < fraction <= 1.0):
        raise PortfolioError(
            file,
            f"time-fraction={raw!r} must be a number in (0, 1]",
            section="define-phase",
            entry=name,
            field="time-fraction",
            line=node.line,
        )
    sets: dict[str, bool] = {}
    for child in node.kids():
        if child.tag != "set-house-event":
            raise _error(
                file,
                child,
                "define-phase",
                name,
                f"unsupported instruction <{child.tag}>: a phase holds set-house-event",
            )
        house = _name(file, child, "set-house-event")
        found = resolve(house)
        if found is None or found[0] != "house-event":
            raise _error(file, child, "set-house-event", house, f"unknown house event {house!r}")
        values = child.kids()
        value = values[0].attrs.get("value") if len(values) == 1 else None
        if value not in ("true", "false") or values[0].tag not in ("constant", "bool"):
            raise _error(
                file,
                child,
                "set-house-event",
                house,
                'set-house-event holds one <constant value="true|false"/>',
            )
        sets[found[1]] = value == "true"
    return name, fraction, sets


def read_alignments(
    nodes: Sequence[tuple[Element, str]], resolve: Resolve, make_tree: MakeTree
) -> dict[str, Alignment]:
    """Return the alignments of ``(element, file)`` pairs, each phase's tree built."""
    out: dict[str, Alignment] = {}
    for node, file in nodes:
        name = _name(file, node, "define-alignment")
        if name in out:
            first = out[name]
            raise _error(
                file,
                node,
                "define-alignment",
                name,
                f"the alignment is defined twice (first in {first.file}, line {first.line})",
            )
        specs = []
        for child in node.kids():
            if child.tag != "define-phase":
                raise _error(
                    file,
                    child,
                    "define-alignment",
                    name,
                    f"unexpected <{child.tag}>: an alignment holds define-phase elements",
                )
            specs.append(_phase(file, child, resolve))
        check_phases(name, [(n, f) for n, f, _ in specs], file, node.line)
        phases = []  # the trees are built once the alignment is known to be valid
        for n, f, s in specs:
            tree, mission_time = make_tree(f, s)
            phases.append(Phase(n, f, s, tree, mission_time))
        out[name] = Alignment(name, tuple(phases), file, node.line)
    return out
