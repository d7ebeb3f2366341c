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
* ``<define-gate name=...>`` with one formula, a connective of :data:`CONNECTIVES` (``<and>``,
  ``<or>``, ``<atleast min="k">``, ``<not>``, ``<xor>``, ``<nand>``, ``<nor>``, ``<iff>``,
  ``<imply>``, ``<cardinality min max>``) nested freely, over ``<gate name>``,
  ``<basic-event name>``, ``<house-event name>``, ``<event name [type]>`` (untyped: resolved
  by name) and ``<constant value="true|false"/>``; ``<define-component>`` scopes inside a
  fault tree;
* ``<define-basic-event name=...>`` with an expression (or none, for a qualitative analysis);
  ``<define-house-event name=...>`` with ``<constant value="true|false"/>`` (default false);
  ``<define-parameter name=... [unit]>`` with an expression;
* ``<define-CCF-group name=... model="beta-factor|MGL|alpha-factor|phi-factor">`` with
  ``<members>``, ``<distribution>`` and ``<factor level=...>`` elements, each holding an
  expression (directly or inside ``<factors>``, in any order);
* ``<define-substitution name=... [type=...]>`` with ``<hypothesis>``, an optional
  ``<source>`` and ``<target>``: ``FaultTree.substitutions``, applied by
  :meth:`FaultTree.substitute <portfolios.faulttree.FaultTree.substitute>`
  (:mod:`portfolios.substitutions`: semantics and checks);
* ``<define-alignment name=...>`` of ``<define-phase name=... time-fraction=...>`` with
  ``<set-house-event>`` instructions: ``FaultTree.alignments``, each phase a tree of its own
  (its house events set, the mission time scaled by its fraction), analysed by
  :meth:`FaultTree.phases <portfolios.faulttree.FaultTree.phases>`
  (:mod:`portfolios.alignment`).

Names resolve as in SCRAM (public names; private ones inside their ``<define-component>``
scopes; ``role="private"`` only inside a fault tree or component); a fault tree's name is
defined once in the model, a component's once in its container. Blanks around attribute
values are dropped (``name=" A "`` is ``A``). Parameters and expressions are compiled by
:mod:`portfolios.mefexpr` (``periodic-test`` in its three forms,
:mod:`portfolios.mefperiodic`), their units checked by :mod:`portfolios.mefunits`. The
event-tree layer (:data:`EVENT_TREE_ELEMENTS`: initiating events and their groups, event
trees, rules, consequences and their groups) is read by :func:`portfolios.mefeventtree.load`;
:func:`load` reads the fault trees of such a model and skips that layer. Anything else
(extern libraries and functions, gates outside the list above) is refused with an error
naming the file, the line, the element and the name. Several files may be given together, as
SCRAM takes a tree and its ``model-data`` in separate files.

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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from . import _mefphases, mefexpr, mefunits
from ._files import FileTooLarge, LimitedReader, open_input, too_large
from .errors import PortfolioError
from .faulttree import CCFGroup, FaultTree, Formula
from .model import Conditional
from .portfolio import Portfolio
from .substitutions import Substitution
from .values import Interval, Param, Value, point_value

__all__ = ["CONNECTIVES", "EVENT_TREE_ELEMENTS", "MAX_FILE_BYTES", "dump", "load", "mef_name"]

_SKIPPED = ("label", "attributes")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*")
#: Largest MEF file read (bytes); a larger one is refused before parsing.
MAX_FILE_BYTES = 256 * 2**20
#: The Boolean connectives of a gate's formula.
CONNECTIVES = ("and", "or", "not", "xor", "iff", "imply", "nand", "nor", "atleast", "cardinality")
_EVENTS = ("gate", "basic-event", "house-event", "event")
#: The top-level elements of the event-tree layer (read by :mod:`portfolios.mefeventtree`;
#: :func:`load` skips them).
EVENT_TREE_ELEMENTS = (
    "define-event-tree",
    "define-initiating-event",
    "define-rule",
    "define-initiating-event-group",
    "define-consequence",
    "define-consequence-group",
)
_FLOATS = ("float", "int", "bool")


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def kids(self) -> list[_Node]:
        return [c for c in self.children if c.tag not in _SKIPPED]


