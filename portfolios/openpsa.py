r"""The Open-PSA Model Exchange Format (MEF): read fault trees, write portfolios.

Definitions
-----------
The MEF (Epstein and Rauzy, "Open-PSA Model Exchange Format", version 2.0d) is the XML format
that fault-tree tools (SCRAM, XFTA, RiskSpectrum's exporter) exchange. :func:`load` reads the
fault-tree subset into a :class:`~portfolios.faulttree.FaultTree`:

* ``<opsa-mef>`` holding ``<define-fault-tree name=...>``, ``<model-data>`` and
  ``<define-CCF-group>`` elements (``<attributes>`` are skipped; the ``<label>`` of a gate,
  basic event or house event becomes its entry in ``FaultTree.labels``, whitespace
  collapsed; other labels are skipped);
* ``<define-gate name=...>`` with one formula: ``<and>``, ``<or>``, ``<atleast min="k">``,
  ``<not>``, nested freely, over ``<gate name>``, ``<basic-event name>``, ``<house-event name>``,
  ``<event name [type]>`` (untyped: resolved by name) and ``<constant value="true|false"/>``;
* ``<define-basic-event name=...>`` with ``<float value="p"/>``;
  ``<define-house-event name=...>`` with ``<constant value="true|false"/>`` (default false);
* ``<define-CCF-group name=... model="beta-factor|MGL|alpha-factor|phi-factor">`` with
  ``<members>``, ``<distribution><float/></distribution>`` and ``<factor level=...>`` elements
  (directly or inside ``<factors>``).

Names are global (the public role; ``<define-component>`` scopes are not read). Anything else
(event trees, parameters, other expressions such as ``<exponential>``, gates such as ``<xor>``)
is refused with an error naming the file, the line, the element and the name. Several files may
be given together, as SCRAM takes a tree and its ``model-data`` in separate files.

:func:`dump` writes a portfolio as MEF: scenario ``s`` is the AND gate ``unprotected_s`` of its
covering cases; case ``c`` is the OR gate ``case_c`` of its soundness error (the basic event
``soundness_c``), its assumptions and the cases it rests on; an assumption is the basic event of
its own failure, or, when it ``requires`` others or depends on a latent variable, the OR gate
``assumption_a`` of those. A latent variable is a basic event; an assumption conditional on it
with ``P(fail | holds) = h < f = P(fail | fails)`` fails as ``a OR (W AND a_given_W)``
(probabilities ``h`` and ``(f - h) / (1 - h)``), and with ``f < h`` as
``(W AND a_if_W_fails) OR (NOT W AND a_if_W_holds)`` (probabilities ``f`` and ``h``). Reading
the file back gives the same probabilities (the tests check it). Ids that are not MEF
identifiers are rewritten (``.`` becomes ``_``, a leading digit gets a ``_``); every element
keeps the original id in ``<attributes><attribute name="knightian-id" .../></attributes>`` and
the statement in its ``<label>``.

Safety: the XML is parsed with :mod:`xml.parsers.expat` directly, refusing any document type
declaration (so no entity can be declared: no "billion laughs" expansion and no external
entity is ever fetched) and any external entity reference; only the predefined XML entities
are expanded. Loading never executes code.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from .errors import PortfolioError
from .faulttree import CCFGroup, FaultTree, Formula
from .model import Conditional
from .portfolio import Portfolio
from .values import Interval, Param, Value, point_value

__all__ = ["dump", "load", "mef_name"]

_SKIPPED = ("label", "attributes")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*")


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)
    text: str = ""

    def kids(self) -> list[_Node]:
        return [c for c in self.children if c.tag not in _SKIPPED]


class _Refused(Exception):
    pass


def _parse(path: Path) -> _Node:
    file = str(path)
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Node] = []
    roots: list[_Node] = []

    def refuse_dtd(*_: Any) -> None:
        raise _Refused(
            "document type declarations (DTDs) are refused: they can declare entities that "
            "expand without bound or fetch external files"
        )

    def refuse_entity(*_: Any) -> int:
        raise _Refused("external entity references are refused")

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = _Node(tag, dict(attrs), parser.CurrentLineNumber)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    def end(tag: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            stack[-1].text += data

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.ExternalEntityRefHandler = refuse_entity
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        with path.open("rb") as f:
            parser.ParseFile(f)
    except OSError as err:
        raise PortfolioError(file, f"cannot read the file: {err}") from err
    except _Refused as err:
        raise PortfolioError(file, str(err), line=parser.CurrentLineNumber) from err
    except expat.ExpatError as err:
        raise PortfolioError(
            file, f"not well-formed XML: {expat.errors.messages[err.code]}", line=err.lineno
        ) from err
    if not roots or roots[0].tag != "opsa-mef":
        found = roots[0].tag if roots else "nothing"
        raise PortfolioError(file, f"the root element must be <opsa-mef>, found <{found}>")
    return roots[0]


class _Reader:
    """Collect the definitions of one or more MEF files."""

    def __init__(self) -> None:
        self.gates: dict[str, Formula] = {}
        self.basic: dict[str, float | None] = {}
        self.house: dict[str, bool] = {}
        self.ccf: dict[str, CCFGroup] = {}
        self.labels: dict[str, str] = {}
        self.where: dict[str, tuple[str, int]] = {}
        self.refs: list[tuple[str, int, str, str]] = []  # file, line, gate, name (untyped)
        self.tree_name: str | None = None
        self.file = ""

    def error(
        self, problem: str, node: _Node, name: str | None = None, attr: str | None = None
    ) -> PortfolioError:
        return PortfolioError(
            self.file, problem, section=node.tag, entry=name, field=attr, line=node.line
        )

    def gate_error(
        self, problem: str, node: _Node, gate: str, attr: str | None = None
    ) -> PortfolioError:
        where = f"<{node.tag}>: " if node.tag not in problem else ""
        return PortfolioError(
            self.file,
            where + problem,
            section="define-gate",
            entry=gate,
            field=attr,
            line=node.line,
        )

    def name_of(self, node: _Node) -> str:
        name = node.attrs.get("name")
        if not name:
            raise self.error("missing attribute 'name'", node, attr="name")
        return name

    def define(self, name: str, node: _Node) -> None:
        if name in self.where:
            file, line = self.where[name]
            raise self.error(f"{name!r} is already defined ({file}, line {line})", node, name)
        self.where[name] = (self.file, node.line)

    def probability(self, node: _Node, owner: _Node, name: str) -> float:
        if node.tag != "float":
            raise self.error(
                f"unsupported expression <{node.tag}>: only <float value=...> is read",
                owner,
                name,
            )
        raw = node.attrs.get("value")
        try:
            value = float(raw) if raw is not None else math.nan
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and 0.0 <= value <= 1.0):
            raise self.error(f"{raw!r} is not a probability in [0, 1]", owner, name, "value")
        return value

    def read(self, root: _Node, file: str) -> None:
        self.file = file
        for node in root.kids():
            if node.tag == "define-fault-tree":
                if self.tree_name is None:
                    self.tree_name = self.name_of(node)
                self.container(
                    node,
                    ("define-gate", "define-basic-event", "define-house-event", "define-CCF-group"),
                )
            elif node.tag == "model-data":
                self.container(node, ("define-basic-event", "define-house-event"))
            elif node.tag == "define-CCF-group":
                self.ccf_group(node)
            else:
                raise self.unsupported(node)

    def unsupported(self, node: _Node) -> PortfolioError:
        return self.error(
            f"unsupported element <{node.tag}>: this reader takes the fault-tree subset "
            "(define-fault-tree, define-gate, define-basic-event, define-house-event, "
            "define-CCF-group, model-data)",
            node,
            node.attrs.get("name"),
        )

    def container(self, node: _Node, allowed: tuple[str, ...]) -> None:
        handlers = {
            "define-gate": self.gate,
            "define-basic-event": self.basic_event,
            "define-house-event": self.house_event,
            "define-CCF-group": self.ccf_group,
        }
        for child in node.kids():
            if child.tag not in allowed:
                raise self.unsupported(child)
            handlers[child.tag](child)

    def label(self, node: _Node, name: str) -> None:
        for child in node.children:
            if child.tag == "label" and child.text.strip():
                self.labels[name] = " ".join(child.text.split())

    def gate(self, node: _Node) -> None:
        name = self.name_of(node)
        self.define(name, node)
        self.label(node, name)
        kids = node.kids()
        if len(kids) != 1:
            raise self.error(f"a gate has exactly one formula, found {len(kids)}", node, name)
        self.gates[name] = self.formula(kids[0], name)

    def formula(self, node: _Node, gate: str) -> Formula:
        tag, kids = node.tag, node.kids()
        if tag in ("and", "or"):
            if not kids:
                raise self.gate_error(f"<{tag}> needs arguments", node, gate)
            return (tag, tuple(self.formula(k, gate) for k in kids))
        if tag == "not":
            if len(kids) != 1:
                raise self.gate_error("<not> takes exactly one argument", node, gate)
            return ("not", (self.formula(kids[0], gate),))
        if tag == "atleast":
            raw = node.attrs.get("min", "")
            if not raw.isdigit() or not 1 <= int(raw) <= len(kids):
                raise self.gate_error(
                    f"min={raw!r} must be an integer between 1 and the {len(kids)} arguments",
                    node,
                    gate,
                    "min",
                )
            return ("atleast", int(raw), tuple(self.formula(k, gate) for k in kids))
        if tag == "constant":
            value = node.attrs.get("value")
            if value not in ("true", "false"):
                raise self.gate_error(
                    f"value={value!r} must be 'true' or 'false'", node, gate, "value"
                )
            return ("constant", value == "true")
        if tag in ("gate", "basic-event", "house-event", "event"):
            name = self.name_of(node)
            typed = node.attrs.get("type", tag)
            if typed not in ("gate", "basic-event", "house-event", "event"):
                raise self.gate_error(f"unknown event type {typed!r}", node, name, "type")
            if typed == "event":
                self.refs.append((self.file, node.line, gate, name))
            return (typed, name)
        raise self.gate_error(
            f"unsupported formula <{tag}>: this reader takes and, or, atleast, not and event "
            "references",
            node,
            gate,
        )

    def basic_event(self, node: _Node) -> None:
        name = self.name_of(node)
        self.define(name, node)
        self.label(node, name)
        kids = node.kids()
        if len(kids) > 1:
            raise self.error("a basic event has at most one expression", node, name)
        self.basic[name] = self.probability(kids[0], node, name) if kids else None

    def house_event(self, node: _Node) -> None:
        name = self.name_of(node)
        self.define(name, node)
        self.label(node, name)
        kids = node.kids()
        if not kids:
            self.house[name] = False
            return
        value = kids[0].attrs.get("value") if kids[0].tag == "constant" else None
        if len(kids) != 1 or value not in ("true", "false"):
            raise self.error('a house event holds one <constant value="true|false"/>', node, name)
        self.house[name] = value == "true"

    def ccf_group(self, node: _Node) -> None:
        name = self.name_of(node)
        model = node.attrs.get("model", "")
        members: list[str] = []
        distribution: float | None = None
        factors: list[tuple[int | None, float]] = []
        for child in node.kids():
            if child.tag == "members":
                for m in child.kids():
                    if m.tag not in ("basic-event", "event"):
                        raise self.error("members are <basic-event name=...>", child, name)
                    member = self.name_of(m)
                    self.define(member, m)
                    self.basic[member] = None
                    members.append(member)
            elif child.tag == "distribution":
                kids = child.kids()
                if len(kids) != 1:
                    raise self.error("<distribution> holds one <float>", child, name)
                distribution = self.probability(kids[0], node, name)
            elif child.tag in ("factor", "factors"):
                for f in [child] if child.tag == "factor" else child.kids():
                    level = f.attrs.get("level")
                    if level is not None and not level.isdigit():
                        raise self.error(f"level={level!r} is not an integer", f, name, "level")
                    kids = f.kids()
                    if f.tag != "factor" or len(kids) != 1:
                        raise self.error("a factor holds one <float>", f, name)
                    factors.append(
                        (
                            None if level is None else int(level),
                            self.probability(kids[0], node, name),
                        )
                    )
            else:
                raise self.unsupported(child)
        if distribution is None:
            raise self.error("missing <distribution>", node, name)
        first = {"beta-factor": len(members), "MGL": 2}.get(model, 1)
        levels = [lv if lv is not None else first + i for i, (lv, _) in enumerate(factors)]
        try:
            self.ccf[name] = CCFGroup(
                name=name,
                model=model,
                members=tuple(members),
                probability=distribution,
                factors=tuple((lv, v) for lv, (_, v) in zip(levels, factors, strict=True)),
            )
        except ValueError as err:
            raise self.error(str(err), node, name) from err

    def resolve(self, formula: Formula) -> Formula:
        kind = formula[0]
        if kind == "event":
            name = formula[1]
            for table, typed in ((self.gates, "gate"), (self.basic, "basic-event")):
                if name in table:
                    return (typed, name)
            if name in self.house:
                return ("house-event", name)
            return formula
        if kind in ("and", "or", "not"):
            return (kind, tuple(self.resolve(c) for c in formula[1]))
        if kind == "atleast":
            return (kind, formula[1], tuple(self.resolve(c) for c in formula[2]))
        return formula

    def build(self, name: str) -> FaultTree:
        for file, line, gate, ref in self.refs:
            if ref not in self.gates and ref not in self.basic and ref not in self.house:
                raise PortfolioError(
                    file, f"unknown event {ref!r}", section="define-gate", entry=gate, line=line
                )
        gates = {g: self.resolve(f) for g, f in self.gates.items()}
        for g, f in gates.items():
            stack = [f]
            while stack:
                x = stack.pop()
                if x[0] in ("gate", "basic-event", "house-event"):
                    table: dict[str, Mapping[str, object]] = {
                        "gate": gates,
                        "basic-event": self.basic,
                        "house-event": self.house,
                    }
                    if x[1] not in table[x[0]]:
                        file, line = self.where[g]
                        raise PortfolioError(
                            file,
                            f"unknown {x[0]} {x[1]!r}",
                            section="define-gate",
                            entry=g,
                            line=line,
                        )
                elif x[0] in ("and", "or", "not"):
                    stack.extend(x[1])
                elif x[0] == "atleast":
                    stack.extend(x[2])
        members = {m for group in self.ccf.values() for m in group.members}
        for b, p in self.basic.items():
            if p is None and b not in members:
                file, line = self.where[b]
                raise PortfolioError(
                    file,
                    "no probability (<float value=...>) and not in a CCF group",
                    section="define-basic-event",
                    entry=b,
                    line=line,
                )
        try:
            return FaultTree(
                name=self.tree_name or name,
                gates=gates,
                basic_events=self.basic,
                house_events=self.house,
                ccf_groups=self.ccf,
                labels=self.labels,
                file=name,
            )
        except ValueError as err:
            raise PortfolioError(name, str(err)) from err


def load(path: str | Path, *more: str | Path) -> FaultTree:
    """Read an Open-PSA MEF file (or several, merged) into a fault tree.

    Parameters
    ----------
    path, *more : str or path-like
        The files; definitions are global across them.

    Returns
    -------
    FaultTree

    Raises
    ------
    PortfolioError
        If a file cannot be read, is not well-formed, declares a DTD, or uses an element
        outside the subset; the message names the file, the line, the element and the name.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = '''<?xml version="1.0"?>
    ... <opsa-mef>
    ...   <define-fault-tree name="ABC">
    ...     <define-gate name="top"><or><basic-event name="A"/><basic-event name="B"/>
    ...       <basic-event name="C"/></or></define-gate>
    ...     <define-basic-event name="A"><float value="0.1"/></define-basic-event>
    ...     <define-basic-event name="B"><float value="0.2"/></define-basic-event>
    ...     <define-basic-event name="C"><float value="0.3"/></define-basic-event>
    ...   </define-fault-tree>
    ... </opsa-mef>'''
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = pathlib.Path(d) / "abc.xml"
    ...     _ = f.write_text(text)
    ...     T = load(f)
    >>> round(T.probability("top"), 12)  # SCRAM's abc benchmark: 1 - 0.9 * 0.8 * 0.7
    0.496
    """
    reader = _Reader()
    paths = [Path(path), *(Path(p) for p in more)]
    for p in paths:
        reader.read(_parse(p), str(p))
    return reader.build(str(paths[0]))


# --------------------------------------------------------------------------- writing


def mef_name(identifier: str) -> str:
    """Return ``identifier`` as a MEF name (``.`` and other characters become ``_``).

    Examples
    --------
    >>> mef_name("features_real"), mef_name("v1.2"), mef_name("3rd-party")
    ('features_real', 'v1_2', '_3rd-party')
    """
    name = re.sub(r"-+", "-", re.sub(r"[^A-Za-z0-9_-]", "_", identifier)).strip("-")
    if not name or not (name[0].isalpha() or name[0] == "_"):
        name = "_" + name
    assert _NAME.fullmatch(name), name
    return name


class _Writer:
    def __init__(self, portfolio: Portfolio) -> None:
        self.P = portfolio
        self.names: dict[tuple[str, str], str] = {}
        self.used: set[str] = set()
        self.tree = ET.Element("define-fault-tree", name=mef_name(portfolio.title or "portfolio"))
        self.data = ET.Element("model-data")

    def name(self, kind: str, key: str, display: str) -> str:
        if (kind, key) not in self.names:
            base = mef_name(display)
            name, k = base, 2
            while name in self.used:
                name, k = f"{base}_{k}", k + 1
            self.used.add(name)
            self.names[kind, key] = name
        return self.names[kind, key]

    @staticmethod
    def annotate(element: ET.Element, statement: str | None, original: str) -> None:
        if statement:
            ET.SubElement(element, "label").text = " ".join(statement.split())
        attrs = ET.SubElement(element, "attributes")
        ET.SubElement(attrs, "attribute", name="knightian-id", value=original)

    def point(self, value: Value, section: str, entry: str, field: str) -> float:
        """Return the point value written to MEF: a number, or a distribution's mean.

        A shared parameter is resolved first; an interval has no point value, so it is refused
        (the bounds of :meth:`Portfolio.bounds <portfolios.portfolio.Portfolio.bounds>` are the
        answer for it, and MEF has no interval probability).
        """
        seen: set[str] = set()
        while isinstance(value, Param) and value.name not in seen:
            seen.add(value.name)
            value = self.P.entries.parameters[value.name]
        if isinstance(value, Interval) and value.lo != value.hi:
            raise PortfolioError(
                None,
                f"the interval {value!r} has no point value to write to Open-PSA MEF "
                "(use P.bounds for intervals)",
                section=section,
                entry=entry,
                field=field,
            )
        if isinstance(value, Interval):
            return value.lo
        return point_value(value)

    def basic(
        self, kind: str, key: str, p: float, statement: str | None, display: str | None = None
    ) -> str:
        if (kind, key) in self.names:  # defined once, referenced from every case
            return self.names[kind, key]
        name = self.name(kind, key, display or key)
        element = ET.SubElement(self.data, "define-basic-event", name=name)
        self.annotate(element, statement, key)
        ET.SubElement(element, "float", value=repr(float(p)))
        return name

    def gate(
        self,
        kind: str,
        key: str,
        op: str,
        args: list[ET.Element],
        statement: str | None,
        display: str,
    ) -> str:
        name = self.name(kind, key, display)
        element = ET.SubElement(self.tree, "define-gate", name=name)
        self.annotate(element, statement, key)
        formula = ET.SubElement(element, op)
        formula.extend(args)
        return name

    @staticmethod
    def ref(tag: str, name: str) -> ET.Element:
        return ET.Element(tag, name=name)

    def latent(self, j: str) -> ET.Element:
        if ("latent", j) not in self.names:
            p = self.point(self.P.latent[j].p_fail, "latent", j, "p_fail")
            self.basic("latent", j, p, self.P.latent[j].statement)
        return self.ref("basic-event", self.names["latent", j])

    def own(self, a: str) -> ET.Element:
        """Return the element for assumption ``a`` failing on its own."""
        entry = self.P.assumptions[a]
        p = entry.p_fail
        if not isinstance(p, Conditional):
            q = self.point(p, "assumptions", a, "p_fail")
            return self.ref("basic-event", self.basic("assumption", a, q, entry.statement))
        j = p.latent
        h = self.point(p.holds, "assumptions", a, "p_fail")
        f = self.point(p.fails, "assumptions", a, "p_fail")
        if f == h:
            return self.ref("basic-event", self.basic("assumption", a, h, entry.statement))
        w = self.latent(j)
        if f > h:
            x = self.ref("basic-event", self.basic("assumption", a, h, entry.statement))
            if f == 1.0:
                second = w
            else:
                y = self.basic("effect", a, (f - h) / (1.0 - h), None, f"{a}_given_{j}")
                second = ET.Element("and")
                second.extend([w, self.ref("basic-event", y)])
            node = ET.Element("or")
            node.extend([x, second])
            return node
        if_fails = self.basic("if-fails", a, f, entry.statement, f"{a}_if_{j}_fails")
        if_holds = self.basic("if-holds", a, h, entry.statement, f"{a}_if_{j}_holds")
        fails, holds, negated = ET.Element("and"), ET.Element("and"), ET.Element("not")
        negated.append(self.latent(j))
        fails.extend([w, self.ref("basic-event", if_fails)])
        holds.extend([negated, self.ref("basic-event", if_holds)])
        node = ET.Element("or")
        node.extend([fails, holds])
        return node

    def assumption(self, a: str) -> ET.Element:
        if ("assumption-gate", a) in self.names:
            return self.ref("gate", self.names["assumption-gate", a])
        entry = self.P.assumptions[a]
        own = self.own(a)
        if not entry.requires:
            if own.tag == "basic-event":
                return own
            args = list(own) if own.tag == "or" else [own]
        else:
            args = [own, *(self.assumption(r) for r in entry.requires)]
        name = self.gate("assumption-gate", a, "or", args, entry.statement, f"assumption_{a}")
        return self.ref("gate", name)

    def case(self, c: str) -> ET.Element:
        if ("case", c) not in self.names:
            entry = self.P.cases[c]
            args = [
                self.ref(
                    "basic-event",
                    self.basic(
                        "soundness",
                        c,
                        self.point(entry.soundness_error, "cases", c, "soundness_error"),
                        None,
                        f"soundness_{c}",
                    ),
                )
            ]
            args += [self.assumption(a) for a in entry.assumptions]
            args += [self.case(other) for other in entry.rests_on]
            self.gate("case", c, "or", args, entry.statement, f"case_{c}")
        return self.ref("gate", self.names["case", c])

    def write(self) -> tuple[ET.Element, dict[str, str]]:
        tops = {}
        for s, scenario in self.P.scenarios.items():
            args = [self.case(c) for c in self.P.covering_cases(s)]
            tops[s] = self.gate("scenario", s, "and", args, scenario.statement, f"unprotected_{s}")
        root = ET.Element("opsa-mef")
        if self.P.title:
            ET.SubElement(root, "label").text = self.P.title
        root.extend([self.tree, self.data])
        return root, tops


def dump(portfolio: Portfolio, path: str | Path) -> Mapping[str, str]:
    """Write ``portfolio`` as an Open-PSA MEF file (see the module docstring).

    Returns
    -------
    mapping of str to str
        The top gate of each scenario (its ``unprotected_...`` gate).

    Examples
    --------
    >>> import tempfile, pathlib, portfolios
    >>> P = portfolios.load(portfolios.EXAMPLE_PATH)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     tops = dump(P, pathlib.Path(d) / "asl4.xml")
    ...     T = load(pathlib.Path(d) / "asl4.xml")
    >>> s = "weight_exfiltration"
    >>> tops[s], abs(T.probability(tops[s]) - P.p_unprotected(s)) < 1e-12
    ('unprotected_weight_exfiltration', True)
    """
    root, tops = _Writer(portfolio).write()
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode", xml_declaration=False)
    Path(path).write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n", "utf-8")
    return tops
