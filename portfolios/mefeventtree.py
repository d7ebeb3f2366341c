r"""Read Open-PSA MEF files with their event trees (:class:`~portfolios.eventtree.EventTreeModel`).

Definitions
-----------
:func:`load` reads what :func:`portfolios.openpsa.load` reads (the fault trees, model data,
parameters and CCF groups; same safety, same error style) and the event-tree layer of the MEF
(Epstein and Rauzy, "Open-PSA Model Exchange Format" 2.0d, as SCRAM reads it):

* ``<define-initiating-event name=... [event-tree=...]>``, optionally holding
  ``<collect-expression>`` elements: the product of their values is the initiating event's
  frequency (per year, say: it is not checked to be at most 1);
* ``<define-event-tree name=...>`` holding ``<define-functional-event name>`` (their order is
  the order of the forks), ``<define-sequence name>`` (with instructions), ``<define-branch
  name>`` (instructions, then an end) and ``<initial-state>`` (instructions, then an end); an
  end is ``<fork functional-event=...>`` of ``<path state=...>`` (each a branch),
  ``<sequence name>`` or ``<branch name>``;
* ``<define-rule name=...>`` holding instructions;
* the instructions ``<collect-formula>`` (one formula, as in a gate), ``<collect-expression>``
  (one expression of :mod:`portfolios.mefexpr`), ``<set-house-event name>`` with ``<constant
  value="true|false"/>``, ``<if>`` (an expression, an instruction, optionally another),
  ``<block>``, ``<rule name>`` and ``<event-tree name>`` (a link, in a sequence);
* in expressions, ``<test-initiating-event name>`` and ``<test-functional-event name
  state>``.

The model's substitutions and alignments are read as :func:`portfolios.openpsa.load` reads
them (``EventTreeModel.fault_tree.substitutions`` and ``.alignments``); the sequences are
analysed as drawn, and ``FaultTree.substitute`` applies the substitutions to a sequence's gate
(``EventTreeAnalysis.fault_tree``). Each phase of an alignment is read as a model of its own
(its house events set, its mission time in the expressions):
:meth:`~portfolios.eventtree.EventTreeModel.phases` analyses them. Units are checked
(:mod:`portfolios.mefunits`): a ``<collect-expression>`` in a path is a probability, and an
initiating event's frequency is not a time or a count.

``<define-initiating-event-group name [event-tree]>`` of ``<initiating-event name>`` and
``<initiating-event-group name>``: a member without a tree takes its group's (one tree per
initiating event); ``<test-initiating-event>`` of a group is true for its members.
``<define-consequence name>`` holding ``<initiating-event name>`` and ``<sequence name>``, and
``<define-consequence-group name>`` of ``<consequence name>`` and ``<consequence-group name>``:
:meth:`~portfolios.eventtree.EventTreeAnalysis.consequences` gives their frequencies. An
initiating event defined by a consequence (a link through consequences) is refused. The
semantics and the checks are those of :mod:`portfolios.eventtree`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

from . import mefexpr, mefunits, openpsa
from .errors import PortfolioError
from .eventtree import (
    Block,
    Branch,
    BranchRef,
    CollectExpression,
    CollectFormula,
    Consequence,
    ConsequenceGroup,
    EventTest,
    EventTree,
    EventTreeModel,
    ExpressionNode,
    Fork,
    IfThenElse,
    InitiatingEvent,
    InitiatingEventGroup,
    Instruction,
    Link,
    Origin,
    Rule,
    SequenceDefinition,
    SequenceEnd,
    SetHouseEvent,
)
from .eventtree import Path as ForkPath
from .faulttree import FaultTree

__all__ = ["MAX_DEPTH", "load"]

#: Deepest nesting of branches and instructions read (a real event tree has tens of
#: functional events); deeper is refused with an error, not a RecursionError.
MAX_DEPTH = 200

_Node = openpsa._Node
_ENDS = ("fork", "sequence", "branch")


class _LayerReader:
    """Translate the event-tree elements collected by an :class:`openpsa._Reader`."""

    def __init__(self, reader: openpsa._Reader, tree: FaultTree) -> None:
        self.reader = reader
        self.tree = tree
        self.tests: dict[int, EventTest] = {}
        self.file = ""
        self.depth = 0
        reader.leaves["test-initiating-event"] = self.test
        reader.leaves["test-functional-event"] = self.test

    # ------------------------------------------------------------------ helpers

    def error(
        self, problem: str, node: _Node, name: str | None = None, attr: str | None = None
    ) -> PortfolioError:
        return PortfolioError(
            self.file, problem, section=node.tag, entry=name, field=attr, line=node.line
        )

    def origin(self, node: _Node, name: str | None = None) -> Origin:
        return Origin(self.file, node.line, node.tag, name)

    def name_of(self, node: _Node, attr: str = "name") -> str:
        name = node.attrs.get(attr)
        if not name:
            raise self.error(f"missing attribute {attr!r}", node, attr=attr)
        return name

    def test(self, node: _Node, where: mefexpr.Where) -> int:
        name = node.attrs.get("name")
        if not name:
            raise where.error("missing attribute 'name'")
        state = None
        kind = "initiating-event"
        if node.tag == "test-functional-event":
            kind, state = "functional-event", node.attrs.get("state")
            if not state:
                raise where.error("missing attribute 'state'")
        index = self.reader.program.add("const", (), 0.0, where)
        self.tests[index] = EventTest(kind, name, state)
        return index

    def expression(self, node: _Node, owner: str) -> tuple[int, mefunits.Unit]:
        """Compile the one expression ``node`` holds; return its program node and its unit."""
        kids = node.kids()
        if len(kids) != 1:
            raise self.error(f"<{node.tag}> holds one expression, found {len(kids)}", node, owner)
        return self.reader.typed_expression(kids[0], owner, self.file, None)

    def where(self, node: _Node, owner: str) -> mefexpr.Where:
        return mefexpr.Where(self.file, node.line, node.tag, owner)

    # ------------------------------------------------------------------ instructions

    def nest(self, node: _Node, owner: str) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(
                f"forks, paths and instructions nested more than MAX_DEPTH = {MAX_DEPTH} deep",
                node,
                owner,
            )

    def instruction(self, node: _Node, owner: str) -> Instruction:
        self.nest(node, owner)
        try:
            return self._instruction(node, owner)
        finally:
            self.depth -= 1

    def _instruction(self, node: _Node, owner: str) -> Instruction:
        tag, kids = node.tag, node.kids()
        here = self.origin(node, node.attrs.get("name", owner))
        if tag == "collect-formula":
            if len(kids) != 1:
                raise self.error(f"<collect-formula> holds one formula, found {len(kids)}", node)
            try:
                formula = self.reader.formula(kids[0], owner, self.file, None)  # type: ignore[arg-type]
            except PortfolioError as err:
                raise err.located(err.file, section="collect-formula", entry=owner) from err
            return CollectFormula(formula, here)
        if tag == "collect-expression":
            index, unit = self.expression(node, owner)
            mefunits.check_probability(unit, self.where(node, owner))
            return CollectExpression(ExpressionNode(index), here)
        if tag == "set-house-event":
            name = self.name_of(node)
            value = kids[0].attrs.get("value") if len(kids) == 1 else None
            if (kids and kids[0].tag not in ("constant", "bool")) or value not in ("true", "false"):
                raise self.error(
                    'a set-house-event holds one <constant value="true|false"/>', node, name
                )
            key = self.reader.lookup(name, None)
            if key is None or key not in self.tree.house_events:
                raise self.error(f"undefined house event {name!r}", node, name)
            return SetHouseEvent(key, value == "true", here)
        if tag == "if":
            if len(kids) not in (2, 3):
                raise self.error(
                    "an <if> holds an expression, an instruction and optionally another",
                    node,
                    owner,
                )
            condition = ExpressionNode(self.reader.expression(kids[0], owner, self.file, None))
            then = self.instruction(kids[1], owner)
            otherwise = self.instruction(kids[2], owner) if len(kids) == 3 else None
            return IfThenElse(condition, then, otherwise, here)
        if tag == "block":
            return Block(tuple(self.instruction(k, owner) for k in kids), here)
        if tag == "rule":
            return Rule(self.name_of(node), here)
        if tag == "event-tree":
            return Link(self.name_of(node), here)
        raise self.error(
            f"unsupported instruction <{tag}>: expected collect-formula, collect-expression, "
            "set-house-event, if, block, rule or event-tree",
            node,
            node.attrs.get("name"),
        )

    def branch(self, node: _Node, owner: str) -> Branch:
        self.nest(node, owner)
        try:
            return self._branch(node, owner)
        finally:
            self.depth -= 1

    def _branch(self, node: _Node, owner: str) -> Branch:
        kids = node.kids()
        if not kids or kids[-1].tag not in _ENDS:
            raise self.error(
                "a branch ends in a <fork>, a <sequence name> or a <branch name>", node, owner
            )
        body = tuple(self.instruction(k, owner) for k in kids[:-1])
        end = kids[-1]
        if end.tag == "sequence":
            return Branch(body, SequenceEnd(self.name_of(end), self.origin(end, end.attrs["name"])))
        if end.tag == "branch":
            return Branch(body, BranchRef(self.name_of(end), self.origin(end, end.attrs["name"])))
        event = self.name_of(end, "functional-event")
        paths: list[ForkPath] = []
        for p in end.kids():
            if p.tag != "path":
                raise self.error("a fork holds <path state=...> elements", p, event)
            state = self.name_of(p, "state")
            paths.append(ForkPath(state, self.branch(p, owner), self.origin(p, state)))
        return Branch(body, Fork(event, tuple(paths), self.origin(end, event)))

    # ------------------------------------------------------------------ definitions

    def event_tree(self, node: _Node, sequences: list[SequenceDefinition]) -> EventTree:
        name = self.name_of(node)
        functional: dict[str, _Node] = {}
        branches: dict[str, Branch] = {}
        where: dict[str, _Node] = {}
        own: list[str] = []
        initial = None
        for child in node.kids():
            tag = child.tag
            if tag in ("define-functional-event", "define-branch"):
                key = self.name_of(child)
                seen = functional if tag == "define-functional-event" else where
                if key in seen:
                    raise self.error(
                        f"{key!r} is already defined in event tree {name!r} "
                        f"(line {seen[key].line})",
                        child,
                        key,
                    )
                seen[key] = child
                if tag == "define-branch":
                    branches[key] = self.branch(child, key)
            elif tag == "define-sequence":
                key = self.name_of(child)
                body = tuple(self.instruction(k, key) for k in child.kids())
                sequences.append(SequenceDefinition(key, body, self.origin(child, key)))
                own.append(key)
            elif tag == "initial-state":
                if initial is not None:
                    raise self.error("a second <initial-state>", child, name)
                initial = self.branch(child, name)
            else:
                raise self.error(
                    f"unsupported element <{tag}> in an event tree: expected "
                    "define-functional-event, define-sequence, define-branch or initial-state",
                    child,
                    child.attrs.get("name"),
                )
        if initial is None:
            raise self.error("missing <initial-state>", node, name)
        return EventTree(
            name, tuple(functional), tuple(own), branches, initial, self.origin(node, name)
        )

    def initiating_event(self, node: _Node) -> InitiatingEvent:
        name = self.name_of(node)
        factors: list[int] = []
        units: list[mefunits.Unit] = []
        for child in node.kids():
            if child.tag in ("consequence", "consequence-group"):
                raise self.error(
                    f"an initiating event defined by a <{child.tag}> (linking event trees "
                    "through consequences) is not read: link the trees with <event-tree> in a "
                    "sequence",
                    child,
                    name,
                )
            if child.tag != "collect-expression":
                raise self.error(
                    f"unsupported element <{child.tag}> in an initiating event: its frequency "
                    "is a <collect-expression>",
                    child,
                    name,
                )
            index, unit = self.expression(child, name)
            factors.append(index)
            units.append(unit)
        frequency = None
        if factors:
            where = self.where(node, name)
            product = mefunits.combine("mul", units, where) if len(units) > 1 else units[0]
            mefunits.check_frequency(product, where)
            program = self.reader.program
            index = factors[0] if len(factors) == 1 else program.add("mul", factors)
            frequency = ExpressionNode(index)
        tree = node.attrs.get("event-tree")
        return InitiatingEvent(name, tree or None, frequency, self.origin(node, name))

    def members(self, node: _Node, name: str, kinds: Mapping[str, str]) -> list[tuple[str, str]]:
        """Return the ``(kind, name)`` of each child reference, its tag one of ``kinds``."""
        out = []
        for child in node.kids():
            if child.tag not in kinds:
                raise self.error(
                    f"unexpected <{child.tag}>: <{node.tag}> holds "
                    + " and ".join(f"<{t}>" for t in kinds),
                    child,
                    name,
                )
            out.append((kinds[child.tag], self.name_of(child)))
        if not out:
            raise self.error(f"<{node.tag}> holds at least one member", node, name)
        return out

    def initiating_event_group(self, node: _Node) -> InitiatingEventGroup:
        name = self.name_of(node)
        kinds = {"initiating-event": "event", "initiating-event-group": "group"}
        members = tuple(self.members(node, name, kinds))
        tree = node.attrs.get("event-tree") or None
        return InitiatingEventGroup(name, members, tree, self.origin(node, name))

    def consequence(self, node: _Node) -> Consequence:
        name = self.name_of(node)
        kinds = {"initiating-event": "event", "sequence": "sequence"}
        found = dict(self.members(node, name, kinds))
        if len(node.kids()) != 2 or len(found) != 2:
            raise self.error(
                "a consequence holds one <initiating-event> and one <sequence>", node, name
            )
        return Consequence(name, found["event"], found["sequence"], self.origin(node, name))

    def consequence_group(self, node: _Node) -> ConsequenceGroup:
        name = self.name_of(node)
        kinds = {"consequence": "consequence", "consequence-group": "group"}
        members = tuple(self.members(node, name, kinds))
        return ConsequenceGroup(name, members, self.origin(node, name))

    def model(
        self, phase_models: Mapping[str, tuple[EventTreeModel, ...]] | None = None
    ) -> EventTreeModel:
        initiating: list[InitiatingEvent] = []
        trees: list[EventTree] = []
        sequences: list[SequenceDefinition] = []
        rules: dict[str, tuple[Instruction, ...]] = {}
        rule_where: dict[str, tuple[str, int]] = {}
        groups: list[InitiatingEventGroup] = []
        consequences: list[Consequence] = []
        consequence_groups: list[ConsequenceGroup] = []
        for node, file in self.reader.event_tree_layer:
            self.file = file
            if node.tag == "define-initiating-event":
                initiating.append(self.initiating_event(node))
            elif node.tag == "define-initiating-event-group":
                groups.append(self.initiating_event_group(node))
            elif node.tag == "define-consequence":
                consequences.append(self.consequence(node))
            elif node.tag == "define-consequence-group":
                consequence_groups.append(self.consequence_group(node))
            elif node.tag == "define-event-tree":
                trees.append(self.event_tree(node, sequences))
            else:
                name = self.name_of(node)
                if name in rule_where:
                    raise self.error(
                        f"rule {name!r} is already defined ({rule_where[name][0]}, line "
                        f"{rule_where[name][1]})",
                        node,
                        name,
                    )
                rule_where[name] = (file, node.line)
                body = tuple(self.instruction(k, name) for k in node.kids())
                if not body:
                    raise self.error("a rule holds at least one instruction", node, name)
                rules[name] = body
        return EventTreeModel(
            self.tree,
            initiating,
            trees,
            sequences,
            rules,
            self.reader.program,
            self.tests,
            phase_models,
            initiating_event_groups=groups,
            consequences=consequences,
            consequence_groups=consequence_groups,
        )


def load(
    path: str | Path,
    *more: str | Path,
    mission_time: float = mefexpr.DEFAULT_MISSION_TIME,
    house_events: Mapping[str, bool] | None = None,
) -> EventTreeModel:
    """Read Open-PSA MEF files (one model) with their event trees.

    Parameters
    ----------
    path, *more : str or path-like
    mission_time : float
        The value of ``<system-mission-time/>`` (hours; default 8760).
    house_events : mapping of str to bool, optional
        Set house events before any path sets them (as :func:`portfolios.openpsa.load`).

    Returns
    -------
    EventTreeModel
        :meth:`~portfolios.eventtree.EventTreeModel.analyse` gives the sequences.

    Raises
    ------
    PortfolioError
        As :func:`portfolios.openpsa.load`, and for an invalid event tree (the message names
        the file, the line, the element and the name).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = '''<opsa-mef>
    ...   <define-initiating-event name="I" event-tree="T"/>
    ...   <define-event-tree name="T">
    ...     <define-functional-event name="F"/>
    ...     <define-sequence name="OK"/> <define-sequence name="KO"/>
    ...     <initial-state>
    ...       <fork functional-event="F">
    ...         <path state="success">
    ...           <collect-formula><not><basic-event name="B"/></not></collect-formula>
    ...           <sequence name="OK"/>
    ...         </path>
    ...         <path state="failure">
    ...           <collect-formula><basic-event name="B"/></collect-formula>
    ...           <sequence name="KO"/>
    ...         </path>
    ...       </fork>
    ...     </initial-state>
    ...   </define-event-tree>
    ...   <model-data>
    ...     <define-basic-event name="B"><float value="0.25"/></define-basic-event>
    ...   </model-data>
    ... </opsa-mef>'''
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = pathlib.Path(d) / "et.xml"
    ...     _ = f.write_text(text)
    ...     M = load(f)
    >>> M.analyse().probabilities()
    {('I', 'OK'): 0.75, ('I', 'KO'): 0.25}
    """
    if not (
        isinstance(mission_time, (int, float)) and math.isfinite(mission_time) and mission_time >= 0
    ):
        raise PortfolioError(
            None, f"mission_time must be a finite number >= 0, got {mission_time!r}"
        )
    reader = openpsa._Reader(float(mission_time))
    in_phases: list[EventTreeModel] = []  # each phase's model, its expressions its own

    def phase_model(phase_reader: openpsa._Reader, phase_tree: FaultTree) -> None:
        in_phases.append(_LayerReader(phase_reader, phase_tree).model())

    paths = [Path(path), *(Path(p) for p in more)]
    tree = openpsa._model(reader, paths, house_events, phase_model)
    models = iter(in_phases)
    phase_models = {
        name: tuple(next(models) for _ in alignment.phases)
        for name, alignment in tree.alignments.items()
    }
    return _LayerReader(reader, tree).model(phase_models)