class _Refused(Exception):
    pass


def _parse(path: Path) -> _Node:
    file = str(path)
    try:
        size = path.stat().st_size
    except OSError as err:
        raise PortfolioError(file, f"cannot read the file: {err}") from err
    if size > MAX_FILE_BYTES:
        raise PortfolioError(
            file, f"the file has {size:,} bytes, more than MAX_FILE_BYTES = {MAX_FILE_BYTES:,}"
        )
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
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
        # attribute values are tokens (names, numbers, keywords): surrounding blanks dropped,
        # as a schema-validating reader does (SCRAM reads ``name=" A "`` as ``A``)
        node = _Node(tag, {k: v.strip() for k, v in attrs.items()}, parser.CurrentLineNumber)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    def end(tag: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            stack[-1].parts.append(data)  # joined once when read: linear in the text

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.ExternalEntityRefHandler = refuse_entity
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        with open_input(path, file) as f:  # a FIFO without a writer does not hang
            parser.ParseFile(LimitedReader(f, MAX_FILE_BYTES))  # nor /dev/zero run on
    except FileTooLarge as err:
        raise too_large(file, MAX_FILE_BYTES, "MAX_FILE_BYTES") from err
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


@dataclass
class _Scope:
    """A fault tree or component: its full path and its default role."""

    path: str
    private: bool


class _Reader:
    """Collect the definitions of one or more MEF files."""

    def __init__(self, mission_time: float) -> None:
        self.gates: dict[str, tuple[_Node, str, _Scope]] = {}  # key -> formula node, file, scope
        self.basic: dict[str, tuple[_Node | None, str, _Scope | None]] = {}
        self.house: dict[str, bool] = {}
        self.parameters: dict[str, tuple[_Node, str, _Scope | None]] = {}
        self.declared_units: dict[str, str | None] = {}  # key -> declared unit
        self.ccf: list[tuple[_Node, str, _Scope | None]] = []
        self.labels: dict[str, str] = {}
        self.where: dict[str, tuple[str, int]] = {}
        # fault trees and components by path: unique (SCRAM), in a namespace of their own
        self.containers: dict[str, tuple[str, int]] = {}
        self.public: dict[str, str] = {}  # public name -> key
        self.kinds: dict[str, str] = {}  # key -> element kind
        self.aliases: dict[str, str] = {}  # full path -> key
        self.ccf_member: set[str] = set()
        self.tree_name: str | None = None
        self.substitution_nodes: list[tuple[_Node, str]] = []  # read by _mefphases
        self.alignment_nodes: list[tuple[_Node, str]] = []
        self.event_tree_layer: list[tuple[_Node, str]] = []  # (element, file)
        #: Extra expression leaves: tag -> compiler of the element into ``program``.
        self.leaves: dict[str, Callable[[_Node, mefexpr.Where], int]] = {}
        self.mission_time = mission_time
        self.file = ""

    # ------------------------------------------------------------------ errors

    def error(
        self,
        problem: str,
        node: _Node,
        name: str | None = None,
        attr: str | None = None,
        file: str | None = None,
    ) -> PortfolioError:
        return PortfolioError(
            file or self.file, problem, section=node.tag, entry=name, field=attr, line=node.line
        )

    def gate_error(
        self, problem: str, node: _Node, gate: str, attr: str | None = None, file: str | None = None
    ) -> PortfolioError:
        where = f"<{node.tag}>: " if node.tag not in problem else ""
        return PortfolioError(
            file or self.file,
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

    def unsupported(self, node: _Node, what: str) -> PortfolioError:
        return self.error(
            f"unsupported element <{node.tag}>: {what}",
            node,
            node.attrs.get("name"),
        )

    # ------------------------------------------------------------------ definitions

    def define(self, kind: str, node: _Node, scope: _Scope | None) -> str:
        """Register a definition; return its key (its public name, or its full path)."""
        name = self.name_of(node)
        role = node.attrs.get("role")
        if role not in (None, "public", "private"):
            raise self.error(f"role={role!r} must be 'public' or 'private'", node, name, "role")
        if role == "private" and scope is None:
            raise self.error(
                "role='private' outside a fault tree or component (private to nothing)",
                node,
                name,
                "role",
            )
        private = scope.private if role is None and scope is not None else role == "private"
        full = f"{scope.path}.{name}" if scope is not None else name
        key = full if private else name
        for k in {key, full}:
            if k in self.where:
                file, line = self.where[k]
                raise self.error(f"{name!r} is already defined ({file}, line {line})", node, name)
        self.where[key] = self.where[full] = (self.file, node.line)
        self.kinds[key] = self.kinds[full] = kind
        if full != key:
            self.kinds[full] = kind
        if not private:
            self.public[name] = key
        self.aliases[full] = key
        self.label(node, key)
        return key

    def lookup(self, name: str, scope: _Scope | None) -> str | None:
        """Resolve a reference as SCRAM does.

        The enclosing containers first (innermost first), then public names, then full paths.
        """
        if scope is not None:
            path = scope.path
            while path:
                key = self.aliases.get(f"{path}.{name}")
                if key is not None:
                    return key
                path = path.rpartition(".")[0]
        if name in self.public:
            return self.public[name]
        return self.aliases.get(name)

    def read(self, root: _Node, file: str) -> None:
        self.file = file
        for node in root.kids():
            tag = node.tag
            if tag == "define-fault-tree":
                name = self.name_of(node)
                self.define_container(node, name, name)
                if self.tree_name is None:
                    self.tree_name = name
                private = node.attrs.get("role") == "private"
                self.container(node, _Scope(name, private))
            elif tag == "model-data":
                for child in node.kids():
                    self.data(child, None)
            elif tag == "define-CCF-group":
                self.ccf.append((node, self.file, None))
                self.ccf_members(node, None)
            elif tag == "define-parameter":
                self.parameter(node, None)
            elif tag in EVENT_TREE_ELEMENTS:  # read by portfolios.mefeventtree
                self.event_tree_layer.append((node, self.file))
            elif tag == "define-substitution":
                self.substitution_nodes.append((node, self.file))
            elif tag == "define-alignment":
                self.alignment_nodes.append((node, self.file))
            elif tag == "define-extern-library":
                raise self.unsupported(node, "extern libraries are not read")
            else:
                raise self.unsupported(
                    node,
                    "expected define-fault-tree, model-data, define-CCF-group, define-parameter, "
                    "define-substitution, define-alignment or an element of the event-tree layer "
                    f"({', '.join(EVENT_TREE_ELEMENTS)})",
                )

    def define_container(self, node: _Node, name: str, path: str) -> None:
        """Register a fault tree or component (their names are unique where they are)."""
        if path in self.containers:
            file, line = self.containers[path]
            what = "fault tree" if node.tag == "define-fault-tree" else "component"
            raise self.error(
                f"{what} {name!r} is already defined ({file}, line {line})", node, name
            )
        self.containers[path] = (self.file, node.line)

    def container(self, node: _Node, scope: _Scope) -> None:
        stack = [(node, scope)]
        while stack:
            container, where = stack.pop()
            for child in container.kids():
                tag = child.tag
                if tag == "define-gate":
                    key = self.define("gate", child, where)
                    kids = child.kids()
                    if len(kids) != 1:
                        raise self.error(
                            f"a gate has exactly one formula, found {len(kids)}", child, key
                        )
                    self.gates[key] = (kids[0], self.file, where)
                elif tag == "define-component":
                    name = self.name_of(child)
                    self.define_container(child, name, f"{where.path}.{name}")
                    role = child.attrs.get("role")
                    private = where.private if role is None else role == "private"
                    stack.append((child, _Scope(f"{where.path}.{name}", private)))
                elif tag == "define-CCF-group":
                    self.ccf.append((child, self.file, where))
                    self.ccf_members(child, where)
                else:
                    self.data(child, where)

    def data(self, node: _Node, scope: _Scope | None) -> None:
        if node.tag == "define-basic-event":
            key = self.define("basic-event", node, scope)
            kids = node.kids()
            if len(kids) > 1:
                raise self.error("a basic event has at most one expression", node, key)
            self.basic[key] = (kids[0] if kids else None, self.file, scope)
        elif node.tag == "define-house-event":
            key = self.define("house-event", node, scope)
            kids = node.kids()
            if not kids:
                self.house[key] = False
                return
            value = kids[0].attrs.get("value") if kids[0].tag in ("constant", "bool") else None
            if len(kids) != 1 or value not in ("true", "false"):
                raise self.error(
                    'a house event holds one <constant value="true|false"/>', node, key
                )
            self.house[key] = value == "true"
        elif node.tag == "define-parameter":
            self.parameter(node, scope)
        else:
            raise self.unsupported(
                node,
                "expected define-gate, define-basic-event, define-house-event, "
                "define-parameter, define-component or define-CCF-group",
            )

    def parameter(self, node: _Node, scope: _Scope | None) -> None:
        key = self.define("parameter", node, scope)
        unit = node.attrs.get("unit")
        if unit is not None and unit not in mefexpr.UNITS:
            raise self.error(
                f"unknown unit {unit!r}; the MEF units are {', '.join(mefexpr.UNITS)}",
                node,
                key,
                "unit",
            )
        kids = node.kids()
        if len(kids) != 1:
            raise self.error(f"a parameter holds one expression, found {len(kids)}", node, key)
        self.parameters[key] = (kids[0], self.file, scope)
        self.declared_units[key] = unit

    def ccf_members(self, node: _Node, scope: _Scope | None) -> None:
        for child in node.kids():
            if child.tag == "members":
                for m in child.kids():
                    if m.tag not in ("basic-event", "event"):
                        raise self.error(
                            "members are <basic-event name=...>", child, node.attrs.get("name")
                        )
                    key = self.define("basic-event", m, scope)
                    self.basic[key] = (None, self.file, scope)
                    self.ccf_member.add(key)

    def label(self, node: _Node, name: str) -> None:
        for child in node.children:
            if child.tag == "label":
                text = child.text
                if text.strip():
                    self.labels[name] = " ".join(text.split())

    # ------------------------------------------------------------------ formulas

    def formula(self, node: _Node, gate: str, file: str, scope: _Scope) -> Formula:
        """Translate a formula element (an explicit stack: any nesting depth)."""
        results: list[Formula] = []
        work: list[tuple[bool, _Node]] = [(False, node)]
        while work:
            done, n = work.pop()
            tag, kids = n.tag, n.kids()
            if done:
                args = tuple(results[len(results) - len(kids) :])
                del results[len(results) - len(kids) :]
                results.append(self.connective(n, args, gate, file))
                continue
            if tag in CONNECTIVES:
                self.check_connective(n, kids, gate, file)
                work.append((True, n))
                work.extend((False, k) for k in reversed(kids))
            elif tag == "constant":
                value = n.attrs.get("value")
                if value not in ("true", "false"):
                    raise self.gate_error(
                        f"value={value!r} must be 'true' or 'false'", n, gate, "value", file
                    )
                results.append(("constant", value == "true"))
            elif tag in _EVENTS:
                results.append(self.reference(n, gate, file, scope))
            else:
                raise self.gate_error(
                    f"unsupported formula <{tag}>: a formula is one of {', '.join(CONNECTIVES)}, "
                    "constant, or a gate, basic-event, house-event or event reference",
                    n,
                    gate,
                    file=file,
                )
        return results[0]

    def check_connective(self, n: _Node, kids: list[_Node], gate: str, file: str) -> None:
        tag, k = n.tag, len(kids)
        if tag == "not" and k != 1:
            raise self.gate_error("<not> takes exactly one argument", n, gate, file=file)
        if tag in ("xor", "iff", "imply") and k != 2:
            raise self.gate_error(
                f"<{tag}> takes exactly two arguments (as in SCRAM), got {k}", n, gate, file=file
            )
        if tag in ("and", "or", "nand", "nor") and k == 0:
            raise self.gate_error(f"<{tag}> needs arguments", n, gate, file=file)
        if tag == "atleast":
            raw = n.attrs.get("min", "")
            if not raw.isdigit() or not 1 <= int(raw) <= k:
                raise self.gate_error(
                    f"min={raw!r} must be an integer between 1 and the {k} arguments",
                    n,
                    gate,
                    "min",
                    file,
                )
        if tag == "cardinality":
            lo, hi = n.attrs.get("min", ""), n.attrs.get("max", "")
            if not (lo.isdigit() and hi.isdigit() and int(lo) <= int(hi) <= k):
                raise self.gate_error(
                    f"min={lo!r}, max={hi!r} must be integers with 0 <= min <= max <= {k}",
                    n,
                    gate,
                    "min",
                    file,
                )

    @staticmethod
    def connective(n: _Node, args: tuple[Formula, ...], gate: str, file: str) -> Formula:
        if n.tag == "atleast":
            return ("atleast", int(n.attrs["min"]), args)
        if n.tag == "cardinality":
            return ("cardinality", int(n.attrs["min"]), int(n.attrs["max"]), args)
        return (n.tag, args)

    def reference(self, n: _Node, gate: str, file: str, scope: _Scope | None) -> Formula:
        name = n.attrs.get("name")
        if not name:
            raise self.gate_error("missing attribute 'name'", n, gate, "name", file)
        typed = n.attrs.get("type", n.tag)
        if typed not in _EVENTS:
            raise self.gate_error(f"unknown event type {typed!r}", n, name, "type", file)
        key = self.lookup(name, scope)
        kind = self.kinds.get(key) if key is not None else None
        if (
            key is None
            or kind not in ("gate", "basic-event", "house-event")
            or (typed != "event" and kind != typed)
        ):
            what = "event" if typed == "event" else typed
            raise PortfolioError(
                file, f"unknown {what} {name!r}", section="define-gate", entry=gate, line=n.line
            )
        return (kind, key)

    # ------------------------------------------------------------------ expressions

    def expression(
        self, node: _Node, owner: str, file: str, scope: _Scope | None, *, probability: bool = False
    ) -> int:
        """Compile an expression element into :attr:`program`; check that it is a probability."""
        index, unit = self.typed_expression(node, owner, file, scope)
        if probability:
            mefunits.check_probability(unit, mefexpr.Where(file, node.line, node.tag, owner))
        return index

    def typed_expression(
        self, node: _Node, owner: str, file: str, scope: _Scope | None
    ) -> tuple[int, mefunits.Unit]:
        """Compile an expression element (an explicit stack); return its node and its unit."""
        results: list[int] = []
        units: list[mefunits.Unit] = []  # the unit of each result (see portfolios.mefunits)
        work: list[tuple[bool, _Node]] = [(False, node)]
        while work:
            done, n = work.pop()
            tag = n.tag
            where = mefexpr.Where(file, n.line, tag, owner)
            if done:
                k = len(self.operands(n, where))
                args = results[len(results) - k :]
                del results[len(results) - k :]
                arg_units = units[len(units) - k :]
                del units[len(units) - k :]
                units.append(mefunits.combine(tag, arg_units, where))
                results.append(self.operation(n, args, where))
                continue
            unit: mefunits.Unit = None
            if tag in _FLOATS:
                results.append(self.program.add("const", (), self.number(n, where)))
            elif tag == "pi":
                results.append(self.program.add("const", (), math.pi))
            elif tag == "system-mission-time":
                mefunits.check_mission_time(n.attrs.get("unit"), where)
                results.append(self.program.add("const", (), self.mission_time, where))
                unit = "hours"
            elif tag == "parameter":
                name = n.attrs.get("name", "")
                key = self.lookup(name, scope)
                if key is None or self.kinds.get(key) != "parameter":
                    raise where.error(f"unknown parameter {name!r} (never defined)")
                declared = self.declared_units[key]
                mefunits.check_reference(name, declared, n.attrs.get("unit"), where)
                results.append(self.parameter_node(key, where))
                unit = self.reference_units[key]
            elif tag in self.leaves:
                results.append(self.leaves[tag](n, where))
            elif tag == "extern-function":
                raise where.error("extern functions are refused: loading never executes code")
            elif tag in mefexpr.OPERATIONS or tag in mefexpr.DEVIATES or tag == "switch":
                work.append((True, n))
                work.extend((False, k) for k in reversed(self.operands(n, where)))
                continue
            else:
                raise where.error("unsupported expression")
            units.append(unit)
        return results[0], units[0]

    @staticmethod
    def operands(n: _Node, where: mefexpr.Where) -> list[_Node]:
        """Return the expressions an element computes with (bins and cases flattened)."""
        kids = n.kids()
        if n.tag == "histogram":
            if not kids or len(kids) < 2 or any(k.tag != "bin" for k in kids[1:]):
                raise where.error("a histogram is a lower boundary and <bin> elements")
            out = [kids[0]]
            for b in kids[1:]:
                if len(b.kids()) != 2:
                    raise where.error("a bin holds an upper boundary and a weight")
                out.extend(b.kids())
            return out
        if n.tag == "switch":
            if not kids or any(k.tag != "case" for k in kids[:-1]):
                raise where.error("a switch is <case> elements and a default value")
            out = []
            for case in kids[:-1]:
                if len(case.kids()) != 2:
                    raise where.error("a case holds a condition and a value")
                out.extend(case.kids())
            return [*out, kids[-1]]
        return kids

    def number(self, n: _Node, where: mefexpr.Where) -> float:
        raw = n.attrs.get("value")
        if n.tag == "bool":
            if raw not in ("true", "false"):
                raise where.error(f"value={raw!r} must be 'true' or 'false'")
            return 1.0 if raw == "true" else 0.0
        try:
            value = float(raw) if raw is not None else math.nan
            if n.tag == "int" and raw is not None:
                value = float(int(raw))
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise where.error(f"value={raw!r} is not a finite number")
        return value

    def operation(self, n: _Node, args: list[int], where: mefexpr.Where) -> int:
        tag = n.tag
        if tag == "switch":
            value = args[-1]
            for i in range(len(args) - 3, -1, -2):
                value = self.program.add("ite", (args[i], args[i + 1], value), where=where)
            return value
        return self.program.add(tag, args, where=where)

    def parameter_node(self, key: str, where: mefexpr.Where) -> int:
        if key in self.compiled_parameters:
            return self.compiled_parameters[key]
        if key in self.compiling:
            raise where.error(f"parameter {key!r} is defined in terms of itself")
        self.compiling.add(key)
        node, file, scope = self.parameters[key]
        index, unit = self.typed_expression(node, key, file, scope)
        definition = mefexpr.Where(file, self.where[key][1], "define-parameter", key)
        self.reference_units[key] = mefunits.check_parameter(
            key, self.declared_units[key], unit, definition
        )
        self.compiling.discard(key)
        self.compiled_parameters[key] = index
        return index

    # ------------------------------------------------------------------ the tree

    def ccf_group(self, node: _Node, file: str, scope: _Scope | None) -> CCFGroup:
        name = self.name_of(node)
        model = node.attrs.get("model", "")
        members: list[str] = []
        distribution: float | None = None
        factors: list[tuple[int | None, float]] = []

        expressions: list[tuple[_Node, str]] = []
        for child in node.kids():
            if child.tag == "members":
                members.extend(self.lookup(self.name_of(m), scope) or "" for m in child.kids())
            elif child.tag == "distribution":
                kids = child.kids()
                if len(kids) != 1:
                    raise self.error("<distribution> holds one expression", child, name, file=file)
                expressions.append((kids[0], "distribution"))
            elif child.tag in ("factor", "factors"):
                for f in [child] if child.tag == "factor" else child.kids():
                    level = f.attrs.get("level")
                    if level is not None and not level.isdigit():
                        raise self.error(
                            f"level={level!r} is not an integer", f, name, "level", file
                        )
                    kids = f.kids()
                    if f.tag != "factor" or len(kids) != 1:
                        raise self.error("a factor holds one expression", f, name, file=file)
                    expressions.append((kids[0], "factor" if level is None else f"factor {level}"))
            else:
                raise self.unsupported(child, "a CCF group holds members, distribution, factors")
        indices = [self.expression(n, name, file, scope, probability=True) for n, _ in expressions]
        point = self.program.point()
        distribution_index = None
        factor_indices: list[int] = []
        for (_, what), index in zip(expressions, indices, strict=True):
            v = float(point[index])
            if not (math.isfinite(v) and 0.0 <= v <= 1.0):
                raise self.error(
                    f"{what} {v!r} is not a probability in [0, 1]", node, name, file=file
                )
            if what == "distribution":
                distribution, distribution_index = v, index
            else:
                factors.append((None if what == "factor" else int(what.split()[1]), v))
                factor_indices.append(index)
        if distribution is None:
            raise self.error("missing <distribution>", node, name, file=file)
        first = {"beta-factor": len(members), "MGL": 2}.get(model, 1)
        levels = [lv if lv is not None else first + i for i, (lv, _) in enumerate(factors)]
        # The MEF does not order the factors (SCRAM takes them in any order): by level.
        ordered = sorted(
            zip(levels, (v for _, v in factors), factor_indices, strict=True), key=lambda t: t[0]
        )
        try:
            group = CCFGroup(
                name=name,
                model=model,
                members=tuple(members),
                probability=distribution,
                factors=tuple((lv, v) for lv, v, _ in ordered),
            )
        except ValueError as err:
            raise self.error(str(err), node, name, file=file) from err
        self.ccf_expressions[name] = (distribution_index, tuple(i for _, _, i in ordered))
        return group

    def resolve(self, name: str) -> tuple[str, str] | None:
        """Return ``(kind, key)`` of a name outside any container, or None."""
        key = self.lookup(name, None)
        return None if key is None else (self.kinds[key], key)

    def build(
        self,
        name: str,
        house_events: Mapping[str, bool] | None,
        substitutions: Sequence[Substitution] = (),
    ) -> FaultTree:
        self.program = mefexpr.Program()
        self.compiled_parameters: dict[str, int] = {}
        self.reference_units: dict[str, mefunits.Unit] = {}  # key -> unit of its references
        self.compiling: set[str] = set()
        self.ccf_expressions: dict[str, tuple[int | None, tuple[int, ...]]] = {}
        gates = {
            key: self.formula(node, key, file, scope)
            for key, (node, file, scope) in self.gates.items()
        }
        house = dict(self.house)  # a phase's settings do not outlive its tree
        for key, value in (house_events or {}).items():
            target = self.lookup(key, None)
            if target is None or target not in self.house:
                raise PortfolioError(name, f"set-house-event: no house event {key!r}")
            house[target] = bool(value)
        for key in self.parameters:  # every parameter compiles (errors show even if unused)
            p_node, p_file, _ = self.parameters[key]
            self.parameter_node(key, mefexpr.Where(p_file, p_node.line, p_node.tag, key))
        event_index: dict[str, int] = {}
        for key, (expr, file, scope) in self.basic.items():
            if expr is not None:
                event_index[key] = self.expression(expr, key, file, scope, probability=True)
        self.point = self.program.point()
        ccf = {}
        for node, file, scope in self.ccf:
            group = self.ccf_group(node, file, scope)
            ccf[group.name] = group
        members = {m for group in ccf.values() for m in group.members}
        basic: dict[str, float | None] = {}
        for key, (expr, file, _) in self.basic.items():
            if key in members or expr is None:
                basic[key] = None
                continue
            v = float(self.point[event_index[key]])
            if not (math.isfinite(v) and 0.0 <= v <= 1.0):
                line = self.where[key][1]
                raise PortfolioError(
                    file,
                    f"{v!r} is not a probability in [0, 1]",
                    section="define-basic-event",
                    entry=key,
                    field="value",
                    line=line,
                )
            basic[key] = v
        model = mefexpr.Model(self.program, event_index, self.ccf_expressions, self.where)
        try:
            return FaultTree(
                name=self.tree_name or name,
                gates=gates,
                basic_events=basic,
                house_events=house,
                ccf_groups=ccf,
                labels=self.labels,
                file=name,
                model=model,
                substitutions=substitutions,
            )
        except ValueError as err:
            if isinstance(err, PortfolioError) and err.line is not None:
                raise  # already placed (a substitution)
            raise PortfolioError(name, str(err)) from err


def load(
    path: str | Path,
    *more: str | Path,
    mission_time: float = mefexpr.DEFAULT_MISSION_TIME,
    house_events: Mapping[str, bool] | None = None,
) -> FaultTree:
    """Read an Open-PSA MEF file (or several, merged) into a fault tree.

    Parameters
    ----------
    path, *more : str or path-like
        The files; public names are global across them.
    mission_time : float
        The value of ``<system-mission-time/>`` (hours; default 8760).
    house_events : mapping of str to bool, optional
        Set house events (as an event tree's ``set-house-event`` does).

    Returns
    -------
    FaultTree
        Its ``model`` holds the compiled expressions, for
        :meth:`~portfolios.faulttree.FaultTree.uncertainty`.

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
    if not (
        isinstance(mission_time, (int, float)) and math.isfinite(mission_time) and mission_time >= 0
    ):
        raise PortfolioError(
            None, f"mission_time must be a finite number >= 0, got {mission_time!r}"
        )
    reader = _Reader(float(mission_time))
    return _model(reader, [Path(path), *(Path(p) for p in more)], house_events)


#: The attributes :meth:`_Reader.build` sets; a phase's build must not leave its own behind.
_BUILD_STATE = (
    "program",
    "compiled_parameters",
    "reference_units",
    "compiling",
    "ccf_expressions",
    "point",
    "mission_time",
)


def _model(
    reader: _Reader,
    paths: Sequence[Path],
    house_events: Mapping[str, bool] | None,
    on_phase: Callable[[_Reader, FaultTree], object] | None = None,
) -> FaultTree:
    """Read ``paths`` into ``reader`` and build the model's tree, substitutions and alignments.

    Shared by :func:`load` and :func:`portfolios.mefeventtree.load`. Each phase of an
    alignment is a build of its own (its house events, its mission time); the reader's build
    state is restored afterwards, so expressions compiled later (an event tree's) are in the
    model's program, with the model's mission time. ``on_phase(reader, tree)`` is called after
    each phase's build (alignments in order, then phases), the reader still in the phase's state.
    """
    for p in paths:
        reader.read(_parse(p), str(p))
    name = str(paths[0])
    substitutions = _mefphases.read_substitutions(reader.substitution_nodes, reader.resolve)
    tree = reader.build(name, house_events, substitutions)
    if not reader.alignment_nodes:
        return tree
    state = {key: getattr(reader, key) for key in _BUILD_STATE}
    mission_time = reader.mission_time

    def phase_tree(fraction: float, sets: Mapping[str, bool]) -> tuple[FaultTree, float]:
        reader.mission_time = fraction * mission_time  # SCRAM's phase mission time
        try:
            tree = reader.build(name, {**(house_events or {}), **sets}, substitutions)
            if on_phase is not None:
                on_phase(reader, tree)
            return tree, reader.mission_time
        finally:
            for key, value in state.items():
                setattr(reader, key, value)

    alignments = _mefphases.read_alignments(reader.alignment_nodes, reader.resolve, phase_tree)
    return tree.with_options(alignments=alignments)


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
